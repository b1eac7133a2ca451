"""Pure rules of notices: which notices still tell the truth, when a reminder is due, and how a
multi-day event is split into days. No ORM, no clock: `now` is an argument."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Kinds that are true only while the target is in that state (RFC 5545 iTIP: a REQUEST for a
# seat that was cancelled would put a dead event back into the person's calendar).
KINDS_TRUE_IN_STATE: dict[str, frozenset[str]] = {
    "confirmed": frozenset({"confirmation", "promotion", "change", "reminder"}),
    "waitlisted": frozenset({"waitlist"}),
    "cancelled": frozenset({"cancellation"}),
    # No place in a calendar (a consultation thread): a change notice tells of its current state.
    "informational": frozenset({"change"}),
}
ESTABLISHING = ("confirmation", "promotion")  # say everything a change would say


@dataclass(frozen=True)
class PendingNotice:
    """A notice not yet sent, in creation order."""

    id: int
    target: tuple[int, int]  # (content type id, object id)
    kind: str
    event_start: dt.datetime | None = None


@dataclass(frozen=True)
class TargetState:
    state: str  # "confirmed", "waitlisted", "cancelled" or "informational"
    starts_at: dt.datetime | None
    over: bool = False  # the event has ended (its last day's end has passed)
    started: bool = False  # the event has begun: a waitlist no longer moves


def still_true(notice: PendingNotice, target: TargetState | None) -> bool:
    """A notice is sent only if the target's state now agrees with it (issue 8 point 9: a
    cancelled seat gets neither "seat confirmed" nor a reminder); a reminder only for the start it
    was made for (point 8: a moved event gets a new reminder for its new date); nothing but a
    cancellation once the event is over (a digest read after the session ended does not invite
    to it)."""
    if target is None:
        return False
    if target.over and notice.kind != "cancellation":
        return False  # point 3: no invitation, promotion or reminder for an event already over
    if target.started and notice.kind == "waitlist":
        return False  # nobody is promoted once the event has begun: "you are waiting" would mislead
    if notice.kind not in KINDS_TRUE_IN_STATE.get(target.state, frozenset()):
        return False
    if notice.kind == "reminder" and notice.event_start is not None:
        return notice.event_start == target.starts_at
    return True


def digest_selection(notices: Sequence[PendingNotice], states: dict[tuple[int, int], TargetState]) -> list[int]:
    """Ids of the notices a digest shows, in order: per target only those true in its final state;
    a confirmation or promotion already shows the current details, so a change after it is left
    out, and of repeated kinds only the latest is kept."""
    kept: dict[tuple[int, int], dict[str, PendingNotice]] = {}
    for notice in notices:
        if still_true(notice, states.get(notice.target)):
            kept.setdefault(notice.target, {})[notice.kind] = notice
    selected: list[PendingNotice] = []
    for by_kind in kept.values():
        if any(kind in by_kind for kind in ESTABLISHING):
            by_kind.pop("change", None)
        selected.extend(by_kind.values())
    return [n.id for n in sorted(selected, key=lambda n: n.id)]


def reminder_due(*, now: dt.datetime, starts_at: dt.datetime, days_before: int) -> bool:
    """A reminder is due from `days_before` days before the start until the start."""
    return now < starts_at <= now + dt.timedelta(days=days_before)


def ics_method(state: str) -> str:
    """iTIP method of a single-event file: REQUEST while the place is confirmed, else CANCEL."""
    return "REQUEST" if state == "confirmed" else "CANCEL"


def daily_schedule(
    starts_at: dt.datetime, ends_at: dt.datetime, tz: dt.tzinfo = SHANGHAI
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Split an event spanning several local days into one (start, end) per day, each day from the
    first day's start time to the last day's end time (a 3-day course 09:00 → 17:00 is three
    days 09:00–17:00, not one 56-hour event). An event within one day, or whose daily end is
    not after its daily start (a night shift), stays one span."""
    local_start, local_end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    first, last = local_start.date(), local_end.date()
    if first == last or local_end.time() <= local_start.time():
        return [(starts_at, ends_at)]
    spans = []
    for offset in range((last - first).days + 1):
        day = first + dt.timedelta(days=offset)
        spans.append(
            (
                dt.datetime.combine(day, local_start.time(), tzinfo=tz),
                dt.datetime.combine(day, local_end.time(), tzinfo=tz),
            )
        )
    return spans
