"""Reactions of live observation to other apps' events."""

from __future__ import annotations

from courses.services import live_observation_credit

from .models import Registration


def credit_attendance_before_enrolment(*, user_ids, course_key, **kwargs) -> None:
    """`courses.signals.enrolled`: people who attended a live session of the course before they
    enrolled get the course's live observation item now (their first attended session). One
    query when nobody did."""
    credited: set[int] = set()
    rows = (
        Registration.objects.filter(
            user_id__in=list(user_ids), session__course_key=course_key, attended_at__isnull=False
        )
        .order_by("attended_at", "pk")
        .values_list("user_id", "session_id")
    )
    for user_id, session_id in rows:
        if user_id not in credited:
            credited.add(user_id)
            live_observation_credit(
                user_id=user_id, course_page_translation_key=course_key, live_session_ref=str(session_id)
            )
