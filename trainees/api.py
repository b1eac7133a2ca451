"""JSON endpoints: an enterprise's own outcome, and the officers' lists. Errors come back as
4xx with a JSON body (`detail`), never a 500."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from . import rules, selectors, services
from .access import enterprises_visible_to, is_customs_officer, rounds_visible_to
from .models import Enterprise, SelectionRound, TrainingType

router = Router()
MAX_OFFSET = 10**9  # far past any list; larger offsets overflow the database's bigint


class ErrorOut(Schema):
    detail: str | list[str]


class ReasonOut(Schema):
    code: str
    met: bool | None
    text: str


class PersonOut(Schema):
    name: str
    position: str
    priority: int | None
    base: str | None


class OutcomeOut(Schema):
    application_id: int
    round: str
    training_type: str
    submitted_at: datetime
    published: bool
    outcome: str | None
    rank: int | None
    total: int | None
    reasons: list[ReasonOut]
    people: list[PersonOut]


class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    customs_code: str
    customs_unit: str
    is_sme: bool
    credit_level: str | None
    credit_score: int | None
    credit_score_date: date | None
    is_key_enterprise: bool
    cultivation_status: str
    cultivation_blocked: bool


class ApplicationOut(Schema):
    id: int
    enterprise_id: int
    enterprise: str
    round_id: int
    training_type: str
    willingness: str
    planned_aeo_application_date: date | None
    preferred_bases: list[str]
    nominees: int
    submitted_at: datetime
    outcome: str | None


class KeyListEntryOut(Schema):
    entry_id: int
    priority: int
    person_name: str
    position: str
    enterprise_id: int
    enterprise: str
    base: str
    application_rank: int | None
    reasons: list[ReasonOut]


class TransitionIn(Schema):
    # Lengths as the lifecycle event model stores them (422 above them, never a database error).
    action: str = Field(max_length=30)
    ground: str = Field("", max_length=30)
    reason: str = Field("", max_length=5000)
    evidence_reference: str = Field("", max_length=200)


class TransitionOut(Schema):
    enterprise_id: int
    from_status: str
    to_status: str


def _reasons(raw) -> list[ReasonOut]:
    return [ReasonOut(code=r[0], met=r[2], text=rules.describe_reason(*r)) for r in raw or ()]


def _enterprise_out(e: Enterprise) -> EnterpriseOut:
    return EnterpriseOut(
        id=e.id,
        name=e.name,
        credit_code=e.credit_code,
        customs_code=e.customs_code,
        customs_unit=e.customs_unit.code,
        is_sme=e.is_sme,
        credit_level=e.credit_level.code if e.credit_level else None,
        credit_score=e.credit_score,
        credit_score_date=e.credit_score_date,
        is_key_enterprise=e.is_key_enterprise,
        cultivation_status=e.cultivation_status,
        cultivation_blocked=e.cultivation_blocked,
    )


def _require_officer(request) -> None:
    if not is_customs_officer(request.user):
        raise PermissionDenied("This endpoint is for customs officers.")


@router.get("/me/outcomes", response={200: list[OutcomeOut], 403: ErrorOut})
def my_outcomes(request):
    """The applications of the caller's enterprise with their published outcome and reasons."""
    if request.user.enterprise_id is None:
        raise PermissionDenied("This endpoint is for enterprise staff.")
    enterprise = Enterprise.objects.get(pk=request.user.enterprise_id)
    out = []
    for a in selectors.enterprise_applications(enterprise):
        decision = getattr(a, "decision", None) if a.round.is_published else None
        people = []
        for n in a.nominees.all():
            entry = getattr(n, "entry", None) if decision else None
            people.append(
                PersonOut(
                    name=n.name,
                    position=n.position,
                    priority=entry.priority if entry else None,
                    base=entry.base_slug if entry else None,
                )
            )
        out.append(
            OutcomeOut(
                application_id=a.id,
                round=a.round.name,
                training_type=a.training_type,
                submitted_at=a.submitted_at,
                published=decision is not None,
                outcome=decision.outcome if decision else None,
                rank=decision.rank if decision else None,
                total=decision.total if decision else None,
                reasons=_reasons(decision.reasons) if decision else [],
                people=people,
            )
        )
    return out


MAX_ID = 2**63  # PostgreSQL bigint: larger numbers match no row (and must not reach SQL)


