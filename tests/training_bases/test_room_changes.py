"""Rooms changed under sessions that already hold confirmed seats: a room is never made smaller
than a session of it that has not ended; moving a session to another room, or a room gaining or
losing numbered seats, gives every confirmed person a seat number the room has (kept when it
still exists), and the people whose number changed are told."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from notices.models import Notice
from trainees.models import Position
from training_bases import services
from training_bases.models import Booking, Room, TrainingSession, room_capacity_errors

from .factories import RoomFactory, SessionFactory, officer, staff
from .test_notices import ics_of

pytestmark = pytest.mark.django_db

ROOMS = "/admin/room/"


def room_form(room, **overrides):
    data = {"base": room.base_id, "name_zh": room.name_zh, "name_en": room.name_en, "kind": room.kind}
    data["capacity"] = str(room.capacity)
    data.update(overrides)
    return data


def seats(session) -> dict[int, int | None]:
    return dict(
        Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).values_list("pk", "seat_number")
    )


def book(session, n: int, **kwargs) -> list[Booking]:
    return [services.booking_create(user=staff(**kwargs), session_id=session.pk) for _ in range(n)]


def change_kinds(booking) -> list[str]:
    return list(Notice.objects.filter(target_id=booking.pk, kind=Notice.Kind.CHANGE).values_list("kind", flat=True))


# --- 1. A room's capacity and kind under its sessions ---------------------------------------------


def test_a_room_cannot_be_made_smaller_than_a_session_holding_confirmed_seats(client):
    """A session never holds more seats than its room (`capacity_above_room`); the room form
    refuses the same from the room's side: a room of 10 holding a session of 6 seats, all
    confirmed, is not saved with 2 seats, and the form says which session stands in the way."""
    room = RoomFactory(capacity=10)
    session = SessionFactory(room=room, capacity=6)
    book(session, 6)
    client.force_login(officer())
    response = client.post(f"{ROOMS}edit/{room.pk}/", room_form(room, capacity="2"))
    room.refresh_from_db()
    confirmed = Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).count()
    assert room.capacity >= confirmed, (
        f"room saved with {room.capacity} seats under {confirmed} confirmed bookings (HTTP {response.status_code})"
    )
    assert response.status_code == 200
    error = " ".join(response.context["form"].errors["capacity"])
    assert "教室不能只设 2 个座位" in error and "最多需要 6 个" in error
    assert session.title_zh in error and session.title_zh in response.content.decode()


def test_a_room_with_sessions_stays_at_their_training_base(client):
    """A session's base is its room's: a room holding sessions is not moved to another base (the
    form says why); a room without sessions may move."""
    from .factories import base

    room = RoomFactory(capacity=10)
    SessionFactory(room=room, capacity=5)
    empty = RoomFactory(capacity=10)
    other = base("shenzhen")
    client.force_login(officer())
    response = client.post(f"{ROOMS}edit/{room.pk}/", room_form(room, base=str(other.pk)))
    assert response.status_code == 200
    assert "不能改到其他培训基地" in " ".join(response.context["form"].errors["base"])
    room.refresh_from_db()
    assert room.base_id != other.pk
    assert client.post(f"{ROOMS}edit/{empty.pk}/", room_form(empty, base=str(other.pk))).status_code == 302
    empty.refresh_from_db()
    assert empty.base_id == other.pk


def test_a_room_keeps_at_least_the_seats_of_any_session_that_has_not_ended(client):
    """Not only the confirmed seats: a session's seats may not exceed its room's, booked or not.
    Exactly the biggest session's seats is allowed; ended and cancelled sessions hold nobody."""
    room = RoomFactory(capacity=10)
    SessionFactory(room=room, capacity=5)
    past_start = timezone.now() - dt.timedelta(days=3)
    SessionFactory(room=room, capacity=9, starts_at=past_start, ends_at=past_start + dt.timedelta(hours=8))
    later = timezone.now() + dt.timedelta(days=40)
    SessionFactory(room=room, capacity=9, starts_at=later, status=TrainingSession.Status.CANCELLED)
    client.force_login(officer())

    refused = client.post(f"{ROOMS}edit/{room.pk}/", room_form(room, capacity="4"))
    assert refused.status_code == 200 and "capacity" in refused.context["form"].errors
    room.refresh_from_db()
    assert room.capacity == 10

    accepted = client.post(f"{ROOMS}edit/{room.pk}/", room_form(room, capacity="5"))
    assert accepted.status_code == 302
    room.refresh_from_db()
    assert room.capacity == 5


