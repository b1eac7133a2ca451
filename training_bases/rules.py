"""Scheduling, seat and allocation rules for the training bases. Pure: no ORM, no clock (`now` is
an argument), plain frozen dataclasses in and out, so every rule is tested with a table."""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from trainees.rules import IN_TRAINING, LISTED, TERMINATED

# Self-service bookers who are not on the key training list queue behind every listed trainee.
UNLISTED_PRIORITY = 1_000_000

# Seed 004, priority selection of trainees: legal representatives and senior management first.
# A session may hold seats for them ("reserved leadership seats").
LEADERSHIP_POSITIONS = frozenset({"legal_representative", "senior_management"})

# A trainee who checks in more than this after the session day started is late.
LATE_AFTER = dt.timedelta(minutes=15)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def is_leadership(position: str) -> bool:
    return position in LEADERSHIP_POSITIONS


def overlaps(a_start: dt.datetime, a_end: dt.datetime, b_start: dt.datetime, b_end: dt.datetime) -> bool:
    """Half-open intervals: a session ending at 12:00 does not clash with one starting at 12:00."""
    return a_start < b_end and b_start < a_end


# --- Session validation -------------------------------------------------------------------


@dataclass(frozen=True)
class SessionDraft:
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    capacity: int | None
    reserved_leadership_seats: int
    room_capacity: int | None
    booking_opens_at: dt.datetime | None = None
    booking_closes_at: dt.datetime | None = None
    cancellation_cutoff: dt.datetime | None = None
    confirmed_total: int = 0


Problem = tuple[str, str, dict]  # (field, code, params)


def session_problems(draft: SessionDraft) -> list[Problem]:
    """What is wrong with a session before it is compared with others (issue 4, rule 2)."""
    problems: list[Problem] = []
    if draft.starts_at and draft.ends_at and draft.ends_at <= draft.starts_at:
        problems.append(("ends_at", "end_before_start", {}))
    if draft.capacity is not None and draft.room_capacity is not None and draft.capacity > draft.room_capacity:
        problems.append(
            ("capacity", "capacity_above_room", {"capacity": draft.capacity, "room_capacity": draft.room_capacity})
        )
    if draft.capacity is not None and draft.reserved_leadership_seats > draft.capacity:
        problems.append(("reserved_leadership_seats", "reserved_above_capacity", {"capacity": draft.capacity}))
    problems.extend(seat_problems(capacity=draft.capacity, confirmed_total=draft.confirmed_total))
    if draft.booking_opens_at and draft.booking_closes_at and draft.booking_closes_at <= draft.booking_opens_at:
        problems.append(("booking_closes_at", "window_reversed", {}))
    if draft.cancellation_cutoff and draft.starts_at and draft.cancellation_cutoff > draft.starts_at:
        problems.append(("cancellation_cutoff", "cutoff_after_start", {}))
    return problems


def seat_problems(*, capacity: int | None, confirmed_total: int) -> list[Problem]:
    """Fewer seats than confirmed bookings is refused: a session never holds more confirmed
    people than seats (issue 8, point 2; pretix and Moodle booking refuse the same). The officer
    cancels bookings first, each one notified, then lowers the seats."""
    if capacity is not None and capacity < confirmed_total:
        return [("capacity", "capacity_below_confirmed", {"capacity": capacity, "confirmed": confirmed_total})]
    return []


@dataclass(frozen=True)
class ScheduledSlot:
    session_id: int | None
    room_id: int
    trainer_ids: frozenset[int]
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass(frozen=True)
class Conflict:
    kind: str  # "room" or "trainer"
    session_id: int | None
    trainer_id: int | None = None


def schedule_conflicts(new: ScheduledSlot, existing: Iterable[ScheduledSlot]) -> list[Conflict]:
    """A room or a trainer in two overlapping sessions (issue 4, rule 2)."""
    conflicts: list[Conflict] = []
    for other in existing:
        if other.session_id is not None and other.session_id == new.session_id:
            continue
        if not overlaps(new.starts_at, new.ends_at, other.starts_at, other.ends_at):
            continue
        if other.room_id == new.room_id:
            conflicts.append(Conflict("room", other.session_id))
        for trainer_id in sorted(new.trainer_ids & other.trainer_ids):
            conflicts.append(Conflict("trainer", other.session_id, trainer_id))
    return conflicts


