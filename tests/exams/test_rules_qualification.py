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
