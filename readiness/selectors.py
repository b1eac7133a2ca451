"""Reads of the criteria and self-assessments, shaped for pages and for the readiness report.

For the readiness report (one report per enterprise), use:
- `latest_submitted_version(enterprise_id=, edition_code=)` → the frozen `AssessmentVersion`
  (fields `outcome` "pass"/"fail", `score`, `blocking` list of sentences, `financial` dict,
  `submitted_at`, `number`) or None; `latest_submitted_versions(enterprise_ids=, edition_code=)`
  for many enterprises in one query;
- `financial_check(enterprise_id=, edition=, today=)` → `rules.FinancialResult` on the current
  figures (`judgement` None = incomplete, `missing` names years and figures);
- `edition_in_force(level=, today=)` → the `CriteriaEdition` enterprises judge themselves against.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import connection
from django.db.models import Count, JSONField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils import translation

from trainees.access import enterprises_visible_to
from trainees.models import Enterprise

from . import rules
from .models import (
    AssessmentVersion,
    CriteriaEdition,
    Criterion,
    Evidence,
    FinancialProfile,
    FinancialYear,
    Judgement,
    SelfAssessment,
    SpecificCriteriaMapping,
)


def edition_in_force(*, level: str = CriteriaEdition.Level.ADVANCED, today: datetime.date) -> CriteriaEdition | None:
    """The edition of this level in force on `today` (latest start on or before it, not ended)."""
    return (
        CriteriaEdition.objects.filter(level=level, effective_from__lte=today)
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=today))
        .order_by("-effective_from")
        .first()
    )


def specific_keys(*, enterprise: Enterprise, edition: CriteriaEdition) -> set[str]:
    """Specific-criteria business types the enterprise's business types bring in under an edition."""
    return set(
        SpecificCriteriaMapping.objects.filter(
            edition=edition, business_type__in=enterprise.business_types.all()
        ).values_list("specific_key", flat=True)
    )


def applicable_criteria(*, enterprise: Enterprise, edition: CriteriaEdition) -> QuerySet[Criterion]:
    """General and bonus sub-items of the edition, plus the specific ones of the enterprise's
    business types (DOMAIN.md: "1+1" = general + specific criteria)."""
    keys = specific_keys(enterprise=enterprise, edition=edition)
    return (
        Criterion.objects.filter(item__area__edition=edition)
        .filter(~Q(item__area__key="specific") | Q(item__business_type_key__in=keys))
        .select_related("item__area")
        .order_by("item__area__position", "item__number", "sequence")
    )


def edition_rules(*, edition: CriteriaEdition, criteria: list[Criterion]) -> rules.EditionRules:
    """The pure rule input of an edition for these sub-items."""
    sub_items = tuple(
        rules.SubItem(
            key=str(c.pk),
            code=c.code or f"{c.item.number}.{c.sequence}",
            label=c.text_zh,
            item_key=str(c.item_id),
            item_label=c.item.name,
            area_key=c.item.area.key,
            area_label=c.item.area.name,
            is_bonus=c.is_bonus,
            is_veto=c.is_veto,
            financial_check=c.financial_check,
        )
        for c in criteria
    )
    return rules.EditionRules(edition.code, edition.pass_rule, edition.financial_rule, sub_items)


def financial_years(*, enterprise_id: int) -> dict[int, rules.FinancialYear]:
    return {row.year: row.as_rule_input() for row in FinancialYear.objects.filter(enterprise_id=enterprise_id)}


def is_manufacturer(*, enterprise_id: int) -> bool:
    return FinancialProfile.objects.filter(enterprise_id=enterprise_id, is_manufacturer=True).exists()


def financial_check(*, enterprise_id: int, edition: CriteriaEdition, today: datetime.date) -> rules.FinancialResult:
    """The edition's financial checks on the enterprise's current figures (3 queries)."""
    return rules.check_financials(
        edition.financial_rule,
        financial_years(enterprise_id=enterprise_id),
        today=today,
        manufacturer=is_manufacturer(enterprise_id=enterprise_id),
    )


