"""The customs rules of credit cultivation as pure functions: eligibility and priority ranking of
training applications, and the cultivation lifecycle state machine.

No ORM, no I/O, no clock: callers pass plain values and `today`/`now`. Same inputs and the same
policy version give the same result, every time.

Sources: seed 004 (priority selection, procedures, suspension and termination) as modelled in
DOMAIN.md ("Priority ranking", "Lifecycle as a state machine")."""

from __future__ import annotations

import calendar
import gc
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import attrgetter, itemgetter
from typing import NamedTuple

from django.db.models import TextChoices
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .types import TRAINING_BASE_SLUGS, ListedTrainee

__all__ = [
    "FUNNEL_STAGES",
    "ApplicationDecision",
    "ApplicationIn",
    "FunnelStage",
    "ListedTrainee",
    "NomineeIn",
    "PersonDecision",
    "PolicyIn",
    "Reason",
    "SelectionResult",
    "TransitionRefused",
    "add_months",
    "audit_overdue",
    "certification_effect",
    "describe_reason",
    "funnel",
    "next_status",
    "rank_applications",
    "status_after_application",
]

# --------------------------------------------------------------------------------------------
# Values (mirroring the TextChoices of trainees.models; kept here as plain strings)
# --------------------------------------------------------------------------------------------

NONE, APPLIED, NOT_SELECTED, LISTED = "none", "applied", "not_selected", "listed"
IN_TRAINING, COMPLETED, APPLIED_FOR_AEO = "in_training", "completed", "applied_for_aeo"
CERTIFIED = "certified"
SUSPENDED, TERMINATED = "suspended", "terminated"

OUTCOME_LISTED, OUTCOME_NOT_SELECTED = "listed", "not_selected"
OUTCOME_INELIGIBLE, OUTCOME_EXCLUDED = "ineligible", "excluded"

# Seed 004, priority selection: legal representative, senior management, personnel of relevant
# departments, in this order; everyone else after them.
POSITION_TIERS: Mapping[str, int] = {
    "legal_representative": 0,
    "senior_management": 1,
    "customs_affairs": 2,
    "finance": 2,
    "internal_control": 2,
    "logistics_security": 2,
    "it": 2,
    "other": 3,
}


class SuspensionGround(TextChoices):
    """Seed 004, suspension of cultivation."""

    BEING_AUDITED = "being_audited", _("Being audited")
    SIMPLE_CASE = "simple_case", _("Filed for investigation as a simple case or under summary procedure")
    OTHER = "other", _("Other circumstances")


class TerminationGround(TextChoices):
    """Seed 004, termination of cultivation."""

    GENERAL_PROCEDURE_CASE = "general_procedure_case", _("Filed for investigation under the general procedure")
    SUSPECTED_CRIME = "suspected_crime", _("Filed for investigation as suspected of a crime")
    DISCREDITED = "discredited", _("Discredited or severely discredited")
    NO_AUDIT_CONCLUSION = "no_audit_conclusion", _("No audit conclusion within the time limit")
    OTHER = "other", _("Other circumstances")


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


# --------------------------------------------------------------------------------------------
# Ranking
# --------------------------------------------------------------------------------------------


class Reason(NamedTuple):
    """One reason behind a decision: a code, its parameters, and whether the condition was met
    (None when it is information rather than a condition). Rendered by `describe_reason`."""

    code: str
    params: dict
    met: bool | None = None


@dataclass(frozen=True, slots=True)
class NomineeIn:
    id: int
    position: str


@dataclass(frozen=True, slots=True)
class ApplicationIn:
    """An application with what the rules need to know about its enterprise."""

    id: int
    enterprise_id: int
    training_type: str
    submitted_at: datetime
    nominees: tuple[NomineeIn, ...]
    preferred_bases: tuple[str, ...] = ()
    willingness: str = "exploring"
    planned_aeo_application_date: date | None = None
    is_key_enterprise: bool = False
    credit_score: int | None = None
    credit_level: str = ""
    credit_level_excluded: bool = False
    bar_until: date | None = None
    cultivation_status: str = NONE
    registered_with_customs: bool = True


@dataclass(frozen=True, slots=True)
class PolicyIn:
    """The rule values of one SelectionPolicy version."""

    version: int = 1
    ordering_mode: str = "lexicographic"
    weight_key_enterprise: int = 4
    weight_willingness: int = 2
    weight_credit_score: int = 1
    high_score_threshold: int = 85
    willingness_plan_within_months: int = 12
    seats_per_enterprise: int = 3
    exclude_discredited: bool = True
    exclude_barred: bool = True
    exclude_blocked: bool = True


