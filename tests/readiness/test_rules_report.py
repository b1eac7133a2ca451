"""The readiness report's pure rule (issue 16, point 1): status, score, lines, actions, table-driven."""

import dataclasses
import datetime
from decimal import Decimal as D

import pytest
from django.utils import translation

from readiness.rules import (
    Action,
    Area,
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
    ReportLine,
    readiness_report,
    rectification_due_problem,
    rectification_latest_due,
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
    assert (by_key["coverage_live"].met, by_key["coverage_live"].detail) == (
        False,
        "No live observation attendance is recorded yet.",
    )
    assert (by_key["exam"].met, by_key["exam"].detail) == (False, "No exam results are recorded yet.")


def test_same_inputs_same_report():
    assert readiness_report(inputs(), today=TODAY) == readiness_report(inputs(), today=TODAY)


# --- Each line in words, with its source and what closes the gap -------------------------------

NO_OFFERS = Offers()
SOURCE_PRECONDITIONS = (
    "GACC Decree No. 282 (Measures for Enterprise Credit Management): credit levels and application conditions"
)
OFFICER = Action("officer", "Contact your customs district's officer about this condition.")


def line_of(report, key: str) -> ReportLine:
    return next(line for line in report.lines if line.key == key)


def test_preconditions_that_hold_are_explained_without_actions():
    report = readiness_report(inputs(), today=TODAY)
    assert report.lines_in(Area.PRECONDITIONS) == [
        ReportLine(
            "credit_level",
            Area.PRECONDITIONS,
            "Credit level is not discredited",
            True,
            "Credit level: 高级认证企业.",
            SOURCE_PRECONDITIONS,
            precondition=True,
        ),
        ReportLine(
            "application_bar",
            Area.PRECONDITIONS,
            "No 1-year bar on applying",
            True,
            "No bar is recorded.",
            SOURCE_PRECONDITIONS,
            precondition=True,
        ),
        ReportLine(
            "cultivation_status",
            Area.PRECONDITIONS,
            "Cultivation is not suspended or terminated",
            True,
            # Without a label the status value is shown.
            "Cultivation status: in_training.",
            "Credit cultivation programme: suspending and ending cultivation",
            precondition=True,
        ),
    ]


def test_preconditions_that_fail_point_to_the_officer_and_block_first():
    preconditions = Preconditions(
        discredited=True,
        bar_until=TODAY,
        cultivation_status="terminated",
        cultivation_status_label="Cultivation terminated",
        cultivation_blocked=True,
    )
    report = readiness_report(inputs(preconditions=preconditions, people=FULL_PEOPLE[:2]), today=TODAY)
    credit, bar, cultivation = report.lines_in(Area.PRECONDITIONS)
    assert (credit.met, credit.detail, credit.actions) == (False, "Credit level: not recorded.", (OFFICER,))
    assert (bar.met, bar.detail) == (False, "Barred from applying until 2026-11-30 (-).")
    assert bar.actions == (Action("officer", "Wait until the bar ends on 2026-11-30."),)
    assert (cultivation.met, cultivation.detail, cultivation.actions) == (
        False,
        "Cultivation status: Cultivation terminated.",
        (OFFICER,),
    )
    assert all(line.precondition and not line.veto for line in (credit, bar, cultivation))
    assert report.status == NOT
    # The preconditions' own words first, then each other unmet requirement with its label.
    assert report.blocking == (
        "Credit level: not recorded.",
        "Barred from applying until 2026-11-30 (-).",
        "Cultivation status: Cultivation terminated.",
        "A person of a relevant department completed an AEO certification course: "
        "Nobody of this position is registered for the enterprise yet.",
        "At least one person attended a live validation observation: "
        "Nobody has attended a live validation observation yet.",
    )
    assert report.missing == (
        "credit_level",
        "application_bar",
        "cultivation_status",
        "coverage_relevant_department",
        "coverage_live",
    )


def test_a_bar_that_ended_yesterday_holds_but_is_still_shown():
    yesterday = TODAY - datetime.timedelta(days=1)
    report = readiness_report(
        inputs(preconditions=Preconditions(bar_until=yesterday, bar_reason="撤回申请")), today=TODAY
    )
    bar = line_of(report, "application_bar")
    assert (bar.met, bar.detail, bar.actions) == (True, "Barred from applying until 2026-11-29 (撤回申请).", ())


def test_a_bar_until_tomorrow_blocks():
    tomorrow = TODAY + datetime.timedelta(days=1)
    report = readiness_report(inputs(preconditions=Preconditions(bar_until=tomorrow)), today=TODAY)
    assert not line_of(report, "application_bar").met
    assert report.status == NOT


def test_rectifications_name_each_gap_sub_item_with_its_judgement():
    not_applicable = BelowMeets(9, "(9)", "单证保管", "内部控制", Judgement.NOT_APPLICABLE)
    meets = BelowMeets(10, "(10)", "人员培训", "内部控制", Judgement.MEETS)
    assessment = dataclasses.replace(
        PASSED, outcome="fail", score=97, below_meets=(FAILS, not_applicable, BASIC, meets), blocking=("(7) 不达标",)
    )
    report = readiness_report(inputs(assessment=assessment), today=TODAY)
    expected = (
        Action(
            "rectification",
            "Rectify (7) 信息系统 (judged Does not meet) and record the evidence.",
            (OFFERS.assessment,),
            criterion_id=7,
            code="(7)",
            subject="Does not meet: 信息系统",
        ),
        Action(
            "rectification",
            "Rectify (8) 数据保存 (judged Basically meets) and record the evidence.",
            (OFFERS.assessment,),
            criterion_id=8,
            code="(8)",
            subject="Basically meets: 数据保存",
        ),
    )
    assert report.rectifiable == expected
    assert line_of(report, "assessment").actions == expected
    assert report.actions == list(expected)


def test_a_passing_assessment_still_lists_its_rectifications_but_asks_for_no_action():
    assessment = dataclasses.replace(PASSED, below_meets=(BASIC,))
    report = readiness_report(inputs(assessment=assessment, offers=NO_OFFERS), today=TODAY)
    line = line_of(report, "assessment")
    assert line == ReportLine(
        "assessment",
        Area.ASSESSMENT,
        "Self-assessment passes the pass rule of 2026 advanced",
        True,
        "Version 2 passes with a score of 98.",
        "2026 advanced: pass rule",
    )
    assert [(a.criterion_id, a.links) for a in report.rectifiable] == [(8, ())]
    assert report.actions == []


def test_a_failing_assessment_gives_its_reasons_and_is_a_veto_only_with_a_failing_sub_item():
    basic_only = dataclasses.replace(PASSED, outcome="fail", score=95, blocking=("4 basic", "score low"))
    line = line_of(readiness_report(inputs(assessment=basic_only), today=TODAY), "assessment")
    assert (line.met, line.veto) == (False, False)
    assert line.detail == "Version 2 does not pass (score 95): 4 basic；score low."
    with_fail = dataclasses.replace(PASSED, outcome="fail", below_meets=(BASIC, FAILS))
    line = line_of(readiness_report(inputs(assessment=with_fail), today=TODAY), "assessment")
    assert (line.met, line.veto, line.detail) == (False, True, "Version 2 does not pass (score 98): -.")


def test_an_incomplete_assessment_does_not_pass():
    incomplete = dataclasses.replace(PASSED, outcome="incomplete")
    report = readiness_report(inputs(assessment=incomplete), today=TODAY)
    assert not line_of(report, "assessment").met
    assert report.missing == ("assessment",)


def test_no_assessment_line_in_words_with_or_without_a_start_link():
    none = AssessmentInput("2022-advanced", "2022 advanced", score=98)
    line = line_of(readiness_report(inputs(assessment=none), today=TODAY), "assessment")
    assert line == ReportLine(
        "assessment",
        Area.ASSESSMENT,
        "Self-assessment passes the pass rule of 2022 advanced",
        False,
        "No self-assessment under 2022 advanced has been submitted yet: start one and submit it.",
        "2022 advanced: pass rule",
        actions=(Action("assessment", "Start the self-assessment under 2022 advanced.", (OFFERS.assessment_start,)),),
    )
    bare = line_of(readiness_report(inputs(assessment=none, offers=NO_OFFERS), today=TODAY), "assessment")
    assert bare.actions[0].links == ()
    # A score without a submitted version counts nothing.
    assert readiness_report(inputs(assessment=none), today=TODAY).components["assessment"] == D("0.0")


FINANCIALS = Action("financials", "Enter the missing financial figures.", (OFFERS.financials,))
IMPROVE = Action(
    "financials",
    "Improve the failing financial ratios and record the new year's audited figures.",
    (OFFERS.financials,),
)


@pytest.mark.parametrize(
    ("financial", "met", "veto", "detail", "actions", "points"),
    [
        (FinancialInput(applies=False), True, False, "This edition has no financial check.", (), D("10.0")),
        (
            FinancialInput(applies=False, judgement=Judgement.FAILS),
            True,
            False,
            "This edition has no financial check.",
            (),
            D("10.0"),
        ),
        (
            FinancialInput(missing=("2025: cash missing", "2024: no figures")),
            False,
            False,
            "Figures are missing: 2025: cash missing；2024: no figures.",
            (FINANCIALS,),
            D("0.0"),
        ),
        (FinancialInput(), False, False, "Figures are missing: -.", (FINANCIALS,), D("0.0")),
        (
            FinancialInput(judgement=Judgement.FAILS, failing_groups=("Solvency 2025", "Profitability 2025")),
            False,
            True,
            "Does not meet: Solvency 2025；Profitability 2025.",
            (IMPROVE,),
            D("0.0"),
        ),
        (FinancialInput(judgement=Judgement.FAILS), False, True, "Does not meet: -.", (IMPROVE,), D("0.0")),
        # A failing group fails the check whatever the overall judgement says.
        (
            FinancialInput(judgement=Judgement.BASIC, failing_groups=("Audit opinion",)),
            False,
            True,
            "Does not meet: Audit opinion.",
            (IMPROVE,),
            D("0.0"),
        ),
        (
            FinancialInput(judgement=Judgement.MEETS, failing_groups=("Audit opinion",)),
            False,
            True,
            "Does not meet: Audit opinion.",
            (IMPROVE,),
            D("0.0"),
        ),
        (FinancialInput(judgement=Judgement.MEETS), True, False, "Judged Meets.", (), D("10.0")),
        (FinancialInput(judgement=Judgement.BASIC), True, False, "Judged Basically meets.", (), D("5.0")),
    ],
)
def test_financial_line_and_its_points(financial, met, veto, detail, actions, points):
    report = readiness_report(inputs(financial=financial), today=TODAY)
    assert line_of(report, "financial") == ReportLine(
        "financial",
        Area.FINANCIAL,
        "Financial check passes",
        met,
        detail,
        "2026 advanced: financial status",
        veto=veto,
        actions=actions,
    )
    assert report.components["financial"] == points


def test_financial_actions_without_a_figures_page_have_no_links():
    report = readiness_report(inputs(financial=FinancialInput(), offers=NO_OFFERS), today=TODAY)
    assert line_of(report, "financial").actions[0].links == ()


TRAINING = Link("Suzhou session", "/sessions/3/")
COURSE_ACTION_TEXT = "Complete an AEO certification training course."


def test_coverage_lines_name_who_completed_who_has_not_and_where_to_train():
    people = (
        Person(1, "张三", "legal_representative"),
        Person(3, "王五", "finance", ("AEO 认证培训",), ("Live 1",)),
        Person(4, "赵六", "it", ("AEO 认证培训",), ("Live 2",)),
        Person(5, "孙七", "customs_affairs"),
    )
    offers = dataclasses.replace(OFFERS, courses={"legal_representative": (COURSE,)}, training_sessions=(TRAINING,))
    report = readiness_report(inputs(people=people, offers=offers), today=TODAY)
    legal, senior, department, live = report.lines_in(Area.COVERAGE)
    assert legal == ReportLine(
        "coverage_legal_representative",
        Area.COVERAGE,
        "A legal representative completed an AEO certification course",
        False,
        "Not completed yet by 张三.",
        "Credit cultivation programme: key training targets; this platform's training coverage rule",
        actions=(Action("course", COURSE_ACTION_TEXT, (COURSE, TRAINING)),),
    )
    assert senior == ReportLine(
        "coverage_senior_management",
        Area.COVERAGE,
        "A senior manager completed an AEO certification course",
        False,
        "Nobody of this position is registered for the enterprise yet.",
        "Credit cultivation programme: key training targets; this platform's training coverage rule",
        actions=(Action("course", COURSE_ACTION_TEXT, (TRAINING,)),),
    )
    assert department == ReportLine(
        "coverage_relevant_department",
        Area.COVERAGE,
        "A person of a relevant department completed an AEO certification course",
        True,
        "Completed by 王五、赵六.",
        "Credit cultivation programme: key training targets; this platform's training coverage rule",
    )
    assert live == ReportLine(
        "coverage_live",
        Area.COVERAGE,
        "At least one person attended a live validation observation",
        True,
        "Attended by 王五、赵六.",
        "Credit cultivation programme: on-site certification observation; this platform's training coverage rule",
    )
    # Two of four coverage requirements: half the coverage weight.
    assert report.components["coverage"] == D("10.0")


def test_positions_are_data():
    rules_ = ReadinessRules(senior_positions=frozenset({"senior_management", "finance"}))
    people = (*FULL_PEOPLE[:1], Person(4, "赵六", "finance", ("AEO 认证培训",)), FULL_PEOPLE[2])
    senior = line_of(readiness_report(inputs(people=people), today=TODAY, rules_=rules_), "coverage_senior_management")
    assert (senior.met, senior.detail) == (True, "Completed by 赵六.")


def test_live_line_without_attendance_points_to_live_sessions():
    people = tuple(dataclasses.replace(p, live_sessions=()) for p in FULL_PEOPLE)
    live = line_of(readiness_report(inputs(people=people), today=TODAY), "coverage_live")
    assert (live.met, live.detail) == (False, "Nobody has attended a live validation observation yet.")
    assert live.actions == (Action("live_session", "Attend a live validation observation.", (LIVE,)),)


def test_exam_line_in_words():
    report = readiness_report(inputs(), today=TODAY)
    assert line_of(report, "exam") == ReportLine(
        "exam",
        Area.EXAM,
        "A staff member passed the enterprise staff's AEO certification training exam",
        True,
        "Passed by 张三.",
        "Credit cultivation programme: training methods (exam); this platform's exam rule",
    )
    # A recorded pass counts even when the exams app is not installed.
    assert line_of(readiness_report(inputs(exams_available=False), today=TODAY), "exam").met
    nobody = line_of(readiness_report(inputs(people=FULL_PEOPLE[1:]), today=TODAY), "exam")
    assert (nobody.met, nobody.detail) == (False, "Nobody has passed the exam yet.")
    assert nobody.actions == (Action("exam", "Sit and pass the exam.", (EXAM,)),)


def test_nearly_ready_up_to_the_limit_of_unmet_requirements_and_not_ready_one_past():
    people = tuple(dataclasses.replace(p, live_sessions=(), exams_passed=()) for p in FULL_PEOPLE)
    two = readiness_report(inputs(people=people), today=TODAY, rules_=ReadinessRules(nearly_ready_max_missing=2))
    assert (two.status, two.missing) == (NEARLY, ("coverage_live", "exam"))
    one = readiness_report(inputs(people=people), today=TODAY, rules_=ReadinessRules(nearly_ready_max_missing=1))
    assert one.status == NOT


def test_a_single_veto_makes_not_ready():
    report = readiness_report(inputs(financial=FinancialInput(judgement=Judgement.FAILS)), today=TODAY)
    assert (report.status, report.missing) == (NOT, ("financial",))


def test_a_failing_precondition_alone_makes_not_ready_not_nearly_ready():
    report = readiness_report(inputs(preconditions=Preconditions(cultivation_blocked=True)), today=TODAY)
    assert report.status == NOT
    assert report.status_label == "Not ready"


def test_status_labels():
    assert readiness_report(inputs(), today=TODAY).status_label == "Ready"
    people = without(1, "exams_passed")
    assert readiness_report(inputs(people=people), today=TODAY).status_label == "Nearly ready"


@pytest.mark.parametrize(
    ("score", "version", "points"),
    [(100, 2, D("60.0")), (-3, 2, D("0.0")), (0, 2, D("0.0")), (97, 2, D("58.2")), (97, None, D("0.0"))],
)
def test_assessment_points_are_the_score_within_0_and_100(score, version, points):
    assessment = dataclasses.replace(PASSED, score=score, version=version)
    assert readiness_report(inputs(assessment=assessment), today=TODAY).components["assessment"] == points


def test_report_carries_the_enterprise_the_criteria_areas_and_the_weights_in_words():
    areas = (("内部控制", {"meets": 3, "basic": 1}),)
    report = readiness_report(inputs(assessment=dataclasses.replace(PASSED, areas=areas)), today=TODAY)
    assert report.enterprise_name == "苏州恒信"
    assert report.criteria_areas == areas
    assert report.components == {
        "assessment": D("58.8"),
        "coverage": D("20.0"),
        "exam": D("10.0"),
        "financial": D("10.0"),
    }
    assert report.score_source == (
        "This platform's default weights (self-assessment 60 %, training coverage 20 %, exam 10 %, "
        "financial check 10 %)"
    )
    assert report.note == "This report is guidance to prepare an application; it is not a customs decision."
    assert [line.key for line in report.lines] == [
        "credit_level",
        "application_bar",
        "cultivation_status",
        "assessment",
        "financial",
        "coverage_legal_representative",
        "coverage_senior_management",
        "coverage_relevant_department",
        "coverage_live",
        "exam",
    ]


def test_weights_in_the_source_follow_the_rules():
    rules_ = ReadinessRules(weight_assessment=50, weight_coverage=25, weight_exam=15, weight_financial=5)
    report = readiness_report(inputs(), today=TODAY, rules_=rules_)
    assert report.score_source == (
        "This platform's default weights (self-assessment 50 %, training coverage 25 %, exam 15 %, financial check 5 %)"
    )
    assert report.components == {
        "assessment": D("49.0"),
        "coverage": D("25.0"),
        "exam": D("15.0"),
        "financial": D("5.0"),
    }
    assert report.score == D("94.0")


def test_components_and_score_are_rounded_to_one_decimal():
    rules_ = ReadinessRules(weight_assessment=33, weight_coverage=33, weight_exam=17, weight_financial=17)
    people = without(2, "certification_courses")
    report = readiness_report(
        inputs(people=people, assessment=dataclasses.replace(PASSED, score=99)), today=TODAY, rules_=rules_
    )
    # 33 × 0.99 = 32.67; 33 × 3/4 = 24.75 (half to even).
    assert report.components == {
        "assessment": D("32.7"),
        "coverage": D("24.8"),
        "exam": D("17.0"),
        "financial": D("17.0"),
    }
    assert report.score == D("91.5")


# --- Rectification due dates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "problem"),
    [
        (TODAY, None),
        (datetime.date(2031, 11, 30), None),
        (
            datetime.date(2026, 11, 29),
            "The due date 2026-11-29 is in the past: choose today (2026-11-30) or a later date.",
        ),
        (
            datetime.date(2031, 12, 1),
            "The due date 2031-12-01 is more than 5 years away: choose a date by 2031-11-30.",
        ),
    ],
)
def test_a_rectification_is_due_from_today_up_to_the_five_year_re_check(due, problem):
    assert rectification_due_problem(due, today=TODAY) == problem


def test_the_rectification_horizon_is_a_parameter():
    assert rectification_due_problem(datetime.date(2027, 11, 30), today=TODAY, years=1) is None
    assert rectification_due_problem(datetime.date(2027, 12, 1), today=TODAY, years=1) == (
        "The due date 2027-12-01 is more than 1 years away: choose a date by 2027-11-30."
    )


def test_the_latest_due_date_keeps_the_day_or_falls_back_to_28_february():
    assert rectification_latest_due(TODAY) == datetime.date(2031, 11, 30)
    assert rectification_latest_due(datetime.date(2028, 2, 29)) == datetime.date(2033, 2, 28)
    assert rectification_latest_due(datetime.date(2028, 2, 29), years=4) == datetime.date(2032, 2, 29)
    assert rectification_latest_due(TODAY, years=2) == datetime.date(2028, 11, 30)
