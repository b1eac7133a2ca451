"""Nightly retention job (beat: `privacy-purge-expired`)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def purge_expired() -> dict[str, int]:
    """Remove or anonymise what passed its retention period; idempotent."""
    return services.purge_expired(now=timezone.now())
