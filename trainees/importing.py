"""Import of enterprises and their credit data from the XLSX or CSV files customs offices
exchange. All or nothing: every bad row is reported with its row number and reason, and nothing
is imported while any row is bad."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.bulk import copy_rows, insert_returning, update_present
from lms.spreadsheets import (
    CellError,
    RowError,
    RowsRejected,
    Table,
    cell_code,
    cell_date,
    cell_list,
    cell_number,
    cell_text,
    check_no_hidden_characters,
    halfwidth,
    read_table,
)

from . import rules
from .access import enterprises_visible_to, units_visible_to
from .models import BusinessType, CreditLevel, CultivationStatus, CustomsUnit, Enterprise, ImportJob, User
from .validators import validate_credit_code, validate_customs_code

# Column → accepted headers (English key, Chinese header as customs offices write it).
COLUMNS = {
    "credit_code": ("credit_code", "统一社会信用代码"),
    "name_zh": ("name_zh", "企业名称"),
    "name_en": ("name_en", "英文名称"),
    "customs_code": ("customs_code", "海关编码"),
    "customs_unit": ("customs_unit", "主管海关"),
    "is_sme": ("is_sme", "中小企业"),
    "credit_level": ("credit_level", "信用等级"),
    "credit_score": ("credit_score", "信用评估分数"),
    "credit_score_date": ("credit_score_date", "评估日期"),
    "business_types": ("business_types", "业务类型"),
}
REQUIRED = ("credit_code", "name_zh", "customs_unit")
PROGRESS_EVERY = 500
# Yes and no as Chinese forms mark them (ticks and crosses included).
TRUE_WORDS = {"1", "true", "yes", "y", "是", "√", "✓", "✔", "对", "有"}
FALSE_WORDS = {"0", "false", "no", "n", "否", "×", "✗", "✘", "不是", "无", ""}

# Enterprises in these states are in cultivation; a discredited level terminates it (seed 004).
IN_CULTIVATION = {s for s in CultivationStatus.values if s not in {"none", "not_selected", "terminated"}}


ImportRejected = RowsRejected
__all__ = ["COLUMNS", "ImportRejected", "RowError", "enterprise_import", "read_rows"]


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    terminated: list[int] = field(default_factory=list)
    plan: list = field(default_factory=list)


def read_rows(data: bytes, filename: str) -> Table:
    """The file's columns and (row number as the user sees it, {column: raw value}) for every
    non-empty data row, by the shared spreadsheet reader. Raises ValidationError or
    ImportRejected (formula cells without a saved result)."""
    return read_table(data, filename, COLUMNS, REQUIRED)


@dataclass(frozen=True)
class RowPlan:
    """What the import will do to one row's enterprise: `changes` are the verbose names of the
    columns whose stored value differs from the file's (all of the file's columns for a new one)."""

    row: int
    credit_code: str
    name: str
    new: bool
    changes: list[str]

    def as_json(self) -> dict:
        return {"row": self.row, "code": self.credit_code, "name": self.name, "new": self.new, "changes": self.changes}


# The file's columns and the enterprise fields they fill (credit_code is the key, never changed).
FIELD_OF_COLUMN = {c: c for c in COLUMNS if c != "credit_code"}


def enterprise_import(
    *,
    data: bytes,
    filename: str,
    actor: User,
    rows: Table | None = None,
    progress: Callable[[int, int], None] | None = None,
    dry_run: bool = False,
) -> ImportSummary:
    """Create or update enterprises (matched by credit code) with their credit data, all or
    nothing. Only the columns the file holds are written, and an empty cell leaves the stored
    value as it is, so a three-column file fixing names clears nothing. `rows`: the file
    already read by `read_rows` (else it is read from `data`); `progress(checked, total)` is
    called every PROGRESS_EVERY rows checked; `dry_run`: check and plan only, write nothing.
    Returns the counts and `plan` (one RowPlan per row). Raises ValidationError (unreadable
    file) or ImportRejected (every bad row, numbered)."""
    table = read_rows(data, filename) if rows is None else rows
    rows_ = table.rows
    # 主管海关 by code (5301) or by name (深圳海关, Shenzhen Customs), as offices write it.
    units = {}
    for u in units_visible_to(actor):
        units |= dict.fromkeys(_unit_keys(u.code, u.name_zh, u.name_en), u)
    all_units = {
        key for names in CustomsUnit.objects.values_list("code", "name_zh", "name_en") for key in _unit_keys(*names)
    }
    levels = {}
    for level in CreditLevel.objects.select_related("maps_to"):
        for name in (level.code, level.name_zh, level.name_en):
            if name:
                levels[_choice_key(name)] = level
    business_types = {}
    for business_type in BusinessType.objects.all():
        for name in (business_type.code, business_type.name_zh, business_type.name_en):
            if name:
                business_types[_choice_key(name)] = business_type
    codes = []
    customs_codes = []
    for _n, r in rows_:
        try:
            codes.append(cell_code(r["credit_code"]))
            customs_codes.append(cell_code(r.get("customs_code"), length=10))
        except CellError:
            continue
    current = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes)}
    current_types: dict[int, set[int]] = {}
    links = Enterprise.business_types.through.objects.filter(enterprise_id__in=[e.pk for e in current.values()])
    for enterprise_id, type_id in links.values_list("enterprise_id", "businesstype_id"):
        current_types.setdefault(enterprise_id, set()).add(type_id)
    visible = set(enterprises_visible_to(actor).filter(credit_code__in=codes).values_list("credit_code", flat=True))
    customs_holders = dict(
        Enterprise.objects.filter(customs_code__in=[c for c in customs_codes if c]).values_list(
            "customs_code", "credit_code"
        )
    )

    labels = {name: str(Enterprise._meta.get_field(name).verbose_name) for name in FIELD_OF_COLUMN.values()}
    errors: list[RowError] = []
    parsed = []
    plan: list[RowPlan] = []
    seen: dict[str, int] = {}
    seen_customs: dict[str, int] = {}
    for checked, (number, row) in enumerate(rows_, start=1):
        if progress is not None and checked % PROGRESS_EVERY == 0:
            progress(checked, len(rows_))
        problems = []
        if any(isinstance(v, str) and "\x00" in v for v in row.values()):
            errors.append(RowError(number, _("the row contains a NUL character")))
            continue
        values: dict[str, object] = {}
        try:
            code = cell_code(row["credit_code"])
            validate_credit_code(code)
        except ValidationError as exc:
            code = cell_text(row["credit_code"])
            problems.append(_("credit code %(code)s: %(error)s") % {"code": code or "—", "error": exc.messages[0]})
        repeated = code in seen
        if repeated:
            problems.append(
                _("credit code %(code)s already appears in row %(row)d") % {"code": code, "row": seen[code]}
            )
        seen.setdefault(code, number)
        if code in current and code not in visible:
            problems.append(_("enterprise %(code)s is outside your customs district") % {"code": code})
        name_zh = cell_text(row["name_zh"])
        if not name_zh:
            problems.append(_("the enterprise name is missing"))
        values["name_zh"] = name_zh
        try:
            unit_code = cell_code(row["customs_unit"])
        except CellError as exc:
            unit_code = ""
            problems.append(exc.messages[0])
        unit = units.get(unit_code) or units.get(_choice_key(unit_code))
        if unit is None:
            if unit_code in all_units or _choice_key(unit_code) in all_units:
                problems.append(_("customs district %(code)s is outside your district") % {"code": unit_code})
            else:
                problems.append(_("unknown customs district “%(code)s”") % {"code": unit_code or "—"})
        values["customs_unit"] = unit
        if "name_en" in row and cell_text(row["name_en"]):
            values["name_en"] = cell_text(row["name_en"])
        if "customs_code" in row:
            try:
                customs_code = cell_code(row["customs_code"], length=10)
                if customs_code:
                    validate_customs_code(customs_code)
            except ValidationError as exc:
                customs_code = ""
                problems.append(_("customs code: %(error)s") % {"error": exc.messages[0]})
            if customs_code:
                values["customs_code"] = customs_code
                holder = customs_holders.get(customs_code)
                if holder is not None and holder != code:
                    problems.append(
                        _("customs code %(customs)s belongs to the enterprise %(code)s")
                        % {"customs": customs_code, "code": holder}
                    )
                if customs_code in seen_customs and not repeated:
                    problems.append(
                        _("customs code %(code)s already appears in row %(row)d")
                        % {"code": customs_code, "row": seen_customs[customs_code]}
                    )
                seen_customs.setdefault(customs_code, number)
        if "is_sme" in row:
            sme = row["is_sme"]
            try:
                sme_text = "" if isinstance(sme, bool) else cell_code(sme).lower()
            except CellError as exc:
                sme_text = ""
                problems.append(exc.messages[0])
            if isinstance(sme, bool):
                values["is_sme"] = sme
            elif sme_text not in TRUE_WORDS | FALSE_WORDS:
                problems.append(_("“%(value)s” is not yes or no (SME)") % {"value": sme_text})
            elif sme_text:
                values["is_sme"] = sme_text in TRUE_WORDS
        if "credit_level" in row:
            level_text = cell_text(row["credit_level"])
            level = levels.get(_choice_key(level_text)) if level_text else None
            if level is not None:
                values["credit_level"] = level
            elif level_text:
                try:
                    check_no_hidden_characters(level_text)  # name them rather than "unknown"
                except CellError as exc:
                    problems.append(_("credit level: %(error)s") % {"error": exc.messages[0]})
                else:
                    problems.append(_("unknown credit level “%(value)s”") % {"value": level_text})
        if "credit_score" in row:
            try:
                score_text = cell_number(row["credit_score"])
            except CellError as exc:
                score_text = ""
                problems.append(_("credit score: %(error)s") % {"error": exc.messages[0]})
            score = _score(score_text)
            if score_text and score is None:
                problems.append(
                    _("credit score %(value)s is not a whole number from 0 to 100") % {"value": score_text[:40]}
                )
            elif score is not None:
                values["credit_score"] = score
        if "credit_score_date" in row:
            try:
                score_date = cell_date(row["credit_score_date"])
            except CellError as exc:
                score_date = None
                problems.append(_("credit score date: %(error)s") % {"error": exc.messages[0]})
            if score_date is not None:
                values["credit_score_date"] = score_date
        types = None
        if "business_types" in row:
            try:
                tokens = cell_list(row["business_types"])
            except CellError as exc:
                tokens = []
                problems.append(_("business types: %(error)s") % {"error": exc.messages[0]})
            found = []
            for token in tokens:
                business_type = business_types.get(_choice_key(token))
                if business_type is None:
                    problems.append(_("unknown business type “%(value)s”") % {"value": token})
                else:
                    found.append(business_type)
            types = found or None
        if problems:
            errors.extend(RowError(number, p) for p in problems)
            continue
        model_problems = _model_problems(values)
        if model_problems:
            errors.extend(RowError(number, p) for p in model_problems)
            continue
        enterprise = current.get(code)
        stored_types = current_types.get(enterprise.pk, set()) if enterprise is not None else set()
        plan.append(_row_plan(number, code, values, types, enterprise, stored_types, labels))
        parsed.append((code, values, types))
    if errors:
        raise ImportRejected(errors)
    if dry_run:
        return ImportSummary(
            created=sum(p.new for p in plan), updated=sum(not p.new and bool(p.changes) for p in plan), plan=plan
        )
    fields = [FIELD_OF_COLUMN[c] for c in sorted(table.columns) if c in FIELD_OF_COLUMN and c != "business_types"]
    summary = _write(parsed, actor=actor, filename=filename, fields=fields)
    summary.plan = plan
    return summary


def _row_plan(
    number: int,
    code: str,
    values: dict,
    types: list | None,
    enterprise: Enterprise | None,
    stored_types: set[int],
    label: dict[str, str],
) -> RowPlan:
    """Compare a checked row with the stored enterprise and the ids of its business types: the
    columns that will change (`label`: field name → verbose name, in the officer's language)."""
    if enterprise is None:
        changes = [label[name] for name in values] + ([label["business_types"]] if types else [])
        return RowPlan(number, code, str(values["name_zh"]), True, changes)
    # Foreign keys compared by id: no query per row.
    changes = [
        label[name]
        for name, value in values.items()
        if getattr(enterprise, Enterprise._meta.get_field(name).attname) != getattr(value, "pk", value)
    ]
    if types is not None and {t.pk for t in types} != stored_types:
        changes.append(label["business_types"])
    return RowPlan(number, code, str(values["name_zh"]), False, changes)


def _unit_keys(code: str, *names: str) -> set[str]:
    return {code} | {_choice_key(name) for name in names if name}


def _choice_key(text: str) -> str:
    """A credit level or business type as the file may spell it: its code, Chinese or English
    name, in any case, full-width or half-width (高级认证企业(251号令) is 高级认证企业（251号令）),
    spaces ignored."""
    return "".join(halfwidth(text).split()).lower()


def _score(text: str) -> int | None:
    """A credit score cell as a whole number 0-100, or None when it is not one ("inf", "1e400",
    "nan", "88.5", "-1" and "101" are not)."""
    if not text:
        return None
    try:
        number = float(text)
    except (ValueError, OverflowError):
        return None
    if not math.isfinite(number) or not number.is_integer() or not 0 <= number <= 100:
        return None
    return int(number)


# The model's rules re-checked on every row: the fields whose values come from the file as
# typed (the others are checked above with their own messages, or resolved from reference tables).
_RECHECKED = {"name_zh", "name_en", "customs_code", "is_sme", "credit_score", "credit_score_date"}


def _model_problems(values: dict) -> list[str]:
    """The model's own field rules (lengths, ranges, choices) on a row's values, as "field:
    message" texts, so a value the database would refuse is a row error, never a 500. The
    fields are cleaned as `Model.clean_fields` cleans them (an empty optional value is
    skipped), without building a model instance per row. No queries."""
    problems = []
    for name, value in values.items():
        if name not in _RECHECKED:
            continue
        model_field = _FIELDS[name]
        if model_field.blank and value in model_field.empty_values:
            continue
        try:
            model_field.clean(value, None)
        except ValidationError as exc:
            problems.extend(
                _("%(field)s: %(error)s") % {"field": model_field.verbose_name, "error": message}
                for message in exc.messages
            )
    return problems


_FIELDS = {name: Enterprise._meta.get_field(name) for name in _RECHECKED}


def _replace_business_types(typed: list[tuple[int, list[BusinessType]]]) -> None:
    """Replace the business types of the given enterprises: one DELETE and one COPY of the
    link rows (model instances for tens of thousands of link rows cost seconds)."""
    through = Enterprise.business_types.through
    through.objects.filter(enterprise_id__in=[pk for pk, _types in typed]).delete()
    copy_rows(through, ("enterprise_id", "businesstype_id"), ((pk, t.pk) for pk, types in typed for t in types))


def _write(parsed: list, *, actor: User, filename: str, fields: list[str]) -> ImportSummary:
    """Write the validated rows in a constant number of queries (one read of the existing rows
    under lock, one COPY and INSERT of the new ones, one COPY and UPDATE of `fields` — the
    file's columns, an empty cell keeping the stored value — of the others, business types
    replaced in bulk), then terminate the cultivation of enterprises whose new level excludes
    them (one service call each)."""
    from .services import cultivation_transition

    summary = ImportSummary()
    codes = [code for code, *_rest in parsed]
    try:
        with transaction.atomic():
            existing = {
                code: (pk, status)
                for code, pk, status in Enterprise.objects.select_for_update()
                .filter(credit_code__in=codes)
                .values_list("credit_code", "pk", "cultivation_status")
            }
            to_terminate = []
            for code, values, _types in parsed:
                level = values.get("credit_level")
                if (
                    code in existing
                    and level is not None
                    and level.current.excludes_from_cultivation
                    and existing[code][1] in IN_CULTIVATION
                ):
                    to_terminate.append((code, level))
            ids = {code: pk for code, (pk, _status) in existing.items()}
            ids |= insert_returning(
                Enterprise,
                [Enterprise(credit_code=code, **values) for code, values, _types in parsed if code not in existing],
                key_field="credit_code",
            )
            update_present(
                Enterprise,
                [
                    (Enterprise(credit_code=code, **values), values.keys())
                    for code, values, _ in parsed
                    if code in existing
                ],
                key_field="credit_code",
                fields=fields,
            )
            summary.created, summary.updated = len(parsed) - len(existing), len(existing)
            _replace_business_types([(ids[code], types) for code, _values, types in parsed if types is not None])
            for code, level in to_terminate:
                cultivation_transition(
                    enterprise_id=ids[code],
                    action="terminate",
                    actor=actor,
                    ground=rules.TerminationGround.DISCREDITED,
                    reason=_("Credit level changed to “%(level)s” by an import.") % {"level": level.name},
                    evidence_reference=filename[:200],
                )
                summary.terminated.append(ids[code])
    except IntegrityError as exc:  # another import created one of these enterprises meanwhile
        raise ValidationError(_("Another import changed these enterprises at the same time: try again.")) from exc
    return summary


def import_job_start(
    *, data: bytes, filename: str, actor: User, total_rows: int, plan: list | None = None
) -> ImportJob:
    """Keep the file privately (in the database) until the officer confirms it. With `plan`
    (a small file already checked in the request) the job waits for confirmation at once;
    without, the check runs in a Celery task once this transaction commits. Returns the job
    whose page shows the progress, then the preview."""
    from .tasks import run_import_job

    job = ImportJob.objects.create(
        created_by=actor,
        filename=filename[:255],
        data=data,
        total_rows=total_rows,
        checked_rows=total_rows if plan is not None else 0,
        status=ImportJob.Status.PREVIEW if plan is not None else ImportJob.Status.CHECKING,
        plan=[p.as_json() for p in plan] if plan is not None else [],
        language=translation.get_language() or "",
    )
    if plan is None:
        transaction.on_commit(lambda: run_import_job.delay(str(job.pk)))
    return job


def import_job_confirm(*, job: ImportJob, inline: bool) -> ImportJob:
    """The officer confirmed the preview: write the file (checked again, all or nothing), in
    this request when `inline`, else in a Celery task. Raises ValidationError when the job is
    not waiting for confirmation (confirmed twice, or still being checked)."""
    from .tasks import run_import_job

    confirmed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEW).update(
        status=ImportJob.Status.PENDING, checked_rows=0
    )
    if not confirmed:
        raise ValidationError(_("This import is not waiting for confirmation."))
    if inline:
        return import_job_run(str(job.pk))
    transaction.on_commit(lambda: run_import_job.delay(str(job.pk)))
    job.refresh_from_db()
    return job


