"""Use cases of the self-assessment: start, judge, assign, attach evidence, record the figures,
submit (freeze a version). Each in one transaction; errors a user can cause are ValidationErrors
with a message in the user's language, and nothing is saved half-way."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms import uploads
from trainees.models import Enterprise, Position

from . import rules, selectors
from .models import (
    FIGURES,
    AssessmentVersion,
    CriteriaEdition,
    Evidence,
    FinancialProfile,
    FinancialYear,
    Judgement,
    SelfAssessment,
)

# What evidence may be, judged from the content (`lms.uploads.check_content_type` reads the
# signature in the first bytes), not the name; a name saying another type is refused.
EVIDENCE_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
}


def can_edit(user, assessment: SelfAssessment) -> bool:
    """Enterprise staff of the assessed enterprise edit the draft; officers only read it."""
    return getattr(user, "is_authenticated", False) and user.enterprise_id == assessment.enterprise_id


def can_judge(user, judgement: Judgement) -> bool:
    """The enterprise's administrator judges everything; colleagues judge the sub-items assigned
    to their position, and any sub-item nobody was assigned."""
    if not can_edit(user, judgement.assessment):
        return False
    return user.administers_enterprise or judgement.assigned_position in ("", user.position)


def assessment_start(*, enterprise: Enterprise, edition: CriteriaEdition, user) -> SelfAssessment:
    """Open (or reopen) the enterprise's draft under an edition, with a row per applicable
    sub-item. Idempotent; safe when two colleagues open it at once."""
    if user.enterprise_id != enterprise.pk:
        raise PermissionDenied
    with transaction.atomic():
        assessment, _created = SelfAssessment.objects.get_or_create(enterprise=enterprise, edition=edition)
        assessment_sync(assessment=assessment)
    return assessment


def assessment_sync(*, assessment: SelfAssessment) -> None:
    """Add a draft row for each sub-item that applies now (business types may have changed)."""
    criteria = selectors.applicable_criteria(enterprise=assessment.enterprise, edition=assessment.edition)
    Judgement.objects.bulk_create(
        [Judgement(assessment=assessment, criterion=c) for c in criteria], ignore_conflicts=True
    )


def judgement_save(*, judgement: Judgement, value: str, reason: str, notes: str, user) -> Judgement:
    """Save a draft judgement as the user goes. "Not applicable" needs a reason."""
    if not can_judge(user, judgement):
        raise PermissionDenied
    if value and value not in Judgement.Value.values:
        raise ValidationError(_("Choose meets, basically meets, does not meet or not applicable."))
    reason, notes = reason.strip(), notes.strip()
    if value == Judgement.Value.NOT_APPLICABLE and not reason:
        raise ValidationError(_("Say why this sub-item does not apply to your enterprise."))
    if judgement.criterion.financial_check:
        raise ValidationError(_("This sub-item is judged from your financial figures."))
    with transaction.atomic():
        judgement.value, judgement.reason, judgement.notes, judgement.updated_by = value, reason, notes, user
        judgement.save(update_fields=["value", "reason", "notes", "updated_by", "updated_at"])
    return judgement


def judgements_assign(*, assessment: SelfAssessment, criterion_ids: list[int], position: str, user) -> int:
    """The enterprise's administrator assigns sub-items to the colleagues of a position (empty:
    unassigned). Returns how many were assigned."""
    if not (can_edit(user, assessment) and user.administers_enterprise):
        raise PermissionDenied
    if position and position not in Position.values:
        raise ValidationError(_("Choose a position."))
    with transaction.atomic():
        return Judgement.objects.filter(assessment=assessment, criterion_id__in=criterion_ids).update(
            assigned_position=position
        )


def evidence_type(upload: UploadedFile) -> str:
    """The content type read from the file's first bytes; ValidationError when it is not an
    allowed type (an HTML or SVG file renamed .pdf is refused), when its name says another type
    than its content (a PDF named .jpg), or when it is empty or too large."""
    uploads.check_size(upload.size, settings.LMS_EVIDENCE_MAX_BYTES)
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    return uploads.check_content_type(
        upload,
        allowed=EVIDENCE_TYPES,
        refused_message=_("Only PDF files, images and office documents can be attached."),
    )


def evidence_name(upload: UploadedFile, content_type: str) -> str:
    """The name an evidence file is kept and downloaded under: its own (folders dropped), with
    its type's extension when it had none."""
    return uploads.file_name(upload.name or "evidence", content_type)


