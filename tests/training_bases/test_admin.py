"""Back office: officers manage bases, rooms and sessions; trainers only view; conflicts come
back as form errors, not server errors."""

import datetime as dt

import pytest
from django.utils import timezone

from training_bases.models import TrainingSession

from .factories import RoomFactory, SessionFactory, officer, trainer

pytestmark = pytest.mark.django_db

SESSIONS = "/admin/training_session/"


def local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def form_data(session, **overrides):
    data = {
        "title_zh": "新场次",
        "title_en": "New session",
        "training_type": "compliance",
        "base": session.base_id,
        "room": session.room_id,
        "starts_at": local(session.starts_at),
        "ends_at": local(session.ends_at),
        "capacity": "5",
        "reserved_leadership_seats": "0",
        "booking_opens_at": "",
        "booking_closes_at": "",
        "cancellation_cutoff": "",
        "status": "draft",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({}, "room", "在该时段已被"),  # same room, same time
        ({"capacity": "99"}, "capacity", "教室只能容纳 40 人"),
        ({"ends_at": "2020-01-01 08:00"}, "ends_at", "结束时间必须晚于开始时间"),
    ],
)
def test_conflicts_are_form_errors(client, session, overrides, field, message):
    """The back office speaks Chinese by default; errors sit on the field concerned."""
    client.force_login(officer())
    if field != "room":
        overrides = {**overrides, "room": RoomFactory(capacity=40).pk}
    response = client.post(SESSIONS + "new/", form_data(session, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert message in response.content.decode()
    assert TrainingSession.objects.count() == 1


def test_trainer_overlap_is_a_form_error(client, session):
    teacher = trainer()
    session.trainers.add(teacher)
    client.force_login(officer())
    data = form_data(session, room=RoomFactory().pk, trainers=[teacher.pk])
    response = client.post(SESSIONS + "new/", data)
    assert response.status_code == 200
    assert "在该时段已讲授" in " ".join(response.context["form"].errors["trainers"])
    assert TrainingSession.objects.count() == 1


def test_officer_creates_a_session(client, session):
    client.force_login(officer())
    start = session.starts_at + dt.timedelta(days=3)
    data = form_data(session, starts_at=local(start), ends_at=local(start + dt.timedelta(hours=3)))
    response = client.post(SESSIONS + "new/", data)
    assert response.status_code == 302
    assert TrainingSession.objects.filter(title_zh="新场次").exists()


def test_trainers_view_but_do_not_edit(client, session):
    teacher = trainer()
    session.trainers.add(teacher)
    client.force_login(teacher)
    assert client.get(SESSIONS).status_code == 200
    # Wagtail sends a user without the permission back to the dashboard with a message.
    for response in (client.get(f"{SESSIONS}edit/{session.pk}/"), client.post(SESSIONS + "new/", form_data(session))):
        assert (response.status_code, response.url) == (302, "/admin/")
    assert TrainingSession.objects.count() == 1


def test_enterprise_staff_have_no_back_office(client, session):
    from .factories import staff

    client.force_login(staff())
    assert client.get(SESSIONS).status_code == 403


def test_bases_and_rooms_listings(client):
    client.force_login(officer())
    SessionFactory()
    assert "AEO苏州培训基地" in client.get("/admin/training_base/").content.decode()
    assert client.get("/admin/room/").status_code == 200


def test_officer_sets_a_bases_check_in_networks_in_the_back_office(client):
    from django.test.utils import override_settings

    from training_bases.models import TrainingBase

    client.force_login(officer())
    base = TrainingBase.objects.get(slug="suzhou")
    url = f"/admin/training_base/edit/{base.pk}/"
    form = client.get(url).content.decode()
    assert 'name="checkin_networks"' in form
    fields = {
        name: getattr(base, name)
        for name in ("slug", "name_zh", "name_en", "city_zh", "city_en", "address_zh", "address_en")
    }
    fields |= {"contact_phone": base.contact_phone, "contact_email": base.contact_email, "time_zone": base.time_zone}
    with override_settings(LANGUAGE_CODE="en"):
        bad = client.post(url, {**fields, "checkin_networks": "10.8.0.0/16\nnonsense"})
    assert bad.status_code == 200 and "nonsense" in bad.content.decode()
    client.post(url, {**fields, "checkin_networks": "10.8.0.0/16\n2001:db8::/48"})
    base.refresh_from_db()
    assert base.checkin_network_list == ["10.8.0.0/16", "2001:db8::/48"]
