"""Table-driven tests of the pure rules: eligibility, priority ranking, lifecycle transitions."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import translation

from trainees import rules
from trainees.rules import ApplicationIn, NomineeIn, PolicyIn, TransitionRefused

TODAY = date(2027, 1, 10)
T0 = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)
CAPACITY = {("compliance", "suzhou"): 10, ("compliance", "shenzhen"): 10, ("compliance", "guangzhou"): 10}


def app(i, **kw):
    defaults = {
        "id": i,
        "enterprise_id": i,
        "training_type": "compliance",
        "submitted_at": T0 + timedelta(minutes=i),
        "nominees": (NomineeIn(i * 10, "customs_affairs"),),
        "preferred_bases": ("shenzhen",),
        "credit_score": 70,
    }
    defaults.update(kw)
    return ApplicationIn(**defaults)


def outcome(result, app_id):
    return result.decision_for(app_id).outcome


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"credit_level": "discredited", "credit_level_excluded": True}, "discredited"),
        ({"bar_until": TODAY}, "barred"),
        ({"bar_until": TODAY + timedelta(days=200)}, "barred"),
        ({"cultivation_status": "suspended"}, "suspended"),
        ({"cultivation_status": "terminated"}, "terminated"),
        ({"registered_with_customs": False}, "not_registered"),
    ],
)
def test_ineligible_applications_are_refused_with_the_reason(changes, code):
    result = rules.rank_applications([app(1, **changes)], policy=PolicyIn(), capacities=CAPACITY, today=TODAY)
    decision = result.decision_for(1)
    assert decision.outcome == "ineligible"
    assert decision.rank is None
    assert [r.code for r in decision.reasons] == [code]
    assert not any(p.listed for p in result.persons)


@pytest.mark.parametrize(
    ("changes", "eligible"),
    [
        ({"bar_until": TODAY - timedelta(days=1)}, True),  # the bar has ended
        ({"cultivation_status": "not_selected"}, True),
        ({"cultivation_status": "listed"}, True),
    ],
)
def test_eligible_cases(changes, eligible):
    result = rules.rank_applications([app(1, **changes)], policy=PolicyIn(), capacities=CAPACITY, today=TODAY)
    assert (outcome(result, 1) == "listed") is eligible


def test_policy_can_switch_an_eligibility_rule_off():
    policy = PolicyIn(exclude_barred=False)
    result = rules.rank_applications(
        [app(1, bar_until=TODAY + timedelta(days=5))], policy=policy, capacities=CAPACITY, today=TODAY
    )
    assert outcome(result, 1) == "listed"


def test_a_later_duplicate_application_is_ineligible():
    first = app(1, enterprise_id=7)
    second = app(2, enterprise_id=7, submitted_at=T0 + timedelta(hours=1))
    result = rules.rank_applications([second, first], policy=PolicyIn(), capacities=CAPACITY, today=TODAY)
    assert outcome(result, 1) == "listed"
    assert [r.code for r in result.decision_for(2).reasons] == ["duplicate"]


STRONG = {"willingness": "strong", "planned_aeo_application_date": date(2027, 6, 1)}


@pytest.mark.parametrize(
    ("a", "b", "first"),
    [
        # more conditions met wins
        ({"is_key_enterprise": True, "credit_score": 90}, {"is_key_enterprise": True}, "a"),
        # same count: condition 1 before 2
        ({"is_key_enterprise": True}, STRONG, "a"),
        # same count: condition 2 before 3
        (STRONG, {"credit_score": 99}, "a"),
        # same conditions: higher score first
        ({"credit_score": 80}, {"credit_score": 84}, "b"),
        # no score ranks after a score of 0
        ({"credit_score": None}, {"credit_score": 0}, "b"),
        # everything equal: earlier application first (b is submitted earlier below)
        ({}, {}, "b"),
    ],
)
def test_lexicographic_ordering(a, b, first):
    apps = [
        app(1, submitted_at=T0 + timedelta(hours=2), **a),
        app(2, submitted_at=T0 + timedelta(hours=1), **b),
    ]
    result = rules.rank_applications(apps, policy=PolicyIn(), capacities=CAPACITY, today=TODAY)
    ranks = {d.application_id: d.rank for d in result.decisions}
    assert ranks[1 if first == "a" else 2] == 1


def test_weighted_ordering_lets_two_lesser_conditions_beat_condition_1():
    key_only = app(1, is_key_enterprise=True)
    two_others = app(2, credit_score=95, **STRONG)
    for mode, winner in [("lexicographic", 2), ("weighted", 1)]:
        policy = PolicyIn(ordering_mode=mode, weight_key_enterprise=4, weight_willingness=1, weight_credit_score=1)
        result = rules.rank_applications([key_only, two_others], policy=policy, capacities=CAPACITY, today=TODAY)
        assert result.decision_for(winner).rank == 1, mode


@pytest.mark.parametrize(
    ("willingness", "planned", "met"),
    [
        ("strong", date(2027, 6, 1), True),
        ("strong", date(2028, 1, 10), True),  # exactly 12 months ahead
        ("strong", date(2028, 1, 11), False),  # beyond the horizon
        ("strong", None, False),  # no evidence
        ("strong", date(2026, 12, 1), False),  # in the past
        ("moderate", date(2027, 6, 1), False),
    ],
)
def test_condition_2_needs_a_strong_willingness_with_a_planned_date(willingness, planned, met):
    result = rules.rank_applications(
        [app(1, willingness=willingness, planned_aeo_application_date=planned)],
        policy=PolicyIn(),
        capacities=CAPACITY,
        today=TODAY,
    )
    reason = next(r for r in result.decision_for(1).reasons if r.code == "willingness")
    assert reason.met is met


def test_nominees_go_by_position_and_the_seat_cap_applies():
    nominees = (
        NomineeIn(1, "other"),
        NomineeIn(2, "it"),
        NomineeIn(3, "legal_representative"),
        NomineeIn(4, "senior_management"),
    )
    result = rules.rank_applications(
        [app(1, nominees=nominees)], policy=PolicyIn(seats_per_enterprise=3), capacities=CAPACITY, today=TODAY
    )
    listed = [p.nominee_id for p in result.listed("compliance")]
    assert listed == [3, 4, 2]
    capped = next(p for p in result.persons if p.nominee_id == 1)
    assert not capped.listed and capped.reasons[0].code == "seat_cap"


def test_capacity_per_base_fills_in_rank_order_and_respects_preferences():
    capacity = {("compliance", "suzhou"): 1, ("compliance", "shenzhen"): 1}
    apps = [
        app(1, credit_score=99, preferred_bases=("shenzhen", "suzhou")),
        app(2, credit_score=98, preferred_bases=("shenzhen",)),
        app(3, credit_score=97, preferred_bases=("suzhou",)),
        app(4, credit_score=96, preferred_bases=()),  # any base
    ]
    result = rules.rank_applications(apps, policy=PolicyIn(), capacities=capacity, today=TODAY)
    assert [outcome(result, i) for i in (1, 2, 3, 4)] == ["listed", "not_selected", "listed", "not_selected"]
    bases = {p.application_id: p.base_slug for p in result.persons if p.listed}
    assert bases == {1: "shenzhen", 3: "suzhou"}
    assert [p.priority for p in result.listed("compliance")] == [1, 2]
    assert "capacity_reached" in [r.code for r in result.decision_for(2).reasons]


def test_manual_adjustments_include_beyond_capacity_and_exclude_with_the_reason():
    capacity = {("compliance", "shenzhen"): 1}
    apps = [app(1, credit_score=99), app(2, credit_score=50), app(3, credit_score=40)]
    overrides = {1: ("exclude", "local audit pending"), 3: ("include", "pilot enterprise")}
    result = rules.rank_applications(apps, policy=PolicyIn(), capacities=capacity, today=TODAY, overrides=overrides)
    assert [outcome(result, i) for i in (1, 2, 3)] == ["excluded", "listed", "listed"]
    assert rules.Reason("manual_exclude", {"note": "local audit pending"}, False) in result.decision_for(1).reasons
    assert rules.Reason("manual_include", {"note": "pilot enterprise"}, True) in result.decision_for(3).reasons


def test_manual_include_never_overrides_eligibility():
    result = rules.rank_applications(
        [app(1, cultivation_status="suspended")],
        policy=PolicyIn(),
        capacities=CAPACITY,
        today=TODAY,
        overrides={1: ("include", "please")},
    )
    assert outcome(result, 1) == "ineligible"


def test_ranking_is_deterministic_whatever_the_input_order():
    apps = [app(i, credit_score=(i * 37) % 101, is_key_enterprise=i % 3 == 0) for i in range(1, 60)]
    capacity = {("compliance", "shenzhen"): 25}
    first = rules.rank_applications(apps, policy=PolicyIn(), capacities=capacity, today=TODAY)
    second = rules.rank_applications(list(reversed(apps)), policy=PolicyIn(), capacities=capacity, today=TODAY)
    assert first.decisions == second.decisions
    assert sorted(first.persons) == sorted(second.persons)


def test_training_types_are_ranked_separately():
    capacity = {("compliance", "shenzhen"): 1, ("aeo_certification", "shenzhen"): 1}
    apps = [app(1), app(2, enterprise_id=1, training_type="aeo_certification")]
    result = rules.rank_applications(apps, policy=PolicyIn(), capacities=capacity, today=TODAY)
    assert outcome(result, 1) == outcome(result, 2) == "listed"
    assert {p.priority for p in result.persons} == {1}


def test_reasons_read_as_words_in_both_languages():
    result = rules.rank_applications(
        [app(1, is_key_enterprise=True, credit_score=92, **STRONG)],
        policy=PolicyIn(),
        capacities=CAPACITY,
        today=TODAY,
    )
    reasons = result.decision_for(1).reasons
    with translation.override("en"):
        text = rules.describe_reasons(reasons)
    assert text.startswith("key enterprise ✓, willingness strong ✓, credit score 92 ≥ 85 ✓, rank 1 of 1")
    with translation.override("en"):
        assert rules.describe_reason("credit_score", {"score": 60, "threshold": 85}, False) == "credit score 60 < 85 ✗"


# --- lifecycle -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "action", "previous", "expected"),
    [
        ("none", "apply", "", "applied"),
        ("not_selected", "apply", "", "applied"),
        ("applied", "select", "", "listed"),
        ("applied", "not_select", "", "not_selected"),
        ("listed", "start_training", "", "in_training"),
        ("in_training", "complete", "", "completed"),
        ("completed", "apply_for_aeo", "", "applied_for_aeo"),
        ("listed", "suspend", "", "suspended"),
        ("applied_for_aeo", "suspend", "", "suspended"),
        ("suspended", "resume", "in_training", "in_training"),
        ("suspended", "terminate", "", "terminated"),
        ("listed", "terminate", "", "terminated"),
        ("none", "terminate", "", "terminated"),
    ],
)
def test_allowed_transitions(current, action, previous, expected):
    assert rules.next_status(current, action, previous=previous) == expected


@pytest.mark.parametrize(
    ("current", "action"),
    [
        ("terminated", "resume"),
        ("terminated", "suspend"),
        ("terminated", "terminate"),
        ("none", "suspend"),
        ("suspended", "suspend"),
        ("listed", "resume"),
        ("applied", "complete"),
        ("listed", "apply"),
        ("in_training", "select"),
        ("listed", "no_such_action"),
    ],
)
def test_forbidden_transitions(current, action):
    with pytest.raises(TransitionRefused):
        rules.next_status(current, action, previous="listed")


def test_resume_needs_a_known_previous_state():
    with pytest.raises(TransitionRefused):
        rules.next_status("suspended", "resume", previous="")


@pytest.mark.parametrize(
    ("current", "expected"),
    [("none", "applied"), ("not_selected", "applied"), ("listed", "listed"), ("in_training", "in_training")],
)
def test_status_after_application(current, expected):
    assert rules.status_after_application(current) == expected


@pytest.mark.parametrize(
    ("ground", "days", "limit", "overdue"),
    [
        ("being_audited", 91, 3, False),  # 1 Oct + 3 months = 1 Jan; 91 days after 1 Oct is 31 Dec
        ("being_audited", 92, 3, True),
        ("being_audited", 31, 1, True),
        ("being_audited", 30, 1, False),
        ("simple_case", 400, 3, False),
        ("other", 400, 1, False),
    ],
)
def test_audit_overdue(ground, days, limit, overdue):
    suspended_at = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
    now = suspended_at + timedelta(days=days)
    assert rules.audit_overdue(ground=ground, suspended_at=suspended_at, now=now, limit_months=limit) is overdue


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2027, 11, 15), 3, date(2028, 2, 15)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
    ],
)
def test_add_months(day, months, expected):
    assert rules.add_months(day, months) == expected


def test_reasons_read_in_chinese():
    result = rules.rank_applications(
        [app(1, is_key_enterprise=True, credit_score=92, **STRONG)],
        policy=PolicyIn(),
        capacities=CAPACITY,
        today=TODAY,
    )
    with translation.override("zh-hans"):
        text = rules.describe_reasons(result.decision_for(1).reasons)
    assert text.startswith("重点企业 ✓，意愿强烈 ✓，信用评估分数 92 ≥ 85 ✓，排名 1 / 1")


@pytest.mark.parametrize(
    ("code", "zh"), [("discredited", "失信企业"), ("d251_discredited", "失信企业"), ("custom", "custom")]
)
def test_credit_levels_read_as_names(code, zh):
    with translation.override("zh-hans"):
        assert zh in rules.describe_reason("discredited", {"level": code}, False)