class ApplicationDecision(NamedTuple):
    application_id: int
    enterprise_id: int
    training_type: str
    outcome: str
    rank: int | None
    total: int
    reasons: tuple[Reason, ...]


class PersonDecision(NamedTuple):
    application_id: int
    nominee_id: int
    training_type: str
    listed: bool
    priority: int | None
    base_slug: str
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class SelectionResult:
    decisions: tuple[ApplicationDecision, ...]
    persons: tuple[PersonDecision, ...] = field(default=())

    def decision_for(self, application_id: int) -> ApplicationDecision | None:
        return next((d for d in self.decisions if d.application_id == application_id), None)

    def listed(self, training_type: str | None = None) -> list[PersonDecision]:
        return sorted(
            (p for p in self.persons if p.listed and (training_type is None or p.training_type == training_type)),
            key=lambda p: (p.training_type, p.priority),
        )


def _eligibility(app: ApplicationIn, policy: PolicyIn, today: date) -> list[Reason]:
    """Why an application cannot be ranked (DOMAIN.md, eligibility); empty when it can."""
    refusals = []
    if not app.registered_with_customs:
        refusals.append(Reason("not_registered", {}, False))
    if policy.exclude_discredited and app.credit_level_excluded:
        refusals.append(Reason("discredited", {"level": app.credit_level}, False))
    if policy.exclude_barred and app.bar_until is not None and app.bar_until >= today:
        refusals.append(Reason("barred", {"until": app.bar_until.isoformat()}, False))
    if policy.exclude_blocked and app.cultivation_status in (SUSPENDED, TERMINATED):
        refusals.append(Reason(app.cultivation_status, {}, False))
    return refusals


# Reasons that do not depend on the application are shared rather than rebuilt for each one.
_KEY_REASONS = {True: Reason("key_enterprise", {}, True), False: Reason("key_enterprise", {}, False)}
_DUPLICATE = Reason("duplicate", {}, False)
_CAPACITY_REACHED = Reason("capacity_reached", {}, False)
_NO_SEAT = (Reason("no_seat", {}, False),)
_BLOCKED = frozenset({SUSPENDED, TERMINATED})


def _position_tier(nominee: NomineeIn) -> int:
    return POSITION_TIERS.get(nominee.position, 3)


