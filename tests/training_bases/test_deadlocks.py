"""The lock order "an enterprise row before a training session's row" (CONTRIBUTING.md, Row
locks) against the paths that lock a session first and an enterprise afterwards (attendance
moving an enterprise into training). PostgreSQL, real threads."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from trainees.models import CultivationStatus, Enterprise
from training_bases import rules, services
from training_bases.models import AttendanceRecord, Booking, TrainingSession

from .factories import SessionFactory, listed_staff, officer, staff, suspend
from .threads import Worker, finish, wait_until_blocked

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _started_session_with_listed_booking():
    """A session that started half an hour ago, one confirmed person of a listed enterprise."""
    session = SessionFactory(capacity=5)
    user = listed_staff()
    booking = services.booking_create(user=user, session_id=session.pk)
    now = timezone.now()
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=now - dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=1),
        booking_closes_at=now - dt.timedelta(hours=1),
        cancellation_cutoff=now - dt.timedelta(hours=2),
    )
    session.refresh_from_db()
    day = session.starts_at.astimezone(rules.SHANGHAI).date()
    return session, user, booking, day


class PausedAttendance(Worker):
    """An officer records "present" for the booking (`services.attendance_record`); the thread
    stops once it holds the session lock (and the booking's), before the enterprise moves into
    training, until `go` is set."""

    def __init__(self, booking_id, day, monkeypatch):
        self.locked, self.go = threading.Event(), threading.Event()
        actor = officer()
        real = services._undo_start_training_if_corrected

        def pausing(record, **kwargs):
            self.locked.set()
            self.go.wait(timeout=30)
            return real(record, **kwargs)

        monkeypatch.setattr(services, "_undo_start_training_if_corrected", pausing)
        super().__init__(
            lambda: services.attendance_record(actor=actor, booking_id=booking_id, day=day, status="present")
        )


def test_attendance_racing_a_suspension_of_the_same_enterprise_does_not_deadlock(site, monkeypatch):
    """Attendance (which may move the enterprise into training, a transition locking it) while
    the enterprise is suspended (enterprise FOR UPDATE, then the session to release the
    booking): both lock the enterprise first, so both finish, one after the other."""
    _session, user, booking, day = _started_session_with_listed_booking()
    attendance = PausedAttendance(booking.pk, day, monkeypatch)
    actor = officer()
    suspension = Worker(lambda: suspend(user, actor))
    attendance.start()
    try:
        assert attendance.locked.wait(timeout=10)
        suspension.start()
        wait_until_blocked(1)  # the suspension waits for the enterprise the attendance holds
    finally:
        attendance.go.set()
        finish(attendance, suspension)
    errors = [repr(e) for e in (attendance.error, suspension.error) if e is not None]
    assert not errors, errors


def test_a_colleague_booking_while_attendance_is_recorded_gets_no_server_error(site, monkeypatch):
    """A colleague of the same enterprise presses "book" on the session page while the officer
    saves the register of that session, which moves the enterprise into training. Both lock
    the enterprise before the session (the register FOR UPDATE, the booking in share): no
    deadlock. The booking is refused with a message (302: the session has started), the
    attendance is recorded and the enterprise is in training; never a 500."""
    session, user, booking, day = _started_session_with_listed_booking()
    colleague = staff(enterprise=user.enterprise)
    attendance = PausedAttendance(booking.pk, day, monkeypatch)
    with translation.override("zh-hans"):
        url = reverse("training_bases:session_book", args=[session.pk])

    def book():
        client = Client(raise_request_exception=False)
        client.force_login(colleague)
        return client.post(url).status_code

    booker = Worker(book)
    attendance.start()
    try:
        assert attendance.locked.wait(timeout=10)
        booker.start()
        wait_until_blocked(1)  # the booking waits for the enterprise the register holds
    finally:
        attendance.go.set()
        finish(attendance, booker)
    assert booker.error is None, repr(booker.error)
    assert attendance.error is None, repr(attendance.error)
    assert booker.result == 302, booker.result
    assert AttendanceRecord.objects.filter(booking_id=booking.pk, day=day, status="present").exists()
    assert not Booking.objects.filter(user=colleague).exists()
    assert Enterprise.objects.get(pk=user.enterprise_id).cultivation_status == CultivationStatus.IN_TRAINING
    connection.close()
