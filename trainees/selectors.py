"""Read queries shaped for pages, exports and the apps built on `trainees` (query count constant
in the number of rows)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypedDict
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Func, IntegerField, Min, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from lms.links import id_url
from lms.translation import choice_labels, translated_reader

from . import rules
from .access import enterprises_visible_to
from .models import (
    CultivationEvent,
    CultivationStatus,
    Enterprise,
    KeyListAdjustment,
    KeyListEntry,
    NominatedTrainee,
    Outcome,
    SelectionPolicy,
    SelectionRound,
    TrainingApplication,
    TrainingType,
    Willingness,
)
from .templatetags.trainees_tags import base_labels, outcome_badge, status_badge
from .types import ListedTrainee

SHANGHAI = ZoneInfo("Asia/Shanghai")


def latest_published_round_id(*, training_type: str, rounds: QuerySet | None = None) -> int | None:
    """The latest published round with a key list of this type, among `rounds` (default: all)."""
    return (
        (SelectionRound.objects.all() if rounds is None else rounds)
        .filter(status=SelectionRound.Status.PUBLISHED, entries__training_type=training_type)
        .order_by("-published_at", "-id")
        .values_list("id", flat=True)
        .first()
    )


def listed_entries(*, user_id: int, training_type) -> QuerySet:
    """The person's own live entries on published key lists of `training_type` (a value or an
    OuterRef), the latest published first: indexed by nominee.user -> entry. An entry is written
    only when its list is published (`services.round_publish` writes the entries, the round's
    status and its publication time in one transaction, and a published round stays published),
    so an entry is on a published list and a higher id is a later publication: no read of the
    round (one table less for a booking on a new connection)."""
    return KeyListEntry.objects.filter(
        nominee__user_id=user_id,
        training_type=training_type,
        removed_at__isnull=True,
    ).order_by("-id")


def listed_priority_subquery(*, user_id: int, training_type) -> Subquery:
    """The person's own rank on a published key training list of `training_type`, as a subquery
    to be read in the same statement as other facts: their entry on the latest published round
    that lists them (not the country's latest round); NULL when they are not listed (or were
    removed). One indexed lookup, whatever the list's size. Source: DOMAIN.md, key training list
    priority."""
    return Subquery(listed_entries(user_id=user_id, training_type=training_type).values("priority")[:1])


def key_list_trainees(*, training_type: str, round_id: int | None = None) -> list[ListedTrainee]:
    """The people on a published key training list in priority order (latest published round of
    this training type when `round_id` is None). People removed from the list (terminated
    cultivation) are left out."""
    if round_id is None:
        round_id = latest_published_round_id(training_type=training_type)
        if round_id is None:
            return []
    rows = (
        KeyListEntry.objects.filter(
            round_id=round_id,
            round__status=SelectionRound.Status.PUBLISHED,
            training_type=training_type,
            removed_at__isnull=True,
        )
        .order_by("priority")
        .values_list(
            "id",
            "priority",
            "enterprise_id",
            "application_id",
            "application__preferred_bases",
            "nominee__user_id",
            "nominee__name",
            "nominee__position",
            "base_slug",
        )
    )
    return [
        ListedTrainee(
            user_id=user_id,
            person_name=name,
            enterprise_id=enterprise_id,
            position=position,
            training_type=training_type,
            priority=priority,
            base_preferences=tuple(bases or ()),
            application_id=application_id,
            entry_id=entry_id,
            base_slug=base_slug,
        )
        for entry_id, priority, enterprise_id, application_id, bases, user_id, name, position, base_slug in rows
    ]


# --------------------------------------------------------------------------------------------
# Inputs of the ranking rules
# --------------------------------------------------------------------------------------------


def policy_input(policy: SelectionPolicy) -> rules.PolicyIn:
    return rules.PolicyIn(
        version=policy.version,
        ordering_mode=policy.ordering_mode,
        weight_key_enterprise=policy.weight_key_enterprise,
        weight_willingness=policy.weight_willingness,
        weight_credit_score=policy.weight_credit_score,
        high_score_threshold=policy.high_score_threshold,
        willingness_plan_within_months=policy.willingness_plan_within_months,
        seats_per_enterprise=policy.seats_per_enterprise,
        exclude_discredited=policy.exclude_discredited,
        exclude_barred=policy.exclude_barred,
        exclude_blocked=policy.exclude_blocked,
    )


def round_application_inputs(round_: SelectionRound) -> list[rules.ApplicationIn]:
    """The round's applications with their enterprise's data, in two queries."""
    nominees: dict[int, list[rules.NomineeIn]] = defaultdict(list)
    for nominee_id, application_id, position in (
        NominatedTrainee.objects.filter(application__round=round_)
        .order_by("application_id", "sort_order", "id")
        .values_list("id", "application_id", "position")
    ):
        nominees[application_id].append(rules.NomineeIn(nominee_id, position))
    rows = TrainingApplication.objects.filter(round=round_).values_list(
        "id",
        "enterprise_id",
        "training_type",
        "submitted_at",
        "preferred_bases",
        "willingness",
        "planned_aeo_application_date",
        "enterprise__is_key_enterprise",
        "enterprise__credit_score",
        "enterprise__credit_level__code",
        "enterprise__credit_level__excludes_from_cultivation",
        "enterprise__credit_level__maps_to__excludes_from_cultivation",
        "enterprise__application_bar_until",
        "enterprise__cultivation_status",
        "enterprise__customs_code",
    )
    return [
        rules.ApplicationIn(
            id=app_id,
            enterprise_id=enterprise_id,
            training_type=training_type,
            submitted_at=submitted_at,
            nominees=tuple(nominees.get(app_id, ())),
            preferred_bases=tuple(bases or ()),
            willingness=willingness,
            planned_aeo_application_date=planned,
            is_key_enterprise=is_key,
            credit_score=score,
            credit_level=level or "",
            credit_level_excluded=bool(excluded or mapped_excluded),
            bar_until=bar_until,
            cultivation_status=status,
            registered_with_customs=bool(customs_code),
        )
        for (
            app_id,
            enterprise_id,
            training_type,
            submitted_at,
            bases,
            willingness,
            planned,
            is_key,
            score,
            level,
            excluded,
            mapped_excluded,
            bar_until,
            status,
            customs_code,
        ) in rows
    ]


def round_overrides(round_: SelectionRound) -> dict[int, tuple[str, str]]:
    """The latest manual adjustment of each application ("clear" returns it to the rules)."""
    latest: dict[int, tuple[str, str]] = {}
    for application_id, action, reason in (
        KeyListAdjustment.objects.filter(round=round_)
        .order_by("created_at", "id")
        .values_list("application_id", "action", "reason")
    ):
        latest[application_id] = (action, reason)
    return {k: v for k, v in latest.items() if v[0] != KeyListAdjustment.Action.CLEAR}


def round_capacities(round_: SelectionRound) -> dict[tuple[str, str], int]:
    return {(c.training_type, c.base_slug): c.seats for c in round_.capacities.all()}


def round_result(round_: SelectionRound) -> rules.SelectionResult:
    """Run the rules on the round as it stands. Eligibility and the willingness horizon are judged
    at the close of applications, so the result does not depend on the day it is computed."""
    return rules.rank_applications(
        round_application_inputs(round_),
        policy=policy_input(round_.policy),
        capacities=round_capacities(round_),
        today=round_.applications_close_on,
        overrides=round_overrides(round_),
    )


def round_base_loads(round_: SelectionRound, result: rules.SelectionResult | None = None) -> tuple:
    """Per training type and base: people on the list (published entries, or the list as it would
    be published) against the round's seats (`rules.base_loads`)."""
    if round_.is_published:
        listed = KeyListEntry.objects.filter(round=round_, removed_at__isnull=True).values_list(
            "training_type", "base_slug"
        )
    else:
        result = result or round_result(round_)
        listed = ((p.training_type, p.base_slug) for p in result.persons if p.listed)
    return rules.base_loads(listed, round_capacities(round_))


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------


