"""Reads shaped for the training pages; each runs a fixed number of queries whatever the number
of sessions or bookings."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet

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
    attendance tallies; the query count does not grow with the number of bookings."""
    page = Paginator(_my_bookings_queryset(user), per_page).get_page(page_number)
    page.object_list = _with_tallies(page.object_list)
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
