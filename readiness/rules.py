"""The customs rules of the self-assessment: the pass rule of an edition and the financial checks.

Pure and typed: no ORM, no clock (the date is an argument), frozen dataclasses in and out. Every
rule names its source in DOMAIN.md ("Pass rules", "Financial checks") or in the edition's data,
which officers edit in the back office because the official wording of the pass rules was not
found. Same inputs, same verdict.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


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


def _check(key: str, label, value: Decimal | None, threshold: Decimal, comparison: str) -> RatioCheck:
    if value is None:
        return RatioCheck(
            key,
            str(label),
            None,
            threshold,
            comparison,
            False,
            str(_("cannot be computed: the denominator is zero or negative")),
        )
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
    value = ratio(figures.total_liabilities, figures.total_assets)
    check = _check("asset_liability", _("asset-liability ratio"), value, rule.asset_liability_max, "<=")
    return _group("asset_liability", _("Asset-liability ratio"), figures.year, [check], 1, basic_at=None)


def solvency_group(rule: FinancialRule, figures: FinancialYear, *, manufacturer: bool) -> GroupResult:
    """2026 advanced (Bulletin 2026 No. 34, sub-item 13): ≥ 2 of 4 met = meets, 1 = basically
    meets, 0 = does not meet. Asset-liability ≤ 85 % for manufacturers, ≤ 75 % for others."""
    limit = rule.asset_liability_max_manufacturer if manufacturer else rule.asset_liability_max_other
    f = figures
    checks = [
        _check("asset_liability", _("asset-liability ratio"), ratio(f.total_liabilities, f.total_assets), limit, "<="),
        _check("cash_ratio", _("cash ratio"), ratio(f.cash, f.current_liabilities), rule.cash_ratio_min, ">="),
        _check(
            "cash_flow_to_liabilities",
            _("operating cash flow / total liabilities"),
            ratio(f.operating_cash_flow, f.total_liabilities),
            rule.cash_flow_to_liabilities_min,
            ">=",
        ),
        _check(
            "current_ratio",
            _("current ratio"),
            ratio(f.current_assets, f.current_liabilities),
            rule.current_ratio_min,
            ">=",
        ),
    ]
    return _group("solvency", _("Solvency"), f.year, checks, rule.solvency_min_met, basic_at=1)


def profitability_group(rule: FinancialRule, figures: FinancialYear) -> GroupResult:
    """2026 advanced (Bulletin 2026 No. 34, sub-item 14): ≥ 2 of 5 met = meets, 1 = basically
    meets, 0 = does not meet. The operating margin counts only with an operating profit > 0."""
    f = figures
    margin = ratio(f.operating_profit, f.revenue)
    margin_check = _check("operating_margin", _("operating margin"), margin, rule.operating_margin_min, ">=")
    if margin_check.met and f.operating_profit <= 0:
        margin_check = RatioCheck(
            margin_check.key,
            margin_check.label,
            margin,
            margin_check.threshold,
            ">=",
            False,
            str(_("operating profit is not above 0")),
        )
    checks = [
        _check("net_profit", _("net profit"), f.net_profit, Decimal(0), ">"),
        margin_check,
        _check("gross_margin", _("gross margin"), ratio(f.gross_profit, f.revenue), rule.gross_margin_min, ">="),
        _check("operating_cash_flow", _("operating cash flow"), f.operating_cash_flow, Decimal(0), ">"),
        _check(
            "return_on_assets",
            _("return on assets"),
            ratio(f.net_profit, f.total_assets),
            rule.return_on_assets_min,
            ">=",
        ),
    ]
    return _group("profitability", _("Profitability"), f.year, checks, rule.profitability_min_met, basic_at=1)


def audit_opinion_group(figures: FinancialYear) -> GroupResult:
    """2026 (Bulletin 2026 No. 34, sub-item 12): unqualified meets, qualified basically meets,
    adverse or disclaimer does not meet."""
    opinion = figures.audit_opinion
    judgement = {
        AuditOpinion.UNQUALIFIED: Judgement.MEETS,
        AuditOpinion.QUALIFIED: Judgement.BASIC,
    }.get(opinion, Judgement.FAILS)
    check = RatioCheck(
        "audit_opinion", str(_("audit opinion")), None, Decimal(0), "", judgement == Judgement.MEETS, opinion
    )
    return GroupResult("audit_opinion", str(_("Audit opinion")), figures.year, (check,), int(check.met), 1, judgement)


# The figures of a fiscal year, in the order forms show them.
FIGURES = tuple(name for name in FIGURE_LABELS if name != "audit_opinion")
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
    for sub_item in edition.sub_items:
        computed = bool(sub_item.financial_check)
        if computed:
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