@contextmanager
def _without_cyclic_gc():
    """The ranking allocates hundreds of thousands of small acyclic objects; the cyclic garbage
    collector would walk them again and again for nothing (≈40 % of the time on 100,000
    applications). Reference counting still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def rank_applications(
    applications: Iterable[ApplicationIn],
    *,
    policy: PolicyIn,
    capacities: Mapping[tuple[str, str], int],
    today: date,
    overrides: Mapping[int, tuple[str, str]] | None = None,
) -> SelectionResult:
    """Rank the applications of one round and fill the key training list of each training type
    (see `_rank`)."""
    with _without_cyclic_gc():
        return _rank(applications, policy=policy, capacities=capacities, today=today, overrides=overrides)


def _rank(
    applications: Iterable[ApplicationIn],
    *,
    policy: PolicyIn,
    capacities: Mapping[tuple[str, str], int],
    today: date,
    overrides: Mapping[int, tuple[str, str]] | None = None,
) -> SelectionResult:
    """Rank the applications of one round and fill the key training list of each training type.

    Ordering (DOMAIN.md, priority ranking; seed 004 conditions): number of conditions met, then
    condition 1 (key enterprise) before 2 (strong willingness) before 3 (credit score ≥ threshold),
    or their weighted sum; then credit score; then the earlier application; the application id
    settles exact ties so the order is total. Within an enterprise the nominated people go by
    position (legal representative → senior management → relevant departments → others), at most
    `seats_per_enterprise` of them. Each person takes a seat at the first preferred base with room
    (any base when the enterprise ranked none).

    `capacities` maps (training_type, base slug) to seats. `overrides` maps an application id to
    ("include" | "exclude", written reason): an officer's manual adjustment. An included
    application is listed even beyond capacity, but eligibility is never overridden.

    Returns one ApplicationDecision per application (per training type: ranked ones in rank order,
    then the ineligible ones by id) and one PersonDecision per nominated person of every
    application that reached the seat allocation.
    """
    overrides = overrides or {}
    by_type: dict[str, list[ApplicationIn]] = defaultdict(list)
    for app in applications:
        by_type[app.training_type].append(app)

    decisions: list[ApplicationDecision] = []
    persons: list[PersonDecision] = []
    threshold = policy.high_score_threshold
    weighted = policy.ordering_mode == "weighted"
    w1, w2, w3 = policy.weight_key_enterprise, policy.weight_willingness, policy.weight_credit_score
    seat_cap = policy.seats_per_enterprise
    horizon = add_months(today, policy.willingness_plan_within_months)
    willingness_reasons: dict[tuple[str, bool], Reason] = {}
    score_reasons: dict[int | None, Reason] = {}
    append_person = persons.append

    for training_type in sorted(by_type):
        apps = by_type[training_type]
        total = len(apps)
        # Duplicates: the earliest application of an enterprise counts, later ones are refused.
        first: dict[int, ApplicationIn] = {}
        for app in apps:
            best = first.get(app.enterprise_id)
            if best is None or (app.submitted_at, app.id) < (best.submitted_at, best.id):
                first[app.enterprise_id] = app

        ranked: list[tuple[tuple, ApplicationIn, tuple[Reason, ...]]] = []
        ineligible: list[ApplicationDecision] = []
        for app in apps:
            duplicate = first[app.enterprise_id] is not app
            if (
                duplicate
                or not app.registered_with_customs
                or app.credit_level_excluded
                or app.bar_until is not None
                or app.cultivation_status in _BLOCKED
            ):
                refusals = _eligibility(app, policy, today)
                if duplicate:
                    refusals.append(_DUPLICATE)
            else:
                refusals = None
            if refusals:
                ineligible.append(
                    ApplicationDecision(
                        app.id, app.enterprise_id, training_type, OUTCOME_INELIGIBLE, None, total, tuple(refusals)
                    )
                )
                continue
            c1 = app.is_key_enterprise
            planned = app.planned_aeo_application_date
            # Condition 2: declared strong, with a planned AEO application date within the horizon.
            c2 = app.willingness == "strong" and planned is not None and today <= planned <= horizon
            score = app.credit_score
            c3 = score is not None and score >= threshold
            will = willingness_reasons.get((app.willingness, c2))
            if will is None:
                will = willingness_reasons[(app.willingness, c2)] = Reason(
                    "willingness", {"strength": app.willingness}, c2
                )
            score_reason = score_reasons.get(score)
            if score_reason is None:
                score_reason = score_reasons[score] = Reason(
                    "credit_score", {"score": score, "threshold": threshold}, c3
                )
            score_key = -1 if score is None else score
            # Lexicographic: the count of conditions met, then conditions 1, 2, 3 as bits.
            merit = w1 * c1 + w2 * c2 + w3 * c3 if weighted else (c1 + c2 + c3) * 8 + c1 * 4 + c2 * 2 + c3
            ranked.append(((-merit, -score_key, app.submitted_at, app.id), app, (_KEY_REASONS[c1], will, score_reason)))
        ranked.sort(key=itemgetter(0))

        remaining = {
            slug: capacities[(training_type, slug)]
            for slug in TRAINING_BASE_SLUGS
            if (training_type, slug) in capacities
        }
        all_bases = tuple(remaining)
        free = sum(remaining.values())
        priority = 0
        for rank, (_key, app, conditions) in enumerate(ranked, start=1):
            rank_reason = Reason("rank", {"rank": rank, "total": total})
            override = overrides.get(app.id)
            action = override[0] if override else ""
            if action == "exclude":
                decisions.append(
                    ApplicationDecision(
                        app.id,
                        app.enterprise_id,
                        training_type,
                        OUTCOME_EXCLUDED,
                        rank,
                        total,
                        (*conditions, rank_reason, Reason("manual_exclude", {"note": override[1]}, False)),
                    )
                )
                continue
            forced = action == "include"
            bases = tuple(b for b in app.preferred_bases if b in remaining) if app.preferred_bases else all_bases
            if not forced and (free <= 0 or not any(remaining[b] > 0 for b in bases)):
                # No seat left for this application: no need to place its people one by one.
                decisions.append(
                    ApplicationDecision(
                        app.id,
                        app.enterprise_id,
                        training_type,
                        OUTCOME_NOT_SELECTED,
                        rank,
                        total,
                        (*conditions, rank_reason, _CAPACITY_REACHED),
                    )
                )
                continue
            nominees = sorted(app.nominees, key=_position_tier)  # stable: keeps the enterprise's order
            listed_here = 0
            for index, nominee in enumerate(nominees):
                if index >= seat_cap:
                    append_person(
                        PersonDecision(
                            app.id,
                            nominee.id,
                            training_type,
                            False,
                            None,
                            "",
                            (Reason("seat_cap", {"cap": seat_cap}, False),),
                        )
                    )
                    continue
                base = ""
                for candidate in bases:
                    if remaining[candidate] > 0:
                        base = candidate
                        break
                if base:
                    remaining[base] -= 1
                    free -= 1
                elif forced:
                    base = bases[0] if bases else ""
                else:
                    append_person(PersonDecision(app.id, nominee.id, training_type, False, None, "", _NO_SEAT))
                    continue
                priority += 1
                listed_here += 1
                append_person(
                    PersonDecision(
                        app.id,
                        nominee.id,
                        training_type,
                        True,
                        priority,
                        base,
                        (Reason("seat", {"base": base, "priority": priority}, True),),
                    )
                )
            reasons = [*conditions, rank_reason]
            if forced:
                reasons.append(Reason("manual_include", {"note": override[1]}, True))
            if listed_here:
                reasons.append(Reason("listed_people", {"count": listed_here, "nominated": len(nominees)}, True))
                outcome = OUTCOME_LISTED
            else:
                reasons.append(_CAPACITY_REACHED)
                outcome = OUTCOME_NOT_SELECTED
            decisions.append(
                ApplicationDecision(app.id, app.enterprise_id, training_type, outcome, rank, total, tuple(reasons))
            )
        ineligible.sort(key=attrgetter("application_id"))
        decisions.extend(ineligible)

    return SelectionResult(tuple(decisions), tuple(persons))


class BaseLoad(NamedTuple):
    """People a key training list places at one base for one training type, against the seats
    the round offers there."""

    training_type: str
    base_slug: str
    seats: int
    listed: int

    @property
    def over(self) -> int:
        """People above the quota (0 when within it)."""
        return max(0, self.listed - self.seats)


def base_loads(listed: Iterable[tuple[str, str]], capacities: Mapping[tuple[str, str], int]) -> tuple[BaseLoad, ...]:
    """The real per-base figures of a list, from the (training type, base) of each listed person:
    a manual inclusion is listed even beyond capacity (`_rank`), so a base can hold more people
    than its seats (issue 8, point 5). Every base with seats or people appears, in base order."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for key in listed:
        counts[key] += 1
    order = {slug: i for i, slug in enumerate(TRAINING_BASE_SLUGS)}
    keys = sorted(set(counts) | set(capacities), key=lambda k: (k[0], order.get(k[1], len(order)), k[1]))
    return tuple(BaseLoad(t, b, capacities.get((t, b), 0), counts.get((t, b), 0)) for t, b in keys)


