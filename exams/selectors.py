"""Reads of the exams shaped for pages and for readiness; a constant number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from . import rules
from .models import Attempt


def attempt_page(attempt: Attempt, *, now: datetime) -> dict:
    """What the attempt page and its status API show (one query for the answers): the
    questions as `rules.candidate_view` gives them (never weights, keys or feedback), each with
    the saved response and its sequence number, the state and the server's seconds left.
    Shape: {"attempt": id, "state": str, "remaining_seconds": int, "server_now": ISO str,
    "questions": [{"position", "points", "response", "seq", "name", "qtype", "single", "stem",
    "stem_format", "options": [{"index", "text"}]}]}."""
    saved = {a.position: a for a in attempt.answers.only("position", "response", "seq")}
    questions = []
    for position, item in enumerate(attempt.items):
        answer = saved.get(position)
        questions.append(
            {
                "position": position,
                "points": item["points"],
                "response": answer.response if answer else None,
                "seq": answer.seq if answer else 0,
                **rules.candidate_view(item["content"], item.get("option_order")),
            }
        )
    return {**attempt_status(attempt, now=now), "questions": questions}


def attempt_status(attempt: Attempt, *, now: datetime) -> dict:
    """State and time of an attempt as the page polls it: {"attempt", "state", "remaining_seconds",
    "server_now", "paused"}. No query."""
    return {
        "attempt": attempt.pk,
        "state": rules.attempt_state(attempt.state, deadline=attempt.deadline, paused_at=attempt.paused_at, now=now),
        "remaining_seconds": rules.remaining_seconds(attempt.deadline, paused_at=attempt.paused_at, now=now),
        "server_now": now.isoformat(),
        "paused": attempt.paused_at is not None,
    }


def _key(content: dict) -> list[str]:
    options = content.get("options") or []
    if content.get("qtype") == rules.ESSAY:
        return []
    return [o["text"] for o in options if rules._decimal(o.get("fraction", 0)) > 0]


def attempt_review(attempt: Attempt, *, now: datetime) -> dict:
    """A submitted attempt as its candidate may review it now: only what the exam's review
    options give the phase, and nothing of the key, correctness, feedback or score before the
    results are released (`rules.review_visible`). Shape: {"visible": set[str], "score",
    "max_score", "passed", "items": [{"position", "stem", "response", "points", "max_points",
    "correct", "key", "feedback"}]} with hidden fields None."""
    exam = attempt.exam
    phase = rules.review_phase(submitted=attempt.state in rules.FINISHED_STATES, closes_at=exam.closes_at, now=now)
    visible = rules.review_visible(
        exam.review_options or {}, phase=phase, released=exam.results_released_at is not None
    )
    graded = attempt.state == Attempt.State.GRADED
    answers = {a.position: a for a in attempt.answers.all()}
    items = []
    for position, item in enumerate(attempt.items):
        content, answer = item["content"], answers.get(position)
        shown = rules.candidate_view(content, item.get("option_order"))
        items.append(
            {
                "position": position,
                "stem": shown["stem"],
                "qtype": shown["qtype"],
                "options": shown["options"],
                "response": (answer.response if answer else None) if "own_answers" in visible else None,
                "max_points": item["points"],
                "points": answer.points if answer and "score" in visible else None,
                "correct": (answer.fraction is not None and answer.fraction >= 1)
                if answer and "correctness" in visible
                else None,
                "key": _key(content) if "key" in visible else None,
                "feedback": content.get("general_feedback") if "feedback" in visible else None,
            }
        )
    show_score = "score" in visible and graded
    return {
        "visible": visible,
        "score": attempt.score if show_score else None,
        "max_score": attempt.max_score,
        "passed": attempt.passed if show_score else None,
        "items": items,
    }


@dataclass(frozen=True)
class ExamPass:
    """One passed exam of a person: `passed_on` is the local (Asia/Shanghai) date of submission."""

    exam_id: int
    title: str
    audience: str  # "enterprise" or "validator"
    passed_on: date
    score: str  # percentage, e.g. "85.00"


def enterprise_exam_results(enterprise_id: int) -> dict[int, list[ExamPass]]:
    """For readiness: per user of the enterprise (user id → list, oldest first), the exams they
    passed, with date and audience. Only graded, passed attempts of exams whose results are
    released count; an exam passed twice is listed once (the first pass). One query."""
    return enterprises_exam_results([enterprise_id]).get(enterprise_id, {})


def enterprises_exam_results(enterprise_ids: Iterable[int]) -> dict[int, dict[int, list[ExamPass]]]:
    """`enterprise_exam_results` of many enterprises at once: enterprise id → user id → exams
    passed (oldest first). Enterprises with no pass are absent. One query whatever the number of
    enterprises and attempts (keep `enterprise_ids` to a few thousand per call)."""
    rows = (
        Attempt.objects.filter(
            user__enterprise_id__in=list(enterprise_ids),
            state=Attempt.State.GRADED,
            passed=True,
            exam__results_released_at__isnull=False,
        )
        .select_related("exam")
        .annotate(enterprise_id=F("user__enterprise_id"))
        .only(
            "user_id", "exam_id", "submitted_at", "score", "max_score",
            "exam__title_zh", "exam__audience", "exam__results_released_at",
        )
        .order_by("user_id", "submitted_at")
    )  # fmt: skip
    results: dict[int, dict[int, list[ExamPass]]] = {}
    for attempt in rows:
        passes = results.setdefault(attempt.enterprise_id, {}).setdefault(attempt.user_id, [])
        if any(p.exam_id == attempt.exam_id for p in passes):
            continue
        passes.append(
            ExamPass(
                exam_id=attempt.exam_id,
                title=attempt.exam.title_zh,
                audience=attempt.exam.audience,
                passed_on=timezone.localdate(attempt.submitted_at),
                score=str(rules.grade_percent(attempt.score, attempt.max_score)),
            )
        )
    return results


def _has_photo(user) -> bool:
    try:
        return user.exam_photo is not None
    except ObjectDoesNotExist:
        return False


SEEN_KEY = "exams:seen:{}"
CONNECTION_LOST_AFTER = 30  # seconds without a save or status poll


def sitting_console(sitting, *, now: datetime) -> list[dict]:
    """The invigilator console's rows, by seat (two queries and one cache read): seat, name,
    photo URL, checked in, attempt id and state, answered count, seconds left, last save,
    connection lost (no save or poll for CONNECTION_LOST_AFTER s while in progress), submitted."""
    from django.core.cache import cache
    from django.db.models import Count, Max, Q

    from .models import Ticket

    tickets = list(
        Ticket.objects.filter(sitting=sitting, revoked_at=None)
        .select_related("user__exam_photo")
        .order_by("seat_number")
    )
    attempts = {
        a.user_id: a
        for a in Attempt.objects.filter(sitting=sitting)
        .exclude(state=Attempt.State.VOIDED)
        .annotate(answered=Count("answers", filter=Q(answers__seq__gt=0)), last_save=Max("answers__saved_at"))
        .order_by("number")
    }
    seen = cache.get_many([SEEN_KEY.format(a.pk) for a in attempts.values()])
    rows = []
    for ticket in tickets:
        attempt = attempts.get(ticket.user_id)
        row = {
            "seat": ticket.seat_number,
            "name": ticket.user.get_full_name(),
            "photo": reverse("exams:photo_of", args=[ticket.user_id]) if _has_photo(ticket.user) else None,
            "checked_in": ticket.checked_in_at is not None,
            "attempt": None,
            "state": "not_checked_in" if ticket.checked_in_at is None else "checked_in",
            "answered": 0,
            "questions": 0,
            "remaining_seconds": None,
            "last_save": None,
            "connection_lost": False,
        }
        if attempt:
            last = max(
                [t for t in (attempt.last_save, seen.get(SEEN_KEY.format(attempt.pk)), attempt.started_at) if t],
            )
            state = rules.attempt_state(attempt.state, deadline=attempt.deadline, paused_at=attempt.paused_at, now=now)
            row.update(
                attempt=attempt.pk,
                state="paused" if attempt.paused_at else state,
                answered=attempt.answered,
                questions=len(attempt.items),
                remaining_seconds=rules.remaining_seconds(attempt.deadline, paused_at=attempt.paused_at, now=now)
                if attempt.state == Attempt.State.IN_PROGRESS
                else None,
                last_save=attempt.last_save.isoformat() if attempt.last_save else None,
                connection_lost=attempt.state == Attempt.State.IN_PROGRESS
                and (now - last).total_seconds() > CONNECTION_LOST_AFTER,
            )
        rows.append(row)
    return rows


def personal_data(*, user_id: int) -> dict[str, list[dict]]:
    """What this app holds about one person: exam tickets, attempts with their results,
    situational interviews and the identity photo (4 queries). Answers stay with the attempt (an
    exam record); the photo itself is shown on the person's photo page."""
    from .models import CandidatePhoto, SituationalInterview, Ticket

    return {
        "exam_tickets": list(
            Ticket.objects.filter(user_id=user_id)
            .order_by("created_at", "pk")
            .values(
                "sitting__exam__title_zh", "sitting__session__starts_at", "seat_number", "checked_in_at", "revoked_at"
            )
        ),
        "exam_attempts": list(
            Attempt.objects.filter(user_id=user_id)
            .order_by("started_at", "pk")
            .values("exam__title_zh", "number", "state", "started_at", "submitted_at", "score", "max_score", "passed")
        ),
        "interviews": list(
            SituationalInterview.objects.filter(candidate_id=user_id)
            .order_by("held_on", "pk")
            .values("held_on", "pass_mark", "created_at")
        ),
        "exam_photo": list(CandidatePhoto.objects.filter(user_id=user_id).values("uploaded_at")),
    }


