"""Background jobs of consultations (idempotent, safe to retry)."""

from celery import shared_task


@shared_task
def flag_overdue_consultations() -> int:
    """Hourly: tell coordinators of questions past their district's answer time (once per due
    time). Returns how many were flagged."""
    from .services import overdue_flag

    return overdue_flag()
