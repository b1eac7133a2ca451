"""Reads of notices shaped for pages and reports."""

from __future__ import annotations

from .models import Notice, NotificationPreference


def personal_data(*, user_id: int) -> dict[str, list[dict]]:
    """What this app holds about one person: notice preferences (without the feed secret) and
    the notices recorded for them (2 queries)."""
    return {
        "notice_preferences": list(
            NotificationPreference.objects.filter(user_id=user_id).values(
                "daily_digest", "reminder_days", "sms_reminders"
            )
        ),
        "notices": list(
            Notice.objects.filter(recipient_id=user_id)
            .order_by("created_at", "pk")
            .values("kind", "event_start", "created_at", "sent_at", "sms_sent_at", "superseded")
        ),
    }
