"""Allocation from the key training list and the enterprises' cultivation status: the people of
an enterprise whose cultivation is suspended or terminated get no seat from an allocation run
(as self-service booking refuses them), the preview says how many were left out and why, and a
suspension or resumption between preview and confirm makes the confirm refuse the stale plan."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from trainees import services as trainees_services
from training_bases import rules, services
from training_bases.models import Booking

from .factories import SessionFactory, listed_staff, officer, publish_key_list, suspend

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _resume(person, actor):
    trainees_services.cultivation_transition(
        enterprise_id=person.enterprise_id, action="resume", actor=actor, reason="稽查结束"
    )


def _active(person) -> list[str]:
    return list(Booking.objects.filter(user=person, status__in=Booking.ACTIVE).values_list("status", flat=True))


def test_a_suspended_enterprise_gets_no_seat_from_an_allocation_run():
    """A suspended enterprise stays on the published key list (only termination removes its
    entries); self-service refuses it a seat, and so does the allocation."""
    session = SessionFactory(capacity=5)
    person, other = listed_staff(), listed_staff()
    round_ = publish_key_list([(person, 1, ("suzhou",), person.position), (other, 2, ("suzhou",), other.position)])
    actor = officer()
    suspend(person, actor)
    with pytest.raises(ValidationError):  # self-service agrees: blocked
        services.booking_create(user=person, session_id=session.pk)

    run = services.allocation_preview(actor=actor, training_type="compliance", round_id=round_.pk)
    decisions = {d["user_id"]: d for d in run.plan["decisions"]}
    assert decisions[person.pk]["outcome"] == "skipped"
    assert decisions[person.pk]["reason"] == "enterprise_suspended"
    assert "suspended" in services.decision_reason(decisions[person.pk])
    assert decisions[other.pk]["outcome"] == "placed"
    assert run.plan["counts"]["blocked"] == 1 and run.plan["counts"]["skipped"] == 1
    assert [row[0] for row in run.placements] == [other.pk]

    services.allocation_confirm(actor=actor, run_id=run.pk)
    assert _active(person) == [], "a suspended enterprise's person was allocated a seat"
    assert _active(other) == [Booking.Status.CONFIRMED]


def test_the_rule_leaves_out_suspended_and_terminated_enterprises_first():
    slot = rules.SessionSlot(
        session_id=1, base_slug="suzhou", starts_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC), capacity=5
    )
    people = [
        rules.Candidate("1", 11, "甲", 1, "customs_affairs", 1, ("suzhou",), blocked_status="suspended"),
        rules.Candidate("2", None, "乙", 2, "customs_affairs", 2, ("suzhou",), blocked_status="terminated"),
        rules.Candidate("3", 13, "丙", 3, "customs_affairs", 3, ("suzhou",)),
    ]
    plan = rules.allocate(people, [slot])
    assert [(d.outcome, d.reason) for d in plan.decisions] == [
        ("skipped", "enterprise_suspended"),
        ("skipped", "enterprise_terminated"),  # before "no account": the enterprise is the reason
        ("placed", "placed_first_choice"),
    ]
    assert plan.counts["blocked"] == 2 and plan.counts["skipped"] == 2 and plan.counts["placed"] == 1


def test_a_resumed_enterprise_is_allocated_again():
    SessionFactory(capacity=5)
    person = listed_staff()
    round_ = publish_key_list([(person, 1, ("suzhou",), person.position)])
    actor = officer()
    suspend(person, actor)
    _resume(person, actor)
    run = services.allocation_preview(actor=actor, training_type="compliance", round_id=round_.pk)
    assert run.plan["counts"]["blocked"] == 0
    services.allocation_confirm(actor=actor, run_id=run.pk)
    assert _active(person) == [Booking.Status.CONFIRMED]


@pytest.mark.parametrize("suspended_at_preview", [False, True], ids=["suspended after", "resumed after"])
def test_a_cultivation_change_after_the_preview_refuses_the_confirmation(suspended_at_preview):
    """A suspension, or a resumption, between the preview and the confirmation changes who may
    be placed: the confirmation refuses the stale plan and writes nothing."""
    SessionFactory(capacity=5)
    person, other = listed_staff(), listed_staff()
    round_ = publish_key_list([(person, 1, ("suzhou",), person.position), (other, 2, ("suzhou",), other.position)])
    actor = officer()
    if suspended_at_preview:
        suspend(person, actor)
    run = services.allocation_preview(actor=actor, training_type="compliance", round_id=round_.pk)
    if suspended_at_preview:
        _resume(person, actor)
    else:
        suspend(person, actor)
    with pytest.raises(ValidationError, match="changed since this preview"):
        services.allocation_confirm(actor=actor, run_id=run.pk)
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["1 person was not placed: their enterprise", "credit cultivation is suspended: no seat"]),
        ("zh-hans", ["1 人未安排：其所在企业的信用培育已中止或终止。", "该企业的信用培育已中止：中止期间不安排席位。"]),
    ],
)
def test_the_preview_page_says_how_many_were_left_out_and_why(client, language, expected):
    SessionFactory(capacity=5)
    person, other = listed_staff(), listed_staff()
    round_ = publish_key_list([(person, 1, ("suzhou",), person.position), (other, 2, ("suzhou",), other.position)])
    actor = officer()
    suspend(person, actor)
    run = services.allocation_preview(actor=actor, training_type="compliance", round_id=round_.pk)
    client.force_login(actor)
    with translation.override(language):
        url = reverse("training_bases:allocation_detail", args=[run.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert 'id="run-blocked" data-blocked="1"' in page
    for text in expected:
        assert text in page


def test_the_preview_page_says_nothing_of_blocked_enterprises_when_there_are_none(client):
    SessionFactory(capacity=5)
    person = listed_staff()
    round_ = publish_key_list([(person, 1, ("suzhou",), person.position)])
    actor = officer()
    run = services.allocation_preview(actor=actor, training_type="compliance", round_id=round_.pk)
    client.force_login(actor)
    page = client.get(reverse("training_bases:allocation_detail", args=[run.pk])).content.decode()
    assert 'id="run-counts"' in page and "run-blocked" not in page
