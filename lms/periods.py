"""Periods read from a page's filter (the "from" and "until" of a query string), and what the
page tells the person when it did not use the dates as given: a date it could not read, a start
after the end, a date corrected by the page's own limits. Pages with a period filter (appraisal,
survey results) read their dates here, so the same input is treated and explained the same way
everywhere, and nothing is filtered differently from what the page says.

Pure: no ORM, no clock (`today` is an argument of the callers that need one)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from lms.spreadsheets import halfwidth

START, END = "start", "end"
# Why a date was not used as given.
UNREADABLE, SWAPPED, TOO_FAR_AHEAD, TOO_LONG = "unreadable", "swapped", "too_far_ahead", "too_long"

_CHINESE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
_SEPARATED = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})")


@dataclass(frozen=True)
class Correction:
    """One date not used as given: `field` (START or END), `reason` (UNREADABLE, SWAPPED,
    TOO_FAR_AHEAD, TOO_LONG), what was `given` (the text as typed, or a date in ISO form) and
    what is `used` instead (a date in ISO form, or "" for no bound)."""

    field: str
    reason: str
    given: str
    used: str


@dataclass(frozen=True)
class DatesRead:
    """The dates of a filter as used (None: no bound) and the corrections made to them."""

    start: dt.date | None
    end: dt.date | None
    corrections: tuple[Correction, ...] = ()


def read_date(text: str | None) -> dt.date | None:
    """A date as people type it in a filter: 2026-03-05 (what a date field sends), 2026/3/5,
    2026.3.5 or 2026年3月5日, in half-width or full-width digits. None when there is no date in
    it (the caller says so: `read_dates`)."""
    text = halfwidth(text or "").strip()[:40]
    match = _SEPARATED.fullmatch(text) or _CHINESE.fullmatch(text)
    if match is None:
        return None
    try:
        return dt.date(*(int(group) for group in match.groups()))
    except ValueError:
        return None


def read_dates(start_text: str | None, end_text: str | None) -> DatesRead:
    """The start and end of a filter: a date that cannot be read is left out (no bound) with an
    UNREADABLE correction; a start after the end is swapped with a SWAPPED correction, so the
    period shown is the one the person meant and never all results."""
    corrections: list[Correction] = []
    dates: dict[str, dt.date | None] = {}
    for field, text in ((START, start_text), (END, end_text)):
        dates[field] = read_date(text)
        if dates[field] is None and (text or "").strip():
            corrections.append(Correction(field, UNREADABLE, (text or "").strip()[:40], ""))
    start, end = dates[START], dates[END]
    if start is not None and end is not None and start > end:
        corrections.append(Correction(START, SWAPPED, start.isoformat(), end.isoformat()))
        start, end = end, start
    return DatesRead(start, end, tuple(corrections))


def correction_message(correction: Correction) -> str:
    """What a page tells the person about one correction, naming what was given and what is used."""
    values = {"given": correction.given, "used": correction.used}
    start = correction.field == START
    if correction.reason == UNREADABLE:
        if correction.used:
            message = (
                _("“%(given)s” is not a date (write it as 2026-03-05): the period starts on %(used)s.")
                if start
                else _("“%(given)s” is not a date (write it as 2026-03-05): the period ends on %(used)s.")
            )
        else:
            message = (
                _("“%(given)s” is not a date (write it as 2026-03-05): shown without a start date.")
                if start
                else _("“%(given)s” is not a date (write it as 2026-03-05): shown without an end date.")
            )
    elif correction.reason == SWAPPED:
        message = _("The start (%(given)s) came after the end (%(used)s): the two dates were swapped.")
    elif correction.reason == TOO_FAR_AHEAD:
        message = (
            _("%(given)s is more than a year ahead: the period starts on %(used)s.")
            if start
            else _("%(given)s is more than a year ahead: the period ends on %(used)s.")
        )
    elif correction.reason == TOO_LONG:
        message = _("A period can cover at most ten years: it starts on %(used)s instead of %(given)s.")
    else:  # pragma: no cover - every reason is named above
        message = _("A date was corrected.")
    return message % values


def correction_messages(corrections) -> list[str]:
    """`correction_message` of each correction, in order."""
    return [correction_message(c) for c in corrections]
