"""Reads of the feedback app, shaped for its pages; query counts do not grow with rows."""

from __future__ import annotations

from django.db.models import QuerySet

from trainees.models import Enterprise

from .models import CertificationOutcome


def outcome_list(*, enterprise: Enterprise) -> QuerySet[CertificationOutcome]:
    """The enterprise's AEO certification applications, newest first, with level and people."""
    return CertificationOutcome.objects.filter(enterprise=enterprise).select_related(
        "credit_level", "recorded_by", "decided_by"
    )
