"""Edges of the scheduling, seat and allocation rules: exact boundaries, a skipped item followed
by others, counters that add up across several steps, ties between equal priorities."""

import datetime as dt

import pytest

from training_bases import rules
from training_bases.rules import Candidate, Decision, SeatState, SessionSlot

from .test_rules import cand, h, request, slot, w


def no_account(key, priority):
    return Candidate(str(key), None, f"P{key}", 1, "customs_affairs", priority, ("suzhou",))


def sess(session_id, base="suzhou", capacity=2, day=0, reserved=0, waiting=(), total=0, leaders=0):
    return SessionSlot(session_id, base, h(24 * day), capacity, reserved, total, leaders, tuple(waiting))


# --- Session validation boundaries -----------------------------------------------------------


def draft(**overrides):
    values = {"starts_at": h(0), "ends_at": h(8), "capacity": 5, "reserved_leadership_seats": 0, "room_capacity": 20}
    values.update(overrides)
    return rules.SessionDraft(**values)


@pytest.mark.parametrize(
    ("overrides", "problems"),
    [
        ({}, []),
        ({"reserved_leadership_seats": 5}, []),  # every seat reserved is allowed
        ({"reserved_leadership_seats": 6}, [("reserved_leadership_seats", "reserved_above_capacity", {"capacity": 5})]),
        ({"capacity": 21}, [("capacity", "capacity_above_room", {"capacity": 21, "room_capacity": 20})]),
        ({"ends_at": h(-1)}, [("ends_at", "end_before_start", {})]),
        # the window closes the instant it opens: it is never open
        ({"booking_opens_at": h(-10), "booking_closes_at": h(-10)}, [("booking_closes_at", "window_reversed", {})]),
        ({"booking_opens_at": h(-10), "booking_closes_at": h(-9)}, []),
        ({"cancellation_cutoff": h(0)}, []),  # cut-off exactly at the start is allowed
        ({"cancellation_cutoff": h(0) + dt.timedelta(seconds=1)}, [("cancellation_cutoff", "cutoff_after_start", {})]),
        ({"capacity": None, "room_capacity": None, "reserved_leadership_seats": 3}, []),
        ({"starts_at": None, "cancellation_cutoff": h(5)}, []),
        (
            {"capacity": 30, "reserved_leadership_seats": 31, "ends_at": h(0)},
            [
                ("ends_at", "end_before_start", {}),
                ("capacity", "capacity_above_room", {"capacity": 30, "room_capacity": 20}),
                ("reserved_leadership_seats", "reserved_above_capacity", {"capacity": 30}),
            ],
        ),
    ],
)
def test_session_problems_at_the_boundaries(overrides, problems):
    assert rules.session_problems(draft(**overrides)) == problems


def test_schedule_conflicts_look_past_the_session_itself_and_past_sessions_at_other_times():
    new = slot(3, 1, {7}, 0, 8)
    existing = [
        slot(3, 1, {7}, 0, 8),  # the session being edited
        slot(4, 1, {7}, 8, 9),  # right after: no clash
        slot(5, 1, set(), 2, 3),
        slot(6, 2, {7}, 7, 10),
    ]
    found = [(c.kind, c.session_id, c.trainer_id) for c in rules.schedule_conflicts(new, existing)]
    assert found == [("room", 5, None), ("trainer", 6, 7)]


def test_a_new_session_without_id_clashes_with_a_saved_one():
    found = rules.schedule_conflicts(slot(None, 1, set(), 0, 1), [slot(None, 1, set(), 0, 1)])
    assert [(c.kind, c.session_id) for c in found] == [("room", None)]


# --- Booking and cancellation boundaries ----------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "refusal"),
    [
        ({"now": h(-100)}, None),  # the exact opening instant
        ({"now": h(-100) - dt.timedelta(seconds=1)}, "window_not_open"),
        ({"now": h(-24) - dt.timedelta(seconds=1)}, None),
        ({"booking_opens_at": None, "now": h(-1000)}, None),
        ({"booking_closes_at": None, "now": h(0) - dt.timedelta(seconds=1)}, None),
        ({"booking_closes_at": h(5), "now": h(0)}, "window_closed"),  # started: closed whatever the window says
        # the first refusal that applies is the one a person reads
        ({"is_enterprise_staff": False, "cultivation_blocked": True}, "not_enterprise_staff"),
        ({"cultivation_blocked": True, "session_status": "draft"}, "cultivation_blocked"),
        ({"session_status": "draft", "now": h(-200)}, "session_not_open"),
        ({"now": h(-200), "has_active_booking_of_type": True}, "window_not_open"),
        ({"now": h(-1), "has_active_booking_of_type": True}, "window_closed"),
    ],
)
def test_booking_refusal_at_the_boundaries(overrides, refusal):
    assert rules.booking_refusal(request(**overrides)) == refusal


