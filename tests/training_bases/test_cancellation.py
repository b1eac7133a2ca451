"""Cancellation with promotion (issue 9, point 2): the statements of the bare transaction and no
more, whatever the waitlist's length; the freed seat still goes where the rules say (priority,
reserved seats, numbered seats), also when the booking changed while the cancellation waited
for the lock, and when many people cancel at once."""

import threading

import pytest
from django.db import connection

from notices.models import Notice
from trainees.models import Position
from training_bases import seats, services
from training_bases.models import Booking, Room, TrainingSession

from .factories import RoomFactory, SessionFactory, staff

pytestmark = pytest.mark.django_db

# BEGIN (a savepoint in a test's transaction), lock the session while reading the booking, cancel
# it and read the seat state with the top of the waitlist, promote and insert both notices (one
# query string), COMMIT.
CANCEL_WITH_PROMOTION_STATEMENTS = 5


def book(user, session, **kwargs):
    return services.booking_create(user=user, session_id=session.pk, **kwargs)


def full_session_with_waitlist(waiting: int, *, capacity: int = 1, **session_kwargs):
    session = SessionFactory(capacity=capacity, **session_kwargs)
    holders = [staff() for _ in range(capacity)]
    held = [book(user, session, priority=100 + i) for i, user in enumerate(holders)]
    waiters = [staff() for _ in range(waiting)]
    for priority, user in enumerate(waiters, start=1):
        book(user, session, priority=priority)
    return session, holders, held, waiters


@pytest.mark.postgres  # elsewhere the statements of one round trip are sent one by one
@pytest.mark.parametrize("waiting", [1, 40])
def test_cancellation_with_promotion_runs_the_same_few_statements_whatever_the_waitlist(
    waiting, django_assert_max_num_queries
):
    session, (holder,), (held,), waiters = full_session_with_waitlist(waiting)
    other = staff()
    services.booking_cancel(actor=other, booking_id=book(other, SessionFactory()).pk)  # per-process caches filled
    with django_assert_max_num_queries(CANCEL_WITH_PROMOTION_STATEMENTS):
        services.booking_cancel(actor=holder, booking_id=held.pk)
    assert Booking.objects.get(user=waiters[0], session=session).status == Booking.Status.CONFIRMED
    assert Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).count() == 1
    assert Notice.objects.filter(recipient=holder, kind=Notice.Kind.CANCELLATION, target_id=held.pk).count() == 1
    assert Notice.objects.filter(recipient=waiters[0], kind=Notice.Kind.PROMOTION).count() == 1
    assert not Notice.objects.filter(recipient__in=waiters[1:], kind=Notice.Kind.PROMOTION).exists()


def test_the_freed_seat_goes_to_the_best_priority_not_the_first_to_book(db):
    session, (holder,), (held,), _ = full_session_with_waitlist(0)
    late_but_first = staff()
    book(staff(), session, priority=9)
    book(late_but_first, session, priority=2)
    services.booking_cancel(actor=holder, booking_id=held.pk)
    confirmed = Booking.objects.get(session=session, status=Booking.Status.CONFIRMED)
    assert confirmed.user == late_but_first
    assert list(Notice.objects.filter(recipient=late_but_first).values_list("kind", flat=True)) == [
        "waitlist",
        "promotion",
    ]


def test_a_reserved_seat_freed_goes_to_the_first_waiting_leader_past_the_others(db):
    """Two seats, one reserved for legal representatives and senior management. The leader
    holding it cancels: the seat stays reserved, so the first waiting leader (priority 5) gets
    it although two others wait ahead of them."""
    session = SessionFactory(capacity=2, reserved_leadership_seats=1)
    book(staff(), session, priority=1)
    leader = staff(position=Position.LEGAL_REPRESENTATIVE)
    held = book(leader, session, priority=2)
    ahead = [staff() for _ in range(2)]
    for priority, user in enumerate(ahead, start=3):
        book(user, session, priority=priority)
    next_leader = staff(position=Position.SENIOR_MANAGEMENT)
    book(next_leader, session, priority=5)
    services.booking_cancel(actor=leader, booking_id=held.pk)
    promoted = Booking.objects.get(session=session, status=Booking.Status.CONFIRMED, priority=5)
    assert promoted.user == next_leader
    assert set(Booking.objects.filter(session=session, user__in=ahead).values_list("status", flat=True)) == {
        Booking.Status.WAITLISTED
    }


def test_in_a_computer_room_the_promoted_trainee_takes_the_freed_seat_number(db):
    room = RoomFactory(kind=Room.Kind.COMPUTER_ROOM, capacity=2)
    session = SessionFactory(room=room, base=room.base, capacity=2)
    first, second, waiting = staff(), staff(), staff()
    book(first, session)
    held = book(second, session)
    book(waiting, session, priority=1)
    seat = held.seat_number
    services.booking_cancel(actor=second, booking_id=held.pk)
    promoted = Booking.objects.get(user=waiting)
    assert promoted.status == Booking.Status.CONFIRMED and promoted.seat_number == seat


def test_a_booking_promoted_while_its_cancellation_waited_is_read_again(db, monkeypatch):
    """The booking is read in the statement that waits for the lock; if another writer changed
    it meanwhile (here: it was promoted), the write does not apply and the booking is read again,
    so the seat it now holds is freed and passed on."""
    session, (holder,), (held,), (waiting, next_waiting) = full_session_with_waitlist(2)
    real = seats.lock_session_of_booking
    calls = []

    def stale_first(booking_id, *, lock):
        booking = real(booking_id, lock=lock)
        if not calls and booking.pk == waiting_booking.pk:
            booking.status = Booking.Status.WAITLISTED  # as read before the promotion committed
        calls.append(booking_id)
        return booking

    waiting_booking = Booking.objects.get(user=waiting)
    services.booking_cancel(actor=holder, booking_id=held.pk)  # `waiting` is promoted
    monkeypatch.setattr(seats, "lock_session_of_booking", stale_first)
    services.booking_cancel(actor=waiting, booking_id=waiting_booking.pk)
    assert len(calls) == 2
    assert Booking.objects.get(user=waiting).status == Booking.Status.CANCELLED
    assert Booking.objects.get(user=next_waiting).status == Booking.Status.CONFIRMED
    assert Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).count() == 1


CAPACITY, WAITING, WORKERS = 10, 15, 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_cancellations_pass_every_freed_seat_on_once_in_priority_order(site):
    session, holders, held, waiters = full_session_with_waitlist(WAITING, capacity=CAPACITY)
    barrier = threading.Barrier(WORKERS)
    errors = []

    def cancel(user, booking_id):
        try:
            barrier.wait(timeout=60)
            services.booking_cancel(actor=user, booking_id=booking_id)
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=cancel, args=(u, b.pk)) for u, b in zip(holders, held, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    confirmed = Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED)
    assert sorted(confirmed.values_list("user_id", flat=True)) == sorted(u.pk for u in waiters[:CAPACITY])
    promotions = Notice.objects.filter(kind=Notice.Kind.PROMOTION).values_list("recipient_id", flat=True)
    assert sorted(promotions) == sorted(u.pk for u in waiters[:CAPACITY])  # each told once
    assert Notice.objects.filter(kind=Notice.Kind.CANCELLATION).count() == CAPACITY
    assert TrainingSession.objects.get(pk=session.pk).status == TrainingSession.Status.FULL