# --- Seats, booking, cancellation -----------------------------------------------------------


@dataclass(frozen=True)
class SeatState:
    capacity: int
    reserved_leadership: int
    confirmed_total: int
    confirmed_leadership: int


def free_seats_for(state: SeatState, *, leadership: bool) -> int:
    """Seats a person of this tier may take. Reserved seats not yet taken by legal
    representatives or senior management are held back from everyone else."""
    free = state.capacity - state.confirmed_total
    if leadership:
        return max(0, free)
    held = max(0, state.reserved_leadership - state.confirmed_leadership)
    return max(0, free - held)


@dataclass(frozen=True)
class BookingRequest:
    now: dt.datetime
    session_status: str
    booking_opens_at: dt.datetime | None
    booking_closes_at: dt.datetime | None
    starts_at: dt.datetime
    is_enterprise_staff: bool
    cultivation_blocked: bool
    has_active_booking_of_type: bool


def booking_refusal(request: BookingRequest) -> str | None:
    """Why a booking is refused, as a message code, or None (issue 4: bad input)."""
    if not request.is_enterprise_staff:
        return "not_enterprise_staff"
    if request.cultivation_blocked:
        return "cultivation_blocked"
    if request.session_status not in {"open", "full"}:
        return "session_not_open"
    if request.booking_opens_at and request.now < request.booking_opens_at:
        return "window_not_open"
    if (request.booking_closes_at and request.now >= request.booking_closes_at) or request.now >= request.starts_at:
        return "window_closed"
    if request.has_active_booking_of_type:
        return "already_booked_type"
    return None


def cancellation_refusal(
    *, now: dt.datetime, status: str, cutoff: dt.datetime | None, starts_at: dt.datetime
) -> str | None:
    if status not in {"confirmed", "waitlisted"}:
        return "not_active"
    if status == "waitlisted":
        return None  # leaving the waitlist frees nobody's seat: always allowed
    if now >= (cutoff or starts_at):
        return "after_cutoff"
    return None


@dataclass(frozen=True)
class WaitingEntry:
    booking_id: int
    priority: int
    created_at: dt.datetime
    position: str


def waitlist_order(entries: Iterable[WaitingEntry]) -> list[WaitingEntry]:
    """Priority order (key training list rank), not first come first served; the booking time
    only breaks ties (DOMAIN.md: application time is the final tie-break)."""
    return sorted(entries, key=lambda e: (e.priority, e.created_at, e.booking_id))


def promotions(waitlist: Iterable[WaitingEntry], state: SeatState) -> list[int]:
    """Booking ids to promote, in order, filling free seats from the top of the waitlist. A
    person who only fits a reserved seat they cannot take is passed over, not blocked on."""
    promoted: list[int] = []
    total, leaders = state.confirmed_total, state.confirmed_leadership
    for entry in waitlist_order(waitlist):
        current = SeatState(state.capacity, state.reserved_leadership, total, leaders)
        if current.capacity - current.confirmed_total <= 0:
            break
        lead = is_leadership(entry.position)
        if free_seats_for(current, leadership=lead) > 0:
            promoted.append(entry.booking_id)
            total += 1
            leaders += int(lead)
    return promoted


def waitlist_moves(*, now: dt.datetime, until: dt.datetime) -> bool:
    """The waitlist moves (promotions and their notices) only before `until`: the session's
    start, or for the first-day no-show rule the start of the second day. Nobody is invited to
    a session that has already begun (issue 8, point 3; a known Moodle booking fault)."""
    return now < until


def no_show_deadline(days: Sequence[dt.date], starts_at: dt.datetime) -> dt.datetime:
    """Until when a first-day no-show still releases the seat to the waitlist: the start of the
    second day; a register filled in later records the absence and releases nothing."""
    return day_start(days[1], starts_at) if len(days) > 1 else starts_at


