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
