"""Bookings and cancellations of leaders and others at once on one session with reserved
seats (and a computer room), with real threads; then the seat invariants."""

import random

import pytest
from django.core.exceptions import ValidationError

from trainees.models import Position
from training_bases import rules, services
from training_bases.models import Booking, Room

from .factories import RoomFactory, SessionFactory, staff
from .threads import at_once, finish

WORKERS = 24


def _run(jobs) -> list[Exception]:
    """Run the jobs at once; the errors other than refusals (ValidationError)."""
    workers = at_once(jobs)
    finish(*workers, timeout=120)
    return [w.error for w in workers if w.error is not None and not isinstance(w.error, ValidationError)]


def _check(session):
    rows = list(
        Booking.objects.filter(session=session).values_list("pk", "status", "position", "priority", "seat_number")
    )
    confirmed = [r for r in rows if r[1] == "confirmed"]
    waiting = [r for r in rows if r[1] == "waitlisted"]
    leaders = sum(1 for r in confirmed if r[2] in rules.LEADERSHIP_POSITIONS)
    others = len(confirmed) - leaders
    assert len(confirmed) <= session.capacity
    assert others + max(leaders, session.reserved_leadership_seats) <= session.capacity, rows
    state = rules.SeatState(session.capacity, session.reserved_leadership_seats, len(confirmed), leaders)
    for r in waiting:  # nobody waits for a seat they could take
        assert rules.free_seats_for(state, leadership=r[2] in rules.LEADERSHIP_POSITIONS) == 0, (r, state, rows)
    seats = [r[4] for r in confirmed]
    if session.room.has_numbered_seats:
        assert None not in seats and len(set(seats)) == len(seats) and all(1 <= s <= session.capacity for s in seats)
    return rows


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", [Room.Kind.CLASSROOM, Room.Kind.COMPUTER_ROOM])
def test_mixed_bookings_and_cancellations_keep_the_seat_invariants(site, kind):
    rnd = random.Random(7)
    room = RoomFactory(capacity=8, kind=kind)
    session = SessionFactory(room=room, capacity=6, reserved_leadership_seats=2)
    positions = [Position.LEGAL_REPRESENTATIVE, Position.SENIOR_MANAGEMENT] + [Position.CUSTOMS_AFFAIRS] * 4
    people = [staff(position=rnd.choice(positions)) for _ in range(WORKERS)]
    priorities = list(range(1, WORKERS + 1))
    rnd.shuffle(priorities)
    errors = _run(
        [
            (lambda u=u, p=p: services.booking_create(user=u, session_id=session.pk, priority=p))
            for u, p in zip(people, priorities, strict=True)
        ]
    )
    assert not errors, errors
    _check(session)

    # round two: half the bookings cancel (confirmed and waiting), new people book, at once
    existing = list(Booking.objects.filter(session=session).select_related("user"))
    leaving = rnd.sample(existing, len(existing) // 2)
    newcomers = [staff(position=rnd.choice(positions)) for _ in range(10)]
    jobs = [(lambda b=b: services.booking_cancel(actor=b.user, booking_id=b.pk)) for b in leaving]
    jobs += [
        (lambda u=u, p=p: services.booking_create(user=u, session_id=session.pk, priority=p))
        for u, p in zip(newcomers, rnd.sample(range(1, 100), 10), strict=True)
    ]
    rnd.shuffle(jobs)
    errors = _run(jobs)
    assert not errors, errors
    _check(session)
    assert Booking.objects.filter(pk__in=[b.pk for b in leaving], status="cancelled").count() == len(leaving)
