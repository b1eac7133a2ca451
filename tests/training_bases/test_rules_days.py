"""Rules of seats, days and hours that the views and the appraisal build on: fewer seats than
confirmed bookings, until when the waitlist moves, training hours per day and per session,
registers only for days that have come, and the calendar's range of years."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from training_bases import rules

SH = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2027, 3, day, hour, minute, tzinfo=SH)


@pytest.mark.parametrize(
    ("capacity", "confirmed", "problems"),
    [
        (None, 5, []),
        (5, 5, []),
        (6, 5, []),
        (4, 5, [("capacity", "capacity_below_confirmed", {"capacity": 4, "confirmed": 5})]),
        (0, 1, [("capacity", "capacity_below_confirmed", {"capacity": 0, "confirmed": 1})]),
    ],
)
def test_seats_never_below_the_confirmed_bookings(capacity, confirmed, problems):
    assert rules.seat_problems(capacity=capacity, confirmed_total=confirmed) == problems


@pytest.mark.parametrize(
    ("now", "moves"),
    [(at(1, 8, 59), True), (at(1, 9), False), (at(1, 9, 1), False)],
)
def test_the_waitlist_moves_only_before_the_start(now, moves):
    assert rules.waitlist_moves(now=now, until=at(1, 9)) is moves


def test_a_first_day_no_show_releases_the_seat_until_the_second_day_begins():
    starts = at(1, 9, 30)
    assert rules.no_show_deadline([dt.date(2027, 3, 1)], starts) == starts
    two_days = [dt.date(2027, 3, 1), dt.date(2027, 3, 2)]
    assert rules.no_show_deadline(two_days, starts) == at(2, 9, 30)
    three_days = [*two_days, dt.date(2027, 3, 3)]
    assert rules.no_show_deadline(three_days, starts) == at(2, 9, 30)


@pytest.mark.parametrize(
    ("starts", "ends", "daily", "total"),
    [
        (at(1, 9), at(1, 12, 30), 3.5, 3.5),  # one day: its whole span
        (at(1, 9), at(1, 9, 20), 0.33, 0.33),  # rounded to two decimals
        (at(1, 9), at(3, 17), 8.0, 24.0),  # 09:00-17:00 on each of three days
        (at(1, 9), at(2, 12), 3.0, 6.0),  # the last day's end time on every day
        (at(1, 20), at(2, 4), 4.0, 8.0),  # overnight: the span spread over its two days
        (at(1, 20), at(3, 8), 12.0, 36.0),  # 36 hours over three days
        (at(1, 9), at(2, 9), 12.0, 24.0),  # ends at the clock time it starts: 24 hours over two days
        # spans in seconds where a hundredth of an hour shows (12,345 s = 3.43 h)
        (at(1, 9), at(1, 9) + dt.timedelta(seconds=12_345), 3.43, 3.43),
        (at(1, 9), at(1, 9) + dt.timedelta(seconds=36_028), 10.01, 10.01),
        (at(1, 9), at(3, 19) + dt.timedelta(seconds=28), 10.01, 30.02),  # 3 × 36,028 s, rounded once
        (at(1, 20), at(1, 20) + dt.timedelta(seconds=108_084), 10.01, 30.02),  # overnight, to 02:01:24
        # a third of an hour a day is not rounded up three times: 38 hours, not 38.01
        (at(1, 20), at(3, 10), 12.67, 38.0),  # overnight, 20:00 day 1 to 10:00 day 3
        (at(1, 9), at(3, 21, 40), 12.67, 38.0),  # 09:00-21:40 on each of three days
    ],
)
def test_training_hours_per_day_and_per_session(starts, ends, daily, total):
    assert rules.daily_hours(starts, ends) == daily
    assert rules.session_hours(starts, ends) == total


def test_a_session_with_fewer_seats_than_its_confirmed_bookings_is_refused():
    draft = rules.SessionDraft(
        starts_at=at(1, 9),
        ends_at=at(1, 17),
        capacity=4,
        reserved_leadership_seats=0,
        room_capacity=20,
        confirmed_total=5,
    )
    assert rules.session_problems(draft) == [("capacity", "capacity_below_confirmed", {"capacity": 4, "confirmed": 5})]


def utc(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2027, 3, day, hour, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("starts", "ends", "beijing", "in_utc"),
    [
        # 22:00 to 04:00 in Beijing: two days of 3 hours there, one day of 6 in UTC.
        (utc(1, 14), utc(1, 20), (3.0, 6.0), (6.0, 6.0)),
        # 04:00 to 10:00 on one day in Beijing; 20:00 to 02:00 overnight in UTC.
        (utc(1, 20), utc(2, 2), (6.0, 6.0), (3.0, 6.0)),
        # 04:00 to 07:00 the next day in Beijing; 20:00 to 23:00 the next day in UTC.
        (utc(1, 20), utc(2, 23), (3.0, 6.0), (3.0, 6.0)),
    ],
)
def test_hours_are_counted_in_the_bases_time_zone(starts, ends, beijing, in_utc):
    assert (rules.daily_hours(starts, ends), rules.session_hours(starts, ends)) == beijing
    assert (rules.daily_hours(starts, ends, dt.UTC), rules.session_hours(starts, ends, dt.UTC)) == in_utc


@pytest.mark.parametrize(("day", "has_come"), [(14, True), (15, True), (16, False)])
def test_attendance_only_for_days_that_have_come(day, has_come):
    assert rules.attendance_day_has_come(day=dt.date(2027, 3, day), today=dt.date(2027, 3, 15)) is has_come


@pytest.mark.parametrize(
    ("previous", "new", "cultivation", "other", "undoes"),
    [
        ("present", "absent", "in_training", False, True),
        ("late", "absent", "in_training", False, True),
        ("present", "excused", "in_training", False, True),
        ("present", "late", "in_training", False, False),  # still attended
        ("absent", "absent", "in_training", False, False),
        (None, "absent", "in_training", False, False),  # first record of the day
        ("present", "absent", "listed", False, False),
        ("present", "absent", "completed", False, False),
        ("present", "absent", "in_training", True, False),  # another attended day justifies it
    ],
)
def test_correcting_present_to_absent_undoes_the_start_of_training(previous, new, cultivation, other, undoes):
    assert (
        rules.undoes_start_training(
            previous_status=previous, new_status=new, cultivation_status=cultivation, other_attendance=other
        )
        is undoes
    )


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        (dt.date(1999, 12, 31), False),
        (dt.date(2000, 1, 1), True),
        (dt.date(2027, 3, 1), True),
        (dt.date(2099, 12, 31), True),
        (dt.date(2100, 1, 1), False),
    ],
)
def test_the_calendar_answers_for_the_years_2000_to_2099(day, shown):
    assert rules.calendar_day_in_range(day) is shown
