"""Edges of the selection rules: every field of a decision an officer reads, counters across
several nominees, a full base next to one with room, policy switches, and every reason in words."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import translation

from trainees import rules
from trainees.rules import ApplicationDecision, NomineeIn, PersonDecision, PolicyIn, Reason

from .test_rules import STRONG, T0, TODAY, app


def rank(apps, capacities, policy=None, overrides=None):
    return rules.rank_applications(
        apps, policy=policy or PolicyIn(), capacities=capacities, today=TODAY, overrides=overrides
    )


def seat(base, priority):
    return (Reason("seat", {"base": base, "priority": priority}, True),)


def test_every_field_of_the_decisions_and_of_the_people():
    nominees = (
        NomineeIn(13, "other"),
        NomineeIn(12, "it"),
        NomineeIn(14, "finance"),
        NomineeIn(11, "legal_representative"),
    )
    apps = [
        app(
            1,
            nominees=nominees,
            preferred_bases=("suzhou", "shenzhen"),
            is_key_enterprise=True,
            credit_score=90,
            **STRONG,
        ),
        app(2, credit_score=None, preferred_bases=("suzhou", "shenzhen")),
        app(3, bar_until=date(2027, 1, 20)),
    ]
    result = rank(apps, {("compliance", "suzhou"): 2, ("compliance", "shenzhen"): 1})
    assert result.decisions == (
        ApplicationDecision(
            1,
            1,
            "compliance",
            "listed",
            1,
            3,
            (
                Reason("key_enterprise", {}, True),
                Reason("willingness", {"strength": "strong"}, True),
                Reason("credit_score", {"score": 90, "threshold": 85}, True),
                Reason("rank", {"rank": 1, "total": 3}),
                Reason("listed_people", {"count": 3, "nominated": 4}, True),
            ),
        ),
        ApplicationDecision(
            2,
            2,
            "compliance",
            "not_selected",
            2,
            3,
            (
                Reason("key_enterprise", {}, False),
                Reason("willingness", {"strength": "exploring"}, False),
                Reason("credit_score", {"score": None, "threshold": 85}, False),
                Reason("rank", {"rank": 2, "total": 3}),
                Reason("capacity_reached", {}, False),
            ),
        ),
        ApplicationDecision(
            3, 3, "compliance", "ineligible", None, 3, (Reason("barred", {"until": "2027-01-20"}, False),)
        ),
    )
    # The legal representative first, then the departments in the enterprise's order; the
    # third person finds the first preferred base full and takes the second.
    assert result.persons == (
        PersonDecision(1, 11, "compliance", True, 1, "suzhou", seat("suzhou", 1)),
        PersonDecision(1, 12, "compliance", True, 2, "suzhou", seat("suzhou", 2)),
        PersonDecision(1, 14, "compliance", True, 3, "shenzhen", seat("shenzhen", 3)),
        PersonDecision(1, 13, "compliance", False, None, "", (Reason("seat_cap", {"cap": 3}, False),)),
    )
    with translation.override("en"):
        assert rules.describe_reasons(result.decision_for(1).reasons).endswith("3 of 4 nominated people listed ✓")
        assert rules.describe_reasons(result.decision_for(2).reasons) == (
            "key enterprise ✗, willingness exploring ✗, no credit score ✗, rank 2 of 3, "
            "all seats at the preferred bases were taken by higher-ranked applications ✗"
        )
    with translation.override("zh-hans"):
        assert rules.describe_reasons(result.decision_for(1).reasons).endswith("推荐 4 人，入选 3 人 ✓")
        assert rules.describe_reasons(result.decision_for(3).reasons) == "2027-01-20 前不得申请 ✗"


def test_people_beyond_the_seats_left_are_told_so_and_the_count_says_how_many_were_listed():
    nominees = (NomineeIn(11, "finance"), NomineeIn(12, "it"), NomineeIn(13, "other"))
    result = rank([app(1, nominees=nominees), app(2)], {("compliance", "shenzhen"): 2})
    assert result.persons == (
        PersonDecision(1, 11, "compliance", True, 1, "shenzhen", seat("shenzhen", 1)),
        PersonDecision(1, 12, "compliance", True, 2, "shenzhen", seat("shenzhen", 2)),
        PersonDecision(1, 13, "compliance", False, None, "", (Reason("no_seat", {}, False),)),
    )
    assert result.decision_for(1).reasons[-1] == Reason("listed_people", {"count": 2, "nominated": 3}, True)
    assert result.decision_for(2).outcome == "not_selected"
    assert result.decision_for(2).reasons[-1] == Reason("capacity_reached", {}, False)


def test_a_full_base_is_passed_over_for_the_next_preferred_one():
    capacities = {("compliance", "suzhou"): 1, ("compliance", "shenzhen"): 1}
    result = rank(
        [app(1, credit_score=99, preferred_bases=("suzhou",)), app(2, preferred_bases=("suzhou", "shenzhen"))],
        capacities,
    )
    assert [(p.application_id, p.base_slug) for p in result.persons] == [(1, "suzhou"), (2, "shenzhen")]


def test_an_application_without_preferences_may_take_any_base():
    capacities = {("compliance", "guangzhou"): 1, ("compliance", "suzhou"): 1}
    result = rank([app(1, preferred_bases=()), app(2, preferred_bases=())], capacities)
    assert sorted(p.base_slug for p in result.persons) == ["guangzhou", "suzhou"]


def test_a_manual_include_lists_people_beyond_capacity_at_the_first_preferred_base():
    capacities = {("compliance", "shenzhen"): 1}
    result = rank(
        [
            app(1, credit_score=99),
            app(2, nominees=(NomineeIn(21, "it"), NomineeIn(22, "it"))),
            app(3, preferred_bases=("guangzhou",)),
        ],
        capacities,
        overrides={2: ("include", "pilot"), 3: ("include", "pilot")},
    )
    assert [(p.nominee_id, p.listed, p.priority, p.base_slug) for p in result.persons] == [
        (10, True, 1, "shenzhen"),
        (21, True, 2, "shenzhen"),
        (22, True, 3, "shenzhen"),
        (30, True, 4, ""),  # no base of its preferences runs this training: the officer places it
    ]
    assert result.decision_for(2).reasons[-2:] == (
        Reason("manual_include", {"note": "pilot"}, True),
        Reason("listed_people", {"count": 2, "nominated": 2}, True),
    )


def test_an_excluded_application_leaves_its_seat_to_the_next():
    result = rank(
        [app(1, credit_score=99), app(2)], {("compliance", "shenzhen"): 1}, overrides={1: ("exclude", "audit")}
    )
    assert result.decision_for(1) == ApplicationDecision(
        1,
        1,
        "compliance",
        "excluded",
        1,
        2,
        (
            Reason("key_enterprise", {}, False),
            Reason("willingness", {"strength": "exploring"}, False),
            Reason("credit_score", {"score": 99, "threshold": 85}, True),
            Reason("rank", {"rank": 1, "total": 2}),
            Reason("manual_exclude", {"note": "audit"}, False),
        ),
    )
    assert [p.application_id for p in result.persons] == [2]


@pytest.mark.parametrize(
    ("changes", "reasons"),
    [
        ({"registered_with_customs": False}, [Reason("not_registered", {}, False)]),
        (
            {"credit_level": "discredited", "credit_level_excluded": True},
            [Reason("discredited", {"level": "discredited"}, False)],
        ),
        ({"bar_until": TODAY}, [Reason("barred", {"until": "2027-01-10"}, False)]),
        ({"cultivation_status": "suspended"}, [Reason("suspended", {}, False)]),
        (
            {
                "registered_with_customs": False,
                "credit_level": "d251_discredited",
                "credit_level_excluded": True,
                "bar_until": date(2027, 3, 1),
                "cultivation_status": "terminated",
            },
            [
                Reason("not_registered", {}, False),
                Reason("discredited", {"level": "d251_discredited"}, False),
                Reason("barred", {"until": "2027-03-01"}, False),
                Reason("terminated", {}, False),
            ],
        ),
    ],
)
def test_every_refusal_is_a_condition_not_met_with_its_details(changes, reasons):
    decision = rank([app(1, **changes)], {("compliance", "shenzhen"): 5}).decision_for(1)
    assert list(decision.reasons) == reasons
    with translation.override("en"):
        assert all(text.endswith(" ✗") for text in rules.describe_reasons(decision.reasons).split(", "))


@pytest.mark.parametrize(
    ("policy", "changes"),
    [
        (PolicyIn(exclude_discredited=False), {"credit_level": "discredited", "credit_level_excluded": True}),
        (PolicyIn(exclude_barred=False), {"bar_until": TODAY}),
        (PolicyIn(exclude_blocked=False), {"cultivation_status": "suspended"}),
    ],
)
def test_each_eligibility_rule_can_be_switched_off(policy, changes):
    assert rank([app(1, **changes)], {("compliance", "shenzhen"): 5}, policy).decision_for(1).outcome == "listed"


def test_of_two_applications_submitted_together_the_lower_id_counts():
    result = rank(
        [app(2, enterprise_id=7, submitted_at=T0), app(1, enterprise_id=7, submitted_at=T0)],
        {("compliance", "shenzhen"): 5},
    )
    assert result.decision_for(1).outcome == "listed"
    assert result.decision_for(2).reasons == (Reason("duplicate", {}, False),)


def test_ineligible_applications_come_last_by_id():
    apps = [app(5, bar_until=TODAY), app(4), app(3, cultivation_status="terminated")]
    result = rank(apps, {("compliance", "shenzhen"): 5})
    assert [(d.application_id, d.outcome, d.total) for d in result.decisions] == [
        (4, "listed", 3),
        (3, "ineligible", 3),
        (5, "ineligible", 3),
    ]


def test_a_strong_willingness_without_a_near_plan_is_not_condition_2():
    result = rank(
        [app(1, **STRONG), app(2, willingness="strong", planned_aeo_application_date=date(2029, 1, 1))],
        {("compliance", "shenzhen"): 5},
    )
    assert result.decision_for(1).reasons[1] == Reason("willingness", {"strength": "strong"}, True)
    assert result.decision_for(2).reasons[1] == Reason("willingness", {"strength": "strong"}, False)


@pytest.mark.parametrize(("mode", "order"), [("lexicographic", [1, 2, 3]), ("weighted", [2, 1, 3])])
def test_weights_decide_the_weighted_order(mode, order):
    policy = PolicyIn(ordering_mode=mode, weight_key_enterprise=1, weight_willingness=4, weight_credit_score=2)
    apps = [app(1, is_key_enterprise=True, credit_score=90), app(2, credit_score=50, **STRONG), app(3, credit_score=95)]
    result = rank(apps, {("compliance", "shenzhen"): 5}, policy)
    assert [d.application_id for d in result.decisions] == order


def test_the_threshold_of_the_policy_is_the_high_score():
    result = rank(
        [app(1, credit_score=80), app(2, credit_score=79)],
        {("compliance", "shenzhen"): 5},
        PolicyIn(high_score_threshold=80),
    )
    assert result.decision_for(1).reasons[2] == Reason("credit_score", {"score": 80, "threshold": 80}, True)
    assert result.decision_for(2).reasons[2] == Reason("credit_score", {"score": 79, "threshold": 80}, False)


def test_listed_people_by_training_type_and_a_missing_decision():
    capacities = {("compliance", "shenzhen"): 5, ("aeo_certification", "shenzhen"): 5}
    result = rank([app(1), app(2, training_type="aeo_certification")], capacities)
    assert [p.application_id for p in result.listed()] == [2, 1]  # by training type, then priority
    assert [p.application_id for p in result.listed("compliance")] == [1]
    assert result.decision_for(99) is None


@pytest.mark.parametrize(
    ("code", "params", "met", "en", "zh"),
    [
        ("credit_score", {"score": None, "threshold": 85}, False, "no credit score ✗", "无信用评估分数 ✗"),
        ("credit_score", {"score": 60, "threshold": 85}, False, "credit score 60 < 85 ✗", None),
        (
            "seat",
            {"base": "suzhou", "priority": 2},
            True,
            "priority 2, proposed base Suzhou ✓",
            "优先顺序 2，建议基地 苏州 ✓",
        ),
        ("seat", {"base": "guangzhou", "priority": 1}, True, "priority 1, proposed base Guangzhou ✓", None),
        ("seat", {"base": "shenzhen", "priority": 1}, True, "priority 1, proposed base Shenzhen ✓", None),
        ("seat", {"base": "", "priority": 4}, True, "priority 4, proposed base — ✓", "优先顺序 4，建议基地 — ✓"),
        ("willingness", {"strength": "moderate"}, False, "willingness moderate ✗", "意愿一般 ✗"),
        ("willingness", {"strength": "exploring"}, False, "willingness exploring ✗", None),
        ("not_registered", {}, False, "not registered with customs ✗", "未在海关注册登记 ✗"),
        ("suspended", {}, False, "cultivation suspended ✗", "培育已中止 ✗"),
        ("terminated", {}, False, "cultivation terminated ✗", "培育已终止 ✗"),
        ("duplicate", {}, False, "duplicate application for this round and training type ✗", None),
        ("seat_cap", {"cap": 3}, False, "beyond the 3 seats per enterprise ✗", "超出每家企业 3 个名额 ✗"),
        ("no_seat", {}, False, "no seat left at the preferred bases ✗", "志愿基地已无名额 ✗"),
        ("manual_include", {"note": "pilot"}, True, "put on the list by customs: pilot ✓", "海关人工列入：pilot ✓"),
        ("manual_exclude", {"note": "audit"}, False, "taken off the list by customs: audit ✗", "海关人工移出：audit ✗"),
        ("removed", {"note": "left"}, None, "removed from the list: left", "已移出名单：left"),
        ("rank", {"rank": 2, "total": 5}, None, "rank 2 of 5", "排名 2 / 5"),
        ("unknown_code", {}, None, "unknown_code", "unknown_code"),
        (
            "discredited",
            {"level": "certified"},
            False,
            "credit level “certified enterprise” excludes the enterprise ✗",
            "信用等级“认证企业”不得参加 ✗",
        ),
        (
            "barred",
            {"until": "2027-01-10"},
            False,
            "barred from applying until 2027-01-10 ✗",
            "2027-01-10 前不得申请 ✗",
        ),
    ],
)
def test_every_reason_in_words(code, params, met, en, zh):
    with translation.override("en"):
        assert rules.describe_reason(code, params, met) == en
    if zh is not None:
        with translation.override("zh-hans"):
            assert rules.describe_reason(code, params, met) == zh


def test_reasons_are_joined_with_the_language_s_comma():
    reasons = [["rank", {"rank": 1, "total": 2}, None], ["no_seat", {}, False]]
    with translation.override("en"):
        assert rules.describe_reasons(reasons) == "rank 1 of 2, no seat left at the preferred bases ✗"
    with translation.override("zh-hans"):
        assert rules.describe_reasons(reasons) == "排名 1 / 2，志愿基地已无名额 ✗"


def test_officer_actions_allowed_from_each_state():
    assert rules.allowed_actions("listed") == ["start_training", "suspend", "terminate"]
    assert rules.allowed_actions("suspended") == ["resume", "terminate"]
    assert rules.allowed_actions("terminated") == []


def test_a_refused_transition_says_what_and_from_where():
    with pytest.raises(rules.TransitionRefused) as excinfo:
        rules.next_status("terminated", "resume", previous="listed")
    assert (excinfo.value.action, excinfo.value.current) == ("resume", "terminated")
    assert str(excinfo.value) == "resume is not allowed from terminated"


def test_an_audit_without_a_suspension_date_is_never_overdue():
    now = datetime(2030, 1, 1, tzinfo=UTC)
    assert not rules.audit_overdue(ground="being_audited", suspended_at=None, now=now, limit_months=1)


def test_audit_overdue_at_the_exact_deadline():
    suspended_at = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
    deadline = datetime(2027, 1, 1, 8, 0, tzinfo=UTC)
    assert rules.audit_overdue(ground="being_audited", suspended_at=suspended_at, now=deadline, limit_months=3)
    assert not rules.audit_overdue(
        ground="being_audited", suspended_at=suspended_at, now=deadline - timedelta(seconds=1), limit_months=3
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 12, 15), 1, date(2028, 1, 15)),
        (date(2027, 1, 15), 12, date(2028, 1, 15)),
        (date(2027, 3, 31), 1, date(2027, 4, 30)),
        (date(2027, 5, 20), 0, date(2027, 5, 20)),
    ],
)
def test_add_months_across_years_and_month_ends(day, months, expected):
    assert rules.add_months(day, months) == expected


def test_a_position_outside_the_tiers_goes_with_the_others_in_the_enterprise_s_order():
    nominees = (NomineeIn(1, "chief_engineer"), NomineeIn(2, "other"), NomineeIn(3, "finance"))
    result = rank([app(1, nominees=nominees)], {("compliance", "shenzhen"): 5})
    assert [p.nominee_id for p in result.listed()] == [3, 1, 2]


def test_of_two_applications_submitted_together_the_first_listed_is_not_replaced():
    result = rank(
        [app(1, enterprise_id=7, submitted_at=T0), app(2, enterprise_id=7, submitted_at=T0)],
        {("compliance", "shenzhen"): 5},
    )
    assert (result.decision_for(1).outcome, result.decision_for(2).outcome) == ("listed", "ineligible")


@pytest.mark.parametrize(
    ("code", "params", "en"),
    [
        ("willingness", {"strength": "eager"}, "willingness eager ✓"),
        ("seat", {"base": "xiamen", "priority": 1}, "priority 1, proposed base xiamen ✓"),
    ],
)
def test_values_without_a_translation_read_as_they_are(code, params, en):
    with translation.override("en"):
        assert rules.describe_reason(code, params, True) == en


@pytest.mark.parametrize(
    ("current", "action", "previous"),
    [("listed", "fly", "listed"), ("terminated", "resume", "listed"), ("suspended", "resume", "terminated")],
)
def test_every_refused_transition_names_the_action_and_the_state(current, action, previous):
    with pytest.raises(rules.TransitionRefused) as excinfo:
        rules.next_status(current, action, previous=previous)
    assert (excinfo.value.action, excinfo.value.current) == (action, current)


def test_without_a_score_an_earlier_application_still_ranks_after_a_score_of_0():
    result = rank([app(1, credit_score=None, submitted_at=T0), app(2, credit_score=0)], {("compliance", "shenzhen"): 5})
    assert [d.application_id for d in result.decisions] == [2, 1]


def test_the_high_score_counts_in_the_weighted_order():
    policy = PolicyIn(ordering_mode="weighted", weight_credit_score=1)
    result = rank(
        [app(1, credit_score=50, submitted_at=T0), app(2, credit_score=90)], {("compliance", "shenzhen"): 5}, policy
    )
    assert [d.application_id for d in result.decisions] == [2, 1]


def test_a_plan_to_apply_today_is_within_the_horizon():
    result = rank([app(1, willingness="strong", planned_aeo_application_date=TODAY)], {("compliance", "shenzhen"): 5})
    assert result.decision_for(1).reasons[1] == Reason("willingness", {"strength": "strong"}, True)


def test_when_its_bases_are_full_nobody_of_the_enterprise_is_placed_elsewhere():
    capacities = {("compliance", "shenzhen"): 1, ("compliance", "suzhou"): 3}
    result = rank([app(1, credit_score=99), app(2, preferred_bases=("shenzhen",))], capacities)
    assert [(p.application_id, p.listed) for p in result.persons] == [(1, True)]
    assert result.decision_for(2).reasons[-1] == Reason("capacity_reached", {}, False)


def test_every_nominee_gets_a_decision_past_the_last_seat_and_past_the_cap():
    nominees = tuple(NomineeIn(i, "it") for i in range(1, 6))
    result = rank([app(1, nominees=nominees)], {("compliance", "shenzhen"): 2}, PolicyIn(seats_per_enterprise=3))
    assert [(p.nominee_id, p.listed, p.reasons[0].code) for p in result.persons] == [
        (1, True, "seat"),
        (2, True, "seat"),
        (3, False, "no_seat"),
        (4, False, "seat_cap"),
        (5, False, "seat_cap"),
    ]
