"""Submitting and grading many attempts at once (issue 14, "Grading 10,000 submitted attempts of
50 questions in a worker: < 30 s"): the beat job's time-outs and an invigilator closing a
sitting. Same outcome as `attempts.attempt_submit` one by one — the same rules
(`rules.score_response`, `rules.exam_passed`, `rules.submitted_at`), audit entries and
`exam_graded` signals — with a constant number of statements per chunk of attempts instead of
about ten per attempt.

Each chunk is one transaction: its attempts are locked in id order (a candidate's own submission
locks one attempt, so nobody waits in a circle), re-checked (an attempt submitted meanwhile is
left alone: one grade), their answers read in one query and scored in Python, then answers,
attempts, audit log and question statistics written with one bulk statement each (COPY-staged on
PostgreSQL, `lms.bulk`). Each attempt's copy of its questions is not read into Python: PostgreSQL
gives a 64-bit fingerprint of each copied question (`jsonb_hash_extended`), and a copy whose
fingerprint is its version's is scored with the version's content, from which it was copied; a
copy that differs is read and scored as it is."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from lms.bulk import copy_rows, log_many, update_rows

from .. import rules
from ..models import Answer, Attempt, QuestionVersion
from .attempts import AttemptScore, Scorer, _announce_graded_many, _stats_update, db_now

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
    scorer, versions, submitted = Scorer(), {}, 0
    for start in range(0, len(ids), chunk_size):
        submitted += _submit_chunk(ids[start : start + chunk_size], finished_by, user, scorer, versions)
    return submitted


_PAPER_PG = {
    "version_ids": "jsonb_path_query_array(exams_attempt.items, '$[*].version_id')",
    "points": "jsonb_path_query_array(exams_attempt.items, '$[*].points')",
    # A fingerprint of each copied question, compared with its version's below.
    "fingerprints": (
        "ARRAY(SELECT jsonb_hash_extended(e -> 'content', 0) "
        "FROM jsonb_array_elements(exams_attempt.items) WITH ORDINALITY AS t(e, n) ORDER BY n)"
    ),
}
_COPIES_PG = """
SELECT a.id, t.n - 1, t.e -> 'content'
FROM exams_attempt AS a CROSS JOIN LATERAL jsonb_array_elements(a.items) WITH ORDINALITY AS t(e, n)
WHERE (a.id, t.n - 1) IN (SELECT * FROM unnest(%s::bigint[], %s::bigint[]))
"""


_LOCKED_FIELDS = (
    "exam_id",
    "user_id",
    "number",
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


@dataclass
class _Paper:
    """An attempt's questions as grading needs them: version ids, points as stored, and keys
    naming each copied content in the `Scorer`."""

    version_ids: list[int]
    points: list
    keys: list


def _locked(ids: list[int]) -> list[Attempt]:
    """The chunk's attempts still in progress, locked in id order (waiting for a candidate's own
    submission, then skipping it if it submitted), with their exam and candidate for the audit
    label. On PostgreSQL the copied questions are not read: only their versions, points and
    fingerprints (`_papers`)."""
    postgres = connection.vendor == "postgresql"
    attempts = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("exam", "user")
        .filter(pk__in=ids, state=State.IN_PROGRESS)
        .order_by("pk")
        .only(*_LOCKED_FIELDS, *(() if postgres else ("items",)))
    )
    if postgres:
        # Constant SQL, no parameters.
        attempts = attempts.annotate(
            paper_version_ids=RawSQL(_PAPER_PG["version_ids"], [], output_field=models.JSONField()),  # noqa: S611
            paper_points=RawSQL(_PAPER_PG["points"], [], output_field=models.JSONField()),  # noqa: S611
            paper_fingerprints=RawSQL(_PAPER_PG["fingerprints"], []),  # noqa: S611
        )
    return list(attempts)


def _papers(attempts: list[Attempt], scorer: Scorer, versions: dict[int, tuple[int, dict]]) -> dict[int, _Paper]:
    """Each attempt's paper, the scorer taught every content it names. On PostgreSQL a copied
    question whose fingerprint is its version's is scored with the version's content (the copy
    was made from it); one that differs is read from the attempt and scored as copied.
    `versions` caches (fingerprint, content) by version id across chunks."""
    if connection.vendor != "postgresql":
        papers = {}
        for attempt in attempts:
            keys = []
            for item in attempt.items:
                key = (item["version_id"], json.dumps(item["content"], sort_keys=True))
                if not scorer.knows(key):
                    scorer.learn(key, item["content"])
                keys.append(key)
            papers[attempt.pk] = _Paper(
                [i["version_id"] for i in attempt.items], [i["points"] for i in attempt.items], keys
            )
        return papers
    wanted = {v for a in attempts for v in a.paper_version_ids} - versions.keys()
    if wanted:
        for pk, fingerprint, content in (
            QuestionVersion.objects.filter(pk__in=wanted)
            .annotate(fingerprint=RawSQL("jsonb_hash_extended(exams_questionversion.content, 0)", []))
            .values_list("pk", "fingerprint", "content")
        ):
            versions[pk] = (fingerprint, content)
    papers, differing = {}, []
    for attempt in attempts:
        keys = []
        for position, (version_id, fingerprint) in enumerate(
            zip(attempt.paper_version_ids, attempt.paper_fingerprints, strict=True)
        ):
            key = (version_id, fingerprint)
            if not scorer.knows(key):
                known = versions.get(version_id)
                if known is not None and known[0] == fingerprint:
                    scorer.learn(key, known[1])
                else:
                    key = ("copy", attempt.pk, position)
                    differing.append((attempt.pk, position))
            keys.append(key)
        papers[attempt.pk] = _Paper(attempt.paper_version_ids, attempt.paper_points, keys)
    if differing:
        with connection.cursor() as cursor:
            cursor.execute(_COPIES_PG, [[a for a, _p in differing], [p for _a, p in differing]])
            for attempt_id, position, content in cursor.fetchall():
                scorer.learn(
                    ("copy", attempt_id, position), json.loads(content) if isinstance(content, str) else content
                )
    return papers


def _submit_chunk(ids: list[int], finished_by: str, user, scorer: Scorer, versions: dict) -> int:
    with transaction.atomic():
        attempts = _locked(ids)
        if not attempts:
            return 0
        now = db_now()
        papers = _papers(attempts, scorer, versions)
        stored: dict[int, dict[int, tuple[int, str | None]]] = {a.pk: {} for a in attempts}
        for answer_id, attempt_id, position, response in (
            Answer.objects.filter(attempt_id__in=stored)
            .annotate(text=Cast("response", models.TextField()))
            .values_list("id", "attempt_id", "position", "text")
        ):
            stored[attempt_id][position] = (answer_id, response)

        inserts, updates, attempt_rows, scored, graded = [], [], [], [], []
        for attempt in attempts:
            paper, answers = papers[attempt.pk], stored[attempt.pk]
            scores = []
            for position, (key, points) in enumerate(zip(paper.keys, paper.points, strict=True)):
                answer = answers.get(position)
                score = scorer.score(key, points, None if answer is None else answer[1])
                scores.append(score)
                marked = not score.needs_marking
                if answer is None:
                    inserts.append(
                        (
                            attempt.pk,
                            position,
                            None,
                            0,
                            now,
                            score.points if marked else None,
                            score.fraction if marked else None,
                            score.needs_marking,
                        )
                    )
                else:
                    updates.append(
                        (
                            answer[0],
                            score.points if marked else None,
                            score.fraction if marked else None,
                            score.needs_marking,
                        )
                    )
            result = AttemptScore.of(paper.version_ids, scores)
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
        update_rows(Answer, ("points", "fraction", "needs_marking"), updates, within=("attempt_id", list(stored)))
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
