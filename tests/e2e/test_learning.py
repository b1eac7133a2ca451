"""The learning journey in a real browser: a learner enrols, reads a lesson, watches the video
lesson (the server credits the seconds played), completes the course, downloads the certificate
and the public verification page confirms it; a trainer submits a course change for review and
a lead trainer approves it."""

from pathlib import Path

import pytest
from django.core.files import File
from playwright.sync_api import expect
from wagtail.documents.models import Document

from certificates.models import Certificate
from courses.models import CoursePage, LessonPage
from courses.reference_data import ensure_course_workflow
from tests.courses.factories import course
from tests.factories import EnterpriseStaffFactory, UserFactory
from trainees.roles import Role

pytestmark = pytest.mark.e2e

VIDEO = Path(__file__).resolve().parents[2] / "courses" / "demo_media" / "aeo-criteria-overview.mp4"


@pytest.fixture
def learning_course(site, settings, tmp_path):
    # Videos are served from disk as in production (the test settings keep files in memory).
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.MEDIA_ROOT = str(tmp_path)
    settings.WAGTAILDOCS_SERVE_METHOD = "serve_view"
    page = course("aeo-2026", lessons=(), title="高级认证企业标准精讲", duration_hours=6)
    page.add_child(
        instance=LessonPage(
            title="内部控制标准",
            slug="internal-control",
            min_reading_seconds=2,
            body=[("paragraph", "<p>内部控制为第 1 至 11 项：关企合作、单证、信息系统、内部审计。</p>")],
        )
    ).save_revision().publish()
    document = Document(title="演示视频")
    with VIDEO.open("rb") as handle:
        document.file.save(VIDEO.name, File(handle), save=True)
    page.add_child(
        instance=LessonPage(
            title="贸易安全标准（视频）",
            slug="trade-security",
            body=[("video", {"file": document, "url": "", "duration_seconds": 12, "caption": ""})],
        )
    ).save_revision().publish()
    return CoursePage.objects.get(pk=page.pk)


def test_learner_completes_a_course_and_verifies_the_certificate(live_server, page, log_in, learning_course):
    learner = EnterpriseStaffFactory(last_name="王", first_name="学员")
    log_in(learner)
    page.goto(live_server.url + learning_course.url)
    page.click("#enrol")
    expect(page.locator("#course-progress")).to_be_visible()

    # A text lesson: marking it done works once the minimum reading time has passed.
    page.click("[data-lesson=internal-control] a")
    page.wait_for_timeout(2500)
    page.click("#mark-done")
    expect(page.locator("#lesson-complete")).to_be_visible()

    # The video lesson completes by playing it: heartbeats carry the played ranges.
    page.click("#next-lesson")
    expect(page.locator("#lesson-video")).to_be_visible()
    page.evaluate("() => { const v = document.getElementById('lesson-video'); v.muted = true; return v.play(); }")
    expect(page.locator("#lesson-complete")).to_be_visible(timeout=45_000)

    page.click("#back-to-course")
    expect(page.locator("#enrolment")).to_have_attribute("data-completed", "true")
    with page.expect_download() as download_info:
        page.click("#certificate-download")
    assert Path(download_info.value.path()).read_bytes().startswith(b"%PDF")

    certificate = Certificate.objects.get(holder=learner)
    page.context.clear_cookies()
    page.goto(live_server.url + f"/certificates/v/{certificate.token}/")
    expect(page.locator("#certificate-status")).to_have_text("有效")
    expect(page.locator("#certificate")).to_contain_text("王学员")


def test_trainer_submits_and_lead_trainer_approves(live_server, page, log_in, learning_course):
    from django.apps import apps

    ensure_course_workflow(apps)
    trainer = UserFactory(roles=[Role.TRAINER])
    lead = UserFactory(roles=[Role.LEAD_TRAINER])
    learning_course.trainers.add(trainer)
    learning_course.save_revision().publish()

    log_in(trainer)
    page.goto(live_server.url + f"/admin/pages/{learning_course.pk}/edit/")
    page.fill("#id_summary", "经主讲培训师审核的新简介。")
    expect(page.locator("button[name=action-publish]")).to_have_count(0)
    page.locator("footer .dropdown-toggle, footer [data-w-dropdown-target=toggle]").first.click()
    page.click("button[name=action-submit]")
    expect(page.locator(".messages")).to_be_visible()
    learning_course.refresh_from_db()
    assert learning_course.summary != "经主讲培训师审核的新简介。"  # not published yet

    log_in(lead)
    page.goto(live_server.url + f"/admin/pages/{learning_course.pk}/edit/")
    page.locator("footer .dropdown-toggle, footer [data-w-dropdown-target=toggle]").first.click()
    page.locator("button[data-workflow-action-name=approve]").first.click()
    expect(page.locator(".messages")).to_be_visible()
    learning_course.refresh_from_db()
    assert learning_course.summary == "经主讲培训师审核的新简介。"
