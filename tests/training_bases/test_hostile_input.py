"""The booking and cancellation addresses (pages and JSON API) under hostile input."""

import pytest
from django.urls import reverse as django_reverse
from django.utils import translation

from trainees.models import CustomsUnit
from training_bases import services
from training_bases.models import Booking

from .factories import SessionFactory, officer, staff

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


def reverse(name, args=None):
    with translation.override("zh-hans"):
        return django_reverse(name, args=args)


def test_page_addresses_under_hostile_input(client, session):
    owner, stranger = staff(), staff()
    booking = services.booking_create(user=owner, session_id=session.pk)
    book_url = reverse("training_bases:session_book", args=[session.pk])
    cancel_url = reverse("training_bases:booking_cancel", args=[booking.pk])
    ics_url = reverse("training_bases:booking_ics", args=[booking.pk])
    # anonymous: to the login page, nothing written
    assert client.post(book_url).status_code == 302
    assert client.post(cancel_url).status_code == 302
    client.force_login(stranger)
    assert client.get(book_url).status_code == 405
    assert client.get(cancel_url).status_code == 405
    assert client.post(cancel_url).status_code == 404  # another person's booking
    assert client.get(ics_url).status_code == 404
    prefix = book_url.split("/sessions/")[0]
    for path in (
        f"{prefix}/sessions/{HUGE}/book/",
        f"{prefix}/bookings/{HUGE}/cancel/",
        f"{prefix}/bookings/{HUGE}/calendar.ics",
        f"{prefix}/sessions/{HUGE}/",
        f"{prefix}/sessions/abc/book/",
        f"{prefix}/bookings/-1/cancel/",
    ):
        response = client.post(path) if "book" in path and "calendar" not in path else client.get(path)
        assert response.status_code == 404, (path, response.status_code)
    assert client.get(reverse("training_bases:my_bookings"), {"page": HUGE}).status_code == 200
    assert client.get(reverse("training_bases:my_bookings"), {"page": "x"}).status_code == 200
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED


def test_api_addresses_under_hostile_input(client, session):
    owner, stranger = staff(), staff()
    booking = services.booking_create(user=owner, session_id=session.pk)
    client.force_login(stranger)
    assert client.post(f"/api/training/bookings/{booking.pk}/cancel").status_code == 404
    assert client.post(f"/api/training/sessions/{HUGE}/book").status_code in {404, 422}
    assert client.post(f"/api/training/bookings/{HUGE}/cancel").status_code in {404, 422}
    assert client.get(f"/api/training/sessions/{HUGE}").status_code in {404, 422}
    assert client.get(f"/api/training/bookings/{booking.pk}/cancel").status_code == 405
    # double cancel by the owner: a refusal, not an error
    client.force_login(owner)
    assert client.post(f"/api/training/bookings/{booking.pk}/cancel").status_code == 200
    assert client.post(f"/api/training/bookings/{booking.pk}/cancel").status_code == 400
    # a second booking of the type, and a full/cancelled session
    assert client.post(f"/api/training/sessions/{session.pk}/book").status_code == 201
    assert client.post(f"/api/training/sessions/{session.pk}/book").status_code == 400


def test_officer_of_another_district_cannot_cancel(client):
    """A district officer may act only on bookings of their district's enterprises or bases."""
    session = SessionFactory()
    owner = staff()
    booking = services.booking_create(user=owner, session_id=session.pk)
    gacc = CustomsUnit.objects.get(code="0000")
    unrelated = CustomsUnit.objects.exclude(pk=gacc.pk).exclude(pk=owner.enterprise.customs_unit_id)
    unrelated = unrelated.exclude(pk=session.base.customs_unit_id or 0).exclude(parent=gacc.pk).first()
    if unrelated is None:
        pytest.skip("no unrelated unit")
    outsider = officer(customs_unit=unrelated)
    client.force_login(outsider)
    assert client.post(reverse("training_bases:booking_cancel", args=[booking.pk])).status_code == 404
    assert client.post(f"/api/training/bookings/{booking.pk}/cancel").status_code == 404
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED


@pytest.mark.parametrize("target", ["/\\evil.example/", "/\t/evil.example/"])
def test_cancel_next_parameter_never_redirects_off_site(client, session, target):
    """After a cancellation the page follows `next` only to this site: browsers read `/\\host`
    and `/<tab>/host` as `//host`, another site."""
    from django.utils.http import url_has_allowed_host_and_scheme

    owner = staff()
    booking = services.booking_create(user=owner, session_id=session.pk)
    client.force_login(owner)
    response = client.post(reverse("training_bases:booking_cancel", args=[booking.pk]), {"next": target})
    assert response.status_code == 302
    location = response["Location"]
    assert url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"}), f"redirect to {location!r}"
