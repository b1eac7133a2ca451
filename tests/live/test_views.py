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
    assert client.get(f"{base}/../venue1/index.m3u8").status_code == 404
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
