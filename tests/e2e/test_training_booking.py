"""The training-base journey in a real browser: an officer previews and confirms an allocation
from the key training list; the placed trainee downloads the calendar file and cancels; the
first waitlisted trainee is promoted and e-mailed."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.training_bases.factories import SessionFactory, officer, publish_key_list, staff
from trainees.models import Position
from training_bases.models import Booking, TrainingSession

pytestmark = pytest.mark.e2e


def test_allocation_booking_ics_cancellation_and_promotion(live_server, page, log_in, site, mailoutbox):
    start = (timezone.now() + dt.timedelta(days=10)).replace(hour=1, minute=0, second=0, microsecond=0)
    session = SessionFactory(capacity=1, status=TrainingSession.Status.DRAFT, starts_at=start)
    first = staff(position=Position.CUSTOMS_AFFAIRS)
    second = staff(position=Position.FINANCE)
    publish_key_list(
        [
            (first, 1, ("suzhou",), first.position),
            (second, 2, ("suzhou",), second.position),
        ]
    )
    customs = officer()

    # The officer previews the allocation, reads the reasons, and confirms it.
    log_in(customs)
    page.goto(live_server.url + "/training/allocation/")
    page.select_option("#id_training_type", "compliance")
    page.click("#allocation-preview")
    expect(page.locator("#run-status")).to_have_attribute("data-status", "preview")
    expect(page.locator("#run-counts")).to_have_attribute("data-placed", "1")
    expect(page.locator("#run-counts")).to_have_attribute("data-waitlisted", "1")
    expect(page.locator("#allocation-decisions tr[data-outcome=waitlisted]")).to_contain_text("候补第 1 位")
    assert not Booking.objects.exists()
    page.click("#allocation-confirm")
    expect(page.locator("#run-status")).to_have_attribute("data-status", "confirmed")

    # The placed trainee sees the booking, downloads the calendar file and cancels.
    log_in(first)
    page.goto(live_server.url + "/training/bookings/")
    row = page.locator("#my-bookings tr[data-booking-id]").first
    expect(row).to_have_attribute("data-status", "confirmed")
    with page.expect_download() as download_info:
        row.locator("[data-ics]").click()
    ics = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert "METHOD:REQUEST" in ics and session.title_zh in ics

    page.goto(live_server.url + f"/training/sessions/{session.pk}/")
    expect(page.locator("#my-booking")).to_have_attribute("data-status", "confirmed")
    page.click("#cancel-booking")
    expect(page.locator(".messages")).to_contain_text("您的预约已取消")
    expect(page.locator("#book-seat")).to_be_visible()

    # The first on the waitlist has the seat and an e-mail saying so.
    promoted = Booking.objects.get(user=second)
    assert promoted.status == Booking.Status.CONFIRMED
    to_second = [m for m in mailoutbox if m.to == [second.email]]
    assert [m.subject for m in to_second] == [
        f"[AEO] 您已进入候补名单：{session.title_zh}",
        f"[AEO] 有席位空出：您的预约已确认：{session.title_zh}",
    ]
    log_in(second)
    page.goto(live_server.url + f"/training/sessions/{session.pk}/")
    expect(page.locator("#my-booking")).to_have_attribute("data-status", "confirmed")
