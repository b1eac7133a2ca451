"""In a real browser: an officer runs a selection round, reads the reasons, adjusts by hand,
publishes the key training list and exports it; the enterprise sees its outcome and why; an
officer suspends an enterprise (the signal that releases its bookings fires)."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from trainees.models import KeyListAdjustment, Position, SelectionRound
from trainees.signals import cultivation_status_changed

pytestmark = pytest.mark.e2e


@pytest.fixture
def round_world(site):
    from tests.trainees.factories import (
        ApplicationFactory,
        NomineeFactory,
        SelectionRoundFactory,
        add_capacity,
        enterprise_in,
        officer,
        staff_of,
        unit,
    )

    w = type("World", (), {})()
    w.officer = officer("5300")
    w.round = SelectionRoundFactory(
        customs_unit=unit("5300"), status=SelectionRound.Status.CLOSED, applications_close_on=date(2027, 1, 10)
    )
    add_capacity(w.round, seats=1, bases=("shenzhen",))
    w.key = enterprise_in(
        "5301", credit_score=92, is_key_enterprise=True, key_enterprise_reason="前海重点", cultivation_status="applied"
    )
    w.second = enterprise_in("5302", credit_score=80, cultivation_status="applied")
    w.third = enterprise_in("5303", credit_score=60, cultivation_status="applied")
    w.user = staff_of(w.key, position=Position.LEGAL_REPRESENTATIVE)
    w.apps = {}
    for name, enterprise in [("key", w.key), ("second", w.second), ("third", w.third)]:
        app = ApplicationFactory(
            round=w.round,
            enterprise=enterprise,
            willingness="strong",
            planned_aeo_application_date=date(2027, 6, 1),
            preferred_bases=["shenzhen"],
        )
        NomineeFactory(application=app, name=f"{name}-法人", position=Position.LEGAL_REPRESENTATIVE)
        w.apps[name] = app
    return w


def test_officer_runs_a_round_publishes_exports_and_the_enterprise_sees_why(live_server, page, log_in, round_world):
    w = round_world
    log_in(w.officer)
    page.goto(live_server.url + "/enterprises/rounds/")
    page.click(f"[data-round-link='{w.round.pk}']")

    key_row = page.locator(f"#preview-table tr[data-application-id='{w.apps['key'].pk}']")
    expect(key_row).to_have_attribute("data-outcome", "listed")
    expect(key_row.locator("[data-reasons]")).to_contain_text("✓")
    expect(key_row.locator("[data-reasons]")).to_contain_text("92")
    second_row = page.locator(f"#preview-table tr[data-application-id='{w.apps['second'].pk}']")
    expect(second_row).to_have_attribute("data-outcome", "not_selected")

    # Manual adjustment with a written reason: put the second enterprise on the list too.
    second_row.locator("select[name=action]").select_option("include")
    second_row.locator("input[name=reason]").fill("试点企业，关长批准")
    second_row.locator("button[type=submit]").click()
    expect(page.locator(".alert--success")).to_be_visible()
    expect(page.locator(f"#preview-table tr[data-application-id='{w.apps['second'].pk}']")).to_have_attribute(
        "data-outcome", "listed"
    )
    expect(page.locator("#adjustment-table")).to_contain_text("试点企业，关长批准")
    assert KeyListAdjustment.objects.get().actor_id == w.officer.pk

    # The inclusion puts Shenzhen above its one seat: the real figures and a warning are shown,
    # and publishing needs the officer's explicit confirmation.
    expect(page.locator("#base-loads [data-base=shenzhen]")).to_have_attribute("data-listed", "2")
    expect(page.locator("#over-quota")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#publish-round")
    expect(page.locator("#round-status")).to_have_attribute("data-status", "closed")
    expect(page.locator(".alert--error, .alert--danger").first).to_contain_text("深圳")
    page.check("#over-quota-confirm")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#publish-round")
    expect(page.locator("#round-status")).to_have_attribute("data-status", "published")

    with page.expect_download() as download_info:
        page.click("#export-xlsx")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(download.path().read_bytes())).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [r[1] for r in rows] == ["key-法人", "second-法人"]
    assert w.key.credit_code in rows[0]

    # The enterprise sees its outcome and the reasons.
    log_in(w.user)
    page.goto(live_server.url + "/enterprises/mine/")
    row = page.locator(f"#my-applications tr[data-application-id='{w.apps['key'].pk}']")
    expect(row).to_have_attribute("data-outcome", "listed")
    expect(row.locator("[data-reasons]")).to_contain_text("92")
    expect(row.locator("[data-reasons]")).to_contain_text("✓")
    expect(page.locator("#cultivation-status")).to_have_attribute("data-status", "listed")


def test_officer_suspends_an_enterprise_and_the_release_signal_fires(live_server, page, log_in, round_world):
    w = round_world
    received = []

    def receiver(sender, signal, **kwargs):
        received.append(kwargs)

    cultivation_status_changed.connect(receiver, dispatch_uid="e2e-suspension")
    try:
        log_in(w.officer)
        page.goto(f"{live_server.url}/enterprises/{w.key.pk}/")
        page.select_option("#transition-form select[name=action]", "suspend")
        page.select_option("#transition-form select[name=ground]", "being_audited")
        page.fill("#transition-form textarea[name=reason]", "稽查立案")
        page.fill("#transition-form input[name=evidence_reference]", "稽查通知书 2027-001")
        page.click("#transition-form button[type=submit]")
        expect(page.locator("#cultivation-status")).to_have_attribute("data-status", "suspended")
        expect(page.locator("#event-table tr[data-event-action=suspend]")).to_contain_text("稽查通知书 2027-001")
    finally:
        cultivation_status_changed.disconnect(dispatch_uid="e2e-suspension")
    assert received == [
        {
            "enterprise_id": w.key.pk,
            "old_status": "applied",
            "new_status": "suspended",
            "actor_id": w.officer.pk,
            "reason": "稽查立案",
        }
    ]

    # Resuming a terminated enterprise is refused with a message and nothing changes.
    page.select_option("#transition-form select[name=action]", "terminate")
    page.select_option("#transition-form select[name=ground]", "suspected_crime")
    page.fill("#transition-form textarea[name=reason]", "涉嫌走私犯罪")
    page.click("#transition-form button[type=submit]")
    expect(page.locator("#cultivation-status")).to_have_attribute("data-status", "terminated")
    expect(page.locator("#transition-form")).to_have_count(0)
