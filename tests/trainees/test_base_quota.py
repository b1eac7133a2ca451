"""Manual inclusions can put a base above its quota: the round shows the real per-base figures
and publishing such a list needs an explicit confirmation (issue 8, point 5)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from trainees import rules, services
from trainees.models import CultivationStatus, KeyListEntry, Position, SelectionRound
from trainees.selectors import round_base_loads

from .factories import ApplicationFactory, NomineeFactory, SelectionRoundFactory, add_capacity, enterprise_in, officer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def overfilled():
    """Seats 3 / 3 / 3; six enterprises want Shenzhen; three are put on the list by hand."""
    round_ = SelectionRoundFactory()
    add_capacity(round_, seats=3)
    actor = officer("5300")
    for i in range(6):
        e = enterprise_in("5301", credit_score=60 + i, cultivation_status=CultivationStatus.APPLIED)
        app = ApplicationFactory(round=round_, enterprise=e, preferred_bases=["shenzhen"])
        NomineeFactory(application=app, position=Position.SENIOR_MANAGEMENT)
        if i < 3:
            services.key_list_adjust(
                round_id=round_.id, application_id=app.id, action="include", reason="pilot", actor=actor
            )
    return round_, actor


def figures(round_):
    return {(x.base_slug, x.listed, x.seats) for x in round_base_loads(round_) if x.training_type == "compliance"}


def test_real_per_base_figures_and_refusal_without_confirmation(overfilled):
    round_, actor = overfilled
    assert figures(round_) == {("suzhou", 0, 3), ("shenzhen", 6, 3), ("guangzhou", 0, 3)}
    with pytest.raises(ValidationError) as exc:
        services.round_publish(round_id=round_.id, actor=actor)
    assert exc.value.code == "over_quota"
    assert "Shenzhen" in exc.value.messages[0] and "6 people for 3 seats" in exc.value.messages[0]
    round_.refresh_from_db()
    assert round_.status != SelectionRound.Status.PUBLISHED and not KeyListEntry.objects.exists()

    services.round_publish(round_id=round_.id, actor=actor, over_quota_confirmed=True)
    round_.refresh_from_db()
    assert round_.is_published
    assert figures(round_) == {("suzhou", 0, 3), ("shenzhen", 6, 3), ("guangzhou", 0, 3)}


def test_round_page_warns_and_publishing_needs_the_checkbox(client, overfilled):
    round_, actor = overfilled
    client.force_login(actor)
    page = client.get(reverse("trainees:round_detail", args=[round_.pk]) + "?type=compliance").content.decode()
    assert "Shenzhen: 6 listed / 3 seats" in page and "Suzhou: 0 listed / 3 seats" in page
    assert 'id="over-quota"' in page and 'id="over-quota-confirm"' in page
    url = reverse("trainees:round_publish", args=[round_.pk])
    page = client.post(url, {"type": "compliance"}, follow=True).content.decode()
    assert "6 people for 3 seats" in page
    round_.refresh_from_db()
    assert not round_.is_published
    client.post(url, {"type": "compliance", "over_quota": "1"})
    round_.refresh_from_db()
    assert round_.is_published


def test_a_list_within_quota_publishes_without_confirmation():
    round_ = SelectionRoundFactory()
    add_capacity(round_, seats=3)
    e = enterprise_in("5301", credit_score=90, cultivation_status=CultivationStatus.APPLIED)
    NomineeFactory(application=ApplicationFactory(round=round_, enterprise=e, preferred_bases=["shenzhen"]))
    services.round_publish(round_id=round_.id, actor=None)
    round_.refresh_from_db()
    assert round_.is_published


@pytest.mark.parametrize(
    ("listed", "capacities", "expected"),
    [
        ([], {("c", "suzhou"): 3}, [("c", "suzhou", 3, 0, 0)]),
        (
            [("c", "shenzhen")] * 6,
            {("c", "suzhou"): 3, ("c", "shenzhen"): 3},
            [("c", "suzhou", 3, 0, 0), ("c", "shenzhen", 3, 6, 3)],
        ),
        ([("c", "guangzhou")], {}, [("c", "guangzhou", 0, 1, 1)]),
        (
            [("a", "suzhou"), ("c", "suzhou")],
            {("c", "suzhou"): 1},
            [("a", "suzhou", 0, 1, 1), ("c", "suzhou", 1, 1, 0)],
        ),
    ],
)
def test_base_loads(listed, capacities, expected):
    loads = rules.base_loads(listed, capacities)
    assert [(x.training_type, x.base_slug, x.seats, x.listed, x.over) for x in loads] == expected
