"""A computer exam in a real browser served by a real gunicorn on PostgreSQL (issue 14,
reliability): the server is killed and restarted mid-exam and the candidate goes on with every
acknowledged answer and the timer still running; the session is lost and the candidate logs in
again in a dialog without leaving the page, the unsaved answer is then sent; the encrypted
answer file the page writes is one the exam system reads."""

import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from exams.models import Answer, Attempt
from exams.services import answer_files
from tests.exams.factories import make_exam
from tests.exams.test_crash import Server, free_port
from tests.factories import TEST_PASSWORD, UserFactory
from trainees.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


def fieldset(page, name):
    return page.locator("fieldset.question", has_text=f"{name}题干")


def seconds_left(page) -> int:
    return int(page.locator("#time-left").get_attribute("data-seconds"))


def test_server_killed_and_session_lost_mid_exam(browser, site):
    exam = make_exam(essay=False, duration_minutes=60)
    candidate = UserFactory(roles=[Role.ENTERPRISE_STAFF])
    server = Server(free_port())
    base = f"http://127.0.0.1:{server.port}"
    context = browser.new_context()
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        server.start()
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_login", candidate.email)
        page.fill("#id_password", TEST_PASSWORD)
        page.click("main form button[type=submit]")
        expect(page.locator(".account__menu summary")).to_be_visible()
        page.goto(f"{base}/exams/")
        page.click(f"[data-start='{exam.pk}']")
        expect(page.locator("#time-left")).not_to_have_text("--:--")
        attempt = Attempt.objects.get(user=candidate)
        fieldset(page, "单选").locator("input").nth(0).check()
        fieldset(page, "填空").locator("input").fill("AEO")
        expect(fieldset(page, "填空").locator(".save-state")).to_have_attribute("data-state", "saved")

        # The server dies (SIGKILL) while the candidate answers; it comes back.
        before, killed_at = seconds_left(page), time.monotonic()
        server.kill()
        fieldset(page, "判断").locator("input[value=true]").check()
        expect(fieldset(page, "判断").locator(".save-state")).to_have_attribute("data-state", "offline", timeout=8000)
        server.start()
        expect(fieldset(page, "判断").locator(".save-state")).to_have_attribute("data-state", "saved", timeout=20000)
        page.wait_for_timeout(6000)  # a status poll re-reads the server's time
        elapsed = time.monotonic() - killed_at
        assert before - elapsed - 10 <= seconds_left(page) <= before - elapsed + 3, "the timer did not go on"
        page.reload()
        expect(fieldset(page, "单选").locator("input").nth(0)).to_be_checked()
        expect(fieldset(page, "填空").locator("input")).to_have_value("AEO")
        expect(fieldset(page, "判断").locator("input[value=true]")).to_be_checked()

        # The session is lost: a dialog asks for the password on the page; the answer is sent after.
        context.clear_cookies()
        fieldset(page, "填空").locator("input").fill("AEO 认证")
        dialog = page.locator("#login-dialog")
        expect(dialog).to_be_visible(timeout=10000)
        expect(fieldset(page, "填空").locator(".save-state")).to_have_attribute("data-state", "unsaved")
        dialog.locator("input[name=password]").fill("wrong-password")
        dialog.locator("button[type=submit]").click()
        expect(dialog.locator("[data-login-error]")).not_to_be_empty(timeout=10000)
        dialog.locator("input[name=password]").fill(TEST_PASSWORD)
        dialog.locator("button[type=submit]").click()
        expect(dialog).to_be_hidden(timeout=10000)
        expect(fieldset(page, "填空").locator(".save-state")).to_have_attribute("data-state", "saved", timeout=10000)
        assert Answer.objects.get(attempt=attempt, response="AEO 认证").seq >= 2

        # Last resort: the encrypted answer file the page writes completes the attempt.
        page.locator(".answer-file summary").click()
        with page.expect_download() as download:
            page.click("#download-answers")
        content = Path(download.value.path()).read_bytes()
        result = answer_files.attempt_complete_from_file(attempt_id=attempt.pk, content=content, user=None)
        assert result.submitted and result.applied == 0 and result.stale == 3  # all were saved already
    finally:
        context.close()
        server.kill()
