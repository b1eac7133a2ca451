"""Attempts (issue 14 points 4-7): start, save answers with sequence numbers, submit once,
close overdue attempts at their deadline, grade, mark by hand, release results.

One clock: every time here comes from the database (`db_now`), never from a web server.
Saves take a share lock on the attempt row and submission an exclusive one, so an answer
acknowledged to the candidate is always graded, and a save after submission is refused."""

from __future__ import annotations

import json
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from lms.bulk import log_entry_values
from lms.signals import grouped

from .. import rules
from ..models import Answer, Attempt, DrawnPaper, Exam, Marking, QuestionVersion, Sitting
from ..signals import exam_graded
from .draws import blueprint_draw

State = Attempt.State


def db_now() -> datetime:
    """The database's clock (PostgreSQL `clock_timestamp()`), shared by every web server and
    worker; SQLite (development) falls back to this process's clock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT clock_timestamp()")
            return cursor.fetchone()[0]
    return timezone.now()


def save_grace() -> timedelta:
    """`EXAMS_SAVE_GRACE_SECONDS` (default 30): saves still accepted after the deadline."""
    return timedelta(seconds=getattr(settings, "EXAMS_SAVE_GRACE_SECONDS", 30))


class AttemptError(Exception):
    """A refused request: `status` is the HTTP status the API answers with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


# ---------------------------------------------------------------- start


@dataclass(frozen=True)
class _Earlier:
    pk: int
    state: str
    started_at: datetime
    submitted_at: datetime | None


@dataclass(frozen=True)
class _StartContext:
    """What starting reads, in one statement: the database's time, the extra minutes granted,
    the latest checked-in unrevoked ticket (its sitting, the sitting's end, its paper drawn in
    advance and whether an attempt used that paper) and the candidate's attempts so far."""

    now: datetime
    extra_minutes: int
    ticket_id: int | None
    sitting_id: int | None
    ends_at: datetime | None
    paper_id: int | None
    paper_used: bool
    earlier: list[_Earlier]


# One row per earlier attempt (at least one row); tables named from the models. PostgreSQL and
# SQLite alike, the clock aside.
_START_CONTEXT = """
SELECT {now},
    (SELECT x.minutes FROM exams_extratime AS x WHERE x.exam_id = %(exam)s AND x.user_id = %(user)s),
    t.id, t.sitting_id, ts.ends_at, t.paper_id,
    EXISTS (SELECT 1 FROM exams_attempt AS used WHERE used.paper_id = t.paper_id),
    a.id, a.state, a.started_at, a.submitted_at
FROM (SELECT 1 AS one) AS one
LEFT JOIN exams_ticket AS t ON t.id = (
    SELECT tt.id FROM exams_ticket AS tt JOIN exams_sitting AS ts ON ts.id = tt.sitting_id
    WHERE ts.exam_id = %(exam)s AND tt.user_id = %(user)s AND tt.revoked_at IS NULL
        AND tt.checked_in_at IS NOT NULL
    ORDER BY tt.checked_in_at DESC LIMIT 1
)
LEFT JOIN exams_sitting AS s ON s.id = t.sitting_id
LEFT JOIN training_bases_trainingsession AS ts ON ts.id = s.session_id
LEFT JOIN exams_attempt AS a ON a.exam_id = %(exam)s AND a.user_id = %(user)s
ORDER BY a.id
"""


def _start_context(exam: Exam, user) -> _StartContext:
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(
            _START_CONTEXT.format(now="clock_timestamp()" if postgres else "NULL"), {"exam": exam.pk, "user": user.pk}
        )
        rows = cursor.fetchall()
    now, extra, ticket_id, sitting_id, ends_at, paper_id, used = rows[0][:7]
    return _StartContext(
        now=now if postgres else timezone.now(),
        extra_minutes=extra or 0,
        ticket_id=ticket_id,
        sitting_id=sitting_id,
        ends_at=_aware(ends_at),
        paper_id=paper_id,
        paper_used=bool(used),
        earlier=[_Earlier(r[7], r[8], _aware(r[9]), _aware(r[10])) for r in rows if r[7] is not None],
    )


