"""Background jobs of the trainees app."""

from celery import shared_task

from . import services


@shared_task
def cultivation_time_rules() -> list[int]:
    """Nightly (beat): apply the time-based lifecycle rules; idempotent. Returns the ids of the
    enterprises whose cultivation was terminated."""
    return services.cultivation_apply_time_rules()


@shared_task
def run_import_job(job_id: str) -> str:
    """A web import of more rows than LMS_IMPORT_INLINE_MAX_ROWS. Returns the job's status."""
    from .importing import import_job_run

    return import_job_run(job_id).status
