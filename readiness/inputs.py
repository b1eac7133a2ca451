"""Gathers the readiness report's inputs from every app through that app's selectors only.

`trainees` (preconditions), this app (self-assessment and financial check), `courses` (training
coverage), and — only when installed — `live` (live observation attendance) and `exams` (exam
results). An app that is not installed (or has no such selector yet) simply contributes nothing,
so its requirement is unmet. Returns `rules.ReadinessInputs`; no rule is applied here."""

from __future__ import annotations

import datetime

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from trainees.models import RELEVANT_DEPARTMENT_POSITIONS, CultivationStatus, Enterprise, Position, TrainingType

from . import rules, selectors
from .models import CriteriaEdition

ENTERPRISE_EXAM_AUDIENCE = "enterprise"


def chosen_edition(*, enterprise_id: int, today: datetime.date, code: str = "") -> CriteriaEdition | None:
    """The edition the report judges against: the one asked for; else the edition of the
    enterprise's latest submitted self-assessment; else the advanced edition in force."""
    if code:
        return CriteriaEdition.objects.filter(code=code).first()
    latest = selectors.latest_submitted_edition_code(enterprise_id=enterprise_id)
    if latest:
        return CriteriaEdition.objects.filter(code=latest).first()
    return selectors.edition_in_force(today=today)


def preconditions(enterprise: Enterprise, *, today: datetime.date) -> rules.Preconditions:
    level = enterprise.credit_level
    current = level.current if level else None
    return rules.Preconditions(
        credit_level=str(level) if level else "",
        discredited=bool(current and current.excludes_from_cultivation),
        bar_until=enterprise.application_bar_until,
        bar_reason=enterprise.application_bar_reason,
        cultivation_status=enterprise.cultivation_status,
        cultivation_status_label=str(CultivationStatus(enterprise.cultivation_status).label),
        cultivation_blocked=enterprise.cultivation_blocked,
    )


def assessment_input(version, edition: CriteriaEdition) -> rules.AssessmentInput:
    """The latest submitted version as the rule sees it: its verdict, the sub-items judged below
    "meets" (the ones the enterprise judges; computed financial ones go to the financial line)
    and the counts per criteria area."""
    if version is None:
        return rules.AssessmentInput(edition.code, str(edition))
    below = []
    areas: dict[str, dict[str, int]] = {}
    for row in version.snapshot.get("sub_items", []):
        judgement = row.get("judgement")
        counts = areas.setdefault(row.get("area", ""), {j.value: 0 for j in rules.Judgement})
        if judgement in counts:
            counts[judgement] += 1
        if judgement in (rules.Judgement.BASIC, rules.Judgement.FAILS) and not row.get("computed"):
            below.append(
                rules.BelowMeets(
                    row["criterion"],
                    row.get("code", ""),
                    row.get("text_zh", ""),
                    row.get("area", ""),
                    rules.Judgement(judgement),
                )
            )
    return rules.AssessmentInput(
        edition_code=edition.code,
        edition_name=str(edition),
        version=version.number,
        outcome=version.outcome,
        score=version.score,
        blocking=tuple(version.blocking),
        below_meets=tuple(below),
        areas=tuple((area, counts) for area, counts in areas.items()),
    )


def financial_input(result: rules.FinancialResult) -> rules.FinancialInput:
    if result.method == rules.FinancialMethod.NONE:
        return rules.FinancialInput(applies=False)
    failing = tuple(f"{g.label} {g.year}" for g in result.groups if g.judgement == rules.Judgement.FAILS)
    return rules.FinancialInput(
        judgement=None if result.missing else result.judgement, failing_groups=failing, missing=result.missing
    )


def live_attendance(enterprise_id: int) -> dict[int, list[str]]:
    """Per user id: titles of the live observation sessions attended live (threshold reached
    inside the schedule; replays never count), from `live.selectors.enterprise_live_attendance`."""
    from live.selectors import enterprise_live_attendance

    return {user_id: [a.title for a in rows] for user_id, rows in enterprise_live_attendance(enterprise_id).items()}


def exam_passes(enterprise_id: int) -> dict[int, list[str]]:
    """Per user id: titles of the enterprise-staff exams passed with released results
    (`exams.selectors.enterprise_exam_results`); validator exams do not count here."""
    from exams.selectors import enterprise_exam_results

    return {
        user_id: [p.title for p in passes if p.audience == ENTERPRISE_EXAM_AUDIENCE]
        for user_id, passes in enterprise_exam_results(enterprise_id).items()
    }


