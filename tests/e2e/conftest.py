import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD


@pytest.fixture
def log_in(page, live_server):
    """Log a user in through the real login form (clearing any earlier session first)."""

    def _log_in(user):
        page.context.clear_cookies()
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_login", user.email)
        page.fill("#id_password", TEST_PASSWORD)
        page.click("main form button[type=submit]")
        expect(page.locator(".account__menu summary")).to_be_visible()

    return _log_in