# A started attempt and its audit entry in one statement (atomic by itself: no transaction to
# open and commit). Its questions are the paper's items, each with its version's content,
# copied inside PostgreSQL (the paper is never read into Python); NULL, which the insert
# refuses, when a version is missing. Columns not named are NULL.
_START_INSERT_PG = """
WITH started AS (
    INSERT INTO exams_attempt (
        exam_id, user_id, sitting_id, number, paper_id, state, started_at, extra_seconds,
        paused_seconds, ends_at, deadline, finished_by, items, max_score
    )
    SELECT %(exam_id)s, %(user_id)s, %(sitting_id)s, %(number)s, %(paper_id)s, %(state)s,
        %(started_at)s, %(extra_seconds)s, 0, %(ends_at)s, %(deadline)s, '',
        (
            SELECT CASE WHEN count(v.id) = count(*)
                THEN jsonb_agg(t.item || jsonb_build_object('content', v.content) ORDER BY t.n) END
            FROM jsonb_array_elements(p.items) WITH ORDINALITY AS t(item, n)
            LEFT JOIN exams_questionversion AS v ON v.id = (t.item ->> 'version_id')::bigint
        ),
        (SELECT coalesce(sum((item ->> 'points')::numeric), 0) FROM jsonb_array_elements(p.items) AS item)
    FROM exams_drawnpaper AS p WHERE p.id = %(paper_id)s
    RETURNING id, max_score
)
INSERT INTO wagtailcore_modellogentry (
    content_type_id, label, action, data, timestamp, uuid, user_id, content_changed, deleted, object_id
)
SELECT %(content_type_id)s, %(label)s, %(action)s, %(data)s, %(timestamp)s, %(uuid)s, %(log_user_id)s,
    FALSE, FALSE, started.id::text
FROM started
RETURNING object_id::bigint, (SELECT max_score FROM started)
"""


def _insert_started(attempt: Attempt) -> None:
    """Insert `attempt` (its paper's questions copied from the paper) and its audit entry
    `exams.attempt_start` in one statement; `items` is left to be read when asked for.
    Raises IntegrityError as the ORM's insert would (a second open attempt)."""
    entry_model, entry = log_entry_values(
        attempt, "exams.attempt_start", user=attempt.user, data={"exam": attempt.exam_id, "number": attempt.number}
    )
    assert entry_model is not None and entry_model._meta.db_table == "wagtailcore_modellogentry"
    params = {
        "exam_id": attempt.exam_id,
        "user_id": attempt.user_id,
        "sitting_id": attempt.sitting_id,
        "number": attempt.number,
        "paper_id": attempt.paper_id,
        "state": State.IN_PROGRESS.value,
        "started_at": attempt.started_at,
        "extra_seconds": attempt.extra_seconds,
        "ends_at": attempt.ends_at,
        "deadline": attempt.deadline,
        **entry,
        "data": json.dumps(entry["data"]),
        "log_user_id": entry["user_id"],
    }
    with connection.cursor() as cursor:
        cursor.execute(_START_INSERT_PG, params)
        row = cursor.fetchone()
    if row is None:
        raise DrawnPaper.DoesNotExist(attempt.paper_id)
    attempt.pk, attempt.max_score = row
    attempt._state.adding = False
    del attempt.items  # read from the row when asked for


def _paper_items(exam: Exam, user, paper_id: int | None) -> tuple[object, list[dict]]:
    """The paper `paper_id` (drawn in advance for a ticket), or a paper drawn now (online), and
    its items with each version's content (SQLite; PostgreSQL copies them in `_ITEMS_PG`)."""
    if paper_id is None:
        paper = blueprint_draw(blueprint=exam.blueprint, count=1, user=user).batch.papers.get()
    else:
        paper = DrawnPaper.objects.get(pk=paper_id)
    versions = QuestionVersion.objects.in_bulk([item["version_id"] for item in paper.items])
    items = [{**item, "content": versions[item["version_id"]].content} for item in paper.items]
    return paper, items