def assessment_verdict(
    *, assessment: SelfAssessment, criteria: list[Criterion], judgements: dict[int, Judgement], today: datetime.date
) -> rules.AssessmentVerdict:
    """The verdict of the draft as it stands."""
    values = {str(pk): (j.value or None) for pk, j in judgements.items()}
    return rules.judge_assessment(
        edition_rules(edition=assessment.edition, criteria=criteria),
        values,
        financial_years(enterprise_id=assessment.enterprise_id),
        today=today,
        manufacturer=is_manufacturer(enterprise_id=assessment.enterprise_id),
    )


def assessments_visible_to(user) -> QuerySet[SelfAssessment]:
    """Self-assessments of the enterprises this user may see (own enterprise; officers their
    district; GACC all)."""
    return SelfAssessment.objects.filter(enterprise__in=enterprises_visible_to(user).values("id")).select_related(
        "enterprise", "edition"
    )


def assessment_list(*, user) -> QuerySet[SelfAssessment]:
    latest = AssessmentVersion.objects.filter(assessment=OuterRef("pk")).order_by("-number")
    return (
        assessments_visible_to(user)
        .annotate(
            version_count=Count("versions", distinct=True),
            latest_outcome=Subquery(latest.values("outcome")[:1]),
            latest_score=Subquery(latest.values("score")[:1]),
        )
        .order_by("enterprise__name_zh", "-edition__effective_from")
    )


def assessment_page(*, assessment: SelfAssessment) -> dict:
    """Everything the self-assessment page shows, in a constant number of queries: the sub-items
    that apply, grouped by area and item, each with its judgement and evidence; the versions."""
    criteria = list(applicable_criteria(enterprise=assessment.enterprise, edition=assessment.edition))
    judgements = {
        j.criterion_id: j
        for j in Judgement.objects.filter(assessment=assessment).prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "id"))
        )
    }
    for judgement in judgements.values():
        judgement.assessment = assessment
    areas: dict[int, dict] = {}
    for criterion in criteria:
        item = criterion.item
        area = areas.setdefault(item.area_id, {"area": item.area, "items": {}})
        area["items"].setdefault(item.pk, {"item": item, "rows": []})["rows"].append(
            {"criterion": criterion, "judgement": judgements.get(criterion.pk)}
        )
    courses = courses_by_area(area_ids=list(areas))
    tree = [
        {"area": a["area"], "items": list(a["items"].values()), "courses": courses.get(pk, [])}
        for pk, a in areas.items()
    ]
    versions = list(
        AssessmentVersion.objects.filter(assessment=assessment)
        .select_related("submitted_by")
        .only("id", "number", "submitted_at", "outcome", "score", "submitted_by__email", "assessment_id")
    )
    return {
        "criteria": criteria,
        "judgements": judgements,
        "tree": tree,
        "versions": versions,
        "placeholders": sum(criterion.is_placeholder for criterion in criteria),
    }


def courses_by_area(*, area_ids: list[int]) -> dict[int, list]:
    """Live courses that teach each criteria area, from the one place where course ↔ criteria
    links live: `CoursePage.criteria_areas`. Each course once, in the active language when it is
    translated into it (a course and its translations share a `translation_key`), else in the
    language it has. One query."""
    from django.utils import translation

    from courses.models import CoursePage

    language = (translation.get_language() or "").lower()
    chosen: dict[int, dict] = defaultdict(dict)
    through = CoursePage.criteria_areas.through
    rows = through.objects.filter(criteriaarea_id__in=area_ids, coursepage__live=True).select_related(
        "coursepage__locale"
    )
    for row in rows.order_by("coursepage__title", "coursepage_id"):
        page = row.coursepage
        courses = chosen[row.criteriaarea_id]
        kept = courses.get(page.translation_key)
        if kept is None or (
            page.locale.language_code.lower() == language and kept.locale.language_code.lower() != language
        ):
            courses[page.translation_key] = page
    return {area_id: sorted(courses.values(), key=lambda page: page.title) for area_id, courses in chosen.items()}


