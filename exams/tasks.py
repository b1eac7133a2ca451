"""Background jobs of the exams."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def submit_overdue_attempts() -> int:
    """Every minute (beat): submit attempts left open past their deadline plus the grace, at
    their deadline, with their saved answers. Returns how many were submitted."""
    from .services.attempts import attempts_submit_overdue

    return attempts_submit_overdue()


@shared_task
def build_exam_report(report_id: int) -> None:
    """Build an exam report (results, statistics, XLSX), recording progress on its row; a
    failure marks it failed (the page says so) and is logged."""
    from .services.reports import exam_report_build, exam_report_fail

    try:
        exam_report_build(report_id=report_id)
    except Exception:
        logger.exception("exam report %s failed", report_id)
        exam_report_fail(report_id=report_id)
