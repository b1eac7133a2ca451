"""The customs rules of the self-assessment: the pass rule of an edition and the financial checks.

Pure and typed: no ORM, no clock (the date is an argument), frozen dataclasses in and out. Every
rule names its source in DOMAIN.md ("Pass rules", "Financial checks") or in the edition's data,
which officers edit in the back office because the official wording of the pass rules was not
found. Same inputs, same verdict.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Judgement(StrEnum):
    """The judging scale of a sub-item (DOMAIN.md: 达标 / 基本达标 / 不达标 / 不适用)."""

    MEETS = "meets"
    BASIC = "basic"
    FAILS = "fails"
    NOT_APPLICABLE = "na"


JUDGEMENT_LABELS = {
    Judgement.MEETS: _("Meets"),
    Judgement.BASIC: _("Basically meets"),
    Judgement.FAILS: _("Does not meet"),
    Judgement.NOT_APPLICABLE: _("Not applicable"),
}


class Outcome(StrEnum):
    PASS = "pass"  # noqa: S105 (a verdict, not a secret)
    FAIL = "fail"
    INCOMPLETE = "incomplete"


class FinancialMethod(StrEnum):
    """Which financial checks an edition applies (DOMAIN.md "Financial checks")."""

    ASSET_LIABILITY = "asset_liability"  # 2022: asset-liability ratio in each year
    SOLVENCY_PROFITABILITY = "solvency_profitability"  # 2026: groups + audit opinion
    NONE = "none"


class AuditOpinion(StrEnum):
    UNQUALIFIED = "unqualified"
    QUALIFIED = "qualified"
    ADVERSE = "adverse"
    DISCLAIMER = "disclaimer"


# The auditor's opinion as people read it (a context: "Qualified" means 保留意见 here, not 合格).
AUDIT_OPINION_LABELS = {
    AuditOpinion.UNQUALIFIED: pgettext_lazy("audit opinion", "Unqualified"),
    AuditOpinion.QUALIFIED: pgettext_lazy("audit opinion", "Qualified"),
    AuditOpinion.ADVERSE: pgettext_lazy("audit opinion", "Adverse"),
    AuditOpinion.DISCLAIMER: pgettext_lazy("audit opinion", "Disclaimer of opinion"),
}


# --- Inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PassRule:
    """The pass rule of an edition (DOMAIN.md "Pass rules": `PassRule{veto_on_fail,
    max_basic_per_item, max_basic_total, min_score, score_map, bonus_cap, veto_items}`).

    Scores: `base_score` plus `score_basic` per "basically meets" and `score_fail` per "does not
    meet" (general sub-items), plus one point per met bonus sub-item up to `bonus_cap`. A limit of
    None means "no limit". `per_item_areas` restricts the per-item limit to some areas (2018: internal
    control and trade security); empty means every area."""

    veto_on_fail: bool = True
    max_basic_per_item: int | None = None
    max_basic_total: int | None = 3
    min_score: int | None = None
    base_score: int = 100
    score_basic: int = -1
    score_fail: int = -2
    bonus_cap: int = 0
    per_item_areas: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FinancialRule:
    """The financial checks of an edition as data (DOMAIN.md "Financial checks"). Ratios are
    fractions (0.95 = 95 %). `years` is how many latest complete fiscal years are looked at
    (2022: 5; 2026: configurable, default 1)."""

    method: FinancialMethod = FinancialMethod.NONE
    years: int = 1
    asset_liability_max: Decimal = Decimal("0.95")
    asset_liability_max_manufacturer: Decimal = Decimal("0.85")
    asset_liability_max_other: Decimal = Decimal("0.75")
    cash_ratio_min: Decimal = Decimal("0.2")
    cash_flow_to_liabilities_min: Decimal = Decimal("0.1")
    current_ratio_min: Decimal = Decimal("1.0")
    operating_margin_min: Decimal = Decimal("0.01")
    gross_margin_min: Decimal = Decimal("0.01")
    return_on_assets_min: Decimal = Decimal("0.01")
    solvency_min_met: int = 2
    profitability_min_met: int = 2


@dataclass(frozen=True)
class SubItem:
    """One judged sub-item of an edition, with its place in the tree. `financial_check` names the
    financial group whose result judges it (then the enterprise's own judgement is not used)."""

    key: str
    code: str
    label: str
    item_key: str
    item_label: str
    area_key: str
    area_label: str
    is_bonus: bool = False
    is_veto: bool = False
    financial_check: str = ""


@dataclass(frozen=True)
class EditionRules:
    code: str
    pass_rule: PassRule
    financial_rule: FinancialRule
    sub_items: tuple[SubItem, ...]


@dataclass(frozen=True)
class FinancialYear:
    """One fiscal year of figures in 万元 (customs forms' unit). None = not given."""

    year: int
    total_assets: Decimal | None = None
    total_liabilities: Decimal | None = None
    cash: Decimal | None = None
    current_assets: Decimal | None = None
    current_liabilities: Decimal | None = None
    operating_cash_flow: Decimal | None = None
    revenue: Decimal | None = None
    operating_profit: Decimal | None = None
    net_profit: Decimal | None = None
    gross_profit: Decimal | None = None
    audit_opinion: str = ""


# --- Financial checks -------------------------------------------------------------------------


@dataclass(frozen=True)
class RatioCheck:
    """One condition: a ratio (or a figure) against a threshold. `value` is None when it cannot
    be computed (`note` says why); such a condition is not met."""

    key: str
    label: str
    value: Decimal | None
    threshold: Decimal
    comparison: str  # "<=", ">=", ">"
    met: bool
    note: str = ""


@dataclass(frozen=True)
class GroupResult:
    """A group of conditions for one year (solvency, profitability, asset-liability, audit)."""

    key: str
    label: str
    year: int
    checks: tuple[RatioCheck, ...]
    met_count: int
    required: int
    judgement: Judgement


@dataclass(frozen=True)
class FinancialResult:
    """Per group the worst judgement over the years looked at; `judgement` is None when the check
    is incomplete (`missing` names each year and figure) or the edition has no financial check."""

    method: FinancialMethod
    years: tuple[int, ...]
    groups: tuple[GroupResult, ...]
    group_judgements: Mapping[str, Judgement | None]
    missing: tuple[str, ...]
    judgement: Judgement | None

    @property
    def complete(self) -> bool:
        return not self.missing


SEVERITY = {Judgement.MEETS: 0, Judgement.NOT_APPLICABLE: 0, Judgement.BASIC: 1, Judgement.FAILS: 2}
# The judging levels below "meets": a sub-item judged so is a gap to rectify (整改), whether or not
# the assessment passes (DOMAIN.md "Pass rules": 2026 allows rectification within 6-12 months).
GAP_JUDGEMENTS = frozenset(judgement for judgement, severity in SEVERITY.items() if severity > 0)
FIGURE_LABELS = {
    "total_assets": _("total assets"),
    "total_liabilities": _("total liabilities"),
    "cash": _("cash"),
    "current_assets": _("current assets"),
    "current_liabilities": _("current liabilities"),
    "operating_cash_flow": _("operating cash flow"),
    "revenue": _("revenue"),
    "operating_profit": _("operating profit"),
    "net_profit": _("net profit"),
    "gross_profit": _("gross profit"),
    "audit_opinion": _("audit opinion"),
}


# The financial check groups in words (a frozen version names its groups by key and shows them in
# the reader's language).
GROUP_LABELS = {
    "asset_liability": _("Asset-liability ratio"),
    "solvency": _("Solvency"),
    "profitability": _("Profitability"),
    "audit_opinion": _("Audit opinion"),
}


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """numerator / denominator, or None when the denominator is zero or negative (the ratio means
    nothing then: a check on it is not met)."""
    if denominator <= 0:
        return None
    return numerator / denominator


def required_years(rule: FinancialRule, today: datetime.date) -> tuple[int, ...]:
    """The latest complete fiscal years (calendar years in China) a check looks at, newest first:
    2022 "5 consecutive years", 2026 default the latest year (DOMAIN.md "Financial checks")."""
    latest = today.year - 1
    return tuple(latest - offset for offset in range(rule.years))


def _label(name: str) -> str:
    return str(FIGURE_LABELS[name])


def _missing_check(key: str, label, absent: list[str], threshold: Decimal, comparison: str) -> RatioCheck:
    names = "、".join(_label(name) for name in absent)
    return RatioCheck(
        key, str(label), None, threshold, comparison, False, str(_("%(figures)s missing") % {"figures": names})
    )


def _ratio_check(
    key: str, label, figures: FinancialYear, numerator: str, denominator: str, threshold: Decimal, comparison: str
) -> RatioCheck:
    """numerator / denominator against a threshold. A figure not given is named as missing; a
    denominator zero or negative is named (the ratio means nothing then): not met either way."""
    absent = [name for name in (numerator, denominator) if getattr(figures, name) is None]
    if absent:
        return _missing_check(key, label, absent, threshold, comparison)
    value = ratio(getattr(figures, numerator), getattr(figures, denominator))
    if value is None:
        note = _("cannot be computed: %(figure)s is zero or negative") % {"figure": _label(denominator)}
        return RatioCheck(key, str(label), None, threshold, comparison, False, str(note))
    return _compare(key, label, value, threshold, comparison)


def _figure_check(key: str, figures: FinancialYear, name: str, threshold: Decimal, comparison: str) -> RatioCheck:
    value = getattr(figures, name)
    if value is None:
        return _missing_check(key, FIGURE_LABELS[name], [name], threshold, comparison)
    return _compare(key, FIGURE_LABELS[name], value, threshold, comparison)


def _compare(key: str, label, value: Decimal, threshold: Decimal, comparison: str) -> RatioCheck:
    met = {"<=": value <= threshold, ">=": value >= threshold, ">": value > threshold}[comparison]
    return RatioCheck(key, str(label), value, threshold, comparison, met)


def _group(key: str, label, year: int, checks: list[RatioCheck], required: int, *, basic_at: int | None) -> GroupResult:
    met = sum(check.met for check in checks)
    if met >= required:
        judgement = Judgement.MEETS
    elif basic_at is not None and met >= basic_at:
        judgement = Judgement.BASIC
    else:
        judgement = Judgement.FAILS
    return GroupResult(key, str(label), year, tuple(checks), met, required, judgement)


def asset_liability_group(rule: FinancialRule, figures: FinancialYear) -> GroupResult:
    """2022 (Bulletin No. 106, sub-item 14): liabilities / assets at year end ≤ 95 %; met or not."""
    check = _ratio_check(
        "asset_liability",
        _("asset-liability ratio"),
        figures,
        "total_liabilities",
        "total_assets",
        rule.asset_liability_max,
        "<=",
    )
    return _group("asset_liability", GROUP_LABELS["asset_liability"], figures.year, [check], 1, basic_at=None)


def solvency_group(rule: FinancialRule, figures: FinancialYear, *, manufacturer: bool) -> GroupResult:
    """2026 advanced (Bulletin 2026 No. 34, sub-item 13): ≥ 2 of 4 met = meets, 1 = basically
    meets, 0 = does not meet. Asset-liability ≤ 85 % for manufacturers, ≤ 75 % for others."""
    limit = rule.asset_liability_max_manufacturer if manufacturer else rule.asset_liability_max_other
    f = figures
    checks = [
        _ratio_check(
            "asset_liability", _("asset-liability ratio"), f, "total_liabilities", "total_assets", limit, "<="
        ),
        _ratio_check("cash_ratio", _("cash ratio"), f, "cash", "current_liabilities", rule.cash_ratio_min, ">="),
        _ratio_check(
            "cash_flow_to_liabilities",
            _("operating cash flow / total liabilities"),
            f,
            "operating_cash_flow",
            "total_liabilities",
            rule.cash_flow_to_liabilities_min,
            ">=",
        ),
        _ratio_check(
            "current_ratio",
            _("current ratio"),
            f,
            "current_assets",
            "current_liabilities",
            rule.current_ratio_min,
            ">=",
        ),
    ]
    return _group("solvency", GROUP_LABELS["solvency"], f.year, checks, rule.solvency_min_met, basic_at=1)


def profitability_group(rule: FinancialRule, figures: FinancialYear) -> GroupResult:
    """2026 advanced (Bulletin 2026 No. 34, sub-item 14): ≥ 2 of 5 met = meets, 1 = basically
    meets, 0 = does not meet. The operating margin counts only with an operating profit > 0."""
    f = figures
    margin_check = _ratio_check(
        "operating_margin", _("operating margin"), f, "operating_profit", "revenue", rule.operating_margin_min, ">="
    )
    if margin_check.met and f.operating_profit <= 0:
        margin_check = dataclasses.replace(margin_check, met=False, note=str(_("operating profit is not above 0")))
    checks = [
        _figure_check("net_profit", f, "net_profit", Decimal(0), ">"),
        margin_check,
        _ratio_check("gross_margin", _("gross margin"), f, "gross_profit", "revenue", rule.gross_margin_min, ">="),
        _figure_check("operating_cash_flow", f, "operating_cash_flow", Decimal(0), ">"),
        _ratio_check(
            "return_on_assets",
            _("return on assets"),
            f,
            "net_profit",
            "total_assets",
            rule.return_on_assets_min,
            ">=",
        ),
    ]
    return _group(
        "profitability", GROUP_LABELS["profitability"], f.year, checks, rule.profitability_min_met, basic_at=1
    )


def audit_opinion_group(figures: FinancialYear) -> GroupResult:
    """2026 (Bulletin 2026 No. 34, sub-item 12): unqualified meets, qualified basically meets,
    adverse or disclaimer does not meet. The check's note is the opinion in words."""
    opinion = figures.audit_opinion
    judgement = {
        AuditOpinion.UNQUALIFIED: Judgement.MEETS,
        AuditOpinion.QUALIFIED: Judgement.BASIC,
    }.get(opinion, Judgement.FAILS)
    known = opinion in AuditOpinion._value2member_map_
    words = (
        AUDIT_OPINION_LABELS[AuditOpinion(opinion)]
        if known
        else (opinion or pgettext_lazy("audit opinion", "not given"))
    )
    check = RatioCheck(
        "audit_opinion", str(_("audit opinion")), None, Decimal(0), "", judgement == Judgement.MEETS, str(words)
    )
    return GroupResult(
        "audit_opinion", str(GROUP_LABELS["audit_opinion"]), figures.year, (check,), int(check.met), 1, judgement
    )


# The figures of a fiscal year, in the order forms show them.
FIGURES = tuple(name for name in FIGURE_LABELS if name != "audit_opinion")
# Balances and sales cannot be negative; profits and cash flows can (a loss, money flowing out).
NON_NEGATIVE_FIGURES = frozenset(
    {"total_assets", "total_liabilities", "cash", "current_assets", "current_liabilities", "revenue"}
)
MAY_BE_NEGATIVE_FIGURES = tuple(name for name in FIGURES if name not in NON_NEGATIVE_FIGURES)


def figure_problems(figures: Mapping[str, Decimal | None]) -> dict[str, str]:
    """Figure name → what is wrong with its value, for figures that cannot be negative (balance
    sheet amounts and revenue, DOMAIN.md "Financial checks": ratios of them) yet are. Empty when
    every figure is plausible; figures not given are not judged here (`check_financials` names
    them as missing)."""
    return {
        name: str(_("%(figure)s cannot be negative.") % {"figure": _label(name).capitalize()})
        for name in FIGURES
        if name in NON_NEGATIVE_FIGURES and figures.get(name) is not None and figures[name] < 0
    }


GROUP_FIGURES = {
    "asset_liability": ("total_assets", "total_liabilities"),
    "solvency": (
        "total_assets",
        "total_liabilities",
        "cash",
        "current_assets",
        "current_liabilities",
        "operating_cash_flow",
    ),
    "profitability": (
        "revenue",
        "operating_profit",
        "net_profit",
        "gross_profit",
        "operating_cash_flow",
        "total_assets",
    ),
    "audit_opinion": ("audit_opinion",),
}
METHOD_GROUPS = {
    FinancialMethod.ASSET_LIABILITY: ("asset_liability",),
    FinancialMethod.SOLVENCY_PROFITABILITY: ("solvency", "profitability", "audit_opinion"),
    FinancialMethod.NONE: (),
}


def check_financials(
    rule: FinancialRule, years: Mapping[int, FinancialYear], *, today: datetime.date, manufacturer: bool
) -> FinancialResult:
    """Judge the figures by the edition's financial checks (DOMAIN.md "Financial checks").

    Each group is judged in each required year; a group's judgement is its worst year. A required
    year or figure not given makes the result incomplete, naming the year and the figure; the
    overall judgement is then None. Years beyond those required are ignored."""
    wanted = required_years(rule, today) if rule.method != FinancialMethod.NONE else ()
    group_keys = METHOD_GROUPS[rule.method]
    missing: list[str] = []
    groups: list[GroupResult] = []
    for year in wanted:
        figures = years.get(year)
        if figures is None:
            missing.append(str(_("%(year)s: no figures") % {"year": year}))
            continue
        for key in group_keys:
            absent = [name for name in GROUP_FIGURES[key] if getattr(figures, name) in (None, "")]
            if absent:
                names = "、".join(str(FIGURE_LABELS[name]) for name in absent)
                missing.append(str(_("%(year)s: %(figures)s missing") % {"year": year, "figures": names}))
                continue
            if key == "asset_liability":
                groups.append(asset_liability_group(rule, figures))
            elif key == "solvency":
                groups.append(solvency_group(rule, figures, manufacturer=manufacturer))
            elif key == "profitability":
                groups.append(profitability_group(rule, figures))
            else:
                groups.append(audit_opinion_group(figures))
    missing = list(dict.fromkeys(missing))
    group_judgements: dict[str, Judgement | None] = {}
    for key in group_keys:
        judged = [group.judgement for group in groups if group.key == key]
        complete = len(judged) == len(wanted)
        group_judgements[key] = max(judged, key=SEVERITY.__getitem__) if judged and complete else None
    if rule.method == FinancialMethod.NONE or missing:
        overall = None
    else:
        overall = max(group_judgements.values(), key=SEVERITY.__getitem__)
    return FinancialResult(rule.method, wanted, tuple(groups), group_judgements, tuple(missing), overall)


# --- The verdict ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubItemResult:
    key: str
    code: str
    label: str
    judgement: Judgement | None
    points: int
    computed: bool = False


@dataclass(frozen=True)
class RollUp:
    """Counts and points of an item or an area."""

    key: str
    label: str
    counts: Mapping[str, int]
    points: int
    unjudged: int


@dataclass(frozen=True)
class AssessmentVerdict:
    """What `judge_assessment` returns. `blocking` lists in words why the assessment does not pass;
    `unjudged` lists the sub-items still to judge. `outcome` is incomplete while anything is
    unjudged or a financial figure is missing, even if the known judgements already block."""

    edition: str
    outcome: Outcome
    score: int
    bonus: int
    sub_items: tuple[SubItemResult, ...]
    items: tuple[RollUp, ...]
    areas: tuple[RollUp, ...]
    totals: Mapping[str, int]
    blocking: tuple[str, ...]
    unjudged: tuple[str, ...]
    financial: FinancialResult
    would_pass: bool = field(default=False)

    @property
    def passed(self) -> bool:
        return self.outcome == Outcome.PASS


def _roll_up(results: Iterable[tuple[str, str, SubItemResult]]) -> tuple[RollUp, ...]:
    order: dict[str, tuple[str, list[SubItemResult]]] = {}
    for key, label, result in results:
        order.setdefault(key, (label, []))[1].append(result)
    rollups = []
    for key, (label, members) in order.items():
        counts = {judgement.value: 0 for judgement in Judgement}
        for member in members:
            if member.judgement is not None:
                counts[member.judgement.value] += 1
        rollups.append(
            RollUp(key, label, counts, sum(m.points for m in members), sum(m.judgement is None for m in members))
        )
    return tuple(rollups)


def _describe(sub_item: SubItem) -> str:
    return f"{sub_item.code} {sub_item.item_label}".strip()


def judge_assessment(
    edition: EditionRules,
    judgements: Mapping[str, Judgement | None],
    financials: Mapping[int, FinancialYear],
    *,
    today: datetime.date,
    manufacturer: bool = False,
) -> AssessmentVerdict:
    """Apply an edition's pass rule (DOMAIN.md "Pass rules", values from the edition's data).

    `judgements` maps a sub-item key to the enterprise's judgement (missing or None = not yet
    judged); sub-items linked to a financial check take the check's judgement instead. Points:
    `base_score` + `score_basic`/`score_fail` per general sub-item + 1 per met bonus sub-item up to
    `bonus_cap`; N/A counts nowhere. Blocking: any "does not meet" (when `veto_on_fail`), a veto
    sub-item not met, more "basically meets" than allowed per item or in total, a score below
    `min_score`. Bonus sub-items never block."""
    rule = edition.pass_rule
    financial = check_financials(edition.financial_rule, financials, today=today, manufacturer=manufacturer)
    results: list[SubItemResult] = []
    blocking: list[str] = []
    unjudged: list[str] = []
    bonus_met = 0
    penalty = 0
    basic_by_item: dict[str, int] = {}
    basic_total = 0
    checks = METHOD_GROUPS[edition.financial_rule.method]
    for sub_item in edition.sub_items:
        computed = bool(sub_item.financial_check)
        if computed and sub_item.financial_check not in checks:
            # Linked to a check the edition's financial method does not make (a back-office
            # setting out of step): never passed over in silence, the verdict stays incomplete.
            judgement = None
            unjudged.append(
                str(
                    _("%(sub_item)s: the edition's financial checks do not include %(check)s")
                    % {
                        "sub_item": _describe(sub_item),
                        "check": GROUP_LABELS.get(sub_item.financial_check, sub_item.financial_check),
                    }
                )
            )
        elif computed:
            judgement = financial.group_judgements.get(sub_item.financial_check)
        else:
            judgement = judgements.get(sub_item.key)
            judgement = Judgement(judgement) if judgement else None
        points = 0
        if judgement is None:
            if not computed:
                unjudged.append(_describe(sub_item))
        elif sub_item.is_bonus:
            bonus_met += judgement == Judgement.MEETS
        elif judgement == Judgement.BASIC:
            points = rule.score_basic
            basic_by_item[sub_item.item_key] = basic_by_item.get(sub_item.item_key, 0) + 1
            basic_total += 1
            if sub_item.is_veto:
                blocking.append(
                    str(
                        _("%(sub_item)s is a veto sub-item and only basically meets")
                        % {"sub_item": _describe(sub_item)}
                    )
                )
        elif judgement == Judgement.FAILS:
            points = rule.score_fail
            if rule.veto_on_fail or sub_item.is_veto:
                blocking.append(str(_("%(sub_item)s does not meet the criterion") % {"sub_item": _describe(sub_item)}))
        penalty += points
        results.append(SubItemResult(sub_item.key, sub_item.code, sub_item.label, judgement, points, computed))

    bonus = min(bonus_met, rule.bonus_cap)
    score = rule.base_score + penalty + bonus
    if rule.max_basic_per_item is not None:
        item_places = {s.item_key: (s.item_label, s.area_key) for s in edition.sub_items}
        for item_key, count in basic_by_item.items():
            label, area = item_places[item_key]
            if rule.per_item_areas and area not in rule.per_item_areas:
                continue
            if count > rule.max_basic_per_item:
                blocking.append(
                    str(
                        _("item %(item)s has %(count)s sub-items that only basically meet (at most %(limit)s)")
                        % {"item": label, "count": count, "limit": rule.max_basic_per_item}
                    )
                )
    if rule.max_basic_total is not None and basic_total > rule.max_basic_total:
        blocking.append(
            str(
                _("%(count)s sub-items only basically meet (at most %(limit)s)")
                % {"count": basic_total, "limit": rule.max_basic_total}
            )
        )
    if rule.min_score is not None and score < rule.min_score:
        blocking.append(str(_("score %(score)s is below %(minimum)s") % {"score": score, "minimum": rule.min_score}))
    if financial.missing:
        unjudged.extend(str(_("financial figures: %(missing)s") % {"missing": text}) for text in financial.missing)

    by_key = {s.key: s for s in edition.sub_items}
    items = _roll_up((by_key[r.key].item_key, by_key[r.key].item_label, r) for r in results)
    areas = _roll_up((by_key[r.key].area_key, by_key[r.key].area_label, r) for r in results)
    totals = {judgement.value: 0 for judgement in Judgement}
    for result in results:
        if result.judgement is not None:
            totals[result.judgement.value] += 1
    if unjudged:
        outcome = Outcome.INCOMPLETE
    elif blocking:
        outcome = Outcome.FAIL
    else:
        outcome = Outcome.PASS
    return AssessmentVerdict(
        edition=edition.code,
        outcome=outcome,
        score=score,
        bonus=bonus,
        sub_items=tuple(results),
        items=items,
        areas=areas,
        totals=totals,
        blocking=tuple(blocking),
        unjudged=tuple(unjudged),
        financial=financial,
        would_pass=not blocking,
    )


# --- The readiness report (issue 16) ----------------------------------------------------------
#
# One explainable report per enterprise: preconditions (trainees), the self-assessment verdict and
# the financial check of one edition (this app), training coverage (courses), live observation
# attendance (live) and exam results (exams). Pure: the caller gathers the inputs through each
# app's selectors (`readiness.inputs`), so the same inputs always give the same report.

GUIDANCE_NOTE = _("This report is guidance to prepare an application; it is not a customs decision.")


class ReadinessStatus(StrEnum):
    READY = "ready"
    NEARLY_READY = "nearly_ready"
    NOT_READY = "not_ready"


READINESS_STATUS_LABELS = {
    ReadinessStatus.READY: pgettext_lazy("readiness status", "Ready"),
    ReadinessStatus.NEARLY_READY: pgettext_lazy("readiness status", "Nearly ready"),
    ReadinessStatus.NOT_READY: pgettext_lazy("readiness status", "Not ready"),
}


class Area(StrEnum):
    """Where a report line belongs (the "breakdown" sections of the report)."""

    PRECONDITIONS = "preconditions"
    ASSESSMENT = "assessment"
    FINANCIAL = "financial"
    COVERAGE = "coverage"
    EXAM = "exam"


AREA_LABELS = {
    Area.PRECONDITIONS: _("Preconditions"),
    Area.ASSESSMENT: _("Self-assessment"),
    Area.FINANCIAL: _("Financial check"),
    Area.COVERAGE: _("Training coverage"),
    Area.EXAM: _("Exam"),
}

# Every requirement a report checks, for dashboards that count gaps across enterprises.
REQUIREMENT_LABELS = {
    "credit_level": _("Credit level is not discredited"),
    "application_bar": _("No 1-year bar on applying"),
    "cultivation_status": _("Cultivation is not suspended or terminated"),
    "assessment": _("Self-assessment passes its pass rule"),
    "financial": _("Financial check passes"),
    "coverage_legal_representative": _("A legal representative completed an AEO certification course"),
    "coverage_senior_management": _("A senior manager completed an AEO certification course"),
    "coverage_relevant_department": _("A person of a relevant department completed an AEO certification course"),
    "coverage_live": _("At least one person attended a live validation observation"),
    "exam": _("A staff member passed the enterprise staff's AEO certification training exam"),
}

# Sources named by each report line (the customs rules, and the platform's default rules), in the
# page's language: Chinese rule names in the Chinese UI, English ones in the English UI.
SOURCE_PRECONDITIONS = _(
    "GACC Decree No. 282 (Measures for Enterprise Credit Management): credit levels and application conditions"
)
SOURCE_CULTIVATION = _("Credit cultivation programme: suspending and ending cultivation")
SOURCE_PASS_RULE = _("%(edition)s: pass rule")
SOURCE_FINANCIAL = _("%(edition)s: financial status")
SOURCE_COVERAGE = _("Credit cultivation programme: key training targets; this platform's training coverage rule")
SOURCE_LIVE = _(
    "Credit cultivation programme: on-site certification observation; this platform's training coverage rule"
)
SOURCE_EXAM = _("Credit cultivation programme: training methods (exam); this platform's exam rule")
SOURCE_WEIGHTS = _(
    "This platform's default weights (self-assessment %(assessment)s %%, training coverage %(coverage)s %%, "
    "exam %(exam)s %%, financial check %(financial)s %%)"
)
# How far ahead a rectification may be due: the 5-year re-check cycle of a certification
# (DOMAIN.md "Credit levels and preconditions": re-check every 5 years).
RECTIFICATION_HORIZON_YEARS = 5


def rectification_latest_due(today: datetime.date, *, years: int = RECTIFICATION_HORIZON_YEARS) -> datetime.date:
    """The latest due date a rectification task may have: `years` after `today` (28 February
    for a 29 February)."""
    try:
        return today.replace(year=today.year + years)
    except ValueError:
        return today.replace(year=today.year + years, day=28)


def rectification_due_problem(
    due: datetime.date, *, today: datetime.date, years: int = RECTIFICATION_HORIZON_YEARS
) -> str | None:
    """Why a rectification cannot be due on `due`, or None: a date in the past would make the
    task overdue at once; one beyond `years` (the re-check cycle) is no plan at all. Today is
    allowed."""
    if due < today:
        return str(
            _("The due date %(date)s is in the past: choose today (%(today)s) or a later date.")
            % {"date": due.isoformat(), "today": today.isoformat()}
        )
    latest = rectification_latest_due(today, years=years)
    if due > latest:
        return str(
            _("The due date %(date)s is more than %(years)s years away: choose a date by %(latest)s.")
            % {"date": due.isoformat(), "years": years, "latest": latest.isoformat()}
        )
    return None


@dataclass(frozen=True)
class Link:
    """Somewhere an action is done: a course, live session, training session, exam or page."""

    label: str
    url: str


@dataclass(frozen=True)
class Preconditions:
    """From `trainees`: the enterprise's credit level, 1-year bar and cultivation status."""

    credit_level: str = ""  # label; "" = not recorded
    discredited: bool = False
    bar_until: datetime.date | None = None
    bar_reason: str = ""
    cultivation_status: str = ""  # trainees.CultivationStatus value
    cultivation_status_label: str = ""
    cultivation_blocked: bool = False


@dataclass(frozen=True)
class BelowMeets:
    """A sub-item of the latest submitted version judged below "meets"."""

    criterion_id: int
    code: str
    text: str
    area: str
    judgement: Judgement


@dataclass(frozen=True)
class AssessmentInput:
    """The latest submitted self-assessment of one edition (`version` None = none submitted)."""

    edition_code: str
    edition_name: str
    version: int | None = None
    outcome: str = ""  # Outcome value
    score: int = 0
    blocking: tuple[str, ...] = ()
    below_meets: tuple[BelowMeets, ...] = ()
    areas: tuple[tuple[str, Mapping[str, int]], ...] = ()  # (area label, counts per judgement)


@dataclass(frozen=True)
class FinancialInput:
    """The edition's financial check on the current figures (`judgement` None = incomplete)."""

    applies: bool = True
    judgement: Judgement | None = None
    failing_groups: tuple[str, ...] = ()  # labels of groups judged "does not meet"
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Person:
    """One of the enterprise's people, with what they completed (training, live, exam)."""

    user_id: int
    name: str
    position: str  # trainees.Position value
    certification_courses: tuple[str, ...] = ()  # titles of completed AEO certification courses
    live_sessions: tuple[str, ...] = ()  # titles of attended live validation observations
    exams_passed: tuple[str, ...] = ()  # titles of passed enterprise-staff AEO exams


@dataclass(frozen=True)
class Offers:
    """Where the gaps can be closed: links the report's actions point to."""

    courses: Mapping[str, tuple[Link, ...]] = field(default_factory=dict)  # by position group
    live_sessions: tuple[Link, ...] = ()
    training_sessions: tuple[Link, ...] = ()
    exams: tuple[Link, ...] = ()
    assessment_start: Link | None = None
    assessment: Link | None = None
    financials: Link | None = None


@dataclass(frozen=True)
class ReadinessInputs:
    enterprise_name: str
    preconditions: Preconditions
    assessment: AssessmentInput
    financial: FinancialInput
    people: tuple[Person, ...]
    offers: Offers = Offers()
    live_available: bool = True  # the live app is installed
    exams_available: bool = True  # the exams app is installed


@dataclass(frozen=True)
class ReadinessRules:
    """The default rules of issue 16, as data (an officer may change them later)."""

    weight_assessment: int = 60
    weight_coverage: int = 20
    weight_exam: int = 10
    weight_financial: int = 10
    nearly_ready_max_missing: int = 3
    legal_positions: frozenset[str] = frozenset({"legal_representative"})
    senior_positions: frozenset[str] = frozenset({"senior_management"})
    department_positions: frozenset[str] = frozenset(
        {"customs_affairs", "finance", "internal_control", "logistics_security", "it"}
    )


@dataclass(frozen=True)
class Action:
    """What closes a gap: `kind` is course, live_session, training_session, exam, rectification,
    assessment, financials or officer; `links` where to do it; `criterion_id` for rectifications."""

    kind: str
    text: str
    links: tuple[Link, ...] = ()
    criterion_id: int | None = None
    code: str = ""
    subject: str = ""  # for rectifications: the sub-item's judgement and wording


@dataclass(frozen=True)
class ReportLine:
    """One requirement: met or not, a veto or not, explained in words, with its source rule."""

    key: str
    area: Area
    label: str
    met: bool
    detail: str
    source: str
    veto: bool = False
    precondition: bool = False
    actions: tuple[Action, ...] = ()


@dataclass(frozen=True)
class Report:
    enterprise_name: str
    edition_code: str
    edition_name: str
    status: ReadinessStatus
    score: Decimal  # 0-100, one decimal
    components: Mapping[str, Decimal]  # area → points earned (out of its weight)
    lines: tuple[ReportLine, ...]
    blocking: tuple[str, ...]
    missing: tuple[str, ...]  # keys of unmet requirements
    criteria_areas: tuple[tuple[str, Mapping[str, int]], ...]
    score_source: str
    note: str
    # Every sub-item to rectify (a gap level: `GAP_JUDGEMENTS`), met or not the pass rule.
    rectifiable: tuple[Action, ...] = ()

    @property
    def status_label(self) -> str:
        return str(READINESS_STATUS_LABELS[self.status])

    def lines_in(self, area: str) -> list[ReportLine]:
        return [line for line in self.lines if line.area == area]

    @property
    def actions(self) -> list[Action]:
        return [action for line in self.lines if not line.met for action in line.actions]


def _precondition_lines(p: Preconditions, today: datetime.date) -> list[ReportLine]:
    credit_ok = not p.discredited
    bar_ok = p.bar_until is None or p.bar_until < today
    cultivation_ok = not p.cultivation_blocked
    officer = (Action("officer", str(_("Contact your customs district's officer about this condition."))),)
    return [
        ReportLine(
            "credit_level",
            Area.PRECONDITIONS,
            str(_("Credit level is not discredited")),
            credit_ok,
            str(_("Credit level: %(level)s.") % {"level": p.credit_level or _("not recorded")}),
            str(SOURCE_PRECONDITIONS),
            precondition=True,
            actions=() if credit_ok else officer,
        ),
        ReportLine(
            "application_bar",
            Area.PRECONDITIONS,
            str(_("No 1-year bar on applying")),
            bar_ok,
            str(_("No bar is recorded."))
            if p.bar_until is None
            else str(
                _("Barred from applying until %(date)s (%(reason)s).")
                % {"date": p.bar_until.isoformat(), "reason": p.bar_reason or "-"}
            ),
            str(SOURCE_PRECONDITIONS),
            precondition=True,
            actions=()
            if bar_ok
            else (
                Action(
                    "officer",
                    str(_("Wait until the bar ends on %(date)s.") % {"date": p.bar_until.isoformat()}),  # type: ignore[union-attr]
                ),
            ),
        ),
        ReportLine(
            "cultivation_status",
            Area.PRECONDITIONS,
            str(_("Cultivation is not suspended or terminated")),
            cultivation_ok,
            str(_("Cultivation status: %(status)s.") % {"status": p.cultivation_status_label or p.cultivation_status}),
            str(SOURCE_CULTIVATION),
            precondition=True,
            actions=() if cultivation_ok else officer,
        ),
    ]


def rectification_actions(a: AssessmentInput, offers: Offers) -> tuple[Action, ...]:
    """One rectification (整改) per sub-item of the latest submitted version judged at a gap
    level (`GAP_JUDGEMENTS`), whether or not the assessment passes: a passing assessment with
    "basically meets" sub-items still has them to rectify."""
    links = tuple(x for x in (offers.assessment,) if x)
    return tuple(
        Action(
            "rectification",
            str(
                _("Rectify %(code)s %(text)s (judged %(judgement)s) and record the evidence.")
                % {"code": b.code, "text": b.text, "judgement": JUDGEMENT_LABELS[b.judgement]}
            ),
            links,
            criterion_id=b.criterion_id,
            code=b.code,
            subject=str(_("%(judgement)s: %(text)s") % {"judgement": JUDGEMENT_LABELS[b.judgement], "text": b.text}),
        )
        for b in a.below_meets
        if b.judgement in GAP_JUDGEMENTS
    )


def _assessment_line(a: AssessmentInput, offers: Offers) -> ReportLine:
    source = str(SOURCE_PASS_RULE % {"edition": a.edition_name})
    label = str(_("Self-assessment passes the pass rule of %(edition)s") % {"edition": a.edition_name})
    if a.version is None:
        return ReportLine(
            "assessment",
            Area.ASSESSMENT,
            label,
            False,
            str(
                _("No self-assessment under %(edition)s has been submitted yet: start one and submit it.")
                % {"edition": a.edition_name}
            ),
            source,
            actions=(
                Action(
                    "assessment",
                    str(_("Start the self-assessment under %(edition)s.") % {"edition": a.edition_name}),
                    tuple(x for x in (offers.assessment_start,) if x),
                ),
            ),
        )
    passed = a.outcome == Outcome.PASS
    fails = [b for b in a.below_meets if b.judgement == Judgement.FAILS]
    if passed:
        detail = str(
            _("Version %(version)s passes with a score of %(score)s.") % {"version": a.version, "score": a.score}
        )
    else:
        detail = str(
            _("Version %(version)s does not pass (score %(score)s): %(reasons)s.")
            % {"version": a.version, "score": a.score, "reasons": "；".join(a.blocking) or "-"}
        )
    actions = rectification_actions(a, offers)
    return ReportLine(
        "assessment",
        Area.ASSESSMENT,
        label,
        passed,
        detail,
        source,
        veto=bool(fails),
        actions=() if passed else actions,
    )


def _financial_line(f: FinancialInput, a: AssessmentInput, offers: Offers) -> ReportLine:
    source = str(SOURCE_FINANCIAL % {"edition": a.edition_name})
    label = str(_("Financial check passes"))
    links = tuple(x for x in (offers.financials,) if x)
    if not f.applies:
        return ReportLine(
            "financial", Area.FINANCIAL, label, True, str(_("This edition has no financial check.")), source
        )
    if f.judgement is None:
        return ReportLine(
            "financial",
            Area.FINANCIAL,
            label,
            False,
            str(_("Figures are missing: %(missing)s.") % {"missing": "；".join(f.missing) or "-"}),
            source,
            actions=(Action("financials", str(_("Enter the missing financial figures.")), links),),
        )
    if f.judgement == Judgement.FAILS or f.failing_groups:
        return ReportLine(
            "financial",
            Area.FINANCIAL,
            label,
            False,
            str(_("Does not meet: %(groups)s.") % {"groups": "；".join(f.failing_groups) or "-"}),
            source,
            veto=True,
            actions=(
                Action(
                    "financials",
                    str(_("Improve the failing financial ratios and record the new year's audited figures.")),
                    links,
                ),
            ),
        )
    return ReportLine(
        "financial",
        Area.FINANCIAL,
        label,
        True,
        str(_("Judged %(judgement)s.") % {"judgement": JUDGEMENT_LABELS[f.judgement]}),
        source,
    )


def _who(people: Iterable[Person]) -> str:
    return "、".join(p.name for p in people)


def _coverage_lines(inputs: ReadinessInputs, rules_: ReadinessRules) -> list[ReportLine]:
    groups = (
        (
            "legal_representative",
            _("A legal representative completed an AEO certification course"),
            rules_.legal_positions,
        ),
        ("senior_management", _("A senior manager completed an AEO certification course"), rules_.senior_positions),
        (
            "relevant_department",
            _("A person of a relevant department completed an AEO certification course"),
            rules_.department_positions,
        ),
    )
    lines = []
    for key, label, positions in groups:
        done = [p for p in inputs.people if p.position in positions and p.certification_courses]
        present = [p for p in inputs.people if p.position in positions]
        if done:
            detail = str(_("Completed by %(people)s.") % {"people": _who(done)})
        elif present:
            detail = str(_("Not completed yet by %(people)s.") % {"people": _who(present)})
        else:
            detail = str(_("Nobody of this position is registered for the enterprise yet."))
        lines.append(
            ReportLine(
                f"coverage_{key}",
                Area.COVERAGE,
                str(label),
                bool(done),
                detail,
                str(SOURCE_COVERAGE),
                actions=()
                if done
                else (
                    Action(
                        "course",
                        str(_("Complete an AEO certification training course.")),
                        tuple(inputs.offers.courses.get(key, ())) + tuple(inputs.offers.training_sessions),
                    ),
                ),
            )
        )
    attended = [p for p in inputs.people if p.live_sessions]
    if not inputs.live_available:
        live_detail = str(_("No live observation attendance is recorded yet."))
    elif attended:
        live_detail = str(_("Attended by %(people)s.") % {"people": _who(attended)})
    else:
        live_detail = str(_("Nobody has attended a live validation observation yet."))
    lines.append(
        ReportLine(
            "coverage_live",
            Area.COVERAGE,
            str(_("At least one person attended a live validation observation")),
            bool(attended),
            live_detail,
            str(SOURCE_LIVE),
            actions=()
            if attended
            else (
                Action("live_session", str(_("Attend a live validation observation.")), inputs.offers.live_sessions),
            ),
        )
    )
    return lines


def _exam_line(inputs: ReadinessInputs) -> ReportLine:
    passed = [p for p in inputs.people if p.exams_passed]
    if passed:
        detail = str(_("Passed by %(people)s.") % {"people": _who(passed)})
    elif not inputs.exams_available:
        detail = str(_("No exam results are recorded yet."))
    else:
        detail = str(_("Nobody has passed the exam yet."))
    return ReportLine(
        "exam",
        Area.EXAM,
        str(_("A staff member passed the enterprise staff's AEO certification training exam")),
        bool(passed),
        detail,
        str(SOURCE_EXAM),
        actions=() if passed else (Action("exam", str(_("Sit and pass the exam.")), inputs.offers.exams),),
    )


def _fraction(met: int, total: int) -> Decimal:
    """A share of a whole that is never empty: a score out of 100, four coverage requirements."""
    return Decimal(met) / Decimal(total)


def readiness_report(
    inputs: ReadinessInputs, *, today: datetime.date, rules_: ReadinessRules = ReadinessRules()
) -> Report:
    """Is the enterprise ready to apply for AEO certification, and what closes each gap?

    Issue 16, default rules: **ready** when every precondition holds, the latest submitted
    self-assessment passes its edition's pass rule, the financial check passes, training coverage
    is complete (a legal representative, a senior manager and a person of a relevant department
    completed an AEO certification course; someone attended a live validation observation) and a
    staff member passed the exam; **nearly ready** when the preconditions hold and at most
    `nearly_ready_max_missing` requirements are unmet, none a veto (a "does not meet" sub-item or
    a failing financial group); **not ready** otherwise. Score (0-100, one decimal): the
    assessment score (capped at 100; 0 without a submitted version) weighs 60 %, coverage (share of
    the four coverage requirements) 20 %, the exam 10 %, the financial check 10 % (meets: all,
    basically meets: half). Every line names its source rule. Same inputs → same report."""
    a = inputs.assessment
    lines = [
        *_precondition_lines(inputs.preconditions, today),
        _assessment_line(a, inputs.offers),
        _financial_line(inputs.financial, a, inputs.offers),
        *_coverage_lines(inputs, rules_),
        _exam_line(inputs),
    ]
    preconditions_hold = all(line.met for line in lines if line.precondition)
    unmet = [line for line in lines if not line.met and not line.precondition]
    vetoed = any(line.veto for line in unmet)
    if preconditions_hold and not unmet:
        status = ReadinessStatus.READY
    elif preconditions_hold and not vetoed and len(unmet) <= rules_.nearly_ready_max_missing:
        status = ReadinessStatus.NEARLY_READY
    else:
        status = ReadinessStatus.NOT_READY

    coverage = [line for line in lines if line.area == Area.COVERAGE]
    assessment_share = _fraction(max(0, min(a.score, 100)), 100) if a.version is not None else Decimal(0)
    f = inputs.financial
    if not f.applies or (f.judgement == Judgement.MEETS and not f.failing_groups):
        financial_share = Decimal(1)
    elif f.judgement == Judgement.BASIC and not f.failing_groups:
        financial_share = Decimal("0.5")
    else:
        financial_share = Decimal(0)
    exam_share = Decimal(1) if next(line for line in lines if line.key == "exam").met else Decimal(0)
    components = {
        Area.ASSESSMENT.value: rules_.weight_assessment * assessment_share,
        Area.COVERAGE.value: rules_.weight_coverage * _fraction(sum(line.met for line in coverage), len(coverage)),
        Area.EXAM.value: rules_.weight_exam * exam_share,
        Area.FINANCIAL.value: rules_.weight_financial * financial_share,
    }
    components = {k: v.quantize(Decimal("0.1")) for k, v in components.items()}
    score = sum(components.values(), Decimal(0)).quantize(Decimal("0.1"))

    blocking = [line.detail for line in lines if not line.met and line.precondition]
    blocking += [f"{line.label}: {line.detail}" for line in unmet]
    return Report(
        enterprise_name=inputs.enterprise_name,
        edition_code=a.edition_code,
        edition_name=a.edition_name,
        status=status,
        score=score,
        components=components,
        lines=tuple(lines),
        blocking=tuple(blocking),
        missing=tuple(line.key for line in lines if not line.met),
        criteria_areas=a.areas,
        score_source=str(SOURCE_WEIGHTS)
        % {
            "assessment": rules_.weight_assessment,
            "coverage": rules_.weight_coverage,
            "exam": rules_.weight_exam,
            "financial": rules_.weight_financial,
        },
        note=str(GUIDANCE_NOTE),
        rectifiable=rectification_actions(a, inputs.offers),
    )
