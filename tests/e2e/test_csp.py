"""The Content-Security-Policy breaks nothing: the main pages, public and signed in, load in
Chromium without a single CSP violation (console report or securitypolicyviolation event)."""

import pytest

from tests.trainees.factories import officer

pytestmark = pytest.mark.e2e

COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def demo_site(site):
    from cms import demo

    demo.seed(lambda message: None)


@pytest.fixture
def violations(page):
    """CSP violations seen by the page: console reports and DOM events, across navigations."""
    seen: list[str] = []
    page.on(
        "console",
        lambda msg: seen.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.add_init_script(COLLECT)

    def collect() -> list[str]:
        events = page.evaluate("window.__csp || []")
        return [*seen, *events]

    return collect


def _visit(page, url: str, collect) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return collect()


def test_the_detector_sees_an_inline_script(live_server, page, site, violations):
    """Guard: if the policy allowed inline scripts, or the detector were deaf, this would fail."""
    page.goto(live_server.url + "/accounts/login/")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';
                         document.body.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.x") is None
    assert violations(), "an inline script ran or was not reported"


def test_main_pages_have_no_csp_violation(live_server, page, demo_site, violations, log_in):
    public = ["/", "/en/", "/about/", "/search/?q=AEO", "/training/", "/training/?view=week", "/accounts/login/"]
    for path in public:
        assert _visit(page, live_server.url + path, violations) == [], path
    log_in(officer("5300"))
    signed_in = [
        "/",  # with the Wagtail user bar
        "/about/",
        "/enterprises/",
        "/enterprises/rounds/",
        "/enterprises/import/",
        "/training/bookings/",
        "/admin/",
        "/admin/pages/",
    ]
    for path in signed_in:
        assert _visit(page, live_server.url + path, violations) == [], path