def latest_submitted_version(*, enterprise_id: int, edition_code: str) -> AssessmentVersion | None:
    """The enterprise's latest submitted self-assessment under an edition (one query)."""
    return (
        AssessmentVersion.objects.filter(
            assessment__enterprise_id=enterprise_id, assessment__edition__code=edition_code
        )
        .order_by("-number")
        .first()
    )


# On PostgreSQL the database picks out of each frozen snapshot (about 20 kB) only what the
# readiness report reads: the (area, judgement) pair of every sub-item, in order, and the sub-items
# judged below "meets"; elsewhere the snapshot is read and summarised here.
_JUDGEMENT_PAIRS_SQL = (
    "SELECT coalesce(jsonb_agg(jsonb_build_array(e -> 'area', e -> 'judgement', e -> 'area_en') ORDER BY i), "
    "'[]'::jsonb) "
    "FROM jsonb_array_elements(coalesce(readiness_assessmentversion.snapshot -> 'sub_items', '[]'::jsonb)) "
    "WITH ORDINALITY AS t(e, i)"
)
# The gap levels come from the rules (`rules.GAP_JUDGEMENTS`), constants of this module: no
# user input reaches this SQL.
_GAP_VALUES = sorted(judgement.value for judgement in rules.GAP_JUDGEMENTS)
_BELOW_MEETS_SQL = (
    "jsonb_path_query_array(readiness_assessmentversion.snapshot, "
    "'$.sub_items[*] ? (" + " || ".join(f'@.judgement == "{value}"' for value in _GAP_VALUES) + ")')"
)


# The blocking reasons frozen in each language (versions submitted before they were: none).
_BLOCKING_BY_LANGUAGE_SQL = "readiness_assessmentversion.snapshot -> 'blocking_by_language'"


def blocking_in_language(version) -> list[str]:
    """A submitted version's blocking reasons in the active language, as frozen at submission; as
    submitted for versions frozen before both languages were kept."""
    by_language = getattr(version, "blocking_by_language", None) or {}
    language = (translation.get_language() or "").lower()
    for code, lines in by_language.items():
        if language.startswith(code.split("-")[0].lower()):
            return lines
    return version.blocking


def _summarise(version: AssessmentVersion) -> None:
    version.blocking_by_language = version.snapshot.get("blocking_by_language")
    rows = version.snapshot.get("sub_items", [])
    version.judgement_pairs = [[row.get("area"), row.get("judgement"), row.get("area_en")] for row in rows]
    version.below_meets_rows = [row for row in rows if row.get("judgement") in _GAP_VALUES]


def latest_submitted_versions(*, enterprise_ids: list[int], edition_code: str) -> dict[int, AssessmentVersion]:
    """Per enterprise id, its latest submitted version under an edition (one query; earlier
    versions are not read). Each version carries `judgement_pairs` — [area label in
    Chinese, judgement value or None, area label in English or None (versions submitted before
    it was frozen)] per sub-item, in the snapshot's order — and `below_meets_rows` — the snapshot
    rows judged at a gap level (`rules.GAP_JUDGEMENTS`: "basic" or "fails"); its `snapshot`
    itself is not loaded on PostgreSQL."""
    latest_number = (
        AssessmentVersion.objects.filter(assessment=OuterRef("assessment")).order_by("-number").values("number")[:1]
    )
    rows = (
        AssessmentVersion.objects.filter(
            assessment__enterprise_id__in=enterprise_ids, assessment__edition__code=edition_code
        )
        .filter(number=Subquery(latest_number))
        .select_related("assessment")
        .defer("financial")
        .order_by("assessment__enterprise_id", "-number")
    )
    postgres = connection.vendor == "postgresql"
    if postgres:
        rows = rows.defer("snapshot").annotate(
            judgement_pairs=RawSQL(_JUDGEMENT_PAIRS_SQL, (), output_field=JSONField()),  # noqa: S611 (constant SQL)
            below_meets_rows=RawSQL(_BELOW_MEETS_SQL, (), output_field=JSONField()),  # noqa: S611 (constant SQL)
            blocking_by_language=RawSQL(_BLOCKING_BY_LANGUAGE_SQL, (), output_field=JSONField()),  # noqa: S611
        )
    latest: dict[int, AssessmentVersion] = {}
    for version in rows:
        if not postgres:
            _summarise(version)
        latest.setdefault(version.assessment.enterprise_id, version)
    return latest