@pytest.mark.parametrize(
    ("now", "status", "cutoff", "refusal"),
    [
        (h(0) - dt.timedelta(seconds=1), "confirmed", h(0), None),
        (h(0), "confirmed", h(0), "after_cutoff"),  # cut-off exactly at the start
        (h(5), "waitlisted", None, None),
        (h(-100), "released", None, "not_active"),
    ],
)
def test_cancellation_cutoff_at_the_start(now, status, cutoff, refusal):
    assert rules.cancellation_refusal(now=now, status=status, cutoff=cutoff, starts_at=h(0)) == refusal


# --- Seats and promotions --------------------------------------------------------------------


def test_equal_priorities_wait_in_booking_order_then_by_id():
    entries = [w(3, 5, minute=1), w(2, 5, minute=1), w(1, 5, minute=2)]
    assert [e.booking_id for e in rules.waitlist_order(entries)] == [2, 3, 1]


def test_promotions_count_every_leader_promoted():
    # Two reserved seats, four free: both leaders take the reserved seats, then the staff fill the rest.
    waitlist = [
        w(1, 1, position="legal_representative"),
        w(2, 2, position="senior_management"),
        w(3, 3),
        w(4, 4),
        w(5, 5),
    ]
    assert rules.promotions(waitlist, SeatState(10, 2, 6, 0)) == [1, 2, 3, 4]


def test_promotions_keep_leaders_already_confirmed():
    # One leader already confirmed holds one of the two reserved seats; one seat is still held back.
    assert rules.promotions([w(1, 1), w(2, 2), w(3, 3)], SeatState(10, 2, 7, 1)) == [1, 2]


def test_promotions_stop_when_the_session_is_full():
    leader = w(9, 9, position="legal_representative")
    assert rules.promotions([w(1, 1), w(2, 2), leader], SeatState(3, 0, 1, 0)) == [1, 2]


@pytest.mark.parametrize(
    ("taken", "capacity", "seat"),
    [
        ([], 3, 1),
        ([1, 2], 3, 3),
        ([1, 3], 3, 2),
        ([1, 2, 3], 3, None),  # never seat capacity + 1
        ([2, 3, 4], 3, 1),
        ([], 0, None),
    ],
)
def test_first_free_seat(taken, capacity, seat):
    assert rules.first_free_seat(taken, capacity) == seat


# --- Allocation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("skipped", "reason"),
    [
        (no_account(1, 1), "no_account"),
        (cand(1, 1, booked=True), "already_booked"),
    ],
)
def test_a_skipped_trainee_does_not_end_the_allocation(skipped, reason):
    plan = rules.allocate([skipped, cand(2, 2), cand(3, 3)], [sess(10, capacity=5)])
    assert [(d.candidate_key, d.outcome, d.reason) for d in plan.decisions] == [
        ("1", "skipped", reason),
        ("2", "placed", "placed_first_choice"),
        ("3", "placed", "placed_first_choice"),
    ]
    assert plan.counts == {"placed": 2, "waitlisted": 0, "skipped": 1, "blocked": 0, "sessions": 1}


def test_without_sessions_every_trainee_is_skipped():
    plan = rules.allocate([cand(1, 1), cand(2, 2), cand(3, 3)], [])
    assert [(d.candidate_key, d.reason) for d in plan.decisions] == [
        ("1", "no_sessions"),
        ("2", "no_sessions"),
        ("3", "no_sessions"),
    ]
    assert plan.counts == {"placed": 0, "waitlisted": 0, "skipped": 3, "blocked": 0, "sessions": 0}


def test_a_decision_carries_who_where_and_why():
    plan = rules.allocate(
        [cand(1, 4, ("shenzhen", "suzhou")), cand(2, 5, ("shenzhen",)), cand(3, 6, ())],
        [sess(10, "suzhou", capacity=2), sess(20, "shenzhen", capacity=0, waiting=(1,))],
    )
    assert plan.decisions == (
        Decision("1", 1, "P1", 4, "placed", "placed_lower_choice", 10, "suzhou", 2, None),
        Decision("2", 2, "P2", 5, "waitlisted", "preferred_bases_full", 20, "shenzhen", None, 2),
        Decision("3", 3, "P3", 6, "placed", "placed_no_preference", 10, "suzhou", None, None),
    )
    assert plan.by_outcome("waitlisted") == [plan.decisions[1]]


