"""Judging is pure: a full assessment is judged without the database (a separate file, so the
mutation runs of the rules need no database)."""

import datetime

import pytest

from readiness.rules import Judgement, Outcome, PassRule, judge_assessment
from tests.readiness.test_rules import RULE_2026, edition, healthy, tree

TODAY = datetime.date(2026, 11, 30)
M = Judgement.MEETS


@pytest.mark.django_db
def test_judging_a_full_assessment_is_pure(django_assert_num_queries):
    """74 sub-items and five years of figures are judged without touching the database, and judged
    again to the same verdict (its speed is measured by benchmarks/readiness_assessment.py)."""
    sub_items = tree({f"a{n % 4}/i{n}": 3 for n in range(1, 23)} | {"fs/f": 2}, bonus=6, financial={"f.1": "solvency"})
    assert len(sub_items) == 74
    rules = edition(PassRule(bonus_cap=2), sub_items, RULE_2026)
    judgements = {s.key: M for s in sub_items}
    years = {y: healthy(y) for y in range(2021, 2026)}
    with django_assert_num_queries(0):
        first = judge_assessment(rules, judgements, years, today=TODAY)
        second = judge_assessment(rules, judgements, years, today=TODAY)
    assert first == second and first.outcome == Outcome.PASS and first.score == 102
