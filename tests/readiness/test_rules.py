"""The pass rule and the financial checks, table-driven, with their boundary values."""

import datetime
from decimal import Decimal as D

import pytest
from django.utils import translation

from readiness.rules import (
    EditionRules,
    FinancialMethod,
    FinancialRule,
    FinancialYear,
    Judgement,
    Outcome,
    PassRule,
    RatioCheck,
    RollUp,
    SubItem,
    SubItemResult,
    check_financials,
    judge_assessment,
    profitability_group,
    ratio,
    required_years,
    solvency_group,
)
from tests.readiness.helpers import HEALTHY

TODAY = datetime.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def english():
    """The sentences are asserted in English; the Chinese ones are the catalogue's."""
    with translation.override("en"):
        yield


M, B, F, NA = Judgement.MEETS, Judgement.BASIC, Judgement.FAILS, Judgement.NOT_APPLICABLE


def tree(items: dict[str, int], *, bonus: int = 0, veto: tuple[str, ...] = (), financial: dict[str, str] | None = None):
    """Sub-items keyed "<item>.<n>", items keyed "<area>/<item>"."""
    sub_items = []
    for item, count in items.items():
        area, item_key = item.split("/")
        for n in range(1, count + 1):
            key = f"{item_key}.{n}"
            sub_items.append(
                SubItem(
                    key,
                    f"({key})",
                    key,
                    item_key,
                    item_key,
                    area,
                    area,
                    is_veto=key in veto,
                    financial_check=(financial or {}).get(key, ""),
                )
            )
    for n in range(1, bonus + 1):
        sub_items.append(SubItem(f"bonus.{n}", f"(b{n})", "bonus", "bonus", "bonus", "bonus", "bonus", is_bonus=True))
    return tuple(sub_items)


SUB_ITEMS = tree({"ic/i1": 3, "ic/i2": 2, "ts/t1": 3}, bonus=3)
ALL_MEET = {s.key: (F if s.is_bonus else M) for s in SUB_ITEMS}


NO_FINANCIALS = FinancialRule()


def edition(rule: PassRule, sub_items=SUB_ITEMS, financial: FinancialRule = NO_FINANCIALS) -> EditionRules:
    return EditionRules("test", rule, financial, sub_items)


@pytest.mark.parametrize(
    ("rule", "changes", "outcome", "score"),
    [
        # 2022 default: no "does not meet", at most 3 "basically meets".
        (PassRule(), {}, Outcome.PASS, 100),
        (PassRule(), {"i1.1": B, "i1.2": B, "t1.1": B}, Outcome.PASS, 97),
        (PassRule(), {"i1.1": B, "i1.2": B, "t1.1": B, "i2.1": B}, Outcome.FAIL, 96),
        (PassRule(), {"i1.1": F}, Outcome.FAIL, 98),
        (PassRule(), {"i1.1": NA, "i1.2": NA}, Outcome.PASS, 100),
        # 2014: no veto on fail in this variant, score ≥ 95 decides.
        (
            PassRule(veto_on_fail=False, max_basic_total=None, min_score=95),
            {"i1.1": F, "i1.2": F, "i1.3": F},
            Outcome.FAIL,
            94,
        ),
        (PassRule(veto_on_fail=False, max_basic_total=None, min_score=96), {"i1.1": F, "i1.2": F}, Outcome.PASS, 96),
        (PassRule(veto_on_fail=False, max_basic_total=None, min_score=95), {"i1.1": B} | {"i2.1": F}, Outcome.PASS, 97),
        # 2018: at most 3 per item in internal control / trade security, exactly the limit passes.
        (PassRule(max_basic_total=None, max_basic_per_item=2), {"i1.1": B, "i1.2": B}, Outcome.PASS, 98),
        (PassRule(max_basic_total=None, max_basic_per_item=2), {"i1.1": B, "i1.2": B, "i1.3": B}, Outcome.FAIL, 97),
        (
            PassRule(max_basic_total=None, max_basic_per_item=2, per_item_areas=frozenset({"ic"})),
            {"t1.1": B, "t1.2": B, "t1.3": B},
            Outcome.PASS,
            97,
        ),
        # 2026: bonus +1 per met bonus sub-item, capped.
        (PassRule(bonus_cap=2), {"bonus.1": M}, Outcome.PASS, 101),
        (PassRule(bonus_cap=2), {"bonus.1": M, "bonus.2": M, "bonus.3": M}, Outcome.PASS, 102),
        (PassRule(bonus_cap=2), {"bonus.1": F, "bonus.2": B}, Outcome.PASS, 100),
    ],
)
def test_pass_rule(rule, changes, outcome, score):
    verdict = judge_assessment(edition(rule), ALL_MEET | changes, {}, today=TODAY)
    assert verdict.outcome == outcome
    assert verdict.score == score
    assert bool(verdict.blocking) == (outcome == Outcome.FAIL)


