"""Use cases of the trainees app: applications, selection rounds, the key training list, the
cultivation lifecycle, imports and staff invitations. Each runs in one transaction, calls the pure
rules in `rules.py`, writes the audit trail and tells the other apps through
`signals.cultivation_status_changed`."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_supported_language_variant
from django.utils.translation import gettext as _

from . import rules
from .models import (
    CreditLevel,
    CultivationEvent,
    CultivationStatus,
    CustomsUnit,
    Enterprise,
    EnterpriseInvitation,
    KeyListAdjustment,
    KeyListEntry,
    NominatedTrainee,
    Position,
    SelectionDecision,
    SelectionPolicy,
    SelectionRound,
    TrainingApplication,
    TrainingType,
    User,
    Willingness,
)
from .roles import Role
from .signals import cultivation_status_changed
from .types import TRAINING_BASE_SLUGS

# --------------------------------------------------------------------------------------------
# Lifecycle
# --------------------------------------------------------------------------------------------


def _refusal_message(action: str, current: str) -> str:
    label = CultivationStatus(current).label if current in CultivationStatus.values else current
    if current == CultivationStatus.TERMINATED:
        return _("Cultivation of this enterprise has been terminated; it cannot be changed any more.")
    messages = {
        "resume": _("Only a suspended cultivation can be resumed (current status: %(status)s)."),
        "suspend": _("Only an active cultivation can be suspended (current status: %(status)s)."),
    }
    return messages.get(action, _("This step is not possible from the current status (%(status)s).")) % {
        "status": label
    }


def _record_transition(
    enterprise: Enterprise,
    *,
    action: str,
    new_status: str,
    actor: User | None,
    reason: str = "",
    ground: str = "",
    evidence_reference: str = "",
    now: datetime,
) -> CultivationEvent:
    """Write the event and tell the other apps; the caller has saved the enterprise."""
    old_status = enterprise._old_status  # type: ignore[attr-defined]
    event = CultivationEvent.objects.create(
        enterprise=enterprise,
        action=action,
        from_status=old_status,
        to_status=new_status,
        ground=ground,
        reason=reason,
        evidence_reference=evidence_reference,
        actor=actor,
        occurred_at=now,
    )
    cultivation_status_changed.send(
        sender=Enterprise,
        enterprise_id=enterprise.id,
        old_status=old_status,
        new_status=new_status,
        actor_id=actor.id if actor else None,
        reason=reason,
    )
    return event


def enterprise_lock(enterprise_id: int) -> Enterprise:
    """The enterprise row, locked FOR UPDATE until the transaction ends, as every cultivation
    transition takes it. Callers that also lock training sessions take this first (lock order:
    docs/CONTRIBUTING.md, row locks). Raises Enterprise.DoesNotExist."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise_id)
    enterprise._old_status = enterprise.cultivation_status  # type: ignore[attr-defined]
    return enterprise


