"""Domain events of courses that other apps react to (readiness recomputes its report, surveys
invite the person), so courses never calls them."""

from django.dispatch import Signal

# Sent once the transaction that completed an enrolment (every required item done, certificate
# issued) commits. kwargs: enrolment_id: int, user_id: int, enterprise_id: int | None,
# course_key: uuid.UUID (the course's translation key), completed_at: aware datetime.
# Receivers run outside the completing transaction.
course_completed = Signal()

# Sent once the transaction that enrolled people in a course commits (one person, or everybody
# newly enrolled from a key training list). kwargs: user_ids: list[int], course_key: uuid.UUID
# (the course's translation key). Live observation credits attendance that came first.
enrolled = Signal()