def attempt_start(*, exam: Exam, user) -> Attempt:
    """Start (or resume) `user`'s attempt at `exam`. An open attempt is returned as it is, so a
    reload, a second tab or a double click never makes a second one. A new attempt takes the
    paper its ticket drew in advance when still unused (no lock: a room of candidates starting
    together never queues) or draws one now (online), copies each question version's content,
    and computes its deadline on the database's clock (`rules.attempt_deadline`): capped by the
    checked-in sitting's end, or, online, by the exam's close. With a ticket's paper a start is
    one read (`_start_context`), the insert and its audit entry; a resume is that read and one
    more. Raises AttemptError(409) with the reason (`rules.start_refusal`)."""
    context = _start_context(exam, user)
    open_attempt = next((a for a in context.earlier if a.state == State.IN_PROGRESS), None)
    if open_attempt:
        return Attempt.objects.get(pk=open_attempt.pk)
    earlier = context.earlier
    now, checked_in = context.now, context.ticket_id is not None
    finished = [a.submitted_at or a.started_at for a in earlier if a.state != State.VOIDED]
    refusal = rules.start_refusal(
        now=now,
        opens_at=exam.opens_at,
        closes_at=exam.closes_at,
        attempts_allowed=exam.attempts_allowed,
        finished=finished,
        retake_wait=timedelta(hours=exam.retake_wait_hours),
        online=exam.online or checked_in,
        checked_in=checked_in,
    )
    if refusal:
        raise AttemptError(409, refusal)
    extra = context.extra_minutes
    ends_at = context.ends_at if checked_in else exam.closes_at
    paper_id = context.paper_id if context.paper_id and not context.paper_used else None
    attempt = Attempt(
        exam=exam,
        user=user,
        sitting_id=context.sitting_id if checked_in else None,
        number=len(earlier) + 1,
        paper_id=paper_id,
        started_at=now,
        extra_seconds=extra * 60,
        ends_at=ends_at,
        deadline=rules.attempt_deadline(
            started_at=now,
            duration=timedelta(minutes=exam.duration_minutes),
            extra=timedelta(minutes=extra),
            ends_at=ends_at,
        ),
    )
    try:
        if paper_id is not None and connection.vendor == "postgresql":
            # One statement commits by itself; inside a caller's transaction, a savepoint lets
            # a lost race be answered below.
            with transaction.atomic() if connection.in_atomic_block else nullcontext():
                _insert_started(attempt)
        else:
            with transaction.atomic():
                paper, attempt.items = _paper_items(exam, user, paper_id)
                attempt.paper_id = paper.pk
                attempt.max_score = sum((Decimal(item["points"]) for item in attempt.items), Decimal(0))
                attempt.save(force_insert=True)
                log(attempt, "exams.attempt_start", user=user, data={"exam": exam.pk, "number": attempt.number})
    except IntegrityError:
        # Two starts at once: the other one won; resume it.
        return Attempt.objects.get(exam=exam, user=user, state=State.IN_PROGRESS)
    return attempt


# ---------------------------------------------------------------- saving answers


@dataclass(frozen=True)
class SaveResult:
    """`seq`: the sequence number now stored (higher than the request's when a newer answer was
    already saved: `stale` is then true and nothing changed). `saved_at` from the database."""

    position: int
    seq: int
    stale: bool
    saved_at: datetime
    deadline: datetime
    paused_at: datetime | None = None


_LOCK_PG = """
SELECT state, deadline, paused_at, items -> %s::int, clock_timestamp()
FROM exams_attempt WHERE id = %s AND user_id = %s FOR SHARE
"""
_LOCK_SQLITE = """
SELECT state, deadline, paused_at, json_extract(items, '$[' || %s || ']'), NULL
FROM exams_attempt WHERE id = %s AND user_id = %s
"""
_UPSERT = """
INSERT INTO exams_answer (attempt_id, position, response, seq, saved_at, needs_marking)
VALUES (%s, %s, {json}, %s, %s, FALSE)
ON CONFLICT (attempt_id, position) DO UPDATE
SET response = excluded.response, seq = excluded.seq, saved_at = excluded.saved_at
WHERE exams_answer.seq < excluded.seq
RETURNING seq, saved_at
"""


