"""Domain events other apps react to. `trainees` is the ground floor and imports no other app, so
apps built on it (bookings, exams, readiness) subscribe to these instead of being called."""

from django.dispatch import Signal

# Sent inside the transaction that changed an enterprise's cultivation status, after the change
# is written. kwargs: enterprise_id: int, old_status: str, new_status: str, actor_id: int | None,
# reason: str. Receivers write in the same transaction (e.g. release seats on suspension) and
# defer e-mails with transaction.on_commit.
cultivation_status_changed = Signal()
