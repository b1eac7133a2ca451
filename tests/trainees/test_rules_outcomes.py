"""Rules after the list is drawn up: the real per-base figures of a list, what a certification
result changes, the cultivation funnel an appraisal reads, and base names in words."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import translation

from trainees import rules
from trainees.rules import BaseLoad, CertificationEffect, FunnelStage

D0 = date(2027, 1, 4)


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def test_base_loads_count_people_per_base_against_its_seats_in_base_order():
    listed = [
        ("compliance", "shenzhen"),
        ("compliance", "shenzhen"),
        ("compliance", "suzhou"),
        ("aeo_certification", "zz-new-base"),
        ("aeo_certification", "aa-new-base"),
        ("aeo_certification", "aa-new-base"),
        ("compliance", "wuhan"),  # a base added later: after the three known ones
    ]
    capacities = {("compliance", "suzhou"): 3, ("compliance", "guangzhou"): 2, ("compliance", "shenzhen"): 1}
    loads = rules.base_loads(listed, capacities)
    assert loads == (
        BaseLoad("aeo_certification", "aa-new-base", 0, 2),
        BaseLoad("aeo_certification", "zz-new-base", 0, 1),
        BaseLoad("compliance", "suzhou", 3, 1),
        BaseLoad("compliance", "shenzhen", 1, 2),
        BaseLoad("compliance", "guangzhou", 2, 0),
        BaseLoad("compliance", "wuhan", 0, 1),
    )
    assert [load.over for load in loads] == [2, 1, 0, 1, 0, 1]


def test_base_loads_of_an_empty_list():
    assert rules.base_loads([], {}) == ()
    assert rules.base_loads([], {("compliance", "suzhou"): 4}) == (BaseLoad("compliance", "suzhou", 4, 0),)


@pytest.mark.parametrize("level", ["advanced_certified", "certified"])
def test_a_passed_certification_sets_the_certified_level(level):
    effect = rules.certification_effect(passed=True, credit_level_code=level, decided_on=day(0))
    assert effect == CertificationEffect("certify", level, None, "")


@pytest.mark.parametrize("level", ["regular", "discredited", ""])
def test_a_passed_certification_names_a_certified_level(level):
    with pytest.raises(ValueError, match=level or "^$"):
        rules.certification_effect(passed=True, credit_level_code=level, decided_on=day(0))


@pytest.mark.parametrize(
    ("decided_on", "bar_until"),
    [(date(2027, 3, 15), date(2028, 3, 15)), (date(2028, 2, 29), date(2029, 2, 28))],
)
def test_a_failed_certification_bars_applying_for_one_year(decided_on, bar_until):
    effect = rules.certification_effect(passed=False, credit_level_code="certified", decided_on=decided_on)
    assert effect == CertificationEffect("fail_certification", None, bar_until, "failed_certification")


def path(*days_by_stage):
    return {stage: d for stage, d in zip(rules.FUNNEL_STAGES, days_by_stage, strict=False) if d is not None}


def test_the_funnel_counts_each_enterprise_up_to_its_furthest_stage():
    paths = [
        path(day(0), day(10), day(13), day(20), day(41), day(100)),  # every stage
        path(day(0), day(20)),  # listed, no further
        path(day(0), day(1)),  # listed the next day
        path(day(0)),  # applied only
        path(None, day(5)),  # applied outside the window read: ignored
        path(day(0), None, day(15)),  # in training; listed outside the window: no gap measured
        path(day(10), day(5)),  # listed before applying (a correction): counted, no gap
    ]
    assert rules.funnel(paths) == (
        FunnelStage(rules.APPLIED, 6, None, None),
        FunnelStage(rules.LISTED, 5, 5 / 6, 10.0),  # median of 10, 20 and 1 days
        FunnelStage(rules.IN_TRAINING, 2, 0.4, 3.0),
        FunnelStage(rules.COMPLETED, 1, 0.5, 7.0),
        FunnelStage(rules.APPLIED_FOR_AEO, 1, 1.0, 21.0),
        FunnelStage(rules.CERTIFIED, 1, 1.0, 59.0),
    )


def test_the_funnel_median_of_an_even_count_and_of_times():
    start = datetime(2027, 1, 4, 1, 0, tzinfo=UTC)
    paths = [
        path(start, start + timedelta(days=1, hours=3, minutes=12)),  # 1.133 days
        path(start, start + timedelta(days=4)),
    ]
    stages = rules.funnel(paths)
    assert stages[1] == FunnelStage(rules.LISTED, 2, 1.0, 2.6)  # (1.133 + 4) / 2, one decimal
    assert stages[2] == FunnelStage(rules.IN_TRAINING, 0, 0.0, None)
    assert stages[3] == FunnelStage(rules.COMPLETED, 0, None, None)  # nobody in the stage before
    # Listed the moment it applied: a gap of 0 days counts.
    stages = rules.funnel([*paths, path(start, start)])
    assert stages[1] == FunnelStage(rules.LISTED, 3, 1.0, 1.1)


def test_the_funnel_measures_days_to_the_second():
    start = datetime(2027, 1, 4, 1, 0, tzinfo=UTC)
    (_applied, listed, *_rest) = rules.funnel([path(start, start + timedelta(days=1, hours=1, minutes=12))])
    assert listed.median_days == 1.1  # 1.05 days


def test_the_funnel_measures_no_gap_from_the_last_stage_to_the_first():
    # Certified (recorded) before the application of the window: every stage reached, no gaps.
    stages = rules.funnel([path(day(50), None, None, None, None, day(10))])
    assert [(s.reached, s.median_days) for s in stages] == [(1, None)] * 6


def test_an_empty_funnel():
    assert rules.funnel([]) == tuple(FunnelStage(stage, 0, None, None) for stage in rules.FUNNEL_STAGES)


@pytest.mark.parametrize(
    ("values", "median"), [([], None), ([5], 5.0), ([3, 1, 2], 2.0), ([4, 1, 3, 2], 2.5), ([7, 1], 4.0)]
)
def test_median(values, median):
    assert rules._median(values) == median


@pytest.mark.parametrize(
    ("slug", "en", "zh"),
    [
        ("suzhou", "Suzhou", "苏州"),
        ("shenzhen", "Shenzhen", "深圳"),
        ("guangzhou", "Guangzhou", "广州"),
        ("", "—", "—"),
        ("wuhan", "wuhan", "wuhan"),  # a base added later shows its slug, not an error
    ],
)
def test_base_names_in_both_languages(slug, en, zh):
    with translation.override("en"):
        assert rules.base_label(slug) == en
    with translation.override("zh-hans"):
        assert rules.base_label(slug) == zh
