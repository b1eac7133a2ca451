"""Reads of the feedback app, shaped for its pages; query counts do not grow with rows.

The appraisal dashboard (issue 17, point 6) adds up figures that belong to other apps: it asks
ONE selector per source app and never reads their tables itself, so its figures are the ones
the apps' own pages show:

- trainees.selectors.cultivation_funnel       — funnel, conversion, median days, current statuses
- training_bases.selectors.training_figures   — sessions, hours delivered, seats, attendance
- courses.selectors.learning_figures          — enrolments and completions
- live.selectors.live_figures                 — live observation registrations and attendance
- exams.selectors.exam_figures                — graded attempts and pass rate
- readiness.selectors.readiness_distribution  — latest readiness status per enterprise
- surveys.selectors.satisfaction              — invited, responses, response rate, mean score
- consultations.selectors.answered_in_time    — consultations asked, answered, answered in time
- feedback (here)                             — AEO certification outcomes

Surveys and consultations are counted by the district that ran the event or received the
question; at GACC's whole-country view they include the national events (courses, live
observation) too. They are not split by training type or base.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from consultations import selectors as consultation_selectors
from courses import selectors as course_selectors
from exams import selectors as exam_selectors
from live import selectors as live_selectors
from readiness import selectors as readiness_selectors
from surveys import selectors as survey_selectors
from trainees import selectors as trainee_selectors
from trainees.access import experts_visible_to
from trainees.models import CustomsUnit, Enterprise
from training_bases import selectors as training_selectors

from . import rules
from .models import CertificationOutcome, Expert


def outcome_list(*, enterprise: Enterprise) -> QuerySet[CertificationOutcome]:
    """The enterprise's AEO certification applications, newest first, with level and people."""
    return CertificationOutcome.objects.filter(enterprise=enterprise).select_related(
        "credit_level", "recorded_by", "decided_by"
    )


# --- Outcomes of cultivation as figures -------------------------------------------------------


@dataclass(frozen=True)
class OutcomeFigures:
    """AEO certification outcomes of a set of customs units: applications `filed` in the period,
    decisions in the period (`passed`, `failed`), applications `pending` now, and enterprises
    `barred` now by a failed certification decided in the period."""

    filed: int
    passed: int
    failed: int
    pending: int
    barred: int

    @property
    def pass_rate(self) -> float | None:
        return rules.share(self.passed, self.passed + self.failed)


def outcome_figures(*, district_ids: list[int], start: dt.date, end: dt.date, today: dt.date) -> OutcomeFigures:
    """Outcomes of the enterprises of customs units `district_ids` for days `start`..`end`
    (included), as each enterprise's AEO certification page lists them. One query."""
    in_period = Q(decided_on__gte=start, decided_on__lte=end)
    failed = Q(result=CertificationOutcome.Result.FAILED) & in_period
    counts = CertificationOutcome.objects.filter(enterprise__customs_unit_id__in=district_ids).aggregate(
        filed=Count("id", filter=Q(applied_on__gte=start, applied_on__lte=end)),
        passed=Count("id", filter=Q(result=CertificationOutcome.Result.PASSED) & in_period),
        failed=Count("id", filter=failed),
        pending=Count("id", filter=Q(result=CertificationOutcome.Result.PENDING)),
        barred=Count("enterprise_id", filter=failed & Q(enterprise__application_bar_until__gte=today), distinct=True),
    )
    return OutcomeFigures(**counts)


# --- Appraisal dashboard ------------------------------------------------------------------------


@dataclass(frozen=True)
class DistrictRow:
    """One row of the per-district funnel: a customs unit (with the units rolled into it)."""

    unit: CustomsUnit
    stages: tuple


@dataclass(frozen=True)
class Appraisal:
    """Everything the appraisal dashboard, its XLSX and its PDF show. Figures are the source
    apps' dataclasses (see the module docstring)."""

    period: rules.Period
    training_type: str
    base_slug: str
    units: list[CustomsUnit]
    funnel: trainee_selectors.CultivationFunnel
    rows: list[DistrictRow]
    training: training_selectors.TrainingFigures
    learning: course_selectors.LearningFigures
    live: live_selectors.LiveFigures
    exams: exam_selectors.ExamFigures
    readiness: dict[str, int]
    outcomes: OutcomeFigures
    satisfaction: survey_selectors.SatisfactionFigures
    consultations: consultation_selectors.ConsultationFigures

    @property
    def readiness_total(self) -> int:
        return sum(self.readiness.values())


