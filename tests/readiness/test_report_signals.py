"""Readiness listens to the domain signals of courses and exams (issue 16, point 2): completing a
course and grading an exam recompute the enterprise's report once the change commits, through
`courses.signals.course_completed` and `exams.signals.exam_graded` — never `post_save`."""

import datetime as dt
import weakref

import pytest
from django.db.models.signals import post_save
from django.utils import timezone

from courses import services as course_services
from courses.signals import course_completed
from exams.services import attempts as exam_services
from exams.signals import exam_graded
from readiness.models import ReadinessRecord
from readiness.receivers import connected_signals, input_changed
from tests.courses.factories import course, lessons_of
from tests.exams.factories import make_exam, positions
from tests.factories import EnterpriseFactory, EnterpriseStaffFactory
from trainees.models import Position, TrainingType

pytestmark = pytest.mark.django_db


def lines(enterprise) -> dict:
    record = ReadinessRecord.objects.get(enterprise=enterprise, is_latest=True)
    return {line["key"]: line for line in record.report["lines"]}


def receivers(signal) -> list:
    return [r[1]() if isinstance(r[1], weakref.ReferenceType) else r[1] for r in signal.receivers]


def test_readiness_listens_to_course_completed_and_exam_graded_and_to_no_post_save():
    names = connected_signals()
    assert {"courses.course_completed", "exams.exam_graded"} <= set(names)
    assert input_changed in receivers(course_completed)
    assert input_changed in receivers(exam_graded)
    assert not [r for r in receivers(post_save) if getattr(r, "__module__", "").startswith("readiness")]


def test_completing_a_course_recomputes_the_report(django_capture_on_commit_callbacks):
    enterprise = EnterpriseFactory()
    legal = EnterpriseStaffFactory(enterprise=enterprise, position=Position.LEGAL_REPRESENTATIVE)
    page = course("aeo-cert", training_type=TrainingType.AEO_CERTIFICATION, title="AEO 认证培训")
    lesson = lessons_of(page)[0]
    course_services.enrolment_create(user=legal, course=page)
    course_services.lesson_open(user=legal, lesson=lesson)
    assert not ReadinessRecord.objects.filter(enterprise=enterprise).exists()
    with django_capture_on_commit_callbacks(execute=True):
        course_services.lesson_mark_done(user=legal, lesson=lesson, now=timezone.now() + dt.timedelta(seconds=61))
    line = lines(enterprise)["coverage_legal_representative"]
    assert line["met"] and legal.get_full_name() in line["detail"]
    # Marking the same lesson again completes nothing new: no second recomputation.
    with django_capture_on_commit_callbacks(execute=True):
        course_services.lesson_mark_done(user=legal, lesson=lesson, now=timezone.now() + dt.timedelta(seconds=90))
    assert ReadinessRecord.objects.filter(enterprise=enterprise).count() == 1


def test_grading_an_exam_recomputes_the_report(django_capture_on_commit_callbacks):
    enterprise = EnterpriseFactory()
    candidate = EnterpriseStaffFactory(enterprise=enterprise, position=Position.CUSTOMS_AFFAIRS)
    exam = make_exam(essay=False, results_released_at=timezone.now())
    attempt = exam_services.attempt_start(exam=exam, user=candidate)
    at = positions(attempt)
    for name, response in {"单选": 0, "多选": [0, 1], "判断": True, "填空": "AEO"}.items():
        exam_services.answer_save(attempt_id=attempt.pk, user=candidate, position=at[name], response=response, seq=1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        attempt = exam_services.attempt_submit(attempt=attempt)
    assert attempt.state == "graded" and attempt.passed
    assert callbacks, "grading announces itself on commit"
    line = lines(enterprise)["exam"]
    assert line["met"] and "exam" not in ReadinessRecord.objects.get(enterprise=enterprise, is_latest=True).missing


def test_an_exam_released_later_recomputes_when_released(django_capture_on_commit_callbacks):
    enterprise = EnterpriseFactory()
    candidate = EnterpriseStaffFactory(enterprise=enterprise, position=Position.FINANCE)
    trainer = EnterpriseStaffFactory()
    exam = make_exam(essay=False)
    attempt = exam_services.attempt_start(exam=exam, user=candidate)
    at = positions(attempt)
    for name, response in {"单选": 0, "多选": [0, 1], "判断": True, "填空": "AEO"}.items():
        exam_services.answer_save(attempt_id=attempt.pk, user=candidate, position=at[name], response=response, seq=1)
    with django_capture_on_commit_callbacks(execute=True):
        exam_services.attempt_submit(attempt=attempt)
    # Graded but not released: the pass does not count yet.
    assert not lines(enterprise)["exam"]["met"]
    with django_capture_on_commit_callbacks(execute=True):
        exam_services.exam_results_release(exam=exam, user=trainer)
    assert lines(enterprise)["exam"]["met"]