def test_veto_sub_item_blocks_even_when_fail_is_not_a_veto():
    rules = edition(PassRule(veto_on_fail=False, max_basic_total=None), tree({"ic/i1": 2}, veto=("i1.1",)))
    assert judge_assessment(rules, {"i1.1": B, "i1.2": M}, {}, today=TODAY).outcome == Outcome.FAIL
    assert judge_assessment(rules, {"i1.1": M, "i1.2": F}, {}, today=TODAY).outcome == Outcome.PASS


def test_blocking_sub_items_are_named_in_words():
    verdict = judge_assessment(edition(PassRule()), ALL_MEET | {"i2.1": F}, {}, today=TODAY)
    assert verdict.blocking == ("(i2.1) i2 does not meet the criterion",)
    with translation.override("zh-hans"):
        assert judge_assessment(edition(PassRule()), ALL_MEET | {"i2.1": F}, {}, today=TODAY).blocking == (
            "(i2.1) i2不达标",
        )


def test_unjudged_sub_items_make_the_verdict_incomplete_and_are_listed():
    judgements = dict(ALL_MEET)
    del judgements["t1.2"]
    verdict = judge_assessment(edition(PassRule()), judgements | {"i1.1": F}, {}, today=TODAY)
    assert verdict.outcome == Outcome.INCOMPLETE
    assert verdict.unjudged == ("(t1.2) t1",)
    assert not verdict.would_pass


def test_roll_up_to_items_and_areas():
    verdict = judge_assessment(
        edition(PassRule(max_basic_total=None)), ALL_MEET | {"i1.1": B, "i2.2": NA, "t1.3": F}, {}, today=TODAY
    )
    items = {roll.key: roll for roll in verdict.items}
    areas = {roll.key: roll for roll in verdict.areas}
    assert items["i1"].counts == {"meets": 2, "basic": 1, "fails": 0, "na": 0}
    assert items["i1"].points == -1
    assert items["i2"].counts["na"] == 1
    assert areas["ic"].counts == {"meets": 3, "basic": 1, "fails": 0, "na": 1}
    assert areas["ts"].points == -2
    assert verdict.totals == {"meets": 5, "basic": 1, "fails": 1 + 3, "na": 1}  # three bonus sub-items not met


def test_same_inputs_same_verdict():
    judgements = ALL_MEET | {"i1.1": B}
    assert judge_assessment(edition(PassRule()), judgements, {}, today=TODAY) == judge_assessment(
        edition(PassRule()), judgements, {}, today=TODAY
    )


# --- Financial checks -------------------------------------------------------------------------

RULE_2022 = FinancialRule(method=FinancialMethod.ASSET_LIABILITY, years=5)
RULE_2026 = FinancialRule(method=FinancialMethod.SOLVENCY_PROFITABILITY, years=1)


def healthy(year: int, **changes) -> FinancialYear:
    return FinancialYear(year, **(HEALTHY | changes))


def test_ratio_refuses_zero_and_negative_denominators():
    assert ratio(D(1), D(4)) == D("0.25")
    assert ratio(D(1), D("0.5")) == D(2)
    assert ratio(D(1), D(0)) is None
    assert ratio(D(1), D(-3)) is None


def test_required_years_are_the_latest_complete_ones():
    assert required_years(RULE_2022, TODAY) == (2025, 2024, 2023, 2022, 2021)
    assert required_years(RULE_2026, TODAY) == (2025,)