# --------------------------------------------------------------------------------------------
# Reasons in words
# --------------------------------------------------------------------------------------------

_REASON_TEXTS = {
    "not_registered": _("not registered with customs"),
    "discredited": _("credit level “%(level)s” excludes the enterprise"),
    "barred": _("barred from applying until %(until)s"),
    "suspended": _("cultivation suspended"),
    "terminated": _("cultivation terminated"),
    "duplicate": _("duplicate application for this round and training type"),
    "key_enterprise": _("key enterprise"),
    "willingness": _("willingness %(strength)s"),
    "credit_score": _("credit score %(score)s ≥ %(threshold)s"),
    "credit_score_missing": _("no credit score"),
    "rank": _("rank %(rank)s of %(total)s"),
    "manual_include": _("put on the list by customs: %(note)s"),
    "manual_exclude": _("taken off the list by customs: %(note)s"),
    "listed_people": _("%(count)s of %(nominated)s nominated people listed"),
    "capacity_reached": _("all seats at the preferred bases were taken by higher-ranked applications"),
    "seat_cap": _("beyond the %(cap)s seats per enterprise"),
    "no_seat": _("no seat left at the preferred bases"),
    "seat": _("priority %(priority)s, proposed base %(base)s"),
    "removed": _("removed from the list: %(note)s"),
}

