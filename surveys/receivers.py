"""Reactions to the domain events of other apps: whoever took part in an event is invited to its
survey. Each signal is sent after its transaction committed, so these run in their own."""

from django.utils import timezone

from .models import EventKind
from .services import participant_invite

ATTENDED = {"present", "late"}


def invite_after_training_session(sender, *, user_id: int | None, session_id: int, status: str, **kwargs) -> None:
    """`training_bases.signals.attendance_recorded`: a present or late participant is invited."""
    if status in ATTENDED:
        participant_invite(event_kind=EventKind.TRAINING_SESSION, user_id=user_id, session_id=session_id)


def invite_after_live_session(sender, *, user_id: int, session_id: int, **kwargs) -> None:
    """`live.signals.live_attendance_credited`."""
    participant_invite(event_kind=EventKind.LIVE_SESSION, user_id=user_id, session_id=session_id)


def invite_after_course(sender, *, user_id: int, course_key, completed_at, **kwargs) -> None:
    """`courses.signals.course_completed`: surveyed with that month's completions."""
    participant_invite(
        event_kind=EventKind.COURSE,
        user_id=user_id,
        course_key=course_key,
        completed_on=timezone.localdate(completed_at),
        now=completed_at,
    )
