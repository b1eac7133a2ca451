"""Across the back office, the notices and a real Celery worker: an officer moves a session with
confirmed trainees into a computer room, then gives it fewer seats; the worker e-mails each
person whose seat number changed (the new number in the e-mail, the calendar event's SEQUENCE
raised) and nobody whose number stayed."""

import re

import pytest
from icalendar import Calendar

from notices.models import Notice
from tests.training_bases.factories import RoomFactory, SessionFactory, officer, staff
from training_bases import services
from training_bases.models import Booking, Room, TrainingSession

pytestmark = [pytest.mark.worker, pytest.mark.postgres]

CHANGED = "您的培训场次有变更"


def all_sent(worker, people):
    """Once the worker has sent every notice recorded so far for `people`: the e-mails it wrote,
    by recipient (a list each, in no particular order)."""
    notices = Notice.objects.filter(recipient__in=people)

    def done():
        if notices.filter(sent_at__isnull=True).exists():
            return None
        mail = worker.sent_mail()
        if len(mail) != notices.filter(superseded=False).count():
            return None  # claimed, being written
        by_recipient = {}
        for message in mail:
            by_recipient.setdefault(str(message["To"]), []).append(message)
        return by_recipient

    return worker.wait_for(done)


def changes(messages) -> list:
    return [m for m in messages if CHANGED in m["Subject"]]


def seat_in(message) -> int | None:
    """The seat number the e-mail's text states, if any."""
    found = re.findall(r"座位 (\d+)", message.get_body(preferencelist=("plain",)).get_content())
    assert len(found) <= 1, found
    return int(found[0]) if found else None


def sequence_in(message) -> int:
    (invite,) = [part for part in message.iter_attachments() if part.get_filename() == "invite.ics"]
    content = invite.get_content()
    calendar = Calendar.from_ical(content if isinstance(content, bytes) else content.encode())
    return int(calendar.walk("VEVENT")[0]["SEQUENCE"])


def save_as_the_back_office(session, actor):
    """What the session edit view does with its valid form (`viewsets._SaveSession`)."""
    return services.session_save(
        session=session, trainer_ids=list(session.trainers.values_list("pk", flat=True)), actor=actor
    )


def test_the_worker_tells_reseated_trainees_their_new_seat_and_nobody_else(celery_worker_process, site):
    worker = celery_worker_process
    customs = officer()
    lab = RoomFactory(name_zh="三号机房", kind=Room.Kind.COMPUTER_ROOM, capacity=10)
    session = SessionFactory(room=RoomFactory(capacity=10), capacity=4)
    people = [staff() for _ in range(4)]
    bookings = [services.booking_create(user=person, session_id=session.pk) for person in people]
    stays, leaves, also_leaves, reseated = people
    confirmed = all_sent(worker, people)
    assert {email: [seat_in(m) for m in mail] for email, mail in confirmed.items()} == {
        p.email: [None] for p in people
    }, "a classroom has no numbered seats"

    # 1. Moved into a computer room: everyone gets a seat number and is told of the new room.
    session = TrainingSession.objects.get(pk=session.pk)
    session.room = lab
    save_as_the_back_office(session, customs)
    told = {email: changes(mail) for email, mail in all_sent(worker, people).items()}
    for number, person in enumerate(people, start=1):
        (change,) = told[person.email]
        assert seat_in(change) == number
        assert "三号机房" in change.get_body(preferencelist=("plain",)).get_content()
        assert sequence_in(change) == 1
    assert dict(Booking.objects.filter(session=session).values_list("user_id", "seat_number")) == {
        p.pk: n for n, p in enumerate(people, start=1)
    }

    # 2. Two people cancel (seats 2 and 3 free up); the session is given 2 seats. Seat 4 is
    # beyond them: its holder gets seat 2 and a second change notice; seat 1 stays, unsaid.
    for person, booking in ((leaves, bookings[1]), (also_leaves, bookings[2])):
        services.booking_cancel(actor=person, booking_id=booking.pk)
    session = TrainingSession.objects.get(pk=session.pk)
    session.capacity = 2
    save_as_the_back_office(session, customs)
    told = {email: changes(mail) for email, mail in all_sent(worker, people).items()}
    assert len(told[stays.email]) == 1, "the holder of seat 1 was told of a change that left their seat alone"
    # Files written in the same second are in no particular order: the calendar SEQUENCE orders them.
    first, second = sorted(told[reseated.email], key=sequence_in)
    assert (seat_in(first), seat_in(second)) == (4, 2)
    assert (sequence_in(first), sequence_in(second)) == (1, 2)
    assert dict(
        Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).values_list("user_id", "seat_number")
    ) == {stays.pk: 1, reseated.pk: 2}
