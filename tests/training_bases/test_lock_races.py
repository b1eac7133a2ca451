"""A writer that waits for a session's lock decides with the facts as they are once the lock is
granted: a suspension or a room change committed meanwhile is seen (PostgreSQL, real threads)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from notices.models import Notice
from trainees import services as trainees_services
from trainees.models import CultivationStatus
from training_bases import services
from training_bases.messages import message
from training_bases.models import Booking, TrainingSession

from .factories import RoomFactory, SessionFactory, listed_staff, officer, staff, suspend
from .threads import RoomMove, SessionLockHolder, Worker, at_once, finish, wait_until_blocked

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_suspension_while_a_booking_waits_for_the_seat_lock_leaves_the_enterprise_no_seat(site):
    """The booker's enterprise is suspended while the booking waits for the session's lock. The
    suspension waits for the booking (the booking holds the enterprise row in share), then
    releases it: the suspended enterprise holds no seat, and the seat went back."""
    session = SessionFactory(capacity=5)
    user = listed_staff()
    actor = officer()

    holder = SessionLockHolder(session.pk)
    holder.start()
    assert holder.locked.wait(timeout=10)
    booker = Worker(lambda: services.booking_create(user=user, session_id=session.pk))
    suspension = Worker(lambda: suspend(user, actor))
    started = [holder, booker]
    booker.start()
    try:
        wait_until_blocked(1)
        suspension.start()
        started.append(suspension)
        wait_until_blocked(2)  # the suspension waits for the booking's hold on the enterprise
    finally:
        holder.release.set()
        for thread in started:
            thread.join(timeout=30)
    assert suspension.error is None, suspension.error
    user.enterprise.refresh_from_db()
    assert user.enterprise.cultivation_status == CultivationStatus.SUSPENDED
    statuses = list(Booking.objects.filter(enterprise_id=user.enterprise_id).values_list("status", flat=True))
    # Either the booking went through first and the suspension released it, or it read the
    # suspension and was refused: never an active booking.
    assert not set(statuses) & set(Booking.ACTIVE), statuses
    assert not Booking.objects.filter(session=session, status__in=Booking.ACTIVE).exists()


def test_a_booking_waiting_for_the_seat_lock_of_a_suspended_enterprise_is_refused(site, monkeypatch):
    """The other order: the suspension holds the enterprise row when the booking starts; the
    booking waits for it, then reads the suspension and is refused."""
    session = SessionFactory(capacity=5)
    user = listed_staff()
    actor = officer()
    recorded, release = threading.Event(), threading.Event()
    real = trainees_services._record_transition

    def pausing(*args, **kwargs):
        out = real(*args, **kwargs)
        recorded.set()
        release.wait(timeout=30)
        return out

    monkeypatch.setattr(trainees_services, "_record_transition", pausing)
    suspension = Worker(lambda: suspend(user, actor))
    suspension.start()
    started = [suspension]
    try:
        assert recorded.wait(timeout=10)
        booker = Worker(lambda: services.booking_create(user=user, session_id=session.pk))
        booker.start()
        started.append(booker)
        wait_until_blocked(1)
    finally:
        release.set()
        for thread in started:
            thread.join(timeout=30)
    assert suspension.error is None, suspension.error
    assert isinstance(booker.error, ValidationError), repr(booker.error)
    assert booker.error.messages == [message("cultivation_blocked")]
    assert not Booking.objects.filter(enterprise_id=user.enterprise_id).exists()


def test_a_booking_waiting_while_the_session_moves_to_another_room_is_booked_in_the_new_room(site, monkeypatch):
    """An officer moves the session to another room while a booking waits for its lock: the
    booking goes through (not "no such session"), against the session as moved."""
    session = SessionFactory(capacity=5)
    other_room = RoomFactory(capacity=40)
    move = RoomMove(session.pk, other_room.pk, monkeypatch)
    move.start()
    assert move.saved.wait(timeout=10)
    assert move.error is None, move.error
    booker = Worker(lambda: services.booking_create(user=staff(), session_id=session.pk))
    booker.start()
    try:
        wait_until_blocked()
    finally:
        move.release.set()
        move.join(timeout=30)
        booker.join(timeout=30)
    assert move.error is None, move.error
    assert TrainingSession.objects.filter(pk=session.pk, room=other_room).exists()
    assert booker.error is None, repr(booker.error)
    assert booker.result.status == Booking.Status.CONFIRMED
    assert booker.result.session.room.pk == other_room.pk


def test_a_cancellation_waiting_while_the_session_moves_to_another_room_goes_through(site, monkeypatch):
    """The same race on the cancel page: the cancellation goes through (302), no server error."""
    session = SessionFactory(capacity=5)
    user = staff()
    booking = services.booking_create(user=user, session_id=session.pk)
    other_room = RoomFactory(capacity=40)
    with translation.override("zh-hans"):
        url = reverse("training_bases:booking_cancel", args=[booking.pk])

    def cancel():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        return client.post(url).status_code

    move = RoomMove(session.pk, other_room.pk, monkeypatch)
    move.start()
    assert move.saved.wait(timeout=10)
    canceller = Worker(cancel)
    canceller.start()
    try:
        wait_until_blocked()
    finally:
        move.release.set()
        move.join(timeout=30)
        canceller.join(timeout=30)
    assert move.error is None, move.error
    assert canceller.error is None, repr(canceller.error)
    assert canceller.result == 302
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED


def test_owner_and_officer_cancel_one_seat_while_the_first_waiter_leaves(site):
    """Owner and officer cancel the same seat at once while the first waiter leaves the
    waitlist: one cancellation wins (the other is told it is no longer active), and the freed
    seat goes to the next waiter, once."""
    session = SessionFactory(capacity=1)
    holder, first, second = staff(), staff(), staff()
    seat = services.booking_create(user=holder, session_id=session.pk, priority=1)
    leaving = services.booking_create(user=first, session_id=session.pk, priority=2)
    next_waiter = services.booking_create(user=second, session_id=session.pk, priority=3)
    actor = officer()
    workers = at_once(
        [
            lambda: services.booking_cancel(actor=holder, booking_id=seat.pk),
            lambda: services.booking_cancel(actor=actor, booking_id=seat.pk),
            lambda: services.booking_cancel(actor=first, booking_id=leaving.pk),
        ]
    )
    finish(*workers)
    errors = [w.error for w in workers if w.error is not None]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), errors
    statuses = dict(Booking.objects.filter(session=session).values_list("pk", "status"))
    assert statuses == {seat.pk: "cancelled", leaving.pk: "cancelled", next_waiter.pk: "confirmed"}


def test_one_person_booking_two_sessions_of_a_type_at_once_gets_one_and_is_told_why_in_the_other_tab(
    site, monkeypatch, mailoutbox
):
    """Two tabs, two one-seat sessions of the same type, one click each at the same moment: both
    read "no booking of this type yet" before either writes (the hook holds each booker until
    both have read), so the second insert meets the first at the partial unique constraint. The
    booking, its notice and the status of its session go as one round trip: the refused tab
    shows the friendly message (no server error), and neither a notice, an e-mail nor "full"
    is left behind for the session it did not get."""
    first, second = SessionFactory(capacity=1), SessionFactory(capacity=1)
    person = staff()
    both_read = threading.Barrier(2)
    monkeypatch.setattr(services, "race_window_hook", lambda: both_read.wait(timeout=20))
    with translation.override("zh-hans"):
        urls = [reverse("training_bases:session_book", args=[s.pk]) for s in (first, second)]
        refused = message("already_booked_type")

    def book(url):
        def run():
            client = Client(raise_request_exception=False)
            client.force_login(person)
            response = client.post(url, follow=True)
            return response.redirect_chain[0][1], [str(m) for m in response.context["messages"]]

        return run

    workers = at_once([book(url) for url in urls])
    finish(*workers)
    assert [w.error for w in workers] == [None, None]
    assert sorted(w.result[0] for w in workers) == [302, 302]
    said = sorted(w.result[1] for w in workers)
    assert [refused] in said, said
    booking = Booking.objects.get(user=person)
    assert booking.status == Booking.Status.CONFIRMED
    assert list(Notice.objects.filter(recipient=person).values_list("target_id", flat=True)) == [booking.pk]
    assert [m.to for m in mailoutbox] == [[person.email]]
    other = second if booking.session_id == first.pk else first
    assert TrainingSession.objects.get(pk=booking.session_id).status == TrainingSession.Status.FULL
    assert TrainingSession.objects.get(pk=other.pk).status == TrainingSession.Status.OPEN


def test_a_booking_refused_by_the_unique_constraint_leaves_the_callers_transaction_usable(
    site, monkeypatch, mailoutbox
):
    """While the booking holds the seat lock, the same person's booking of another session of the
    type commits elsewhere: the insert is refused by the constraint (ValidationError), and the
    caller's transaction goes on, books a session of another type and commits it with its
    notice; nothing of the refused booking is written or e-mailed."""
    refused_session, elsewhere = SessionFactory(capacity=1), SessionFactory(capacity=1)
    other_type = SessionFactory(capacity=1, training_type="project")
    person = staff()

    def booked_elsewhere_meanwhile():
        monkeypatch.setattr(services, "race_window_hook", None)
        (other,) = at_once([lambda: services.booking_create(user=person, session_id=elsewhere.pk)])
        finish(other)
        assert other.error is None, repr(other.error)

    monkeypatch.setattr(services, "race_window_hook", booked_elsewhere_meanwhile)
    with transaction.atomic():
        with pytest.raises(ValidationError) as refusal:
            services.booking_create(user=person, session_id=refused_session.pk)
        made = services.booking_create(user=person, session_id=other_type.pk)
    assert refusal.value.messages == [message("already_booked_type")]
    assert made.status == Booking.Status.CONFIRMED
    kept = sorted(Booking.objects.filter(user=person).values_list("session_id", flat=True))
    assert kept == sorted([elsewhere.pk, other_type.pk])
    notified = sorted(Notice.objects.filter(recipient=person).values_list("target_id", flat=True))
    assert notified == sorted(Booking.objects.filter(user=person).values_list("pk", flat=True))
    assert len(mailoutbox) == 2
    assert TrainingSession.objects.get(pk=refused_session.pk).status == TrainingSession.Status.OPEN
