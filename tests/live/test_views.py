"""Watch page, signed stream addresses, heartbeat endpoint and export (issue 12, points 3, 5, 6;
"Bad input"): a real HLS folder made by ffmpeg is proxied only for its viewer."""

import datetime as dt
import io
import json

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from live import services, streams
from live.models import Venue
from tests.cache import clear_cache
from tests.factories import EnterpriseStaffFactory, UserFactory
from trainees.roles import Role

from .factories import live_session
from .hls import make_hls, serve

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hls")
    make_hls(folder / "venue1", seconds=4)
    server, base = serve(folder)
    yield base
    server.shutdown()


def on_air(media=None, **fields):
    session = live_session(starts_at=timezone.now() - dt.timedelta(minutes=1), minutes=30, **fields)
    if media:
        Venue.objects.filter(session=session).update(stream_url=f"{media}/venue1/index.m3u8", backup_url="")
    return session


def viewer_of(session):
    user = EnterpriseStaffFactory()
    services.registration_create(session_id=session.pk, user=user)
    return user


def test_the_player_gets_signed_addresses_and_the_proxy_serves_only_their_viewer(client, media):
    session = on_air(media)
    viewer = viewer_of(session)
    client.force_login(viewer)
    page = client.get(reverse("live:watch", args=[session.pk]))
    assert page.status_code == 200
    assert media not in page.content.decode()  # the real address never reaches the page
    data = client.get(reverse("live:streams", args=[session.pk])).json()
    playlist_url = data["venues"][0]["primary"]
    playlist = client.get(playlist_url)
    assert playlist.status_code == 200
    assert playlist["Content-Type"] == "application/vnd.apple.mpegurl"
    segment = next(line for line in playlist.content.decode().splitlines() if line.endswith(".ts"))
    base = playlist_url.rsplit("/", 1)[0]
    ts = client.get(f"{base}/{segment}")
    assert ts.status_code == 200 and ts.content[:1] == b"\x47"  # MPEG-TS sync byte
    # Leaving the venue's folder is refused.
    assert client.get(f"{base}/../venue1/index.m3u8").status_code in (403, 404)
    assert client.get(f"{base}/http:%2F%2Fevil.example.com%2Fx.ts").status_code == 404
    # Another viewer (even a registered one) cannot use this address.
    client.force_login(viewer_of(session))
    response = client.get(playlist_url)
    assert response.status_code == 403
    assert "另一位观众" in response.content.decode() or "another viewer" in response.content.decode()


def test_expired_or_forged_stream_addresses_are_refused(client, media, settings):
    session = on_air(media)
    viewer = viewer_of(session)
    client.force_login(viewer)
    venue = session.venues.first()
    grant = streams.StreamGrant(user_id=viewer.pk, session_id=session.pk, venue_id=venue.pk, backup=False)
    token = streams.token_for(grant)
    url = reverse("live:stream", kwargs={"token": token, "rest": streams.PLAYLIST_NAME})
    assert client.get(url).status_code == 200
    settings.LIVE_STREAM_URL_SECONDS = -1  # every address is now too old
    assert client.get(url).status_code == 403
    settings.LIVE_STREAM_URL_SECONDS = 120
    forged = signing.dumps([viewer.pk, session.pk, venue.pk, 0], salt="another-salt")
    assert client.get(reverse("live:stream", kwargs={"token": forged, "rest": "live.m3u8"})).status_code == 403


def test_unregistered_people_cannot_get_stream_addresses(client):
    session = on_air()
    client.force_login(EnterpriseStaffFactory())
    assert client.get(reverse("live:streams", args=[session.pk])).status_code == 403
    page = client.get(reverse("live:watch", args=[session.pk])).content.decode()
    assert "live-register" in page and "live-app" not in page


def _beat(client, session, body):
    return client.post(reverse("live:heartbeat", args=[session.pk]), json.dumps(body), content_type="application/json")


def test_heartbeat_endpoint(client):
    session = on_air()
    viewer = viewer_of(session)
    client.force_login(viewer)
    # Not started yet (the watch page was never opened): refused.
    assert _beat(client, session, {}).status_code == 403
    services.viewer_start(session=session, user_id=viewer.pk, now=timezone.now() - dt.timedelta(seconds=2))
    venue = session.venues.first()
    # A client-supplied time is refused: the server measures.
    forged = _beat(client, session, {"venue": venue.pk, "at": "2026-01-01T00:00:00Z"})
    assert forged.status_code == 400
    first = _beat(client, session, {"venue": venue.pk})
    assert first.status_code == 200 and first.json()["seconds"] == 2
    again = _beat(client, session, {"venue": venue.pk})  # twice in one window
    assert again.status_code == 409
    assert again.json()["detail"]


