"""The readiness report in a real browser (issue 16, done means): a senior manager sees the
enterprise nearly ready because their AEO certification course is missing, follows the report's
link, completes the course, and the report moves towards ready; the chart gains a point."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Page

from courses.models import CoursePage, Enrolment, LessonPage
from readiness import services
from readiness.models import CriteriaEdition, Judgement
from tests.courses.factories import course
from tests.factories import EnterpriseFactory, EnterpriseStaffFactory
from tests.readiness.helpers import healthy_years
from trainees.models import Position, TrainingType

pytestmark = pytest.mark.e2e


@pytest.fixture
def nearly_ready(site):
    enterprise = EnterpriseFactory()
    legal = EnterpriseStaffFactory(enterprise=enterprise, position=Position.LEGAL_REPRESENTATIVE)
    compliance = EnterpriseStaffFactory(enterprise=enterprise, position=Position.CUSTOMS_AFFAIRS)
    manager = EnterpriseStaffFactory(enterprise=enterprise, position=Position.SENIOR_MANAGEMENT, last_name="周")
    page = course("aeo-readiness", lessons=(), training_type=TrainingType.AEO_CERTIFICATION, title="AEO 认证培训精讲")
    Page.objects.get(pk=page.pk).add_child(
        instance=LessonPage(
            title="认证程序",
            slug="procedure",
            min_reading_seconds=1,
            body=[("paragraph", "<p>认证申请、验证和决定。</p>")],
        )
    ).save_revision().publish()
    page = CoursePage.objects.get(pk=page.pk)
    for person in (legal, compliance):
        Enrolment.objects.create(
            user=person, course_key=page.translation_key, enrolled_at=timezone.now(), completed_at=timezone.now()
        )
    year = timezone.localdate().year
    healthy_years(enterprise, range(year - 5, year))
    edition = CriteriaEdition.objects.get(code="2026-advanced")
    assessment = services.assessment_start(enterprise=enterprise, edition=edition, user=legal)
    Judgement.objects.filter(assessment=assessment).update(value="meets")
    services.assessment_submit(assessment=assessment, user=legal, today=timezone.localdate())
    return manager


def test_completing_the_missing_course_moves_the_report_towards_ready(live_server, page, log_in, nearly_ready):
    log_in(nearly_ready)
    page.goto(live_server.url + "/readiness/report/")
    summary = page.locator("#readiness-summary")
    expect(summary).to_have_attribute("data-status", "nearly_ready")
    before = float(summary.get_attribute("data-score"))
    line = page.locator("[data-line=coverage_senior_management]")
    expect(line).to_have_attribute("data-met", "0")
    expect(page.locator("#readiness-history svg circle")).to_have_count(1)

    line.get_by_role("link", name="AEO 认证培训精讲").click()
    page.click("#enrol")
    page.click("[data-lesson=procedure] a")
    page.wait_for_timeout(1500)
    page.click("#mark-done")
    expect(page.locator("#lesson-complete")).to_be_visible()

    page.goto(live_server.url + "/readiness/report/")
    expect(page.locator("[data-line=coverage_senior_management]")).to_have_attribute("data-met", "1")
    after = float(page.locator("#readiness-summary").get_attribute("data-score"))
    assert after == before + 5
    expect(page.locator("#readiness-history svg circle")).to_have_count(2)