def answer_save(*, attempt_id: int, user, position: int, response, seq: int) -> SaveResult:
    """Save one answer (issue 14 point 5) in two SQL statements: a share lock on the candidate's
    own attempt (with the database's time), then an insert-or-update that only replaces a lower
    sequence number. Committed before it returns, so an acknowledgement means the answer is
    kept. `position`: the question's index on the paper (0-based); `response`: as
    `rules.score_response` takes it; `seq`: a positive integer the page raises at each change.
    Raises AttemptError: 404 someone else's or unknown attempt; 400 a question not on the paper
    or an invalid response; 409 closed, paused or past the deadline plus the grace."""
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise AttemptError(400, _("The save has no valid sequence number."))
    if not isinstance(position, int) or isinstance(position, bool) or position < 0:
        raise AttemptError(400, _("That question is not on your paper."))
    postgres = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_LOCK_PG if postgres else _LOCK_SQLITE, [position, attempt_id, user.pk])
        row = cursor.fetchone()
        if row is None:
            raise AttemptError(404, _("No such attempt."))
        state, deadline, paused_at, item, now = row
        if isinstance(item, str):  # Django leaves JSON undecoded on both databases
            item = json.loads(item)
        if not postgres:
            deadline = _aware(deadline)
            paused_at = _aware(paused_at)
            now = timezone.now()
        if item is None:
            raise AttemptError(400, _("That question is not on your paper."))
        refusal = rules.save_refusal(state, deadline=deadline, paused_at=paused_at, now=now, grace=save_grace())
        if refusal:
            raise AttemptError(refusal.status, refusal.message)
        problem = rules.response_error(item["content"], response)
        if problem:
            raise AttemptError(400, problem)
        cursor.execute(
            _UPSERT.format(json="%s::jsonb" if postgres else "%s"),
            [attempt_id, position, json.dumps(response, ensure_ascii=False), seq, now],
        )
        stored = cursor.fetchone()
        if stored is None:
            cursor.execute(
                "SELECT seq, saved_at FROM exams_answer WHERE attempt_id = %s AND position = %s",
                [attempt_id, position],
            )
            current_seq, saved_at = cursor.fetchone()
            return SaveResult(position, current_seq, True, _aware(saved_at), deadline, paused_at)
    return SaveResult(position, stored[0], False, _aware(stored[1]), deadline, paused_at)


def _aware(value):
    if value is None or (isinstance(value, datetime) and timezone.is_aware(value)):
        return value
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return timezone.make_aware(value, UTC) if timezone.is_naive(value) else value


# ---------------------------------------------------------------- submission and grading


_STATS_PG = """
WITH locked AS MATERIALIZED (
    SELECT id FROM exams_questionversion WHERE id = ANY(%s) ORDER BY id FOR UPDATE
)
UPDATE exams_questionversion AS v
SET times_answered = v.times_answered + d.n, score_sum = v.score_sum + d.s
FROM locked, unnest(%s::bigint[], %s::integer[], %s::numeric[]) AS d(id, n, s)
WHERE v.id = locked.id AND v.id = d.id
"""


def _stats_update(scored: list[tuple[int, Decimal]]) -> None:
    """Raise `times_answered` and `score_sum` of the versions answered, in one statement. The
    rows are locked in id order first, so a candidate's submission and a batch grading the same
    questions never wait on each other in a circle."""
    if not scored:
        return
    counts: dict[int, list] = {}
    for version_id, fraction in scored:
        entry = counts.setdefault(version_id, [0, Decimal(0)])
        entry[0] += 1
        entry[1] += fraction
    if connection.vendor == "postgresql":
        ids = sorted(counts)
        with connection.cursor() as cursor:
            cursor.execute(_STATS_PG, [ids, ids, [counts[v][0] for v in ids], [counts[v][1] for v in ids]])
        return
    QuestionVersion.objects.filter(id__in=counts).update(
        times_answered=F("times_answered") + Case(*[When(id=v, then=Value(n)) for v, (n, _s) in counts.items()]),
        score_sum=F("score_sum")
        + Case(
            *[When(id=v, then=Value(s)) for v, (_n, s) in counts.items()],
            output_field=QuestionVersion._meta.get_field("score_sum"),
        ),
    )


