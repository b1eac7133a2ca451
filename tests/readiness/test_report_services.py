"""Readiness recomputation (issue 16, point 2): kept history, domain signals, debounce, the
lifecycle move to "completed", and rectification tasks with owner and due date."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses.models import Enrolment
from readiness import report_services
from readiness.models import CriteriaEdition, Judgement, ReadinessRecord, RectificationTask
from readiness.receivers import connected_signals
from tests.cache import clear_cache
from tests.courses.factories import course
from tests.factories import EnterpriseFactory, EnterpriseStaffFactory
from tests.readiness.helpers import healthy_years
from trainees import services as trainee_services
from trainees.models import CultivationEvent, CultivationStatus, Position, TrainingType

pytestmark = pytest.mark.django_db


def staff(enterprise, position):
    return EnterpriseStaffFactory(enterprise=enterprise, position=position)


def complete(user, page):
    Enrolment.objects.create(
        user=user, course_key=page.translation_key, enrolled_at=timezone.now(), completed_at=timezone.now()
    )


def submitted(user, value="meets"):
    from readiness import services

    edition = CriteriaEdition.objects.get(code="2026-advanced")
    assessment = services.assessment_start(enterprise=user.enterprise, edition=edition, user=user)
    Judgement.objects.filter(assessment=assessment).update(value=value)
    Judgement.objects.filter(assessment=assessment, criterion__is_bonus=True).update(value="meets")
    healthy_years(user.enterprise, range(timezone.localdate().year - 5, timezone.localdate().year))
    return services.assessment_submit(assessment=assessment, user=user, today=timezone.localdate())


def test_each_recomputation_is_kept_and_only_one_is_latest():
    enterprise = EnterpriseFactory()
    first = report_services.readiness_recompute(enterprise_id=enterprise.pk)
    second = report_services.readiness_recompute(enterprise_id=enterprise.pk)
    assert ReadinessRecord.objects.filter(enterprise=enterprise).count() == 2
    assert list(ReadinessRecord.objects.filter(enterprise=enterprise, is_latest=True)) == [second]
    assert first.status == "not_ready" and "assessment" in first.missing
    assert first.report["note"] and first.report["edition_code"] == "2026-advanced"
    # A page view keeps nothing new when nothing changed.
    same = report_services.readiness_recompute(enterprise_id=enterprise.pk, only_if_changed=True)
    assert same == second
    assert ReadinessRecord.objects.filter(enterprise=enterprise).count() == 2


def test_submitting_an_assessment_recomputes_on_commit(django_capture_on_commit_callbacks):
    legal = staff(EnterpriseFactory(), Position.LEGAL_REPRESENTATIVE)
    with django_capture_on_commit_callbacks(execute=True):
        submitted(legal)
    record = ReadinessRecord.objects.get(enterprise=legal.enterprise, is_latest=True)
    assert "assessment" not in record.missing
    assert record.components["assessment"] == "60.0"


def test_cultivation_status_change_recomputes_with_its_blocker(django_capture_on_commit_callbacks):
    enterprise = EnterpriseFactory(cultivation_status=CultivationStatus.IN_TRAINING)
    with django_capture_on_commit_callbacks(execute=True):
        trainee_services.cultivation_suspend(
            enterprise_id=enterprise.pk, actor=None, ground="being_audited", reason="稽查中"
        )
    record = ReadinessRecord.objects.get(enterprise=enterprise, is_latest=True)
    assert record.status == "not_ready"
    assert "cultivation_status" in record.missing


def test_signals_listened_to_are_the_ones_that_exist():
    names = connected_signals()
    assert "trainees.cultivation_status_changed" in names
    assert "training_bases.attendance_recorded" in names


def test_recompute_is_debounced_per_enterprise(settings):
    from lms.celery import app

    clear_cache()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        assert report_services.schedule_recompute(1001) is True
        assert report_services.schedule_recompute(1001) is False
        assert report_services.schedule_recompute(1002) is True
        report_services.clear_pending(1001)
        assert report_services.schedule_recompute(1001) is True
    finally:
        app.conf.task_always_eager = eager
        clear_cache()


def test_complete_coverage_and_exam_moves_an_in_training_enterprise_to_completed():
    enterprise = EnterpriseFactory(cultivation_status=CultivationStatus.LISTED)
    assert report_services.complete_training(enterprise_id=enterprise.pk, status=enterprise.cultivation_status)
    enterprise.refresh_from_db()
    assert enterprise.cultivation_status == CultivationStatus.COMPLETED
    assert list(
        CultivationEvent.objects.filter(enterprise=enterprise).order_by("id").values_list("action", flat=True)
    ) == [
        "start_training",
        "complete",
    ]
    # Suspended or already completed: nothing moves.
    assert not report_services.complete_training(enterprise_id=enterprise.pk, status=CultivationStatus.COMPLETED)


def test_coverage_from_completed_aeo_courses_only():
    enterprise = EnterpriseFactory()
    legal = staff(enterprise, Position.LEGAL_REPRESENTATIVE)
    manager = staff(enterprise, Position.SENIOR_MANAGEMENT)
    complete(legal, course("aeo-cert", training_type=TrainingType.AEO_CERTIFICATION, title="AEO 认证培训"))
    complete(manager, course("compliance", training_type=TrainingType.COMPLIANCE))
    record = report_services.readiness_recompute(enterprise_id=enterprise.pk)
    lines = {line["key"]: line for line in record.report["lines"]}
    assert lines["coverage_legal_representative"]["met"]
    assert not lines["coverage_senior_management"]["met"]
    assert lines["coverage_senior_management"]["actions"][0]["links"][0]["label"] == "AEO 认证培训"


def test_a_rectification_needs_an_owner_and_a_due_date():
    enterprise = EnterpriseFactory()
    admin = EnterpriseStaffFactory(
        enterprise=enterprise, position=Position.LEGAL_REPRESENTATIVE, is_enterprise_admin=True
    )
    stranger = EnterpriseStaffFactory()
    with pytest.raises(ValidationError) as error:
        report_services.rectification_create(
            enterprise=enterprise, actor=admin, owner_id=stranger.pk, due_date=None, title="制度"
        )
    assert set(error.value.message_dict) == {"owner", "due_date"}
    task = report_services.rectification_create(
        enterprise=enterprise, actor=admin, owner_id=admin.pk, due_date=datetime.date(2026, 12, 31), title="发布制度"
    )
    with pytest.raises(ValidationError):
        report_services.rectification_update(task_id=task.pk, actor=admin, status="done")
    task = report_services.rectification_update(task_id=task.pk, actor=admin, status="done", evidence_note="已发布")
    assert task.status == RectificationTask.Status.DONE and task.closed_at is not None
    assert not task.is_overdue(datetime.date(2027, 1, 5))
