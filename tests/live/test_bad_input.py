"""Bad input to the live endpoints ("Bad input"): clear 4xx answers, never a server error, and
nothing recorded."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import WatchTime
from live import services
from tests.cache import clear_cache
from tests.factories import EnterpriseStaffFactory, UserFactory
from trainees.roles import Role

from .factories import live_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


BODIES = [
    "not json",
    "[]",
    "null",
    '"text"',
    '{"venue": "1"}',
    '{"venue": true}',
    '{"venue": 1.5}',
    '{"venue": 99999999999999999999999}',
    '{"venue": null, "seconds": 30}',
    '{"played": "x"}',
    '{"played": [[1]]}',
    '{"played": [["a", "b"]]}',
    '{"played": [[5, 1]]}',
    '{"played": [[0, 1e308]]}',
    '{"played": {"a": 1}}',
    '{"text": 5}',
    '{"text": ["a"]}',
    '{"text": "\\u0000"}',
    '{"text": "' + "问" * 1001 + '"}',
]


def test_odd_bodies_get_a_clear_answer_and_record_nothing(client):
    session = live_session(
        starts_at=timezone.now() - dt.timedelta(minutes=1),
        minutes=30,
        replay_url="https://media.example.com/r/index.m3u8",
    )
    viewer = EnterpriseStaffFactory()
    services.registration_create(session_id=session.pk, user=viewer)
    services.viewer_start(session=session, user_id=viewer.pk, now=timezone.now() - dt.timedelta(seconds=2))
    services.replay_start(session=session, user_id=viewer.pk)
    client.force_login(viewer)
    before = list(WatchTime.objects.values_list("watchable", "seconds").order_by("watchable"))
    for name in ("live:heartbeat", "live:replay_heartbeat", "live:questions"):
        for body in BODIES:
            response = client.post(reverse(name, args=[session.pk]), body, content_type="application/json")
            if name == "live:heartbeat":
                assert response.status_code == 400, (body, response.content)
            assert response.status_code < 500, (name, body, response.status_code)
            if response.status_code >= 400 and "\\u0000" not in body:  # NUL: the site-wide guard answers
                assert response["Content-Type"] == "application/json", (name, body, response.content[:200])
                assert response.json()["detail"], (name, body)
    assert not session.questions.exists()
    assert list(WatchTime.objects.values_list("watchable", "seconds").order_by("watchable")) == before
    client.force_login(UserFactory(roles=[Role.TRAINER]))
    for data in ({"question": "x"}, {"question": "999999"}, {"question": ""}, {}):
        assert client.post(reverse("live:moderate", args=[session.pk]), data).status_code == 302
    nul = client.post(reverse("live:moderate", args=[session.pk]), {"question": "1", "answer": "\x00"})
    assert nul.status_code == 400  # the site-wide guard against NUL characters
    for rest in ("live.m3u8", "..", "a/../../b.ts", "x" * 3000):
        assert client.get(f"/live/stream/forged-token/{rest}").status_code == 403  # the token is refused first
    assert client.get("/live/stream/forged-token/%00").status_code == 400  # the site-wide NUL guard