@dataclass
class PreviewRow:
    application: TrainingApplication
    outcome: str
    rank: int | None
    total: int
    reasons: tuple
    listed: list  # (nominee, PersonDecision)
    not_listed: list
    adjustment: tuple[str, str] | None


def round_preview(round_: SelectionRound, *, training_type: str, user) -> list[PreviewRow]:
    """The key training list as it would be published (or as published), with reasons, for the
    applications the officer may see."""
    visible = enterprises_visible_to(user).values("id")
    applications = {
        a.id: a
        for a in TrainingApplication.objects.filter(round=round_, training_type=training_type, enterprise__in=visible)
        .select_related("enterprise", "enterprise__customs_unit", "enterprise__credit_level")
        .prefetch_related(Prefetch("nominees", queryset=NominatedTrainee.objects.order_by("sort_order", "id")))
    }
    overrides = round_overrides(round_)
    rows = []
    if round_.is_published:
        decisions = round_.decisions.filter(application_id__in=applications).order_by("rank", "id")
        entries = defaultdict(dict)
        for e in KeyListEntry.objects.filter(round=round_, application_id__in=applications):
            entries[e.application_id][e.nominee_id] = e
        for d in decisions:
            app = applications[d.application_id]
            people = list(app.nominees.all())
            rows.append(
                PreviewRow(
                    application=app,
                    outcome=d.outcome,
                    rank=d.rank,
                    total=d.total,
                    reasons=tuple(tuple(r) for r in d.reasons),
                    listed=[(n, entries[app.id][n.id]) for n in people if n.id in entries[app.id]],
                    not_listed=[n for n in people if n.id not in entries[app.id]],
                    adjustment=overrides.get(app.id),
                )
            )
        return _sorted_rows(rows)
    result = round_result(round_)
    persons = defaultdict(dict)
    for p in result.persons:
        persons[p.application_id][p.nominee_id] = p
    for d in result.decisions:
        if d.training_type != training_type or d.application_id not in applications:
            continue
        app = applications[d.application_id]
        people = list(app.nominees.all())
        mine = persons[app.id]
        rows.append(
            PreviewRow(
                application=app,
                outcome=d.outcome,
                rank=d.rank,
                total=d.total,
                reasons=d.reasons,
                listed=[(n, mine[n.id]) for n in people if n.id in mine and mine[n.id].listed],
                not_listed=[n for n in people if not (n.id in mine and mine[n.id].listed)],
                adjustment=overrides.get(app.id),
            )
        )
    return _sorted_rows(rows)