def test_attendance_export_keeps_text_as_text(client):
    session = on_air()
    viewer = EnterpriseStaffFactory(last_name="=HYPERLINK(", first_name="x")
    services.registration_create(session_id=session.pk, user=viewer)
    client.force_login(UserFactory(roles=[Role.TRAINER]))
    response = client.get(reverse("live:attendance_xlsx", args=[session.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "=HYPERLINK(x" in values
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=HYPERLINK(x")
    assert cell.data_type == "s"


def test_a_question_with_personal_data_is_a_clear_error_in_chinese(client):
    session = on_air()
    viewer = viewer_of(session)
    client.force_login(viewer)
    response = client.post(
        reverse("live:questions", args=[session.pk]),
        json.dumps({"text": "我的手机号 13800138000，请回电"}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert "个人信息" in response.json()["detail"] and "13800138000" in response.json()["detail"]
    assert not session.questions.exists()


def test_the_trainer_is_told_why_an_answer_was_not_published(client):
    session = on_air()
    question = services.question_ask(session=session, user=viewer_of(session), text="单证审核看哪些资料？")
    client.force_login(UserFactory(roles=[Role.TRAINER]))
    response = client.post(
        reverse("live:moderate", args=[session.pk]),
        {"question": question.pk, "answer": "联系 a@b.cn", "publish": "1"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    assert "回答：文本中仍有个人信息" in response.content.decode()
    question.refresh_from_db()
    assert question.published_at is None


def test_english_pages_and_the_export_show_the_english_title(client):
    """Live sessions have an English title (`title_en`): every English page and the English
    export use it; Chinese pages keep the Chinese title; without one, English pages fall back
    to the Chinese title."""
    session = on_air(
        title="现场验证直播观摩",
        title_en="Live validation observation",
        description="三个会场同步直播。",
        description_en="Three venues streamed at once.",
    )
    Venue.objects.filter(session=session, name="单证审核").update(name_en="Document review")
    untitled = on_air(title="没有英文标题的场次")
    viewer_of(session)
    client.force_login(UserFactory(roles=[Role.TRAINER]))
    pages = [
        reverse("live:session_list"),
        reverse("live:watch", args=[session.pk]),
        reverse("live:moderate", args=[session.pk]),
        reverse("live:attendance", args=[session.pk]),
    ]
    untitled_page = reverse("live:watch", args=[untitled.pk])
    export = reverse("live:attendance_xlsx", args=[session.pk])
    for url in pages:
        english = client.get(f"/en{url}").content.decode()
        assert "Live validation observation" in english, url
        assert "现场验证直播观摩" not in english, url
        chinese = client.get(url).content.decode()
        assert "现场验证直播观摩" in chinese, url
    watch_en = client.get(f"/en{pages[1]}").content.decode()
    assert "Three venues streamed at once." in watch_en and "三个会场同步直播" not in watch_en
    assert "Document review" in watch_en and "单证审核" not in watch_en
    assert "人员访谈" in watch_en  # a venue without an English name keeps its Chinese one
    assert "单证审核" in client.get(pages[1]).content.decode()
    assert "没有英文标题的场次" in client.get(f"/en{pages[0]}").content.decode()
    assert "没有英文标题的场次" in client.get(f"/en{untitled_page}").content.decode()
    sheet = load_workbook(io.BytesIO(client.get(f"/en{export}").content))
    values = [c.value for row in sheet.active.iter_rows() for c in row]
    assert "Live validation observation" in values and "现场验证直播观摩" not in values


def test_the_attendance_page_and_export_query_count_does_not_grow_with_viewers(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session = on_air(capacity=100)
    client.force_login(UserFactory(roles=[Role.TRAINER]))
    urls = [reverse("live:attendance", args=[session.pk]), reverse("live:attendance_xlsx", args=[session.pk])]
    counts = []
    for n in (2, 9):
        while session.registrations.count() < n:
            viewer_of(session)
        for url in urls:
            client.get(url)  # warm caches (session, site settings)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
    assert counts[:2] == counts[2:], counts


def test_trainers_see_viewers_per_venue_refreshing_on_the_moderation_page(client):
    session = on_air()
    viewer = viewer_of(session)
    venues = list(session.venues.all())
    services.viewer_start(session=session, user_id=viewer.pk, now=timezone.now() - dt.timedelta(seconds=2))
    client.force_login(viewer)
    assert _beat(client, session, {"venue": venues[1].pk}).status_code == 200
    assert client.get(reverse("live:viewers", args=[session.pk])).status_code == 403
    client.force_login(UserFactory(roles=[Role.TRAINER]))
    data = client.get(reverse("live:viewers", args=[session.pk])).json()
    assert [v["viewers"] for v in data["venues"]] == [0, 1, 0]
    page = client.get(reverse("live:moderate", args=[session.pk])).content.decode()
    assert f'data-url="{reverse("live:viewers", args=[session.pk])}"' in page and "live/moderate" in page


@pytest.mark.parametrize(("prefix", "message"), [("", "本场直播名额已满。"), ("/en", "This session is full.")])
def test_registering_for_a_full_session_is_a_clear_message_in_the_users_language(client, prefix, message):
    session = on_air(capacity=1)
    viewer_of(session)
    late = EnterpriseStaffFactory()
    client.force_login(late)
    url = reverse("live:register", args=[session.pk])
    response = client.post(f"{prefix}{url}", follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not session.registrations.filter(user=late).exists()