def _announce_graded(attempt: Attempt, *, released: bool) -> None:
    """Tell other apps (readiness) once the grading transaction commits."""
    transaction.on_commit(
        partial(
            exam_graded.send,
            sender=Attempt,
            attempt_id=attempt.pk,
            exam_id=attempt.exam_id,
            user_id=attempt.user_id,
            passed=attempt.passed,
            released=released,
        )
    )


def _announce_graded_many(graded: list[tuple[int, int, int, bool | None, bool]]) -> None:
    """`exam_graded` for each (attempt id, exam id, user id, passed, released) once the
    transaction commits, as `_announce_graded` sends it for one, in one burst
    (`lms.signals.grouped`): a receiver that can (readiness) does its work once for all."""

    def send() -> None:
        with grouped():
            for attempt_id, exam_id, user_id, passed, released in graded:
                exam_graded.send(
                    sender=Attempt,
                    attempt_id=attempt_id,
                    exam_id=exam_id,
                    user_id=user_id,
                    passed=passed,
                    released=released,
                )

    if graded:
        transaction.on_commit(send)


class Scorer:
    """Scores questions with the pure `rules.score_response`, building each question's content
    once and scoring each distinct (content, points, response) once: a room of candidates gives
    the same few answers to each question. `key` names a content: the same key must always
    come with the same content."""

    def __init__(self) -> None:
        self._contents: dict[object, rules.QuestionContent] = {}
        self._copies: dict[int, tuple[dict, rules.QuestionContent]] = {}
        self._scores: dict[tuple, rules.Score] = {}

    def knows(self, key: object) -> bool:
        return key in self._contents

    def learn(self, key: object, content: dict) -> None:
        """Remember the content (a version snapshot dict) that `key` names."""
        self._contents[key] = rules.QuestionContent.from_mapping(content)

    def score(self, key: object, points, response_text: str | None) -> rules.Score:
        """The score of a stored response given as its JSON text (None: no answer), to the
        content `key` names, worth `points` (the paper's value, as stored)."""
        memo = (key, points, response_text)
        score = self._scores.get(memo)
        if score is None:
            response = None if response_text is None else json.loads(response_text)
            score = self._scores[memo] = rules.score_response(self._contents[key], response, mark=Decimal(points))
        return score

    def _copy(self, item: dict) -> rules.QuestionContent:
        data = item["content"]
        cached = self._copies.get(item["version_id"])
        if cached is not None and (cached[0] is data or cached[0] == data):
            return cached[1]
        content = rules.QuestionContent.from_mapping(data)
        self._copies[item["version_id"]] = (data, content)
        return content

    def attempt(self, items: list[dict], responses: dict[int, object]) -> AttemptScore:
        """Score each item of a paper as the attempt copied it (`responses`: position → stored
        response; a question with none scores as unanswered). Case analysis waits for a
        marker."""
        return AttemptScore.of(
            items,
            [
                rules.score_response(self._copy(item), responses.get(position), mark=Decimal(item["points"]))
                for position, item in enumerate(items)
            ],
        )


@dataclass(frozen=True)
class AttemptScore:
    """`scores[position]`; `scored`: (version id, fraction) of the automatically scored
    questions, for the versions' statistics; `total` of those points; `pending`: a question
    awaits marking by hand."""

    scores: list[rules.Score]
    scored: list[tuple[int, Decimal]]
    total: Decimal
    pending: bool

    @classmethod
    def of(cls, items: list[dict] | list[int], scores: list[rules.Score]) -> AttemptScore:
        """Sum up the scores of a paper's questions (`items`: the paper's items, or their
        version ids, in order)."""
        scored, total, pending = [], Decimal(0), False
        for item, score in zip(items, scores, strict=True):
            if score.needs_marking:
                pending = True
            else:
                total += score.points
                scored.append((item["version_id"] if isinstance(item, dict) else item, score.fraction))
        return cls(scores=scores, scored=scored, total=total, pending=pending)

    def state(self) -> str:
        return State.MARKING if self.pending else State.GRADED

    def passed(self, max_score: Decimal, pass_mark: Decimal) -> bool | None:
        return None if self.pending else rules.exam_passed(self.total, max_score, pass_mark)


