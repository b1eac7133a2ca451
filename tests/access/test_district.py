"""Issue 7, point 4: a Shenzhen officer acts only in the Shenzhen district, on every path: pages,
API, exports, QR codes, allocation, bookings, attendance and every back-office view and form."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from tests.trainees.factories import SelectionRoundFactory, enterprise_in, officer, staff_of, unit
from tests.training_bases.factories import RoomFactory, SessionFactory, publish_key_list
from trainees.models import Enterprise, SelectionRound
from training_bases import services
from training_bases.models import AllocationRun, AttendanceRecord, Booking, TrainingBase

pytestmark = pytest.mark.django_db


@pytest.fixture
def shenzhen():
    return officer("5300")


@pytest.fixture
def suzhou_session():
    """A session at the Suzhou base (district of Nanjing customs) with a Suzhou trainee booked."""
    session = SessionFactory(room=RoomFactory(base=TrainingBase.objects.get(slug="suzhou")))
    trainee = staff_of(enterprise_in("2301"))
    booking = services.booking_create(user=trainee, session_id=session.pk)
    return session, booking


def test_bases_belong_to_districts():
    assert dict(TrainingBase.objects.values_list("slug", "customs_unit__code")) == {
        "suzhou": "2301",
        "shenzhen": "5300",
        "guangzhou": "5100",
    }


@pytest.mark.parametrize("round_unit", ["0000", "2301"])
def test_officer_cannot_preview_or_confirm_another_districts_round(client, shenzhen, round_unit):
    suzhou_staff = staff_of(enterprise_in("2301"))
    SessionFactory(room=RoomFactory(base=TrainingBase.objects.get(slug="suzhou")))
    round_ = publish_key_list([(suzhou_staff, 1, ["suzhou"], "customs_affairs")])
    SelectionRound.objects.filter(pk=round_.pk).update(customs_unit=unit(round_unit))
    national = officer("0000")
    their_preview = services.allocation_preview(actor=national, training_type="compliance", round_id=round_.pk)

    client.force_login(shenzhen)
    response = client.post(reverse("training_bases:allocation"), {"training_type": "compliance", "round_id": round_.pk})
    assert response.status_code == 400
    assert AllocationRun.objects.filter(created_by=shenzhen).count() == 0
    their_preview.refresh_from_db()
    assert their_preview.status == AllocationRun.Status.PREVIEW  # not superseded
    assert client.get(reverse("training_bases:allocation_detail", args=[their_preview.pk])).status_code == 404
    assert client.post(reverse("training_bases:allocation_detail", args=[their_preview.pk])).status_code == 404
    assert their_preview not in client.get(reverse("training_bases:allocation")).context["runs"]
    with pytest.raises(PermissionDenied):
        services.allocation_confirm(actor=shenzhen, run_id=their_preview.pk)
    assert not Booking.objects.filter(user=suzhou_staff).exists()


def test_officer_allocates_his_own_districts_round(client, shenzhen):
    own_staff = staff_of(enterprise_in("5301"))
    SessionFactory(room=RoomFactory(base=TrainingBase.objects.get(slug="shenzhen")))
    round_ = publish_key_list([(own_staff, 1, ["shenzhen"], "customs_affairs")])
    client.force_login(shenzhen)
    response = client.post(reverse("training_bases:allocation"), {"training_type": "compliance"})
    assert response.status_code == 302
    run = AllocationRun.objects.get(created_by=shenzhen)
    assert run.round_id == round_.pk
    services.allocation_confirm(actor=shenzhen, run_id=run.pk)
    assert Booking.objects.filter(user=own_staff, status="confirmed").exists()


def test_rosters_exports_and_qr_of_another_district_are_not_found(client, shenzhen, suzhou_session):
    session, _ = suzhou_session
    day = timezone.localtime(session.starts_at).date().isoformat()
    client.force_login(shenzhen)
    for url in (
        reverse("training_bases:roster", args=[session.pk]),
        reverse("training_bases:roster_export", args=[session.pk, "roster", "xlsx"]),
        reverse("training_bases:roster_export", args=[session.pk, "signin", "pdf"]),
        reverse("training_bases:checkin_qr", args=[session.pk, day]),
    ):
        assert client.get(url).status_code == 404, url
    client.force_login(officer("2300"))  # Nanjing customs: Suzhou lies in its district
    assert client.get(reverse("training_bases:roster", args=[session.pk])).status_code == 200


def test_officer_cannot_cancel_another_districts_booking(client, shenzhen, suzhou_session):
    _, booking = suzhou_session
    client.force_login(shenzhen)
    assert client.post(reverse("training_bases:booking_cancel", args=[booking.pk])).status_code == 404
    assert client.post(f"/api/training/bookings/{booking.pk}/cancel").status_code == 404
    with pytest.raises(PermissionDenied):
        services.booking_cancel(actor=shenzhen, booking_id=booking.pk)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_officer_cannot_record_attendance_for_another_district(client, shenzhen, suzhou_session):
    session, booking = suzhou_session
    day = timezone.localtime(session.starts_at).date()
    client.force_login(shenzhen)
    response = client.post(
        reverse("training_bases:roster", args=[session.pk]),
        {"day": day.isoformat(), f"attendance-{booking.pk}": "present"},
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.attendance_record(actor=shenzhen, booking_id=booking.pk, day=day, status="present")
    assert not AttendanceRecord.objects.exists()
    assert Enterprise.objects.get(pk=booking.enterprise_id).cultivation_status != "in_training"


ENTERPRISE_VIEWS = ["edit", "copy", "history", "history-results", "usage", "delete"]


def test_back_office_enterprise_views_are_scoped(client, shenzhen):
    own, other = enterprise_in("5301"), enterprise_in("2301")
    client.force_login(shenzhen)
    base = "/admin/snippets/trainees/enterprise"
    for view in ENTERPRISE_VIEWS:
        assert client.get(f"{base}/{view}/{other.pk}/").status_code == 404, view
        # Officers have no delete permission: Wagtail refuses their own rows (302), others are not found.
        assert client.get(f"{base}/{view}/{own.pk}/").status_code == (302 if view == "delete" else 200), view
    listing = client.get(f"{base}/").content.decode()
    assert own.name_zh in listing and other.name_zh not in listing
    chooser = client.get("/admin/snippets/choose/trainees/enterprise/").json()["html"]
    assert own.name_zh in chooser and other.name_zh not in chooser
    assert client.get(f"/admin/snippets/choose/trainees/enterprise/chosen/{other.pk}/").status_code == 404
    bulk = f"/admin/bulk/trainees/enterprise/delete/?next={base}/&id={other.pk}"
    assert client.get(bulk).status_code == 404
    assert client.post(bulk).status_code == 404
    assert client.post(f"{base}/delete/{other.pk}/").status_code == 404
    assert Enterprise.objects.filter(pk=other.pk).exists()


def _enterprise_form(enterprise, **changes):
    data = {
        "name_zh": enterprise.name_zh,
        "name_en": enterprise.name_en,
        "credit_code": enterprise.credit_code,
        "customs_code": enterprise.customs_code,
        "customs_unit": enterprise.customs_unit_id,
        "credit_score": "",
        "credit_level": "",
        "credit_score_date": "",
        "application_bar_until": "",
        "application_bar_reason": "",
    }
    data.update(changes)
    return data


def test_enterprise_form_offers_only_the_officers_units(client, shenzhen):
    own = enterprise_in("5301")
    client.force_login(shenzhen)
    url = f"/admin/snippets/trainees/enterprise/edit/{own.pk}/"
    form = client.get(url).context["form"]
    assert set(form.fields["customs_unit"].queryset.values_list("code", flat=True)) == {"5300", "5301", "5302", "5303"}
    response = client.post(url, _enterprise_form(own, customs_unit=unit("2301").pk))
    assert response.status_code == 200  # re-rendered with the error
    assert "customs_unit" in response.context["form"].errors
    own.refresh_from_db()
    assert own.customs_unit.code == "5301"
    assert client.post(url, _enterprise_form(own, customs_unit=unit("5302").pk)).status_code == 302
    own.refresh_from_db()
    assert own.customs_unit.code == "5302"


def test_round_pages_and_forms_are_scoped(client, shenzhen):
    own = SelectionRoundFactory(customs_unit=unit("5300"))
    national = SelectionRoundFactory(customs_unit=unit("0000"))
    client.force_login(shenzhen)
    base = "/admin/snippets/trainees/selectionround"
    for view in ("edit", "copy", "history", "usage", "delete"):
        assert client.get(f"{base}/{view}/{national.pk}/").status_code == 404, view
        assert client.get(f"{base}/{view}/{own.pk}/").status_code == (302 if view == "delete" else 200), view
    data = {
        "name": "GACC round by Shenzhen",
        "customs_unit": unit("0000").pk,
        "policy": own.policy_id,
        "applications_close_on": "2027-03-01",
        "capacities-TOTAL_FORMS": "0",
        "capacities-INITIAL_FORMS": "0",
        "capacities-MIN_NUM_FORMS": "0",
        "capacities-MAX_NUM_FORMS": "1000",
    }
    response = client.post(f"{base}/add/", data)
    assert response.status_code == 200 and "customs_unit" in response.context["form"].errors
    assert not SelectionRound.objects.filter(name="GACC round by Shenzhen").exists()
    assert client.post(f"{base}/add/", {**data, "customs_unit": unit("5301").pk}).status_code == 302
    # Pages outside the back office too.
    assert client.get(reverse("trainees:round_detail", args=[national.pk])).status_code == 404
    assert client.get(reverse("trainees:round_export", args=[national.pk])).status_code == 404


def test_back_office_sessions_are_scoped(client, shenzhen, suzhou_session):
    session, _ = suzhou_session
    own = SessionFactory(
        room=RoomFactory(base=TrainingBase.objects.get(slug="shenzhen")),
        starts_at=session.starts_at + dt.timedelta(days=3),
        ends_at=session.ends_at + dt.timedelta(days=3),
    )
    client.force_login(shenzhen)
    for view in ("edit", "delete", "history", "usage", "inspect"):
        assert client.get(f"/admin/training_session/{view}/{session.pk}/").status_code == 404, view
        assert client.get(f"/admin/training_session/{view}/{own.pk}/").status_code == 200, view
    form = client.get("/admin/training_session/new/").context["form"]
    assert list(form.fields["base"].queryset.values_list("slug", flat=True)) == ["shenzhen"]
    listing = client.get("/admin/training_session/").content.decode()
    assert own.title_zh in listing and session.title_zh not in listing
