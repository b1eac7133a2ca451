"""An officer previews an allocation from a key training list that includes the people of a
suspended enterprise: the preview says, in Chinese, how many were left out and why, and
confirming books everyone else but not them."""

import pytest
from playwright.sync_api import expect

from tests.training_bases.factories import SessionFactory, listed_staff, officer, publish_key_list, staff, suspend
from training_bases.models import Booking

pytestmark = pytest.mark.e2e


def test_the_preview_leaves_out_a_suspended_enterprise_and_the_confirmation_books_nobody_of_it(
    live_server, page, log_in, site
):
    SessionFactory(capacity=5)
    placed = listed_staff()
    audited = listed_staff()
    colleague = staff(enterprise=audited.enterprise)
    publish_key_list(
        [(audited, 1, ("suzhou",), audited.position), (colleague, 2, ("suzhou",), colleague.position)]
        + [(placed, 3, ("suzhou",), placed.position)]
    )
    customs = officer()
    suspend(audited, customs)

    log_in(customs)
    page.goto(live_server.url + "/training/allocation/")
    page.select_option("#id_training_type", "compliance")
    page.click("#allocation-preview")
    expect(page.locator("#run-status")).to_have_attribute("data-status", "preview")
    blocked = page.locator("#run-blocked")
    expect(blocked).to_have_text("2 人未安排：其所在企业的信用培育已中止或终止。")
    expect(blocked).to_have_attribute("data-blocked", "2")
    left_out = page.locator("#allocation-decisions tr[data-outcome=skipped]")
    expect(left_out).to_have_count(2)
    for row in left_out.all():
        expect(row).to_contain_text("该企业的信用培育已中止：中止期间不安排席位。")
    assert {row.get_attribute("data-user-id") for row in left_out.all()} == {str(audited.pk), str(colleague.pk)}

    page.click("#allocation-confirm")
    expect(page.locator("#run-status")).to_have_attribute("data-status", "confirmed")
    booked = dict(Booking.objects.values_list("user_id", "status"))
    assert booked == {placed.pk: Booking.Status.CONFIRMED}, booked