@dataclass(frozen=True)
class ExamFigures:
    """Exam results in a period for a set of customs units: `graded` attempts of exams whose
    results are released (as the results page lists them), `passed` among them, `pass_rate`
    passed / graded (None without graded attempts), `candidates` distinct people graded."""

    graded: int
    passed: int
    pass_rate: float | None
    candidates: int


def exam_figures(*, district_ids: list[int], start: datetime, end: datetime, base_slug: str = "") -> ExamFigures:
    """Graded attempts submitted in [start, end) (aware datetimes) by people of enterprises in the
    customs units `district_ids`, of exams whose results are released; only attempts at sittings
    of base `base_slug` when given (online attempts have no base). One query."""
    from django.db.models import Count, Q

    attempts = Attempt.objects.filter(
        user__enterprise__customs_unit_id__in=district_ids,
        state=Attempt.State.GRADED,
        exam__results_released_at__isnull=False,
        submitted_at__gte=start,
        submitted_at__lt=end,
    )
    if base_slug:
        attempts = attempts.filter(sitting__session__base__slug=base_slug)
    counts = attempts.aggregate(
        graded=Count("id"), passed=Count("id", filter=Q(passed=True)), candidates=Count("user_id", distinct=True)
    )
    return ExamFigures(
        graded=counts["graded"],
        passed=counts["passed"],
        pass_rate=(counts["passed"] / counts["graded"]) if counts["graded"] else None,
        candidates=counts["candidates"],
    )


