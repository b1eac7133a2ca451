"""Background jobs of the exams."""

from celery import shared_task


@shared_task
def submit_overdue_attempts() -> int:
    """Every minute (beat): submit attempts left open past their deadline plus the grace, at
    their deadline, with their saved answers. Returns how many were submitted."""
    from .services.attempts import attempts_submit_overdue

    return attempts_submit_overdue()
