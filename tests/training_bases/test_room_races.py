"""Rooms and sessions changed by officers at the same time (lock order "a room before
its sessions"), and seat changes that renumber seats (PostgreSQL, real threads where said)."""

import threading

import pytest
from django.db import connection

from training_bases import services
from training_bases.models import Booking, Room, TrainingSession

from .factories import RoomFactory, SessionFactory, officer, staff
from .threads import Worker, finish, wait_until_blocked


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_swapping_the_rooms_of_two_sessions_do_not_deadlock(site, monkeypatch):
    """Officer 1 moves session 1 from room A to room B; officer 2 at the same time moves
    session 2 from room B to room A (different times: no clash). Each save locks both rooms,
    then their sessions, in id order: the second waits for the first, and both saves go
    through one after the other (no deadlock, no 500 in the back office)."""
    room_a, room_b = RoomFactory(capacity=40), RoomFactory(capacity=40)
    s1 = SessionFactory(room=room_a, capacity=5)
    s2 = SessionFactory(room=room_b, capacity=5, starts_at=s1.starts_at + (s1.ends_at - s1.starts_at) * 3)
    actor1, actor2 = officer(), officer()
    paused, go = threading.Event(), threading.Event()
    real = services.room_clash
    first = {}

    def pausing(**kwargs):
        if threading.current_thread() is first.get("thread"):
            paused.set()
            go.wait(timeout=30)
        return real(**kwargs)

    monkeypatch.setattr(services, "room_clash", pausing)

    def move(session_id, room_id, actor):
        def run():
            session = TrainingSession.objects.get(pk=session_id)
            session.room_id = room_id
            return services.session_save(session=session, actor=actor)

        return run

    one = Worker(move(s1.pk, room_b.pk, actor1))
    two = Worker(move(s2.pk, room_a.pk, actor2))
    first["thread"] = one
    one.start()
    try:
        assert paused.wait(timeout=10)  # officer 1 holds rooms A and B and their sessions
        two.start()
        wait_until_blocked(1)  # officer 2 waits for the rooms
    finally:
        go.set()
        finish(one, two)
    errors = [repr(e) for e in (one.error, two.error) if e is not None]
    assert not errors, errors
    assert TrainingSession.objects.get(pk=s1.pk).room_id == room_b.pk
    assert TrainingSession.objects.get(pk=s2.pk).room_id == room_a.pk
    connection.close()


@pytest.mark.django_db
def test_fewer_seats_that_renumber_a_seat_still_move_the_waitlist_and_set_full():
    """A lab session of 5 seats, 3 reserved for leaders: two staff hold seats 1 and 2, a leader
    holds seat 5 (two leaders cancelled), a third member of staff waits (the reserved seats
    hold the others back). The officer sets 4 seats and no reservation: one seat is free for
    anyone, so the waiting person is promoted, as when the same change renumbers nobody
    (`session_save`: a change of seats runs the promotion). Actual: the leader's seat 5 is
    renumbered and the promotion is skipped: the person still waits with a seat free."""
    from trainees.models import Position

    session = SessionFactory(room=RoomFactory(capacity=10, kind=Room.Kind.COMPUTER_ROOM), capacity=5)
    TrainingSession.objects.filter(pk=session.pk).update(reserved_leadership_seats=3)
    n1 = services.booking_create(user=staff(), session_id=session.pk)
    n2 = services.booking_create(user=staff(), session_id=session.pk)
    waiting = services.booking_create(user=staff(), session_id=session.pk)
    leaders = [
        services.booking_create(user=staff(position=Position.LEGAL_REPRESENTATIVE), session_id=session.pk)
        for _ in range(3)
    ]
    assert waiting.status == Booking.Status.WAITLISTED
    assert [b.seat_number for b in (n1, n2, *leaders)] == [1, 2, 3, 4, 5]
    for b in leaders[:2]:
        services.booking_cancel(actor=officer(), booking_id=b.pk)
    assert Booking.objects.get(pk=waiting.pk).status == Booking.Status.WAITLISTED

    session = TrainingSession.objects.get(pk=session.pk)
    session.capacity, session.reserved_leadership_seats = 4, 0
    services.session_save(session=session, actor=officer())

    assert Booking.objects.get(pk=leaders[2].pk).seat_number == 3
    waiting.refresh_from_db()
    assert waiting.status == Booking.Status.CONFIRMED, "a seat is free for anyone, the first waiter still waits"
    assert waiting.seat_number == 4
    assert TrainingSession.objects.get(pk=session.pk).status == TrainingSession.Status.FULL