def test_leaders_placed_fill_the_reserved_seats_one_after_another():
    # Two reserved seats, one already taken by a confirmed leader; two more leaders then staff.
    plan = rules.allocate(
        [
            cand(1, 1, position="legal_representative"),
            cand(2, 2, position="senior_management"),
            cand(3, 3),
            cand(4, 4),
        ],
        [sess(10, capacity=6, reserved=3, total=1, leaders=1)],
    )
    assert [(d.candidate_key, d.outcome) for d in plan.decisions] == [
        ("1", "placed"),
        ("2", "placed"),
        ("3", "placed"),
        ("4", "placed"),
    ]


def test_the_confirmed_leaders_of_a_session_count():
    # Capacity 4, two reserved seats both held by confirmed leaders: staff take the two others.
    plan = rules.allocate(
        [cand(1, 1), cand(2, 2), cand(3, 3)],
        [sess(10, capacity=4, reserved=2, total=2, leaders=2)],
    )
    assert [(d.candidate_key, d.outcome) for d in plan.decisions] == [
        ("1", "placed"),
        ("2", "placed"),
        ("3", "waitlisted"),
    ]


def test_equal_priorities_queue_behind_those_already_waiting():
    plan = rules.allocate(
        [cand(1, 3), cand(2, 3, enterprise=2), cand(3, 1), cand(4, 9)],
        [sess(10, capacity=0, waiting=(3, 3, 5))],
    )
    assert [(d.candidate_key, d.waitlist_position) for d in plan.decisions] == [
        ("3", 1),
        ("1", 4),  # behind the priority 1 just queued and both existing 3s
        ("2", 5),  # same priority, later enterprise: behind the one before
        ("4", 7),
    ]


def test_sessions_starting_together_go_by_id_and_ties_by_enterprise_then_key():
    plan = rules.allocate(
        [cand(2, 1, enterprise=2), cand(1, 1, enterprise=2), cand(9, 1, enterprise=1)],
        [sess(12, capacity=1), sess(11, capacity=1), sess(13, capacity=1)],
    )
    assert [(d.candidate_key, d.session_id) for d in plan.decisions] == [("9", 11), ("1", 12), ("2", 13)]


def test_a_preference_named_twice_counts_once():
    plan = rules.allocate([cand(1, 1, ("suzhou", "suzhou", "shenzhen"))], [sess(10, capacity=0), sess(20, "shenzhen")])
    (decision,) = plan.decisions
    assert (decision.session_id, decision.preference_rank, decision.reason) == (20, 2, "placed_lower_choice")


def test_sessions_fill_one_after_another_within_a_base():
    plan = rules.allocate(
        [cand(i, i) for i in range(1, 7)],
        [sess(10, capacity=1, day=1), sess(11, capacity=2, day=2), sess(12, capacity=1, day=3)],
    )
    assert [d.session_id for d in plan.decisions] == [10, 11, 11, 12, 10, 10]
    assert [d.outcome for d in plan.decisions][-2:] == ["waitlisted", "waitlisted"]
    assert [d.waitlist_position for d in plan.decisions][-2:] == [1, 2]


# --- Days and calendar -------------------------------------------------------------------------


def test_a_session_ending_at_midnight_covers_one_day():
    start = dt.datetime(2027, 3, 1, 1, 0, tzinfo=dt.UTC)  # 09:00 Shanghai
    end = dt.datetime(2027, 3, 1, 16, 0, tzinfo=dt.UTC)  # 00:00 Shanghai on the 2nd
    assert rules.session_days(start, end) == [dt.date(2027, 3, 1)]
    assert rules.session_days(start, end + dt.timedelta(microseconds=1)) == [dt.date(2027, 3, 1), dt.date(2027, 3, 2)]


def test_the_first_day_no_show_rule_on_a_two_day_session():
    days = [dt.date(2027, 3, 1), dt.date(2027, 3, 2)]
    assert rules.no_show_releases_seat(day=days[0], days=days)
    assert not rules.no_show_releases_seat(day=days[1], days=days)


def test_a_week_is_seven_days_from_monday_to_sunday():
    week = rules.week_days(dt.date(2027, 3, 7))  # a Sunday
    assert week == [dt.date(2027, 3, 1) + dt.timedelta(days=i) for i in range(7)]


def test_month_grid_starts_on_monday_and_covers_the_month():
    grid = rules.month_grid(2027, 3)  # 1 March 2027 is a Monday, 31 March a Wednesday
    assert grid[0][0] == dt.date(2027, 3, 1)
    assert grid[-1][-1] == dt.date(2027, 4, 4)
    assert len(grid) == 5


def test_attendance_tally_counts_each_status():
    days = [dt.date(2027, 3, d) for d in (1, 2, 3, 4)]
    register = {days[0]: "present", days[1]: "late", days[2]: "absent"}
    tally = rules.attendance_tally(days, register)
    assert (tally.days, tally.present, tally.late, tally.absent, tally.unrecorded) == (4, 1, 1, 1, 1)
    assert not tally.completed


