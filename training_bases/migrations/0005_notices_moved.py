"""Notices and notification preferences move to the shared `notices` app: rows are copied (ids
kept, so notices already queued to a worker still find theirs), the preference's language goes to
`User.language`, reminders already sent keep the start they were sent for, and the old tables go."""

from django.db import migrations


def copy_to_notices(apps, schema_editor):
    Old = apps.get_model("training_bases", "Notice")
    OldPreference = apps.get_model("training_bases", "NotificationPreference")
    Booking = apps.get_model("training_bases", "Booking")
    Notice = apps.get_model("notices", "Notice")
    Preference = apps.get_model("notices", "NotificationPreference")
    User = apps.get_model("trainees", "User")
    ContentType = apps.get_model("contenttypes", "ContentType")
    booking_type, _ = ContentType.objects.get_or_create(app_label="training_bases", model="booking")

    preferences = []
    for old in OldPreference.objects.all().iterator():
        User.objects.filter(pk=old.user_id).update(language=old.language)
        preferences.append(
            Preference(
                pk=old.pk,
                user_id=old.user_id,
                daily_digest=old.daily_digest,
                reminder_days=old.reminder_days,
                feed_token=old.feed_token,
            )
        )
    Preference.objects.bulk_create(preferences, batch_size=1000)

    bookings = dict(Booking.objects.values_list("pk", "user_id"))
    starts = dict(Booking.objects.values_list("pk", "session__starts_at"))
    notices = []
    for old in Old.objects.all().order_by("pk").iterator():
        notice = Notice(
            pk=old.pk,
            recipient_id=bookings[old.booking_id],
            target_type_id=booking_type.pk,
            target_id=old.booking_id,
            kind=old.kind,
            sent_at=old.sent_at,
            event_start=starts[old.booking_id] if old.kind == "reminder" else None,
        )
        notices.append(notice)
    created = Notice.objects.bulk_create(notices, batch_size=1000)
    # auto_now_add overwrote created_at: restore the original times.
    for old in Old.objects.all().only("pk", "created_at").iterator():
        Notice.objects.filter(pk=old.pk).update(created_at=old.created_at)

    if created or preferences:
        from django.core.management.color import no_style

        with schema_editor.connection.cursor() as cursor:
            for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [Notice, Preference]):
                cursor.execute(sql)


def copy_back(apps, schema_editor):
    Old = apps.get_model("training_bases", "Notice")
    OldPreference = apps.get_model("training_bases", "NotificationPreference")
    Notice = apps.get_model("notices", "Notice")
    Preference = apps.get_model("notices", "NotificationPreference")
    ContentType = apps.get_model("contenttypes", "ContentType")
    booking_type = ContentType.objects.filter(app_label="training_bases", model="booking").first()
    for pref in Preference.objects.select_related("user"):
        OldPreference.objects.create(
            user_id=pref.user_id,
            language=pref.user.language,
            daily_digest=pref.daily_digest,
            reminder_days=pref.reminder_days,
            feed_token=pref.feed_token,
        )
    if booking_type:
        for notice in Notice.objects.filter(target_type=booking_type):
            Old.objects.create(booking_id=notice.target_id, kind=notice.kind, sent_at=notice.sent_at)


class Migration(migrations.Migration):
    dependencies = [
        ("training_bases", "0004_room_overlap_and_permissions"),
        ("notices", "0001_initial"),
        ("trainees", "0007_user_language"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_to_notices, copy_back),
        migrations.RemoveField(model_name="notificationpreference", name="user"),
        migrations.DeleteModel(name="Notice"),
        migrations.DeleteModel(name="NotificationPreference"),
    ]