def _sorted_rows(rows: list[PreviewRow]) -> list[PreviewRow]:
    order = {rules.OUTCOME_LISTED: 0, rules.OUTCOME_NOT_SELECTED: 1, rules.OUTCOME_EXCLUDED: 2}
    return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, order.get(r.outcome, 3), r.application.id))


def _nominee_count() -> Subquery:
    return Subquery(
        NominatedTrainee.objects.filter(application=OuterRef("pk"))
        .order_by()
        .annotate(count=Func(F("id"), function="COUNT"))
        .values("count"),
        output_field=IntegerField(),
    )


def application_list(*, user, round_id: int | None = None) -> QuerySet[TrainingApplication]:
    """Applications of the enterprises the officer may see, newest round first."""
    qs = (
        TrainingApplication.objects.filter(enterprise__in=enterprises_visible_to(user).values("id"))
        .select_related("enterprise", "enterprise__customs_unit", "round", "decision")
        # A correlated count, not a GROUP BY over the joins: PostgreSQL plans it in a fraction
        # of the time, and planning was most of this query's cost.
        .annotate(nominee_count=_nominee_count())
        .order_by("-round__applications_close_on", "round_id", "submitted_at", "id")
    )
    if round_id is not None:
        qs = qs.filter(round_id=round_id)
    return qs


class ApplicationRow(TypedDict):
    """One row of the officers' application list, every value ready to show (active language,
    current time zone)."""

    id: int
    submitted: str  # "Y-m-d H:i"
    enterprise: str
    enterprise_url: str
    customs_unit: str
    round: str
    training_type: str
    willingness: str
    planned: str  # "Y-m-d", "" when not given
    nominees: int
    bases: str
    outcome: str  # "" while the round is not published or nothing was decided
    outcome_badge: str


_APPLICATION_ROW_FIELDS = (
    "id",
    "submitted_at",
    "enterprise_id",
    "enterprise__name_zh",
    "enterprise__name_en",
    "enterprise__customs_unit__name_zh",
    "enterprise__customs_unit__name_en",
    "round__name",
    "round__status",
    "training_type",
    "willingness",
    "planned_aeo_application_date",
    "preferred_bases",
    "decision__outcome",
    "nominee_count",
)


