"""Pure rules of notices: final-state selection (digests, late sends), reminders per start, days."""

import datetime as dt

import pytest

from notices import rules
from notices.rules import PendingNotice, TargetState

SH = rules.SHANGHAI
START = dt.datetime(2027, 3, 1, 9, 0, tzinfo=SH)
MOVED = START + dt.timedelta(days=10)
A, B = (7, 1), (7, 2)


def n(id_, kind, target=A, event_start=None):
    return PendingNotice(id=id_, target=target, kind=kind, event_start=event_start)


@pytest.mark.parametrize(
    ("notice", "state", "true"),
    [
        (n(1, "confirmation"), "confirmed", True),
        (n(1, "confirmation"), "cancelled", False),  # cancelled before the e-mail went out
        (n(1, "reminder", event_start=START), "cancelled", False),  # no reminder for a cancelled seat
        (n(1, "reminder", event_start=START), "confirmed", True),
        (n(1, "promotion"), "waitlisted", False),
        (n(1, "waitlist"), "confirmed", False),  # promoted since: the waitlist notice is stale
        (n(1, "cancellation"), "cancelled", True),
        (n(1, "cancellation"), "confirmed", False),
        (n(1, "change"), "confirmed", True),
    ],
)
def test_a_notice_is_sent_only_while_it_is_true(notice, state, true):
    assert rules.still_true(notice, TargetState(state=state, starts_at=START)) is true


@pytest.mark.parametrize(
    ("notice", "state", "true"),
    [
        (n(1, "confirmation"), "confirmed", False),
        (n(1, "promotion"), "confirmed", False),  # no invitation to a past event
        (n(1, "waitlist"), "waitlisted", False),
        (n(1, "reminder", event_start=START), "confirmed", False),
        (n(1, "change"), "confirmed", False),
        (n(1, "cancellation"), "cancelled", True),  # still removes the event from calendars
    ],
)
def test_once_the_event_is_over_only_a_cancellation_is_sent(notice, state, true):
    assert rules.still_true(notice, TargetState(state=state, starts_at=START, over=True)) is true


@pytest.mark.parametrize(
    ("notice", "state", "true"),
    [
        (n(1, "waitlist"), "waitlisted", False),  # the waitlist no longer moves
        (n(1, "promotion"), "confirmed", True),  # promoted before the start: days remain
        (n(1, "change"), "confirmed", True),
        (n(1, "cancellation"), "cancelled", True),
    ],
)
def test_once_the_event_has_begun_no_waitlist_notice_is_sent(notice, state, true):
    assert rules.still_true(notice, TargetState(state=state, starts_at=START, started=True)) is true


def test_a_reminder_belongs_to_the_start_it_was_made_for():
    reminder = n(1, "reminder", event_start=START)
    assert not rules.still_true(reminder, TargetState(state="confirmed", starts_at=MOVED))
    assert not rules.still_true(reminder, None)  # the target was deleted


def test_a_reminder_without_a_recorded_start_is_sent_while_the_seat_is_confirmed():
    assert rules.still_true(n(1, "reminder"), TargetState(state="confirmed", starts_at=MOVED))


def test_only_a_reminder_is_tied_to_the_start_it_was_made_for():
    moved = TargetState(state="confirmed", starts_at=MOVED)
    assert rules.still_true(n(1, "confirmation", event_start=START), moved)
    assert rules.still_true(n(1, "change", event_start=START), moved)


def test_a_target_in_a_state_no_notice_speaks_for_gets_nothing():
    for kind in ("confirmation", "change", "reminder", "waitlist", "cancellation"):
        assert not rules.still_true(n(1, kind), TargetState(state="archived", starts_at=START))


@pytest.mark.parametrize(
    ("notices", "states", "kept"),
    [
        # Booked, reminder queued, then cancelled: only the cancellation (issue 8 point 9).
        (
            [n(1, "confirmation"), n(2, "reminder", event_start=START), n(3, "cancellation")],
            {A: "cancelled"},
            [3],
        ),
        # Confirmed then moved twice: the confirmation already shows the new time.
        ([n(1, "confirmation"), n(2, "change"), n(3, "change")], {A: "confirmed"}, [1]),
        # Two changes only: the latest.
        ([n(1, "change"), n(2, "change")], {A: "confirmed"}, [2]),
        # Waitlisted then promoted: the promotion.
        ([n(1, "waitlist"), n(2, "promotion")], {A: "confirmed"}, [2]),
        # Two seats, each confirmed: one confirmation each.
        ([n(1, "confirmation", A), n(2, "confirmation", B)], {A: "confirmed", B: "confirmed"}, [1, 2]),
        # A confirmation on one seat does not swallow the change of another.
        ([n(1, "confirmation", A), n(2, "change", B)], {A: "confirmed", B: "confirmed"}, [1, 2]),
        # Two targets are reduced separately.
        (
            [n(1, "confirmation", A), n(2, "waitlist", B), n(3, "cancellation", A)],
            {A: "cancelled", B: "waitlisted"},
            [2, 3],
        ),
    ],
)
def test_digest_selection_reflects_the_final_state(notices, states, kept):
    states = {key: TargetState(state=value, starts_at=START) for key, value in states.items()}
    assert rules.digest_selection(notices, states) == kept


def local(day, hour, minute=0):
    return dt.datetime(2027, 3, day, hour, minute, tzinfo=SH)


@pytest.mark.parametrize(
    ("starts", "ends", "days"),
    [
        (local(1, 9), local(1, 17), [(local(1, 9), local(1, 17))]),
        # The 32-hour example: 09:00 on day one to 17:00 on day two is two days of 09:00-17:00.
        (local(1, 9), local(2, 17), [(local(1, 9), local(1, 17)), (local(2, 9), local(2, 17))]),
        (local(1, 8, 30), local(3, 12), [(local(d, 8, 30), local(d, 12)) for d in (1, 2, 3)]),
        # A daily end not after the daily start (through the night) stays one span.
        (local(1, 20), local(2, 6), [(local(1, 20), local(2, 6))]),
        # Round the clock, ending at the hour it began: one span, not days of no length.
        (local(1, 9), local(3, 9), [(local(1, 9), local(3, 9))]),
        # Ending at midnight: the daily end is not after the daily start.
        (local(1, 9), local(3, 0), [(local(1, 9), local(3, 0))]),
        # Ending just before midnight of the first day: one day.
        (local(1, 9), local(1, 23, 59), [(local(1, 9), local(1, 23, 59))]),
    ],
)
def test_daily_schedule(starts, ends, days):
    assert rules.daily_schedule(starts.astimezone(dt.UTC), ends.astimezone(dt.UTC)) == days


def test_daily_schedule_splits_by_the_days_of_the_given_time_zone():
    starts = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
    ends = dt.datetime(2027, 3, 2, 17, 0, tzinfo=dt.UTC)
    assert rules.daily_schedule(starts, ends, tz=dt.UTC) == [
        (starts, starts.replace(hour=17)),
        (ends.replace(hour=9), ends),
    ]


@pytest.mark.parametrize(
    ("value", "ok"),
    [("https://lms.example.cn", True), ("http://127.0.0.1:8000/", True), ("lms.example.cn", False), ("", False)],
)
def test_the_public_address_must_be_absolute(settings, value, ok):
    from notices.checks import check_public_address

    settings.WAGTAILADMIN_BASE_URL = value
    assert (check_public_address() == []) is ok
