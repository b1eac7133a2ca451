"""Gathers the readiness report's inputs from every app through that app's selectors only.

`trainees` (preconditions), this app (self-assessment and financial check), `courses` (training
coverage), and — only when installed — `live` (live observation attendance) and `exams` (exam
results). An app that is not installed (or has no such selector yet) simply contributes nothing,
so its requirement is unmet. Returns `rules.ReadinessInputs`; no rule is applied here."""

from __future__ import annotations

import dataclasses
import datetime

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from lms.translation import english_active
from trainees.models import RELEVANT_DEPARTMENT_POSITIONS, CultivationStatus, Enterprise, Position, TrainingType

from . import rules, selectors
from .models import CriteriaEdition

ENTERPRISE_EXAM_AUDIENCE = "enterprise"


def chosen_edition(*, enterprise_id: int, today: datetime.date, code: str = "") -> CriteriaEdition | None:
    """The edition the report judges against: the one asked for; else the edition of the
    enterprise's latest submitted self-assessment; else the advanced edition in force."""
    if code:
        return CriteriaEdition.objects.filter(code=code).first()
    return chosen_editions(enterprise_ids=[enterprise_id], today=today).get(enterprise_id)


def chosen_editions(*, enterprise_ids: list[int], today: datetime.date) -> dict[int, CriteriaEdition]:
    """`chosen_edition` of many enterprises at once (enterprise id → edition; absent when no
    edition is known at all). Three queries whatever the number of enterprises."""
    codes = selectors.latest_submitted_edition_codes(enterprise_ids=enterprise_ids)
    by_code = {e.code: e for e in CriteriaEdition.objects.filter(code__in=set(codes.values()))} if codes else {}
    in_force = None
    if len(codes) < len(set(enterprise_ids)) or set(codes.values()) - set(by_code):
        in_force = selectors.edition_in_force(today=today)
    chosen: dict[int, CriteriaEdition] = {}
    for enterprise_id in enterprise_ids:
        edition = by_code.get(codes.get(enterprise_id, "")) or in_force
        if edition is not None:
            chosen[enterprise_id] = edition
    return chosen


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


_JUDGEMENT_VALUES = tuple(j.value for j in rules.Judgement)


def assessment_input(version, edition: CriteriaEdition) -> rules.AssessmentInput:
    """The latest submitted version as the rule sees it: its verdict, the sub-items judged below
    "meets" (worded in the active language as frozen, as are the area names; the ones the enterprise judges; computed financial ones go to the financial line)
    and the counts per criteria area. `version` comes from `selectors.latest_submitted_versions`
    (with `judgement_pairs` and `below_meets_rows`) or is None."""
    if version is None:
        return rules.AssessmentInput(edition.code, str(edition))
    english = english_active()
    areas: dict[str, dict[str, int]] = {}
    for area, judgement, *rest in version.judgement_pairs:
        label = ((english and rest and rest[0]) or area) or ""
        counts = areas.get(label)
        if counts is None:
            counts = areas[label] = dict.fromkeys(_JUDGEMENT_VALUES, 0)
        if judgement in counts:
            counts[judgement] += 1
    below = tuple(
        rules.BelowMeets(
            row["criterion"],
            row.get("code", ""),
            (english and row.get("text_en")) or row.get("text_zh", ""),
            row.get("area", ""),
            rules.Judgement(row["judgement"]),
        )
        for row in version.below_meets_rows
        if not row.get("computed")
    )
    return rules.AssessmentInput(
        edition_code=edition.code,
        edition_name=str(edition),
        version=version.number,
        outcome=version.outcome,
        score=version.score,
        blocking=tuple(selectors.blocking_in_language(version)),
        below_meets=below,
        areas=tuple((area, counts) for area, counts in areas.items()),
    )


def financial_input(result: rules.FinancialResult) -> rules.FinancialInput:
    if result.method == rules.FinancialMethod.NONE:
        return rules.FinancialInput(applies=False)
    failing = tuple(f"{g.label} {g.year}" for g in result.groups if g.judgement == rules.Judgement.FAILS)
    return rules.FinancialInput(
        judgement=None if result.missing else result.judgement, failing_groups=failing, missing=result.missing
    )