@pytest.mark.parametrize(
    ("liabilities_2023", "judgement"),
    [(D(950), M), (D("950.01"), F), (D(0), M), (D(1200), F)],
)
def test_2022_asset_liability_at_most_95_percent_each_year(liabilities_2023, judgement):
    years = {y: healthy(y) for y in range(2021, 2026)}
    years[2023] = healthy(2023, total_liabilities=liabilities_2023)
    result = check_financials(RULE_2022, years, today=TODAY, manufacturer=False)
    assert result.judgement == judgement
    assert len(result.groups) == 5


def test_2022_missing_year_makes_the_check_incomplete_naming_it():
    years = {y: healthy(y) for y in (2025, 2024, 2022, 2021)}
    result = check_financials(RULE_2022, years, today=TODAY, manufacturer=False)
    assert result.judgement is None
    assert result.missing == ("2023: no figures",)


def test_2022_zero_assets_is_not_met_with_a_reason():
    years = {y: healthy(y) for y in range(2021, 2026)}
    years[2025] = healthy(2025, total_assets=D(0))
    result = check_financials(RULE_2022, years, today=TODAY, manufacturer=False)
    assert result.judgement == F
    assert result.groups[0].checks[0] == RatioCheck(
        "asset_liability",
        "asset-liability ratio",
        None,
        D("0.95"),
        "<=",
        False,
        "cannot be computed: total assets is zero or negative",
    )


@pytest.mark.parametrize(
    ("changes", "manufacturer", "met", "judgement"),
    [
        ({}, False, 4, M),
        # exactly 2 of 4: asset-liability 80 % fails for others; current ratio below 1; others hold.
        ({"total_liabilities": D(800), "current_assets": D(299)}, False, 2, M),
        # the same figures for a manufacturer: 80 % ≤ 85 % holds, 3 of 4.
        ({"total_liabilities": D(800), "current_assets": D(299)}, True, 3, M),
        # exactly 75 % holds for others.
        ({"total_liabilities": D(750)}, False, 4, M),
        # 1 of 4: basically meets.
        ({"total_liabilities": D(800), "current_assets": D(299), "cash": D(59)}, False, 1, B),
        # 0 of 4, with a zero current-liabilities denominator counting as not met.
        (
            {"total_liabilities": D(800), "current_liabilities": D(0), "operating_cash_flow": D(-5)},
            False,
            0,
            F,
        ),
        # exact cash ratio 0.2 and cash-flow ratio 0.1 hold.
        ({"cash": D(60), "operating_cash_flow": D(50)}, False, 4, M),
    ],
)
def test_2026_solvency_two_of_four(changes, manufacturer, met, judgement):
    group = solvency_group(RULE_2026, healthy(2025, **changes), manufacturer=manufacturer)
    assert (group.met_count, group.judgement) == (met, judgement)
    assert len(group.checks) == 4


@pytest.mark.parametrize(
    ("changes", "met", "judgement"),
    [
        ({}, 5, M),
        # exactly 1 % margins and return on assets hold.
        ({"operating_profit": D(20), "gross_profit": D(20), "net_profit": D(10)}, 5, M),
        # exactly 2 of 5.
        (
            {"net_profit": D(10), "operating_cash_flow": D(0), "gross_profit": D("19.99"), "operating_profit": D(0)},
            2,
            M,
        ),
        ({"net_profit": D(0), "operating_cash_flow": D(0), "gross_profit": D(0), "operating_profit": D(0)}, 0, F),
        ({"net_profit": D(-1), "operating_cash_flow": D(0), "gross_profit": D(0)}, 1, B),
        # zero revenue: both margins cannot be computed.
        ({"revenue": D(0), "net_profit": D(-1)}, 1, B),
    ],
)
def test_2026_profitability_two_of_five(changes, met, judgement):
    group = profitability_group(RULE_2026, healthy(2025, **changes))
    assert (group.met_count, group.judgement) == (met, judgement)


def test_operating_margin_needs_a_positive_operating_profit():
    group = profitability_group(RULE_2026, healthy(2025, operating_profit=D(-30), revenue=D(-1000)))
    margin = next(check for check in group.checks if check.key == "operating_margin")
    assert not margin.met


@pytest.mark.parametrize(
    ("opinion", "judgement"),
    [("unqualified", M), ("qualified", B), ("adverse", F), ("disclaimer", F)],
)
def test_2026_audit_opinion(opinion, judgement):
    result = check_financials(RULE_2026, {2025: healthy(2025, audit_opinion=opinion)}, today=TODAY, manufacturer=False)
    assert result.group_judgements["audit_opinion"] == judgement
    assert result.judgement == judgement


