"""Pure rules of surveys (issue 17, point 1), table-driven."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from surveys import rules

T = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("now", "answered", "expected"),
    [
        (T - dt.timedelta(seconds=1), False, rules.NOT_OPEN),
        (T, False, None),
        (T + dt.timedelta(days=5), False, None),
        (T + dt.timedelta(days=5), True, rules.ANSWERED),
        (T + dt.timedelta(days=7), False, rules.CLOSED),  # the person's own deadline
        (T + dt.timedelta(days=10), False, rules.CLOSED),
    ],
)
def test_answer_refusal(now, answered, expected):
    assert (
        rules.answer_refusal(
            now=now,
            opens_at=T,
            survey_closes_at=T + dt.timedelta(days=10),
            invitation_closes_at=T + dt.timedelta(days=7),
            answered=answered,
        )
        == expected
    )


def test_answered_wins_over_closed():
    assert (
        rules.answer_refusal(
            now=T + dt.timedelta(days=30), opens_at=T, survey_closes_at=T, invitation_closes_at=T, answered=True
        )
        == rules.ANSWERED
    )


ITEMS = [
    rules.ItemSpec(id=1, kind="likert", required=True),
    rules.ItemSpec(id=2, kind="likert", required=False),
    rules.ItemSpec(id=3, kind="text", required=False),
]


@pytest.mark.parametrize(
    ("posted", "values", "problems"),
    [
        ({1: "5", 2: "", 3: ""}, {1: (5, "")}, {}),
        ({1: " 3 ", 3: " 好 "}, {1: (3, ""), 3: (None, "好")}, {}),
        ({}, {}, {1: rules.MISSING}),
        ({1: "6"}, {}, {1: rules.NOT_A_SCORE}),
        ({1: "0"}, {}, {1: rules.NOT_A_SCORE}),
        ({1: "4.5"}, {}, {1: rules.NOT_A_SCORE}),
        ({1: "1", 2: "abc"}, {1: (1, "")}, {2: rules.NOT_A_SCORE}),
        ({1: "1", 3: "x" * 2001}, {1: (1, "")}, {3: rules.TOO_LONG}),
        ({1: "1", 3: "x" * 2000}, {1: (1, ""), 3: (None, "x" * 2000)}, {}),
        ({1: "2", 99: "5"}, {1: (2, "")}, {}),
        # A wrong score does not stop the items after it from being read.
        ({1: "9", 2: "4", 3: "ok"}, {2: (4, ""), 3: (None, "ok")}, {1: rules.NOT_A_SCORE}),
    ],
)
def test_check_answers(posted, values, problems):
    checked = rules.check_answers(ITEMS, posted)
    assert checked.values == values
    assert checked.problems == problems


def test_a_text_too_long_does_not_stop_the_items_after_it_from_being_checked():
    items = [
        rules.ItemSpec(id=1, kind="text", required=False),
        rules.ItemSpec(id=2, kind="likert", required=True),
        rules.ItemSpec(id=3, kind="likert", required=False),
    ]
    checked = rules.check_answers(items, {1: "x" * 2001, 3: "4"})
    assert checked.problems == {1: rules.TOO_LONG, 2: rules.MISSING}
    assert checked.values == {3: (4, "")}


@pytest.mark.parametrize(
    ("invited", "responses", "rate"),
    [(0, 0, 0.0), (1, 0, 0.0), (1, 1, 100.0), (3, 1, 33.3), (3, 3, 100.0), (3, 4, 100.0), (8, 0, 0.0), (7, 5, 71.4)],
)
def test_response_rate(invited, responses, rate):
    assert rules.response_rate(invited=invited, responses=responses) == rate


@pytest.mark.parametrize(
    ("counts", "mean"), [({}, None), ({5: 2}, 5.0), ({1: 1, 5: 1}, 3.0), ({4: 2, 5: 1}, 4.33), ({7: 3}, None)]
)
def test_likert_mean(counts, mean):
    assert rules.likert_mean(counts) == mean


@pytest.mark.parametrize(
    ("anonymous", "responses", "shown"), [(False, 1, True), (True, 2, False), (True, 3, True), (False, 0, True)]
)
def test_results_shown(anonymous, responses, shown):
    assert rules.results_shown(anonymous=anonymous, responses=responses) is shown


def test_windows():
    assert rules.survey_window(event_ends_at=T, days_open=14) == (T, T + dt.timedelta(days=14))
    assert rules.cohort_month(dt.date(2026, 2, 17)) == dt.date(2026, 2, 1)
    opens, closes = rules.cohort_window(month=dt.date(2026, 12, 1), days_open=10, tz=SHANGHAI)
    assert opens == dt.datetime(2026, 12, 1, tzinfo=SHANGHAI)
    assert closes == dt.datetime(2027, 1, 11, tzinfo=SHANGHAI)
    # February of a common year: closes `days_open` days after its 28th.
    opens, closes = rules.cohort_window(month=dt.date(2027, 2, 1), days_open=10, tz=SHANGHAI)
    assert (opens, closes) == (dt.datetime(2027, 2, 1, tzinfo=SHANGHAI), dt.datetime(2027, 3, 11, tzinfo=SHANGHAI))
    assert rules.personal_deadline(survey_closes_at=T, invited_at=T - dt.timedelta(days=30), days_open=14) == (
        T - dt.timedelta(days=16)
    )
    assert rules.personal_deadline(survey_closes_at=T, invited_at=T - dt.timedelta(days=3), days_open=14) == T
