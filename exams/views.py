"""Candidate pages and the attempt API (issue 14 points 4-7). Each view decides access at its
top through `exams.access`; the API answers JSON with 4xx statuses, never a 500."""

import base64
import json
from datetime import timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lms.net import client_ip

from . import access, rules, selectors
from .models import Answer, Attempt, Exam, Marking, RemarkRequest, Sitting, Ticket
from .services import answer_files, sittings
from .services import attempts as svc
from .services.qualification import validator_qualification


@login_required
@require_GET
def exam_list(request):
    exams = access.exams_open_to(request.user).order_by("-opens_at")
    attempts = Attempt.objects.filter(user=request.user).select_related("exam").order_by("-started_at")
    tickets = (
        Ticket.objects.filter(user=request.user, revoked_at=None)
        .select_related("sitting__exam", "sitting__session__base", "sitting__session__room")
        .order_by("sitting__session__starts_at")
    )
    return render(request, "exams/exam_list.html", {"exams": exams, "attempts": attempts, "tickets": tickets})


@login_required
@require_POST
def attempt_start(request, exam_id: int):
    exam = get_object_or_404(Exam, pk=exam_id)
    if not access.can_take(request.user, exam):
        raise PermissionDenied
    try:
        attempt = svc.attempt_start(exam=exam, user=request.user)
    except svc.AttemptError as exc:
        messages.error(request, exc.message)
        return redirect("exams:list")
    return redirect("exams:attempt", attempt.pk)


@never_cache
@login_required
@require_GET
def attempt_view(request, attempt_id: int):
    attempt = access.own_attempt_or_404(request.user, attempt_id)
    now = svc.db_now()
    if attempt.state != Attempt.State.IN_PROGRESS:
        return redirect("exams:review", attempt.pk)
    # The log-in session outlives the attempt (issue 14 point 4): at least an hour past its deadline.
    if request.session.get_expiry_date() < attempt.deadline + timedelta(hours=1):
        request.session.set_expiry(attempt.deadline + timedelta(hours=1))
    page = selectors.attempt_page(attempt, now=now)
    file_key = base64.b64encode(answer_files.attempt_file_key(attempt.exam, attempt.pk)).decode()
    return render(request, "exams/attempt.html", {"attempt": attempt, "page": page, "file_key": file_key})


@never_cache
@login_required
@require_GET
def attempt_review(request, attempt_id: int):
    attempt = access.own_attempt_or_404(request.user, attempt_id)
    if attempt.state == Attempt.State.IN_PROGRESS:
        return redirect("exams:attempt", attempt.pk)
    review = selectors.attempt_review(attempt, now=svc.db_now())
    certificate = None
    if review["passed"]:
        from certificates.models import Certificate

        certificate = Certificate.objects.filter(
            holder=request.user, kind="exam", subject=f"exam:{attempt.exam_id}", status="valid"
        ).first()
    remark = RemarkRequest.objects.filter(attempt=attempt).first()
    may_ask_remark = (
        remark is None
        and attempt.state == Attempt.State.GRADED
        and attempt.exam.results_released_at is not None
        and Marking.objects.filter(answer__attempt=attempt).exists()
    )
    return render(
        request,
        "exams/review.html",
        {
            "attempt": attempt,
            "review": review,
            "certificate": certificate,
            "remark": remark,
            "may_ask_remark": may_ask_remark,
        },
    )


