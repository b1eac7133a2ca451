"""A computer exam in a real browser (issue 14): check-in with the ticket, answers saved as they
change, a reload mid-way keeps every answer, answers given offline are saved when the
connection returns, time added by the invigilator reaches the open page without a reload,
submission, the essay marked by a trainer, results released and seen by the candidate."""

import time
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from exams.models import Answer, Attempt
from exams.services import attempts as svc
from exams.services import sittings
from tests.exams.factories import invigilator as make_invigilator
from tests.exams.factories import make_exam
from tests.exams.test_sittings import computer_room
from tests.factories import EnterpriseFactory, UserFactory
from trainees.models import CustomsUnit, Position
from trainees.roles import Role

pytestmark = pytest.mark.e2e


def fieldset(page, name):
    return page.locator("fieldset.question", has_text=f"{name}题干")


def test_candidate_takes_the_exam_through_reload_and_offline(live_server, page, browser, log_in, site):
    exam = make_exam(online=False)
    now = svc.db_now()
    sitting = sittings.sitting_create(
        exam=exam, room=computer_room(), starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=2)
    )
    candidate = UserFactory(
        enterprise=EnterpriseFactory(), position=Position.CUSTOMS_AFFAIRS, roles=[Role.ENTERPRISE_STAFF]
    )
    ticket = sittings.ticket_issue(sitting=sitting, user=candidate, seat_number=4)
    page.on("dialog", lambda dialog: dialog.accept())

    log_in(candidate)
    page.goto(f"{live_server.url}/exams/sittings/{sitting.pk}/checkin/")
    page.fill("#ticket-code", ticket.code.lower())
    page.click("main form button[type=submit]")
    page.click(f"[data-start='{exam.pk}']")
    expect(page.locator("#time-left")).not_to_have_text("--:--")
    attempt = Attempt.objects.get(user=candidate)

    fieldset(page, "单选").locator("input").nth(0).check()
    fieldset(page, "填空").locator("input").fill("AEO")
    expect(fieldset(page, "单选").locator(".save-state")).to_have_attribute("data-state", "saved")
    expect(fieldset(page, "填空").locator(".save-state")).to_have_attribute("data-state", "saved")

    # Reload mid-way: every acknowledged answer is there.
    page.reload()
    expect(fieldset(page, "单选").locator("input").nth(0)).to_be_checked()
    expect(fieldset(page, "填空").locator("input")).to_have_value("AEO")

    # Offline: the answer shows "not saved", then is saved when the connection returns.
    page.context.set_offline(True)
    fieldset(page, "判断").locator("input[value=true]").check()
    fieldset(page, "案例").locator("textarea").fill("先查单证，再核对申报。")
    expect(fieldset(page, "案例").locator(".save-state")).to_have_attribute("data-state", "offline", timeout=8000)
    assert not Answer.objects.filter(attempt=attempt, response="先查单证，再核对申报。").exists()
    page.context.set_offline(False)
    expect(fieldset(page, "案例").locator(".save-state")).to_have_attribute("data-state", "saved", timeout=10000)
    expect(fieldset(page, "判断").locator(".save-state")).to_have_attribute("data-state", "saved")

    # The invigilator adds 30 minutes in another browser; the open page shows it without a reload.
    before = int(page.locator("#time-left").get_attribute("data-seconds"))
    invigilator = make_invigilator()
    other = browser.new_context()
    console = other.new_page()
    console.goto(f"{live_server.url}/accounts/login/")
    console.fill("#id_login", invigilator.email)
    console.fill("#id_password", "correct-horse-battery-9")
    console.click("main form button[type=submit]")
    console.goto(f"{live_server.url}/exams/sittings/{sitting.pk}/console/")
    row = console.locator("tr[data-seat='4']")
    expect(row).to_contain_text("4 / 5")
    console.fill("#console-reason", "机器故障")
    console.fill("#console-minutes", "30")
    row.locator("button[data-action=add_time]").click()
    deadline = time.monotonic() + 12
    while int(page.locator("#time-left").get_attribute("data-seconds")) < before + 1500:
        assert time.monotonic() < deadline, "the added time did not reach the open page"
        page.wait_for_timeout(250)
    other.close()

    page.click("#submit-attempt")
    expect(page.locator("#attempt-result")).to_have_attribute("data-state", "marking")
    expect(page.locator("#attempt-pending")).to_be_visible()

    # A trainer marks the essay; an officer releases the results.
    log_in(UserFactory(roles=[Role.TRAINER]))
    page.goto(f"{live_server.url}/exams/marking/")
    page.locator("[data-answer]").first.click()
    expect(page.locator(".essay-answer")).to_contain_text("先查单证")
    page.fill("#mark-points", "1.5")
    page.click("main form button[type=submit]")
    log_in(UserFactory(roles=[Role.CUSTOMS_OFFICER], customs_unit=CustomsUnit.objects.order_by("pk").first()))
    page.goto(f"{live_server.url}/exams/{exam.pk}/results/")
    page.click("#release-results")
    expect(page.locator("#results-released")).to_be_visible()

    log_in(candidate)
    page.goto(f"{live_server.url}/exams/attempts/{attempt.pk}/review/")
    expect(page.locator("#attempt-score")).to_contain_text("7.50")
