"""Table-driven tests of the pure scheduling, seat and allocation rules."""

import datetime as dt

import pytest

from notices import rules as notice_rules
from training_bases import rules
from training_bases.rules import Candidate, SeatState, SessionSlot

T0 = dt.datetime(2027, 3, 1, 1, 0, tzinfo=dt.UTC)  # 09:00 in Shanghai


def h(hours: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((0, 2), (1, 3), True),
        ((0, 2), (2, 4), False),  # touching ends do not clash
        ((0, 4), (1, 2), True),
        ((3, 4), (0, 3), False),
        ((0, 48), (24, 25), True),  # multi-day
    ],
)
def test_overlaps(a, b, expected):
    assert rules.overlaps(h(a[0]), h(a[1]), h(b[0]), h(b[1])) is expected
    assert rules.overlaps(h(b[0]), h(b[1]), h(a[0]), h(a[1])) is expected


@pytest.mark.parametrize(
    ("draft", "codes"),
    [
        ({"starts_at": h(0), "ends_at": h(8), "capacity": 10, "room_capacity": 20}, []),
        ({"starts_at": h(8), "ends_at": h(0), "capacity": 10, "room_capacity": 20}, ["end_before_start"]),
        ({"starts_at": h(0), "ends_at": h(0), "capacity": 10, "room_capacity": 20}, ["end_before_start"]),
        ({"starts_at": h(0), "ends_at": h(8), "capacity": 21, "room_capacity": 20}, ["capacity_above_room"]),
        ({"starts_at": h(0), "ends_at": h(8), "capacity": 20, "room_capacity": 20}, []),
        (
            {"starts_at": h(0), "ends_at": h(8), "capacity": 5, "room_capacity": 20, "reserved_leadership_seats": 6},
            ["reserved_above_capacity"],
        ),
        (
            {
                "starts_at": h(0),
                "ends_at": h(8),
                "capacity": 5,
                "room_capacity": 20,
                "booking_opens_at": h(-5),
                "booking_closes_at": h(-6),
            },
            ["window_reversed"],
        ),
        (
            {"starts_at": h(0), "ends_at": h(8), "capacity": 5, "room_capacity": 20, "cancellation_cutoff": h(1)},
            ["cutoff_after_start"],
        ),
    ],
)
def test_session_problems(draft, codes):
    draft.setdefault("reserved_leadership_seats", 0)
    assert [code for _field, code, _params in rules.session_problems(rules.SessionDraft(**draft))] == codes


def slot(session_id, room, trainers, start, end):
    return rules.ScheduledSlot(session_id, room, frozenset(trainers), h(start), h(end))


@pytest.mark.parametrize(
    ("new", "existing", "expected"),
    [
        (slot(None, 1, {7}, 0, 8), [slot(1, 1, set(), 4, 12)], [("room", 1, None)]),
        (slot(None, 1, {7}, 0, 8), [slot(1, 2, {7}, 4, 12)], [("trainer", 1, 7)]),
        (slot(None, 1, {7}, 0, 8), [slot(1, 2, {8}, 4, 12)], []),
        (slot(None, 1, {7}, 0, 8), [slot(1, 1, {7}, 8, 12)], []),
        (slot(3, 1, {7}, 0, 8), [slot(3, 1, {7}, 0, 8)], []),  # itself
        (
            slot(None, 1, {7, 8}, 0, 8),
            [slot(1, 1, {8, 7}, 1, 2)],
            [("room", 1, None), ("trainer", 1, 7), ("trainer", 1, 8)],
        ),
    ],
)
def test_schedule_conflicts(new, existing, expected):
    found = [(c.kind, c.session_id, c.trainer_id) for c in rules.schedule_conflicts(new, existing)]
    assert found == expected


@pytest.mark.parametrize(
    ("state", "leadership", "free"),
    [
        (SeatState(10, 0, 0, 0), False, 10),
        (SeatState(10, 0, 10, 0), False, 0),
        (SeatState(10, 3, 0, 0), False, 7),
        (SeatState(10, 3, 0, 0), True, 10),
        (SeatState(10, 3, 7, 0), False, 0),  # 3 free seats are all held for leaders
        (SeatState(10, 3, 7, 0), True, 3),
        (SeatState(10, 3, 8, 2), False, 1),
        (SeatState(10, 3, 9, 5), False, 1),  # leaders beyond the reserve take general seats
        (SeatState(10, 0, 12, 0), True, 0),  # never negative
    ],
)
def test_free_seats_for(state, leadership, free):
    assert rules.free_seats_for(state, leadership=leadership) == free


