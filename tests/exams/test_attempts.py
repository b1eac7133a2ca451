"""Attempts: start, saves with sequence numbers, submission, time-out, marking, release
(exams/services/attempts.py, issue 14 points 4-7)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from exams.models import Attempt, ExtraTime, QuestionVersion
from exams.services import attempts as svc
from exams.tasks import submit_overdue_attempts
from tests.exams.factories import invigilator as make_invigilator
from tests.exams.factories import make_exam, positions
from tests.factories import UserFactory
from trainees.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam():
    return make_exam()


@pytest.fixture
def candidate():
    return UserFactory(roles=[Role.ENTERPRISE_STAFF])


def test_start_copies_the_paper_and_sets_the_deadline_with_extra_time(exam, candidate):
    ExtraTime.objects.create(exam=exam, user=candidate, minutes=15)
    attempt = svc.attempt_start(exam=exam, user=candidate)
    assert len(attempt.items) == 5 and attempt.max_score == Decimal("10")
    assert all("content" in item and item["content"]["stem"] for item in attempt.items)
    assert attempt.deadline - attempt.started_at == timedelta(minutes=75)
    # a reload or a second tab resumes the same attempt
    assert svc.attempt_start(exam=exam, user=candidate).pk == attempt.pk
    assert Attempt.objects.count() == 1


def test_online_attempt_is_capped_by_the_close(exam, candidate):
    exam.closes_at = svc.db_now() + timedelta(minutes=10)
    exam.save()
    attempt = svc.attempt_start(exam=exam, user=candidate)
    assert attempt.deadline == exam.closes_at


def test_second_attempt_refused_then_allowed_after_the_waiting_period(exam, candidate):
    exam.attempts_allowed, exam.retake_wait_hours = 2, 24
    exam.save()
    first = svc.attempt_submit(attempt=svc.attempt_start(exam=exam, user=candidate))
    with pytest.raises(svc.AttemptError, match="retake") as refused:
        svc.attempt_start(exam=exam, user=candidate)
    assert refused.value.status == 409
    Attempt.objects.filter(pk=first.pk).update(submitted_at=first.submitted_at - timedelta(hours=25))
    second = svc.attempt_start(exam=exam, user=candidate)
    assert second.number == 2
    svc.attempt_submit(attempt=second)
    with pytest.raises(svc.AttemptError, match="every attempt"):
        svc.attempt_start(exam=exam, user=candidate)


def test_sitting_only_exam_needs_a_check_in(exam, candidate):
    exam.online = False
    exam.save()
    with pytest.raises(svc.AttemptError, match="Check in"):
        svc.attempt_start(exam=exam, user=candidate)


def test_saves_keep_the_highest_sequence_number(exam, candidate):
    attempt = svc.attempt_start(exam=exam, user=candidate)
    fill = positions(attempt)["填空"]
    assert not svc.answer_save(attempt_id=attempt.pk, user=candidate, position=fill, response="AE", seq=1).stale
    assert not svc.answer_save(attempt_id=attempt.pk, user=candidate, position=fill, response="AEO", seq=3).stale
    late = svc.answer_save(attempt_id=attempt.pk, user=candidate, position=fill, response="A", seq=2)
    replay = svc.answer_save(attempt_id=attempt.pk, user=candidate, position=fill, response="AEO", seq=3)
    assert late.stale and late.seq == 3 and replay.stale
    assert attempt.answers.get(position=fill).response == "AEO"


@pytest.mark.parametrize(
    ("who", "position", "response", "seq", "status"),
    [
        ("other", "单选", 0, 1, 404),
        ("candidate", 99, 0, 1, 400),
        ("candidate", "单选", 7, 1, 400),
        ("candidate", "单选", [0, 1], 1, 400),
        ("candidate", "判断", "yes", 1, 400),
        ("candidate", "单选", 0, 0, 400),
        ("candidate", "单选", 0, "1", 400),
    ],
)
def test_bad_saves_are_refused_and_change_nothing(exam, candidate, who, position, response, seq, status):
    attempt = svc.attempt_start(exam=exam, user=candidate)
    user = candidate if who == "candidate" else UserFactory()
    position = positions(attempt).get(position, position)
    with pytest.raises(svc.AttemptError) as refused:
        svc.answer_save(attempt_id=attempt.pk, user=user, position=position, response=response, seq=seq)
    assert refused.value.status == status and refused.value.message
    assert not attempt.answers.exists()


def test_save_after_the_deadline_plus_grace_is_refused_with_409(exam, candidate):
    attempt = svc.attempt_start(exam=exam, user=candidate)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=svc.db_now() - timedelta(seconds=20))
    svc.answer_save(attempt_id=attempt.pk, user=candidate, position=0, response=None, seq=1)  # inside the grace
    Attempt.objects.filter(pk=attempt.pk).update(deadline=svc.db_now() - timedelta(seconds=31))
    with pytest.raises(svc.AttemptError) as refused:
        svc.answer_save(attempt_id=attempt.pk, user=candidate, position=0, response=None, seq=2)
    assert refused.value.status == 409


def answer_all(attempt, user, *, right=True):
    at = positions(attempt)
    answers = {
        "单选": 0 if right else 1,
        "多选": [0, 1],
        "判断": True,
        "填空": "ａｅｏ" if right else "x",
        "案例": "分析",
    }
    for name, response in answers.items():
        if name in at:
            svc.answer_save(attempt_id=attempt.pk, user=user, position=at[name], response=response, seq=1)


def test_submit_grades_objective_questions_and_waits_for_the_essay(exam, candidate):
    attempt = svc.attempt_start(exam=exam, user=candidate)
    answer_all(attempt, candidate)
    attempt = svc.attempt_submit(attempt=attempt)
    assert attempt.state == "marking" and attempt.score == Decimal("8.00") and attempt.passed is None
    assert attempt.submitted_at <= attempt.deadline
    again = svc.attempt_submit(attempt=attempt)
    assert again.submitted_at == attempt.submitted_at and again.score == attempt.score
    assert sum(QuestionVersion.objects.values_list("times_answered", flat=True)) == 4

    essay = attempt.answers.get(needs_marking=True)
    trainer, second = UserFactory(roles=[Role.TRAINER]), UserFactory(roles=[Role.TRAINER])
    with pytest.raises(ValidationError):
        svc.answer_mark(answer=essay, marker=candidate, points=2)
    with pytest.raises(ValidationError):
        svc.answer_mark(answer=essay, marker=trainer, points=3)  # above the question's 2 points
    svc.answer_mark(answer=essay, marker=trainer, points=Decimal("0.5"), comment="论证不足", rubric_scores={"论点": 1})
    attempt.refresh_from_db()
    assert attempt.state == "graded" and attempt.score == Decimal("8.50") and attempt.passed is True
    with pytest.raises(ValidationError):
        svc.answer_mark(answer=essay, marker=trainer, points=2, remark=True)  # the same marker
    svc.answer_mark(answer=essay, marker=second, points=2, remark=True)
    attempt.refresh_from_db()
    assert attempt.score == Decimal("10.00") and essay.markings.count() == 2


def test_save_after_submission_is_refused(exam, candidate):
    attempt = svc.attempt_start(exam=exam, user=candidate)
    svc.attempt_submit(attempt=attempt)
    with pytest.raises(svc.AttemptError) as refused:
        svc.answer_save(attempt_id=attempt.pk, user=candidate, position=0, response=0, seq=5)
    assert refused.value.status == 409


def test_beat_job_submits_overdue_attempts_at_their_deadline_with_saved_answers(candidate):
    exam = make_exam(essay=False)
    attempt = svc.attempt_start(exam=exam, user=candidate)
    answer_all(attempt, candidate)
    deadline = svc.db_now() - timedelta(minutes=5)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=deadline)
    other = svc.attempt_start(exam=make_exam(essay=False), user=candidate)  # not yet due
    assert submit_overdue_attempts.delay().get() == 1
    attempt.refresh_from_db()
    assert attempt.state == "graded" and attempt.finished_by == "timeout"
    assert attempt.submitted_at == deadline and attempt.score == Decimal("8.00") and attempt.passed
    other.refresh_from_db()
    assert other.state == "in_progress"
    assert submit_overdue_attempts.delay().get() == 0


def test_invigilator_time_pause_and_void(exam, candidate):
    invigilator = make_invigilator()
    attempt = svc.attempt_start(exam=exam, user=candidate)
    before = attempt.deadline
    attempt = svc.attempt_add_time(attempt=attempt, minutes=10, user=invigilator, reason="断网")
    assert attempt.deadline == before + timedelta(minutes=10)
    with pytest.raises(ValidationError):
        svc.attempt_add_time(attempt=attempt, minutes=10, user=invigilator, reason=" ")
    attempt = svc.attempt_pause(attempt=attempt, user=invigilator, reason="停电")
    with pytest.raises(svc.AttemptError) as refused:
        svc.answer_save(attempt_id=attempt.pk, user=candidate, position=0, response=0, seq=1)
    assert refused.value.status == 409
    Attempt.objects.filter(pk=attempt.pk).update(paused_at=attempt.paused_at - timedelta(minutes=3))
    attempt = svc.attempt_resume(attempt=attempt, user=invigilator, reason="来电")
    assert attempt.deadline >= before + timedelta(minutes=13)
    attempt = svc.attempt_void(attempt=attempt, user=invigilator, reason="作弊")
    assert attempt.state == "voided"


def test_release_is_idempotent(exam):
    officer = UserFactory(roles=[Role.CUSTOMS_OFFICER])
    first = svc.exam_results_release(exam=exam, user=officer).results_released_at
    assert first and svc.exam_results_release(exam=exam, user=officer).results_released_at == first
