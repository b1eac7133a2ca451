"""Submitting and grading many attempts at once (issue 14, "Grading 10,000 submitted attempts of
50 questions in a worker: < 30 s"): the beat job's time-outs and an invigilator closing a
sitting. Same outcome as `attempts.attempt_submit` one by one — the same rules
(`rules.score_response`, `rules.exam_passed`, `rules.submitted_at`), audit entries and
`exam_graded` signals — with a constant number of statements per chunk of attempts instead of a
dozen per attempt.

Each chunk is one transaction: its attempts are locked in id order (a candidate's own submission
locks one attempt, so nobody waits in a circle), re-checked (an attempt submitted meanwhile is
left alone: one grade), their answers read in one query and scored in Python, then answers,
attempts, audit log and question statistics written with one bulk statement each (COPY-staged on
PostgreSQL, `lms.bulk`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from lms.bulk import copy_rows, log_many, update_rows

from .. import rules
from ..models import Answer, Attempt
from .attempts import Scorer, _announce_graded_many, _stats_update, db_now

State = Attempt.State
CHUNK_SIZE = 500

_ANSWER_INSERT = ("attempt_id", "position", "response", "seq", "saved_at", "points", "fraction", "needs_marking")
_ATTEMPT_UPDATE = ("submitted_at", "finished_by", "paused_at", "score", "state", "passed")


def attempts_submit(
    *,
    attempt_ids: Iterable[int],
    finished_by: str = Attempt.FinishedBy.TIMEOUT,
    user=None,
    chunk_size: int = CHUNK_SIZE,
) -> int:
    """Submit and grade the attempts of `attempt_ids` still in progress, `chunk_size` (default
    500) per transaction, as `attempt_submit` does each: finish time the database's time but
    never after the (pause-extended) deadline, `finished_by` recorded, missing answers stored
    empty, objective questions scored, case analysis left to markers (state MARKING), audit entry
    `exams.attempt_submit` by `user`, versions' statistics raised, and `exam_graded` sent for
    each attempt graded once its chunk commits. Attempts already submitted, or submitted by a
    concurrent call while this one waited for their lock, are left as they are.
    Returns how many attempts this call submitted."""
    ids = sorted(set(attempt_ids))
    finished_by = Attempt.FinishedBy(finished_by).value
    submitted = 0
    for start in range(0, len(ids), chunk_size):
        submitted += _submit_chunk(ids[start : start + chunk_size], finished_by, user)
    return submitted


def _submit_chunk(ids: list[int], finished_by: str, user) -> int:
    with transaction.atomic():
        attempts = list(
            Attempt.objects.select_for_update(of=("self",))
            .select_related("exam", "user")
            .filter(pk__in=ids, state=State.IN_PROGRESS)
            .order_by("pk")
            .only(
                "exam_id",
                "user_id",
                "number",
                "items",
                "deadline",
                "paused_at",
                "max_score",
                "exam__title_zh",
                "exam__pass_mark",
                "exam__results_released_at",
                "user__email",
                "user__first_name",
                "user__last_name",
            )
        )
        if not attempts:
            return 0
        now = db_now()
        stored: dict[int, dict[int, tuple[int, object]]] = {a.pk: {} for a in attempts}
        for answer_id, attempt_id, position, response in Answer.objects.filter(attempt_id__in=stored).values_list(
            "id", "attempt_id", "position", "response"
        ):
            stored[attempt_id][position] = (answer_id, response)

        scorer = Scorer()
        inserts, updates, attempt_rows, scored, graded = [], [], [], [], []
        for attempt in attempts:
            answers = stored[attempt.pk]
            result = scorer.attempt(attempt.items, {p: response for p, (_id, response) in answers.items()})
            for position, score in enumerate(result.scores):
                points = None if score.needs_marking else score.points
                fraction = None if score.needs_marking else score.fraction
                answer = answers.get(position)
                if answer is None:
                    inserts.append((attempt.pk, position, None, 0, now, points, fraction, score.needs_marking))
                else:
                    updates.append((answer[0], points, fraction, score.needs_marking))
            scored.extend(result.scored)
            deadline = rules.effective_deadline(attempt.deadline, paused_at=attempt.paused_at, now=now)
            attempt.submitted_at = rules.submitted_at(now=now, deadline=deadline)
            attempt.finished_by = finished_by
            attempt.paused_at = None
            attempt.score = result.total
            attempt.state = result.state().value
            attempt.passed = result.passed(attempt.max_score, attempt.exam.pass_mark)
            attempt_rows.append(
                (attempt.pk, attempt.submitted_at, finished_by, None, attempt.score, attempt.state, attempt.passed)
            )
            if attempt.state == State.GRADED:
                released = attempt.exam.results_released_at is not None
                graded.append((attempt.pk, attempt.exam_id, attempt.user_id, attempt.passed, released))

        if inserts:
            copy_rows(Answer, _ANSWER_INSERT, inserts)
        update_rows(Answer, ("points", "fraction", "needs_marking"), updates)
        update_rows(Attempt, _ATTEMPT_UPDATE, attempt_rows)
        log_many(
            attempts,
            "exams.attempt_submit",
            user=user,
            data=lambda attempt: {"by": finished_by, "score": str(attempt.score)},
        )
        # Last: the versions' rows are shared with every submission of the same questions.
        _stats_update(scored)
        _announce_graded_many(graded)
    return len(attempts)
