"""Moodle's quiz statistics (exams/rules.py, issue 14 point 10) as Moodle defines them, checked
against independent formulas (Python's `statistics`, KR-20): item and whole-test figures, which
attempts count, the option distribution's labels and the area averages."""

import statistics as st

import pytest

from exams import rules


def marks(rows, slots_max=1.0):
    """Attempts from a matrix of item marks (one row per attempt, each item its own version)."""
    return [
        rules.AttemptMarks(
            attempt_id=i,
            user_id=i,
            number=1,
            total=float(sum(row)),
            max_total=slots_max * len(row),
            items=tuple(
                rules.ItemMark(slot=p, version_id=100 + p, mark=m, max_mark=slots_max) for p, m in enumerate(row)
            ),
        )
        for i, row in enumerate(rows, start=1)
    ]


MATRIX = [
    [1, 1, 1, 0],
    [1, 0, 1, 1],
    [0, 0, 1, 0],
    [1, 1, 1, 1],
    [0, 0, 0, 0],
    [1, 1, 0, 1],
]


def test_item_figures_are_moodles():
    result = rules.quiz_statistics(marks(MATRIX))
    for p, row in enumerate(result["slots"]):
        x = [r[p] for r in MATRIX]
        rest = [sum(r) - r[p] for r in MATRIX]
        assert row["facility"] == round(100 * st.mean(x), 2)
        assert row["sd"] == round(100 * st.stdev(x), 2)
        assert row["discrimination"] == round(100 * st.correlation(x, rest), 2)
        assert row["efficiency"] == round(100 * st.covariance(x, rest) / st.covariance(sorted(x), sorted(rest)), 2)


def test_cic_is_kr20_for_right_or_wrong_items_and_error_figures_follow():
    test = rules.quiz_statistics(marks(MATRIX))["test"]
    k = len(MATRIX[0])
    totals = [sum(r) for r in MATRIX]
    pq = sum(st.mean(col) * (1 - st.mean(col)) for col in zip(*MATRIX, strict=True))
    kr20 = k / (k - 1) * (1 - pq / st.pvariance(totals))
    assert test["cic"] == round(100 * kr20, 2)
    assert test["error_ratio"] == round(100 * (1 - kr20) ** 0.5, 2)
    sd_percent = st.stdev([100 * t / k for t in totals])
    assert test["sd"] == round(sd_percent, 2)
    assert test["standard_error"] == pytest.approx((1 - kr20) ** 0.5 * sd_percent, abs=0.01)
    assert test["mean"] == round(100 * st.mean(totals) / k, 2) and test["n"] == 6


def test_undefined_figures_are_blank_not_errors():
    one = rules.quiz_statistics(marks([[1, 0]]))
    assert one["test"]["sd"] is None and one["test"]["cic"] is None
    assert one["slots"][0]["facility"] == 100 and one["slots"][0]["discrimination"] is None
    same = rules.quiz_statistics(marks([[1, 1], [1, 1]]))  # no variance at all
    assert same["slots"][0]["discrimination"] is None and same["test"]["cic"] is None


@pytest.mark.parametrize(
    ("which", "expected"),
    [("first", {1, 3}), ("last", {2, 3}), ("highest", {2, 3}), ("all", {1, 2, 3})],
)
def test_which_attempts_are_counted(which, expected):
    def attempt(pk, user, number, total):
        return rules.AttemptMarks(pk, user, number, total, 10, ())

    attempts = [attempt(1, 7, 1, 4), attempt(2, 7, 2, 9), attempt(3, 8, 1, 5)]
    assert {a.attempt_id for a in rules.attempts_counted(attempts, which)} == expected
