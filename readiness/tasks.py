"""Background jobs of the readiness report. Tasks take ids and are safe to retry."""

from celery import shared_task

from . import report_services


@shared_task
def recompute_readiness(enterprise_id: int) -> str:
    """Recompute one enterprise's readiness (debounced: the pending mark is cleared first, so a
    change arriving while this runs schedules one more recomputation)."""
    report_services.clear_pending(enterprise_id)
    record = report_services.readiness_recompute(enterprise_id=enterprise_id)
    return record.status if record else ""


@shared_task
def recompute_all_readiness() -> int:
    """Nightly (beat): recompute every enterprise's readiness."""
    return report_services.recompute_all()
