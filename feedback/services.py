"""Use cases of the feedback app. Lifecycle changes go through `trainees.services`, which locks
the enterprise, applies the state machine and writes the audit trail."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trainees import services as trainee_services
from trainees.models import CreditLevel, CultivationStatus, Enterprise, User

from .models import CertificationOutcome


def outcome_application_record(
    *, enterprise_id: int, applied_on: date, actor: User, note: str = "", today: date | None = None
) -> CertificationOutcome:
    """Record that the enterprise filed its AEO certification application on `applied_on`
    (DOMAIN.md: completed --files AEO application--> applied_for_aeo).

    Raises ValidationError: a date in the future (code "future"), one application already pending
    ("pending"), or a status from which the enterprise cannot apply ("transition")."""
    today = today or timezone.localdate()
    if applied_on > today:
        raise ValidationError(_("The application date cannot be in the future."), code="future")
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise_id)
        if CertificationOutcome.objects.filter(
            enterprise=enterprise, result=CertificationOutcome.Result.PENDING
        ).exists():
            raise ValidationError(
                _("An AEO certification application of this enterprise is already pending."), code="pending"
            )
        if enterprise.cultivation_status != CultivationStatus.APPLIED_FOR_AEO:
            trainee_services.cultivation_transition(
                enterprise_id=enterprise_id,
                action="apply_for_aeo",
                actor=actor,
                reason=_("AEO certification application filed on %(date)s") % {"date": applied_on.isoformat()},
            )
        return CertificationOutcome.objects.create(
            enterprise=enterprise, applied_on=applied_on, note=note.strip()[:300], recorded_by=actor
        )


def outcome_result_record(
    *,
    outcome_id: int,
    passed: bool,
    decided_on: date,
    actor: User,
    credit_level_code: str = "",
    today: date | None = None,
) -> CertificationOutcome:
    """Record customs' decision on a pending application: passed → credit level advanced
    certified / certified; failed → the 1-year bar starts on `decided_on` (trainees.rules).

    Raises ValidationError: already decided ("decided"), a decision date before the application
    or in the future ("date"), a pass without a certified level ("credit_level")."""
    today = today or timezone.localdate()
    with transaction.atomic():
        outcome = CertificationOutcome.objects.select_for_update().get(pk=outcome_id)
        if outcome.result != CertificationOutcome.Result.PENDING:
            raise ValidationError(_("The result of this application has already been recorded."), code="decided")
        if decided_on < outcome.applied_on or decided_on > today:
            raise ValidationError(_("The decision date must lie between the application date and today."), code="date")
        trainee_services.cultivation_certification_decide(
            enterprise_id=outcome.enterprise_id,
            passed=passed,
            credit_level_code=credit_level_code,
            decided_on=decided_on,
            actor=actor,
            reason=_("AEO certification result recorded"),
        )
        outcome.result = CertificationOutcome.Result.PASSED if passed else CertificationOutcome.Result.FAILED
        outcome.decided_on = decided_on
        outcome.decided_by = actor
        if passed:
            outcome.credit_level = CreditLevel.objects.get(code=credit_level_code)
        outcome.save(update_fields=["result", "decided_on", "decided_by", "credit_level"])
        return outcome
