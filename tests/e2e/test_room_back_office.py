"""An officer edits a room in the Chinese back office: fewer seats than a session that has not
ended holds, or another training base while it holds sessions, and the form says why and saves
nothing."""

import pytest
from playwright.sync_api import expect

from tests.training_bases.factories import RoomFactory, SessionFactory, base, officer, staff
from training_bases import services
from training_bases.models import Booking, Room

pytestmark = pytest.mark.e2e


def test_a_room_is_not_made_smaller_than_its_session_nor_moved_to_another_base(live_server, page, log_in, site):
    room = RoomFactory(name_zh="五号教室", capacity=10)
    session = SessionFactory(room=room, capacity=3, title_zh="AEO合规培训（苏州）第一期")
    for _ in range(3):
        services.booking_create(user=staff(), session_id=session.pk)
    assert Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).count() == 3

    log_in(officer())
    page.goto(f"{live_server.url}/admin/room/edit/{room.pk}/")
    page.fill("#id_capacity", "2")
    page.locator("footer button[type=submit]").first.click()
    error = page.locator(".w-field", has=page.locator("#id_capacity")).locator(".error-message")
    expect(error).to_contain_text("教室不能只设 2 个座位：尚未结束的场次最多需要 3 个。")
    expect(error).to_contain_text("“AEO合规培训（苏州）第一期”")
    expect(error).to_contain_text("请先减少这些场次的席位，或把它们移到其他教室。")
    expect(page.locator("#id_capacity")).to_have_value("2")  # the officer's input, shown again
    assert Room.objects.get(pk=room.pk).capacity == 10

    page.fill("#id_capacity", "10")
    page.select_option("#id_base", str(base("shenzhen").pk))
    page.locator("footer button[type=submit]").first.click()
    error = page.locator(".w-field", has=page.locator("#id_base")).locator(".error-message")
    expect(error).to_have_text("该教室在所属培训基地已有场次，不能改到其他培训基地。")

    saved = Room.objects.get(pk=room.pk)
    assert (saved.capacity, saved.base.slug) == (10, "suzhou")
