"""iCalendar files for bookings: one event per booking with a stable UID and a SEQUENCE that
grows with every change, so calendar programs update or remove the event they already have."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from . import rules

PRODID = "-//AEO Cultivation LMS//Training bases//ZH"


def event_uid(booking) -> str:
    return f"booking-{booking.uid}@aeo-lms"


def _event(booking, *, cancelled: bool) -> Event:
    session = booking.session
    base = session.base
    event = Event()
    event.add("uid", event_uid(booking))
    event.add("sequence", booking.ics_sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", session.title)
    event.add("location", f"{base.name} · {session.room.name} · {base.address}")
    event.add(
        "description",
        _("Training type: %(type)s. Contact: %(phone)s %(email)s")
        % {
            "type": training_type_label(session.training_type),
            "phone": base.contact_phone,
            "email": base.contact_email,
        },
    )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{base.contact_email or settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(base.name)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{booking.user.email}")
    attendee.params["cn"] = vText(str(booking.user))
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    event.add("attendee", attendee)
    return event


def _calendar(method: str | None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    return cal


def booking_ics(booking) -> bytes:
    """REQUEST while the seat is confirmed, CANCEL once it is cancelled or released."""
    method = rules.ics_method(booking.status)
    cal = _calendar(method)
    cal.add_component(_event(booking, cancelled=method == "CANCEL"))
    return cal.to_ical()


def feed_ics(bookings: Iterable) -> bytes:
    """A person's private feed: their confirmed seats (no METHOD: a published calendar)."""
    cal = _calendar(None)
    cal.add("x-wr-calname", _("AEO training sessions"))
    for booking in bookings:
        cal.add_component(_event(booking, cancelled=False))
    return cal.to_ical()


def training_type_label(value: str) -> str:
    try:
        from trainees.models import TrainingType

        return str(TrainingType(value).label)
    except (ImportError, ValueError):
        return value