def first_free_seat(taken: Iterable[int], capacity: int) -> int | None:
    """Lowest free seat number in a computer room (seats are numbered 1..capacity)."""
    used = set(taken)
    return next((n for n in range(1, capacity + 1) if n not in used), None)


@dataclass(frozen=True)
class SeatHolder:
    """A confirmed booking as the seat numbering sees it."""

    booking_id: int
    seat_number: int | None
    priority: int  # rank on the key training list, 1 highest (`UNLISTED_PRIORITY` if not listed)
    created_at: dt.datetime


def seats_renumbered(holders: Iterable[SeatHolder], *, seats: int, numbered: bool) -> dict[int, int | None]:
    """The seat number of every confirmed booking after its session changed room or seats.

    Computer rooms number their seats 1..`seats` (the session's seats, never more than the
    room's), as `first_free_seat` gives them. A person whose number is still in that range keeps
    it (the seat they were told of); the others, in waitlist order (priority, then booking
    time, as `waitlist_order` and the promotions use), take the lowest free numbers. A room
    without numbered seats (`numbered` False) gives nobody a number.

    Returns {booking id: seat number or None} for every holder. Raises ValueError when there
    are more holders than seats (the callers refuse such a change first: `seat_problems`)."""
    holders = sorted(holders, key=lambda h: (h.priority, h.created_at, h.booking_id))
    if not numbered:
        return {h.booking_id: None for h in holders}
    if len(holders) > seats:
        raise ValueError(f"{len(holders)} confirmed bookings cannot have numbers in 1..{seats}")
    result: dict[int, int | None] = {}
    kept: set[int] = set()
    for h in holders:
        if h.seat_number is not None and 1 <= h.seat_number <= seats and h.seat_number not in kept:
            result[h.booking_id] = h.seat_number
            kept.add(h.seat_number)
    free = (n for n in range(1, seats + 1) if n not in kept)
    for h in holders:
        if h.booking_id not in result:
            result[h.booking_id] = next(free)
    return result


@dataclass(frozen=True)
class RoomSession:
    """A session held in a room, as the room's validation sees it."""

    title: str
    starts_at: dt.datetime
    capacity: int


def room_capacity_problems(*, capacity: int | None, sessions: Iterable[RoomSession]) -> list[Problem]:
    """A room may not hold fewer seats than any of its sessions that have not ended (the
    caller passes those, cancelled ones left out): the session rule `capacity_above_room` seen
    from the room, and so never fewer than their confirmed seats (`seat_problems`). The problem
    names the sessions concerned, earliest first."""
    if capacity is None:
        return []
    above = sorted((s for s in sessions if s.capacity > capacity), key=lambda s: (s.starts_at, s.title))
    if not above:
        return []
    return [
        (
            "capacity",
            "room_capacity_below_sessions",
            {"capacity": capacity, "needed": max(s.capacity for s in above), "sessions": tuple(above)},
        )
    ]


# --- Allocation from the key training list --------------------------------------------------


# Decisions of people left out because their enterprise's cultivation blocks training.
BLOCKED_REASONS = frozenset({"enterprise_suspended", "enterprise_terminated"})


@dataclass(frozen=True)
class Candidate:
    key: str  # stable: the key-list entry id
    user_id: int | None
    person_name: str
    enterprise_id: int
    position: str
    priority: int  # 1 = highest
    base_preferences: tuple[str, ...]
    already_booked: bool = False  # holds a confirmed seat of this training type
    proposed_base: str = ""  # the published key list's base (KeyListEntry.base_slug), if any
    # The enterprise's cultivation status when it blocks training (suspended, terminated), else "".
    blocked_status: str = ""


@dataclass(frozen=True)
class SessionSlot:
    session_id: int
    base_slug: str
    starts_at: dt.datetime
    capacity: int
    reserved_leadership: int = 0
    confirmed_total: int = 0
    confirmed_leadership: int = 0
    waitlisted_priorities: tuple[int, ...] = ()