def _grade(attempt: Attempt, now: datetime) -> None:
    answers = {a.position: a for a in attempt.answers.all()}
    result = Scorer().attempt(attempt.items, {p: a.response for p, a in answers.items()})
    missing = []
    for position, score in enumerate(result.scores):
        answer = answers.get(position)
        if answer is None:
            answer = Answer(attempt=attempt, position=position, response=None, seq=0, saved_at=now)
            missing.append(answer)
        answer.points = None if score.needs_marking else score.points
        answer.fraction = None if score.needs_marking else score.fraction
        answer.needs_marking = score.needs_marking
    Answer.objects.bulk_create(missing)
    Answer.objects.bulk_update(list(answers.values()), ["points", "fraction", "needs_marking"])
    _stats_update(result.scored)
    attempt.score = result.total
    attempt.state = result.state()
    attempt.passed = result.passed(attempt.max_score, attempt.exam.pass_mark)


def attempt_submit(*, attempt: Attempt, finished_by: str = Attempt.FinishedBy.CANDIDATE, user=None) -> Attempt:
    """Submit and grade an attempt once (issue 14 points 6-7): the row is locked, so a double
    click, a retry, two tabs and the beat job all end with one submission and one grade; later
    calls return it unchanged. The finish time is the database's time, never after the
    deadline (`rules.submitted_at`). Objective questions are scored at once; case analysis
    waits for `answer_mark`. Returns the attempt as stored."""
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update(of=("self",)).select_related("exam").get(pk=attempt.pk)
        if attempt.state != State.IN_PROGRESS:
            return attempt
        now = db_now()
        deadline = rules.effective_deadline(attempt.deadline, paused_at=attempt.paused_at, now=now)
        attempt.submitted_at = rules.submitted_at(now=now, deadline=deadline)
        attempt.finished_by = finished_by
        attempt.paused_at = None
        _grade(attempt, now)
        attempt.save(update_fields=["submitted_at", "finished_by", "paused_at", "score", "state", "passed"])
        log(attempt, "exams.attempt_submit", user=user, data={"by": finished_by, "score": str(attempt.score)})
        if attempt.state == State.GRADED:
            _announce_graded(attempt, released=attempt.exam.results_released_at is not None)
    return attempt


def attempts_submit_overdue() -> int:
    """Submit every unpaused attempt whose deadline plus the save grace has passed, with its
    saved answers, finishing at its deadline (the beat job, every minute), in batches
    (`grading.attempts_submit`). Returns how many this call submitted."""
    from .grading import attempts_submit

    now = db_now()
    ids = list(
        Attempt.objects.filter(state=State.IN_PROGRESS, paused_at=None, deadline__lt=now - save_grace()).values_list(
            "pk", flat=True
        )
    )
    return attempts_submit(attempt_ids=ids, finished_by=Attempt.FinishedBy.TIMEOUT)


# ---------------------------------------------------------------- marking and release


def answer_mark(
    *,
    answer: Answer,
    marker,
    points: Decimal,
    comment: str = "",
    rubric_scores: dict | None = None,
    remark: bool = False,
) -> Marking:
    """Mark a case-analysis answer (issue 14 point 7): 0..the question's points, by a marker who
    is not the candidate; a re-mark must be by a second marker (audited). When no answer of
    the attempt awaits marking, the attempt is graded and passed or failed.
    Raises ValidationError with the reason."""
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update(of=("self",)).select_related("exam").get(pk=answer.attempt_id)
        answer = Answer.objects.get(pk=answer.pk)
        item = attempt.items[answer.position]
        points = Decimal(str(points))
        if attempt.state not in (State.MARKING, State.GRADED) or item["content"].get("qtype") != rules.ESSAY:
            raise ValidationError(_("Only case-analysis answers of submitted attempts are marked by hand."))
        if marker.pk == attempt.user_id:
            raise ValidationError(_("Candidates cannot mark their own answers."))
        if not Decimal(0) <= points <= Decimal(item["points"]):
            raise ValidationError(_("Give between 0 and %(max)s points.") % {"max": item["points"]})
        earlier = list(answer.markings.all())
        if remark and (not earlier or any(m.marker_id == marker.pk for m in earlier)):
            raise ValidationError(_("A re-mark is made by a second marker after a first marking."))
        if not remark and earlier:
            raise ValidationError(_("This answer is already marked; ask for a re-mark."))
        marking = Marking.objects.create(
            answer=answer,
            marker=marker,
            points=points,
            comment=comment,
            rubric_scores=rubric_scores or {},
            remark=remark,
        )
        fraction = points / Decimal(item["points"]) if Decimal(item["points"]) else Decimal(0)
        if not earlier:
            _stats_update([(item["version_id"], fraction)])
        Answer.objects.filter(pk=answer.pk).update(points=points, fraction=fraction, needs_marking=False)
        answers = list(attempt.answers.all())
        if not any(a.needs_marking for a in answers):
            attempt.score = sum((a.points or Decimal(0) for a in answers), Decimal(0))
            attempt.state = State.GRADED
            attempt.passed = rules.exam_passed(attempt.score, attempt.max_score, attempt.exam.pass_mark)
            attempt.save(update_fields=["score", "state", "passed"])
            attempt_certify(attempt)
            _announce_graded(attempt, released=attempt.exam.results_released_at is not None)
        log(attempt, "exams.mark", user=marker, data={"answer": answer.pk, "points": str(points), "remark": remark})
        if remark:
            _remark_close_if_done(attempt, marker)
    return marking