def _page(limit: int, offset: int) -> tuple[int, int]:
    """Limit 1-500 and an offset PostgreSQL accepts."""
    return max(1, min(limit, 500)), max(0, min(offset, MAX_ID - 1000))


@router.get("/enterprises", response={200: list[EnterpriseOut], 403: ErrorOut})
def enterprise_list(
    request, status: str = "", q: str = "", limit: int = 100, offset: int = Query(0, ge=0, le=MAX_OFFSET)
):
    _require_officer(request)
    limit, offset = _page(limit, offset)
    rows = selectors.enterprise_list(user=request.user, status=status, query=q)[offset : offset + limit]
    return [_enterprise_out(e) for e in rows]


@router.get("/enterprises/{enterprise_id}", response={200: EnterpriseOut, 404: ErrorOut})
def enterprise_get(request, enterprise_id: int):
    """Officers of the district and the enterprise's own staff; 404 for everybody else."""
    enterprise = get_object_or_404(
        enterprises_visible_to(request.user).select_related("customs_unit", "credit_level"), pk=enterprise_id
    )
    return _enterprise_out(enterprise)


@router.post(
    "/enterprises/{enterprise_id}/transitions",
    response={200: TransitionOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def enterprise_transition(request, enterprise_id: int, payload: TransitionIn):
    """A lifecycle step (suspend, resume, terminate, start_training, complete, apply_for_aeo)."""
    _require_officer(request)
    enterprise = get_object_or_404(enterprises_visible_to(request.user), pk=enterprise_id)
    if payload.action not in rules.OFFICER_ACTIONS:
        raise HttpError(
            400, gettext("Unknown action: choose one of %(actions)s.") % {"actions": ", ".join(rules.OFFICER_ACTIONS)}
        )
    event = services.cultivation_transition(
        enterprise_id=enterprise.id,
        action=payload.action,
        ground=payload.ground,
        reason=payload.reason,
        evidence_reference=payload.evidence_reference,
        actor=request.user,
    )
    return TransitionOut(enterprise_id=enterprise.id, from_status=event.from_status, to_status=event.to_status)


@router.get("/applications", response={200: list[ApplicationOut], 403: ErrorOut})
def application_list(
    request,
    round_id: int | None = Query(None, ge=1, le=2**63 - 1),
    limit: int = 100,
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    _require_officer(request)
    limit, offset = _page(limit, offset)
    if round_id is not None and not 0 < round_id < MAX_ID:
        return []
    rows = selectors.application_list(user=request.user, round_id=round_id)[offset : offset + limit]
    return [
        ApplicationOut(
            id=a.id,
            enterprise_id=a.enterprise_id,
            enterprise=a.enterprise.name,
            round_id=a.round_id,
            training_type=a.training_type,
            willingness=a.willingness,
            planned_aeo_application_date=a.planned_aeo_application_date,
            preferred_bases=list(a.preferred_bases or []),
            nominees=a.nominee_count,
            submitted_at=a.submitted_at,
            outcome=a.decision.outcome if a.round.is_published and hasattr(a, "decision") else None,
        )
        for a in rows
    ]


class KeyListQuery(Schema):
    training_type: str = TrainingType.COMPLIANCE


@router.get(
    "/rounds/{round_id}/key-list", response={200: list[KeyListEntryOut], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
)
def round_key_list(request, round_id: int, query: Query[KeyListQuery]):
    """The published key training list of a round (404 until it is published)."""
    _require_officer(request)
    if query.training_type not in TrainingType.values:
        raise HttpError(400, "training_type must be compliance or aeo_certification.")
    round_ = get_object_or_404(rounds_visible_to(request.user), pk=round_id)
    if round_.status != SelectionRound.Status.PUBLISHED:
        raise Http404
    return [
        KeyListEntryOut(
            entry_id=e.id,
            priority=e.priority,
            person_name=e.nominee.name,
            position=e.nominee.position,
            enterprise_id=e.enterprise_id,
            enterprise=e.enterprise.name,
            base=e.base_slug,
            application_rank=e.decision.rank,
            reasons=_reasons(e.decision.reasons),
        )
        for e in selectors.key_list_rows(round_, training_type=query.training_type, user=request.user)
        if e.removed_at is None
    ]
