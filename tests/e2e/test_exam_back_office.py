"""An officer in the Chinese back office (issue 14 point 2): a new sitting in a computer room of
the district, then tickets for candidates pasted as an e-mail address and a mobile number,
previewed with their seats, confirmed, listed on the sitting's page and e-mailed."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from exams.models import Sitting, Ticket
from exams.services import sittings
from tests.e2e.test_admin_chinese import untranslated
from tests.exams.factories import make_exam
from tests.trainees.factories import enterprise_in, officer, staff_of
from training_bases.models import Room, TrainingBase

pytestmark = pytest.mark.e2e


def test_officer_places_a_sitting_and_issues_tickets_in_chinese(live_server, page, log_in, site):
    exam = make_exam(online=False, closes_at=timezone.now() + timedelta(days=7))
    room = Room.objects.create(
        base=TrainingBase.objects.get(slug="shenzhen"), name_zh="二号机房", kind=Room.Kind.COMPUTER_ROOM, capacity=4
    )
    enterprise = enterprise_in("5301", name_zh="深圳示范有限公司")
    first = staff_of(enterprise, last_name="陈", first_name="一")
    second = staff_of(enterprise, last_name="林", first_name="二", phone="+8613800138000")
    holder = staff_of(enterprise, last_name="黄", first_name="三")
    shenzhen = officer("5300")
    start = timezone.localtime(timezone.now() + timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)

    log_in(shenzhen)
    page.goto(f"{live_server.url}/admin/snippets/exams/sitting/add/")
    expect(page.locator("main")).to_contain_text("新建考场")
    page.select_option("#id_exam", str(exam.pk))
    page.select_option("#id_room", str(room.pk))
    page.fill("#id_starts_at", start.strftime("%Y-%m-%d %H:%M"))
    page.keyboard.press("Escape")
    page.fill("#id_ends_at", (start + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"))
    page.keyboard.press("Escape")
    page.fill("#id_allowed_networks", "10.8.3.0/24")
    page.locator("footer button.action-save").click()

    expect(page).to_have_title(re.compile("^发放准考证"))
    sitting = Sitting.objects.get(exam=exam)
    assert sitting.session.room == room and timezone.localtime(sitting.session.starts_at) == start
    expect(page.locator("#sitting-summary")).to_contain_text("共 4 个座位，已用 0 个，剩余 4 个")

    # Someone already holds seat 1 (issued meanwhile): the batch skips seat 1 and the holder.
    sittings.ticket_issue(sitting=sitting, user=holder, seat_number=1)
    page.fill("#id_lines", f"{first.email}\n138 0013 8000\n{holder.email}")
    page.click("#preview-batch")
    seats = page.locator("#preview-seats tbody tr")
    expect(seats).to_have_count(2)
    expect(seats.nth(0)).to_contain_text("陈一")
    expect(seats.nth(0).locator("td").first).to_have_text("2")
    expect(seats.nth(1)).to_contain_text("林二")
    expect(seats.nth(1).locator("td").first).to_have_text("3")
    expect(page.locator("#batch-skipped")).to_contain_text("黄三 已持有本考场的准考证（1 号座位）")
    assert not untranslated(page), untranslated(page)
    assert Ticket.objects.filter(sitting=sitting).count() == 1  # the preview issued nothing

    mail.outbox.clear()
    page.click("#confirm-issue")
    expect(page.locator(".messages")).to_contain_text("已发放 2 张准考证（座位 2, 3）")
    roster = page.locator("#sitting-roster tbody tr")
    expect(roster).to_have_count(3)
    expect(roster.nth(1)).to_contain_text("陈一")
    expect(page.locator("#sitting-summary")).to_contain_text("剩余 1 个")
    assert dict(Ticket.objects.filter(sitting=sitting, revoked_at=None).values_list("user_id", "seat_number")) == {
        holder.pk: 1,
        first.pk: 2,
        second.pk: 3,
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])

    # The sitting list shows the seats used and leads to the tickets page and the console.
    page.goto(f"{live_server.url}/admin/snippets/exams/sitting/")
    row = page.locator("tbody tr", has_text="二号机房")
    expect(row).to_contain_text("3 / 4")
    assert not untranslated(page), untranslated(page)
    row.get_by_role("link", name="准考证", exact=True).click()
    expect(page.locator("h1")).to_have_text("准考证")
    expect(page.locator("tr[data-ticket]")).to_have_count(3)
