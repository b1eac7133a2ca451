"""E-mails in the recipient's language with iCalendar attachments, digests and reminders."""

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar

from notices import tasks
from notices.models import Notice, NotificationPreference
from training_bases import services
from training_bases.models import Booking

from .factories import SessionFactory, staff

pytestmark = pytest.mark.django_db


def ics_of(mail, index=0):
    content = mail.attachments[index][1]
    return Calendar.from_ical(content if isinstance(content, bytes) else content.encode())


def test_mail_in_the_recipients_language(session, mailoutbox, django_capture_on_commit_callbacks):
    chinese, english = staff(), staff()
    NotificationPreference.objects.create(user=english, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(user=chinese, session_id=session.pk)
        services.booking_create(user=english, session_id=session.pk)
    zh, en = mailoutbox
    assert "Your seat is confirmed" in en.subject and session.title_zh in zh.subject
    assert "Your seat is confirmed" not in zh.subject  # rendered in Chinese
    assert "Beijing time" in en.body
    html = {a[1]: a[0] for a in en.alternatives}
    assert "text/html" in html


def test_ics_uid_is_stable_and_sequence_grows(session, mailoutbox, django_capture_on_commit_callbacks):
    user = staff()
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(user=user, session_id=session.pk)
    session.starts_at += dt.timedelta(hours=2)
    session.ends_at += dt.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(session=session)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(actor=user, booking_id=booking.pk)
    events = [ics_of(m) for m in mailoutbox]
    methods = [str(c["METHOD"]) for c in events]
    uids = {str(c.walk("VEVENT")[0]["UID"]) for c in events}
    sequences = [int(c.walk("VEVENT")[0]["SEQUENCE"]) for c in events]
    assert methods == ["REQUEST", "REQUEST", "CANCEL"]
    assert uids == {f"booking-{booking.uid}@aeo-lms"}
    assert sequences == [0, 1, 2]
    assert events[1].walk("VEVENT")[0].decoded("DTSTART") == session.starts_at


def test_daily_digest_instead_of_one_mail_per_event(session, mailoutbox, django_capture_on_commit_callbacks):
    user = staff()
    NotificationPreference.objects.create(user=user, daily_digest=True, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(user=user, session_id=session.pk)
        services.booking_cancel(actor=user, booking_id=booking.pk)
    assert mailoutbox == []
    assert tasks.send_daily_digests() == 1
    (digest,) = mailoutbox
    # The digest tells the final state (issue 8 point 9): the seat is cancelled, so no "confirmed".
    assert "1 update" in digest.subject
    assert "Your seat is confirmed" not in digest.body and "Your booking is cancelled" in digest.body
    assert "METHOD:CANCEL" in (
        digest.attachments[0][1] if isinstance(digest.attachments[0][1], str) else digest.attachments[0][1].decode()
    )
    assert not Notice.objects.filter(sent_at__isnull=True).exists()
    assert tasks.send_daily_digests() == 0


def test_reminders_are_sent_once_n_days_before(db, mailoutbox, django_capture_on_commit_callbacks):
    soon = SessionFactory(
        starts_at=timezone.now() + dt.timedelta(days=1, hours=12),
        ends_at=timezone.now() + dt.timedelta(days=1, hours=20),
        booking_closes_at=timezone.now() + dt.timedelta(days=1),
        cancellation_cutoff=timezone.now() + dt.timedelta(hours=1),
    )
    later = SessionFactory(training_type="aeo_certification")  # two weeks away
    user, far_sighted = staff(), staff()
    NotificationPreference.objects.create(user=far_sighted, reminder_days=20)
    services.booking_create(user=user, session_id=soon.pk)
    services.booking_create(user=far_sighted, session_id=later.pk)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_reminders() == 2
    assert {m.to[0] for m in mailoutbox} == {user.email, far_sighted.email}
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_reminders() == 0
    assert Booking.objects.filter(reminder_sent_at__isnull=True).count() == 0


def test_send_notices_is_idempotent(session, mailoutbox):
    user = staff()
    services.booking_create(user=user, session_id=session.pk)
    ids = list(Notice.objects.values_list("pk", flat=True))
    assert tasks.send_notices(ids) == 1
    assert tasks.send_notices(ids) == 0
    assert len(mailoutbox) == 1


def test_beat_schedule_has_the_training_jobs(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"notices.tasks.send_reminders", "notices.tasks.send_daily_digests"} <= tasks_scheduled


# --- Issue 8, notices ---------------------------------------------------------------------


def soon_session(**kwargs):
    start = (timezone.now() + dt.timedelta(days=1, hours=12)).replace(microsecond=0)
    return SessionFactory(
        starts_at=start,
        ends_at=start + dt.timedelta(hours=8),
        booking_closes_at=start - dt.timedelta(hours=12),
        cancellation_cutoff=start - dt.timedelta(hours=20),
        **kwargs,
    )


def test_a_moved_session_is_reminded_again_for_its_new_date(db, mailoutbox, django_capture_on_commit_callbacks):
    session = soon_session()
    user = staff()
    booking = services.booking_create(user=user, session_id=session.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_reminders() == 1
    session.starts_at += dt.timedelta(days=10)
    session.ends_at += dt.timedelta(days=10)
    session.booking_closes_at += dt.timedelta(days=10)
    session.cancellation_cutoff += dt.timedelta(days=10)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(session=session)
    (change,) = mailoutbox
    event = ics_of(change).walk("VEVENT")[0]
    assert str(event["UID"]) == f"booking-{booking.uid}@aeo-lms" and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == session.starts_at
    # Not yet due for the new date; due two days before it, once.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_reminders() == 0
    ten_days_later = (timezone.now() + dt.timedelta(days=10)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_reminders(ten_days_later) == 1
        assert tasks.send_reminders(ten_days_later) == 0
    reminder = mailoutbox[-1]
    assert reminder.to == [user.email] and len(mailoutbox) == 2
    assert ics_of(reminder).walk("VEVENT")[0].decoded("DTSTART") == session.starts_at


@pytest.mark.parametrize("change", ["time", "room", "base"])
def test_a_change_after_the_reminder_re_arms_it(change, db, mailoutbox, django_capture_on_commit_callbacks):
    """Reminded, then the session gets another hour, room or base: the person is reminded
    again (once), of the new details, with the updated event."""
    from .factories import RoomFactory, base

    session = soon_session()
    user = staff()
    booking = services.booking_create(user=user, session_id=session.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_reminders() == 1
    if change == "time":
        session.starts_at += dt.timedelta(hours=2)
        session.ends_at += dt.timedelta(hours=2)
    elif change == "room":
        session.room = RoomFactory(base=session.base, name_zh="新三号教室")
    else:
        session.room = RoomFactory(base=base("shenzhen"), name_zh="新三号教室")
        session.base = session.room.base
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(session=session)
    booking.refresh_from_db()
    assert booking.reminder_sent_at is None
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_reminders() == 1
        assert tasks.send_reminders() == 0
    (reminder,) = mailoutbox
    event = ics_of(reminder).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == booking.ics_sequence
    assert event.decoded("DTSTART") == session.starts_at
    assert session.room.name_zh in str(event["LOCATION"]) and session.base.name_zh in str(event["LOCATION"])


def test_reminders_made_before_sequences_were_kept_are_not_repeated(db, mailoutbox, django_capture_on_commit_callbacks):
    session = soon_session()
    services.booking_create(user=staff(), session_id=session.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_reminders() == 1
    Notice.objects.filter(kind=Notice.Kind.REMINDER).update(event_sequence=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_reminders() == 0


@pytest.mark.parametrize("change", ["time", "room", "base"])
def test_a_change_of_time_room_or_base_sends_an_updated_event(
    change, session, mailoutbox, django_capture_on_commit_callbacks
):
    from .factories import RoomFactory, base

    user = staff()
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(user=user, session_id=session.pk)
    if change == "time":
        session.starts_at += dt.timedelta(hours=1)
        session.ends_at += dt.timedelta(hours=1)
    elif change == "room":
        session.room = RoomFactory(base=session.base)
    else:
        session.room = RoomFactory(base=base("shenzhen"))
        session.base = session.room.base
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(session=session)
    first, second = (ics_of(m).walk("VEVENT")[0] for m in mailoutbox)
    assert str(first["UID"]) == str(second["UID"]) == f"booking-{booking.uid}@aeo-lms"
    assert int(second["SEQUENCE"]) > int(first["SEQUENCE"])
    assert session.room.name_zh in str(second["LOCATION"]) and session.base.name_zh in str(second["LOCATION"])
    assert "变更" in mailoutbox[1].subject or "changed" in mailoutbox[1].subject


def test_digest_after_a_cancelled_seat_tells_only_the_cancellation(db, mailoutbox, django_capture_on_commit_callbacks):
    session = soon_session()
    user = staff()
    NotificationPreference.objects.create(user=user, daily_digest=True, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(user=user, session_id=session.pk)
        assert tasks.send_reminders() == 1  # queued for the digest
        services.booking_cancel(actor=user, booking_id=booking.pk)
    assert mailoutbox == []
    assert tasks.send_daily_digests() == 1
    (digest,) = mailoutbox
    assert "Your seat is confirmed" not in digest.body and "Reminder" not in digest.body
    assert "Your booking is cancelled" in digest.body and "1 update" in digest.subject
    (attachment,) = digest.attachments
    assert str(Calendar.from_ical(attachment[1])["METHOD"]) == "CANCEL"
    assert Notice.objects.filter(sent_at__isnull=True).count() == 0
    assert Notice.objects.filter(superseded=True).count() == 2


def test_a_queued_reminder_is_not_sent_for_a_seat_cancelled_meanwhile(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    session = soon_session()
    user = staff()
    booking = services.booking_create(user=user, session_id=session.pk)
    tasks.send_reminders()  # queued: its on-commit send has not run yet
    reminder = Notice.objects.get(kind=Notice.Kind.REMINDER)
    services.booking_cancel(actor=user, booking_id=booking.pk)
    mailoutbox.clear()
    assert tasks.send_notices([reminder.pk]) == 0
    assert mailoutbox == []
    reminder.refresh_from_db()
    assert reminder.superseded and reminder.sent_at is not None


def three_day_session():
    first = timezone.localtime(timezone.now() + dt.timedelta(days=20)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    return SessionFactory(starts_at=first, ends_at=first + dt.timedelta(days=2, hours=8))


def assert_three_days(content, session):
    cal = Calendar.from_ical(content if isinstance(content, bytes) else content.encode())
    (event,) = [e for e in cal.walk("VEVENT") if "RECURRENCE-ID" not in e]
    assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(hours=8)
    assert event.decoded("DTSTART") == session.starts_at
    assert event["RRULE"]["FREQ"] == ["DAILY"] and event["RRULE"]["COUNT"] == [3]


def test_a_multi_day_session_is_one_event_per_day_in_file_mail_and_feed(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    session = three_day_session()
    user = staff()
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(user=user, session_id=session.pk)
    assert_three_days(mailoutbox[0].attachments[0][1], session)
    client.force_login(user)
    assert_three_days(client.get(reverse("training_bases:booking_ics", args=[booking.pk])).content, session)
    token = NotificationPreference.objects.create(user=user).feed_token
    assert_three_days(client.get(reverse("training_bases:ical_feed", args=[token])).content, session)
    assert mailoutbox[0].body.count("09:00 – 17:00") == 3
