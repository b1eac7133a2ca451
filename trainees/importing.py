"""Import of enterprises and their credit data from the XLSX or CSV files customs offices
exchange. All or nothing: every bad row is reported with its row number and reason, and nothing
is imported while any row is bad."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.uploads import check_xlsx_archive

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
BATCH_SIZE = 1000
PROGRESS_EVERY = 500
TRUE_WORDS = {"1", "true", "yes", "y", "是", "√"}
FALSE_WORDS = {"0", "false", "no", "n", "否", ""}

# Enterprises in these states are in cultivation; a discredited level terminates it (seed 004).
IN_CULTIVATION = {s for s in CultivationStatus.values if s not in {"none", "not_selected", "terminated"}}


@dataclass(frozen=True)
class RowError:
    row: int
    message: str


class ImportRejected(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} bad rows")
        self.errors = errors


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    terminated: list[int] = field(default_factory=list)


def read_rows(data: bytes, filename: str) -> list[tuple[int, dict[str, object]]]:
    """(row number as the user sees it, {column: value}) for every non-empty data row."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        check_xlsx_archive(data)
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:
            raise ValidationError(_("This file cannot be read as an XLSX workbook.")) from exc
        raw = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
    elif name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - gb18030 decodes any byte sequence
            raise ValidationError(_("This CSV file is neither UTF-8 nor GB18030."))
        raw = [list(r) for r in csv.reader(io.StringIO(text))]
    else:
        raise ValidationError(_("Upload an .xlsx or .csv file."))
    if not raw:
        raise ValidationError(_("The file is empty."))
    header = [str(h or "").strip().lower() for h in raw[0]]
    index = {}
    for column, names in COLUMNS.items():
        for i, h in enumerate(header):
            if h in {n.lower() for n in names}:
                index[column] = i
    missing = [COLUMNS[c][1] for c in REQUIRED if c not in index]
    if missing:
        raise ValidationError(_("Columns missing from the first row: %(columns)s.") % {"columns": "、".join(missing)})
    rows = []
    for number, values in enumerate(raw[1:], start=2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        rows.append((number, {c: (values[i] if i < len(values) else None) for c, i in index.items()}))
    return rows


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(_text(value).replace("/", "-"))


def enterprise_import(
    *,
    data: bytes,
    filename: str,
    actor: User,
    rows: list[tuple[int, dict[str, object]]] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Create or update enterprises (matched by credit code) with their credit data, all or
    nothing. `rows`: the file already read by `read_rows` (else it is read from `data`);
    `progress(checked, total)` is called every PROGRESS_EVERY rows checked.
    Raises ValidationError (unreadable file) or ImportRejected (every bad row, numbered)."""
    if rows is None:
        rows = read_rows(data, filename)
    units = {u.code: u for u in units_visible_to(actor)}
    all_units = set(CustomsUnit.objects.values_list("code", flat=True))
    levels = {}
    for level in CreditLevel.objects.select_related("maps_to"):
        levels[level.code.lower()] = level
        levels[level.name_zh.lower()] = level
        if level.name_en:
            levels[level.name_en.lower()] = level
    business_types = {b.code.lower(): b for b in BusinessType.objects.all()} | {
        b.name_zh: b for b in BusinessType.objects.all()
    }
    codes = [_text(r["credit_code"]).upper() for _n, r in rows]
    existing = set(Enterprise.objects.filter(credit_code__in=codes).values_list("credit_code", flat=True))
    visible = set(enterprises_visible_to(actor).filter(credit_code__in=codes).values_list("credit_code", flat=True))

    errors: list[RowError] = []
    parsed = []
    seen: dict[str, int] = {}
    for checked, (number, row) in enumerate(rows, start=1):
        if progress is not None and checked % PROGRESS_EVERY == 0:
            progress(checked, len(rows))
        problems = []
        if any(isinstance(v, str) and "\x00" in v for v in row.values()):
            errors.append(RowError(number, _("the row contains a NUL character")))
            continue
        code = _text(row["credit_code"]).upper()
        try:
            validate_credit_code(code)
        except ValidationError as exc:
            problems.append(_("credit code %(code)s: %(error)s") % {"code": code or "—", "error": exc.messages[0]})
        if code in seen:
            problems.append(
                _("credit code %(code)s already appears in row %(row)d") % {"code": code, "row": seen[code]}
            )
        seen.setdefault(code, number)
        if code in existing and code not in visible:
            problems.append(_("enterprise %(code)s is outside your customs district") % {"code": code})
        name_zh = _text(row["name_zh"])
        if not name_zh:
            problems.append(_("the enterprise name is missing"))
        unit_code = _text(row["customs_unit"])
        unit = units.get(unit_code)
        if unit is None:
            if unit_code in all_units:
                problems.append(_("customs district %(code)s is outside your district") % {"code": unit_code})
            else:
                problems.append(_("unknown customs district “%(code)s”") % {"code": unit_code or "—"})
        customs_code = _text(row.get("customs_code")).upper()
        if customs_code:
            try:
                validate_customs_code(customs_code)
            except ValidationError as exc:
                problems.append(exc.messages[0])
        sme_text = _text(row.get("is_sme")).lower()
        if sme_text not in TRUE_WORDS | FALSE_WORDS:
            problems.append(_("“%(value)s” is not yes or no (SME)") % {"value": sme_text})
        level_text = _text(row.get("credit_level"))
        level = levels.get(level_text.lower()) if level_text else None
        if level_text and level is None:
            problems.append(_("unknown credit level “%(value)s”") % {"value": level_text})
        score_text = _text(row.get("credit_score"))
        score = _score(score_text)
        if score_text and score is None:
            problems.append(
                _("credit score %(value)s is not a whole number from 0 to 100") % {"value": score_text[:40]}
            )
        try:
            score_date = _date(row.get("credit_score_date"))
        except ValueError:
            score_date = None
            problems.append(
                _("“%(value)s” is not a date (YYYY-MM-DD)") % {"value": _text(row.get("credit_score_date"))}
            )
        types = []
        for token in _text(row.get("business_types")).replace("、", ";").replace(",", ";").split(";"):
            token = token.strip()
            if not token:
                continue
            business_type = business_types.get(token.lower()) or business_types.get(token)
            if business_type is None:
                problems.append(_("unknown business type “%(value)s”") % {"value": token})
            else:
                types.append(business_type)
        if problems:
            errors.extend(RowError(number, p) for p in problems)
            continue
        values = {
            "name_zh": name_zh,
            "name_en": _text(row.get("name_en")),
            "customs_code": customs_code,
            "customs_unit": unit,
            "is_sme": sme_text in TRUE_WORDS or sme_text == "",
            "credit_level": level,
            "credit_score": score,
            "credit_score_date": score_date,
        }
        model_problems = _model_problems(code, values)
        if model_problems:
            errors.extend(RowError(number, p) for p in model_problems)
            continue
        parsed.append((code, values, types, "business_types" in row and _text(row.get("business_types")) != ""))
    if errors:
        raise ImportRejected(errors)

    return _write(parsed, actor=actor, filename=filename)


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


def _model_problems(code: str, values: dict) -> list[str]:
    """The model's own field rules (lengths, ranges, choices) on a row, as "field: message" texts,
    so a value the database would refuse is a row error, never a 500. No queries."""
    enterprise = Enterprise(credit_code=code, **values)
    try:
        enterprise.clean_fields(exclude=_NOT_RECHECKED)
    except ValidationError as exc:
        return [
            _("%(field)s: %(error)s") % {"field": Enterprise._meta.get_field(name).verbose_name, "error": message}
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return []


_NOT_RECHECKED = [f.name for f in Enterprise._meta.concrete_fields if f.name not in _RECHECKED]


WRITE_FIELDS = [
    "name_zh",
    "name_en",
    "customs_code",
    "customs_unit",
    "is_sme",
    "credit_level",
    "credit_score",
    "credit_score_date",
]


def _replace_business_types(typed: list[tuple[int, list[BusinessType]]]) -> None:
    """Replace the business types of the given enterprises: one DELETE and one pipelined
    executemany INSERT (model instances for tens of thousands of link rows cost seconds)."""
    through = Enterprise.business_types.through
    through.objects.filter(enterprise_id__in=[pk for pk, _types in typed]).delete()
    links = [(pk, t.pk) for pk, types in typed for t in types]
    if not links:
        return
    table = connection.ops.quote_name(through._meta.db_table)
    left = connection.ops.quote_name(through._meta.get_field("enterprise").column)
    right = connection.ops.quote_name(through._meta.get_field("businesstype").column)
    with connection.cursor() as cursor:
        # identifiers from the model, quoted; values as parameters
        cursor.executemany(f"INSERT INTO {table} ({left}, {right}) VALUES (%s, %s)", links)  # noqa: S608


def _write(parsed: list, *, actor: User, filename: str) -> ImportSummary:
    """Write the validated rows in a constant number of queries (one read of the existing rows
    under lock, a bulk upsert, business types replaced in bulk), then terminate the
    cultivation of enterprises whose new level excludes them (one service call each)."""
    from .services import cultivation_transition

    summary = ImportSummary()
    codes = [code for code, *_rest in parsed]
    try:
        with transaction.atomic():
            existing = {e.credit_code: e for e in Enterprise.objects.select_for_update().filter(credit_code__in=codes)}
            to_create, to_update, to_terminate = [], [], []
            for code, values, _types, _has_types in parsed:
                enterprise = existing.get(code)
                if enterprise is None:
                    to_create.append(Enterprise(credit_code=code, **values))
                    continue
                for name, value in values.items():
                    setattr(enterprise, name, value)
                to_update.append(enterprise)
                level = values["credit_level"]
                if (
                    level is not None
                    and level.current.excludes_from_cultivation
                    and enterprise.cultivation_status in IN_CULTIVATION
                ):
                    to_terminate.append((enterprise, level))
            # One INSERT ... ON CONFLICT (credit_code) DO UPDATE per batch: far faster than
            # bulk_update's CASE expressions; new rows get their ids back.
            Enterprise.objects.bulk_create(
                [*to_create, *to_update],
                batch_size=BATCH_SIZE,
                update_conflicts=True,
                unique_fields=["credit_code"],
                update_fields=WRITE_FIELDS,
            )
            summary.created, summary.updated = len(to_create), len(to_update)
            ids = {e.credit_code: e.pk for e in [*to_create, *to_update]}
            typed = [(ids[code], types) for code, _values, types, has_types in parsed if has_types]
            _replace_business_types(typed)
            for enterprise, level in to_terminate:
                cultivation_transition(
                    enterprise_id=enterprise.id,
                    action="terminate",
                    actor=actor,
                    ground=rules.TerminationGround.DISCREDITED,
                    reason=_("Credit level changed to “%(level)s” by an import.") % {"level": level.name},
                    evidence_reference=filename[:200],
                )
                summary.terminated.append(enterprise.id)
    except IntegrityError as exc:  # another import created one of these enterprises meanwhile
        raise ValidationError(_("Another import changed these enterprises at the same time: try again.")) from exc
    return summary


def import_job_start(*, data: bytes, filename: str, actor: User, total_rows: int) -> ImportJob:
    """Keep the file privately (in the database) and queue its import in a Celery task once
    this transaction commits. Returns the job whose page shows the progress."""
    from .tasks import run_import_job

    job = ImportJob.objects.create(
        created_by=actor,
        filename=filename[:255],
        data=data,
        total_rows=total_rows,
        language=translation.get_language() or "",
    )
    transaction.on_commit(lambda: run_import_job.delay(str(job.pk)))
    return job


def import_job_run(job_id: str) -> ImportJob:
    """Run a queued import (the Celery task): progress, then the outcome (counts or every
    problem) on the job; the file is cleared at the end either way. Running it twice is a no-op."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING
    )
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job

    def progress(checked: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(checked_rows=checked, total_rows=total)

    outcome: dict = {"data": b"", "finished_at": None}
    with translation.override(job.language or None):
        try:
            summary = enterprise_import(
                data=bytes(job.data), filename=job.filename, actor=job.created_by, progress=progress
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
            outcome |= {
                "status": ImportJob.Status.DONE,
                "created": summary.created,
                "updated": summary.updated,
                "terminated": len(summary.terminated),
                "checked_rows": job.total_rows,
            }
    outcome["finished_at"] = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(**outcome)
    job.refresh_from_db()
    return job
