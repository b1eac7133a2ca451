"""The appraisal dashboard in a real browser, on the demo (issue 17, done means): the GACC
officer sees the funnel of every district, with the certified and the failed demo enterprise,
and the figures of the enterprise list the dashboard links to; the Shenzhen district officer
sees only the Shenzhen units, with the same figures GACC sees for Shenzhen."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def _reached(page, stage):
    return int(page.locator(f"#funnel-table tr[data-stage={stage}]").get_attribute("data-reached"))


def test_gacc_sees_every_district_and_a_district_only_its_own(live_server, page, demo, log_in_demo):
    log_in_demo("officer@demo.aeo")
    page.goto(live_server.url + "/feedback/appraisal/")
    expect(page.locator("h1")).to_have_text("培训成效评估")
    rows = page.locator("#district-table tbody tr")
    expect(rows.filter(has=page.locator("th", has_text="深圳海关"))).to_have_count(1)
    expect(rows.filter(has=page.locator("th", has_text="南京海关"))).to_have_count(1)
    assert _reached(page, "certified") == 1
    assert _reached(page, "applied_for_aeo") == 2
    expect(page.locator("#outcomes-passed")).to_have_text("1")
    expect(page.locator("#outcomes-failed")).to_contain_text("1")
    expect(page.locator("#funnel svg rect")).to_have_count(6)

    # The Shenzhen row as GACC sees it...
    shenzhen_row = rows.filter(has=page.locator("th", has_text="深圳海关"))
    cells = shenzhen_row.locator("td[data-stage]")
    expect(cells).to_have_count(6)
    as_seen_by_gacc = [int(cells.nth(i).get_attribute("data-reached")) for i in range(6)]
    assert as_seen_by_gacc[0] > 0  # the Shenzhen round's applicants

    # The certified count is the enterprise list's.
    certified = page.locator("#now-at li[data-status=certified]")
    count = int(certified.get_attribute("data-count"))
    certified.get_by_role("link").click()
    expect(page.locator("#enterprise-table tbody tr[data-enterprise-id]")).to_have_count(count)

    # ...is the funnel the Shenzhen district officer sees, with its own units only.
    log_in_demo("officer.shenzhen@demo.aeo")
    page.goto(live_server.url + "/feedback/appraisal/")
    units = page.locator("#district-table tbody tr")
    expect(units.filter(has=page.locator("th", has_text="福田海关"))).to_have_count(1)
    expect(units.filter(has=page.locator("th", has_text="南京海关"))).to_have_count(0)
    stages = ("applied", "listed", "in_training", "completed", "applied_for_aeo", "certified")
    assert [_reached(page, stage) for stage in stages] == as_seen_by_gacc