def import_job_run(job_id: str) -> ImportJob:
    """Run a queued step of an import (the Celery task): the check, which ends in the preview
    (the columns each row will change) or every problem; or, once confirmed, the write, which
    ends in the counts and clears the file. Running a finished step again is a no-op."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status == ImportJob.Status.CHECKING:
        return _job_step(job, dry_run=True)
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING
    )
    if not claimed:
        return job
    return _job_step(job, dry_run=False)


def _job_step(job: ImportJob, *, dry_run: bool) -> ImportJob:
    def progress(checked: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(checked_rows=checked, total_rows=total)

    outcome: dict = {}
    with translation.override(job.language or None):
        try:
            summary = enterprise_import(
                data=bytes(job.data), filename=job.filename, actor=job.created_by, progress=progress, dry_run=dry_run
            )
        except ImportRejected as exc:
            outcome |= {
                "status": ImportJob.Status.REJECTED,
                "errors": [{"row": e.row, "message": e.message} for e in exc.errors],
            }
        except ValidationError as exc:
            outcome |= {
                "status": ImportJob.Status.REJECTED,
                "errors": [{"row": None, "message": m} for m in exc.messages],
            }
        else:
            if dry_run:
                outcome |= {
                    "status": ImportJob.Status.PREVIEW,
                    "plan": [p.as_json() for p in summary.plan],
                    "checked_rows": len(summary.plan),
                    "total_rows": len(summary.plan),
                }
            else:
                outcome |= {
                    "status": ImportJob.Status.DONE,
                    "created": summary.created,
                    "updated": summary.updated,
                    "terminated": len(summary.terminated),
                    "checked_rows": job.total_rows,
                }
    if outcome["status"] != ImportJob.Status.PREVIEW:
        outcome |= {"data": b"", "finished_at": timezone.now()}
    ImportJob.objects.filter(pk=job.pk).update(**outcome)
    job.refresh_from_db()
    return job