def people_of(enterprise_ids: list[int]) -> dict[int, tuple[rules.Person, ...]]:
    """Per enterprise id, its people as the rule sees them: completed AEO certification courses
    (`courses.selectors.enterprises_training_coverage`), live validation observations attended
    live (`live.selectors.enterprises_live_attendance`; replays never count) and enterprise-staff
    exams passed with released results (`exams.selectors.enterprises_exam_results`; validator
    exams do not count). Six queries whatever the number of enterprises and people."""
    from courses.selectors import enterprises_training_coverage
    from exams.selectors import enterprises_exam_results
    from live.selectors import enterprises_live_attendance

    coverage = enterprises_training_coverage(enterprise_ids)
    attended = enterprises_live_attendance(enterprise_ids)
    passed = enterprises_exam_results(enterprise_ids)
    result: dict[int, tuple[rules.Person, ...]] = {}
    for enterprise_id in enterprise_ids:
        live_rows = attended.get(enterprise_id, {})
        exam_rows = passed.get(enterprise_id, {})
        result[enterprise_id] = tuple(
            rules.Person(
                user_id=person.user_id,
                name=person.name,
                position=person.position,
                certification_courses=tuple(
                    c.title for c in person.completed if c.training_type == TrainingType.AEO_CERTIFICATION
                ),
                live_sessions=tuple(a.title for a in live_rows.get(person.user_id, ())),
                exams_passed=tuple(
                    p.title for p in exam_rows.get(person.user_id, ()) if p.audience == ENTERPRISE_EXAM_AUDIENCE
                ),
            )
            for person in coverage.get(enterprise_id, ())
        )
    return result


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
    return gather_many(
        enterprises=[enterprise], editions={enterprise.pk: edition}, today=today, course_links=course_links
    )[enterprise.pk]


def gather_many(
    *,
    enterprises: list[Enterprise],
    editions: dict[int, CriteriaEdition],
    today: datetime.date,
    course_links: dict[str, tuple[rules.Link, ...]] | None = None,
) -> dict[int, rules.ReadinessInputs]:
    """Every input of many enterprises' reports (enterprise id → inputs), each under the edition
    `editions` gives for it (enterprises without one are left out). The enterprises come with
    `credit_level__maps_to` selected. A constant number of queries whatever the number of
    enterprises, people, attempts and years: about 10, plus one per distinct edition."""
    wanted = [e for e in enterprises if e.pk in editions]
    ids = [e.pk for e in wanted]
    versions: dict[int, object] = {}
    by_code: dict[str, list[int]] = {}
    for enterprise_id in ids:
        by_code.setdefault(editions[enterprise_id].code, []).append(enterprise_id)
    for code, code_ids in by_code.items():
        versions.update(selectors.latest_submitted_versions(enterprise_ids=code_ids, edition_code=code))
    financial = selectors.financial_checks(editions={pk: editions[pk] for pk in ids}, today=today)
    persons = people_of(ids)
    links = certification_courses() if course_links is None else course_links
    base: dict[str, rules.Offers] = {
        code: offers(enterprise_id=0, edition=editions[code_ids[0]], assessment_id=None, course_links=links)
        for code, code_ids in by_code.items()
    }
    result: dict[int, rules.ReadinessInputs] = {}
    for enterprise in wanted:
        edition = editions[enterprise.pk]
        version = versions.get(enterprise.pk)
        offered = base[edition.code]
        if version is not None:
            offered = dataclasses.replace(
                offered,
                assessment=rules.Link(
                    str(_("Self-assessment")), _url("readiness:assessment_detail", pk=version.assessment_id)
                ),
            )
        result[enterprise.pk] = rules.ReadinessInputs(
            enterprise_name=str(enterprise),
            preconditions=preconditions(enterprise, today=today),
            assessment=assessment_input(version, edition),
            financial=financial_input(financial[enterprise.pk]),
            people=persons[enterprise.pk],
            offers=offered,
            live_available=True,
            exams_available=True,
        )
    return result