def sittings_listed(queryset):
    """Sittings as the back-office list shows them, with what each row needs in one query:
    exam, base and room loaded; `seats_used` (live tickets), `tickets_revoked` and
    `checked_in` counted."""
    from django.db.models import Count, Q

    return queryset.select_related("exam", "session__base", "session__room").annotate(
        seats_used=Count("tickets", filter=Q(tickets__revoked_at=None), distinct=True),
        tickets_revoked=Count("tickets", filter=Q(tickets__revoked_at__isnull=False), distinct=True),
        checked_in=Count(
            "tickets", filter=Q(tickets__revoked_at=None, tickets__checked_in_at__isnull=False), distinct=True
        ),
    )


def sitting_roster(sitting) -> list[dict]:
    """The live tickets of a sitting by seat, for the roster and the card printout (one query):
    [{"seat", "name", "enterprise", "code", "checked_in_at" (aware or None), "ticket"}]."""
    from .models import Ticket

    tickets = (
        Ticket.objects.filter(sitting=sitting, revoked_at=None)
        .select_related("user__enterprise", "sitting__exam", "sitting__session__base", "sitting__session__room")
        .order_by("seat_number")
    )
    return [
        {
            "seat": ticket.seat_number,
            "name": ticket.user.get_full_name() or ticket.user.email,
            "enterprise": ticket.user.enterprise.name_zh if ticket.user.enterprise_id else "",
            "code": ticket.code,
            "checked_in_at": ticket.checked_in_at,
            "ticket": ticket,
        }
        for ticket in tickets
    ]