def evidence_add(*, judgement: Judgement, upload: UploadedFile, user) -> Evidence:
    """Attach a file to a judgement, stored privately."""
    if not can_judge(user, judgement):
        raise PermissionDenied
    content_type = evidence_type(upload)
    name = evidence_name(upload, content_type)
    with transaction.atomic():
        return Evidence.objects.create(
            assessment=judgement.assessment,
            judgement=judgement,
            file=upload,
            name=name,
            content_type=content_type,
            size=upload.size,
            uploaded_by=user,
        )


def financials_save(*, enterprise: Enterprise, years: list[dict], is_manufacturer: bool, user) -> None:
    """Record up to five fiscal years of figures (万元) and whether the enterprise manufactures.
    `years`: dicts with `year` and the figure names of `models.FIGURES` (Decimal or None) and
    `audit_opinion`; a dict whose figures are all empty deletes that year. Raises
    ValidationError for a year given twice or a figure negative that cannot be
    (`rules.figure_problems`: assets, liabilities, cash, revenue)."""
    if not (user.enterprise_id == enterprise.pk):
        raise PermissionDenied
    given = [row for row in years if row.get("year")]
    if len({row["year"] for row in given}) != len(given):
        raise ValidationError(_("Each fiscal year can be given once."))
    problems = [
        _("%(year)s: %(problem)s") % {"year": row["year"], "problem": problem}
        for row in given
        for problem in rules.figure_problems(row).values()
    ]
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        FinancialProfile.objects.update_or_create(enterprise=enterprise, defaults={"is_manufacturer": is_manufacturer})
        for row in given:
            values = {name: row.get(name) for name in FIGURES}
            opinion = row.get("audit_opinion") or ""
            if all(v is None for v in values.values()) and not opinion:
                FinancialYear.objects.filter(enterprise=enterprise, year=row["year"]).delete()
                continue
            FinancialYear.objects.update_or_create(
                enterprise=enterprise, year=row["year"], defaults={**values, "audit_opinion": opinion}
            )
        from .report_services import schedule_recompute

        schedule_recompute(enterprise.pk)


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    return value


def financial_snapshot(result: rules.FinancialResult) -> dict:
    return {
        "method": result.method.value,
        "years": list(result.years),
        "judgement": result.judgement.value if result.judgement else None,
        "missing": list(result.missing),
        "groups": [
            {
                "key": g.key,
                "label": g.label,
                "year": g.year,
                "met": g.met_count,
                "required": g.required,
                "judgement": g.judgement.value,
                "checks": [
                    {
                        "key": c.key,
                        "label": c.label,
                        "value": _jsonable(c.value),
                        "threshold": _jsonable(c.threshold),
                        "comparison": c.comparison,
                        "met": c.met,
                        "note": c.note,
                    }
                    for c in g.checks
                ],
            }
            for g in result.groups
        ],
    }


def _blocking_by_language(*, assessment: SelfAssessment, page: dict, today: datetime.date) -> dict[str, list[str]]:
    """The reasons the verdict blocks, in each language of the site: a frozen version shows them
    in its reader's language, whoever submitted it."""
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            verdict = selectors.assessment_verdict(
                assessment=assessment, criteria=page["criteria"], judgements=page["judgements"], today=today
            )
            texts[code] = list(verdict.blocking)
    return texts