def application_list_page(*, user, round_id: int | None, page_number, per_page: int) -> Page:
    """One page of `application_list` for the officers' list, its rows as `ApplicationRow`s: read
    with `values()` (no model instances) and labelled with choice labels, a link prefix and a
    time zone looked up once for the page, not once per row (2 queries)."""
    # Counted on the bare list (no joins to count through), then the page's rows read as values.
    page = Paginator(application_list(user=user, round_id=round_id), per_page).get_page(page_number)
    name = translated_reader()
    types = choice_labels(TrainingType.choices)
    willingness = choice_labels(Willingness.choices)
    outcomes = choice_labels(Outcome.choices)
    enterprise_url = id_url("trainees:enterprise_detail")
    zone = timezone.get_current_timezone()
    published = SelectionRound.Status.PUBLISHED
    bases: dict[tuple[str, ...], str] = {}
    rows: list[ApplicationRow] = []
    for a in page.object_list.values(*_APPLICATION_ROW_FIELDS):
        preferred = tuple(a["preferred_bases"] or ())
        if preferred not in bases:
            bases[preferred] = base_labels(preferred)
        outcome = a["decision__outcome"] if a["round__status"] == published else None
        planned = a["planned_aeo_application_date"]
        rows.append(
            {
                "id": a["id"],
                "submitted": a["submitted_at"].astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                "enterprise": name(a["enterprise__name_zh"], a["enterprise__name_en"]),
                "enterprise_url": enterprise_url(a["enterprise_id"]),
                "customs_unit": name(a["enterprise__customs_unit__name_zh"], a["enterprise__customs_unit__name_en"]),
                "round": a["round__name"],
                "training_type": types.get(a["training_type"], a["training_type"]),
                "willingness": willingness.get(a["willingness"], a["willingness"]),
                "planned": planned.isoformat() if planned else "",
                "nominees": a["nominee_count"],
                "bases": bases[preferred],
                "outcome": "" if outcome is None else outcomes.get(outcome, outcome),
                "outcome_badge": "" if outcome is None else outcome_badge(outcome),
            }
        )
    page.object_list = rows
    return page


def enterprise_list(*, user, status: str = "", query: str = "") -> QuerySet[Enterprise]:
    qs = enterprises_visible_to(user).select_related("customs_unit", "credit_level").order_by("name_zh", "id")
    if status:
        qs = qs.filter(cultivation_status=status)
    if query:
        qs = (
            qs.filter(name_zh__icontains=query)
            | qs.filter(name_en__icontains=query)
            | qs.filter(credit_code=query)  # the field normalises the typed code
        )
    return qs


class EnterpriseRow(TypedDict):
    """One row of the officers' enterprise list, every value ready to show (active language)."""

    id: int
    url: str
    name: str
    is_key: bool
    credit_code: str
    customs_unit: str
    credit_level: str  # "—" when none
    credit_score: int | str  # "—" when none
    status: str
    status_label: str
    status_badge: str


_ENTERPRISE_ROW_FIELDS = (
    "id",
    "name_zh",
    "name_en",
    "is_key_enterprise",
    "credit_code",
    "customs_unit__name_zh",
    "customs_unit__name_en",
    "credit_level__name_zh",
    "credit_level__name_en",
    "credit_score",
    "cultivation_status",
)


def enterprise_list_page(*, user, status: str = "", query: str = "", page_number, per_page: int) -> Page:
    """One page of `enterprise_list` for the officers' list, its rows as `EnterpriseRow`s: read
    with `values()` and labelled once for the page, not once per row (2 queries)."""
    page = Paginator(enterprise_list(user=user, status=status, query=query), per_page).get_page(page_number)
    name = translated_reader()
    statuses = choice_labels(CultivationStatus.choices)
    url = id_url("trainees:enterprise_detail")
    rows: list[EnterpriseRow] = []
    for e in page.object_list.values(*_ENTERPRISE_ROW_FIELDS):
        level = e["credit_level__name_zh"]
        score = e["credit_score"]
        cultivation = e["cultivation_status"]
        rows.append(
            {
                "id": e["id"],
                "url": url(e["id"]),
                "name": name(e["name_zh"], e["name_en"]),
                "is_key": e["is_key_enterprise"],
                "credit_code": e["credit_code"],
                "customs_unit": name(e["customs_unit__name_zh"], e["customs_unit__name_en"]),
                "credit_level": "—" if level is None else name(level, e["credit_level__name_en"]),
                "credit_score": "—" if score is None else score,
                "status": cultivation,
                "status_label": statuses.get(cultivation, cultivation),
                "status_badge": status_badge(cultivation),
            }
        )
    page.object_list = rows
    return page


def enterprise_applications(enterprise: Enterprise) -> QuerySet[TrainingApplication]:
    """An enterprise's own applications with their published outcome and listed people."""
    return (
        TrainingApplication.objects.filter(enterprise=enterprise)
        .select_related("round", "decision")
        .prefetch_related(
            Prefetch("nominees", queryset=NominatedTrainee.objects.order_by("sort_order", "id").select_related("entry"))
        )
        .order_by("-submitted_at", "-id")
    )


def key_list_rows(round_: SelectionRound, *, training_type: str, user) -> QuerySet[KeyListEntry]:
    """Published entries of a round for the export and the API."""
    return (
        KeyListEntry.objects.filter(
            round=round_, training_type=training_type, enterprise__in=enterprises_visible_to(user).values("id")
        )
        .select_related("enterprise", "enterprise__customs_unit", "nominee", "application", "decision")
        .order_by("priority")
    )


