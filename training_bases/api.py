"""JSON API for training sessions and bookings (mounted at /api/training/). Refusals answer 4xx
with {"detail": [...]} (see lms.api), never 500."""

from __future__ import annotations

import datetime as dt
import functools

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from trainees.access import is_officer, may_act_on_booking

from . import rules, selectors, services
from .models import Booking, TrainingSession

router = Router()


def in_request_language(view):
    """API paths carry no language prefix: speak the client's Accept-Language (Chinese by
    default), so refusals read in the user's language."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with translation.override(translation.get_language_from_request(request)):
            return view(request, *args, **kwargs)

    return wrapper


class SessionOut(Schema):
    id: int
    title: str
    training_type: str
    base: str
    room: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    confirmed: int
    waitlisted: int
    status: str


class BookingOut(Schema):
    id: int
    session_id: int
    status: str
    seat_number: int | None
    priority: int


class ErrorOut(Schema):
    detail: list[str] | str


def _session_out(s: TrainingSession) -> SessionOut:
    return SessionOut(
        id=s.pk,
        title=s.title,
        training_type=s.training_type,
        base=s.base.slug,
        room=s.room.name,
        starts_at=s.starts_at,
        ends_at=s.ends_at,
        capacity=s.capacity,
        confirmed=s.n_confirmed,
        waitlisted=s.n_waitlisted,
        status=s.status,
    )


def _booking_out(b: Booking) -> BookingOut:
    return BookingOut(id=b.pk, session_id=b.session_id, status=b.status, seat_number=b.seat_number, priority=b.priority)


@router.get("/sessions", response={200: list[SessionOut], 400: ErrorOut}, auth=None)
@in_request_language
def list_sessions(
    request,
    start: dt.date | None = None,
    end: dt.date | None = None,
    base: str = "",
    training_type: str = "",
):
    """Published sessions overlapping [start, end) (default: the next 90 days). 400 when a date
    lies outside the calendar's years or `end` is before `start`."""
    start = start or timezone.localdate()
    if end is None and rules.calendar_day_in_range(start):
        end = min(start + dt.timedelta(days=90), rules.CALENDAR_LAST_DAY)
    if not (rules.calendar_day_in_range(start) and rules.calendar_day_in_range(end or start)):
        raise ValidationError(
            _("Dates must lie between %(first)s and %(last)s.")
            % {"first": rules.CALENDAR_FIRST_DAY.isoformat(), "last": rules.CALENDAR_LAST_DAY.isoformat()}
        )
    if end < start:
        raise ValidationError(_("The end date is before the start date."))
    sessions = selectors.session_list(
        start=dt.datetime.combine(start, dt.time.min, tzinfo=timezone.get_current_timezone()),
        end=dt.datetime.combine(end, dt.time.min, tzinfo=timezone.get_current_timezone()),
        base_slug=base,
        training_type=training_type,
        include_drafts=is_officer(request.user),
    )
    return [_session_out(s) for s in sessions]


@router.get("/sessions/{session_id}", response={200: SessionOut, 404: ErrorOut}, auth=None)
def get_session(request, session_id: int):
    try:
        session = selectors.session_get(session_id=session_id)
    except TrainingSession.DoesNotExist:
        return Status(404, {"detail": "Not found."})
    if session.status == TrainingSession.Status.DRAFT and not is_officer(request.user):
        return Status(404, {"detail": "Not found."})
    return Status(200, _session_out(session))


@router.post("/sessions/{session_id}/book", response={201: BookingOut, 400: ErrorOut, 404: ErrorOut})
@in_request_language
def book(request, session_id: int):
    get_object_or_404(TrainingSession, pk=session_id)
    return Status(201, _booking_out(services.booking_create(user=request.user, session_id=session_id)))


@router.get("/bookings", response=list[BookingOut])
def my_bookings(request):
    return [_booking_out(b) for b in selectors.my_bookings(user=request.user)]


@router.post("/bookings/{booking_id}/cancel", response={200: BookingOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
@in_request_language
def cancel(request, booking_id: int):
    booking = get_object_or_404(Booking.objects.select_related("session"), pk=booking_id)
    if not may_act_on_booking(request.user, booking):
        raise Http404  # like the page: another person's booking is not found
    return Status(200, _booking_out(services.booking_cancel(actor=request.user, booking_id=booking_id)))
