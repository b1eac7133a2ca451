"""Events of live observation that other apps (surveys) may react to."""

from django.dispatch import Signal

# Sent after the transaction that first credited a viewer's attendance of a live session (their
# minutes reached the threshold) commits. kwargs: session_id: int, user_id: int.
live_attendance_credited = Signal()