def personal_data(*, user_id: int) -> dict[str, list[dict]]:
    """What this app holds about one person: profile, consents, nominations for training and
    the applications they submitted (4 queries)."""
    from .models import Consent, NominatedTrainee, TrainingApplication, User

    return {
        "profile": list(
            User.objects.filter(pk=user_id).values(
                "email",
                "first_name",
                "last_name",
                "phone",
                "phone_verified",
                "enterprise__name_zh",
                "position",
                "is_enterprise_admin",
                "customs_unit__name_zh",
                "language",
                "date_joined",
                "last_login",
            )
        ),
        "consents": list(
            Consent.objects.filter(user_id=user_id).values("purpose", "notice_version", "given_at", "withdrawn_at")
        ),
        "nominations": list(
            NominatedTrainee.objects.filter(user_id=user_id)
            .order_by("pk")
            .values("application__round__name", "application__training_type", "name", "position", "email")
        ),
        "applications_submitted": list(
            TrainingApplication.objects.filter(submitted_by_id=user_id)
            .order_by("submitted_at", "pk")
            .values("round__name", "enterprise__name_zh", "training_type", "willingness", "submitted_at")
        ),
    }


# --------------------------------------------------------------------------------------------
# Appraisal (issue 17, point 6): figures other apps read about districts
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CultivationFunnel:
    """The cultivation funnel of a set of customs units over a period.

    `stages`: rules.FunnelStage per stage (applied → … → certified) for the whole set;
    `groups`: the same per group key when the caller passed `group_of`;
    `now_at`: enterprises of the units by their *current* cultivation status (what the
    enterprise list shows with its status filter), independent of the period;
    `cohort`: enterprises that applied in the period."""

    stages: tuple[rules.FunnelStage, ...]
    groups: dict
    now_at: dict[str, int]
    cohort: int


def cultivation_funnel(
    *,
    district_ids: Sequence[int],
    start: datetime,
    end: datetime,
    training_type: str = "",
    group_of: Mapping[int, object] | None = None,
) -> CultivationFunnel:
    """The funnel of the enterprises of customs units `district_ids` whose first training
    application in [start, end) (aware datetimes; of `training_type` when given) opens their
    path; later stages come from the lifecycle audit (`CultivationEvent`, the first entry into
    each stage from `start` on, up to now). Moments are read as Beijing calendar days: days
    between stages are whole days, and a date is far cheaper to read than a timestamp when the
    funnel covers the whole country. `group_of` maps a customs unit id to a group key
    (e.g. its regional customs) to get one funnel per group as well.

    Three queries whatever the number of enterprises and events."""
    district_ids = list(district_ids)
    applications = TrainingApplication.objects.filter(
        enterprise__customs_unit_id__in=district_ids, submitted_at__gte=start, submitted_at__lt=end
    )
    if training_type:
        applications = applications.filter(training_type=training_type)
    paths: dict[int, dict[str, date]] = {}
    unit_of: dict[int, int] = {}
    for enterprise_id, unit_id, first in (
        applications.values("enterprise_id", "enterprise__customs_unit_id")
        .annotate(first=Min(TruncDate("submitted_at", tzinfo=SHANGHAI)))
        .values_list("enterprise_id", "enterprise__customs_unit_id", "first")
    ):
        paths[enterprise_id] = {rules.APPLIED: first}
        unit_of[enterprise_id] = unit_id
    events = (
        CultivationEvent.objects.filter(
            enterprise__customs_unit_id__in=district_ids,
            occurred_at__gte=start,
            to_status__in=rules.FUNNEL_STAGES[1:],
        )
        .values("enterprise_id", "to_status")
        .annotate(first=Min(TruncDate("occurred_at", tzinfo=SHANGHAI)))
        .values_list("enterprise_id", "to_status", "first")
    )
    for enterprise_id, stage, first in events:
        path = paths.get(enterprise_id)  # enterprises outside the cohort are read and skipped
        if path is not None:
            path[stage] = first
    groups: dict = {}
    if group_of is not None:
        grouped: dict = defaultdict(list)
        for enterprise_id, path in paths.items():
            key = group_of.get(unit_of[enterprise_id])
            if key is not None:
                grouped[key].append(path)
        groups = {key: rules.funnel(members) for key, members in grouped.items()}
    now_at = dict(
        Enterprise.objects.filter(customs_unit_id__in=district_ids)
        .values("cultivation_status")
        .annotate(n=Count("id"))
        .values_list("cultivation_status", "n")
    )
    return CultivationFunnel(stages=rules.funnel(paths.values()), groups=groups, now_at=now_at, cohort=len(paths))
