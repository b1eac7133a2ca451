"""Reads shaped for the training pages; each runs a fixed number of queries whatever the number
of sessions or bookings."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from lms.links import id_url
from lms.translation import choice_labels

from . import rules
from .models import AttendanceRecord, Booking, TrainingBase, TrainingSession

VISIBLE_STATUSES = [
    TrainingSession.Status.OPEN,
    TrainingSession.Status.FULL,
    TrainingSession.Status.CLOSED,
    TrainingSession.Status.COMPLETED,
    TrainingSession.Status.CANCELLED,
]


def _with_counts(qs: QuerySet) -> QuerySet:
    return qs.select_related("base", "room").annotate(
        n_confirmed=Count("bookings", filter=Q(bookings__status=Booking.Status.CONFIRMED), distinct=True),
        n_waitlisted=Count("bookings", filter=Q(bookings__status=Booking.Status.WAITLISTED), distinct=True),
    )


def session_list(
    *,
    start: dt.datetime,
    end: dt.datetime,
    base_slug: str = "",
    training_type: str = "",
    include_drafts: bool = False,
) -> list[TrainingSession]:
    """Sessions overlapping [start, end), with their base, room and seat counts (1 query)."""
    qs = TrainingSession.objects.filter(starts_at__lt=end, ends_at__gt=start)
    if not include_drafts:
        qs = qs.filter(status__in=VISIBLE_STATUSES)
    if base_slug:
        qs = qs.filter(base__slug=base_slug)
    if training_type:
        qs = qs.filter(training_type=training_type)
    return list(_with_counts(qs).order_by("starts_at", "pk"))


def sessions_by_day(sessions: list[TrainingSession], days: list[dt.date]) -> dict[dt.date, list[TrainingSession]]:
    """Place each session on every local day it covers (no queries)."""
    wanted = set(days)
    grid: dict[dt.date, list[TrainingSession]] = defaultdict(list)
    for session in sessions:
        for day in rules.session_days(session.starts_at, session.ends_at):
            if day in wanted:
                grid[day].append(session)
    return grid


def base_list() -> list[TrainingBase]:
    return list(TrainingBase.objects.order_by("slug"))


def session_get(*, session_id: int) -> TrainingSession:
    return _with_counts(TrainingSession.objects.filter(pk=session_id)).prefetch_related("trainers").get()


def booking_for(*, user, session: TrainingSession) -> Booking | None:
    if not user.is_authenticated:
        return None
    return Booking.objects.filter(user=user, session=session, status__in=Booking.ACTIVE).order_by("-created_at").first()


def waitlist_position(*, booking: Booking) -> int | None:
    if booking.status != Booking.Status.WAITLISTED:
        return None
    ahead = Booking.objects.filter(session_id=booking.session_id, status=Booking.Status.WAITLISTED).filter(
        Q(priority__lt=booking.priority)
        | Q(priority=booking.priority, created_at__lt=booking.created_at)
        | Q(priority=booking.priority, created_at=booking.created_at, pk__lt=booking.pk)
    )
    return ahead.count() + 1


def _with_tallies(bookings: QuerySet) -> list[Booking]:
    """Attach `tally` (rules.AttendanceTally) to each booking; the register comes in one query."""
    bookings = list(bookings.prefetch_related("attendance"))
    for booking in bookings:
        days = rules.session_days(booking.session.starts_at, booking.session.ends_at)
        booking.tally = rules.attendance_tally(days, {r.day: r.status for r in booking.attendance.all()})
    return bookings


def _my_bookings_queryset(user) -> QuerySet:
    return (
        Booking.objects.filter(user=user)
        .select_related("session__base", "session__room")
        .order_by("-session__starts_at", "-pk")
    )


def my_bookings(*, user) -> list[Booking]:
    return _with_tallies(_my_bookings_queryset(user))


MY_BOOKINGS_PAGE_SIZE = 25


def my_bookings_page(*, user, page_number: str | None, per_page: int = MY_BOOKINGS_PAGE_SIZE):
    """One page (Django `Page`, newest session first) of a person's bookings with their
    attendance tallies; the query count does not grow with the number of bookings. Each booking
    also carries what its row shows, looked up once for the page (active language and time zone):
    `when`, `status_label`, `session_url`, `ics_url` and `cancel_url`."""
    page = Paginator(_my_bookings_queryset(user), per_page).get_page(page_number)
    page.object_list = _with_tallies(page.object_list)
    statuses = choice_labels(Booking.Status.choices)
    session_url = id_url("training_bases:session_detail")
    ics_url = id_url("training_bases:booking_ics")
    cancel_url = id_url("training_bases:booking_cancel")
    zone = timezone.get_current_timezone()
    for booking in page.object_list:
        session = booking.session
        starts, ends = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
        booking.when = f"{starts:%Y-%m-%d %H:%M} – {ends:%m-%d %H:%M}"
        booking.status_label = statuses.get(booking.status, booking.status)
        booking.session_url = session_url(booking.session_id)
        booking.ics_url = ics_url(booking.pk)
        booking.cancel_url = cancel_url(booking.pk)
    return page


def enterprise_attendance(*, enterprise_id: int) -> list[Booking]:
    """Seats an enterprise's people held, with their attendance: what course completion and the
    readiness report count (`booking.tally.completed`)."""
    return _with_tallies(
        Booking.objects.filter(
            enterprise_id=enterprise_id, status__in=[Booking.Status.CONFIRMED, Booking.Status.NO_SHOW]
        )
        .select_related("session", "user")
        .order_by("session__starts_at", "user_id", "pk")
    )


def feed_bookings(*, user_id: int) -> list[Booking]:
    return list(
        Booking.objects.filter(user_id=user_id, status=Booking.Status.CONFIRMED)
        .select_related("session__base", "session__room", "user")
        .order_by("session__starts_at")
    )


def roster(*, session: TrainingSession) -> dict:
    """Confirmed seats, the waitlist in priority order, and attendance per day (3 queries)."""
    bookings = list(
        Booking.objects.filter(session=session)
        .select_related("user", "enterprise")
        .prefetch_related(Prefetch("attendance", queryset=AttendanceRecord.objects.order_by("day")))
        .order_by("priority", "created_at", "pk")
    )
    confirmed = sorted(
        (b for b in bookings if b.status in {Booking.Status.CONFIRMED, Booking.Status.NO_SHOW}),
        key=lambda b: (b.seat_number or 0, b.enterprise.name_zh, b.user.last_name, b.user.first_name, b.pk),
    )
    waitlisted = [b for b in bookings if b.status == Booking.Status.WAITLISTED]
    days = rules.session_days(session.starts_at, session.ends_at)
    for booking in bookings:
        booking.attendance_by_day = {r.day: r for r in booking.attendance.all()}
    return {"confirmed": confirmed, "waitlisted": waitlisted, "days": days}


def allocation_rounds(*, actor, training_type: str | None = None) -> list:
    """The officer's published selection rounds (their customs district; every round at GACC)
    that hold a key training list, of `training_type` when given; latest published first."""
    from trainees.access import rounds_visible_to
    from trainees.models import SelectionRound

    qs = rounds_visible_to(actor).filter(status=SelectionRound.Status.PUBLISHED)
    qs = qs.filter(entries__training_type=training_type) if training_type else qs.filter(entries__isnull=False)
    return list(qs.distinct().select_related("customs_unit").order_by("-published_at", "-id"))


def personal_data(*, user_id: int) -> dict[str, list[dict]]:
    """What this app holds about one person (PIPL Art. 45, the right to a copy): their seat
    bookings and the attendance recorded on them, as plain rows (2 queries)."""
    bookings = list(
        Booking.objects.filter(user_id=user_id)
        .order_by("created_at", "pk")
        .values(
            "id",
            "session__title_zh",
            "session__starts_at",
            "session__ends_at",
            "enterprise__name_zh",
            "training_type",
            "position",
            "status",
            "source",
            "seat_number",
            "reason",
            "created_at",
            "cancelled_at",
        )
    )
    attendance = list(
        AttendanceRecord.objects.filter(booking__user_id=user_id)
        .order_by("day", "pk")
        .values("booking_id", "booking__session__title_zh", "day", "status", "method", "recorded_at", "client_address")
    )
    return {"bookings": bookings, "attendance": attendance}


# --- Appraisal and the expert roster (issue 17) -----------------------------------------------

# Sessions that took or take place (drafts and cancelled sessions delivered nothing).
HELD_STATUSES = [
    TrainingSession.Status.OPEN,
    TrainingSession.Status.FULL,
    TrainingSession.Status.CLOSED,
    TrainingSession.Status.COMPLETED,
]
SEAT_STATUSES = [Booking.Status.CONFIRMED, Booking.Status.NO_SHOW]


@dataclass(frozen=True)
class TrainingFigures:
    """Training at the bases over a period, for a set of customs units.

    `sessions_held` / `hours_delivered`: sessions at bases the units run and their training
    hours (`rules.session_hours`); `seats`: seats held (confirmed or no-show) by the units'
    enterprises in sessions of the period, `trainees`: distinct people in them;
    `days_recorded` / `days_attended`: trainee-days on the register (present, late or absent) and
    those attended (present or late), as the session rosters show them; `attendance_rate`:
    attended / recorded (None when nothing is recorded); `trainee_hours`: attended days times
    each session's daily hours."""

    sessions_held: int
    hours_delivered: float
    seats: int
    trainees: int
    days_recorded: int
    days_attended: int
    attendance_rate: float | None
    trainee_hours: float


