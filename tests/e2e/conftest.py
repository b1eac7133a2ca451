import os
import shutil
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.conftest import IN_CI
from tests.factories import TEST_PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
INSTALL_HINT = "sudo apt-get install chromium fonts-noto-cjk"


MISSING = f"Chromium not found at {CHROMIUM}: install it with `{INSTALL_HINT}`"


def chromium_installed() -> bool:
    return bool(shutil.which(CHROMIUM))


def pytest_collection_modifyitems(config, items):
    """Without Chromium the browser tests skip locally with one line; in CI they fail
    (`browser_type_launch_args` in tests/conftest.py)."""
    if chromium_installed() or IN_CI:
        return
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.skip(reason=MISSING))


@pytest.fixture(autouse=True)
def only_the_live_server(request):
    """Fail a browser test when its page asks any other host for anything (gravatar, CDNs, fonts…).

    The request is answered with an error, so nothing leaves the machine either way."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    live_server = request.getfixturevalue("live_server")
    own = urlsplit(live_server.url).netloc
    foreign: list[str] = []

    def route(route_):
        url = route_.request.url
        if urlsplit(url).scheme in {"http", "https", "ws", "wss"} and urlsplit(url).netloc != own:
            foreign.append(url)
            route_.abort()
        else:
            route_.continue_()

    page.context.route("**/*", route)
    # Irreversible actions ask first (window.confirm); the person in these tests says yes.
    page.on("dialog", lambda dialog: dialog.accept())
    yield
    assert not foreign, f"the page requested other hosts: {foreign}"


DEMO_PASSWORD = "aeo-demo-2026"


@pytest.fixture
def demo(site):
    """The whole demo (`seed_demo`): accounts of every role, enterprises, rounds, sessions."""
    from django.core.management import call_command

    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)


@pytest.fixture
def log_in_demo(page, live_server):
    """Log a demo account in through the login form."""

    def _log_in(email):
        page.context.clear_cookies()
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_login", email)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("main form button[type=submit]")
        expect(page.locator(".account__menu summary")).to_be_visible()

    return _log_in


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