# Credit levels of the reference data (trainees/reference_data.py); officers' own levels show their code.
_LEVELS = {
    "advanced_certified": _("advanced certified enterprise"),
    "certified": _("certified enterprise"),
    "regular": _("regular credit enterprise"),
    "discredited": _("discredited enterprise"),
    "severely_discredited": _("severely discredited enterprise"),
    "d251_advanced_certified": _("advanced certified enterprise"),
    "d251_other": _("regular credit enterprise"),
    "d251_discredited": _("discredited enterprise"),
}
_WILLINGNESS = {"strong": _("strong"), "moderate": _("moderate"), "exploring": _("exploring")}
_BASES = {"suzhou": _("Suzhou"), "shenzhen": _("Shenzhen"), "guangzhou": _("Guangzhou"), "": "—"}


def base_label(slug: str) -> str:
    """A training base's name in the active language, from its slug."""
    return str(_BASES.get(slug, slug))


def describe_reason(code: str, params: Mapping | None = None, met: bool | None = None) -> str:
    """A reason in words in the active language, with ✓ or ✗ when it is a condition."""
    params = dict(params or {})
    if code == "credit_score" and params.get("score") is None:
        code = "credit_score_missing"
    elif code == "credit_score" and not met:
        text = gettext("credit score %(score)s < %(threshold)s") % params
        return f"{text} ✗"
    if "strength" in params:
        params["strength"] = _WILLINGNESS.get(params["strength"], params["strength"])
    if "base" in params:
        params["base"] = _BASES.get(params["base"], params["base"])
    if "level" in params:
        params["level"] = _LEVELS.get(params["level"], params["level"])
    template = _REASON_TEXTS.get(code)
    text = str(template) % params if template is not None else code
    if met is True:
        return f"{text} ✓"
    if met is False:
        return f"{text} ✗"
    return text


def describe_reasons(reasons: Sequence) -> str:
    """Reasons stored as [code, params, met] (or Reason tuples) joined into one line."""
    return gettext(", ").join(describe_reason(*reason) for reason in reasons)


# --------------------------------------------------------------------------------------------
# Cultivation lifecycle
# --------------------------------------------------------------------------------------------

ACTIVE_STATES = frozenset({APPLIED, LISTED, IN_TRAINING, COMPLETED, APPLIED_FOR_AEO})

# action → (states it may start from, state it leads to; None = the state before suspension).
TRANSITIONS: Mapping[str, tuple[frozenset[str], str | None]] = {
    "apply": (frozenset({NONE, NOT_SELECTED}), APPLIED),
    "select": (frozenset({APPLIED}), LISTED),
    "not_select": (frozenset({APPLIED}), NOT_SELECTED),
    "start_training": (frozenset({LISTED}), IN_TRAINING),
    # An attendance that started training was corrected to absent: back on the list (audited).
    "undo_start_training": (frozenset({IN_TRAINING}), LISTED),
    "complete": (frozenset({IN_TRAINING}), COMPLETED),
    "apply_for_aeo": (frozenset({COMPLETED}), APPLIED_FOR_AEO),
    # The outcome of cultivation (issue 17, point 5): certified closes the lifecycle; a failed
    # certification returns to "not applied" with the 1-year bar running.
    "certify": (frozenset({APPLIED_FOR_AEO}), CERTIFIED),
    "fail_certification": (frozenset({APPLIED_FOR_AEO}), NONE),
    "suspend": (ACTIVE_STATES, SUSPENDED),
    "resume": (frozenset({SUSPENDED}), None),
    "terminate": (frozenset({NONE, NOT_SELECTED, SUSPENDED} | ACTIVE_STATES), TERMINATED),
}

# Actions an officer triggers by hand in the back office (the others follow from procedures).
OFFICER_ACTIONS = ("start_training", "complete", "apply_for_aeo", "suspend", "resume", "terminate")


class TransitionRefused(Exception):
    """The state machine forbids this action from the current state."""

    def __init__(self, action: str, current: str) -> None:
        super().__init__(f"{action} is not allowed from {current}")
        self.action = action
        self.current = current


def next_status(current: str, action: str, *, previous: str = "") -> str:
    """The status after `action` (DOMAIN.md, lifecycle as a state machine). Resuming returns to
    the state before suspension. Raises TransitionRefused otherwise (e.g. resuming a terminated
    enterprise: termination is final)."""
    if action not in TRANSITIONS:
        raise TransitionRefused(action, current)
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise TransitionRefused(action, current)
    if target is None:
        if previous not in ACTIVE_STATES:
            raise TransitionRefused(action, current)
        return previous
    return target


def allowed_actions(current: str, actions: Iterable[str] = OFFICER_ACTIONS) -> list[str]:
    return [a for a in actions if current in TRANSITIONS[a][0]]


