"""Issue 7, point 6: attendance only for days that have come; correcting "present" to "absent"
undoes the move into training it caused, audited."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from trainees.models import CultivationEvent, CultivationStatus, Enterprise
from training_bases import rules, services
from training_bases.models import AttendanceRecord

from .factories import officer, staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "today", "open_"),
    [
        (dt.date(2027, 1, 1), dt.date(2027, 1, 1), True),
        (dt.date(2026, 12, 31), dt.date(2027, 1, 1), True),
        (dt.date(2027, 1, 2), dt.date(2027, 1, 1), False),
    ],
)
def test_rule_attendance_day_has_come(day, today, open_):
    assert rules.attendance_day_has_come(day=day, today=today) is open_


@pytest.mark.parametrize(
    ("previous", "new", "cultivation", "other", "undo"),
    [
        ("present", "absent", "in_training", False, True),
        ("late", "absent", "in_training", False, True),
        ("present", "absent", "in_training", True, False),  # another attended day keeps it
        ("present", "absent", "completed", False, False),  # later steps are not undone
        (None, "absent", "in_training", False, False),
        ("absent", "present", "in_training", False, False),
    ],
)
def test_rule_undoes_start_training(previous, new, cultivation, other, undo):
    assert (
        rules.undoes_start_training(
            previous_status=previous, new_status=new, cultivation_status=cultivation, other_attendance=other
        )
        is undo
    )


@pytest.fixture
def listed_booking(session):
    user = staff()
    Enterprise.objects.filter(pk=user.enterprise_id).update(cultivation_status=CultivationStatus.LISTED)
    return services.booking_create(user=user, session_id=session.pk)


def test_future_days_are_refused(session, listed_booking):
    day = timezone.localtime(session.starts_at).date()
    with pytest.raises(ValidationError):
        services.attendance_record(actor=officer(), booking_id=listed_booking.pk, day=day, status="present")
    assert not AttendanceRecord.objects.exists()
    assert Enterprise.objects.get(pk=listed_booking.enterprise_id).cultivation_status == CultivationStatus.LISTED


def test_future_day_on_the_register_page_records_nothing(client, session, listed_booking):
    client.force_login(officer())
    day = timezone.localtime(session.starts_at).date()
    response = client.post(
        reverse("training_bases:roster", args=[session.pk]),
        {"day": day.isoformat(), f"attendance-{listed_booking.pk}": "present"},
        follow=True,
    )
    assert response.status_code == 200
    assert not AttendanceRecord.objects.exists()


def test_present_corrected_to_absent_undoes_the_move_into_training(session, listed_booking):
    register = officer()
    day = timezone.localtime(session.starts_at).date()
    enterprise_id = listed_booking.enterprise_id
    services.attendance_record(
        actor=register, booking_id=listed_booking.pk, day=day, status="present", now=session.ends_at
    )
    assert Enterprise.objects.get(pk=enterprise_id).cultivation_status == CultivationStatus.IN_TRAINING

    services.attendance_record(
        actor=register, booking_id=listed_booking.pk, day=day, status="absent", now=session.ends_at
    )
    assert Enterprise.objects.get(pk=enterprise_id).cultivation_status == CultivationStatus.LISTED
    undo = CultivationEvent.objects.get(enterprise_id=enterprise_id, action="undo_start_training")
    assert (undo.from_status, undo.to_status, undo.actor) == ("in_training", "listed", register)
    assert session.title in undo.reason and day.isoformat() in undo.reason

    # Present again: training starts again (a second, audited start).
    services.attendance_record(
        actor=register, booking_id=listed_booking.pk, day=day, status="present", now=session.ends_at
    )
    assert Enterprise.objects.get(pk=enterprise_id).cultivation_status == CultivationStatus.IN_TRAINING
    assert CultivationEvent.objects.filter(enterprise_id=enterprise_id, action="start_training").count() == 2