def _period_sessions(*, start: dt.datetime, end: dt.datetime, training_type: str, base_slug: str) -> QuerySet:
    qs = TrainingSession.objects.filter(starts_at__gte=start, starts_at__lt=end, status__in=HELD_STATUSES)
    if training_type:
        qs = qs.filter(training_type=training_type)
    if base_slug:
        qs = qs.filter(base__slug=base_slug)
    return qs


def training_figures(
    *,
    district_ids: list[int],
    start: dt.datetime,
    end: dt.datetime,
    training_type: str = "",
    base_slug: str = "",
) -> TrainingFigures:
    """Training delivered and attended in sessions starting in [start, end) (aware datetimes),
    optionally of one training type or base, for the customs units `district_ids`: sessions at
    their bases, and their enterprises' seats and attendance wherever they trained.
    Three queries whatever the number of sessions, bookings and register entries."""
    sessions = _period_sessions(start=start, end=end, training_type=training_type, base_slug=base_slug)
    held = list(sessions.filter(base__customs_unit_id__in=district_ids).values_list("starts_at", "ends_at"))
    seats = Booking.objects.filter(
        session__in=sessions, enterprise__customs_unit_id__in=district_ids, status__in=SEAT_STATUSES
    )
    seat_counts = seats.aggregate(seats=Count("id"), trainees=Count("user_id", distinct=True))
    recorded = attended = 0
    trainee_hours = 0.0
    for starts_at, ends_at, status, n in (
        AttendanceRecord.objects.filter(booking__in=seats)
        .values("booking__session_id", "booking__session__starts_at", "booking__session__ends_at", "status")
        .annotate(n=Count("id"))
        .values_list("booking__session__starts_at", "booking__session__ends_at", "status", "n")
    ):
        recorded += n
        if status in rules.ATTENDED:
            attended += n
            trainee_hours += n * rules.daily_hours(starts_at, ends_at)
    return TrainingFigures(
        sessions_held=len(held),
        hours_delivered=round(sum(rules.session_hours(s, e) for s, e in held), 1),
        seats=seat_counts["seats"],
        trainees=seat_counts["trainees"],
        days_recorded=recorded,
        days_attended=attended,
        attendance_rate=(attended / recorded) if recorded else None,
        trainee_hours=round(trainee_hours, 1),
    )


