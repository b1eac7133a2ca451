"""Validator qualification rules (exams/rules.py, seed 001, issue 14 point 9): the situational
interview's verdict (two interviewers, a rubric, a pass mark) and qualification from field
training, interview and computer exam, with reasons in words."""

from decimal import Decimal

import pytest

from exams import rules

RUBRIC = {"识别风险": 10, "处置流程": 10}


@pytest.mark.parametrize(
    ("sheets", "passed", "words"),
    [
        ([{"识别风险": 8, "处置流程": 7}, {"识别风险": 6, "处置流程": 7}], True, "70.00"),
        ([{"识别风险": 5, "处置流程": 5}, {"识别风险": 6, "处置流程": 6}], False, "55.00"),
        ([{"识别风险": 10, "处置流程": 10}], False, "two interviewers"),
        ([{"识别风险": 11, "处置流程": 7}, {"识别风险": 6, "处置流程": 7}], False, "out of range"),
    ],
)
def test_interview_verdict(sheets, passed, words):
    verdict = rules.interview_verdict(RUBRIC, sheets, pass_mark=Decimal(60))
    assert verdict.passed is passed and words in " ".join(verdict.reasons)


@pytest.mark.parametrize(
    ("field", "interview", "exam", "qualified", "missing"),
    [
        (True, True, True, True, None),
        (False, True, True, False, "Field training is not"),
        (True, False, True, False, "Situational interview"),
        (True, None, True, False, "No situational interview"),
        (True, True, False, False, "computer exam is not"),
    ],
)
def test_qualified_only_when_all_three_pass(field, interview, exam, qualified, missing):
    verdict = (
        None
        if interview is None
        else rules.Verdict(interview, ["Situational interview: 40 %"] if not interview else ["ok"])
    )
    result = rules.validator_qualified(field_training=field, interview=verdict, exam_passed=exam)
    assert result.passed is qualified and len(result.reasons) == 3
    assert missing is None or missing in " ".join(result.reasons)


def verdict(*sheets, pass_mark="60", rubric=RUBRIC):
    return rules.interview_verdict(rubric, list(sheets), pass_mark=Decimal(pass_mark))


def test_the_interview_verdict_says_the_percentage_and_the_pass_mark():
    assert verdict({"识别风险": 8, "处置流程": 7}, {"识别风险": 6, "处置流程": 7}) == (
        True,
        ["Situational interview passed with 70.00 %."],
    )
    assert verdict({"识别风险": 5, "处置流程": 5}, {"识别风险": 6, "处置流程": 6}) == (
        False,
        ["Situational interview: 55.00 % (pass mark 60 %)."],
    )


def test_exactly_the_pass_mark_passes_and_one_hundredth_less_does_not():
    sheets = ({"识别风险": 6, "处置流程": 6}, {"识别风险": 6, "处置流程": 6})
    assert verdict(*sheets, pass_mark="60").passed
    assert not verdict(*sheets, pass_mark="60.01").passed


def test_the_mean_of_every_interviewer_s_total_counts():
    three = verdict({"识别风险": 10, "处置流程": 10}, {"识别风险": 5, "处置流程": 5}, {"识别风险": 0, "处置流程": 0})
    assert three == (False, ["Situational interview: 50.00 % (pass mark 60 %)."])
    halves = verdict({"识别风险": "7.5", "处置流程": 5}, {"识别风险": Decimal("2.5"), "处置流程": 10})
    assert halves == (True, ["Situational interview passed with 62.50 %."])


def test_the_rubric_s_own_maxima_set_the_percentage():
    rubric = {"法规理解": 20, "风险判断": 30}
    assert verdict({"法规理解": 20, "风险判断": 10}, {"法规理解": 10, "风险判断": 20}, rubric=rubric) == (
        True,
        ["Situational interview passed with 60.00 %."],
    )


def test_one_interviewer_is_not_enough_and_none_either():
    message = ["The situational interview needs scores from two interviewers."]
    assert verdict({"识别风险": 10, "处置流程": 10}) == (False, message)
    assert verdict() == (False, message)


@pytest.mark.parametrize(
    ("second", "criterion"),
    [
        ({"识别风险": 11, "处置流程": 7}, "识别风险"),
        ({"识别风险": 6, "处置流程": -1}, "处置流程"),
        ({"识别风险": 6}, "处置流程"),
        ({"识别风险": 6, "处置流程": None}, "处置流程"),
    ],
)
def test_a_missing_or_out_of_range_score_names_the_criterion(second, criterion):
    assert verdict({"识别风险": 10, "处置流程": 10}, second) == (
        False,
        [f"A score for “{criterion}” is missing or out of range."],
    )
    assert verdict(second, {"识别风险": 10, "处置流程": 10}).reasons == [
        f"A score for “{criterion}” is missing or out of range."
    ]


def test_scores_of_zero_and_of_the_maximum_are_in_range():
    assert verdict({"识别风险": 0, "处置流程": 10}, {"识别风险": 10, "处置流程": 0}, pass_mark="50") == (
        True,
        ["Situational interview passed with 50.00 %."],
    )


def test_qualification_reasons_name_each_part_in_order():
    passed = rules.Verdict(True, ["Situational interview passed with 70.00 %."])
    assert rules.validator_qualified(field_training=True, interview=passed, exam_passed=True) == (
        True,
        ["Field training completed.", "Situational interview passed with 70.00 %.", "Computer exam passed."],
    )
    assert rules.validator_qualified(field_training=False, interview=None, exam_passed=False) == (
        False,
        [
            "Field training is not completed yet.",
            "No situational interview recorded yet.",
            "The computer exam is not passed yet.",
        ],
    )
    failed = rules.Verdict(False, ["Situational interview: 40.00 % (pass mark 60 %)."])
    result = rules.validator_qualified(field_training=True, interview=failed, exam_passed=True)
    assert result.passed is False and result.reasons[1] == "Situational interview: 40.00 % (pass mark 60 %)."


@pytest.mark.parametrize(
    ("field", "interview", "exam"),
    [(False, True, True), (True, False, True), (True, None, True), (True, True, False), (False, False, False)],
)
def test_qualified_is_a_strict_boolean_false_when_a_part_is_missing(field, interview, exam):
    part = None if interview is None else rules.Verdict(interview, ["…"])
    assert rules.validator_qualified(field_training=field, interview=part, exam_passed=exam).passed is False