def attempt_certify(attempt: Attempt):
    """Issue the certificate of a passed attempt once its exam's results are released, through
    the one certificate mechanism (`certificates.services.certificate_issue`, idempotent; PDF
    rendered by its Celery task). A validator exam may also complete a qualification.
    Returns the certificate or None."""
    from certificates.services import certificate_issue

    if not (attempt.passed and attempt.state == State.GRADED and attempt.exam.results_released_at):
        return None
    certificate = certificate_issue(
        holder=attempt.user,
        kind="exam",
        subject=f"exam:{attempt.exam_id}",
        title_zh=attempt.exam.title_zh,
        title_en=attempt.exam.title_en,
        issued_on=timezone.localdate(attempt.submitted_at),
    )
    if attempt.exam.audience == "validator":
        from .qualification import validator_certify

        validator_certify(user=attempt.user)
    return certificate


def exam_results_release(*, exam: Exam, user) -> Exam:
    """Release an exam's results: from now on the review options decide what candidates see
    of their attempts (`rules.review_visible`), and passed attempts get their certificates.
    Idempotent."""
    with transaction.atomic():
        exam = Exam.objects.select_for_update().get(pk=exam.pk)
        if exam.results_released_at is None:
            exam.results_released_at = db_now()
            exam.save(update_fields=["results_released_at"])
            log(exam, "exams.release", user=user)
        graded = []
        for attempt in exam.attempts.filter(state=State.GRADED, passed=True).select_related("user"):
            attempt.exam = exam
            attempt_certify(attempt)
            graded.append((attempt.pk, attempt.exam_id, attempt.user_id, attempt.passed, True))
        _announce_graded_many(graded)
    return exam


# ---------------------------------------------------------------- invigilation


def _recompute_deadline(attempt: Attempt) -> None:
    attempt.deadline = rules.attempt_deadline(
        started_at=attempt.started_at,
        duration=timedelta(minutes=attempt.exam.duration_minutes),
        extra=timedelta(seconds=attempt.extra_seconds),
        paused=timedelta(seconds=attempt.paused_seconds),
        ends_at=attempt.ends_at,
    )


def _invigilate(attempt: Attempt, user, action: str, reason: str, change) -> Attempt:
    if not reason.strip():
        raise ValidationError(_("Give a reason."))
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update(of=("self",)).select_related("exam").get(pk=attempt.pk)
        if attempt.state != State.IN_PROGRESS:
            raise ValidationError(_("This attempt is no longer in progress."))
        data = change(attempt, db_now())
        _recompute_deadline(attempt)
        attempt.save()
        log(attempt, action, user=user, data={"reason": reason, **data})
    return attempt


