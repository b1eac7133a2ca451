"""Seat numbers after a session changes room or seats, and a room's seats under its sessions."""

import datetime as dt

import pytest

from training_bases import rules
from training_bases.rules import RoomSession, SeatHolder

T0 = dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC)


def holder(booking_id, seat=None, priority=rules.UNLISTED_PRIORITY, minutes=None):
    """Booked `minutes` after T0 (default: in id order)."""
    return SeatHolder(booking_id, seat, priority, T0 + dt.timedelta(minutes=booking_id if minutes is None else minutes))


@pytest.mark.parametrize(
    ("holders", "seats", "expected"),
    [
        ([], 5, {}),
        # from a classroom: numbers in waitlist order (priority, then booking time)
        ([holder(1), holder(2), holder(3)], 5, {1: 1, 2: 2, 3: 3}),
        ([holder(1), holder(2, priority=4), holder(3, priority=2)], 5, {3: 1, 2: 2, 1: 3}),
        ([holder(1, minutes=30), holder(2, minutes=10)], 5, {2: 1, 1: 2}),
        # to a bigger room: everyone keeps their seat, gaps included
        ([holder(1, 3), holder(2, 7)], 10, {1: 3, 2: 7}),
        # to a smaller room: seats 3 and 4 of a 2-seat room become 1 and 2
        ([holder(1, 3), holder(2, 4)], 2, {1: 1, 2: 2}),
        # a number the room still has is kept; the others take the lowest free, in order
        ([holder(1, 5), holder(2, 2)], 3, {2: 2, 1: 1}),
        ([holder(1, 9), holder(2, 1), holder(3, 8, priority=1)], 3, {3: 2, 2: 1, 1: 3}),
        # the last seat exactly
        ([holder(1, 3), holder(2, 1), holder(3, 2)], 3, {1: 3, 2: 1, 3: 2}),
        # mixed: someone without a number (promoted while the room had none)
        ([holder(1, 2), holder(2)], 2, {1: 2, 2: 1}),
        # a number held twice (never in the database): the first in order keeps it
        ([holder(1, 1), holder(2, 1)], 2, {1: 1, 2: 2}),
    ],
)
def test_seats_renumbered_in_a_computer_room(holders, seats, expected):
    result = rules.seats_renumbered(holders, seats=seats, numbered=True)
    assert result == expected
    numbers = list(result.values())
    assert len(set(numbers)) == len(numbers) and all(1 <= n <= seats for n in numbers)


def test_a_room_without_numbered_seats_gives_nobody_a_number():
    assert rules.seats_renumbered([holder(1, 3), holder(2)], seats=1, numbered=False) == {1: None, 2: None}


def test_more_people_than_seats_is_refused_not_half_numbered():
    with pytest.raises(ValueError, match="3 confirmed bookings"):
        rules.seats_renumbered([holder(1), holder(2), holder(3)], seats=2, numbered=True)


def session(title, day, capacity):
    return RoomSession(title=title, starts_at=T0 + dt.timedelta(days=day), capacity=capacity)


@pytest.mark.parametrize(
    ("capacity", "sessions", "named", "needed"),
    [
        (10, [], [], None),
        (None, [session("A", 0, 50)], [], None),
        (6, [session("A", 0, 6)], [], None),  # exactly the session's seats
        (5, [session("A", 0, 6)], ["A"], 6),
        (5, [session("B", 2, 9), session("A", 1, 6), session("C", 0, 3)], ["A", "B"], 9),  # earliest first
    ],
)
def test_room_capacity_problems(capacity, sessions, named, needed):
    problems = rules.room_capacity_problems(capacity=capacity, sessions=sessions)
    if not named:
        assert problems == []
        return
    ((field, code, params),) = problems
    assert (field, code) == ("capacity", "room_capacity_below_sessions")
    assert [s.title for s in params["sessions"]] == named
    assert params["needed"] == needed and params["capacity"] == capacity
