"""Domain events of courses that other apps react to (readiness recomputes its report), so
courses never calls them."""

from django.dispatch import Signal

# Sent once the transaction that completed an enrolment commits (every required item done).
# kwargs: user_id: int, enterprise_id: int | None, course_key: str (the course's translation key),
# enrolment_id: int. Receivers run outside the completing transaction.
course_completed = Signal()