def attempt_add_time(*, attempt: Attempt, minutes: int, user, reason: str) -> Attempt:
    """Give an in-progress attempt `minutes` (1-240) more; the open page learns it at its next
    save or status poll. Audited with the reason."""
    if not 1 <= int(minutes) <= 240:
        raise ValidationError(_("Add between 1 and 240 minutes."))

    def change(attempt, now):
        attempt.extra_seconds += int(minutes) * 60
        return {"minutes": int(minutes)}

    return _invigilate(attempt, user, "exams.add_time", reason, change)


def attempt_pause(*, attempt: Attempt, user, reason: str) -> Attempt:
    """Pause the clock of an attempt (saves are refused while paused). Audited."""

    def change(attempt, now):
        if attempt.paused_at is None:
            attempt.paused_at = now
        return {}

    return _invigilate(attempt, user, "exams.pause", reason, change)


def attempt_resume(*, attempt: Attempt, user, reason: str) -> Attempt:
    """Resume a paused attempt; the time paused is added to its deadline. Audited."""

    def change(attempt, now):
        if attempt.paused_at is not None:
            attempt.paused_seconds += max(0, int((now - attempt.paused_at).total_seconds()))
            attempt.paused_at = None
        return {}

    return _invigilate(attempt, user, "exams.resume", reason, change)


def attempt_void(*, attempt: Attempt, user, reason: str) -> Attempt:
    """Void an attempt (not graded, does not count as used). Audited."""

    def change(attempt, now):
        attempt.state = State.VOIDED
        attempt.submitted_at = now
        attempt.finished_by = Attempt.FinishedBy.INVIGILATOR
        return {}

    return _invigilate(attempt, user, "exams.void", reason, change)


def sitting_close(*, sitting: Sitting, user) -> int:
    """Submit every unfinished attempt of a sitting with its saved answers, in batches
    (`grading.attempts_submit`). Returns how many this call submitted."""
    from .grading import attempts_submit

    ids = list(sitting.attempts.filter(state=State.IN_PROGRESS).values_list("pk", flat=True))
    submitted = attempts_submit(attempt_ids=ids, finished_by=Attempt.FinishedBy.INVIGILATOR, user=user)
    log(sitting, "exams.sitting_close", user=user, data={"submitted": submitted})
    return submitted


# ---------------------------------------------------------------- re-marks


def remark_request(*, attempt: Attempt, user, reason: str):
    """A candidate asks for a re-mark of the hand-marked (case-analysis) answers of their own
    graded attempt once its results are released (issue 14 point 7). One request per attempt;
    a second marker then re-marks each such answer (`answer_mark(remark=True)`), which closes
    the request. Audited. Raises ValidationError with the reason."""
    from ..models import RemarkRequest

    if not reason.strip():
        raise ValidationError(_("Say what you would like the second marker to look at."))
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update(of=("self",)).select_related("exam").get(pk=attempt.pk)
        if attempt.user_id != user.pk:
            raise ValidationError(_("No such attempt."))
        if attempt.state != State.GRADED or attempt.exam.results_released_at is None:
            raise ValidationError(_("A re-mark can be asked for once the results are released."))
        if not Marking.objects.filter(answer__attempt=attempt).exists():
            raise ValidationError(_("Only answers marked by hand can be re-marked."))
        if RemarkRequest.objects.filter(attempt=attempt).exists():
            raise ValidationError(_("A re-mark of this attempt has already been asked for."))
        request = RemarkRequest.objects.create(attempt=attempt, reason=reason.strip()[:2000])
        log(attempt, "exams.remark_request", user=user, data={"reason": request.reason})
    return request


def _remark_close_if_done(attempt: Attempt, marker) -> None:
    """Close the attempt's open re-mark request once every hand-marked answer has a re-mark."""
    from ..models import RemarkRequest

    request = RemarkRequest.objects.select_for_update().filter(attempt=attempt, state=RemarkRequest.State.OPEN).first()
    if request is None:
        return
    marked = set(Marking.objects.filter(answer__attempt=attempt).values_list("answer_id", flat=True))
    remarked = set(Marking.objects.filter(answer__attempt=attempt, remark=True).values_list("answer_id", flat=True))
    if marked and marked <= remarked:
        request.state = RemarkRequest.State.DONE
        request.done_at = db_now()
        request.save(update_fields=["state", "done_at"])
        log(attempt, "exams.remark_done", user=marker, data={"score": str(attempt.score)})
