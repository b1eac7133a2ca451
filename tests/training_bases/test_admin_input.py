"""The back office's room and session forms with bad input, and officers of another
district: never a 500, never a write outside the officer's district."""

import pytest

from trainees.models import CustomsUnit
from training_bases.models import Room, TrainingSession

from .factories import RoomFactory, SessionFactory, base, officer, staff
from .test_room_changes import ROOMS, book, room_form

pytestmark = pytest.mark.django_db

SESSIONS = "/admin/training_session/"


@pytest.mark.parametrize(
    "capacity", ["-1", "0", "", "abc", "2147483648", "99999999999999999999", "1e3", "١٠", "10.5", " 12 "]
)
def test_room_form_with_bad_capacity_is_a_form_error_not_a_500(client, capacity):
    room = RoomFactory(capacity=10)
    SessionFactory(room=room, capacity=5)
    client.force_login(officer())
    response = client.post(f"{ROOMS}edit/{room.pk}/", room_form(room, capacity=capacity))
    assert response.status_code in {200, 302}, response.status_code
    room.refresh_from_db()
    assert room.capacity >= 5


@pytest.mark.parametrize("missing", ["base", "name_zh", "kind", "capacity"])
def test_room_form_with_a_missing_field_is_a_form_error(client, missing):
    room = RoomFactory(capacity=10)
    client.force_login(officer())
    data = room_form(room)
    data.pop(missing)
    response = client.post(f"{ROOMS}edit/{room.pk}/", data)
    assert response.status_code in {200, 302}, response.status_code
    create = client.post(f"{ROOMS}new/", data)
    assert create.status_code in {200, 302}, create.status_code


def test_room_form_bad_kind_and_base(client):
    room = RoomFactory(capacity=10)
    client.force_login(officer())
    for data in (room_form(room, kind="lab"), room_form(room, base="999999999"), room_form(room, base="x")):
        response = client.post(f"{ROOMS}edit/{room.pk}/", data)
        assert response.status_code == 200, response.status_code
    room.refresh_from_db()
    assert room.kind == Room.Kind.CLASSROOM


def _shenzhen_officer():
    return officer(customs_unit=CustomsUnit.objects.get(code="5300"))


def test_officer_of_another_district_cannot_edit_or_shrink_a_room(client):
    room = RoomFactory(capacity=10)  # Suzhou (2301)
    client.force_login(_shenzhen_officer())
    response = client.post(f"{ROOMS}edit/{room.pk}/", room_form(room, capacity="3", kind=Room.Kind.COMPUTER_ROOM))
    assert response.status_code in {302, 403, 404}, response.status_code
    room.refresh_from_db()
    assert (room.capacity, room.kind) == (10, Room.Kind.CLASSROOM)


def test_officer_of_another_district_cannot_create_a_room_at_a_base_not_theirs(client):
    client.force_login(_shenzhen_officer())
    data = {
        "base": base("suzhou").pk,
        "name_zh": "外区教室",
        "name_en": "Foreign",
        "kind": "classroom",
        "capacity": "5",
    }
    response = client.post(f"{ROOMS}new/", data)
    assert response.status_code == 200, response.status_code
    assert "base" in response.context["form"].errors
    assert not Room.objects.filter(name_zh="外区教室").exists()


def test_officer_moves_an_empty_own_room_to_a_base_of_another_district(client):
    """A Shenzhen officer's empty room is not moved to Suzhou's base (not theirs to manage)."""
    room = RoomFactory(capacity=10, base=base("shenzhen"))
    client.force_login(_shenzhen_officer())
    response = client.post(f"{ROOMS}edit/{room.pk}/", room_form(room, base=str(base("suzhou").pk)))
    assert response.status_code in {200, 403, 404}, response.status_code
    room.refresh_from_db()
    assert room.base.slug == "shenzhen"


def test_officer_of_another_district_cannot_move_their_session_into_a_room_not_theirs(client):
    own = SessionFactory(room=RoomFactory(capacity=20, base=base("shenzhen")), capacity=5)
    foreign_room = RoomFactory(capacity=40)  # Suzhou
    book(own, 2)
    client.force_login(_shenzhen_officer())
    response = client.get(f"{SESSIONS}edit/{own.pk}/")
    assert response.status_code == 200
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        else:
            data[name] = str(value) if not hasattr(field, "widget") or name not in ("starts_at", "ends_at") else value
    data["room"] = str(foreign_room.pk)
    data["base"] = str(base("suzhou").pk)
    response = client.post(f"{SESSIONS}edit/{own.pk}/", data)
    assert response.status_code in {200, 403, 404}, response.status_code
    if response.status_code == 200:
        assert set(response.context["form"].errors) & {"room", "base"}, response.context["form"].errors
    assert TrainingSession.objects.get(pk=own.pk).room_id == own.room_id


def test_session_form_with_huge_capacity_is_a_form_error(client):
    session = SessionFactory(capacity=5)
    staff()
    client.force_login(officer())
    response = client.get(f"{SESSIONS}edit/{session.pk}/")
    form = response.context["form"]
    for bad in ("99999999999", "-3", "2147483648"):
        data = {}
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
        data["capacity"] = bad
        data["reserved_leadership_seats"] = bad
        response = client.post(f"{SESSIONS}edit/{session.pk}/", data)
        assert response.status_code == 200, (bad, response.status_code)
    assert TrainingSession.objects.get(pk=session.pk).capacity == 5