def request(**overrides):
    values = {
        "now": h(-48),
        "session_status": "open",
        "booking_opens_at": h(-100),
        "booking_closes_at": h(-24),
        "starts_at": h(0),
        "is_enterprise_staff": True,
        "cultivation_blocked": False,
        "has_active_booking_of_type": False,
    }
    values.update(overrides)
    return rules.BookingRequest(**values)


@pytest.mark.parametrize(
    ("overrides", "refusal"),
    [
        ({}, None),
        ({"session_status": "full"}, None),
        ({"is_enterprise_staff": False}, "not_enterprise_staff"),
        ({"cultivation_blocked": True}, "cultivation_blocked"),
        ({"session_status": "draft"}, "session_not_open"),
        ({"session_status": "cancelled"}, "session_not_open"),
        ({"now": h(-101)}, "window_not_open"),
        ({"now": h(-24)}, "window_closed"),
        ({"booking_closes_at": None, "now": h(0)}, "window_closed"),
        ({"has_active_booking_of_type": True}, "already_booked_type"),
    ],
)
def test_booking_refusal(overrides, refusal):
    assert rules.booking_refusal(request(**overrides)) == refusal


@pytest.mark.parametrize(
    ("now", "status", "cutoff", "refusal"),
    [
        (h(-49), "confirmed", h(-48), None),
        (h(-48), "confirmed", h(-48), "after_cutoff"),
        (h(-1), "confirmed", None, None),
        (h(0), "confirmed", None, "after_cutoff"),
        (h(-1), "waitlisted", h(-48), None),
        (h(-100), "cancelled", h(-48), "not_active"),
    ],
)
def test_cancellation_refusal(now, status, cutoff, refusal):
    assert rules.cancellation_refusal(now=now, status=status, cutoff=cutoff, starts_at=h(0)) == refusal


def w(booking_id, priority, minute=0, position="customs_affairs"):
    return rules.WaitingEntry(booking_id, priority, T0 + dt.timedelta(minutes=minute), position)


def test_waitlist_is_priority_order_not_arrival_order():
    entries = [w(1, 30, minute=0), w(2, 5, minute=9), w(3, 5, minute=3), w(4, 1, minute=10)]
    assert [e.booking_id for e in rules.waitlist_order(entries)] == [4, 3, 2, 1]


@pytest.mark.parametrize(
    ("waitlist", "state", "promoted"),
    [
        ([w(1, 3), w(2, 1), w(3, 2)], SeatState(10, 0, 8, 0), [2, 3]),
        ([w(1, 3)], SeatState(10, 0, 10, 0), []),
        # only a reserved seat is free: the staff member waits, the manager below is promoted
        ([w(1, 1), w(2, 2, position="senior_management")], SeatState(10, 1, 9, 0), [2]),
        ([w(1, 1), w(2, 2, position="legal_representative")], SeatState(10, 1, 8, 0), [1, 2]),
    ],
)
def test_promotions(waitlist, state, promoted):
    assert rules.promotions(waitlist, state) == promoted


def cand(key, priority, prefs=("suzhou",), position="customs_affairs", user_id=None, enterprise=1, booked=False):
    return Candidate(
        key=str(key),
        user_id=user_id if user_id is not None else int(key),
        person_name=f"P{key}",
        enterprise_id=enterprise,
        position=position,
        priority=priority,
        base_preferences=tuple(prefs),
        already_booked=booked,
    )


def sess(session_id, base, capacity=2, day=0, reserved=0, waiting=()):
    return SessionSlot(session_id, base, h(24 * day), capacity, reserved, waitlisted_priorities=tuple(waiting))


def outcomes(plan):
    return [(d.candidate_key, d.outcome, d.session_id, d.reason) for d in plan.decisions]


