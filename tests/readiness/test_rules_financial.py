"""The financial checks condition by condition: what each check shows (value, threshold, note),
how groups count their conditions, and how missing figures are named."""

import datetime
from decimal import Decimal as D

import pytest
from django.utils import translation

from readiness.rules import (
    FinancialMethod,
    FinancialRule,
    FinancialYear,
    GroupResult,
    Judgement,
    RatioCheck,
    asset_liability_group,
    audit_opinion_group,
    check_financials,
    figure_problems,
    profitability_group,
    solvency_group,
)
from tests.readiness.helpers import HEALTHY

TODAY = datetime.date(2026, 11, 30)
M, B, F = Judgement.MEETS, Judgement.BASIC, Judgement.FAILS
RULE_2022 = FinancialRule(method=FinancialMethod.ASSET_LIABILITY, years=5)
RULE_2026 = FinancialRule(method=FinancialMethod.SOLVENCY_PROFITABILITY, years=1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def healthy(year: int, **changes) -> FinancialYear:
    return FinancialYear(year, **(HEALTHY | changes))


def test_asset_liability_group_shows_the_ratio_against_its_limit():
    group = asset_liability_group(RULE_2022, healthy(2024))
    assert group == GroupResult(
        "asset_liability",
        "Asset-liability ratio",
        2024,
        (RatioCheck("asset_liability", "asset-liability ratio", D("0.5"), D("0.95"), "<=", True),),
        1,
        1,
        M,
    )


def test_asset_liability_group_with_a_missing_figure_is_not_met_and_says_which():
    group = asset_liability_group(RULE_2022, FinancialYear(2024, total_assets=D(1000)))
    assert group.checks == (
        RatioCheck(
            "asset_liability", "asset-liability ratio", None, D("0.95"), "<=", False, "total liabilities missing"
        ),
    )
    assert (group.met_count, group.judgement) == (0, F)


def test_solvency_checks_show_values_thresholds_and_comparisons():
    group = solvency_group(RULE_2026, healthy(2025, total_liabilities=D(800)), manufacturer=True)
    assert group.key == "solvency"
    assert group.label == "Solvency"
    assert group.year == 2025
    assert group.required == 2
    assert group.checks == (
        RatioCheck("asset_liability", "asset-liability ratio", D("0.8"), D("0.85"), "<=", True),
        RatioCheck("cash_ratio", "cash ratio", D(100) / D(300), D("0.2"), ">=", True),
        RatioCheck(
            "cash_flow_to_liabilities", "operating cash flow / total liabilities", D("0.1"), D("0.1"), ">=", True
        ),
        RatioCheck("current_ratio", "current ratio", D(400) / D(300), D("1.0"), ">=", True),
    )


def test_solvency_checks_name_every_missing_figure_and_a_zero_denominator():
    figures = FinancialYear(2025, total_assets=D(0), total_liabilities=D(500), current_assets=D(400))
    checks = {c.key: c for c in solvency_group(RULE_2026, figures, manufacturer=False).checks}
    assert checks["asset_liability"].note == "cannot be computed: total assets is zero or negative"
    assert checks["asset_liability"].threshold == D("0.75")
    assert checks["cash_ratio"].note == "cash、current liabilities missing"
    assert checks["cash_flow_to_liabilities"].note == "operating cash flow missing"
    assert checks["current_ratio"].note == "current liabilities missing"
    assert all(c.value is None and not c.met for c in checks.values())


def test_solvency_thresholds_and_required_count_are_the_rules():
    rule = FinancialRule(
        method=FinancialMethod.SOLVENCY_PROFITABILITY,
        asset_liability_max_other=D("0.4"),
        cash_ratio_min=D("0.5"),
        cash_flow_to_liabilities_min=D("0.2"),
        current_ratio_min=D("1.5"),
        solvency_min_met=1,
    )
    group = solvency_group(rule, healthy(2025, cash=D(150)), manufacturer=False)
    assert [c.met for c in group.checks] == [False, True, False, False]
    assert [c.threshold for c in group.checks] == [D("0.4"), D("0.5"), D("0.2"), D("1.5")]
    assert (group.met_count, group.required, group.judgement) == (1, 1, M)


def test_profitability_checks_show_values_thresholds_and_comparisons():
    group = profitability_group(RULE_2026, healthy(2025))
    assert (group.key, group.label, group.year, group.required) == ("profitability", "Profitability", 2025, 2)
    assert group.checks == (
        RatioCheck("net_profit", "net profit", D(50), D(0), ">", True),
        RatioCheck("operating_margin", "operating margin", D("0.03"), D("0.01"), ">=", True),
        RatioCheck("gross_margin", "gross margin", D("0.15"), D("0.01"), ">=", True),
        RatioCheck("operating_cash_flow", "operating cash flow", D(80), D(0), ">", True),
        RatioCheck("return_on_assets", "return on assets", D("0.05"), D("0.01"), ">=", True),
    )


def test_profitability_names_missing_figures():
    checks = {c.key: c for c in profitability_group(RULE_2026, FinancialYear(2025, revenue=D(100))).checks}
    assert checks["net_profit"] == RatioCheck("net_profit", "net profit", None, D(0), ">", False, "net profit missing")
    assert checks["operating_margin"].note == "operating profit missing"
    assert checks["gross_margin"].note == "gross profit missing"
    assert checks["operating_cash_flow"].note == "operating cash flow missing"
    assert checks["return_on_assets"].note == "net profit、total assets missing"


def test_an_operating_margin_from_a_zero_operating_profit_is_not_met_even_at_a_zero_minimum():
    rule = FinancialRule(method=FinancialMethod.SOLVENCY_PROFITABILITY, operating_margin_min=D(0))
    margin = profitability_group(rule, healthy(2025, operating_profit=D(0))).checks[1]
    assert (margin.value, margin.met, margin.note) == (D(0), False, "operating profit is not above 0")
    positive = profitability_group(rule, healthy(2025, operating_profit=D("0.01"))).checks[1]
    assert (positive.met, positive.note) == (True, "")


def test_an_operating_margin_below_its_minimum_is_simply_not_met():
    margin = profitability_group(RULE_2026, healthy(2025, operating_profit=D(-30))).checks[1]
    assert (margin.value, margin.met, margin.note) == (D("-0.015"), False, "")


def test_profitability_thresholds_and_required_count_are_the_rules():
    rule = FinancialRule(
        method=FinancialMethod.SOLVENCY_PROFITABILITY,
        operating_margin_min=D("0.05"),
        gross_margin_min=D("0.2"),
        return_on_assets_min=D("0.06"),
        profitability_min_met=3,
    )
    group = profitability_group(rule, healthy(2025))
    assert [c.met for c in group.checks] == [True, False, False, True, False]
    assert (group.met_count, group.required, group.judgement) == (2, 3, B)


@pytest.mark.parametrize(
    ("opinion", "words", "met", "judgement"),
    [
        ("unqualified", "Unqualified", True, M),
        ("qualified", "Qualified", False, B),
        ("adverse", "Adverse", False, F),
        ("disclaimer", "Disclaimer of opinion", False, F),
        ("保留", "保留", False, F),
        ("", "not given", False, F),
    ],
)
def test_audit_opinion_group_shows_the_opinion_in_words(opinion, words, met, judgement):
    group = audit_opinion_group(FinancialYear(2024, audit_opinion=opinion))
    assert group == GroupResult(
        "audit_opinion",
        "Audit opinion",
        2024,
        (RatioCheck("audit_opinion", "audit opinion", None, D(0), "", met, words),),
        int(met),
        1,
        judgement,
    )


def test_audit_opinion_in_chinese():
    with translation.override("zh-hans"):
        assert audit_opinion_group(FinancialYear(2024, audit_opinion="qualified")).checks[0].note == "保留意见"
        assert audit_opinion_group(FinancialYear(2024)).checks[0].note == "未填写"


def test_negative_balances_and_revenue_are_problems_in_form_order():
    figures = {
        "revenue": D(-1),
        "total_assets": D(-5),
        "cash": D(0),
        "current_liabilities": None,
        "operating_profit": D(-3),
        "net_profit": D(-2),
        "operating_cash_flow": D(-1),
        "gross_profit": D(-1),
    }
    assert list(figure_problems(figures).items()) == [
        ("total_assets", "Total assets cannot be negative."),
        ("revenue", "Revenue cannot be negative."),
    ]
    assert figure_problems({"total_liabilities": D("-0.01")}) == {
        "total_liabilities": "Total liabilities cannot be negative."
    }
    assert figure_problems({}) == {}


def test_2026_figures_missing_in_several_groups_are_named_once_per_year():
    years = {2025: healthy(2025, operating_cash_flow=None, audit_opinion="", current_assets=None)}
    result = check_financials(RULE_2026, years, today=TODAY, manufacturer=False)
    assert result.missing == (
        "2025: current assets、operating cash flow missing",
        "2025: operating cash flow missing",
        "2025: audit opinion missing",
    )
    assert result.groups == ()
    assert result.group_judgements == {"solvency": None, "profitability": None, "audit_opinion": None}
    assert result.judgement is None
    assert not result.complete


def test_the_same_missing_figure_in_two_groups_is_named_once():
    result = check_financials(RULE_2026, {2025: healthy(2025, total_assets=None)}, today=TODAY, manufacturer=False)
    assert result.missing == ("2025: total assets missing",)
    assert [g.key for g in result.groups] == ["audit_opinion"]


def test_a_missing_year_does_not_stop_the_later_years_from_being_judged():
    rule = FinancialRule(method=FinancialMethod.SOLVENCY_PROFITABILITY, years=3)
    years = {2025: healthy(2025, cash=None), 2023: healthy(2023, audit_opinion="qualified")}
    result = check_financials(rule, years, today=TODAY, manufacturer=False)
    assert result.years == (2025, 2024, 2023)
    assert result.missing == ("2025: cash missing", "2024: no figures")
    assert [(g.key, g.year) for g in result.groups] == [
        ("profitability", 2025),
        ("audit_opinion", 2025),
        ("solvency", 2023),
        ("profitability", 2023),
        ("audit_opinion", 2023),
    ]
    # A group is judged only when every required year is.
    assert result.group_judgements == {"solvency": None, "profitability": None, "audit_opinion": None}
    assert result.judgement is None


def test_each_group_is_judged_by_its_worst_year_and_the_result_by_its_worst_group():
    rule = FinancialRule(method=FinancialMethod.SOLVENCY_PROFITABILITY, years=2)
    years = {
        2025: healthy(2025, audit_opinion="qualified"),
        2024: healthy(2024, total_liabilities=D(900), cash=D(10)),
        # Years beyond those required are ignored.
        2023: healthy(2023, audit_opinion="adverse"),
        2026: healthy(2026, audit_opinion="adverse"),
    }
    result = check_financials(rule, years, today=TODAY, manufacturer=True)
    assert result.method == FinancialMethod.SOLVENCY_PROFITABILITY
    assert result.group_judgements == {"solvency": B, "profitability": M, "audit_opinion": B}
    assert result.judgement == B
    assert result.missing == ()
    assert result.complete
    assert [(g.key, g.year) for g in result.groups] == [
        ("solvency", 2025),
        ("profitability", 2025),
        ("audit_opinion", 2025),
        ("solvency", 2024),
        ("profitability", 2024),
        ("audit_opinion", 2024),
    ]


def test_manufacturers_get_the_higher_asset_liability_limit_in_check_financials():
    years = {2025: healthy(2025, total_liabilities=D(800))}
    as_manufacturer = check_financials(RULE_2026, years, today=TODAY, manufacturer=True)
    as_other = check_financials(RULE_2026, years, today=TODAY, manufacturer=False)
    assert as_manufacturer.groups[0].checks[0].met
    assert not as_other.groups[0].checks[0].met


def test_2022_checks_only_the_asset_liability_group():
    years = {y: healthy(y, audit_opinion="") for y in range(2021, 2026)}
    result = check_financials(RULE_2022, years, today=TODAY, manufacturer=False)
    assert [g.key for g in result.groups] == ["asset_liability"] * 5
    assert [g.year for g in result.groups] == [2025, 2024, 2023, 2022, 2021]
    assert result.group_judgements == {"asset_liability": M}
    assert result.judgement == M


def test_an_edition_without_financial_checks_looks_at_no_year():
    result = check_financials(FinancialRule(), {2025: healthy(2025)}, today=TODAY, manufacturer=False)
    assert (result.method, result.years, result.groups, result.missing) == (FinancialMethod.NONE, (), (), ())
    assert result.group_judgements == {}
    assert result.judgement is None
    assert result.complete