def test_2026_missing_figure_names_year_and_figure():
    result = check_financials(RULE_2026, {2025: healthy(2025, cash=None)}, today=TODAY, manufacturer=False)
    assert result.judgement is None
    assert result.missing == ("2025: cash missing",)
    assert result.group_judgements["profitability"] == M


def test_2026_configurable_years_take_the_worst_year():
    rule = FinancialRule(method=FinancialMethod.SOLVENCY_PROFITABILITY, years=2)
    years = {2025: healthy(2025), 2024: healthy(2024, audit_opinion="qualified")}
    assert check_financials(rule, years, today=TODAY, manufacturer=False).judgement == B


def test_financial_sub_items_are_judged_by_the_checks_not_by_the_enterprise():
    sub_items = tree(
        {"ic/i1": 1, "fs/f": 3}, financial={"f.1": "audit_opinion", "f.2": "solvency", "f.3": "profitability"}
    )
    rules = edition(PassRule(), sub_items, RULE_2026)
    claims = {"i1.1": M, "f.1": M, "f.2": M, "f.3": M}
    verdict = judge_assessment(rules, claims, {2025: healthy(2025, audit_opinion="adverse")}, today=TODAY)
    assert verdict.outcome == Outcome.FAIL
    assert verdict.blocking == ("(f.1) f does not meet the criterion",)
    incomplete = judge_assessment(rules, claims, {}, today=TODAY)
    assert incomplete.outcome == Outcome.INCOMPLETE
    assert "financial figures: 2025: no figures" in incomplete.unjudged


def test_a_sub_item_linked_to_a_check_the_edition_does_not_make_keeps_the_verdict_incomplete():
    """An edition whose method was changed in the back office (e.g. to none) while sub-items stay
    linked to its old checks: the verdict never passes them over."""
    sub_items = tree({"ic/i1": 1, "fs/f": 1}, financial={"f.1": "solvency"})
    for rule in (NO_FINANCIALS, RULE_2022):
        verdict = judge_assessment(edition(PassRule(), sub_items, rule), {"i1.1": M}, {}, today=TODAY)
        assert verdict.outcome == Outcome.INCOMPLETE
        assert "(f.1) f: the edition's financial checks do not include Solvency" in verdict.unjudged


# --- The verdict in detail ----------------------------------------------------------------------


def test_each_sub_item_result_carries_its_points_and_whether_a_check_judged_it():
    sub_items = tree({"ic/i1": 3, "fs/f": 1}, bonus=1, financial={"f.1": "audit_opinion"})
    rules = edition(PassRule(score_basic=-3, score_fail=-5, bonus_cap=1), sub_items, RULE_2026)
    verdict = judge_assessment(
        rules,
        {"i1.1": B, "i1.2": F, "i1.3": NA, "f.1": F, "bonus.1": M},
        {2025: healthy(2025, audit_opinion="qualified")},
        today=TODAY,
    )
    assert verdict.sub_items == (
        SubItemResult("i1.1", "(i1.1)", "i1.1", B, -3),
        SubItemResult("i1.2", "(i1.2)", "i1.2", F, -5),
        SubItemResult("i1.3", "(i1.3)", "i1.3", NA, 0),
        SubItemResult("f.1", "(f.1)", "f.1", B, -3, computed=True),
        SubItemResult("bonus.1", "(b1)", "bonus", M, 0),
    )
    assert (verdict.score, verdict.bonus) == (100 - 3 - 5 - 3 + 1, 1)
    assert verdict.edition == "test"
    assert verdict.financial.judgement == B


def test_base_score_is_the_editions():
    verdict = judge_assessment(edition(PassRule(base_score=90, min_score=89)), ALL_MEET | {"i1.1": B}, {}, today=TODAY)
    assert (verdict.score, verdict.outcome) == (89, Outcome.PASS)


def test_judgements_stored_as_text_are_read_and_empty_ones_are_unjudged():
    verdict = judge_assessment(edition(PassRule()), ALL_MEET | {"i1.1": "basic", "i1.2": ""}, {}, today=TODAY)
    assert verdict.sub_items[0].judgement == B
    assert verdict.unjudged == ("(i1.2) i1",)