def test_allocation_places_by_priority_and_preference():
    plan = rules.allocate(
        [
            cand(1, 3, ("suzhou", "shenzhen")),
            cand(2, 1, ("suzhou",)),
            cand(3, 2, ("suzhou", "shenzhen")),
            cand(4, 4, ("suzhou", "shenzhen")),
            cand(5, 5, ("suzhou", "shenzhen")),
        ],
        [sess(10, "suzhou", capacity=2), sess(20, "shenzhen", capacity=2)],
    )
    assert outcomes(plan) == [
        ("2", "placed", 10, "placed_first_choice"),
        ("3", "placed", 10, "placed_first_choice"),
        ("1", "placed", 20, "placed_lower_choice"),
        ("4", "placed", 20, "placed_lower_choice"),
        ("5", "waitlisted", 10, "preferred_bases_full"),
    ]
    assert plan.decisions[2].preference_rank == 2
    assert plan.decisions[4].waitlist_position == 1
    assert plan.counts == {"placed": 4, "waitlisted": 1, "skipped": 0, "blocked": 0, "sessions": 2}


def test_allocation_waitlist_is_in_priority_order_behind_existing_waiters():
    plan = rules.allocate(
        [cand(1, 9), cand(2, 4), cand(3, 7)],
        [sess(10, "suzhou", capacity=1, waiting=(2, 8))],
    )
    assert [(d.candidate_key, d.outcome, d.waitlist_position) for d in plan.decisions] == [
        ("2", "placed", None),
        ("3", "waitlisted", 2),  # behind the existing waiter with priority 2
        ("1", "waitlisted", 4),  # behind 2, 7 and the existing 8
    ]


def test_allocation_earliest_session_first_within_a_base():
    plan = rules.allocate(
        [cand(1, 1), cand(2, 2)], [sess(11, "suzhou", capacity=1, day=5), sess(10, "suzhou", capacity=1, day=1)]
    )
    assert [d.session_id for d in plan.decisions] == [10, 11]


def test_allocation_reserves_leadership_seats():
    plan = rules.allocate(
        [cand(1, 1), cand(2, 2), cand(3, 3, position="legal_representative"), cand(4, 4, position="senior_management")],
        [sess(10, "suzhou", capacity=3, reserved=2)],
    )
    assert [(d.candidate_key, d.outcome) for d in plan.decisions] == [
        ("1", "placed"),
        ("2", "waitlisted"),
        ("3", "placed"),
        ("4", "placed"),
    ]


@pytest.mark.parametrize(
    ("candidate", "slots", "outcome", "reason"),
    [
        (cand(1, 1, user_id=0), [sess(10, "suzhou")], "skipped", "no_account"),
        (cand(1, 1, booked=True), [sess(10, "suzhou")], "skipped", "already_booked"),
        (cand(1, 1), [], "skipped", "no_sessions"),
        (cand(1, 1, prefs=()), [sess(10, "guangzhou")], "placed", "placed_no_preference"),
        (cand(1, 1, prefs=("shenzhen",)), [sess(10, "guangzhou")], "placed", "placed_outside_preferences"),
        (cand(1, 1, prefs=("shenzhen",)), [sess(10, "guangzhou", capacity=0)], "waitlisted", "all_sessions_full"),
    ],
)
def test_allocation_explains_every_decision(candidate, slots, outcome, reason):
    if candidate.user_id == 0:
        candidate = Candidate(**{**candidate.__dict__, "user_id": None})
    (decision,) = rules.allocate([candidate], slots).decisions
    assert (decision.outcome, decision.reason) == (outcome, reason)


def test_allocation_is_deterministic_and_at_most_one_seat_each():
    candidates = [
        cand(i, (i * 7) % 50 + 1, ("suzhou", "shenzhen", "guangzhou")[: i % 3 + 1], enterprise=i % 5)
        for i in range(1, 120)
    ]
    slots = [sess(i, ("suzhou", "shenzhen", "guangzhou")[i % 3], capacity=5, day=i) for i in range(1, 13)]
    first = rules.allocate(candidates, slots)
    assert first == rules.allocate(list(reversed(candidates)), list(reversed(slots)))
    placed = [d.candidate_key for d in first.by_outcome("placed")]
    assert len(placed) == len(set(placed)) == 60
    per_session = {}
    for d in first.by_outcome("placed"):
        per_session[d.session_id] = per_session.get(d.session_id, 0) + 1
    assert max(per_session.values()) <= 5


