"""Background jobs of the trainees app."""

from celery import shared_task

from . import services


@shared_task
def cultivation_time_rules() -> list[int]:
    """Nightly (beat): apply the time-based lifecycle rules; idempotent. Returns the ids of the
    enterprises whose cultivation was terminated."""
    return services.cultivation_apply_time_rules()
