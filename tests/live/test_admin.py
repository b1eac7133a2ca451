"""Back office (issue 12, point 1): trainers create sessions with venues; publishing without the
observed enterprise's consent, a bad stream address or an end before the start are form errors;
moving the schedule tells registered people."""

import datetime as dt

import pytest

from live import services
from live.models import LiveSession
from notices.models import Notice
from tests.cache import clear_cache
from tests.courses.factories import course
from tests.factories import EnterpriseStaffFactory, UserFactory
from trainees.roles import Role

from .factories import live_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def live_course():
    return course("live-obs", lessons=(), requires_live_observation=True, title="一对一培育及验证观摩")


def form(**changes):
    from courses.models import CoursePage

    data = {
        "course_key": str(CoursePage.objects.get(slug="live-obs").translation_key),
        "title": "现场验证直播",
        "description": "",
        "observed_enterprise": "示范企业",
        "starts_at": "2026-06-01 09:00",
        "ends_at": "2026-06-01 11:00",
        "capacity": "30",
        "threshold_percent": "80",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "replay_url": "",
        "consent_reference": "",
        "venues-TOTAL_FORMS": "1",
        "venues-INITIAL_FORMS": "0",
        "venues-MIN_NUM_FORMS": "1",
        "venues-MAX_NUM_FORMS": "6",
        "venues-0-name": "单证审核",
        "venues-0-stream_url": "https://media.example.com/v1/index.m3u8",
        "venues-0-backup_url": "",
        "venues-0-sort_order": "0",
        "venues-0-ORDER": "1",
        "venues-0-id": "",
        "venues-0-DELETE": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def trainer(client):
    user = UserFactory(roles=[Role.TRAINER], is_staff=False)
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"is_published": "on"}, "发布前请记录被观摩企业的同意"),
        ({"ends_at": "2026-06-01 08:00"}, "结束时间必须晚于开始时间"),
        ({"venues-0-stream_url": "http://media.example.com/v1/index.m3u8"}, "仅开发主机允许使用 http://"),
        ({"venues-0-stream_url": "https://media.example.com/v1/video.mp4"}, "以 .m3u8 结尾"),
    ],
)
def test_bad_sessions_are_form_errors(client, trainer, changes, field_error):
    response = client.post("/admin/live_sessions/new/", form(**changes))
    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert not LiveSession.objects.exists()


def test_published_with_consent_and_a_moved_schedule_notifies(client, trainer):
    response = client.post("/admin/live_sessions/new/", form(is_published="on", consent_given="on"))
    assert response.status_code == 302, response.content.decode()[:2000]
    session = LiveSession.objects.get()
    assert session.is_published and session.consent_recorded_at is not None
    assert session.venues.count() == 1
    viewer = EnterpriseStaffFactory()
    services.registration_create(session_id=session.pk, user=viewer, now=session.starts_at - dt.timedelta(days=1))
    venue = session.venues.get()
    response = client.post(
        f"/admin/live_sessions/edit/{session.pk}/",
        form(
            is_published="on",
            consent_given="on",
            starts_at="2026-06-01 10:00",
            ends_at="2026-06-01 12:00",
            **{"venues-INITIAL_FORMS": "1", "venues-0-id": str(venue.pk)},
        ),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.ics_sequence == 1
    assert Notice.objects.filter(recipient=viewer, kind=Notice.Kind.CHANGE).count() == 1


def test_the_heartbeat_sees_a_moved_schedule():
    clear_cache()
    session = live_session()
    services._schedule(session.pk)
    session.ends_at += dt.timedelta(hours=1)
    session.save()
    services.session_changed(session=session, schedule_moved=True, cancelled_now=False)
    assert services._schedule(session.pk)[1] == session.ends_at


def test_the_course_is_chosen_by_its_title(client, trainer, live_course):
    page = client.get("/admin/live_sessions/new/").content.decode()
    assert f'value="{live_course.translation_key}"' in page
    assert "一对一培育及验证观摩（要求直播观摩）" in page
    response = client.post("/admin/live_sessions/new/", form(course_key="8b0f3c1e-3f7a-4d55-9a57-5a8f4b7f2b11"))
    assert response.status_code == 200 and not LiveSession.objects.exists()
    assert client.post("/admin/live_sessions/new/", form()).status_code == 302
    assert LiveSession.objects.get().course_key == live_course.translation_key
    edit = client.get(f"/admin/live_sessions/edit/{LiveSession.objects.get().pk}/").content.decode()
    assert f'value="{live_course.translation_key}" selected' in edit