def cultivation_transition(
    *,
    enterprise_id: int,
    action: str,
    actor: User | None,
    reason: str = "",
    ground: str = "",
    evidence_reference: str = "",
    now: datetime | None = None,
) -> CultivationEvent:
    """Move an enterprise through the cultivation state machine (rules.TRANSITIONS), audited.

    Suspension needs a ground of seed 004 (being audited, simple/summary case, other) and frees
    bookings through the signal; resuming returns to the state before suspension; termination
    needs a ground and removes the enterprise's people from the key training lists."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        enterprise = enterprise_lock(enterprise_id)
        current = enterprise.cultivation_status
        if action == "suspend" and ground not in rules.SuspensionGround.values:
            raise ValidationError(_("Choose the ground for the suspension."), code="ground")
        if action == "terminate" and ground not in rules.TerminationGround.values:
            raise ValidationError(_("Choose the ground for the termination."), code="ground")
        if action in {"suspend", "resume", "terminate"} and not reason:
            raise ValidationError(_("Write the reason for this decision."), code="reason")
        try:
            new_status = rules.next_status(current, action, previous=enterprise.status_before_suspension)
        except rules.TransitionRefused:
            raise ValidationError(_refusal_message(action, current), code="transition") from None

        if action == "suspend":
            enterprise.status_before_suspension = current
            enterprise.suspension_ground = ground
            enterprise.suspended_at = now
        elif action in {"resume", "terminate"}:
            enterprise.status_before_suspension = ""
            enterprise.suspension_ground = ""
            enterprise.suspended_at = None
        enterprise.cultivation_status = new_status
        enterprise.save(
            update_fields=["cultivation_status", "status_before_suspension", "suspension_ground", "suspended_at"]
        )
        if action == "terminate":
            KeyListEntry.objects.filter(enterprise=enterprise, removed_at__isnull=True).update(
                removed_at=now, removal_reason=reason[:300]
            )
        return _record_transition(
            enterprise,
            action=action,
            new_status=new_status,
            actor=actor,
            reason=reason,
            ground=ground,
            evidence_reference=evidence_reference,
            now=now,
        )


def cultivation_suspend(
    *, enterprise_id: int, actor: User | None, ground: str, reason: str, evidence_reference: str = ""
) -> CultivationEvent:
    return cultivation_transition(
        enterprise_id=enterprise_id,
        action="suspend",
        actor=actor,
        ground=ground,
        reason=reason,
        evidence_reference=evidence_reference,
    )


def cultivation_resume(
    *, enterprise_id: int, actor: User | None, reason: str, evidence_reference: str = ""
) -> CultivationEvent:
    return cultivation_transition(
        enterprise_id=enterprise_id, action="resume", actor=actor, reason=reason, evidence_reference=evidence_reference
    )


def cultivation_terminate(
    *, enterprise_id: int, actor: User | None, ground: str, reason: str, evidence_reference: str = ""
) -> CultivationEvent:
    return cultivation_transition(
        enterprise_id=enterprise_id,
        action="terminate",
        actor=actor,
        ground=ground,
        reason=reason,
        evidence_reference=evidence_reference,
    )


def cultivation_certification_decide(
    *,
    enterprise_id: int,
    passed: bool,
    credit_level_code: str = "",
    decided_on: date,
    actor: User | None,
    reason: str = "",
    evidence_reference: str = "",
    now: datetime | None = None,
) -> CultivationEvent:
    """Record the result of the enterprise's AEO certification (issue 17, point 5), audited like
    every transition: passed → credit level advanced certified / certified, status `certified`;
    failed → back to `none` with the 1-year bar from `decided_on` (rules.certification_effect).

    Raises ValidationError (code "transition") unless the enterprise has applied for AEO
    certification, (code "credit_level") when a pass names no certified level."""
    now = now or timezone.now()
    try:
        effect = rules.certification_effect(passed=passed, credit_level_code=credit_level_code, decided_on=decided_on)
    except ValueError:
        raise ValidationError(
            _("Choose the credit level the enterprise was certified at."), code="credit_level"
        ) from None
    with transaction.atomic():
        enterprise = enterprise_lock(enterprise_id)
        try:
            new_status = rules.next_status(enterprise.cultivation_status, effect.action)
        except rules.TransitionRefused:
            raise ValidationError(
                _refusal_message(effect.action, enterprise.cultivation_status), code="transition"
            ) from None
        enterprise.cultivation_status = new_status
        fields = ["cultivation_status"]
        if effect.credit_level_code:
            enterprise.credit_level = CreditLevel.objects.get(code=effect.credit_level_code)
            fields.append("credit_level")
        if effect.bar_until:
            enterprise.application_bar_until = max(
                effect.bar_until, enterprise.application_bar_until or effect.bar_until
            )
            enterprise.application_bar_reason = _("Failed AEO certification on %(date)s") % {
                "date": decided_on.isoformat()
            }
            fields += ["application_bar_until", "application_bar_reason"]
        enterprise.save(update_fields=fields)
        return _record_transition(
            enterprise,
            action=effect.action,
            new_status=new_status,
            actor=actor,
            reason=(reason or "").strip(),
            evidence_reference=evidence_reference,
            now=now,
        )


def cultivation_apply_time_rules(*, now: datetime | None = None) -> list[int]:
    """Nightly: terminate cultivations suspended for an audit that has had no conclusion within
    the limit of the active policy (seed 004: 1-3 months; default 3). Returns the enterprise ids."""
    now = now or timezone.now()
    policy = SelectionPolicy.active()
    limit = policy.audit_conclusion_limit_months if policy else 3
    terminated = []
    candidates = Enterprise.objects.filter(
        cultivation_status=CultivationStatus.SUSPENDED,
        suspension_ground=rules.SuspensionGround.BEING_AUDITED,
        suspended_at__isnull=False,
    ).values_list("id", "suspended_at")
    for enterprise_id, suspended_at in candidates:
        if rules.audit_overdue(
            ground=rules.SuspensionGround.BEING_AUDITED, suspended_at=suspended_at, now=now, limit_months=limit
        ):
            cultivation_transition(
                enterprise_id=enterprise_id,
                action="terminate",
                actor=None,
                ground=rules.TerminationGround.NO_AUDIT_CONCLUSION,
                reason=_("No audit conclusion within %(months)d months of the suspension.") % {"months": limit},
                now=now,
            )
            terminated.append(enterprise_id)
    return terminated


def enterprise_set_key(*, enterprise_id: int, actor: User, is_key: bool, reason: str) -> Enterprise:
    """Seed 004, condition 1: an officer marks (or unmarks) a key enterprise, saying why."""
    reason = (reason or "").strip()
    if is_key and not reason:
        raise ValidationError(_("Say why this is a key enterprise."), code="reason")
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise_id)
        enterprise.is_key_enterprise = is_key
        enterprise.key_enterprise_reason = reason if is_key else ""
        enterprise.key_enterprise_set_by = actor
        enterprise.key_enterprise_set_at = timezone.now()
        enterprise.save(
            update_fields=[
                "is_key_enterprise",
                "key_enterprise_reason",
                "key_enterprise_set_by",
                "key_enterprise_set_at",
            ]
        )
        return enterprise


# --------------------------------------------------------------------------------------------
# Applications
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NomineeData:
    name: str
    position: str
    user_id: int | None = None
    email: str = ""


def _round_covers(round_: SelectionRound, unit: CustomsUnit) -> bool:
    """A round of a customs unit takes applications from enterprises of that unit and below."""
    node: CustomsUnit | None = unit
    while node is not None:
        if node.id == round_.customs_unit_id:
            return True
        node = node.parent
    return False


def open_rounds_for(enterprise: Enterprise) -> list[SelectionRound]:
    rounds = SelectionRound.objects.filter(status=SelectionRound.Status.OPEN).select_related("customs_unit")
    return [r for r in rounds if _round_covers(r, enterprise.customs_unit)]


def application_submit(
    *,
    enterprise_id: int,
    round_id: int,
    training_type: str,
    willingness: str,
    nominees: Sequence[NomineeData],
    actor: User | None,
    planned_aeo_application_date: date | None = None,
    willingness_evidence: str = "",
    preferred_bases: Sequence[str] = (),
) -> TrainingApplication:
    """Procedure step 01: an enterprise applies for training in an open round. Refused, with the
    reason and nothing written, when the enterprise is suspended, terminated, discredited or
    barred, or has already applied for this round and training type."""
    if training_type not in TrainingType.values:
        raise ValidationError(_("Choose a training type."), code="training_type")
    if willingness not in Willingness.values:
        raise ValidationError(_("Say how strongly the enterprise wants to become an AEO."), code="willingness")
    bases = list(preferred_bases)
    if any(b not in TRAINING_BASE_SLUGS for b in bases) or len(set(bases)) != len(bases):
        raise ValidationError(_("Rank each training base at most once (Suzhou, Shenzhen, Guangzhou)."), code="bases")
    people = [n for n in nominees if n.name.strip()]
    if not people:
        raise ValidationError(_("Nominate at least one person to train."), code="nominees")
    if any(n.position not in Position.values for n in people):
        raise ValidationError(_("Give the position of every nominated person."), code="position")

    with transaction.atomic():
        enterprise = enterprise_lock(enterprise_id)
        round_ = SelectionRound.objects.select_related("customs_unit").get(pk=round_id)
        if round_.status != SelectionRound.Status.OPEN:
            raise ValidationError(_("This round no longer takes applications."), code="round_closed")
        if not _round_covers(round_, enterprise.customs_unit):
            raise ValidationError(_("This round is for enterprises of another customs district."), code="district")
        if enterprise.cultivation_status == CultivationStatus.SUSPENDED:
            raise ValidationError(
                _("Cultivation of this enterprise is suspended: it can apply again once the suspension is lifted."),
                code="suspended",
            )
        if enterprise.cultivation_status == CultivationStatus.TERMINATED:
            raise ValidationError(
                _("Cultivation of this enterprise has been terminated: it cannot apply for training."),
                code="terminated",
            )
        level = enterprise.credit_level
        if level is not None and level.current.excludes_from_cultivation:
            raise ValidationError(
                _("Enterprises with the credit level “%(level)s” cannot apply for credit cultivation.")
                % {"level": level.current.name},
                code="discredited",
            )
        today = timezone.localdate()
        if enterprise.application_bar_until and enterprise.application_bar_until >= today:
            raise ValidationError(
                _("The enterprise is barred from applying until %(date)s.")
                % {"date": enterprise.application_bar_until.isoformat()},
                code="barred",
            )
        staff_ids = set(enterprise.staff.values_list("id", flat=True))
        if any(n.user_id is not None and n.user_id not in staff_ids for n in people):
            raise ValidationError(_("Only staff of the enterprise can be nominated by account."), code="nominee_user")
        if TrainingApplication.objects.filter(
            round=round_, enterprise=enterprise, training_type=training_type
        ).exists():
            raise ValidationError(
                _("The enterprise has already applied for this training type in this round."), code="duplicate"
            )
        try:
            with transaction.atomic():
                application = TrainingApplication.objects.create(
                    round=round_,
                    enterprise=enterprise,
                    training_type=training_type,
                    willingness=willingness,
                    planned_aeo_application_date=planned_aeo_application_date,
                    willingness_evidence=willingness_evidence.strip(),
                    preferred_bases=bases,
                    submitted_by=actor,
                )
        except IntegrityError:
            raise ValidationError(
                _("The enterprise has already applied for this training type in this round."), code="duplicate"
            ) from None
        NominatedTrainee.objects.bulk_create(
            NominatedTrainee(
                application=application,
                user_id=n.user_id,
                name=n.name.strip(),
                position=n.position,
                email=n.email.strip(),
                sort_order=i,
            )
            for i, n in enumerate(people)
        )
        new_status = rules.status_after_application(enterprise.cultivation_status)
        if new_status != enterprise.cultivation_status:
            enterprise.cultivation_status = new_status
            enterprise.save(update_fields=["cultivation_status"])
            _record_transition(
                enterprise,
                action="apply",
                new_status=new_status,
                actor=actor,
                reason=str(round_),
                now=application.submitted_at,
            )
        return application


# --------------------------------------------------------------------------------------------
# Selection rounds and the key training list
# --------------------------------------------------------------------------------------------


def round_close(*, round_id: int, actor: User) -> SelectionRound:
    """Stop taking applications so the officers can run the selection."""
    with transaction.atomic():
        round_ = SelectionRound.objects.select_for_update().get(pk=round_id)
        if round_.status != SelectionRound.Status.OPEN:
            raise ValidationError(_("Only an open round can be closed."), code="status")
        round_.status = SelectionRound.Status.CLOSED
        round_.save(update_fields=["status"])
        return round_


def key_list_adjust(*, round_id: int, application_id: int, action: str, reason: str, actor: User) -> KeyListAdjustment:
    """An officer puts an application on the list or takes it off by hand, with a written reason
    (audited). Eligibility cannot be overridden."""
    from .selectors import round_result

    reason = (reason or "").strip()
    if action not in KeyListAdjustment.Action.values:
        raise ValidationError(_("Choose what to do with this application."), code="action")
    if not reason:
        raise ValidationError(_("Write the reason for the adjustment: it is kept in the audit trail."), code="reason")
    with transaction.atomic():
        round_ = SelectionRound.objects.select_for_update().get(pk=round_id)
        if round_.is_published:
            raise ValidationError(
                _("The key training list is published and can no longer be adjusted."), code="published"
            )
        application = TrainingApplication.objects.get(pk=application_id, round=round_)
        if action == KeyListAdjustment.Action.INCLUDE:
            decision = round_result(round_).decision_for(application.id)
            if decision is not None and decision.outcome == rules.OUTCOME_INELIGIBLE:
                raise ValidationError(
                    _("This application is not eligible (%(reasons)s) and cannot be put on the list.")
                    % {"reasons": rules.describe_reasons(decision.reasons)},
                    code="ineligible",
                )
        return KeyListAdjustment.objects.create(
            round=round_, application=application, action=action, reason=reason, actor=actor
        )


def _reasons_json(reasons: Iterable[rules.Reason]) -> list:
    return [[r.code, r.params, r.met] for r in reasons]


def round_publish(
    *, round_id: int, actor: User | None, now: datetime | None = None, over_quota_confirmed: bool = False
) -> SelectionRound:
    """Procedure step 02: fix the key training list of a round. Writes one decision per
    application and one entry per listed person (bulk), moves listed enterprises to `listed` and
    the others that applied to `not_selected`, each transition audited and signalled. A base
    above its quota (manual inclusions) is published only with `over_quota_confirmed`, else
    ValidationError code "over_quota" naming each base and its figures (issue 8, point 5)."""
    from .selectors import round_base_loads, round_result

    now = now or timezone.now()
    with transaction.atomic():
        round_ = SelectionRound.objects.select_for_update(of=("self",)).select_related("policy").get(pk=round_id)
        if round_.is_published:
            raise ValidationError(_("This key training list has already been published."), code="published")
        if not round_.capacities.exists():
            raise ValidationError(_("Set the number of seats per training type and base first."), code="capacity")
        result = round_result(round_)
        over = [load for load in round_base_loads(round_, result) if load.over]
        if over and not over_quota_confirmed:
            raise ValidationError(over_quota_message(over), code="over_quota")
        version = round_.policy.version
        decisions = SelectionDecision.objects.bulk_create(
            SelectionDecision(
                round=round_,
                application_id=d.application_id,
                outcome=d.outcome,
                rank=d.rank,
                total=d.total,
                reasons=_reasons_json(d.reasons),
                policy_version=version,
                decided_at=now,
            )
            for d in result.decisions
        )
        decision_ids = {d.application_id: d.id for d in decisions}
        enterprise_of = {d.application_id: d.enterprise_id for d in result.decisions}
        KeyListEntry.objects.bulk_create(
            (
                KeyListEntry(
                    round=round_,
                    decision_id=decision_ids[p.application_id],
                    application_id=p.application_id,
                    nominee_id=p.nominee_id,
                    enterprise_id=enterprise_of[p.application_id],
                    training_type=p.training_type,
                    priority=p.priority,
                    base_slug=p.base_slug,
                    reasons=_reasons_json(p.reasons),
                )
                for p in result.persons
                if p.listed
            ),
            batch_size=2000,
        )
        listed = {d.enterprise_id for d in result.decisions if d.outcome == rules.OUTCOME_LISTED}
        others = {d.enterprise_id for d in result.decisions} - listed
        _bulk_transition(listed, action="select", actor=actor, reason=str(round_), now=now)
        _bulk_transition(others, action="not_select", actor=actor, reason=str(round_), now=now)
        round_.status = SelectionRound.Status.PUBLISHED
        round_.published_at = now
        round_.published_by = actor
        round_.save(update_fields=["status", "published_at", "published_by"])
        return round_


def over_quota_message(over: Iterable[rules.BaseLoad]) -> str:
    """ "Shenzhen (AEO compliance training): 6 people for 3 seats; ..." for the bases above quota."""
    parts = [
        _("%(base)s (%(type)s): %(listed)s people for %(seats)s seats")
        % {
            "base": rules.base_label(load.base_slug),
            "type": TrainingType(load.training_type).label,
            "listed": load.listed,
            "seats": load.seats,
        }
        for load in over
    ]
    return _("Bases above their quota because of manual inclusions: %(bases)s. Confirm to publish anyway.") % {
        "bases": "; ".join(parts)
    }


def _bulk_transition(enterprise_ids: set[int], *, action: str, actor: User | None, reason: str, now: datetime) -> None:
    """Apply one transition to many enterprises in a few queries; only those in a state the
    action may start from move (e.g. an enterprise already in training stays there)."""
    sources, target = rules.TRANSITIONS[action]
    ids = sorted(
        Enterprise.objects.select_for_update()
        .filter(id__in=sorted(enterprise_ids), cultivation_status__in=sources)
        .values_list("id", flat=True)
    )
    if not ids:
        return
    old = dict(Enterprise.objects.filter(id__in=ids).values_list("id", "cultivation_status"))
    Enterprise.objects.filter(id__in=ids).update(cultivation_status=target)
    CultivationEvent.objects.bulk_create(
        (
            CultivationEvent(
                enterprise_id=i,
                action=action,
                from_status=old[i],
                to_status=target,
                reason=reason,
                actor=actor,
                occurred_at=now,
            )
            for i in ids
        ),
        batch_size=2000,
    )
    for i in ids:
        cultivation_status_changed.send(
            sender=Enterprise,
            enterprise_id=i,
            old_status=old[i],
            new_status=target,
            actor_id=actor.id if actor else None,
            reason=reason,
        )


# --------------------------------------------------------------------------------------------
# Staff invitations
# --------------------------------------------------------------------------------------------

INVITATION_VALID_FOR = timedelta(days=14)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_send(
    *, enterprise_id: int, email: str, position: str, actor: User, accept_url: str
) -> tuple[EnterpriseInvitation, str]:
    """The enterprise's administrator invites a person by e-mail. `accept_url` has a `{token}`
    placeholder. Returns the invitation and the token (only its hash is stored)."""
    email = (email or "").strip().lower()
    if position not in Position.values:
        raise ValidationError(_("Choose the position of the person you invite."), code="position")
    enterprise = Enterprise.objects.get(pk=enterprise_id)
    if not (actor.enterprise_id == enterprise.id and actor.administers_enterprise):
        raise PermissionDenied(_("Only the enterprise's administrator can invite staff."))
    # Whether the address already has an account (or an enterprise) is not revealed here
    # (ACCOUNT_PREVENT_ENUMERATION): a member of another enterprise is refused when accepting.
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = EnterpriseInvitation.objects.create(
            enterprise=enterprise,
            email=email,
            position=position,
            token_hash=_token_hash(token),
            invited_by=actor,
            expires_at=timezone.now() + INVITATION_VALID_FOR,
        )
        link = accept_url.format(token=token)
        subject = _("Invitation to join %(enterprise)s on the AEO Cultivation LMS") % {"enterprise": enterprise.name}
        body = _(
            "%(person)s invites you to join %(enterprise)s as %(position)s.\n\n"
            "Sign up or log in with this e-mail address, then open:\n%(link)s\n\nThe link is valid for 14 days."
        ) % {"person": actor, "enterprise": enterprise.name, "position": Position(position).label, "link": link}
        transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email]))
    return invitation, token


def invitation_revoke(*, invitation_id: int, actor: User) -> EnterpriseInvitation:
    """The enterprise's administrator withdraws an invitation not yet accepted; its link stops
    working at once. Raises PermissionDenied for anyone else, ValidationError when it was used."""
    with transaction.atomic():
        invitation = EnterpriseInvitation.objects.select_for_update().get(pk=invitation_id)
        if not (actor.enterprise_id == invitation.enterprise_id and actor.administers_enterprise):
            raise PermissionDenied(_("Only the enterprise's administrator can revoke invitations."))
        if invitation.accepted_at is not None:
            raise ValidationError(_("This invitation has already been used."), code="used")
        if invitation.revoked_at is None:
            invitation.revoked_at = timezone.now()
            invitation.revoked_by = actor
            invitation.save(update_fields=["revoked_at", "revoked_by"])
    return invitation


def invitation_get(token: str) -> EnterpriseInvitation | None:
    return EnterpriseInvitation.objects.select_related("enterprise").filter(token_hash=_token_hash(token or "")).first()


def invitation_accept(*, token: str, user: User) -> Enterprise:
    """The invited person, logged in with the invited e-mail address, joins the enterprise."""
    with transaction.atomic():
        invitation = invitation_get(token)
        if invitation is None:
            raise ValidationError(_("This invitation link is not valid."), code="invalid")
        invitation = EnterpriseInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ValidationError(_("This invitation has already been used."), code="used")
        if invitation.revoked_at is not None:
            raise ValidationError(_("This invitation has been revoked: ask for a new one."), code="revoked")
        if invitation.expires_at < timezone.now():
            raise ValidationError(_("This invitation has expired: ask for a new one."), code="expired")
        if not secrets.compare_digest(user.email.lower(), invitation.email.lower()):
            raise ValidationError(
                _("This invitation was sent to %(email)s: log in with that address to accept it.")
                % {"email": invitation.email},
                code="email",
            )
        if user.enterprise_id is not None and user.enterprise_id != invitation.enterprise_id:
            raise ValidationError(_("You already belong to another enterprise."), code="member")
        user.enterprise = invitation.enterprise
        user.position = invitation.position
        user.save(update_fields=["enterprise", "position"])
        user.groups.add(Group.objects.get_or_create(name=Role.ENTERPRISE_STAFF.value)[0])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        # Nominated by name and e-mail before the person had an account: the nomination (and a
        # key-list place) is now theirs, so the next allocation run can give them a seat.
        NominatedTrainee.objects.filter(
            application__enterprise=invitation.enterprise, user__isnull=True, email__iexact=user.email
        ).update(user=user)
        return invitation.enterprise


def user_language_set(*, user, language: str) -> str:
    """Record the language a person uses (at sign-up, on switching, in their notice preferences):
    every notice is sent in it. Anonymous visitors have nothing to record. Returns the supported
    code ("zh-hans" or "en"); LookupError if the site does not speak it."""
    code = get_supported_language_variant(language)
    if user.is_authenticated and user.language != code:
        user.language = code
        if user.pk:
            User.objects.filter(pk=user.pk).update(language=code)
    return code


def consent_record(*, user, purpose: str, notice_version: str | None = None):
    """Record the person's explicit consent for `purpose` (a `Consent.Purpose`) under the current
    privacy notice (`LMS_PRIVACY_NOTICE_VERSION` unless given). Idempotent per user, purpose and
    version: returns the existing consent when it is still in force."""
    from .models import Consent

    version = notice_version or settings.LMS_PRIVACY_NOTICE_VERSION
    existing = Consent.objects.filter(
        user=user, purpose=purpose, notice_version=version, withdrawn_at__isnull=True
    ).first()
    return existing or Consent.objects.create(user=user, purpose=purpose, notice_version=version)


def consent_withdraw(*, user, purpose: str) -> int:
    """Withdraw every consent of the person for `purpose`; returns how many were in force."""
    from .models import Consent

    return Consent.objects.filter(user=user, purpose=purpose, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )


def consent_in_force(*, user, purpose: str) -> bool:
    """True when the person consented to `purpose` under the current notice and has not withdrawn."""
    from .models import Consent

    return Consent.objects.filter(
        user=user,
        purpose=purpose,
        notice_version=settings.LMS_PRIVACY_NOTICE_VERSION,
        withdrawn_at__isnull=True,
    ).exists()