def version_get(*, assessment: SelfAssessment, number: int) -> AssessmentVersion:
    return AssessmentVersion.objects.get(assessment=assessment, number=number)


def latest_submitted_edition_code(*, enterprise_id: int) -> str:
    """The edition code of the enterprise's most recently submitted self-assessment ("" if none)."""
    return latest_submitted_edition_codes(enterprise_ids=[enterprise_id]).get(enterprise_id, "")


def latest_submitted_edition_codes(*, enterprise_ids: list[int]) -> dict[int, str]:
    """Per enterprise id, the edition code of its most recently submitted self-assessment
    (enterprises that never submitted are absent). One query, reading no snapshot."""
    codes: dict[int, str] = {}
    rows = (
        AssessmentVersion.objects.filter(assessment__enterprise_id__in=enterprise_ids)
        .order_by("assessment__enterprise_id", "-submitted_at", "-id")
        .values_list("assessment__enterprise_id", "assessment__edition__code")
    )
    for enterprise_id, code in rows:
        codes.setdefault(enterprise_id, code)
    return codes


def financial_checks(*, editions: dict[int, CriteriaEdition], today: datetime.date) -> dict[int, rules.FinancialResult]:
    """`financial_check` of many enterprises at once: enterprise id → the financial checks of the
    edition given for it (`editions`: enterprise id → edition) on its current figures. Two
    queries whatever the number of enterprises and years."""
    ids = list(editions)
    years: dict[int, dict[int, rules.FinancialYear]] = defaultdict(dict)
    for row in FinancialYear.objects.filter(enterprise_id__in=ids).values(
        "enterprise_id", "year", "audit_opinion", *rules.FIGURES
    ):
        enterprise_id, year = row.pop("enterprise_id"), row.pop("year")
        years[enterprise_id][year] = rules.FinancialYear(year, **row)
    manufacturers = set(
        FinancialProfile.objects.filter(enterprise_id__in=ids, is_manufacturer=True).values_list(
            "enterprise_id", flat=True
        )
    )
    return {
        enterprise_id: rules.check_financials(
            edition.financial_rule,
            years.get(enterprise_id, {}),
            today=today,
            manufacturer=enterprise_id in manufacturers,
        )
        for enterprise_id, edition in editions.items()
    }


# --- The readiness report ------------------------------------------------------------------------


def edition_titles() -> dict[str, str]:
    """Edition code → the edition's title in the active language, for pages and exports that
    keep only the code (readiness records). One query."""
    return {edition.code: edition.title for edition in CriteriaEdition.objects.only("code", "title_zh", "title_en")}


HISTORY_POINTS = 60


def readiness_history(*, enterprise_id: int, limit: int = HISTORY_POINTS) -> list[tuple]:
    """(computed_at, score, status) of the latest `limit` recomputations, oldest first (one query)."""
    from .models import ReadinessRecord

    rows = list(
        ReadinessRecord.objects.filter(enterprise_id=enterprise_id)
        .order_by("-computed_at", "-id")
        .values_list("computed_at", "score", "status")[:limit]
    )
    return rows[::-1]