@dataclass(frozen=True)
class Decision:
    candidate_key: str
    user_id: int | None
    person_name: str
    priority: int
    outcome: str  # "placed", "waitlisted", "skipped"
    reason: str  # message code, see messages.py
    session_id: int | None = None
    base_slug: str = ""
    preference_rank: int | None = None  # 1-based rank in the enterprise's preferences
    waitlist_position: int | None = None


@dataclass(frozen=True)
class AllocationPlan:
    decisions: tuple[Decision, ...]
    counts: dict = field(default_factory=dict)

    def by_outcome(self, outcome: str) -> list[Decision]:
        return [d for d in self.decisions if d.outcome == outcome]


def allocate(candidates: Sequence[Candidate], slots: Sequence[SessionSlot]) -> AllocationPlan:
    """Assign listed trainees to sessions in key-list priority order (seed 004: priority
    selection; issue 4, rule 4). Each trainee gets at most one seat per training type; bases are
    tried in the enterprise's ranked preference, sessions within a base earliest first; reserved
    leadership seats are kept for legal representatives and senior management. Trainees that
    cannot be placed go to the waitlist of the earliest session at their first preferred base, in
    priority order. A person the published list proposes at a base (its per-base quota) is
    placed or waitlisted at that base only (issue 8, point 4). People of an enterprise whose
    cultivation is suspended or terminated are skipped, as self-service booking refuses them
    (DOMAIN.md: effects of suspension); `counts["blocked"]` says how many. Deterministic: ties
    break on enterprise and entry key."""
    sessions_by_base: dict[str, list[SessionSlot]] = {}
    for slot in sorted(slots, key=lambda s: (s.base_slug, s.starts_at, s.session_id)):
        sessions_by_base.setdefault(slot.base_slug, []).append(slot)
    all_bases = sorted(sessions_by_base)
    total = {s.session_id: s.confirmed_total for s in slots}
    leaders = {s.session_id: s.confirmed_leadership for s in slots}
    by_id = {s.session_id: s for s in slots}
    # Free seats never increase during a run, so a per (base, tier) cursor only moves forward.
    cursor: dict[tuple[str, bool], int] = {}
    waiting: dict[int, list[int]] = {s.session_id: sorted(s.waitlisted_priorities) for s in slots}

    def fits(slot: SessionSlot, lead: bool) -> bool:
        state = SeatState(slot.capacity, slot.reserved_leadership, total[slot.session_id], leaders[slot.session_id])
        return free_seats_for(state, leadership=lead) > 0

    def first_fit(base: str, lead: bool) -> SessionSlot | None:
        sessions = sessions_by_base[base]
        i = cursor.get((base, lead), 0)
        while i < len(sessions) and not fits(sessions[i], lead):
            i += 1
        cursor[(base, lead)] = i
        return sessions[i] if i < len(sessions) else None

    decisions: list[Decision] = []
    ordered = sorted(candidates, key=lambda c: (c.priority, c.enterprise_id, c.key))
    for c in ordered:
        common = {"candidate_key": c.key, "user_id": c.user_id, "person_name": c.person_name, "priority": c.priority}
        if c.blocked_status:
            reason = "enterprise_terminated" if c.blocked_status == TERMINATED else "enterprise_suspended"
            decisions.append(Decision(outcome="skipped", reason=reason, **common))
            continue
        if c.user_id is None:
            decisions.append(Decision(outcome="skipped", reason="no_account", **common))
            continue
        if c.already_booked:
            decisions.append(Decision(outcome="skipped", reason="already_booked", **common))
            continue
        if not all_bases:
            decisions.append(Decision(outcome="skipped", reason="no_sessions", **common))
            continue
        if c.proposed_base:
            # The published list gave this person a seat at one base (its quota decided that):
            # another base's seats belong to other people on the list (issue 8, point 4).
            if c.proposed_base not in sessions_by_base:
                decisions.append(
                    Decision(
                        outcome="skipped", reason="no_sessions_at_proposed_base", base_slug=c.proposed_base, **common
                    )
                )
                continue
            bases, outside = [c.proposed_base], False
        else:
            preferred = [b for b in dict.fromkeys(c.base_preferences) if b in sessions_by_base]
            bases, outside = (preferred, False) if preferred else (all_bases, True)
        lead = is_leadership(c.position)
        placed = None
        for rank, base in enumerate(bases, start=1):
            slot = first_fit(base, lead)
            if slot is not None:
                placed = (rank, slot)
                break
        if placed is not None:
            rank, slot = placed
            total[slot.session_id] += 1
            leaders[slot.session_id] += int(lead)
            if c.proposed_base:
                reason = "placed_proposed_base"
            elif outside:
                reason = "placed_no_preference" if not c.base_preferences else "placed_outside_preferences"
            else:
                reason = "placed_first_choice" if rank == 1 else "placed_lower_choice"
            decisions.append(
                Decision(
                    outcome="placed",
                    reason=reason,
                    session_id=slot.session_id,
                    base_slug=slot.base_slug,
                    preference_rank=None if outside else rank,
                    **common,
                )
            )
            continue
        target = sessions_by_base[bases[0]][0]
        queue = waiting[target.session_id]
        # Behind everyone already waiting with the same or a higher priority (the queue is kept
        # sorted, so its place is found by bisection, not by counting the whole queue).
        position = bisect.bisect_right(queue, c.priority) + 1
        queue.insert(position - 1, c.priority)
        decisions.append(
            Decision(
                outcome="waitlisted",
                reason="proposed_base_full"
                if c.proposed_base
                else ("preferred_bases_full" if not outside else "all_sessions_full"),
                session_id=target.session_id,
                base_slug=target.base_slug,
                waitlist_position=position,
                **common,
            )
        )
    counts = {
        "placed": sum(1 for d in decisions if d.outcome == "placed"),
        "waitlisted": sum(1 for d in decisions if d.outcome == "waitlisted"),
        "skipped": sum(1 for d in decisions if d.outcome == "skipped"),
        "blocked": sum(1 for d in decisions if d.reason in BLOCKED_REASONS),
        "sessions": len(by_id),
    }
    return AllocationPlan(decisions=tuple(decisions), counts=counts)


