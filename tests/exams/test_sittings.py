"""Sittings in computer rooms, seats and tickets, check-in (issue 14 point 2)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from exams.services import attempts as svc
from exams.services import sittings
from tests.exams.factories import invigilator, make_exam
from tests.factories import EnterpriseFactory, UserFactory
from trainees.models import Position
from trainees.roles import Role
from training_bases.models import Room, TrainingBase

pytestmark = pytest.mark.django_db


def computer_room(capacity=30):
    base = TrainingBase.objects.get(slug="shenzhen")
    return Room.objects.create(base=base, name_zh="机房一", kind=Room.Kind.COMPUTER_ROOM, capacity=capacity)


@pytest.fixture
def sitting():
    exam = make_exam(online=False)
    now = svc.db_now()
    return sittings.sitting_create(
        exam=exam, room=computer_room(), starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(minutes=40)
    )


def staff(**fields):
    return UserFactory(position=Position.CUSTOMS_AFFAIRS, roles=[Role.ENTERPRISE_STAFF], **fields)


def test_room_overlap_rules_apply_to_sittings(sitting):
    with pytest.raises(ValidationError):
        sittings.sitting_create(
            exam=sitting.exam,
            room=sitting.session.room,
            starts_at=sitting.session.starts_at + timedelta(minutes=10),
            ends_at=sitting.session.ends_at,
        )


def test_one_candidate_per_seat_and_seats_of_the_room(sitting):
    a, b = staff(enterprise=EnterpriseFactory()), staff(enterprise=EnterpriseFactory())
    sittings.ticket_issue(sitting=sitting, user=a, seat_number=3)
    with pytest.raises(ValidationError):
        sittings.ticket_issue(sitting=sitting, user=b, seat_number=3)
    with pytest.raises(ValidationError):
        sittings.ticket_issue(sitting=sitting, user=b, seat_number=31)
    with pytest.raises(ValidationError):
        sittings.ticket_issue(sitting=sitting, user=a, seat_number=4)


def test_checkin_then_the_attempt_is_capped_by_the_sitting(sitting):
    user = staff(enterprise=EnterpriseFactory())
    ticket = sittings.ticket_issue(sitting=sitting, user=user, seat_number=1)
    with pytest.raises(svc.AttemptError, match="Check in"):
        svc.attempt_start(exam=sitting.exam, user=user)
    with pytest.raises(svc.AttemptError, match="not right"):
        sittings.checkin(sitting=sitting, user=user, code="WRONG123", address="10.0.0.1")
    sittings.checkin(sitting=sitting, user=user, code=ticket.code.lower(), address="10.0.0.1")
    attempt = svc.attempt_start(exam=sitting.exam, user=user)
    assert attempt.sitting == sitting and attempt.deadline == sitting.session.ends_at  # 60 min exam, 40 min left


def test_revoked_ticket_refused_and_reissued_code_works(sitting):
    user = staff(enterprise=EnterpriseFactory())
    old = sittings.ticket_issue(sitting=sitting, user=user, seat_number=2)
    new = sittings.ticket_revoke(ticket=old, actor=UserFactory(roles=[Role.CUSTOMS_OFFICER]), reason="遗失")
    assert new.code != old.code and new.seat_number == 2
    with pytest.raises(svc.AttemptError, match="revoked"):
        sittings.checkin(sitting=sitting, user=user, code=old.code, address="10.0.0.1")
    assert sittings.checkin(sitting=sitting, user=user, code=new.code, address="10.0.0.1").checked_in_at


def test_disallowed_address_and_blocked_enterprise_are_refused(sitting):
    sitting.allowed_networks = "10.8.0.0/16"
    sitting.save()
    user = staff(enterprise=EnterpriseFactory())
    ticket = sittings.ticket_issue(sitting=sitting, user=user, seat_number=5)
    with pytest.raises(svc.AttemptError, match="exam room"):
        sittings.checkin(sitting=sitting, user=user, code=ticket.code, address="192.168.1.4")
    blocked = staff(enterprise=EnterpriseFactory(cultivation_status="suspended"))
    ticket = sittings.ticket_issue(sitting=sitting, user=blocked, seat_number=6)
    with pytest.raises(svc.AttemptError, match="suspended"):
        sittings.checkin(sitting=sitting, user=blocked, code=ticket.code, address="10.8.1.1")
    assert not ticket.__class__.objects.filter(checked_in_at__isnull=False).exists()


def test_checkin_page_and_console_with_add_time(client, sitting):
    from django.urls import reverse

    user = staff(enterprise=EnterpriseFactory())
    ticket = sittings.ticket_issue(sitting=sitting, user=user, seat_number=7)
    client.force_login(UserFactory(roles=[Role.ENTERPRISE_STAFF]))  # no ticket here
    assert client.get(reverse("exams:checkin", args=[sitting.pk])).status_code == 404
    client.force_login(user)
    assert client.get(reverse("exams:console", args=[sitting.pk])).status_code == 403
    response = client.post(reverse("exams:checkin", args=[sitting.pk]), {"code": "XXXX"}, follow=True)
    assert "not right" in response.content.decode()
    response = client.post(reverse("exams:checkin", args=[sitting.pk]), {"code": ticket.code})
    assert response.status_code == 302
    attempt = svc.attempt_start(exam=sitting.exam, user=user)

    client.force_login(invigilator("5100"))  # a Guangzhou invigilator: not this Shenzhen sitting
    assert client.get(reverse("exams:console", args=[sitting.pk])).status_code == 404
    assert client.get(reverse("exams:api_console", args=[sitting.pk])).status_code == 404
    refused = client.post(reverse("exams:api_sitting_action", args=[sitting.pk]), {"action": "close", "reason": "r"})
    attempt.refresh_from_db()
    assert refused.status_code == 404 and attempt.state == "in_progress"
    client.force_login(invigilator())
    rows = client.get(reverse("exams:api_console", args=[sitting.pk])).json()["rows"]
    assert rows[0]["seat"] == 7 and rows[0]["state"] == "in_progress" and rows[0]["answered"] == 0
    before = rows[0]["remaining_seconds"]
    url = reverse("exams:api_sitting_action", args=[sitting.pk])
    assert (
        client.post(url, {"action": "add_time", "attempt": attempt.pk, "minutes": "x", "reason": "r"}).status_code
        == 400
    )
    assert (
        client.post(url, {"action": "add_time", "attempt": attempt.pk, "minutes": 10, "reason": ""}).status_code == 400
    )
    assert client.post(url, {"action": "add_time", "attempt": attempt.pk, "minutes": 10, "reason": "机器故障"}).json()[
        "ok"
    ]
    rows = client.get(reverse("exams:api_console", args=[sitting.pk])).json()["rows"]
    assert rows[0]["remaining_seconds"] >= before + 590
    assert client.post(url, {"action": "close", "reason": "结束"}).json()["submitted"] == 1
    assert client.get(reverse("exams:api_console", args=[sitting.pk])).json()["rows"][0]["state"] == "marking"
