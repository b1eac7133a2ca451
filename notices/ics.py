"""iCalendar (RFC 5545) for notice targets: a stable UID per target, a SEQUENCE that grows with
every change, and one occurrence per day for events spanning several days: a daily RRULE when
the days follow each other at the same hours (RDATE otherwise), with a RECURRENCE-ID override for
any day whose hours differ. So a 3-day course shows as three days, not one event through the
nights, and a change or cancellation still replaces the whole series in calendar programs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vRecur, vText

from . import rules
from .targets import CANCELLED, NoticeTarget

PRODID = "-//AEO Cultivation LMS//Notices//ZH"


def _local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(rules.SHANGHAI)


def _common(event: Event, target: NoticeTarget, *, cancelled: bool, stamp: dt.datetime) -> None:
    event.add("uid", target.uid)
    event.add("sequence", target.sequence)
    event.add("dtstamp", stamp)
    event.add("summary", target.title)
    event.add("location", target.location)
    if target.description:
        event.add("description", target.description)
    if target.url:
        event.add("url", target.url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{target.organizer_email or settings.DEFAULT_FROM_EMAIL}")
    if target.organizer_name:
        organizer.params["cn"] = vText(target.organizer_name)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{target.recipient.email}")
    attendee.params["cn"] = vText(str(target.recipient))
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    event.add("attendee", attendee)


def events(target: NoticeTarget, *, cancelled: bool | None = None) -> list[Event]:
    """The VEVENTs of one target: a master (with RRULE or RDATE when there are several days) and
    RECURRENCE-ID overrides for days whose hours differ from the first day's."""
    cancelled = target.state == CANCELLED if cancelled is None else cancelled
    stamp = timezone.now()
    days = sorted((_local(s), _local(e)) for s, e in target.schedule)
    first_start, first_end = days[0]
    master = Event()
    _common(master, target, cancelled=cancelled, stamp=stamp)
    master.add("dtstart", first_start)
    master.add("dtend", first_end)
    overrides = []
    if len(days) > 1:
        generated = [first_start + dt.timedelta(days=i) for i in range(len(days))]
        if all(start.date() == gen.date() for (start, _end), gen in zip(days, generated, strict=True)):
            master.add("rrule", vRecur(freq="DAILY", count=len(days)))
        else:
            generated = [dt.datetime.combine(s.date(), first_start.timetz()) for s, _e in days]
            master.add("rdate", generated[1:])
        duration = first_end - first_start
        for (start, end), instance in zip(days[1:], generated[1:], strict=True):
            if start == instance and end - start == duration:
                continue
            override = Event()
            _common(override, target, cancelled=cancelled, stamp=stamp)
            override.add("recurrence-id", instance)
            override.add("dtstart", start)
            override.add("dtend", end)
            overrides.append(override)
    return [master, *overrides]


def _calendar(method: str | None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    return cal


def target_ics(target: NoticeTarget) -> bytes:
    """A single target's file: METHOD:REQUEST while confirmed, CANCEL once cancelled."""
    method = rules.ics_method(target.state)
    cal = _calendar(method)
    for event in events(target, cancelled=method == "CANCEL"):
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def feed_ics(targets: Iterable[NoticeTarget], *, name: str | None = None) -> bytes:
    """A person's private feed of confirmed places (no METHOD: a published calendar)."""
    cal = _calendar(None)
    cal.add("x-wr-calname", name or _("AEO training sessions"))
    for target in targets:
        for event in events(target, cancelled=False):
            cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