def test_leadership_positions():
    assert rules.is_leadership("legal_representative")
    assert rules.is_leadership("senior_management")
    assert not rules.is_leadership("finance")


def test_day_start_keeps_the_clock_time_on_later_days():
    start = dt.datetime(2027, 3, 1, 1, 30, tzinfo=dt.UTC)  # 09:30 Shanghai
    later = rules.day_start(dt.date(2027, 3, 3), start)
    assert later == dt.datetime(2027, 3, 3, 9, 30, tzinfo=rules.SHANGHAI)


def test_days_and_day_starts_in_another_time_zone():
    start = dt.datetime(2027, 3, 1, 20, 0, tzinfo=rules.SHANGHAI)  # 12:00 UTC
    end = dt.datetime(2027, 3, 2, 10, 0, tzinfo=rules.SHANGHAI)  # 02:00 UTC the next day
    assert rules.session_days(start, end) == [dt.date(2027, 3, 1), dt.date(2027, 3, 2)]
    assert rules.session_days(start, end, tz=dt.UTC) == [dt.date(2027, 3, 1), dt.date(2027, 3, 2)]
    assert rules.session_days(start, start + dt.timedelta(hours=5), tz=dt.UTC) == [dt.date(2027, 3, 1)]
    assert rules.session_days(start, start + dt.timedelta(hours=5)) == [dt.date(2027, 3, 1), dt.date(2027, 3, 2)]
    assert rules.day_start(dt.date(2027, 3, 5), start, tz=dt.UTC) == dt.datetime(2027, 3, 5, 12, 0, tzinfo=dt.UTC)


def test_each_waiter_takes_its_place_in_the_queue_for_the_next_one():
    # Waiting already (given unsorted): priorities 5 and 2. Each new waiter must be queued in
    # its place, or the one after it would be counted at the wrong place.
    plan = rules.allocate(
        [cand(1, 3), cand(2, 4), cand(3, 4, enterprise=2), cand(4, 6)],
        [sess(10, capacity=0, waiting=(5, 2))],
    )
    assert [(d.candidate_key, d.waitlist_position) for d in plan.decisions] == [
        ("1", 2),  # behind 2
        ("2", 3),  # behind 2 and 3, before 5
        ("3", 4),  # behind the equal 4 just queued
        ("4", 6),  # behind everyone
    ]
    # The first waiter goes to the head of the queue, the second right behind it.
    plan = rules.allocate([cand(1, 1), cand(2, 1, enterprise=2)], [sess(10, capacity=0, waiting=(2, 2))])
    assert [d.waitlist_position for d in plan.decisions] == [1, 2]


def proposed(key, priority, base, prefs=("suzhou",), position="customs_affairs"):
    return Candidate(str(key), int(key), f"P{key}", 1, position, priority, tuple(prefs), proposed_base=base)


def test_a_person_proposed_at_a_base_is_placed_there_only():
    plan = rules.allocate(
        [
            proposed(1, 1, "shenzhen"),
            proposed(2, 2, "shenzhen", prefs=("shenzhen",)),
            proposed(3, 3, "guangzhou"),
            proposed(4, 4, "suzhou"),
        ],
        [sess(10, "suzhou", capacity=5), sess(20, "shenzhen", capacity=1)],
    )
    assert plan.decisions == (
        # the list's base, not the enterprise's first choice
        Decision("1", 1, "P1", 1, "placed", "placed_proposed_base", 20, "shenzhen", 1, None),
        # the base is full: waitlisted there, although Suzhou has free seats
        Decision("2", 2, "P2", 2, "waitlisted", "proposed_base_full", 20, "shenzhen", None, 1),
        # no session at the proposed base: skipped, naming the base
        Decision("3", 3, "P3", 3, "skipped", "no_sessions_at_proposed_base", None, "guangzhou", None, None),
        # and the run goes on after a skipped person
        Decision("4", 4, "P4", 4, "placed", "placed_proposed_base", 10, "suzhou", 1, None),
    )
    assert plan.counts == {"placed": 2, "waitlisted": 1, "skipped": 1, "blocked": 0, "sessions": 2}


def test_a_proposed_leader_takes_a_reserved_seat_at_the_proposed_base():
    plan = rules.allocate(
        [proposed(1, 1, "suzhou", position="legal_representative"), proposed(2, 2, "suzhou")],
        [sess(10, "suzhou", capacity=1, reserved=1)],
    )
    assert [(d.outcome, d.reason) for d in plan.decisions] == [
        ("placed", "placed_proposed_base"),
        ("waitlisted", "proposed_base_full"),
    ]
