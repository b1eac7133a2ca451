"""The readiness report's pure rule (issue 16, point 1): status, score, lines, actions, table-driven."""

import dataclasses
import datetime
from decimal import Decimal as D

import pytest
from django.utils import translation

from readiness.rules import (
    AssessmentInput,
    BelowMeets,
    FinancialInput,
    Judgement,
    Link,
    Offers,
    Person,
    Preconditions,
    ReadinessInputs,
    ReadinessRules,
    ReadinessStatus,
    readiness_report,
)

TODAY = datetime.date(2026, 11, 30)
READY, NEARLY, NOT = ReadinessStatus.READY, ReadinessStatus.NEARLY_READY, ReadinessStatus.NOT_READY


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


COURSE = Link("AEO 认证培训", "/courses/aeo/")
LIVE = Link("Live observation", "/live/1/")
EXAM = Link("Staff exam", "/exams/1/")
OFFERS = Offers(
    courses={"legal_representative": (COURSE,), "senior_management": (COURSE,), "relevant_department": (COURSE,)},
    live_sessions=(LIVE,),
    exams=(EXAM,),
    assessment_start=Link("Start", "/readiness/start/2026-advanced/"),
    assessment=Link("Assessment", "/readiness/1/"),
    financials=Link("Figures", "/readiness/financials/"),
)
FULL_PEOPLE = (
    Person(1, "张三", "legal_representative", ("AEO 认证培训",), (), ("AEO staff exam",)),
    Person(2, "李四", "senior_management", ("AEO 认证培训",)),
    Person(3, "王五", "customs_affairs", ("AEO 认证培训",), ("Live 1",)),
)
PASSED = AssessmentInput("2026-advanced", "2026 advanced", version=2, outcome="pass", score=98)
FAILS = BelowMeets(7, "(7)", "信息系统", "内部控制", Judgement.FAILS)
BASIC = BelowMeets(8, "(8)", "数据保存", "内部控制", Judgement.BASIC)


def inputs(**changes) -> ReadinessInputs:
    base = ReadinessInputs(
        enterprise_name="苏州恒信",
        preconditions=Preconditions("高级认证企业", cultivation_status="in_training"),
        assessment=PASSED,
        financial=FinancialInput(judgement=Judgement.MEETS),
        people=FULL_PEOPLE,
        offers=OFFERS,
    )
    return dataclasses.replace(base, **changes)


def without(person_id: int, field: str) -> tuple[Person, ...]:
    return tuple(dataclasses.replace(p, **{field: ()}) if p.user_id == person_id else p for p in FULL_PEOPLE)


@pytest.mark.parametrize(
    ("changes", "status", "score", "missing"),
    [
        ({}, READY, D("98.8"), ()),
        # One coverage requirement missing: nearly ready, coverage 15 of 20.
        ({"people": without(2, "certification_courses")}, NEARLY, D("93.8"), ("coverage_senior_management",)),
        # Exam and live missing: two requirements, no veto.
        (
            {"people": without(1, "exams_passed")[:2] + (dataclasses.replace(FULL_PEOPLE[2], live_sessions=()),)},
            NEARLY,
            D("83.8"),
            ("coverage_live", "exam"),
        ),
        # Assessment failing on "basically meets" only: no veto.
        (
            {"assessment": dataclasses.replace(PASSED, outcome="fail", score=95, below_meets=(BASIC,) * 4)},
            NEARLY,
            D("97.0"),
            ("assessment",),
        ),
        # A "does not meet" sub-item is a veto.
        (
            {"assessment": dataclasses.replace(PASSED, outcome="fail", score=98, below_meets=(FAILS,))},
            NOT,
            D("98.8"),
            ("assessment",),
        ),
        # A failing financial group is a veto.
        (
            {"financial": FinancialInput(judgement=Judgement.FAILS, failing_groups=("solvency 2025",))},
            NOT,
            D("88.8"),
            ("financial",),
        ),
        # Basically meets: financial passes with half its weight.
        ({"financial": FinancialInput(judgement=Judgement.BASIC)}, READY, D("93.8"), ()),
        # Incomplete figures: unmet, not a veto.
        ({"financial": FinancialInput(judgement=None, missing=("2025 cash",))}, NEARLY, D("88.8"), ("financial",)),
        # No submitted assessment: unmet, score part 0.
        ({"assessment": AssessmentInput("2026-advanced", "2026 advanced")}, NEARLY, D("40.0"), ("assessment",)),
        # Four requirements missing: not ready.
        ({"people": ()}, NOT, D("68.8"), ("coverage_legal_representative",)),
        # A precondition fails: not ready whatever else holds.
        ({"preconditions": Preconditions("失信企业", discredited=True)}, NOT, D("98.8"), ("credit_level",)),
        (
            {"preconditions": Preconditions(bar_until=TODAY, bar_reason="撤回申请")},
            NOT,
            D("98.8"),
            ("application_bar",),
        ),
        ({"preconditions": Preconditions(bar_until=TODAY - datetime.timedelta(days=1))}, READY, D("98.8"), ()),
        (
            {"preconditions": Preconditions(cultivation_status="suspended", cultivation_blocked=True)},
            NOT,
            D("98.8"),
            ("cultivation_status",),
        ),
        # Bonus above 100 is capped.
        ({"assessment": dataclasses.replace(PASSED, score=102)}, READY, D("100.0"), ()),
    ],
)
def test_status_and_score(changes, status, score, missing):
    report = readiness_report(inputs(**changes), today=TODAY)
    assert report.status == status
    assert report.score == score
    assert set(missing) <= set(report.missing)
    if status == READY:
        assert report.missing == ()
        assert report.blocking == ()


