"""Training pages: calendar, session, my bookings, officer allocation, roster, exports and QR
check-in. Views parse, check permissions, call a service or selector and render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lms import exports as spreadsheet
from lms import page_cache
from lms.links import site_reverse
from lms.net import client_ip
from lms.redirects import safe_next
from notices import ics as notice_ics
from notices import services as notice_services
from notices.forms import NotificationPreferenceForm
from notices.models import NotificationPreference
from trainees.access import (
    allocation_runs_visible_to,
    is_officer,
    may_act_on_booking,
    may_book,
    may_manage_session,
    may_view_rosters,
    sessions_managed_by,
)
from trainees.models import TrainingType

from . import exports, ics, rules, selectors, services
from .forms import AllocationForm
from .models import AllocationRun, AttendanceRecord, Booking, TrainingSession


def _parse_day(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=rules.SHANGHAI)


def calendar_view(request):
    """Month or week grid of sessions, filtered by base and training type."""
    today = timezone.localdate()
    view = request.GET.get("view") if request.GET.get("view") in {"month", "week"} else "month"
    day = _parse_day(request.GET.get("date"), today)
    if not rules.calendar_day_in_range(day):
        messages.warning(
            request,
            _("The calendar covers %(first)s to %(last)s: showing today instead of %(day)s.")
            % {"first": rules.CALENDAR_FIRST_DAY.year, "last": rules.CALENDAR_LAST_DAY.year, "day": day.isoformat()},
        )
        day = today
    base_slug = request.GET.get("base", "")
    training_type = request.GET.get("type", "")
    if training_type not in TrainingType.values:
        training_type = ""
    include_drafts = is_officer(request.user)

    def grid_context() -> dict:
        if view == "week":
            weeks = [rules.week_days(day)]
            prev_day, next_day = day - dt.timedelta(days=7), day + dt.timedelta(days=7)
        else:
            weeks = rules.month_grid(day.year, day.month)
            prev_day = (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
            next_day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        days = [d for week in weeks for d in week]
        sessions = selectors.session_list(
            start=_local_midnight(days[0]),
            end=_local_midnight(days[-1] + dt.timedelta(days=1)),
            base_slug=base_slug,
            training_type=training_type,
            include_drafts=include_drafts,
        )
        grid = selectors.sessions_by_day(sessions, days)
        return {
            "view": view,
            "day": day,
            "today": today,
            "weeks": [[(d, grid.get(d, [])) for d in week] for week in weeks],
            "bases": selectors.base_list(),
            "training_types": TrainingType.choices,
            "base_slug": base_slug,
            "training_type": training_type,
            "prev_day": prev_day,
            "next_day": next_day,
            "session_count": len(sessions),
        }

    # The grid is the same for everyone who asks for the same period and filters (officers also
    # see drafts): rendered once per seat or content change, whoever is logged in.
    body = page_cache.rendered(
        "calendar",
        (view, day, today, base_slug, training_type, include_drafts),
        "training_bases/_calendar_body.html",
        grid_context,
        depends_on=(page_cache.SEATS, page_cache.CONTENT),
    )
    return render(request, "training_bases/calendar.html", {"calendar_body": body})


def session_detail(request, session_id: int):
    try:
        session = selectors.session_get(session_id=session_id)
    except TrainingSession.DoesNotExist as exc:
        raise Http404 from exc
    if session.status == TrainingSession.Status.DRAFT and not is_officer(request.user):
        raise Http404
    booking = selectors.booking_for(user=request.user, session=session)
    context = {
        "session": session,
        "booking": booking,
        "may_cancel": booking is not None and _cancellable(booking, session, timezone.now()),
        "waitlist_position": selectors.waitlist_position(booking=booking) if booking else None,
        "may_book": may_book(request.user),
        "may_manage": request.user.is_authenticated and may_manage_session(request.user, session),
        "days": rules.session_days(session.starts_at, session.ends_at),
        "training_type": ics.training_type_label(session.training_type),
    }
    return render(request, "training_bases/session_detail.html", context)


@login_required
@require_POST
def session_book(request, session_id: int):
    try:
        booking = services.booking_create(user=request.user, session_id=session_id)
    except TrainingSession.DoesNotExist:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if booking.status == Booking.Status.CONFIRMED:
            messages.success(request, _("Your seat is confirmed. The calendar file is in your bookings."))
        else:
            messages.warning(
                request, _("The session is full: you are on the waitlist and will be told when a seat frees.")
            )
    return redirect("training_bases:session_detail", session_id=session_id)


@login_required
@require_POST
def booking_cancel(request, booking_id: int):
    booking = get_object_or_404(Booking.objects.select_related("session"), pk=booking_id)
    if not may_act_on_booking(request.user, booking):
        raise Http404
    try:
        services.booking_cancel(actor=request.user, booking_id=booking.pk)
    except Booking.DoesNotExist:
        raise Http404 from None  # deleted since it was read above
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your booking is cancelled."))
    return HttpResponseRedirect(safe_next(request, request.POST.get("next"), reverse("training_bases:my_bookings")))


@login_required
@require_http_methods(["GET", "POST"])
def my_bookings(request):
    pref = notice_services.preference_get(user=request.user)
    form = NotificationPreferenceForm(request.POST or None, instance=pref)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("training_bases:my_bookings")
    now = timezone.now()
    page = selectors.my_bookings_page(user=request.user, page_number=request.GET.get("page"))
    for booking in page.object_list:
        booking.cancellable = _cancellable(booking, booking.session, now)
    context = {
        "page": page,
        "form": form,
        # Pasted into a calendar program: the public address, never the request's Host header.
        "feed_url": site_reverse("training_bases:ical_feed", args=[pref.feed_token]),
        "now": now,
    }
    return render(request, "training_bases/my_bookings.html", context)


def _cancellable(booking, session, now) -> bool:
    """Offer "Cancel" only when the person may still cancel (before the cut-off, or a waitlist place)."""
    refusal = rules.cancellation_refusal(
        now=now, status=booking.status, cutoff=session.cancellation_cutoff, starts_at=session.starts_at
    )
    return refusal is None


@login_required
def booking_ics(request, booking_id: int):
    booking = get_object_or_404(Booking.objects.select_related("session__base", "session__room", "user"), pk=booking_id)
    if not may_act_on_booking(request.user, booking):
        raise Http404
    response = HttpResponse(ics.booking_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-{booking.session_id}.ics"'
    return response


def ical_feed(request, token: str):
    """Private calendar feed: the token in the URL is the only credential (rotate to revoke)."""
    pref = get_object_or_404(NotificationPreference.objects.select_related("user"), feed_token=token)
    response = HttpResponse(
        notice_ics.feed_ics(notice_services.feed_targets(user_id=pref.user_id)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="aeo-training.ics"'
    return response


@login_required
@require_POST
def feed_rotate(request):
    notice_services.feed_token_rotate(user=request.user)
    messages.success(request, _("A new feed address was created; the old one no longer works."))
    return redirect("training_bases:my_bookings")


# --- Officers -----------------------------------------------------------------------------


def _require_officer(request):
    if not request.user.is_authenticated:
        raise PermissionDenied
    if not is_officer(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def allocation(request):
    _require_officer(request)
    form = AllocationForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.allocation_preview(
                actor=request.user,
                training_type=form.cleaned_data["training_type"],
                round_id=form.cleaned_data["round_id"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            form.add_error("round_id", str(exc))
        else:
            return redirect("training_bases:allocation_detail", run_id=run.pk)
    runs = allocation_runs_visible_to(request.user, AllocationRun.objects.select_related("created_by", "confirmed_by"))[
        :20
    ]
    for run in runs:
        run.training_type_label = ics.training_type_label(run.training_type)
    status = 400 if request.method == "POST" else 200
    return render(request, "training_bases/allocation.html", {"form": form, "runs": runs}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def allocation_detail(request, run_id: int):
    _require_officer(request)
    run = get_object_or_404(
        allocation_runs_visible_to(request.user, AllocationRun.objects.select_related("created_by", "confirmed_by")),
        pk=run_id,
    )
    if request.method == "POST":
        try:
            services.allocation_confirm(actor=request.user, run_id=run.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The allocation is confirmed; trainees are being notified."))
        return redirect("training_bases:allocation_detail", run_id=run.pk)
    decisions = run.plan.get("decisions", [])
    sessions = {
        s.pk: s
        for s in TrainingSession.objects.filter(
            pk__in={d["session_id"] for d in decisions if d["session_id"]}
        ).select_related("base", "room")
    }
    rows = [
        {**d, "session": sessions.get(d["session_id"]), "explanation": services.decision_reason(d)} for d in decisions
    ]
    context = {
        "run": run,
        "rows": rows,
        "counts": run.plan.get("counts", {}),
        "training_type": ics.training_type_label(run.training_type),
    }
    return render(request, "training_bases/allocation_detail.html", context)


def _managed_session(request, session_id: int) -> TrainingSession:
    if not may_view_rosters(request.user):
        raise PermissionDenied
    return get_object_or_404(
        sessions_managed_by(request.user, TrainingSession.objects.select_related("base", "room")), pk=session_id
    )


@login_required
@require_http_methods(["GET", "POST"])
def roster(request, session_id: int):
    session = _managed_session(request, session_id)
    data = selectors.roster(session=session)
    days = data["days"]
    today = timezone.localdate()
    default_day = today if today in days else days[0]
    day = _parse_day(request.GET.get("day") or request.POST.get("day"), default_day)
    if day not in days:
        day = default_day
    if request.method == "POST":
        changed = 0
        for booking in data["confirmed"]:
            status = request.POST.get(f"attendance-{booking.pk}")
            if not status:
                continue
            current = booking.attendance_by_day.get(day)
            if current is not None and current.status == status:
                continue
            try:
                services.attendance_record(actor=request.user, booking_id=booking.pk, day=day, status=status)
                changed += 1
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        messages.success(request, _("Attendance saved (%(n)s changes).") % {"n": changed})
        return redirect(f"{reverse('training_bases:roster', args=[session.pk])}?day={day.isoformat()}")
    rows = [(b, b.attendance_by_day.get(day)) for b in data["confirmed"]]
    context = {
        "session": session,
        "rows": rows,
        "waitlisted": data["waitlisted"],
        "days": days,
        "day": day,
        "statuses": AttendanceRecord.Status.choices,
        "training_type": ics.training_type_label(session.training_type),
    }
    return render(request, "training_bases/roster.html", context)


@login_required
def roster_export(request, session_id: int, kind: str, fmt: str):
    session = _managed_session(request, session_id)
    if kind not in {"roster", "signin"} or fmt not in {"xlsx", "csv", "pdf"}:
        raise Http404
    data = selectors.roster(session=session)
    if fmt != "pdf":
        return spreadsheet.response(
            exports.sheet(session=session, data=data, kind=kind), filename=f"{kind}-{session.pk}", fmt=fmt
        )
    response = HttpResponse(exports.pdf(session=session, data=data, kind=kind), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{kind}-{session.pk}.pdf"'
    return response


@login_required
def checkin_qr(request, session_id: int, day: str):
    """The check-in code for the base's screen; the page reloads itself when the code changes."""
    session = _managed_session(request, session_id)
    the_day = _parse_day(day, dt.date.min)
    if the_day not in rules.session_days(session.starts_at, session.ends_at):
        raise Http404
    now = timezone.now()
    token = services.checkin_token(session_id=session.pk, day=the_day, now=now)
    url = site_reverse("training_bases:checkin", args=[token])  # scanned by phones: the public address
    context = {
        "session": session,
        "day": the_day,
        "url": url,
        "svg": spreadsheet.qr_svg(url, border=2),
        "refresh_seconds": rules.seconds_to_next_code(now),
    }
    return render(request, "training_bases/checkin_qr.html", context)


@login_required
def checkin(request, token: str):
    """Opening the code shown at the base marks the signed-in trainee present or late."""
    try:
        record = services.checkin(user=request.user, token=token, client_address=client_ip(request))
    except ValidationError as exc:
        return render(request, "training_bases/checkin.html", {"error": " ".join(exc.messages)}, status=400)
    return render(request, "training_bases/checkin.html", {"record": record, "session": record.booking.session})