# --- Days, attendance, reminders, calendar ---------------------------------------------------


def session_days(starts_at: dt.datetime, ends_at: dt.datetime, tz: dt.tzinfo = SHANGHAI) -> list[dt.date]:
    """Local calendar days a session covers (a register is kept per day)."""
    first = starts_at.astimezone(tz).date()
    last = (ends_at - dt.timedelta(microseconds=1)).astimezone(tz).date()
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _hours_per_day(starts_at: dt.datetime, ends_at: dt.datetime, tz: dt.tzinfo) -> float:
    days = session_days(starts_at, ends_at, tz)
    if len(days) <= 1:
        return (ends_at - starts_at).total_seconds() / 3600
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    same_day_end = dt.datetime.combine(start.date(), end.timetz().replace(tzinfo=None), tzinfo=tz)
    if same_day_end > start:
        return (same_day_end - start).total_seconds() / 3600
    return (ends_at - starts_at).total_seconds() / 3600 / len(days)


def daily_hours(starts_at: dt.datetime, ends_at: dt.datetime, tz: dt.tzinfo = SHANGHAI) -> float:
    """Hours of training on each day of a session: a one-day session its whole span; a session of
    several days runs each day from the first day's start time to the last day's end time (as the
    register and `day_start` assume), so 09:00 day 1 → 17:00 day 3 is 8 hours a day. A clock span
    that does not close within the day (e.g. overnight) spreads the whole span over the days."""
    return round(_hours_per_day(starts_at, ends_at, tz), 2)


def session_hours(starts_at: dt.datetime, ends_at: dt.datetime, tz: dt.tzinfo = SHANGHAI) -> float:
    """Training hours a session delivers: its days times its hours a day, rounded once at the end
    (20:00 day 1 → 10:00 day 3 is 38 hours, not three times 12.67)."""
    return round(_hours_per_day(starts_at, ends_at, tz) * len(session_days(starts_at, ends_at, tz)), 2)


def day_start(day: dt.date, starts_at: dt.datetime, tz: dt.tzinfo = SHANGHAI) -> dt.datetime:
    """When the session begins on `day`: the first day's start time, each later day the same
    clock time."""
    local = starts_at.astimezone(tz)
    return dt.datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=tz)


