"""Reads of certificates shaped for pages and reports."""

from __future__ import annotations


def personal_data(*, user_id: int) -> dict[str, list[dict]]:
    """What this app holds about one person: the certificates issued to them (1 query)."""
    from .models import Certificate

    return {
        "certificates": list(
            Certificate.objects.filter(holder_id=user_id)
            .order_by("issued_on", "pk")
            .values("number", "kind", "holder_name", "title_zh", "hours", "issued_on", "valid_until", "status")
        )
    }
