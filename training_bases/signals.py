"""Events of the training bases that other apps (courses, readiness) may react to."""

from django.dispatch import Signal

# Sent after the transaction that recorded a trainee's attendance on a session day commits.
# kwargs: booking_id, user_id, session_id, training_type, day (date), status ("present", "late",
# "absent"). Course completion and readiness count attended days from it.
attendance_recorded = Signal()
