"""Notices and preferences kept in `training_bases` before the shared `notices` app keep working
after the move: same ids, language moved to the user, reminders already sent not sent again."""

import pytest
from django.utils import timezone

from notices import tasks
from notices.models import Notice, NotificationPreference
from tests.migrating import migrate
from training_bases import services
from training_bases.models import Booking

from .factories import SessionFactory, staff

BEFORE = [("training_bases", "0004_room_overlap_and_permissions")]
# The move is 0005; later migrations of the app are applied too, so the models match the code.
AFTER = "latest"


@pytest.mark.django_db(transaction=True)
def test_old_notices_and_preferences_move_to_the_shared_app(mailoutbox):
    soon = timezone.now() + timezone.timedelta(days=1)
    session = SessionFactory(
        starts_at=soon,
        ends_at=soon + timezone.timedelta(hours=8),
        booking_closes_at=soon - timezone.timedelta(hours=2),
        cancellation_cutoff=soon - timezone.timedelta(hours=3),
    )
    user = staff()
    booking = services.booking_create(user=user, session_id=session.pk)
    Notice.objects.all().delete()
    NotificationPreference.objects.all().delete()

    old_apps = migrate(BEFORE)
    OldNotice = old_apps.get_model("training_bases", "Notice")
    OldPreference = old_apps.get_model("training_bases", "NotificationPreference")
    OldPreference.objects.create(user_id=user.pk, language="en", daily_digest=False, reminder_days=3, feed_token="t0k")
    sent = timezone.now()
    confirmation = OldNotice.objects.create(booking_id=booking.pk, kind="confirmation", sent_at=sent)
    reminder = OldNotice.objects.create(booking_id=booking.pk, kind="reminder", sent_at=sent)
    pending = OldNotice.objects.create(booking_id=booking.pk, kind="change")
    Booking.objects.filter(pk=booking.pk).update(reminder_sent_at=sent)

    migrate(AFTER)
    migrate("latest")  # later migrations, as in production
    user.refresh_from_db()
    assert user.language == "en"
    pref = NotificationPreference.objects.get(user=user)
    assert (pref.reminder_days, pref.feed_token) == (3, "t0k")
    moved = {n.pk: n for n in Notice.objects.all()}
    assert set(moved) == {confirmation.pk, reminder.pk, pending.pk}
    assert moved[pending.pk].target == booking and moved[pending.pk].recipient_id == user.pk
    assert moved[reminder.pk].event_start == session.starts_at
    # The queued change is still sent, in English; the reminder is not sent twice.
    assert tasks.send_notices([pending.pk]) == 1
    assert "changed" in mailoutbox[-1].subject
    assert tasks.send_reminders() == 0
    assert Notice.objects.create(recipient=user, target=booking, kind="change").pk > pending.pk
