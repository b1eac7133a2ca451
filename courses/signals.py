"""Events of courses that other apps (surveys) may react to."""

from django.dispatch import Signal

# Sent after the transaction that completed a person's course (and issued its certificate)
# commits. kwargs: enrolment_id: int, user_id: int, course_key: uuid.UUID, completed_at (aware).
course_completed = Signal()
