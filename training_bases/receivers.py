"""Reactions to events of `trainees`."""

from trainees.models import CultivationStatus

from .services import enterprise_bookings_release

BLOCKING = {CultivationStatus.SUSPENDED, CultivationStatus.TERMINATED}


def release_bookings_on_blocked_cultivation(sender, *, enterprise_id: int, new_status: str, reason: str = "", **kwargs):
    """Suspension or termination releases the enterprise's seats and waitlist places in the same
    transaction; the waitlists move up and e-mails go out after commit."""
    if new_status in BLOCKING:
        enterprise_bookings_release(enterprise_id=enterprise_id, reason=reason)