@login_required
@require_POST
def remark_ask(request, attempt_id: int):
    attempt = access.own_attempt_or_404(request.user, attempt_id)
    try:
        svc.remark_request(attempt=attempt, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your request for a re-mark is sent; a second marker will mark your answers."))
    return redirect("exams:review", attempt.pk)


@login_required
@require_POST
def attempt_submit(request, attempt_id: int):
    attempt = access.own_attempt_or_404(request.user, attempt_id)
    svc.attempt_submit(attempt=attempt, user=request.user)
    if request.headers.get("accept", "").startswith("application/json"):
        return JsonResponse({"state": Attempt.objects.get(pk=attempt.pk).state})
    return redirect("exams:review", attempt.pk)


# ---------------------------------------------------------------- JSON API of the attempt page


def _json_error(status: int, message: str, request=None) -> JsonResponse:
    """A JSON error; to a visitor whose session ended it also gives a CSRF token, so the page's
    log-in dialog can post to the log-in form."""
    body = {"error": message}
    if request is not None and status == 401:
        body["csrf"] = get_token(request)
    return JsonResponse(body, status=status)


def _api_user(request):
    """The API answers 401 JSON (not a redirect to the login page) so the page can ask the
    candidate to log in again without leaving it."""
    if not request.user.is_authenticated:
        return None
    return request.user


@never_cache
@require_POST
def api_answer_save(request, attempt_id: int):
    user = _api_user(request)
    if user is None:
        return _json_error(401, _("Your session has ended; log in again. Your answers are kept."), request)
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return _json_error(400, _("The request is not valid JSON."))
    if not isinstance(data, dict) or "position" not in data or "seq" not in data:
        return _json_error(400, _("Send position, response and seq."))
    try:
        result = svc.answer_save(
            attempt_id=attempt_id, user=user, position=data["position"], response=data.get("response"), seq=data["seq"]
        )
    except svc.AttemptError as exc:
        return _json_error(exc.status, exc.message)
    now = result.saved_at
    return JsonResponse(
        {
            "position": result.position,
            "seq": result.seq,
            "stale": result.stale,
            "saved_at": result.saved_at.isoformat(),
            "state": "in_progress",
            "remaining_seconds": rules.remaining_seconds(result.deadline, paused_at=result.paused_at, now=now),
            "server_now": now.isoformat(),
        }
    )


@never_cache
@require_GET
def api_attempt_status(request, attempt_id: int):
    user = _api_user(request)
    if user is None:
        return _json_error(401, _("Your session has ended; log in again. Your answers are kept."), request)
    try:
        attempt = access.own_attempt_or_404(user, attempt_id)
    except Http404:
        return _json_error(404, _("No such attempt."))
    cache.set(selectors.SEEN_KEY.format(attempt.pk), svc.db_now(), 3600)
    return JsonResponse({**selectors.attempt_status(attempt, now=svc.db_now()), "csrf": get_token(request)})


# ---------------------------------------------------------------- check-in and invigilation


@login_required
@require_http_methods(["GET", "POST"])
def sitting_checkin(request, sitting_id: int):
    sitting = get_object_or_404(Sitting.objects.select_related("exam", "session__base", "session__room"), pk=sitting_id)
    if not sitting.tickets.filter(user=request.user).exists():
        raise Http404
    code = request.GET.get("code", "")[:20]
    if request.method == "POST":
        try:
            sittings.checkin(
                sitting=sitting,
                user=request.user,
                code=request.POST.get("code", ""),
                address=client_ip(request),
            )
        except svc.AttemptError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Checked in. You can start the exam."))
            return redirect("exams:list")
    return render(request, "exams/checkin.html", {"sitting": sitting, "code": code})


def _invigilated_sitting(request, sitting_id: int) -> Sitting:
    if not access.can_invigilate(request.user):
        raise PermissionDenied
    sittings = Sitting.objects.select_related("exam", "session__base", "session__room")
    return get_object_or_404(access.sittings_invigilated_by(request.user, sittings), pk=sitting_id)


@login_required
@require_GET
def sitting_console(request, sitting_id: int):
    sitting = _invigilated_sitting(request, sitting_id)
    attempts = (
        sitting.attempts.exclude(state=Attempt.State.VOIDED)
        .select_related("user")
        .order_by("user__last_name", "number")
    )
    seats = dict(sitting.tickets.filter(revoked_at=None).values_list("user_id", "seat_number"))
    choices = [(a.pk, seats.get(a.user_id), a.user.get_full_name() or a.user.email, a.number) for a in attempts]
    return render(request, "exams/console.html", {"sitting": sitting, "attempt_choices": choices})


@never_cache
@login_required
@require_GET
def api_sitting_console(request, sitting_id: int):
    sitting = _invigilated_sitting(request, sitting_id)
    return JsonResponse({"rows": selectors.sitting_console(sitting, now=svc.db_now())})


@login_required
@require_POST
def api_sitting_action(request, sitting_id: int):
    sitting = _invigilated_sitting(request, sitting_id)
    action, reason = request.POST.get("action", ""), request.POST.get("reason", "")
    try:
        if action == "close":
            return JsonResponse({"submitted": svc.sitting_close(sitting=sitting, user=request.user)})
        attempt_id = request.POST.get("attempt", "")
        if not attempt_id.isdigit():
            return _json_error(400, _("Choose an attempt of this sitting."))
        attempt = get_object_or_404(Attempt, pk=int(attempt_id), sitting=sitting)
        if action == "add_time":
            try:
                minutes = int(request.POST.get("minutes", ""))
            except ValueError:
                return _json_error(400, _("Give the minutes as a whole number."))
            svc.attempt_add_time(attempt=attempt, minutes=minutes, user=request.user, reason=reason)
        elif action in ("pause", "resume", "void"):
            getattr(svc, f"attempt_{action}")(attempt=attempt, user=request.user, reason=reason)
        else:
            return _json_error(400, _("Unknown action."))
    except ValidationError as exc:
        return _json_error(400, " ".join(exc.messages))
    return JsonResponse({"ok": True})


# ---------------------------------------------------------------- marking and results (back office)


@login_required
@require_GET
def marking_list(request):
    if not access.can_mark(request.user):
        raise PermissionDenied
    answers = (
        Answer.objects.filter(needs_marking=True, attempt__state=Attempt.State.MARKING)
        .select_related("attempt__exam")
        .order_by("attempt__submitted_at")[:200]
    )
    # Re-marks asked for: hand-marked answers of those attempts not yet re-marked, for a
    # marker other than the first.
    remarks = (
        Answer.objects.filter(
            attempt__remark_request__state=RemarkRequest.State.OPEN, markings__isnull=False, markings__remark=False
        )
        .exclude(markings__remark=True)
        .exclude(markings__marker=request.user)
        .select_related("attempt__exam", "attempt__remark_request")
        .distinct()
        .order_by("attempt__remark_request__requested_at")[:200]
    )
    return render(request, "exams/marking_list.html", {"answers": answers, "remarks": remarks})


@login_required
@require_http_methods(["GET", "POST"])
def marking_answer(request, answer_id: int):
    if not access.can_mark(request.user):
        raise PermissionDenied
    answer = get_object_or_404(Answer.objects.select_related("attempt__exam"), pk=answer_id)
    item = answer.attempt.items[answer.position]
    error = None
    if request.method == "POST":
        try:
            points = Decimal(request.POST.get("points", ""))
        except ArithmeticError:
            error = _("Give the points as a number.")
        else:
            try:
                svc.answer_mark(
                    answer=answer,
                    marker=request.user,
                    points=points,
                    comment=request.POST.get("comment", ""),
                    remark=bool(request.POST.get("remark")),
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, _("Marked."))
                return redirect("exams:marking")
    return render(
        request,
        "exams/marking_answer.html",
        {"answer": answer, "item": item, "error": error, "markings": answer.markings.select_related("marker")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def exam_results(request, exam_id: int):
    if not access.can_release(request.user):
        raise PermissionDenied
    exam = get_object_or_404(Exam, pk=exam_id)
    if request.method == "POST":
        svc.exam_results_release(exam=exam, user=request.user)
        messages.success(request, _("Results released."))
        return redirect("exams:results", exam.pk)
    attempts = (
        exam.attempts.select_related("user").exclude(state=Attempt.State.IN_PROGRESS).order_by("user_id", "number")
    )
    return render(request, "exams/results.html", {"exam": exam, "attempts": attempts})


@login_required
@require_GET
def qualification(request, user_id: int | None = None):
    if user_id is None:
        if not access.is_validator_candidate(request.user):
            raise PermissionDenied
        person = request.user
    else:
        if not access.can_release(request.user):
            raise PermissionDenied
        person = get_object_or_404(get_user_model(), pk=user_id)
    return render(
        request,
        "exams/qualification.html",
        {
            "person": person,
            "result": validator_qualification(user=person),
            "may_record": user_id is not None and access.can_release(request.user),
        },
    )
