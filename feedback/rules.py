"""Pure rules of appraisal (issue 17, point 6): the period a dashboard covers and how customs
units roll up into the rows of a dashboard. No ORM, no clock: `today` is an argument."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from lms.periods import END, START, SWAPPED, TOO_FAR_AHEAD, TOO_LONG, UNREADABLE, Correction, DatesRead
from trainees.rules import add_months

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULT_PERIOD_MONTHS = 12
LONGEST_PERIOD_DAYS = 366 * 10
FURTHEST_AHEAD_DAYS = 366  # nothing to appraise beyond a year from today


@dataclass(frozen=True, slots=True)
class Period:
    """Calendar days `start` to `end`, both included, in Beijing time."""

    start: dt.date
    end: dt.date

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) as aware datetimes: midnight of `start` to midnight after `end`."""
        first = dt.datetime.combine(self.start, dt.time(), tzinfo=SHANGHAI)
        after = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)
        return first, after


def period(*, start: dt.date | None, end: dt.date | None, today: dt.date) -> Period:
    """The period asked for, made sensible (`period_corrected` without the corrections)."""
    return period_corrected(start=start, end=end, today=today)[0]


def period_corrected(
    *, start: dt.date | None, end: dt.date | None, today: dt.date
) -> tuple[Period, tuple[Correction, ...]]:
    """The period asked for, made sensible, and each correction made (`lms.periods`: the page
    says what was given and what is used): no end → today; no start → 12 months before the end;
    days more than a year ahead become a year ahead (TOO_FAR_AHEAD); a start after the end swaps
    them (SWAPPED); a span longer than ten years is cut to ten years before the end (TOO_LONG: a
    dashboard over a century would read nothing more useful)."""
    corrections: list[Correction] = []
    furthest = today + dt.timedelta(days=FURTHEST_AHEAD_DAYS)
    end = end or today
    if end > furthest:
        corrections.append(Correction(END, TOO_FAR_AHEAD, end.isoformat(), furthest.isoformat()))
        end = furthest
    if start is None:
        start = add_months(end, -DEFAULT_PERIOD_MONTHS) + dt.timedelta(days=1)
    elif start > furthest:
        corrections.append(Correction(START, TOO_FAR_AHEAD, start.isoformat(), furthest.isoformat()))
        start = furthest
    if start > end:
        corrections.append(Correction(START, SWAPPED, start.isoformat(), end.isoformat()))
        start, end = end, start
    if (end - start).days > LONGEST_PERIOD_DAYS:
        earliest = end - dt.timedelta(days=LONGEST_PERIOD_DAYS)
        corrections.append(Correction(START, TOO_LONG, start.isoformat(), earliest.isoformat()))
        start = earliest
    return Period(start=start, end=end), tuple(corrections)


def period_from_filter(dates: DatesRead, *, today: dt.date) -> tuple[Period, tuple[Correction, ...]]:
    """The dashboard's period from a filter's dates as read (`lms.periods.read_dates`), with every
    correction: a date that could not be read is replaced by the default (named in its
    correction), then `period_corrected`."""
    period, corrections = period_corrected(start=dates.start, end=dates.end, today=today)
    used = {START: period.start.isoformat(), END: period.end.isoformat()}
    read = tuple(replace(c, used=used[c.field]) if c.reason == UNREADABLE else c for c in dates.corrections)
    return period, read + corrections


@dataclass(frozen=True, slots=True)
class UnitNode:
    id: int
    parent_id: int | None


def district_rows(units: Iterable[UnitNode], *, viewer_unit_id: int) -> dict[int, int]:
    """Which dashboard row each customs unit counts in: the viewer's own unit is a row, and each
    unit directly under it is a row that also holds the units below it. So GACC sees one row per
    regional customs (its local customs rolled in), a regional customs itself and one row per
    local customs, a local customs itself. Units outside the viewer's subtree are left out."""
    nodes = {u.id: u for u in units}
    rows: dict[int, int] = {}
    for unit in nodes.values():
        current, child = unit, None
        for _ in range(len(nodes)):  # a path up passes each unit at most once; a bad cycle ends here
            if current.id == viewer_unit_id:
                rows[unit.id] = child.id if child is not None else viewer_unit_id
                break
            if current.parent_id is None or current.parent_id not in nodes:
                break
            current, child = nodes[current.parent_id], current
    return rows


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is no whole to share."""
    return part / whole if whole else None
