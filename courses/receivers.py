"""Reactions to events of other apps."""

from .services import training_session_attendance


def credit_training_session(sender, *, user_id: int | None, session_id: int, status: str, **kwargs) -> None:
    """`training_bases.signals.attendance_recorded`: attendance may complete a course's
    linked-training-session item."""
    if user_id is not None and status in {"present", "late"}:
        training_session_attendance(user_id=user_id, session_id=session_id)
