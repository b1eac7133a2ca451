"""JSON API: refusals are 4xx with a JSON body, never 500."""

import pytest

from trainees.models import CultivationStatus
from training_bases.models import Booking

from .factories import booking_deleted_after_access_check, staff

pytestmark = pytest.mark.django_db


def test_sessions_list_and_detail_are_public(client, session):
    listed = client.get("/api/training/sessions").json()
    assert [s["id"] for s in listed] == [session.pk]
    assert listed[0]["capacity"] == 2 and listed[0]["base"] == "suzhou"
    assert client.get(f"/api/training/sessions/{session.pk}").json()["id"] == session.pk
    assert client.get("/api/training/sessions/999999").status_code == 404


def test_book_and_cancel(client, session):
    user = staff()
    client.force_login(user)
    response = client.post(f"/api/training/sessions/{session.pk}/book")
    assert response.status_code == 201 and response.json()["status"] == "confirmed"
    booking_id = response.json()["id"]
    assert [b["id"] for b in client.get("/api/training/bookings").json()] == [booking_id]
    again = client.post(f"/api/training/sessions/{session.pk}/book", HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 400 and "already have a booking" in again.json()["detail"][0]
    chinese = client.post(f"/api/training/sessions/{session.pk}/book", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "您已预约该培训类型的场次" in chinese.json()["detail"][0]
    cancelled = client.post(f"/api/training/bookings/{booking_id}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert client.post(f"/api/training/bookings/{booking_id}/cancel").status_code == 400


def test_a_booking_deleted_while_its_cancellation_is_under_way_is_a_json_404(client, session, monkeypatch):
    """A row a service looks up is gone since the endpoint read it: 404 with a JSON body."""
    from training_bases import api, services

    owner = staff()
    booking = services.booking_create(user=owner, session_id=session.pk)
    booking_deleted_after_access_check(monkeypatch, api)
    client.force_login(owner)
    response = client.post(f"/api/training/bookings/{booking.pk}/cancel")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    ("case", "status"),
    [("anonymous", 401), ("suspended", 400), ("missing_session", 404), ("someone_elses_booking", 404)],
)
def test_api_refusals(client, session, case, status):
    owner = staff()
    booking = Booking.objects.none()
    if case == "someone_elses_booking":
        from training_bases import services

        booking = services.booking_create(user=owner, session_id=session.pk)
        client.force_login(staff())
        response = client.post(f"/api/training/bookings/{booking.pk}/cancel")
    else:
        if case != "anonymous":
            user = staff()
            if case == "suspended":
                user.enterprise.cultivation_status = CultivationStatus.SUSPENDED
                user.enterprise.save()
            client.force_login(user)
        target = 999999 if case == "missing_session" else session.pk
        response = client.post(f"/api/training/sessions/{target}/book")
    assert response.status_code == status
    assert "detail" in response.json()
    assert Booking.objects.exclude(user=owner).count() == 0


@pytest.mark.parametrize(
    "query",
    [
        "start=0001-01-01&end=9999-12-31",
        "start=9999-12-31",
        "start=0001-01-01",
        "start=2026-12-01&end=2026-11-01",
    ],
)
def test_sessions_outside_the_calendar_years_are_a_400_with_json(client, query):
    response = client.get(f"/api/training/sessions?{query}")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_sessions_in_a_normal_range_still_list(client, session):
    day = session.starts_at.date()
    response = client.get(f"/api/training/sessions?start={day.replace(day=1)}&end={day.replace(day=28)}")
    assert response.status_code == 200 and [s["id"] for s in response.json()] == [session.pk]