def test_the_room_capacity_error_names_the_sessions_in_chinese_and_in_english():
    room = RoomFactory(capacity=30)
    start = timezone.now() + dt.timedelta(days=10)
    first = SessionFactory(room=room, capacity=20, starts_at=start)
    second = SessionFactory(room=room, capacity=25, starts_at=start + dt.timedelta(days=1))
    SessionFactory(room=room, capacity=8, starts_at=start + dt.timedelta(days=2))  # fits: not named
    now = timezone.now()
    with translation.override("zh-hans"):
        zh = room_capacity_errors(room_id=room.pk, capacity=10, now=now)["capacity"]
    with translation.override("en"):
        en = room_capacity_errors(room_id=room.pk, capacity=10, now=now)["capacity"]
    assert zh.startswith("教室不能只设 10 个座位：尚未结束的场次最多需要 25 个。")
    assert f"“{first.title_zh}”" in zh and f"“{second.title_zh}”" in zh and "20 个席位" in zh
    assert en.startswith("The room cannot have only 10 seats: sessions that have not ended need up to 25.")
    assert f"“{first.title_en}”" in en and "25 seats" in en
    assert en.index(first.title_en) < en.index(second.title_en)  # earliest first
    assert "Lower those sessions' seats or move them to another room first." in en
    assert room_capacity_errors(room_id=room.pk, capacity=25, now=now) == {}


