"""Grading many attempts at once (exams/services/grading.py; issue 14, "Grading 10,000 submitted
attempts ... in a worker"): the beat job and the sitting close give every attempt exactly what
`attempt_submit` one by one gives it, in a number of statements that does not grow with the
attempts; readiness hears of each graded attempt."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from exams.models import Attempt, QuestionVersion
from exams.services import attempts as svc
from exams.services import grading
from exams.signals import exam_graded
from tests.exams.factories import make_exam, positions
from tests.factories import EnterpriseFactory, EnterpriseStaffFactory, UserFactory
from trainees.roles import Role

pytestmark = pytest.mark.django_db

# Each case: the exam ("essay" has a case-analysis question), the responses saved by question
# name, and what happens to the attempt before grading.
CASES = [
    ("objective", {"单选": 0, "多选": [0, 1], "判断": True, "填空": " ａｅｏ "}, None),
    ("objective", {"多选": [0], "判断": False, "填空": "x"}, None),  # partial credit: 1 of 8
    ("objective", {"单选": 1, "多选": [0, 2]}, None),  # a negative weight: 0 for the multiple
    ("objective", {}, None),  # nothing answered
    ("objective", {"填空": "AEO", "判断": True}, "overdue"),  # finishes at its deadline
    ("objective", {"单选": 0}, "paused"),  # the pause moves the deadline on
    ("objective", {"单选": 0, "判断": True}, "submitted"),  # already submitted: left alone
    ("essay", {"单选": 0, "多选": [1], "判断": True, "填空": "AEO", "案例": "分析"}, None),
    ("essay", {}, None),  # nothing answered, the essay still awaits a marker
    ("objective", {"单选": 1}, "copy differs"),  # scored as the attempt copied the question
]


@pytest.fixture
def now(monkeypatch):
    """One database time for both runs, so finish times and pauses compare exactly."""
    fixed = svc.db_now()
    monkeypatch.setattr(svc, "db_now", lambda: fixed)
    monkeypatch.setattr(grading, "db_now", lambda: fixed)
    return fixed


@pytest.fixture
def graded_signals():
    sent = []

    def receiver(sender, **kwargs):
        sent.append({k: kwargs[k] for k in ("attempt_id", "exam_id", "user_id", "passed", "released")})

    exam_graded.connect(receiver, dispatch_uid="test_grading")
    yield sent
    exam_graded.disconnect(dispatch_uid="test_grading")


def prepare(exams, now, invigilator) -> list[Attempt]:
    """The attempts of CASES, one candidate each."""
    made = []
    for kind, responses, before in CASES:
        user = UserFactory(roles=[Role.ENTERPRISE_STAFF])
        attempt = svc.attempt_start(exam=exams[kind], user=user)
        at = positions(attempt)
        for seq, (name, response) in enumerate(responses.items(), start=1):
            svc.answer_save(attempt_id=attempt.pk, user=user, position=at[name], response=response, seq=seq)
        if before == "overdue":
            Attempt.objects.filter(pk=attempt.pk).update(deadline=now - timedelta(minutes=5))
        elif before == "paused":
            svc.attempt_pause(attempt=attempt, user=invigilator, reason="断电")
            Attempt.objects.filter(pk=attempt.pk).update(
                deadline=now - timedelta(minutes=1), paused_at=now - timedelta(minutes=3)
            )
        elif before == "copy differs":
            items = attempt.items
            options = items[at["单选"]]["content"]["options"]
            options[0]["fraction"], options[1]["fraction"] = 0, 100
            Attempt.objects.filter(pk=attempt.pk).update(items=items)
        elif before == "submitted":
            svc.attempt_submit(attempt=attempt, user=user)
        made.append(attempt)
    return made


def outcome(attempt: Attempt) -> tuple:
    """What a candidate, a marker and an auditor see of a graded attempt (names of questions
    instead of positions, since each candidate's paper has its own order)."""
    attempt = Attempt.objects.select_related("exam", "user").get(pk=attempt.pk)
    answers = {
        attempt.items[a.position]["content"]["name"]: (
            a.response,
            a.seq,
            a.saved_at if a.seq == 0 else "saved",
            a.points,
            a.fraction,
            a.needs_marking,
        )
        for a in attempt.answers.all()
    }
    entries = [
        (e.action, e.data, "candidate" if e.user_id == attempt.user_id else e.user_id, e.label == str(attempt))
        for e in ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Attempt), object_id=str(attempt.pk)
        ).order_by("id")
    ]
    return (
        attempt.state,
        attempt.score,
        attempt.passed,
        attempt.submitted_at,
        attempt.finished_by,
        attempt.paused_at,
        answers,
        entries,
    )


def version_stats() -> dict[int, tuple]:
    return {v.pk: (v.times_answered, v.score_sum) for v in QuestionVersion.objects.all()}


