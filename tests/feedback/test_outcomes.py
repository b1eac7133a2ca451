"""Outcome of cultivation (issue 17, point 5): AEO certification application and result."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from feedback import services
from feedback.models import CertificationOutcome
from tests.trainees.factories import enterprise_in, officer, staff_of
from trainees import rules
from trainees.models import CultivationEvent, CultivationStatus, Enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed():
    return enterprise_in("5301", cultivation_status=CultivationStatus.COMPLETED)


@pytest.fixture
def shenzhen_officer():
    return officer("5300")


def _apply(enterprise, actor, days_ago=30):
    return services.outcome_application_record(
        enterprise_id=enterprise.pk, applied_on=timezone.localdate() - timedelta(days=days_ago), actor=actor
    )


# --- rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decided_on", "bar_until"),
    [(date(2026, 3, 10), date(2027, 3, 10)), (date(2028, 2, 29), date(2029, 2, 28))],
)
def test_failed_certification_bars_for_one_year(decided_on, bar_until):
    effect = rules.certification_effect(passed=False, credit_level_code="", decided_on=decided_on)
    assert (effect.action, effect.bar_until, effect.credit_level_code) == ("fail_certification", bar_until, None)


@pytest.mark.parametrize("level", ["advanced_certified", "certified"])
def test_passed_certification_grants_a_certified_level(level):
    effect = rules.certification_effect(passed=True, credit_level_code=level, decided_on=date(2026, 1, 5))
    assert (effect.action, effect.credit_level_code, effect.bar_until) == ("certify", level, None)


@pytest.mark.parametrize("level", ["", "regular", "discredited"])
def test_pass_at_a_level_that_is_not_certified_is_refused(level):
    with pytest.raises(ValueError):
        rules.certification_effect(passed=True, credit_level_code=level, decided_on=date(2026, 1, 5))


def test_state_machine_closes_with_certified_and_failed_returns_to_start():
    assert rules.next_status(rules.APPLIED_FOR_AEO, "certify") == rules.CERTIFIED
    assert rules.next_status(rules.APPLIED_FOR_AEO, "fail_certification") == rules.NONE
    with pytest.raises(rules.TransitionRefused):
        rules.next_status(rules.COMPLETED, "certify")
    with pytest.raises(rules.TransitionRefused):
        rules.next_status(rules.CERTIFIED, "suspend")


# --- services -------------------------------------------------------------------------------


def test_application_moves_the_enterprise_to_applied_for_aeo_audited(completed, shenzhen_officer):
    outcome = _apply(completed, shenzhen_officer)
    completed.refresh_from_db()
    assert completed.cultivation_status == CultivationStatus.APPLIED_FOR_AEO
    assert outcome.result == CertificationOutcome.Result.PENDING
    event = CultivationEvent.objects.get(enterprise=completed)
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "apply_for_aeo",
        "completed",
        "applied_for_aeo",
        shenzhen_officer,
    )


def test_passed_certification_sets_level_and_closes_lifecycle(completed, shenzhen_officer):
    outcome = _apply(completed, shenzhen_officer)
    services.outcome_result_record(
        outcome_id=outcome.pk,
        passed=True,
        credit_level_code="advanced_certified",
        decided_on=timezone.localdate(),
        actor=shenzhen_officer,
    )
    completed.refresh_from_db()
    outcome.refresh_from_db()
    assert completed.cultivation_status == CultivationStatus.CERTIFIED
    assert completed.credit_level.code == "advanced_certified"
    assert completed.application_bar_until is None
    assert (outcome.result, outcome.credit_level.code) == ("passed", "advanced_certified")
    assert CultivationEvent.objects.filter(enterprise=completed, action="certify", to_status="certified").count() == 1


def test_failed_certification_starts_the_bar_and_blocks_reapplying(completed, shenzhen_officer):
    outcome = _apply(completed, shenzhen_officer)
    decided = timezone.localdate() - timedelta(days=2)
    services.outcome_result_record(outcome_id=outcome.pk, passed=False, decided_on=decided, actor=shenzhen_officer)
    completed.refresh_from_db()
    assert completed.cultivation_status == CultivationStatus.NONE
    assert completed.application_bar_until == rules.add_months(decided, 12)
    assert CultivationEvent.objects.filter(enterprise=completed, action="fail_certification").count() == 1
    # The ranking's eligibility rule sees the bar.
    assert completed.application_bar_until > timezone.localdate()


def test_second_pending_application_is_refused(completed, shenzhen_officer):
    _apply(completed, shenzhen_officer)
    with pytest.raises(ValidationError) as exc:
        _apply(completed, shenzhen_officer, days_ago=1)
    assert exc.value.code == "pending"
    assert CertificationOutcome.objects.filter(enterprise=completed).count() == 1


def test_application_before_training_completed_is_refused(shenzhen_officer):
    listed = enterprise_in("5301", cultivation_status=CultivationStatus.LISTED)
    with pytest.raises(ValidationError) as exc:
        _apply(listed, shenzhen_officer)
    assert exc.value.code == "transition"
    assert not CertificationOutcome.objects.exists()
    assert Enterprise.objects.get(pk=listed.pk).cultivation_status == CultivationStatus.LISTED


def test_future_application_date_is_refused(completed, shenzhen_officer):
    with pytest.raises(ValidationError) as exc:
        _apply(completed, shenzhen_officer, days_ago=-1)
    assert exc.value.code == "future"


def test_result_twice_or_before_application_is_refused(completed, shenzhen_officer):
    outcome = _apply(completed, shenzhen_officer, days_ago=10)
    with pytest.raises(ValidationError) as exc:
        services.outcome_result_record(
            outcome_id=outcome.pk,
            passed=False,
            decided_on=timezone.localdate() - timedelta(days=11),
            actor=shenzhen_officer,
        )
    assert exc.value.code == "date"
    services.outcome_result_record(
        outcome_id=outcome.pk, passed=False, decided_on=timezone.localdate(), actor=shenzhen_officer
    )
    with pytest.raises(ValidationError) as exc:
        services.outcome_result_record(
            outcome_id=outcome.pk,
            passed=True,
            credit_level_code="certified",
            decided_on=timezone.localdate(),
            actor=shenzhen_officer,
        )
    assert exc.value.code == "decided"
    assert Enterprise.objects.get(pk=completed.pk).credit_level_id is None


# --- page -----------------------------------------------------------------------------------


def test_officer_records_application_and_result_on_the_page(client, completed, shenzhen_officer):
    client.force_login(shenzhen_officer)
    url = reverse("feedback:certification_outcomes", kwargs={"enterprise_id": completed.pk})
    today = timezone.localdate()
    response = client.post(url, {"step": "application", "applied_on": (today - timedelta(days=5)).isoformat()})
    assert response.status_code == 302
    outcome = CertificationOutcome.objects.get(enterprise=completed)
    response = client.post(
        url, {"step": "result", "outcome": outcome.pk, "result": "passed", "decided_on": today.isoformat()}
    )
    assert response.status_code == 400  # a pass needs the level
    response = client.post(
        url,
        {
            "step": "result",
            "outcome": outcome.pk,
            "result": "passed",
            "decided_on": today.isoformat(),
            "credit_level": "certified",
        },
    )
    assert response.status_code == 302
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-status="certified"' in page.content.decode()


def test_other_district_and_enterprise_staff_cannot_reach_the_page(client, completed):
    url = reverse("feedback:certification_outcomes", kwargs={"enterprise_id": completed.pk})
    client.force_login(officer("2300"))
    assert client.get(url).status_code == 404
    assert client.post(url, {"step": "application", "applied_on": "2026-01-01"}).status_code == 404
    client.force_login(staff_of(completed))
    assert client.get(url).status_code == 403
    assert not CertificationOutcome.objects.exists()


def test_bad_dates_re_render_with_a_message(client, completed, shenzhen_officer):
    client.force_login(shenzhen_officer)
    url = reverse("feedback:certification_outcomes", kwargs={"enterprise_id": completed.pk})
    response = client.post(url, {"step": "application", "applied_on": "not a date"})
    assert response.status_code == 400
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(url, {"step": "application", "applied_on": future})
    assert response.status_code == 400
    body = response.content.decode()
    assert "申请日期不能晚于今天" in body
    assert not CertificationOutcome.objects.exists()
    assert Enterprise.objects.get(pk=completed.pk).cultivation_status == CultivationStatus.COMPLETED