def checkin_status(*, now: dt.datetime, starts: dt.datetime) -> str:
    return "late" if now > starts + LATE_AFTER else "present"


# Issue 7 (QR check-in): the code on the base's screen changes every CHECKIN_CODE_SECONDS; the
# current and the previous code are accepted, so a code works for 30 to 60 seconds — long enough
# to scan in the room, too short to forward by chat to someone absent.
CHECKIN_CODE_SECONDS = 30


def checkin_window(now: dt.datetime) -> int:
    """The number of the code period containing `now` (aware datetime): Unix seconds // 30."""
    return int(now.timestamp()) // CHECKIN_CODE_SECONDS


def checkin_window_accepted(window: int, *, now: dt.datetime) -> bool:
    """A code made in period `window` is accepted during that period and the next one."""
    current = checkin_window(now)
    return current - 1 <= window <= current


def seconds_to_next_code(now: dt.datetime) -> int:
    """Seconds (1-30) until the screen must show the next code."""
    return CHECKIN_CODE_SECONDS - int(now.timestamp()) % CHECKIN_CODE_SECONDS


def no_show_releases_seat(*, day: dt.date, days: Sequence[dt.date]) -> bool:
    """Absent on the first day of a multi-day session: the seat goes to the waitlist for the
    remaining days."""
    return len(days) > 1 and day == days[0]


ATTENDED = frozenset({"present", "late"})


@dataclass(frozen=True)
class AttendanceTally:
    """Days of one booked session and how the trainee attended them."""

    days: int
    present: int = 0
    late: int = 0
    absent: int = 0

    @property
    def attended(self) -> int:
        return self.present + self.late

    @property
    def unrecorded(self) -> int:
        return self.days - self.attended - self.absent

    @property
    def completed(self) -> bool:
        """The session counts as completed training when every day was attended (late counts
        as attended); course completion and the readiness report use this."""
        return self.days > 0 and self.attended == self.days


def attendance_tally(days: Sequence[dt.date], statuses: Mapping[dt.date, str]) -> AttendanceTally:
    """Count the register of one booking; records for days outside the session are ignored."""
    counted = [statuses[day] for day in days if day in statuses]
    return AttendanceTally(
        days=len(days),
        present=counted.count("present"),
        late=counted.count("late"),
        absent=counted.count("absent"),
    )


def starts_training(*, attendance_status: str, cultivation_status: str) -> bool:
    """DOMAIN.md lifecycle: listed --(first session attended)--> in training."""
    return attendance_status in ATTENDED and cultivation_status == LISTED


def attendance_day_has_come(*, day: dt.date, today: dt.date) -> bool:
    """Attendance is recorded only for days that have come (issue 7, point 6): a register for a
    future day would record presence that has not happened."""
    return day <= today


def undoes_start_training(
    *, previous_status: str | None, new_status: str, cultivation_status: str, other_attendance: bool
) -> bool:
    """Correcting "present" (or "late") to "absent" undoes the move into training it caused
    (DOMAIN.md lifecycle: listed --(first session attended)--> in training), unless another
    attended day of the enterprise still justifies it."""
    return (
        previous_status in ATTENDED
        and new_status not in ATTENDED
        and cultivation_status == IN_TRAINING
        and not other_attendance
    )


def month_grid(year: int, month: int) -> list[list[dt.date]]:
    """Weeks (Monday first) covering the month, with leading and trailing days."""
    return calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)


# The calendar pages and the sessions API answer for dates in these years only: beyond them a
# month grid or the local midnight of a day overflows Python's date range (years 1-9999).
CALENDAR_FIRST_DAY = dt.date(2000, 1, 1)
CALENDAR_LAST_DAY = dt.date(2099, 12, 31)


def calendar_day_in_range(day: dt.date) -> bool:
    """True when `day` can be shown in the calendar or asked of the sessions API."""
    return CALENDAR_FIRST_DAY <= day <= CALENDAR_LAST_DAY


def week_days(day: dt.date) -> list[dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return [monday + dt.timedelta(days=i) for i in range(7)]
