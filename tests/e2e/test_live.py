"""Issue 12 in a real browser with a real HLS stream made by ffmpeg: a trainee registers, watches
(hls.js plays the proxied, signed playlist; heartbeats arrive and the server computes the
minutes), asks a question a trainer answers on the moderation page, the attendance report shows
the minutes and the trainee's course shows the live observation done."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import WatchTime
from courses.services import enrolment_create
from live.models import LiveSession, Question, Registration
from tests.courses.factories import course
from tests.factories import TEST_PASSWORD, EnterpriseStaffFactory, UserFactory
from tests.live.factories import live_session
from tests.live.hls import make_hls, serve
from trainees.roles import Role

pytestmark = pytest.mark.e2e


@pytest.fixture
def streams(tmp_path):
    for i, pattern in enumerate(("testsrc", "smptebars", "rgbtestsrc"), start=1):
        make_hls(tmp_path / f"venue{i}", seconds=30, pattern=pattern)
    server, base = serve(tmp_path)
    yield base
    server.shutdown()


def played(page, selector: str, seconds: float) -> bool:
    """Poll (the page's CSP forbids eval, so no wait_for_function) until a video passed `seconds`."""
    for _ in range(40):
        times = page.locator(selector).evaluate_all("videos => videos.map(v => v.currentTime)")
        if any(t > seconds for t in times):
            return True
        page.wait_for_timeout(500)
    return False


def test_trainee_watches_a_real_hls_stream_and_is_credited(live_server, page, log_in, site, streams):
    live_course = course("live-e2e", lessons=(), requires_live_observation=True, title="直播观摩课程")
    session = live_session(
        starts_at=timezone.now() - dt.timedelta(seconds=5),
        minutes=2,
        threshold_percent=5,
        course_key=live_course.translation_key,
    )
    for i, venue in enumerate(session.venues.order_by("sort_order"), start=1):
        venue.stream_url = f"{streams}/venue{i}/index.m3u8"
        venue.backup_url = ""
        venue.save()
    # The first venue's primary is broken: the player falls back to its backup.
    first = session.venues.order_by("sort_order").first()
    first.backup_url, first.stream_url = first.stream_url, f"{streams}/missing/index.m3u8"
    first.save()
    trainee = EnterpriseStaffFactory(last_name="王", first_name="观摩")
    enrolment_create(user=trainee, course=live_course)
    log_in(trainee)
    page.goto(f"{live_server.url}/live/{session.pk}/")
    page.click("#live-register")
    assert Registration.objects.filter(session=session, user=trainee).exists()
    page.reload()
    expect(page.locator(".live-watermark").first).to_contain_text("王观摩")
    # hls.js plays the stream through the signed proxy.
    assert played(page, "video.live-video", 1)
    for _ in range(40):
        row = WatchTime.objects.filter(user=trainee, watchable=session.watchable).first()
        if row and row.seconds >= 4:
            break
        page.wait_for_timeout(500)
    assert row is not None and row.seconds >= 4
    expect(page.locator("#live-minutes")).not_to_have_attribute("data-seconds", "0")
    # The broken primary was replaced by the backup: that venue plays too, and says so in Chinese.
    assert played(page, f'video.live-video[data-venue="{first.pk}"]', 0.5)
    expect(page.locator(f'.live-source[data-venue="{first.pk}"]')).to_have_text("（备用信号源）")
    # Q&A: the question waits for a trainer, then the published answer appears for the viewer.
    page.fill("#live-question", "现场检查关注哪些环节？")
    page.click("#live-ask button[type=submit]")
    expect(page.locator("#live-questions li.pending")).to_contain_text("现场检查关注哪些环节？")
    # A question carrying personal data is refused on the page, in Chinese.
    page.fill("#live-question", "我的电话 13800138000，请回电")
    page.click("#live-ask button[type=submit]")
    expect(page.locator("#live-ask-status")).to_contain_text("个人信息")
    question = Question.objects.get(session=session)
    # The trainer, in their own browser while the trainee keeps watching, sees the viewer on a
    # venue and answers and publishes on the moderation page.
    trainer = UserFactory(roles=[Role.TRAINER])
    desk = page.context.browser.new_context().new_page()
    desk.goto(live_server.url + "/accounts/login/")
    desk.fill("#id_login", trainer.email)
    desk.fill("#id_password", TEST_PASSWORD)
    desk.click("main form button[type=submit]")
    expect(desk.locator(".account__menu summary")).to_be_visible()
    desk.goto(f"{live_server.url}/live/{session.pk}/moderate/")
    expect(desk.locator("#live-viewers strong").filter(has_text="1")).to_have_count(1, timeout=10000)
    desk.fill(f"#answer-{question.pk}", "仓储与出入库管理。")
    desk.click(f'#question-{question.pk} button[name="publish"][value="1"]')
    expect(desk.locator(f"#question-{question.pk} .badge--success")).to_be_visible()
    expect(page.locator("#live-questions li.published .answer")).to_have_text("仓储与出入库管理。", timeout=10000)
    # The trainer's attendance report shows the minutes the server measured.
    desk.goto(f"{live_server.url}/live/{session.pk}/attendance/")
    minutes = float(desk.locator(f'#live-attendance tr[data-user="{trainee.pk}"] .minutes').inner_text())
    assert minutes > 0
    assert LiveSession.objects.get(pk=session.pk).registrations.get().attended_at is not None
    desk.context.close()
    # The trainee's course shows the live observation item done.
    page.goto(live_server.url + live_course.url)
    expect(page.locator('li[data-item="live"] .badge--success')).to_be_visible()


def test_three_venues_side_by_side_on_a_wide_screen_one_at_a_time_on_a_phone(live_server, page, log_in, site):
    from live.models import Venue
    from live.services import registration_create

    session = live_session(starts_at=timezone.now() - dt.timedelta(seconds=5), minutes=30)
    # No media server answers: the players stay empty, the layout is what this test reads.
    Venue.objects.filter(session=session).update(stream_url="http://127.0.0.1:9/v/index.m3u8", backup_url="")
    trainee = EnterpriseStaffFactory(last_name="李", first_name="观摩")
    registration_create(session_id=session.pk, user=trainee)
    log_in(trainee)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/live/{session.pk}/")
    figures = page.locator("figure.live-venue")
    expect(figures).to_have_count(3)
    boxes = [figures.nth(i).bounding_box() for i in range(3)]
    assert all(box is not None for box in boxes)
    assert abs(boxes[0]["y"] - boxes[2]["y"]) < 2 and boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
    expect(page.locator(".live-venue-tabs")).to_be_hidden()
    expect(page.locator(".live-watermark").first).to_contain_text(f"李观摩 · {trainee.enterprise}")
    page.set_viewport_size({"width": 390, "height": 844})
    assert [figures.nth(i).is_visible() for i in range(3)] == [True, False, False]
    page.locator(".live-venue-tab").nth(2).click()
    expect(figures.nth(2)).to_be_visible()
    expect(figures.nth(0)).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
