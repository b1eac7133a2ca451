"""Import of enterprises and their credit data from the XLSX or CSV files customs offices
exchange. All or nothing: every bad row is reported with its row number and reason, and nothing
is imported while any row is bad."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import rules
from .access import enterprises_visible_to, units_visible_to
from .models import BusinessType, CreditLevel, CultivationStatus, CustomsUnit, Enterprise, User
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


def enterprise_import(*, data: bytes, filename: str, actor: User) -> ImportSummary:
    """Create or update enterprises (matched by credit code) with their credit data."""
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
    existing = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes)}
    visible = set(enterprises_visible_to(actor).filter(credit_code__in=codes).values_list("credit_code", flat=True))

    errors: list[RowError] = []
    parsed = []
    seen: dict[str, int] = {}
    for number, row in rows:
        problems = []
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
        score = None
        if score_text:
            try:
                score = int(float(score_text))
                if not 0 <= score <= 100 or float(score_text) != score:
                    raise ValueError
            except ValueError:
                problems.append(_("credit score %(value)s is not a whole number from 0 to 100") % {"value": score_text})
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
        parsed.append(
            (
                code,
                {
                    "name_zh": name_zh,
                    "name_en": _text(row.get("name_en")),
                    "customs_code": customs_code,
                    "customs_unit": unit,
                    "is_sme": sme_text in TRUE_WORDS or sme_text == "",
                    "credit_level": level,
                    "credit_score": score,
                    "credit_score_date": score_date,
                },
                types,
                "business_types" in row and _text(row.get("business_types")) != "",
            )
        )
    if errors:
        raise ImportRejected(errors)

    from .services import cultivation_transition

    summary = ImportSummary()
    with transaction.atomic():
        for code, values, types, has_types in parsed:
            enterprise, created = Enterprise.objects.update_or_create(credit_code=code, defaults=values)
            if has_types:
                enterprise.business_types.set(types)
            if created:
                summary.created += 1
            else:
                summary.updated += 1
            level = values["credit_level"]
            if (
                level is not None
                and level.current.excludes_from_cultivation
                and enterprise.cultivation_status in IN_CULTIVATION
            ):
                cultivation_transition(
                    enterprise_id=enterprise.id,
                    action="terminate",
                    actor=actor,
                    ground=rules.TerminationGround.DISCREDITED,
                    reason=_("Credit level changed to “%(level)s” by an import.") % {"level": level.name},
                    evidence_reference=filename[:200],
                )
                summary.terminated.append(enterprise.id)
    return summary