def test_bonus_sub_items_neither_cost_points_nor_count_as_basically_meets():
    verdict = judge_assessment(
        edition(PassRule(max_basic_total=0, bonus_cap=3)),
        ALL_MEET | {"bonus.1": B, "bonus.2": F, "bonus.3": M},
        {},
        today=TODAY,
    )
    assert (verdict.outcome, verdict.score, verdict.bonus) == (Outcome.PASS, 101, 1)
    assert [r.points for r in verdict.sub_items if r.key.startswith("bonus")] == [0, 0, 0]


def test_an_unjudged_bonus_sub_item_keeps_the_verdict_incomplete():
    judgements = dict(ALL_MEET)
    del judgements["bonus.2"]
    verdict = judge_assessment(edition(PassRule()), judgements, {}, today=TODAY)
    assert verdict.unjudged == ("(b2) bonus",)
    assert verdict.would_pass


def test_a_veto_sub_item_that_only_basically_meets_is_named():
    rules = edition(PassRule(max_basic_total=None), tree({"ic/i1": 2}, veto=("i1.2",)))
    verdict = judge_assessment(rules, {"i1.1": B, "i1.2": B}, {}, today=TODAY)
    assert verdict.blocking == ("(i1.2) i1 is a veto sub-item and only basically meets",)
    assert verdict.outcome == Outcome.FAIL
    assert not verdict.passed and not verdict.would_pass


def test_a_failing_veto_sub_item_is_named_once_when_every_fail_is_a_veto():
    rules = edition(PassRule(), tree({"ic/i1": 2}, veto=("i1.1",)))
    verdict = judge_assessment(rules, {"i1.1": F, "i1.2": F}, {}, today=TODAY)
    assert verdict.blocking == ("(i1.1) i1 does not meet the criterion", "(i1.2) i1 does not meet the criterion")
    without_veto_on_fail = judge_assessment(
        edition(PassRule(veto_on_fail=False), tree({"ic/i1": 2}, veto=("i1.1",))),
        {"i1.1": F, "i1.2": F},
        {},
        today=TODAY,
    )
    assert without_veto_on_fail.blocking == ("(i1.1) i1 does not meet the criterion",)


def test_limits_on_basically_meets_are_explained_with_counts():
    rules = edition(PassRule(max_basic_per_item=1, max_basic_total=2))
    verdict = judge_assessment(rules, ALL_MEET | {"i1.1": B, "i1.2": B, "t1.1": B}, {}, today=TODAY)
    assert verdict.blocking == (
        "item i1 has 2 sub-items that only basically meet (at most 1)",
        "3 sub-items only basically meet (at most 2)",
    )
    assert verdict.outcome == Outcome.FAIL


def test_the_per_item_limit_skips_items_of_other_areas_and_checks_the_rest():
    """An item outside `per_item_areas` comes first: the items after it are still checked."""
    sub_items = tree({"ts/t1": 3, "ic/i1": 3, "ic/i2": 3})
    rule = PassRule(max_basic_total=None, max_basic_per_item=1, per_item_areas=frozenset({"ic"}))
    verdict = judge_assessment(
        edition(rule, sub_items),
        {s.key: M for s in sub_items} | {"t1.1": B, "t1.2": B, "i1.1": B, "i1.2": B, "i2.1": B, "i2.2": B},
        {},
        today=TODAY,
    )
    assert verdict.blocking == (
        "item i1 has 2 sub-items that only basically meet (at most 1)",
        "item i2 has 2 sub-items that only basically meet (at most 1)",
    )


def test_a_zero_limit_on_basically_meets_is_a_limit():
    verdict = judge_assessment(edition(PassRule(max_basic_total=0)), ALL_MEET | {"i1.1": B}, {}, today=TODAY)
    assert verdict.blocking == ("1 sub-items only basically meet (at most 0)",)
    per_item = judge_assessment(
        edition(PassRule(max_basic_total=None, max_basic_per_item=0)), ALL_MEET | {"t1.1": B}, {}, today=TODAY
    )
    assert per_item.blocking == ("item t1 has 1 sub-items that only basically meet (at most 0)",)