def appraisal_dashboard(
    *,
    district_ids: list[int],
    viewer_unit_id: int,
    period: rules.Period,
    today: dt.date,
    training_type: str = "",
    base_slug: str = "",
) -> Appraisal:
    """The appraisal of the customs units `district_ids` (the viewer's, from
    `trainees.access.appraisal_unit_ids`) over `period`, optionally for one training type
    and one training base, with one funnel row per unit directly under `viewer_unit_id`
    (`rules.district_rows`).

    The training type narrows the funnel (applications of that type), sessions, courses and
    live sessions (of courses of that type); the base narrows sessions and exam sittings.
    Sixteen queries whatever the number of enterprises and events."""
    district_ids = list(district_ids)
    start, end = period.bounds
    units = list(CustomsUnit.objects.filter(id__in=district_ids).order_by("code"))
    row_of = rules.district_rows((rules.UnitNode(u.id, u.parent_id) for u in units), viewer_unit_id=viewer_unit_id)
    funnel = trainee_selectors.cultivation_funnel(
        district_ids=district_ids, start=start, end=end, training_type=training_type, group_of=row_of
    )
    by_id = {u.id: u for u in units}
    empty = tuple(
        trainee_selectors.rules.FunnelStage(stage, 0, None, None) for stage in trainee_selectors.rules.FUNNEL_STAGES
    )
    rows = [
        DistrictRow(unit=by_id[row_id], stages=funnel.groups.get(row_id, empty))
        for row_id in sorted(set(row_of.values()), key=lambda i: (i != viewer_unit_id, by_id[i].code))
    ]
    course_keys = course_selectors.course_keys_of_type(training_type) if training_type else None
    # The whole country (GACC, not narrowed to a district) also counts national events.
    whole_country = by_id.get(viewer_unit_id) is not None and by_id[viewer_unit_id].level == CustomsUnit.Level.GACC
    survey_units = None if whole_country else district_ids
    return Appraisal(
        period=period,
        training_type=training_type,
        base_slug=base_slug,
        units=units,
        funnel=funnel,
        rows=rows,
        training=training_selectors.training_figures(
            district_ids=district_ids, start=start, end=end, training_type=training_type, base_slug=base_slug
        ),
        learning=course_selectors.learning_figures(
            district_ids=district_ids, start=start, end=end, training_type=training_type
        ),
        live=live_selectors.live_figures(district_ids=district_ids, start=start, end=end, course_keys=course_keys),
        exams=exam_selectors.exam_figures(district_ids=district_ids, start=start, end=end, base_slug=base_slug),
        readiness=readiness_selectors.readiness_distribution(district_ids=district_ids),
        outcomes=outcome_figures(district_ids=district_ids, start=period.start, end=period.end, today=today),
        satisfaction=survey_selectors.satisfaction(district_ids=survey_units, start=period.start, end=period.end),
        consultations=consultation_selectors.answered_in_time(
            district_ids=survey_units, start=period.start, end=period.end
        ),
    )


# --- Expert roster --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpertRow:
    """One expert with what they delivered: sessions held (training_bases), courses taught
    (courses), and the survey results of the events they taught (surveys)."""

    expert: Expert
    sessions: list
    courses: list
    survey: survey_selectors.SatisfactionFigures

    @property
    def hours(self) -> float:
        return round(sum(s.hours for s in self.sessions), 1)


def expert_list(*, user) -> QuerySet[Expert]:
    """Experts the officer keeps (`trainees.access.experts_visible_to`), with person, district
    and specialties."""
    return experts_visible_to(
        user, Expert.objects.select_related("user", "customs_unit").prefetch_related("specialties__edition")
    )


def expert_roster(*, user, level: str = "", now: dt.datetime) -> list[ExpertRow]:
    """The roster page: every expert the officer keeps (of one level when given) with the
    sessions held up to `now`, the courses they teach and their survey results. Nine queries for
    any number of experts."""
    experts = expert_list(user=user)
    if level:
        experts = experts.filter(level=level)
    experts = list(experts)
    ids = [e.user_id for e in experts]
    sessions = training_selectors.sessions_delivered_by(trainer_ids=ids, until=now)
    courses = course_selectors.courses_delivered_by(trainer_ids=ids)
    surveys = survey_selectors.trainer_results(ids) if ids else {}
    return [
        ExpertRow(
            expert=e,
            sessions=sessions.get(e.user_id, []),
            courses=courses.get(e.user_id, []),
            survey=surveys.get(e.user_id, survey_selectors.EMPTY),
        )
        for e in experts
    ]


def visible_units(*, district_ids: list[int]) -> list[CustomsUnit]:
    """The customs units of the dashboard's district filter, by code."""
    return list(CustomsUnit.objects.filter(id__in=district_ids).order_by("code"))
