"""The main flows on a 390 px phone and for assistive technology: no page scrolls sideways, and
axe-core (vendored from npm, tests/e2e/vendor/axe-core) finds no serious or critical violation."""

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
PHONE = {"width": 390, "height": 844}


def main_flow_pages(email):
    from trainees.models import Enterprise, SelectionRound
    from training_bases.models import TrainingSession

    session = TrainingSession.objects.filter(status="open").order_by("starts_at").first()
    public = ["/", "/about/", "/search/?q=培训", "/courses/", "/training/", f"/training/sessions/{session.pk}/"]
    if email is None:
        return public + ["/accounts/login/", "/accounts/signup/"]
    if email.startswith("officer"):
        round_ = SelectionRound.objects.filter(status="closed").first()
        enterprise = Enterprise.objects.order_by("pk").first()
        return [
            "/enterprises/rounds/",
            f"/enterprises/rounds/{round_.pk}/",
            "/enterprises/list/",
            f"/enterprises/{enterprise.pk}/",
            "/training/allocation/",
        ]
    return public[:1] + ["/enterprises/mine/", "/enterprises/mine/apply/", "/training/bookings/"]


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the phone (0 when nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


AXE_PATH = "/__test__/axe.min.js"


def serious_violations(page) -> list[str]:
    # Served from the site's own origin, so the page's Content-Security-Policy (scripts from
    # 'self' only, no inline script) lets it run unchanged.
    origin = page.url.split("/", 3)[:3]
    url = "/".join(origin) + AXE_PATH
    page.route(url, lambda route: route.fulfill(body=AXE, content_type="application/javascript"))
    page.add_script_tag(url=url)
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
    )
    return result


@pytest.mark.parametrize("email", [None, "legal@demo.aeo", "officer@demo.aeo"])
def test_main_pages_fit_a_phone_and_pass_axe(live_server, page, demo, log_in_demo, email):
    page.set_viewport_size(PHONE)
    if email:
        log_in_demo(email)
    wide, inaccessible = {}, {}
    for path in main_flow_pages(email):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        if (extra := overflow(page)) > 0:
            wide[path] = extra
        if found := serious_violations(page):
            inaccessible[path] = found
    assert not wide, f"pages scrolling sideways at 390 px (extra px): {wide}"
    assert not inaccessible, json.dumps(inaccessible, ensure_ascii=False, indent=1)