def test_a_score_below_the_minimum_is_named_one_point_below_and_not_at_it():
    rule = PassRule(veto_on_fail=False, max_basic_total=None, min_score=97)
    below = judge_assessment(edition(rule), ALL_MEET | {"i1.1": F, "i1.2": B, "i1.3": F}, {}, today=TODAY)
    assert below.blocking == ("score 95 is below 97",)
    at = judge_assessment(edition(rule), ALL_MEET | {"i1.1": F, "i1.2": B}, {}, today=TODAY)
    assert (at.score, at.blocking) == (97, ())
    zero = judge_assessment(edition(PassRule(min_score=0, base_score=0)), ALL_MEET, {}, today=TODAY)
    assert (zero.score, zero.outcome) == (0, Outcome.PASS)


def test_missing_financial_figures_are_listed_as_unjudged_after_the_sub_items():
    sub_items = tree({"ic/i1": 2, "fs/f": 1}, financial={"f.1": "solvency"})
    rule = FinancialRule(method=FinancialMethod.SOLVENCY_PROFITABILITY, years=2)
    verdict = judge_assessment(
        edition(PassRule(), sub_items, rule), {"i1.1": M}, {2025: healthy(2025, cash=None)}, today=TODAY
    )
    assert verdict.unjudged == (
        "(i1.2) i1",
        "financial figures: 2025: cash missing",
        "financial figures: 2024: no figures",
    )
    assert verdict.sub_items[-1] == SubItemResult("f.1", "(f.1)", "f.1", None, 0, computed=True)
    assert verdict.outcome == Outcome.INCOMPLETE


def test_manufacturers_are_judged_by_their_own_asset_liability_limit():
    sub_items = tree({"fs/f": 1}, financial={"f.1": "solvency"})
    rules = edition(PassRule(), sub_items, RULE_2026)
    figures = {2025: healthy(2025, total_liabilities=D(800), current_assets=D(299), cash=D(59))}
    assert judge_assessment(rules, {}, figures, today=TODAY).sub_items[0].judgement == B
    assert judge_assessment(rules, {}, figures, today=TODAY, manufacturer=True).sub_items[0].judgement == M


def test_a_link_to_an_unknown_check_is_named_by_its_key():
    sub_items = tree({"fs/f": 1}, financial={"f.1": "liquidity"})
    verdict = judge_assessment(edition(PassRule(), sub_items, RULE_2026), {}, {2025: healthy(2025)}, today=TODAY)
    assert verdict.unjudged == ("(f.1) f: the edition's financial checks do not include liquidity",)
    assert verdict.sub_items[0] == SubItemResult("f.1", "(f.1)", "f.1", None, 0, computed=True)


def test_a_sub_item_without_a_code_is_named_by_its_item_alone():
    sub_items = (SubItem("x", "", "x", "i1", "Records", "ic", "Internal control"),)
    verdict = judge_assessment(edition(PassRule(), sub_items), {"x": F}, {}, today=TODAY)
    assert verdict.blocking == ("Records does not meet the criterion",)


def test_roll_ups_keep_the_tree_order_labels_points_and_unjudged_counts():
    sub_items = (
        SubItem("a", "(1)", "a", "i2", "Item two", "ts", "Trade security"),
        SubItem("b", "(2)", "b", "i1", "Item one", "ic", "Internal control"),
        SubItem("c", "(3)", "c", "i2", "Item two", "ts", "Trade security"),
        SubItem("d", "(4)", "d", "i1", "Item one", "ic", "Internal control"),
    )
    verdict = judge_assessment(edition(PassRule(), sub_items), {"a": B, "b": F, "c": F}, {}, today=TODAY)
    assert verdict.items == (
        RollUp("i2", "Item two", {"meets": 0, "basic": 1, "fails": 1, "na": 0}, -3, 0),
        RollUp("i1", "Item one", {"meets": 0, "basic": 0, "fails": 1, "na": 0}, -2, 1),
    )
    assert verdict.areas == (
        RollUp("ts", "Trade security", {"meets": 0, "basic": 1, "fails": 1, "na": 0}, -3, 0),
        RollUp("ic", "Internal control", {"meets": 0, "basic": 0, "fails": 1, "na": 0}, -2, 1),
    )
    assert verdict.totals == {"meets": 0, "basic": 1, "fails": 2, "na": 0}
