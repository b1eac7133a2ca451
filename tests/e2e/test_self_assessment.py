"""In a real browser: an enterprise judges itself against the 2026 criteria, is told what is wrong
(a missing reason, a disguised HTML file, an incomplete submission), attaches evidence, submits a
version; its district's officer reads it and downloads the evidence as an attachment; an officer
of another district cannot reach it."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from readiness.models import Judgement
from tests.factories import CustomsUnitFactory, EnterpriseFactory, EnterpriseStaffFactory, UserFactory
from tests.readiness.helpers import healthy_years
from trainees.models import Position
from trainees.roles import Role

pytestmark = pytest.mark.e2e
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_enterprise_assesses_itself_and_the_district_officer_reads_it(live_server, page, log_in, site, tmp_path):
    unit = CustomsUnitFactory()
    enterprise = EnterpriseFactory(customs_unit=unit)
    admin = EnterpriseStaffFactory(enterprise=enterprise, position=Position.LEGAL_REPRESENTATIVE)
    officer = UserFactory(customs_unit=unit, roles=[Role.CUSTOMS_OFFICER])
    stranger = UserFactory(customs_unit=CustomsUnitFactory(), roles=[Role.CUSTOMS_OFFICER])

    log_in(admin)
    page.goto(live_server.url + "/readiness/")
    page.click("button[data-edition='2026-advanced']")
    expect(page.locator("#verdict")).to_have_attribute("data-outcome", "incomplete")
    assessment_url = page.url

    first = page.locator("article.criterion[data-code='(1)']")
    first.locator("select").select_option("na")
    first.locator("button[type=submit]", has_text="保存").click()
    # Refused on the sub-item itself, the choice kept (the page answers 400 with the form).
    expect(page.locator("article.criterion[data-code='(1)'] .errorlist")).to_contain_text("不适用")
    first = page.locator("article.criterion[data-code='(1)']")
    first.locator("select").select_option("na")
    first.locator("textarea").first.fill("本企业无此业务")
    first.locator("button[type=submit]", has_text="保存").click()
    expect(page.locator("article.criterion[data-code='(1)']")).to_have_attribute("data-judgement", "na")

    disguised = tmp_path / "制度.pdf"
    disguised.write_bytes(b"<html><script>alert(1)</script></html>")
    second = page.locator("article.criterion[data-code='(2)']")
    second.locator("input[type=file]").set_input_files(str(disguised))
    second.locator("input[name=consent]").check()
    second.locator("button", has_text="附加").click()
    expect(page.locator("article.criterion[data-code='(2)'] .evidence-errors")).to_contain_text("PDF")
    real = tmp_path / "关企合作制度.pdf"
    real.write_bytes(PDF)
    second = page.locator("article.criterion[data-code='(2)']")
    second.locator("input[type=file]").set_input_files(str(real))
    second.locator("input[name=consent]").check()
    second.locator("button", has_text="附加").click()
    expect(page.locator("article.criterion[data-code='(2)'] .evidence")).to_contain_text("关企合作制度.pdf")

    page.click("#submit-assessment")
    expect(page.locator(".messages")).to_contain_text("(3)")

    # The rest judged and the figures given (the forms for them are tested elsewhere).
    Judgement.objects.filter(assessment__enterprise=enterprise, value="").update(value="meets")
    healthy_years(enterprise, [timezone.localdate().year - 1])
    page.goto(assessment_url)
    expect(page.locator("#verdict")).to_have_attribute("data-outcome", "pass")
    page.click("#submit-assessment")
    expect(page.locator("#version-verdict")).to_have_attribute("data-outcome", "pass")

    log_in(officer)
    page.goto(assessment_url)
    expect(page.locator("#versions")).to_contain_text("1")
    with page.expect_download() as download:
        page.click("text=关企合作制度.pdf")
    assert download.value.suggested_filename == "关企合作制度.pdf"
    assert page.locator("#submit-assessment").count() == 0

    log_in(stranger)
    response = page.goto(assessment_url)
    assert response.status == 404


def test_a_sub_items_judgement_and_notes_save_themselves_as_they_are_typed(live_server, page, log_in, site):
    """Drafts are saved as they go: no Save button pressed, the reload finds what was typed; a
    refusal and a failed connection say so on the sub-item, and leaving with changes not saved
    asks first."""
    admin = EnterpriseStaffFactory(enterprise=EnterpriseFactory(), position=Position.LEGAL_REPRESENTATIVE)
    log_in(admin)
    page.goto(live_server.url + "/readiness/")
    page.click("button[data-edition='2026-advanced']")
    assessment_url = page.url
    first = page.locator("article.criterion[data-code='(1)']")
    status = first.locator("[data-save-state]")
    expect(status).to_have_attribute("aria-live", "polite")

    # "Not applicable" alone is refused by the same check as the Save button, on the sub-item.
    first.locator("select").select_option("na")
    expect(status).to_have_text("请说明本项标准为何不适用于贵企业。")
    first.locator("textarea[name$=reason]").fill("本企业无此业务")
    first.locator("textarea[name$=notes]").fill("由法务部复核")
    expect(status).to_contain_text("已保存")

    page.goto(assessment_url)
    first = page.locator("article.criterion[data-code='(1)']")
    expect(first.locator("select")).to_have_value("na")
    expect(first.locator("textarea[name$=reason]")).to_have_value("本企业无此业务")
    expect(first.locator("textarea[name$=notes]")).to_have_value("由法务部复核")
    expect(first).to_have_attribute("data-judgement", "na")

    # The connection fails: the sub-item says it is not saved, and leaving the page asks first.
    page.route("**/judge/**", lambda route: route.abort())
    first.locator("textarea[name$=notes]").fill("未送达的备注")
    expect(first.locator("[data-save-state]")).to_contain_text("网络连接失败")
    asked = []
    page.on("dialog", lambda dialog: asked.append(dialog.type))
    page.goto(assessment_url)
    assert asked == ["beforeunload"]
    expect(page.locator("article.criterion[data-code='(1)'] textarea[name$=notes]")).to_have_value("由法务部复核")

    # The session ends (the log-in page would answer): the sub-item says so instead of "saved".
    page.unroute("**/judge/**")
    page.context.clear_cookies(name="sessionid")
    first = page.locator("article.criterion[data-code='(1)']")
    first.locator("textarea[name$=notes]").fill("会话结束后的备注")
    expect(first.locator("[data-save-state]")).to_contain_text("登录已过期")
