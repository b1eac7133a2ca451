"""In a real browser: an enterprise asks its customs district a question with an attachment, the
district's coordinator finds it on the desk and replies, the enterprise rates the answer."""

import pytest
from playwright.sync_api import expect

from consultations.models import Consultation
from tests.factories import UserFactory
from tests.trainees.factories import enterprise_in, staff_of, unit
from trainees.roles import Role

pytestmark = pytest.mark.e2e
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_enterprise_asks_coordinator_replies_enterprise_rates(live_server, page, log_in, site, tmp_path):
    enterprise = enterprise_in("5301")
    staff = staff_of(enterprise)
    coordinator = UserFactory(customs_unit=unit("5300"), roles=[Role.COORDINATOR])

    log_in(staff)
    page.goto(live_server.url + "/consultations/")
    page.click("#ask-link")
    page.select_option("#id_topic", "facilitation")
    page.fill("#id_subject", "高级认证企业有哪些通关便利？")
    page.fill("#id_body", "请问高级认证企业的查验率有多低？")
    attachment = tmp_path / "企业情况.pdf"
    attachment.write_bytes(PDF)
    page.set_input_files("#id_attachment", str(attachment))
    page.click("#ask-form button[type=submit]")
    expect(page.locator("#consultation-status")).to_have_attribute("data-status", "open")
    expect(page.locator("#thread")).to_contain_text("企业情况.pdf")
    thread_url = page.url

    log_in(coordinator)
    page.goto(live_server.url + "/consultations/desk/")
    page.click("text=高级认证企业有哪些通关便利？")
    assert page.url == thread_url
    page.fill("#message-form textarea", "高级认证企业的平均查验率约为一般企业的五分之一。")
    page.click("#message-form button[type=submit]")
    expect(page.locator("#consultation-status")).to_have_attribute("data-status", "answered")
    expect(page.locator("#thread")).to_contain_text("五分之一")

    log_in(staff)
    page.goto(thread_url)
    expect(page.locator("#thread")).to_contain_text("五分之一")
    page.check("#rate-form input[value='5']")
    page.click("#rate-form button[type=submit]")
    expect(page.locator("#rating")).to_contain_text("5/5")
    assert Consultation.objects.get().rating == 5