def people(enterprise_id: int) -> tuple[tuple[rules.Person, ...], bool, bool]:
    """Per person: completed AEO certification courses (courses), live observations attended
    (live) and enterprise-staff exams passed (exams). Also whether live and exams are present."""
    from courses.selectors import enterprise_training_coverage

    attended = live_attendance(enterprise_id)
    passed = exam_passes(enterprise_id)
    result = []
    for person in enterprise_training_coverage(enterprise_id):
        result.append(
            rules.Person(
                user_id=person.user_id,
                name=person.name,
                position=person.position,
                certification_courses=tuple(
                    c.title for c in person.completed if c.training_type == TrainingType.AEO_CERTIFICATION
                ),
                live_sessions=tuple(attended.get(person.user_id, ())),
                exams_passed=tuple(passed.get(person.user_id, ())),
            )
        )
    return tuple(result), True, True


def _url(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def certification_courses() -> dict[str, tuple[rules.Link, ...]]:
    """Published AEO certification courses (active language) by position group, through the
    courses app's catalogue selector."""
    from wagtail.models import Locale

    from courses.models import CourseIndexPage
    from courses.selectors import CatalogueFilters, course_catalogue

    index = CourseIndexPage.objects.live().filter(locale=Locale.get_active()).first()
    if index is None:
        index = CourseIndexPage.objects.live().first()
    if index is None:
        return {}
    courses = course_catalogue(
        index=index, filters=CatalogueFilters(training_type=TrainingType.AEO_CERTIFICATION)
    ).prefetch_related("audience")
    groups: dict[str, list[rules.Link]] = {
        "legal_representative": [],
        "senior_management": [],
        "relevant_department": [],
    }
    for course in courses[:20]:
        positions = {a.position for a in course.audience.all()}
        link = rules.Link(course.title, course.url or "")
        if not positions or Position.LEGAL_REPRESENTATIVE in positions:
            groups["legal_representative"].append(link)
        if not positions or Position.SENIOR_MANAGEMENT in positions:
            groups["senior_management"].append(link)
        if not positions or positions & RELEVANT_DEPARTMENT_POSITIONS:
            groups["relevant_department"].append(link)
    return {key: tuple(links[:3]) for key, links in groups.items()}


def offers(
    *,
    enterprise_id: int,
    edition: CriteriaEdition,
    assessment_id: int | None,
    course_links: dict[str, tuple[rules.Link, ...]] | None = None,
) -> rules.Offers:
    return rules.Offers(
        courses=certification_courses() if course_links is None else course_links,
        live_sessions=(rules.Link(str(_("Live observation sessions")), _url("live:session_list")),),
        training_sessions=tuple(
            x for x in [rules.Link(str(_("Training calendar")), _url("training_bases:calendar"))] if x.url
        ),
        exams=(rules.Link(str(_("My exams")), _url("exams:list")),),
        assessment_start=rules.Link(
            str(_("Start the self-assessment")), _url("readiness:assessment_start", edition=edition.code)
        ),
        assessment=rules.Link(str(_("Self-assessment")), _url("readiness:assessment_detail", pk=assessment_id))
        if assessment_id
        else None,
        financials=rules.Link(str(_("Financial figures")), _url("readiness:financials")),
    )


def gather(
    *,
    enterprise: Enterprise,
    edition: CriteriaEdition,
    today: datetime.date,
    course_links: dict[str, tuple[rules.Link, ...]] | None = None,
) -> rules.ReadinessInputs:
    """Every input of one enterprise's report under one edition (`course_links`: the courses'
    links computed once for a batch of enterprises)."""
    version = selectors.latest_submitted_version(enterprise_id=enterprise.pk, edition_code=edition.code)
    persons, live_available, exams_available = people(enterprise.pk)
    return rules.ReadinessInputs(
        enterprise_name=str(enterprise),
        preconditions=preconditions(enterprise, today=today),
        assessment=assessment_input(version, edition),
        financial=financial_input(selectors.financial_check(enterprise_id=enterprise.pk, edition=edition, today=today)),
        people=persons,
        offers=offers(
            enterprise_id=enterprise.pk,
            edition=edition,
            assessment_id=version.assessment_id if version else None,
            course_links=course_links,
        ),
        live_available=live_available,
        exams_available=exams_available,
    )
