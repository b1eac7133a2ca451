"""iCalendar files for bookings, written by the shared notices mechanism (`notices.ics`)."""

from __future__ import annotations

from notices import ics as notice_ics

from .notice_targets import describe, training_type_label

__all__ = ["booking_ics", "training_type_label"]


def booking_ics(booking) -> bytes:
    """REQUEST while the seat is confirmed, CANCEL once it is cancelled or released."""
    return notice_ics.target_ics(describe(booking))
