"""Irreversible actions ask first (the form carries `data-confirm`, which static/js/site.js turns
into a confirmation dialog): cancelling a booking, confirming an allocation, recording a
cultivation step, publishing a key list, revoking an invitation or an exam ticket, deleting one's
exam photo. The round page stops offering publication once the list is published."""

import os
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from trainees.models import Enterprise, SelectionRound, User

pytestmark = pytest.mark.django_db


def confirm_of(html: str, marker: str) -> str:
    """The data-confirm text of the form holding `marker` ("" when that form asks nothing)."""
    for form in re.findall(r"<form\b.*?</form>", html, re.S):
        if marker in form:
            found = re.search(r'<form[^>]*data-confirm="([^"]+)"', form)
            return found.group(1) if found else ""
    raise AssertionError(f"no form with {marker!r}")


@pytest.fixture
def demo(site):
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)


def as_user(client, email):
    client.force_login(User.objects.get(email=email))
    return client


def test_the_demo_officer_and_enterprise_pages_ask_before_irreversible_steps(client, demo):
    from training_bases.models import AllocationRun, Booking

    officer = as_user(client, "officer@demo.aeo")
    run = AllocationRun.objects.filter(status="preview").first()
    html = officer.get(reverse("training_bases:allocation_detail", args=[run.pk])).content.decode()
    assert "无法撤回" in confirm_of(html, 'id="allocation-confirm"')

    open_round = SelectionRound.objects.exclude(status="published").first()
    html = officer.get(reverse("trainees:round_detail", args=[open_round.pk])).content.decode()
    assert confirm_of(html, 'id="publish-round"')

    published = SelectionRound.objects.filter(status="published").first()
    html = officer.get(reverse("trainees:round_detail", args=[published.pk])).content.decode()
    assert 'id="publish-round"' not in html and "发布将" not in html and "Publishing covers" not in html

    enterprise = Enterprise.objects.get(name_zh="苏州恒信精密机械有限公司")
    html = officer.get(reverse("trainees:enterprise_detail", args=[enterprise.pk])).content.decode()
    assert "中止" in confirm_of(html, 'id="transition-form"')

    legal = as_user(client, "legal@demo.aeo")
    booking = Booking.objects.filter(user__email="legal@demo.aeo", status="confirmed").first()
    html = legal.get(reverse("training_bases:my_bookings")).content.decode()
    assert booking.session.title in confirm_of(html, f'data-cancel="{booking.pk}"')


def test_revoking_an_exam_ticket_and_deleting_ones_photo_ask_first(client):
    from datetime import timedelta

    from exams.services import attempts as svc
    from exams.services import sittings
    from exams.services.photos import candidate_photo_save
    from tests.exams.factories import make_exam
    from tests.exams.test_photos import picture
    from tests.exams.test_sittings import computer_room, staff
    from tests.factories import EnterpriseFactory, UserFactory

    now = svc.db_now()
    sitting = sittings.sitting_create(
        exam=make_exam(online=False),
        room=computer_room(),
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=1, hours=1),
    )
    person = staff(enterprise=EnterpriseFactory(), last_name="刘", first_name="关务")
    sittings.ticket_issue(sitting=sitting, user=person, seat_number=3)
    client.force_login(UserFactory(is_superuser=True))
    html = client.get(reverse("exams:sitting_tickets", args=[sitting.pk])).content.decode()
    assert "刘关务" in confirm_of(html, 'name="reissue"')
    assert re.search(r"撤销<span class=\"visually-hidden\"> 刘关务</span>", html)  # the button names its row

    candidate_photo_save(user=person, data=picture(), consent=True)
    client.force_login(person)
    html = client.get(reverse("exams:photo")).content.decode()
    assert "删除您的照片" in confirm_of(html, 'name="delete"')