@transaction.atomic
def assessment_submit(*, assessment: SelfAssessment, user, today: datetime.date) -> AssessmentVersion:
    """Freeze the draft as a new version: the wording judged, judgements, evidence list, figures
    and verdict as they are now. An incomplete assessment is refused, naming what is missing.
    The draft row is locked so two colleagues submitting at once make two ordered versions."""
    if not can_edit(user, assessment):
        raise PermissionDenied
    assessment = (
        SelfAssessment.objects.select_for_update(of=("self",))
        .select_related("edition", "enterprise")
        .get(pk=assessment.pk)
    )
    page = selectors.assessment_page(assessment=assessment)
    verdict = selectors.assessment_verdict(
        assessment=assessment, criteria=page["criteria"], judgements=page["judgements"], today=today
    )
    if verdict.outcome == rules.Outcome.INCOMPLETE:
        listed = "；".join(verdict.unjudged[:10])
        more = len(verdict.unjudged) - 10
        suffix = _(" and %(count)s more") % {"count": more} if more > 0 else ""
        raise ValidationError(
            _("The assessment is not complete: %(missing)s%(more)s.") % {"missing": listed, "more": suffix}
        )
    results = {r.key: r for r in verdict.sub_items}
    sub_items = []
    for criterion in page["criteria"]:
        judgement = page["judgements"].get(criterion.pk)
        result = results[str(criterion.pk)]
        sub_items.append(
            {
                "criterion": criterion.pk,
                "code": criterion.code,
                "area": criterion.item.area.name_zh,
                "area_en": criterion.item.area.name_en,
                "item": criterion.item.name_zh,
                "item_en": criterion.item.name_en,
                "text_zh": criterion.text_zh,
                "text_en": criterion.text_en,
                "judgement": result.judgement.value if result.judgement else None,
                "computed": result.computed,
                "points": result.points,
                "reason": judgement.reason if judgement else "",
                "notes": judgement.notes if judgement else "",
                "evidence": [{"id": e.pk, "name": e.name} for e in judgement.evidence.all()] if judgement else [],
            }
        )
    figures = {
        str(year): {name: _jsonable(getattr(f, name)) for name in (*FIGURES, "audit_opinion")}
        for year, f in selectors.financial_years(enterprise_id=assessment.enterprise_id).items()
    }
    number = (assessment.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    from .report_services import schedule_recompute

    schedule_recompute(assessment.enterprise_id)
    return AssessmentVersion.objects.create(
        assessment=assessment,
        number=number,
        submitted_at=timezone.now(),
        submitted_by=user,
        outcome=verdict.outcome.value,
        score=verdict.score,
        blocking=list(verdict.blocking),
        financial=financial_snapshot(verdict.financial),
        snapshot={
            "edition": assessment.edition.code,
            "blocking_by_language": _blocking_by_language(assessment=assessment, page=page, today=today),
            "manufacturer": selectors.is_manufacturer(enterprise_id=assessment.enterprise_id),
            "bonus": verdict.bonus,
            "totals": dict(verdict.totals),
            "sub_items": sub_items,
            "figures": figures,
        },
    )


def versions_compare(older: AssessmentVersion, newer: AssessmentVersion) -> list[dict]:
    """Sub-items whose judgement, reason, notes, evidence or wording differ between two versions,
    in the newer version's order: `{"code", "text", "before": {...}, "after": {...}}`."""
    before = {row["criterion"]: row for row in older.snapshot.get("sub_items", [])}
    changes = []
    keys = ("judgement", "reason", "notes", "text_zh")
    for row in newer.snapshot.get("sub_items", []):
        old = before.pop(row["criterion"], None)
        names = lambda r: sorted(e["name"] for e in r["evidence"])  # noqa: E731
        if old is None or any(old[k] != row[k] for k in keys) or names(old) != names(row):
            changes.append({"code": row["code"], "text": row["text_zh"], "before": old, "after": row})
    for old in before.values():
        changes.append({"code": old["code"], "text": old["text_zh"], "before": old, "after": None})
    return changes