def change(before: dict, after: dict) -> dict:
    return {k: (after[k][0] - before[k][0], after[k][1] - before[k][1]) for k in after}


def test_batch_grading_gives_what_one_by_one_submission_gives(now, graded_signals, django_capture_on_commit_callbacks):
    exams = {"objective": make_exam(essay=False), "essay": make_exam(essay=True)}
    invigilator = UserFactory(roles=[Role.INVIGILATOR])
    one_by_one = prepare(exams, now, invigilator)
    batched = prepare(exams, now, invigilator)
    graded_signals.clear()

    stats = version_stats()
    with django_capture_on_commit_callbacks(execute=True):
        for attempt in one_by_one:
            svc.attempt_submit(attempt=Attempt(pk=attempt.pk), finished_by="invigilator", user=invigilator)
    after_single = version_stats()
    single_signals, graded_signals[:] = list(graded_signals), []
    with django_capture_on_commit_callbacks(execute=True):
        submitted = grading.attempts_submit(
            attempt_ids=[a.pk for a in batched], finished_by="invigilator", user=invigilator, chunk_size=4
        )
    after_batch = version_stats()

    assert submitted == len(CASES) - 1  # the one already submitted is left alone
    for single, batch, case in zip(one_by_one, batched, CASES, strict=True):
        assert outcome(batch) == outcome(single), case
    assert change(stats, after_single) == change(after_single, after_batch)
    assert any(n for n, _s in change(stats, after_single).values())

    # What a reader of these attempts sees, spelled out for a few of them.
    states = [Attempt.objects.get(pk=a.pk) for a in batched]
    assert [a.state for a in states] == ["graded"] * 7 + ["marking"] * 2 + ["graded"]
    assert str(states[9].score) == "2.00"
    assert [str(a.score) for a in states[:4]] == ["8.00", "1.00", "0.00", "0.00"]
    assert states[0].passed is True and states[1].passed is False and states[7].passed is None
    assert states[4].submitted_at == now - timedelta(minutes=5)  # the deadline, not later
    assert states[5].submitted_at == now and states[5].paused_at is None  # the pause moved it on
    assert states[6].finished_by == "candidate"  # its own submission stands
    assert {a.finished_by for a in states[:6]} == {"invigilator"}

    # exam_graded: once per attempt graded (not for those awaiting a marker), as one by one.
    position = {a.pk: i for i, a in enumerate(batched)} | {a.pk: i for i, a in enumerate(one_by_one)}

    def seen(signals):
        return sorted((position[s["attempt_id"]], s["exam_id"], s["passed"], s["released"]) for s in signals)

    assert seen(graded_signals) == seen(single_signals)
    assert len(graded_signals) == len({s["attempt_id"] for s in graded_signals}) == 7


def test_the_statements_of_a_batch_do_not_grow_with_its_attempts(django_assert_max_num_queries):
    exam = make_exam(essay=True)
    enterprise = EnterpriseFactory()

    def started(count):
        ids = []
        for _ in range(count):
            user = EnterpriseStaffFactory(enterprise=enterprise)
            attempt = svc.attempt_start(exam=exam, user=user)
            svc.answer_save(attempt_id=attempt.pk, user=user, position=positions(attempt)["单选"], response=0, seq=1)
            ids.append(attempt.pk)
        return ids

    few, many = started(2), started(25)
    with CaptureQueriesContext(connection) as statements:
        assert grading.attempts_submit(attempt_ids=few) == 2
    with django_assert_max_num_queries(len(statements)):
        assert grading.attempts_submit(attempt_ids=many) == 25
    assert Attempt.objects.filter(pk__in=many, state="marking").count() == 25


def test_beat_job_and_sitting_close_grade_in_batches(django_capture_on_commit_callbacks):
    exam = make_exam(essay=False)
    users = [UserFactory(roles=[Role.ENTERPRISE_STAFF]) for _ in range(3)]
    attempts = [svc.attempt_start(exam=exam, user=u) for u in users]
    for attempt, user in zip(attempts, users, strict=True):
        svc.answer_save(attempt_id=attempt.pk, user=user, position=positions(attempt)["填空"], response="AEO", seq=1)
    deadline = svc.db_now() - timedelta(minutes=2)
    Attempt.objects.filter(pk__in=[a.pk for a in attempts[:2]]).update(deadline=deadline)
    with django_capture_on_commit_callbacks(execute=True):
        assert svc.attempts_submit_overdue() == 2
        assert svc.attempts_submit_overdue() == 0
    done = Attempt.objects.filter(pk__in=[a.pk for a in attempts[:2]])
    assert {(a.state, a.finished_by, a.submitted_at, str(a.score)) for a in done} == {
        ("graded", "timeout", deadline, "2.00")
    }
    assert Attempt.objects.get(pk=attempts[2].pk).state == "in_progress"
