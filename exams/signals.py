"""Domain events of exams that other apps react to (readiness recomputes its report), so exams
never calls them."""

from django.dispatch import Signal

# Sent once the transaction that graded an attempt commits — at submission when every answer is
# scored automatically, after the last hand marking otherwise — and for every graded attempt when
# its exam's results are released (readiness counts released passes only).
# kwargs: attempt_id: int, exam_id: int, user_id: int, passed: bool | None, released: bool.
# Receivers run outside the grading transaction.
exam_graded = Signal()
