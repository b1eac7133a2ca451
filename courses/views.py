"""Learning pages and actions: enrol, mark a lesson done, answer a quiz, the video heartbeat,
My learning, enterprise coverage, cohort enrolment and trainer statistics. Each view decides at
its top who may use it."""

from __future__ import annotations

import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lms import exports
from lms.params import int_param
from trainees.access import (
    can_manage_enterprise,
    enterprises_visible_to,
    is_customs_officer,
    is_trainer,
    may_learn,
    rounds_visible_to,
)
from trainees.models import SelectionRound

from . import selectors, services
from .exports import statistics_sheet
from .models import CoursePage, LessonPage


def _live_page(model, page_id: int):
    return get_object_or_404(model.objects.live().public(), pk=page_id)


@require_POST
@login_required
def enrol(request, page_id: int):
    if not may_learn(request.user):
        raise PermissionDenied
    course = get_object_or_404(CoursePage, pk=page_id)
    try:
        _enrolment, created = services.enrolment_create(user=request.user, course=course)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if created:
            messages.success(request, _("You are enrolled. Start with the first lesson."))
        else:
            messages.info(request, _("You were already enrolled in this course."))
    return redirect(course.url if course.live else "courses:my_learning")


@require_POST
@login_required
def lesson_done(request, page_id: int):
    if not may_learn(request.user):
        raise PermissionDenied
    lesson = _live_page(LessonPage, page_id)
    try:
        services.lesson_mark_done(user=request.user, lesson=lesson)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Lesson completed."))
    return redirect(lesson.url)


@require_POST
@login_required
def quiz(request, page_id: int, block_id: str):
    if not may_learn(request.user):
        raise PermissionDenied
    lesson = _live_page(LessonPage, page_id)
    values = [request.POST.get(f"q{i}", "") for i in range(50)]
    answers = [int_param(value, default=None, maximum=1000) for value in values]
    try:
        result = services.quiz_submit(user=request.user, lesson=lesson, block_id=block_id, answers=answers)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        params = {"correct": result.correct, "total": result.total, "percent": result.percent}
        if result.passed:
            messages.success(request, _("Quiz passed: %(correct)s of %(total)s correct (%(percent)s%%).") % params)
        else:
            messages.error(
                request, _("Not passed yet: %(correct)s of %(total)s correct (%(percent)s%%). Try again.") % params
            )
    return redirect(lesson.url + "#quiz")


@require_POST
def heartbeat(request):
    """JSON: {"watchable": "lesson:<uuid>", "played": [[start, end], ...]} → seconds credited.
    Two SQL statements besides authentication; 4xx with a JSON message for bad input."""
    if not may_learn(request.user):
        return JsonResponse({"detail": _("Sign in to record your progress.")}, status=401)
    try:
        payload = json.loads(request.body or b"{}")
        kind, _sep, key = str(payload.get("watchable", "")).partition(":")
        if kind != "lesson":
            raise ValueError
        lesson_key = str(uuid.UUID(key))
        played = payload.get("played", [])
    except (ValueError, AttributeError, TypeError):
        return JsonResponse({"detail": _("This playback report is not valid.")}, status=400)
    try:
        beat = services.lesson_heartbeat(user_id=request.user.pk, lesson_key=lesson_key, played=played)
    except PermissionDenied as exc:
        return JsonResponse({"detail": str(exc) or _("You are not admitted to this video.")}, status=403)
    except ValidationError as exc:
        return JsonResponse({"detail": " ".join(exc.messages)}, status=400)
    return JsonResponse(
        {
            "seconds": beat.seconds,
            "credited": beat.credited,
            "duration": beat.duration_seconds,
            "watched": bool(beat.duration_seconds and beat.seconds >= 0.9 * beat.duration_seconds),
        }
    )


@require_GET
@login_required
def my_learning(request):
    if not may_learn(request.user):
        raise PermissionDenied
    rows = selectors.my_learning(user=request.user)
    return render(
        request,
        "courses/my_learning.html",
        {
            "current": [r for r in rows if not r.enrolment.completed_at],
            "completed": [r for r in rows if r.enrolment.completed_at],
            "enterprise": request.user.enterprise if request.user.enterprise_id else None,
            "may_see_enterprise": request.user.enterprise_id
            and can_manage_enterprise(request.user, request.user.enterprise),
        },
    )


@require_GET
@login_required
def enterprise_coverage(request, enterprise_id: int):
    # Another enterprise or district is not found; a colleague who does not administer it: 403.
    enterprise = get_object_or_404(enterprises_visible_to(request.user), pk=enterprise_id)
    if not can_manage_enterprise(request.user, enterprise):
        raise PermissionDenied
    return render(
        request,
        "courses/enterprise_coverage.html",
        {"enterprise": enterprise, "people": selectors.enterprise_training_coverage(enterprise.pk)},
    )


@login_required
def cohort_enrol(request):
    """An officer enrols a published key training list in a course, in one action."""
    if not is_customs_officer(request.user):
        raise PermissionDenied
    rounds = rounds_visible_to(request.user).filter(status=SelectionRound.Status.PUBLISHED).order_by("-id")
    courses = CoursePage.objects.live().filter(locale__language_code=request.LANGUAGE_CODE).order_by("title")
    report = None
    chosen_round = int_param(request.GET.get("round"))
    if request.method == "POST":
        round_id, course_id = request.POST.get("round", ""), request.POST.get("course", "")
        round_id, course_id = int_param(round_id), int_param(course_id)
        course = courses.filter(pk=course_id).first() if course_id else None
        if course is None or round_id is None:
            messages.error(request, _("Choose a published key training list and a course."))
        else:
            try:
                report = services.cohort_enrol(actor=request.user, round_id=round_id, course=course)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("%(enrolled)s enrolled, %(already)s already enrolled.")
                    % {"enrolled": len(report.enrolled), "already": len(report.already)},
                )
        chosen_round = round_id
    return render(
        request,
        "courses/cohort_enrol.html",
        {"rounds": rounds, "courses": courses, "report": report, "chosen_round": chosen_round},
    )


def _trainer_statistics(request) -> list[selectors.CourseStats]:
    return selectors.course_statistics(courses=selectors.courses_for_trainer(request.user))


@require_GET
@login_required
def trainer_stats(request):
    if not is_trainer(request.user):
        raise PermissionDenied
    return render(request, "courses/trainer_stats.html", {"stats": _trainer_statistics(request)})


@require_GET
@login_required
def trainer_stats_xlsx(request):
    if not is_trainer(request.user):
        raise PermissionDenied
    stats = _trainer_statistics(request)
    return exports.response(statistics_sheet(stats), filename="course-statistics")