@pytest.mark.django_db
def test_fewer_seats_that_renumber_a_seat_set_the_session_full():
    """A lab session of 5 seats: seats 1, 2 and 4 held (seat 3's holder cancelled). The officer
    lowers it to 3 seats: seat 4 becomes 3 and the session is full (3 of 3), as any change of
    seats leaves it (open <-> full follows the seats)."""
    session = SessionFactory(room=RoomFactory(capacity=10, kind=Room.Kind.COMPUTER_ROOM), capacity=5)
    bookings = [services.booking_create(user=staff(), session_id=session.pk) for _ in range(4)]
    services.booking_cancel(actor=officer(), booking_id=bookings[2].pk)
    session = TrainingSession.objects.get(pk=session.pk)
    session.capacity = 3
    services.session_save(session=session, actor=officer())
    assert Booking.objects.get(pk=bookings[3].pk).seat_number == 3
    assert TrainingSession.objects.get(pk=session.pk).status == TrainingSession.Status.FULL


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("paused", ["room moved", "session planned"])
def test_a_room_and_a_session_planned_in_it_never_end_at_different_bases(site, monkeypatch, paused):
    """Officer 1 moves an empty room of Suzhou to Shenzhen while officer 2 plans a session in
    that room at Suzhou. Each form is valid when checked (`Room.clean`: no session yet;
    `TrainingSession.clean`: the room is at Suzhou); one officer is held between that check and
    the save's lock on the room, the other saves meanwhile. Whoever comes second must be
    refused (a session's base is its room's, as the forms say when nothing races), so the
    session never ends at another base than its room. `room_save` and `session_save` re-check
    seats under the room's lock, not the base."""
    from django.core.exceptions import ValidationError

    from .factories import base

    room = RoomFactory(capacity=40)
    suzhou, shenzhen = base("suzhou"), base("shenzhen")
    held, go = threading.Event(), threading.Event()
    real = services._lock_rooms_and_their_sessions
    first = {}

    def holding(room_ids):
        if threading.current_thread() is first.get("thread"):
            held.set()
            go.wait(timeout=30)
        return real(room_ids)

    monkeypatch.setattr(services, "_lock_rooms_and_their_sessions", holding)

    def move_room():
        moved = Room.objects.get(pk=room.pk)
        moved.base = shenzhen
        return services.room_save(room=moved, actor=officer())

    def plan_session():
        return services.session_save(session=SessionFactory.build(room=room, base=suzhou), actor=officer())

    mover, planner = Worker(move_room), Worker(plan_session)
    one, two = (mover, planner) if paused == "room moved" else (planner, mover)
    first["thread"] = one
    one.start()
    try:
        assert held.wait(timeout=10)  # its form was valid; it waits before locking the room
        two.start()
        two.join(timeout=30)
    finally:
        go.set()
        finish(one, two)
    assert two.error is None, repr(two.error)
    room.refresh_from_db()
    sessions = list(TrainingSession.objects.filter(room=room).values_list("base_id", flat=True))
    assert set(sessions) <= {room.base_id}, (
        f"room at base {room.base_id}, its sessions at {sessions} (the held officer: {one.error!r})"
    )
    assert isinstance(one.error, ValidationError), "the officer who came second was not refused"
    connection.close()
