"""Candidate pages and the attempt API (issue 14 points 4-7). Each view decides access at its
top through `exams.access`; the API answers JSON with 4xx statuses, never a 500."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import access, rules, selectors
from .models import Attempt, Exam
from .services import attempts as svc


@login_required
@require_GET
def exam_list(request):
    exams = access.exams_open_to(request.user).order_by("-opens_at")
    attempts = Attempt.objects.filter(user=request.user).select_related("exam").order_by("-started_at")
    return render(request, "exams/exam_list.html", {"exams": exams, "attempts": attempts})


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
    page = selectors.attempt_page(attempt, now=now)
    return render(request, "exams/attempt.html", {"attempt": attempt, "page": page})


@never_cache
@login_required
@require_GET
def attempt_review(request, attempt_id: int):
    attempt = access.own_attempt_or_404(request.user, attempt_id)
    if attempt.state == Attempt.State.IN_PROGRESS:
        return redirect("exams:attempt", attempt.pk)
    review = selectors.attempt_review(attempt, now=svc.db_now())
    return render(request, "exams/review.html", {"attempt": attempt, "review": review})


@login_required
@require_POST
def attempt_submit(request, attempt_id: int):
    attempt = access.own_attempt_or_404(request.user, attempt_id)
    svc.attempt_submit(attempt=attempt, user=request.user)
    if request.headers.get("accept", "").startswith("application/json"):
        return JsonResponse({"state": Attempt.objects.get(pk=attempt.pk).state})
    return redirect("exams:review", attempt.pk)


# ---------------------------------------------------------------- JSON API of the attempt page


def _json_error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


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
        return _json_error(401, _("Your session has ended; log in again. Your answers are kept."))
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
        return _json_error(401, _("Your session has ended; log in again. Your answers are kept."))
    try:
        attempt = access.own_attempt_or_404(user, attempt_id)
    except Http404:
        return _json_error(404, _("No such attempt."))
    return JsonResponse(selectors.attempt_status(attempt, now=svc.db_now()))