def test_a_room_becoming_a_computer_room_numbers_the_confirmed_seats_and_tells_their_holders(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    """Changing the kind is allowed (the room was equipped), as moving a session into a computer
    room is: every confirmed person gets a number in 1..the session's seats, in waitlist order
    (priority, then booking time), and is told with an updated calendar event."""
    room = RoomFactory(capacity=10)
    session = SessionFactory(room=room, capacity=3)
    with django_capture_on_commit_callbacks(execute=True):
        first, second = book(session, 2)
    Booking.objects.filter(pk=second.pk).update(priority=1)  # listed: ahead of the first booker
    mailoutbox.clear()
    client.force_login(officer())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{ROOMS}edit/{room.pk}/", room_form(room, kind=Room.Kind.COMPUTER_ROOM))
    assert response.status_code == 302
    assert seats(session) == {second.pk: 1, first.pk: 2}
    assert len(change_kinds(first)) == len(change_kinds(second)) == 1
    by_recipient = {m.to[0]: m for m in mailoutbox}
    mail = by_recipient[first.user.email]
    assert "座位 2" in mail.body
    assert int(ics_of(mail).walk("VEVENT")[0]["SEQUENCE"]) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{ROOMS}edit/{room.pk}/", room_form(room, kind=Room.Kind.CLASSROOM))
    assert response.status_code == 302
    assert seats(session) == {second.pk: None, first.pk: None}
    assert len(change_kinds(first)) == 2
    assert Booking.objects.get(pk=first.pk).ics_sequence == 2


def test_a_room_kind_change_leaves_ended_sessions_and_unchanged_seats_alone():
    """Only sessions that have not ended are renumbered; a room whose numbering does not change
    (classroom to observation area) tells nobody."""
    room = RoomFactory(capacity=10)
    session = SessionFactory(room=room, capacity=3)
    (booking,) = book(session, 1)
    past_start = timezone.now() - dt.timedelta(days=5)
    ended = SessionFactory(room=room, capacity=3, starts_at=past_start, ends_at=past_start + dt.timedelta(hours=8))
    old = Booking.objects.create(
        session=ended,
        user=staff(),
        enterprise=booking.enterprise,
        training_type="other",
        status=Booking.Status.CONFIRMED,
    )
    room.kind = Room.Kind.OBSERVATION_AREA
    services.room_save(room=room, actor=officer())
    assert seats(session) == {booking.pk: None} and change_kinds(booking) == []
    room.kind = Room.Kind.COMPUTER_ROOM
    services.room_save(room=room, actor=officer())
    assert seats(session) == {booking.pk: 1}
    assert seats(ended) == {old.pk: None}


def test_renumbering_a_room_takes_the_same_statements_for_few_or_many_people():
    counts = []
    for people in (1, 6):
        room = RoomFactory(capacity=10)
        session = SessionFactory(room=room, capacity=8)
        book(session, people)
        room.kind = Room.Kind.COMPUTER_ROOM
        with CaptureQueriesContext(connection) as queries:
            services.room_save(room=room, actor=officer())
        counts.append(len(queries))
        assert sorted(seats(session).values()) == list(range(1, people + 1))
    assert counts[0] == counts[1]


# --- 2. A session moved into a computer room ------------------------------------------------------


def test_a_session_moved_into_a_computer_room_gives_its_confirmed_people_seat_numbers(client):
    """Computer rooms have numbered seats: every confirmed booking there has one (a booking and
    a promotion give the lowest free number). After moving a session with confirmed people from
    a classroom into a computer room, they hold seats 1 and 2 and a later booker gets seat 3."""
    classroom = RoomFactory(capacity=10)
    lab = RoomFactory(capacity=10, kind=Room.Kind.COMPUTER_ROOM)
    session = SessionFactory(room=classroom, capacity=5)
    early = book(session, 2)
    session = TrainingSession.objects.get(pk=session.pk)
    session.room = lab
    services.session_save(session=session, actor=officer())
    late = services.booking_create(user=staff(position=Position.CUSTOMS_AFFAIRS), session_id=session.pk)
    numbers = seats(session)
    assert all(numbers[b.pk] is not None for b in early), f"confirmed in a computer room without a seat: {numbers}"
    assert [numbers[b.pk] for b in early] == [1, 2]
    assert numbers[late.pk] == 3


def test_a_moved_session_tells_its_people_their_new_seat(mailoutbox, django_capture_on_commit_callbacks):
    """The room change notice (same UID, higher SEQUENCE) carries the seat number given."""
    session = SessionFactory(room=RoomFactory(capacity=10), capacity=5)
    with django_capture_on_commit_callbacks(execute=True):
        (booking,) = book(session, 1)
    session = TrainingSession.objects.get(pk=session.pk)
    session.room = RoomFactory(capacity=10, kind=Room.Kind.COMPUTER_ROOM)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(session=session, actor=officer())
    confirmation, change = mailoutbox
    assert "座位" not in confirmation.body and "座位 1" in change.body
    assert int(ics_of(change).walk("VEVENT")[0]["SEQUENCE"]) == 1
    assert Booking.objects.get(pk=booking.pk).ics_sequence == 1  # bumped once, not per cause


# --- 3. A session moved to a smaller computer room, or out of computer rooms ----------------------


def test_a_session_moved_to_a_smaller_computer_room_gets_numbers_the_room_has():
    """Numbered seats run 1..capacity. The remaining people hold seats 3 and 4; the session,
    lowered to 2 seats and moved to a 2-seat computer room, gives them seats 1 and 2."""
    big = RoomFactory(capacity=10, kind=Room.Kind.COMPUTER_ROOM)
    small = RoomFactory(capacity=2, kind=Room.Kind.COMPUTER_ROOM)
    session = SessionFactory(room=big, capacity=4)
    people = [staff() for _ in range(4)]
    bookings = [services.booking_create(user=p, session_id=session.pk) for p in people]
    assert [b.seat_number for b in bookings] == [1, 2, 3, 4]
    for person, booking in zip(people[:2], bookings[:2], strict=True):
        services.booking_cancel(actor=person, booking_id=booking.pk)
    session = TrainingSession.objects.get(pk=session.pk)
    session.capacity = 2
    session.room = small
    services.session_save(session=session, actor=officer())
    numbers = sorted(seats(session).values())
    assert all(1 <= s <= small.capacity for s in numbers), f"seats {numbers} in a room of {small.capacity}"
    assert numbers == [1, 2]


def test_people_keep_a_seat_number_the_new_room_still_has():
    """Seats 2 and 5 held in a 6-seat lab; moved to a 3-seat lab: seat 2 stays, seat 5 becomes
    the lowest free number, 1. Only the person reseated is told by a second notice."""
    session = SessionFactory(room=RoomFactory(capacity=6, kind=Room.Kind.COMPUTER_ROOM), capacity=5)
    bookings = book(session, 5)
    for b in (bookings[0], bookings[2], bookings[3]):
        services.booking_cancel(actor=officer(), booking_id=b.pk)
    kept, moved = bookings[1], bookings[4]
    assert seats(session) == {kept.pk: 2, moved.pk: 5}
    session = TrainingSession.objects.get(pk=session.pk)
    session.capacity = 3
    session.room = RoomFactory(capacity=3, kind=Room.Kind.COMPUTER_ROOM)
    services.session_save(session=session, actor=officer())
    assert seats(session) == {kept.pk: 2, moved.pk: 1}


def test_fewer_seats_in_the_same_computer_room_renumber_only_the_seats_beyond_them():
    """Lowering a lab session from 4 seats to 2 while seats 1 and 4 are held: seat 4 is beyond
    the session's seats and becomes 2; its holder alone is told (a change notice, a higher
    SEQUENCE); the holder of seat 1 hears nothing."""
    session = SessionFactory(room=RoomFactory(capacity=10, kind=Room.Kind.COMPUTER_ROOM), capacity=4)
    bookings = book(session, 4)
    for b in bookings[1:3]:
        services.booking_cancel(actor=officer(), booking_id=b.pk)
    first, last = bookings[0], bookings[3]
    session = TrainingSession.objects.get(pk=session.pk)
    session.capacity = 2
    services.session_save(session=session, actor=officer())
    assert seats(session) == {first.pk: 1, last.pk: 2}
    assert change_kinds(first) == [] and len(change_kinds(last)) == 1
    assert Booking.objects.get(pk=last.pk).ics_sequence == 1
    assert Booking.objects.get(pk=first.pk).ics_sequence == 0


def test_a_session_moved_out_of_computer_rooms_clears_the_seat_numbers():
    session = SessionFactory(room=RoomFactory(capacity=10, kind=Room.Kind.COMPUTER_ROOM), capacity=3)
    bookings = book(session, 2)
    session = TrainingSession.objects.get(pk=session.pk)
    session.room = RoomFactory(capacity=10)
    services.session_save(session=session, actor=officer())
    assert seats(session) == {b.pk: None for b in bookings}
