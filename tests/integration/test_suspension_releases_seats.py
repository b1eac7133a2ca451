"""Across apps: an officer suspends an enterprise's cultivation in the browser-facing page, and
its seats at the training bases go to the waitlist in the same transaction."""

import pytest

from tests.training_bases.factories import SessionFactory, officer, staff
from trainees.models import CultivationEvent, CultivationStatus, CustomsUnit, Enterprise
from training_bases import services
from training_bases.models import Booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    session = SessionFactory(capacity=1)
    holder = staff()
    holder.enterprise.cultivation_status = CultivationStatus.LISTED
    holder.enterprise.save()
    waiting = staff()
    services.booking_create(user=holder, session_id=session.pk, priority=1)
    services.booking_create(user=waiting, session_id=session.pk, priority=2)
    return holder, waiting


def suspend(client, enterprise, reason="海关稽查中"):
    return client.post(
        f"/enterprises/{enterprise.pk}/transition/",
        {"action": "suspend", "ground": "being_audited", "reason": reason, "evidence_reference": "稽查通知书 2026-118"},
    )


def test_officer_suspends_and_the_seat_goes_to_the_waitlist(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    holder, waiting = world
    client.force_login(officer(customs_unit=CustomsUnit.objects.get(code="0000")))
    with django_capture_on_commit_callbacks(execute=True):
        response = suspend(client, holder.enterprise)
    assert response.status_code == 302
    assert Enterprise.objects.get(pk=holder.enterprise_id).cultivation_status == CultivationStatus.SUSPENDED
    assert dict(Booking.objects.values_list("user_id", "status")) == {holder.pk: "released", waiting.pk: "confirmed"}
    assert waiting.email in {message.to[0] for message in mailoutbox}
    event = CultivationEvent.objects.get(enterprise=holder.enterprise, to_status=CultivationStatus.SUSPENDED)
    assert event.reason == "海关稽查中"


def test_officer_of_another_district_cannot_suspend_and_nothing_moves(client, world):
    holder, waiting = world
    other_district = CustomsUnit.objects.exclude(pk=holder.enterprise.customs_unit_id).filter(level="local").first()
    client.force_login(officer(customs_unit=other_district))
    assert suspend(client, holder.enterprise).status_code == 404
    assert Enterprise.objects.get(pk=holder.enterprise_id).cultivation_status == CultivationStatus.LISTED
    assert dict(Booking.objects.values_list("user_id", "status")) == {holder.pk: "confirmed", waiting.pk: "waitlisted"}