@dataclass(frozen=True)
class DeliveredSession:
    """A session a trainer taught (for the expert roster)."""

    session_id: int
    title: str
    base: str
    training_type: str
    starts_at: dt.datetime
    hours: float
    status: str


def sessions_delivered_by(
    *, trainer_ids: list[int], until: dt.datetime | None = None
) -> dict[int, list[DeliveredSession]]:
    """Per trainer (user id): the sessions they teach that were held (not drafts or cancelled),
    starting before `until` when given, newest first. One query for any number of trainers."""
    rows = (
        TrainingSession.trainers.through.objects.filter(
            user_id__in=trainer_ids, trainingsession__status__in=HELD_STATUSES
        )
        .select_related("trainingsession__base")
        .order_by("user_id", "-trainingsession__starts_at", "-trainingsession_id")
    )
    if until is not None:
        rows = rows.filter(trainingsession__starts_at__lt=until)
    result: dict[int, list[DeliveredSession]] = {}
    for row in rows:
        session = row.trainingsession
        result.setdefault(row.user_id, []).append(
            DeliveredSession(
                session_id=session.pk,
                title=session.title,
                base=session.base.name,
                training_type=session.training_type,
                starts_at=session.starts_at,
                hours=rules.session_hours(session.starts_at, session.ends_at),
                status=session.status,
            )
        )
    return result