def test_session_days_and_checkin():
    start = dt.datetime(2027, 3, 1, 1, 0, tzinfo=dt.UTC)  # 09:00 Shanghai
    end = dt.datetime(2027, 3, 3, 9, 0, tzinfo=dt.UTC)  # 17:00 Shanghai on the 3rd
    days = rules.session_days(start, end)
    assert days == [dt.date(2027, 3, 1), dt.date(2027, 3, 2), dt.date(2027, 3, 3)]
    day2 = rules.day_start(days[1], start)
    assert day2.astimezone(dt.UTC) == dt.datetime(2027, 3, 2, 1, 0, tzinfo=dt.UTC)
    assert rules.checkin_status(now=day2 + dt.timedelta(minutes=15), starts=day2) == "present"
    assert rules.checkin_status(now=day2 + dt.timedelta(minutes=16), starts=day2) == "late"
    assert rules.no_show_releases_seat(day=days[0], days=days)
    assert not rules.no_show_releases_seat(day=days[1], days=days)
    assert not rules.no_show_releases_seat(day=days[0], days=days[:1])


@pytest.mark.parametrize(
    ("now", "days", "due"),
    [(h(-49), 2, False), (h(-48), 2, True), (h(-1), 2, True), (h(0), 2, False), (h(-24 * 6), 7, True)],
)
def test_reminder_due(now, days, due):
    assert notice_rules.reminder_due(now=now, starts_at=h(0), days_before=days) is due


def test_ics_method_and_calendar_grids():
    assert notice_rules.ics_method("confirmed") == "REQUEST"
    assert notice_rules.ics_method("cancelled") == "CANCEL"
    assert notice_rules.ics_method("released") == "CANCEL"
    grid = rules.month_grid(2027, 2)
    assert grid[0][0] == dt.date(2027, 2, 1) and all(len(week) == 7 for week in grid)
    assert rules.week_days(dt.date(2027, 3, 3))[0] == dt.date(2027, 3, 1)


@pytest.mark.parametrize(
    ("register", "attended", "unrecorded", "completed"),
    [
        ({}, 0, 3, False),
        ({1: "present", 2: "late", 3: "present"}, 3, 0, True),
        ({1: "present", 2: "absent", 3: "present"}, 2, 0, False),
        ({1: "present", 2: "late"}, 2, 1, False),
        ({1: "present", 2: "present", 3: "present", 9: "present"}, 3, 0, True),  # day 9 is not a session day
    ],
)
def test_attendance_tally(register, attended, unrecorded, completed):
    days = [dt.date(2027, 3, d) for d in (1, 2, 3)]
    tally = rules.attendance_tally(days, {dt.date(2027, 3, d): s for d, s in register.items()})
    assert (tally.days, tally.attended, tally.unrecorded, tally.completed) == (3, attended, unrecorded, completed)


def test_a_session_without_days_is_never_completed():
    assert not rules.attendance_tally([], {}).completed


@pytest.mark.parametrize(
    ("attendance", "cultivation", "expected"),
    [
        ("present", "listed", True),
        ("late", "listed", True),
        ("absent", "listed", False),
        ("present", "in_training", False),
        ("present", "suspended", False),
        ("present", "applied", False),
    ],
)
def test_first_attendance_starts_training_only_from_the_key_list(attendance, cultivation, expected):
    assert rules.starts_training(attendance_status=attendance, cultivation_status=cultivation) is expected


def test_checkin_codes_change_every_30_seconds_and_the_previous_one_is_accepted():
    t = dt.datetime(2026, 12, 1, 1, 0, 0, tzinfo=dt.UTC)  # a multiple of 30 s
    w = rules.checkin_window(t)
    assert rules.checkin_window(t + dt.timedelta(seconds=29)) == w
    assert rules.checkin_window(t + dt.timedelta(seconds=30)) == w + 1
    assert rules.checkin_window_accepted(w, now=t)
    assert rules.checkin_window_accepted(w, now=t + dt.timedelta(seconds=59))
    assert not rules.checkin_window_accepted(w, now=t + dt.timedelta(seconds=60))
    assert not rules.checkin_window_accepted(w + 1, now=t)  # a code from the future
    assert rules.seconds_to_next_code(t) == 30
    assert rules.seconds_to_next_code(t + dt.timedelta(seconds=29)) == 1
