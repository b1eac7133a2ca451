"""iCalendar files for bookings, written by the shared notices mechanism (`notices.ics`)."""

from __future__ import annotations

from collections.abc import Iterable

from notices import ics as notice_ics

from .notice_targets import describe, event_uid, training_type_label

__all__ = ["booking_ics", "event_uid", "feed_ics", "training_type_label"]


def booking_ics(booking) -> bytes:
    """REQUEST while the seat is confirmed, CANCEL once it is cancelled or released."""
    return notice_ics.target_ics(describe(booking))


def feed_ics(bookings: Iterable) -> bytes:
    """A person's private feed: their confirmed seats (no METHOD: a published calendar)."""
    return notice_ics.feed_ics(describe(b) for b in bookings)
