"""Booking, cancellation, waitlist and session services: each refusal changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from notices.models import Notice
from trainees.models import CultivationStatus, Position, TrainingType
from training_bases import services
from training_bases.models import Booking, Room, TrainingSession

from .factories import RoomFactory, SessionFactory, staff, trainer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; the Chinese ones are checked separately."""
    from django.utils import translation

    with translation.override("en"):
        yield


def ics_of(mail) -> str:
    content = mail.attachments[0][1]
    return content.decode() if isinstance(content, bytes) else content


def snapshot():
    return (
        list(Booking.objects.order_by("pk").values_list("pk", "status", "seat_number", "ics_sequence")),
        list(TrainingSession.objects.order_by("pk").values_list("pk", "status")),
        Notice.objects.count(),
    )


def book(user, session, **kwargs):
    return services.booking_create(user=user, session_id=session.pk, **kwargs)


def test_booking_confirms_until_full_then_waitlists(session, mailoutbox, django_capture_on_commit_callbacks):
    a, b, c = staff(), staff(), staff()
    with django_capture_on_commit_callbacks(execute=True):
        assert book(a, session).status == Booking.Status.CONFIRMED
        assert book(b, session).status == Booking.Status.CONFIRMED
        waiting = book(c, session)
    assert waiting.status == Booking.Status.WAITLISTED
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.FULL
    assert [m.to for m in mailoutbox] == [[a.email], [b.email], [c.email]]
    assert "METHOD:REQUEST" in ics_of(mailoutbox[0])
    assert not mailoutbox[2].attachments  # waitlist notice: no calendar event yet


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("window_not_open", "opens"),
        ("window_closed", "closed"),
        ("second_booking_same_type", "already have a booking"),
        ("cultivation_suspended", "suspended"),
        ("cultivation_terminated", "terminated"),
        ("draft_session", "not open"),
        ("not_enterprise_staff", "Only enterprise staff"),
    ],
)
def test_booking_refusals_change_nothing(session, setup, expected, mailoutbox, django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    user = staff()
    if setup == "window_not_open":
        TrainingSession.objects.filter(pk=session.pk).update(booking_opens_at=timezone.now() + dt.timedelta(days=1))
    elif setup == "window_closed":
        TrainingSession.objects.filter(pk=session.pk).update(booking_closes_at=timezone.now() - dt.timedelta(minutes=1))
    elif setup == "second_booking_same_type":
        other = SessionFactory(training_type=session.training_type)
        with django_capture_on_commit_callbacks(execute=True):
            book(user, other)
        mailoutbox.clear()
    elif setup == "cultivation_suspended":
        user.enterprise.cultivation_status = CultivationStatus.SUSPENDED
        user.enterprise.save()
    elif setup == "cultivation_terminated":
        user.enterprise.cultivation_status = CultivationStatus.TERMINATED
        user.enterprise.save()
    elif setup == "draft_session":
        TrainingSession.objects.filter(pk=session.pk).update(status=TrainingSession.Status.DRAFT)
    elif setup == "not_enterprise_staff":
        user = UserFactory()
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as excinfo:
        book(user, session)
    assert expected in " ".join(excinfo.value.messages)
    assert snapshot() == before
    assert mailoutbox == []


def test_refusal_message_in_the_users_language(session):
    from django.utils import translation

    user = staff()
    user.enterprise.cultivation_status = CultivationStatus.SUSPENDED
    user.enterprise.save()
    with translation.override("zh-hans"), pytest.raises(ValidationError) as excinfo:
        book(user, session)
    assert "中止" in excinfo.value.messages[0]


def test_another_training_type_can_be_booked(session):
    user = staff()
    book(user, session)
    other = SessionFactory(training_type=TrainingType.AEO_CERTIFICATION)
    assert book(user, other).status == Booking.Status.CONFIRMED


def test_cancel_promotes_the_highest_priority_waiter(session, mailoutbox, django_capture_on_commit_callbacks):
    first, second = staff(), staff()
    late_high, early_low = staff(), staff()
    book(first, session, priority=10)
    book(second, session, priority=11)
    book(early_low, session, priority=50)  # waiting first, lower priority
    book(late_high, session, priority=3)  # waiting later, higher priority
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(actor=first, booking_id=Booking.objects.get(user=first).pk)
    assert Booking.objects.get(user=late_high).status == Booking.Status.CONFIRMED
    assert Booking.objects.get(user=early_low).status == Booking.Status.WAITLISTED
    to = {m.to[0]: m for m in mailoutbox}
    assert set(to) == {first.email, late_high.email}
    assert "METHOD:CANCEL" in ics_of(to[first.email])
    promoted_ics = ics_of(to[late_high.email])
    assert "METHOD:REQUEST" in promoted_ics and "SEQUENCE:1" in promoted_ics


def test_cancel_after_cutoff_changes_nothing(session, mailoutbox, django_capture_on_commit_callbacks):
    user = staff()
    booking = book(user, session)
    before = snapshot()
    later = session.cancellation_cutoff + dt.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as excinfo:
        services.booking_cancel(actor=user, booking_id=booking.pk, now=later)
    assert "cut-off" in excinfo.value.messages[0]
    assert snapshot() == before


def test_officer_may_cancel_after_cutoff_and_others_may_not_cancel(session, officer_user):
    user = staff()
    booking = book(user, session)
    with pytest.raises(PermissionDenied):
        services.booking_cancel(actor=staff(), booking_id=booking.pk)
    later = session.cancellation_cutoff + dt.timedelta(hours=1)
    assert services.booking_cancel(actor=officer_user, booking_id=booking.pk, now=later).status == "cancelled"


def test_cancelling_twice_is_refused(session):
    user = staff()
    booking = book(user, session)
    services.booking_cancel(actor=user, booking_id=booking.pk)
    with pytest.raises(ValidationError):
        services.booking_cancel(actor=user, booking_id=booking.pk)


def test_reserved_leadership_seats(db):
    session = SessionFactory(capacity=2, reserved_leadership_seats=1)
    assert book(staff(), session).status == Booking.Status.CONFIRMED
    assert book(staff(), session).status == Booking.Status.WAITLISTED
    assert book(staff(position=Position.LEGAL_REPRESENTATIVE), session).status == Booking.Status.CONFIRMED


def test_computer_room_seats_are_numbered_and_reused(db):
    room = RoomFactory(kind=Room.Kind.COMPUTER_ROOM, capacity=3)
    session = SessionFactory(room=room, capacity=3)
    users = [staff() for _ in range(3)]
    bookings = [book(u, session) for u in users]
    assert [b.seat_number for b in bookings] == [1, 2, 3]
    services.booking_cancel(actor=users[1], booking_id=bookings[1].pk)
    assert book(staff(), session).seat_number == 2


def test_listed_priority_is_used_for_self_service_bookings(session):
    from .factories import publish_key_list

    listed = staff()
    publish_key_list([(listed, 4, ("suzhou",), Position.CUSTOMS_AFFAIRS)])
    assert book(listed, session).priority == 4
    assert book(staff(), session).priority == services.rules.UNLISTED_PRIORITY


# --- Session validation -------------------------------------------------------------------


def test_room_overlap_is_a_validation_error(session):
    clash = TrainingSession(
        title_zh="重叠",
        training_type=TrainingType.COMPLIANCE,
        base=session.base,
        room=session.room,
        starts_at=session.starts_at + dt.timedelta(hours=2),
        ends_at=session.ends_at + dt.timedelta(hours=2),
        capacity=5,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.session_save(session=clash)
    assert "room" in excinfo.value.message_dict
    assert TrainingSession.objects.count() == 1


def test_capacity_above_room_and_end_before_start(session):
    session.capacity = session.room.capacity + 1
    session.ends_at = session.starts_at - dt.timedelta(hours=1)
    with pytest.raises(ValidationError) as excinfo:
        services.session_save(session=session)
    assert set(excinfo.value.message_dict) == {"capacity", "ends_at"}
    session.refresh_from_db()
    assert session.capacity == 2


def test_trainer_overlap_is_refused(session):
    teacher = trainer()
    session.trainers.add(teacher)
    other = SessionFactory.build(
        room=RoomFactory(), starts_at=session.starts_at + dt.timedelta(hours=1), ends_at=session.ends_at
    )
    other.base = other.room.base
    with pytest.raises(ValidationError) as excinfo:
        services.session_save(session=other, trainer_ids=[teacher.pk])
    assert "trainers" in excinfo.value.message_dict
    assert TrainingSession.objects.count() == 1


def test_session_change_notifies_and_bumps_sequence(session, mailoutbox, django_capture_on_commit_callbacks):
    user = staff()
    booking = book(user, session)
    mailoutbox.clear()
    session.starts_at += dt.timedelta(hours=1)
    session.ends_at += dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(session=session)
    booking.refresh_from_db()
    assert booking.ics_sequence == 1
    assert len(mailoutbox) == 1 and "SEQUENCE:1" in ics_of(mailoutbox[0])


def test_cancelling_a_session_cancels_its_bookings(session, mailoutbox, django_capture_on_commit_callbacks):
    users = [staff() for _ in range(3)]
    for u in users:
        book(u, session)
    mailoutbox.clear()
    session.status = TrainingSession.Status.CANCELLED
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(session=session)
    assert set(Booking.objects.values_list("status", flat=True)) == {"cancelled"}
    assert len(mailoutbox) == 3


@pytest.mark.postgres
def test_postgres_exclusion_constraint_refuses_room_overlap(session):
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingSession.objects.create(
            title_zh="绕过检查",
            training_type=session.training_type,
            base=session.base,
            room=session.room,
            starts_at=session.starts_at + dt.timedelta(hours=1),
            ends_at=session.ends_at + dt.timedelta(hours=1),
            capacity=1,
        )
    assert connection.vendor == "postgresql"
    # a cancelled session does not hold the room
    TrainingSession.objects.create(
        title_zh="已取消",
        training_type=session.training_type,
        base=session.base,
        room=session.room,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        capacity=1,
        status=TrainingSession.Status.CANCELLED,
    )


# --- Cultivation effects ------------------------------------------------------------------


def test_suspension_releases_bookings_and_promotes_the_waitlist(
    session, officer_user, mailoutbox, django_capture_on_commit_callbacks
):
    from trainees import services as trainees_services

    suspended = staff()
    suspended.enterprise.cultivation_status = CultivationStatus.LISTED
    suspended.enterprise.save()
    colleague = staff(enterprise=suspended.enterprise)
    other = staff()
    waiting = staff()
    book(suspended, session, priority=1)
    book(other, session, priority=2)
    book(colleague, session, priority=3)  # waitlisted, also released
    book(waiting, session, priority=4)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        trainees_services.cultivation_suspend(
            enterprise_id=suspended.enterprise_id, actor=officer_user, ground="being_audited", reason="稽查中"
        )
    statuses = dict(Booking.objects.values_list("user_id", "status"))
    assert statuses == {
        suspended.pk: "released",
        colleague.pk: "released",
        other.pk: "confirmed",
        waiting.pk: "confirmed",
    }
    assert {m.to[0] for m in mailoutbox} == {suspended.email, colleague.email, waiting.email}


def test_suspension_rolls_back_with_the_status_change(session):
    """The receiver writes in the caller's transaction: if that fails, nothing is released."""
    from trainees.signals import cultivation_status_changed

    user = staff()
    book(user, session)
    with pytest.raises(RuntimeError), transaction.atomic():
        cultivation_status_changed.send(
            sender=None,
            enterprise_id=user.enterprise_id,
            old_status="listed",
            new_status="suspended",
            actor_id=None,
            reason="",
        )
        raise RuntimeError
    assert Booking.objects.get().status == "confirmed"


def test_resuming_does_not_touch_bookings(session):
    from trainees.signals import cultivation_status_changed

    user = staff()
    book(user, session)
    cultivation_status_changed.send(
        sender=None,
        enterprise_id=user.enterprise_id,
        old_status="suspended",
        new_status="listed",
        actor_id=None,
        reason="",
    )
    assert Booking.objects.get().status == "confirmed"


def test_first_attendance_moves_a_listed_enterprise_into_training(session):
    from tests.training_bases.factories import officer
    from trainees.models import CultivationEvent, Enterprise

    user = staff()
    Enterprise.objects.filter(pk=user.enterprise_id).update(cultivation_status=CultivationStatus.LISTED)
    booking = services.booking_create(user=user, session_id=session.pk)
    register = officer()
    day = timezone.localtime(session.starts_at).date()

    services.attendance_record(actor=register, booking_id=booking.pk, day=day, status="absent", now=session.ends_at)
    assert Enterprise.objects.get(pk=user.enterprise_id).cultivation_status == CultivationStatus.LISTED

    services.attendance_record(actor=register, booking_id=booking.pk, day=day, status="late", now=session.ends_at)
    assert Enterprise.objects.get(pk=user.enterprise_id).cultivation_status == CultivationStatus.IN_TRAINING
    event = CultivationEvent.objects.get(enterprise_id=user.enterprise_id, action="start_training")
    assert event.actor == register and session.title in event.reason

    services.attendance_record(actor=register, booking_id=booking.pk, day=day, status="present", now=session.ends_at)
    assert CultivationEvent.objects.filter(enterprise_id=user.enterprise_id, action="start_training").count() == 1


def test_enterprise_attendance_counts_completed_sessions(session):
    from tests.training_bases.factories import officer
    from training_bases import selectors

    TrainingSession.objects.filter(pk=session.pk).update(ends_at=session.ends_at + dt.timedelta(days=1))
    a, cancelled = staff(), staff()
    cancelled.enterprise = a.enterprise
    cancelled.save()
    booking = services.booking_create(user=a, session_id=session.pk)
    services.booking_cancel(
        actor=cancelled, booking_id=services.booking_create(user=cancelled, session_id=session.pk).pk
    )
    services.booking_create(user=staff(), session_id=session.pk)  # another enterprise stays out
    first_day = timezone.localtime(session.starts_at).date()
    register = officer()

    services.attendance_record(
        actor=register, booking_id=booking.pk, day=first_day, status="present", now=session.ends_at
    )
    report = selectors.enterprise_attendance(enterprise_id=a.enterprise_id)
    assert [(r.user, r.tally.days, r.tally.attended, r.tally.completed) for r in report] == [(a, 2, 1, False)]

    services.attendance_record(
        actor=register,
        booking_id=booking.pk,
        day=first_day + dt.timedelta(days=1),
        status="late",
        now=session.ends_at + dt.timedelta(days=1),
    )
    [row] = selectors.enterprise_attendance(enterprise_id=a.enterprise_id)
    assert row.tally.completed
