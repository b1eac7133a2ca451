"""Calendar files of any target: one occurrence per day (RFC 5545 RRULE / RDATE + RECURRENCE-ID)."""

import datetime as dt

from dateutil.rrule import rrulestr
from icalendar import Calendar

from notices import ics
from notices.rules import SHANGHAI
from notices.targets import CONFIRMED, NoticeTarget


def local(day, hour):
    return dt.datetime(2027, 3, day, hour, tzinfo=SHANGHAI)


class Person:
    email = "li.hua@example.cn"

    def __str__(self):
        return "李华"


def target(schedule, **kwargs):
    return NoticeTarget(
        uid="sitting-1@aeo-lms",
        sequence=3,
        state=CONFIRMED,
        recipient=Person(),
        title="AEO 认证考试",
        schedule=schedule,
        location="苏州基地 · 机房 1",
        url="https://lms.example.cn/en/exams/1/",
        **kwargs,
    )


def occurrences(content: bytes) -> list[tuple[dt.datetime, dt.datetime]]:
    """Expand the file as a calendar program does: the series, with overrides applied."""
    cal = Calendar.from_ical(content)
    events = cal.walk("VEVENT")
    master = next(e for e in events if "RECURRENCE-ID" not in e)
    start, end = master.decoded("DTSTART"), master.decoded("DTEND")
    starts = [start]
    if "RRULE" in master:
        starts = list(rrulestr(master["RRULE"].to_ical().decode(), dtstart=start))
    if "RDATE" in master:
        starts += [d.dt for rdate in [master["RDATE"]] for d in rdate.dts]
    spans = {s: (s, s + (end - start)) for s in starts}
    for override in events:
        if "RECURRENCE-ID" in override:
            spans[override.decoded("RECURRENCE-ID")] = (override.decoded("DTSTART"), override.decoded("DTEND"))
    assert {str(e["UID"]) for e in events} == {"sitting-1@aeo-lms"}
    assert {int(e["SEQUENCE"]) for e in events} == {3}
    return sorted(spans.values())


def test_consecutive_days_are_a_daily_series():
    days = [(local(d, 9), local(d, 17)) for d in (1, 2, 3)]
    content = ics.target_ics(target(days))
    assert b"RRULE:FREQ=DAILY;COUNT=3" in content and b"METHOD:REQUEST" in content
    assert occurrences(content) == days


def test_days_with_other_hours_or_gaps_are_kept_as_they_are():
    days = [(local(1, 9), local(1, 17)), (local(2, 9), local(2, 12)), (local(5, 13), local(5, 16))]
    assert occurrences(ics.target_ics(target(days))) == days


def test_a_single_day_is_a_single_event():
    content = ics.target_ics(target([(local(1, 9), local(1, 17))]))
    assert b"RRULE" not in content and occurrences(content) == [(local(1, 9), local(1, 17))]