def status_after_application(current: str) -> str:
    """Applying moves a new or not-selected enterprise to `applied`; an enterprise already further
    on (e.g. listed for compliance training, applying for AEO certification training) keeps its
    state."""
    if current in TRANSITIONS["apply"][0]:
        return APPLIED
    return current


# Credit levels a passed AEO certification gives (Decree 282: advanced certified / certified).
CERTIFIED_LEVEL_CODES = ("advanced_certified", "certified")
APPLICATION_BAR_MONTHS = 12


@dataclass(frozen=True, slots=True)
class CertificationEffect:
    """What the result of an AEO certification changes on the enterprise."""

    action: str
    credit_level_code: str | None
    bar_until: date | None
    bar_reason: str


def certification_effect(*, passed: bool, credit_level_code: str, decided_on: date) -> CertificationEffect:
    """The effect of an AEO certification decision (DOMAIN.md, credit levels and preconditions):
    passed → the credit level becomes advanced certified or certified and the lifecycle closes;
    failed → the 1-year bar on applying starts on the day of the decision.

    Raises ValueError when a passed certification names a level other than CERTIFIED_LEVEL_CODES."""
    if passed:
        if credit_level_code not in CERTIFIED_LEVEL_CODES:
            raise ValueError(credit_level_code)
        return CertificationEffect("certify", credit_level_code, None, "")
    return CertificationEffect(
        "fail_certification", None, add_months(decided_on, APPLICATION_BAR_MONTHS), "failed_certification"
    )


def audit_overdue(*, ground: str, suspended_at: datetime | None, now: datetime, limit_months: int) -> bool:
    """Seed 004, termination: no conclusion within 1-3 months of being audited (the limit is
    configurable in the selection policy, default 3)."""
    if ground != SuspensionGround.BEING_AUDITED or suspended_at is None:
        return False
    deadline = datetime.combine(
        add_months(suspended_at.date(), limit_months), suspended_at.timetz(), tzinfo=suspended_at.tzinfo
    )
    return now >= deadline


# --------------------------------------------------------------------------------------------
# Cultivation funnel (issue 17, point 6: appraisal of training effectiveness)
# --------------------------------------------------------------------------------------------

# The procedure of seed 004 (01 application → 02 key list → 03 training → 04 AEO application)
# followed to its outcome: the stages an enterprise passes through, in order.
FUNNEL_STAGES: tuple[str, ...] = (APPLIED, LISTED, IN_TRAINING, COMPLETED, APPLIED_FOR_AEO, CERTIFIED)


@dataclass(frozen=True, slots=True)
class FunnelStage:
    """One stage of the funnel: how many enterprises of the cohort reached it, which share of
    those that reached the stage before it (None for the first stage or an empty previous stage),
    and the median days from entering the previous stage to entering this one (None without a
    measured pair)."""

    stage: str
    reached: int
    conversion: float | None
    median_days: float | None


def _median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def funnel(paths: Iterable[Mapping[str, date | datetime]]) -> tuple[FunnelStage, ...]:
    """The funnel of a cohort. Each path maps a stage of FUNNEL_STAGES to the moment (a day or a
    time, the same kind throughout) the enterprise first entered it; a path without its "applied" moment is ignored. An enterprise has
    reached every stage up to the furthest one it entered (the state machine allows no skipping,
    so a missing earlier moment only means it lies outside the window read). Days between stages
    are measured only where both moments are known and in order.

    Returns one FunnelStage per FUNNEL_STAGES entry, in order."""
    count = len(FUNNEL_STAGES)
    furthest_counts = [0] * count
    gaps: list[list[float]] = [[] for _ in FUNNEL_STAGES]
    for path in paths:
        times = [path.get(stage) for stage in FUNNEL_STAGES]
        if times[0] is None:
            continue
        furthest = 0
        for i in range(1, count):
            after = times[i]
            if after is None:
                continue
            furthest = i
            before = times[i - 1]
            if before is not None and after >= before:
                gaps[i].append((after - before).total_seconds() / 86400)
        furthest_counts[furthest] += 1
    reached = [sum(furthest_counts[i:]) for i in range(count)]
    stages = []
    for i, stage in enumerate(FUNNEL_STAGES):
        previous = reached[i - 1] if i else 0
        median = _median(gaps[i])
        stages.append(
            FunnelStage(
                stage=stage,
                reached=reached[i],
                conversion=(reached[i] / previous) if i and previous else None,
                median_days=round(median, 1) if median is not None else None,
            )
        )
    return tuple(stages)
