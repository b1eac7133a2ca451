"""Sign-in by mobile number in a real browser: the console/locmem SMS backend holds the code."""

import re

import pytest
from playwright.sync_api import expect

from lms import sms
from tests.cache import clear_cache
from tests.factories import EnterpriseStaffFactory

pytestmark = pytest.mark.e2e


def test_sign_in_with_a_mobile_number_and_the_sms_code(live_server, page, site):
    clear_cache()
    sms.outbox.clear()
    user = EnterpriseStaffFactory(last_name="刘", first_name="关务", phone="+8613800138000", phone_verified=True)
    page.goto(live_server.url + "/accounts/login/")
    page.locator("main a[href*='/accounts/login/code/']").first.click()
    page.fill("#id_phone", "138 0013 8000")
    page.click("main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/accounts/login/code/confirm/"))
    assert [m.to for m in sms.outbox] == ["+8613800138000"]
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)
    page.fill("#id_code", code)
    page.click("main form button[type=submit]")
    expect(page.locator(".account__menu summary")).to_contain_text(user.get_full_name() or user.email)