def test_nearly_ready_limit_is_data():
    three = inputs(people=without(1, "exams_passed"), financial=FinancialInput(judgement=None))
    three = dataclasses.replace(three, people=tuple(dataclasses.replace(p, live_sessions=()) for p in three.people))
    assert readiness_report(three, today=TODAY).status == NEARLY
    assert readiness_report(three, today=TODAY, rules_=ReadinessRules(nearly_ready_max_missing=2)).status == NOT


def test_weights_are_data():
    report = readiness_report(
        inputs(people=()),
        today=TODAY,
        rules_=ReadinessRules(weight_assessment=50, weight_coverage=30, weight_exam=10, weight_financial=10),
    )
    assert report.components == {
        "assessment": D("49.0"),
        "coverage": D("0.0"),
        "exam": D("0.0"),
        "financial": D("10.0"),
    }
    assert report.score == D("59.0")
    assert "50 %" in report.score_source


def test_every_gap_has_its_action_with_links():
    report = readiness_report(
        inputs(
            people=(Person(9, "赵六", "finance"),),
            assessment=dataclasses.replace(PASSED, outcome="fail", below_meets=(FAILS, BASIC)),
        ),
        today=TODAY,
    )
    by_key = {line.key: line for line in report.lines}
    assert by_key["coverage_legal_representative"].actions[0].links == (COURSE,)
    assert "Nobody of this position" in by_key["coverage_legal_representative"].detail
    assert "赵六" in by_key["coverage_relevant_department"].detail
    assert by_key["coverage_live"].actions[0].links == (LIVE,)
    assert by_key["exam"].actions[0].links == (EXAM,)
    rectifications = [a for a in report.actions if a.kind == "rectification"]
    assert [(a.criterion_id, a.code) for a in rectifications] == [(7, "(7)"), (8, "(8)")]
    assert "Does not meet" in rectifications[0].text and "信息系统" in rectifications[0].text
    assert all(line.source for line in report.lines)
    assert not [line for line in report.lines if line.met and line.actions]


def test_report_names_edition_and_says_guidance():
    report = readiness_report(inputs(), today=TODAY)
    assert report.edition_code == "2026-advanced"
    assert report.edition_name == "2026 advanced"
    assert "not a customs decision" in report.note
    # The basis names the edition as people read it, never its code.
    source = next(line for line in report.lines if line.key == "assessment").source
    assert source == "2026 advanced: pass rule"


def test_no_assessment_points_to_starting_one():
    report = readiness_report(inputs(assessment=AssessmentInput("2022-advanced", "2022 advanced")), today=TODAY)
    line = next(line for line in report.lines if line.key == "assessment")
    assert "No self-assessment under 2022 advanced" in line.detail
    assert line.actions[0].links == (OFFERS.assessment_start,)


def test_blocking_issues_in_words():
    report = readiness_report(
        inputs(preconditions=Preconditions(cultivation_status_label="Cultivation suspended", cultivation_blocked=True)),
        today=TODAY,
    )
    assert report.blocking == ("Cultivation status: Cultivation suspended.",)


def test_live_and_exams_absent_means_unmet():
    report = readiness_report(inputs(people=(), live_available=False, exams_available=False), today=TODAY)
    by_key = {line.key: line for line in report.lines}
    assert not by_key["coverage_live"].met and "No live observation attendance" in by_key["coverage_live"].detail
    assert not by_key["exam"].met and "No exam results" in by_key["exam"].detail


def test_same_inputs_same_report():
    assert readiness_report(inputs(), today=TODAY) == readiness_report(inputs(), today=TODAY)