def rectifications_of(*, enterprise_id: int):
    from .models import RectificationTask

    return list(
        RectificationTask.objects.filter(enterprise_id=enterprise_id)
        .select_related("owner", "criterion")
        .order_by("status", "due_date", "id")
    )


DASHBOARD_SORTS = {
    "score": ("score", "enterprise__name_zh"),
    "-score": ("-score", "enterprise__name_zh"),
    "name": ("enterprise__name_zh",),
    "status": ("status", "-score"),
    "computed": ("-computed_at",),
}


def readiness_dashboard(*, user, status: str = "", unit_id: int | None = None, query: str = "", sort: str = "-score"):
    """The officers' district dashboard: latest report of every enterprise the officer may see
    (GACC: all), filtered and sorted; counts by status; the most common gaps; overdue
    rectification tasks. Query count constant whatever the number of enterprises."""
    from django.utils import timezone

    from trainees.access import readiness_enterprises_visible_to

    from .models import ReadinessRecord, RectificationTask

    visible = readiness_enterprises_visible_to(user).values("id")
    records = ReadinessRecord.objects.filter(is_latest=True, enterprise__in=visible)
    if unit_id:
        records = records.filter(enterprise__customs_unit_id=unit_id)
    if query:
        records = records.filter(Q(enterprise__name_zh__icontains=query) | Q(enterprise__credit_code__icontains=query))
    counts = {row["status"]: row["n"] for row in records.values("status").annotate(n=Count("id"))}
    gaps: dict[str, int] = defaultdict(int)
    for missing in records.values_list("missing", flat=True):
        for key in missing or ():
            gaps[key] += 1
    if status:
        records = records.filter(status=status)
    rows = records.select_related("enterprise__customs_unit").order_by(
        *DASHBOARD_SORTS.get(sort, DASHBOARD_SORTS["-score"])
    )
    today = timezone.localdate()
    overdue = list(
        RectificationTask.objects.filter(enterprise__in=visible, due_date__lt=today)
        .exclude(status=RectificationTask.Status.DONE)
        .select_related("enterprise", "owner")
        .order_by("due_date", "id")[:200]
    )
    common = sorted(gaps.items(), key=lambda kv: (-kv[1], kv[0]))
    return {
        "rows": rows,
        "counts": counts,
        "total": sum(counts.values()),
        "common_gaps": [(str(rules.REQUIREMENT_LABELS.get(key, key)), n, key) for key, n in common],
        "overdue": overdue,
    }


def personal_data(*, user_id: int) -> dict[str, list[dict]]:
    """What this app holds about one person: the self-assessment judgements they wrote, the
    evidence files they uploaded (names, not contents) and the rectification tasks they own
    (3 queries)."""
    from .models import Evidence, Judgement, RectificationTask

    return {
        "judgements_written": list(
            Judgement.objects.filter(updated_by_id=user_id)
            .order_by("updated_at", "pk")
            .values("assessment__enterprise__name_zh", "criterion__code", "value", "reason", "notes", "updated_at")
        ),
        "evidence_uploaded": list(
            Evidence.objects.filter(uploaded_by_id=user_id)
            .order_by("uploaded_at", "pk")
            .values("assessment__enterprise__name_zh", "name", "content_type", "size", "uploaded_at")
        ),
        "rectification_tasks": list(
            RectificationTask.objects.filter(owner_id=user_id)
            .order_by("due_date", "pk")
            .values("enterprise__name_zh", "code", "title", "due_date", "status", "evidence_note", "closed_at")
        ),
    }


def readiness_distribution(*, district_ids: list[int]) -> dict[str, int]:
    """Enterprises of the customs units `district_ids` by the status of their latest readiness
    report ("ready" / "nearly_ready" / "not_ready" → count), as the district dashboard counts
    them. One query."""
    from .models import ReadinessRecord

    return dict(
        ReadinessRecord.objects.filter(is_latest=True, enterprise__customs_unit_id__in=district_ids)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
