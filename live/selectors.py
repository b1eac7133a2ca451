"""Reads of live observation: the attendance report and the readiness selector (issue 12,
points 5 and 6). Query counts do not grow with the number of viewers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from courses import watchtime

from .models import LiveSession, Registration


@dataclass(frozen=True)
class AttendanceRow:
    user_id: int
    name: str
    email: str
    enterprise: str
    minutes: float  # server-credited minutes inside the schedule (one decimal)
    attended: bool
    replay_minutes: float = 0.0  # distinct minutes of the replay watched: learning progress, not attendance


def attendance_report(*, session: LiveSession, registrations: QuerySet[Registration]) -> list[AttendanceRow]:
    """Per person and enterprise: minutes credited and attended yes/no. `registrations` is the
    caller's access-scoped queryset of this session's registrations; replay minutes beside them
    (learning progress, never attendance). Three queries for any N."""
    regs = list(
        registrations.filter(session=session).select_related("user", "enterprise").order_by("enterprise_id", "user_id")
    )
    user_ids = [r.user_id for r in regs]
    seconds = watchtime.watched_seconds(watchable=session.watchable, user_ids=user_ids)
    replay = watchtime.watched_seconds(watchable=session.replay_watchable, user_ids=user_ids) if regs else {}
    threshold = session.threshold_seconds
    return [
        AttendanceRow(
            user_id=r.user_id,
            name=r.user.get_full_name() or r.user.email,
            email=r.user.email,
            enterprise=str(r.enterprise),
            minutes=round(seconds[r.user_id] / 60, 1),
            attended=r.attended_at is not None or seconds[r.user_id] >= threshold,
            replay_minutes=round(replay[r.user_id] / 60, 1),
        )
        for r in regs
    ]


@dataclass(frozen=True)
class LiveAttendance:
    session_id: int
    title: str
    minutes: float
    date: dt.date  # the session's start date in Asia/Shanghai
    title_en: str = ""  # the English title, where the session has one


def enterprise_live_attendance(enterprise_id: int) -> dict[int, list[LiveAttendance]]:
    """For readiness (issue 12, point 5): per person (user id) of the enterprise, the live
    observation sessions they *attended live* (minutes credited inside the schedule reached the
    session's threshold), with minutes and date, oldest first. Replays never count. People
    without an attended session are absent. Two queries for any number of people."""
    return enterprises_live_attendance([enterprise_id]).get(enterprise_id, {})


def enterprises_live_attendance(enterprise_ids: Iterable[int]) -> dict[int, dict[int, list[LiveAttendance]]]:
    """`enterprise_live_attendance` of many enterprises at once: enterprise id → user id → live
    sessions attended, oldest first. Enterprises with no attendance are absent. Two queries
    whatever the number of enterprises and people (keep `enterprise_ids` to a few thousand)."""
    from django.utils.timezone import localtime

    from courses.models import WatchTime

    rows = list(
        Registration.objects.filter(enterprise_id__in=list(enterprise_ids), attended_at__isnull=False)
        .select_related("session")
        .order_by("enterprise_id", "user_id", "session__starts_at")
    )
    seconds = (
        {
            (user_id, watchable): value
            for user_id, watchable, value in WatchTime.objects.filter(
                user_id__in={r.user_id for r in rows}, watchable__in={f"live:{r.session_id}" for r in rows}
            ).values_list("user_id", "watchable", "seconds")
        }
        if rows
        else {}
    )
    result: dict[int, dict[int, list[LiveAttendance]]] = {}
    for r in rows:
        result.setdefault(r.enterprise_id, {}).setdefault(r.user_id, []).append(
            LiveAttendance(
                session_id=r.session_id,
                title=r.session.title,
                title_en=r.session.title_en,
                minutes=round(seconds.get((r.user_id, f"live:{r.session_id}"), r.attended_seconds) / 60, 1),
                date=localtime(r.session.starts_at).date(),
            )
        )
    return result


def personal_data(*, user_id: int) -> dict[str, list[dict]]:
    """What this app holds about one person: live-session registrations and questions asked
    (2 queries)."""
    from .models import Question, Registration

    return {
        "live_registrations": list(
            Registration.objects.filter(user_id=user_id)
            .order_by("created_at", "pk")
            .values("session__title", "session__starts_at", "created_at", "attended_at", "attended_seconds")
        ),
        "live_questions": list(
            Question.objects.filter(user_id=user_id)
            .order_by("created_at", "pk")
            .values("session__title", "text", "answer", "published_at", "created_at")
        ),
    }


@dataclass(frozen=True)
class LiveFigures:
    """Live observation in a period for a set of customs units: `sessions` held (not cancelled)
    with a registration from the units, `registered` places taken by their people, `attended`
    those credited as attended live (`Registration.attended_at`, set when the minutes credited
    inside the schedule reach the threshold), `attendance_rate` attended / registered."""

    sessions: int
    registered: int
    attended: int
    attendance_rate: float | None


def live_figures(*, district_ids: list[int], start: dt.datetime, end: dt.datetime, course_keys=None) -> LiveFigures:
    """Registrations of enterprises in the customs units `district_ids` for live sessions starting
    in [start, end) (aware datetimes), not cancelled; only sessions of `course_keys` (a list or a
    values queryset of course translation keys) when given. One query."""
    from django.db.models import Count, Q

    registrations = Registration.objects.filter(
        enterprise__customs_unit_id__in=district_ids,
        session__starts_at__gte=start,
        session__starts_at__lt=end,
        session__cancelled=False,
    )
    if course_keys is not None:
        registrations = registrations.filter(session__course_key__in=course_keys)
    counts = registrations.aggregate(
        sessions=Count("session_id", distinct=True),
        registered=Count("id"),
        attended=Count("id", filter=Q(attended_at__isnull=False)),
    )
    return LiveFigures(
        sessions=counts["sessions"],
        registered=counts["registered"],
        attended=counts["attended"],
        attendance_rate=(counts["attended"] / counts["registered"]) if counts["registered"] else None,
    )
