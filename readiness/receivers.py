"""Readiness listens to the domain signals the other apps send (never `post_save`) and schedules
a debounced recomputation of the enterprise's report once the change commits.

Signals connected (when the sending app is installed and defines the signal):
- `trainees.signals.cultivation_status_changed` (enterprise_id);
- `training_bases.signals.attendance_recorded` (user_id; attendance may complete a course);
- `courses.signals.course_completed` (user_id, enterprise_id), sent when an enrolment completes;
- `live.signals.live_attendance_credited` (user_id or enterprise_id);
- `exams.signals.exam_graded` (user_id), sent when an attempt is graded and when results are released.
A self-assessment submitted in this app schedules its recomputation in `readiness.services`."""

from __future__ import annotations

import importlib

from django.apps import apps

from lms.signals import collect

SIGNALS = (
    ("trainees", "cultivation_status_changed"),
    ("training_bases", "attendance_recorded"),
    ("courses", "course_completed"),
    ("live", "live_attendance_credited"),
    ("exams", "exam_graded"),
)


def enterprise_of(*, enterprise_id: int | None = None, user_id: int | None = None) -> int | None:
    if enterprise_id:
        return enterprise_id
    if user_id:
        from trainees.models import User

        return User.objects.filter(pk=user_id).values_list("enterprise_id", flat=True).first()
    return None


def enterprises_of(changes: list[tuple[int | None, int | None]]) -> set[int]:
    """The enterprises of (enterprise_id, user_id) pairs, the users' looked up in one query."""
    found = {enterprise_id for enterprise_id, _user_id in changes if enterprise_id}
    user_ids = {user_id for enterprise_id, user_id in changes if not enterprise_id and user_id}
    if user_ids:
        from trainees.models import User

        found |= set(
            User.objects.filter(pk__in=user_ids, enterprise_id__isnull=False).values_list("enterprise_id", flat=True)
        )
    return found


def _recompute(changes: list[tuple[int | None, int | None]]) -> None:
    from .report_services import schedule_recompute

    for enterprise_id in sorted(enterprises_of(changes)):
        schedule_recompute(enterprise_id)


def input_changed(sender, **kwargs) -> None:
    """Schedule the recomputation of the changed enterprise's report. A burst of signals sent
    inside `lms.signals.grouped()` (a room's attempts graded at once) schedules one per
    enterprise, after looking its people up in one query."""
    collect("readiness.input_changed", (kwargs.get("enterprise_id"), kwargs.get("user_id")), _recompute)


def connected_signals() -> list[str]:
    """Connect `input_changed` to every signal of SIGNALS that exists; returns their names."""
    names = []
    for app_label, name in SIGNALS:
        if not apps.is_installed(app_label):
            continue
        try:
            module = importlib.import_module(f"{app_label}.signals")
        except ImportError:
            continue
        signal = getattr(module, name, None)
        if signal is None:
            continue
        signal.connect(input_changed, dispatch_uid=f"readiness.{app_label}.{name}")
        names.append(f"{app_label}.{name}")
    return names
