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


def attempt(pk, user, number, total, max_total=10, items=()):
    return rules.AttemptMarks(pk, user, number, total, max_total, items)


def test_highest_compares_percentages_and_keeps_the_earliest_of_equals():
    # 8 of 10 beats 9 of 20; an equal percentage later does not replace the earlier attempt
    attempts = [attempt(3, 7, 3, 16, 20), attempt(2, 7, 2, 9, 20), attempt(1, 7, 1, 8, 10)]
    assert [a.attempt_id for a in rules.attempts_counted(attempts, "highest")] == [1]
    # an attempt of a paper worth nothing counts its points as they are
    attempts = [attempt(1, 7, 1, 1.5, 0), attempt(2, 7, 2, 10, 10)]
    assert [a.attempt_id for a in rules.attempts_counted(attempts, "highest")] == [1]
    attempts = [attempt(1, 7, 1, 10, 10), attempt(2, 7, 2, 1.5, 0)]
    assert [a.attempt_id for a in rules.attempts_counted(attempts, "highest")] == [2]


def test_counted_attempts_follow_attempt_numbers_and_come_back_in_attempt_order():
    attempts = [attempt(9, 8, 1, 5), attempt(5, 7, 2, 1), attempt(4, 7, 1, 9), attempt(6, 7, 3, 2)]
    assert [a.attempt_id for a in rules.attempts_counted(attempts)] == [4, 9]
    assert [a.attempt_id for a in rules.attempts_counted(attempts, "first")] == [4, 9]
    assert [a.attempt_id for a in rules.attempts_counted(attempts, "last")] == [6, 9]
    assert [a.attempt_id for a in rules.attempts_counted(attempts, "highest")] == [4, 9]
    assert rules.attempts_counted(attempts, "all") == attempts
    assert rules.attempts_counted([], "highest") == []


def test_no_attempts_or_a_worthless_item_give_only_blanks():
    blank = {"n": 0, "mean": None, "facility": None, "sd": None, "discrimination": None, "efficiency": None}
    assert rules.item_statistics([], [], 1) == blank
    assert rules.item_statistics([0, 0], [1, 2], 0) == {**blank, "n": 2}
    assert rules.item_statistics([0, 0], [1, 2], -1) == {**blank, "n": 2}


def test_one_attempt_has_a_mean_and_facility_but_no_spread():
    assert rules.item_statistics([2], [5], 3) == {
        "n": 1,
        "mean": 2,
        "facility": 66.67,
        "sd": None,
        "discrimination": None,
        "efficiency": None,
    }


def test_item_figures_of_a_part_marked_item_against_independent_formulas():
    x, rest = [2, 0, 1, 2, 1.5], [10, 3, 6, 9, 4]
    result = rules.item_statistics(x, rest, 3)
    assert result == {
        "n": 5,
        "mean": round(st.mean(x), 4),
        "facility": round(100 * st.mean(x) / 3, 2),
        "sd": round(100 * st.stdev(x) / 3, 2),
        "discrimination": round(100 * st.correlation(x, rest), 2),
        "efficiency": round(100 * st.covariance(x, rest) / st.covariance(sorted(x), sorted(rest)), 2),
    }
    assert result["mean"] == 1.3 and result["facility"] == 43.33 and result["sd"] == 27.89
    thirds = rules.item_statistics([1, 1, 0], [1, 1, 1], 3)
    assert thirds["mean"] == 0.6667 and thirds["facility"] == 22.22 and thirds["sd"] == 19.25


def test_a_negatively_discriminating_item_has_a_negative_index():
    result = rules.item_statistics([1, 0, 1, 0], [1, 3, 2, 4], 1)
    assert result["discrimination"] == round(100 * st.correlation([1, 0, 1, 0], [1, 3, 2, 4]), 2) == -89.44
    sorted_cov = st.covariance([0, 0, 1, 1], [1, 2, 3, 4])
    assert result["efficiency"] == round(100 * st.covariance([1, 0, 1, 0], [1, 3, 2, 4]) / sorted_cov, 2) == -100


def test_small_spreads_still_give_discrimination_and_efficiency():
    x, rest = [0.1, 0, 0.2], [0.3, 0.1, 0.2]  # variances and covariances well below 1
    result = rules.item_statistics(x, rest, 1)
    assert result["discrimination"] == round(100 * st.correlation(x, rest), 2) == 50
    assert result["efficiency"] == round(100 * st.covariance(x, rest) / st.covariance(sorted(x), sorted(rest)), 2)
    assert result["efficiency"] == 50


def test_no_spread_in_the_item_or_in_the_rest_leaves_discrimination_blank():
    assert rules.item_statistics([1, 1, 1], [1, 2, 3], 1)["discrimination"] is None
    same_rest = rules.item_statistics([1, 0, 1], [2, 2, 2], 1)
    assert same_rest["discrimination"] is None and same_rest["efficiency"] is None
    assert same_rest["sd"] == round(100 * st.stdev([1, 0, 1]), 2)


BLANK_TEST = {
    "n": 0,
    "mean": None,
    "median": None,
    "sd": None,
    "cic": None,
    "error_ratio": None,
    "standard_error": None,
}


def test_whole_test_figures_of_no_attempt_and_of_one_attempt():
    assert rules.whole_test_statistics([]) == BLANK_TEST
    assert rules.whole_test_statistics(marks([[1, 0, 1]])) == {**BLANK_TEST, "n": 1, "mean": 66.67, "median": 66.67}


def test_median_of_an_odd_and_an_even_number_of_attempts():
    odd = rules.whole_test_statistics([attempt(i, i, 1, t, 10) for i, t in enumerate([9, 1, 4], start=1)])
    assert odd["median"] == 40 and odd["mean"] == 46.67
    even = rules.whole_test_statistics([attempt(i, i, 1, t, 10) for i, t in enumerate([9, 1, 4, 2], start=1)])
    assert even["median"] == 30 and even["mean"] == 40
    assert even["sd"] == round(st.stdev([90, 10, 40, 20]), 2)


def test_an_attempt_of_a_paper_worth_nothing_counts_as_zero_per_cent():
    result = rules.whole_test_statistics([attempt(1, 1, 1, 5, 0), attempt(2, 2, 1, 5, 10)])
    assert result["mean"] == 25 and result["median"] == 25 and result["sd"] == round(st.stdev([0, 50]), 2)


def test_items_that_always_agree_are_perfectly_consistent():
    result = rules.whole_test_statistics(marks([[1, 1], [0, 0], [1, 1]]))
    assert result["cic"] == 100 and result["error_ratio"] == 0 and result["standard_error"] == 0
    two = rules.whole_test_statistics(marks([[1, 1], [0, 0]]))  # two attempts are enough
    assert two["cic"] == 100 and two["error_ratio"] == 0


def test_unrelated_items_have_no_consistency_and_the_full_error():
    result = rules.whole_test_statistics(marks([[1, 1], [0, 1], [1, 0], [0, 0]]))
    sd_total = st.stdev([100, 50, 50, 0])
    assert result["cic"] == 0 and result["error_ratio"] == 100
    assert result["standard_error"] == round(sd_total, 2) == 40.82
    assert result["sd"] == round(sd_total, 2)


def test_items_that_contradict_each_other_have_a_negative_cic_and_no_error_figures():
    result = rules.whole_test_statistics(marks([[1, 0], [0, 1], [1, 0], [1, 1]]))
    assert result["cic"] < 0 and result["error_ratio"] is None and result["standard_error"] is None


def test_cic_of_papers_with_different_maxima_is_taken_in_per_cent():
    half = marks([[1, 1, 0], [0, 1, 0], [1, 1, 1], [0, 0, 0]], slots_max=1.0)
    double = [
        rules.AttemptMarks(
            a.attempt_id,
            a.user_id,
            1,
            2 * a.total,
            2 * a.max_total,
            tuple(rules.ItemMark(i.slot, i.version_id, 2 * i.mark, 2) for i in a.items),
        )
        for a in half
    ]
    assert rules.whole_test_statistics(double) == rules.whole_test_statistics(half)
    mixed = rules.whole_test_statistics(half[:2] + double[2:])
    assert mixed == rules.whole_test_statistics(half)


def test_attempts_with_another_number_of_slots_are_left_out_of_the_cic():
    rows = [[1, 1, 0], [0, 1, 0], [1, 1, 1], [0, 0, 0]]
    base = rules.whole_test_statistics(marks(rows))
    odd_one = marks([[1, 1]])[0]
    odd_one = rules.AttemptMarks(99, 99, 1, odd_one.total, odd_one.max_total, odd_one.items)
    with_odd = rules.whole_test_statistics([*marks(rows), odd_one])
    assert with_odd["cic"] == base["cic"] and with_odd["n"] == 5
    assert with_odd["mean"] == round(st.mean([200 / 3, 100 / 3, 100, 0, 100]), 2)
    # the first attempt decides how many slots the paper has
    first_odd = rules.whole_test_statistics([odd_one, *marks(rows)])
    assert first_odd["cic"] is None and first_odd["sd"] is not None


def test_no_cic_with_a_single_slot_or_fewer_than_two_comparable_attempts():
    assert rules.whole_test_statistics(marks([[1], [0], [1]]))["cic"] is None
    lone = rules.whole_test_statistics([*marks([[1, 0]]), attempt(2, 2, 1, 3, 10, marks([[1, 1, 1]])[0].items)])
    assert lone["cic"] is None and lone["sd"] is not None
    worthless = marks([[1, 0], [0, 1]])
    worthless[1] = rules.AttemptMarks(2, 2, 1, 1, 0, worthless[1].items)
    assert rules.whole_test_statistics(worthless)["cic"] is None
    assert rules.whole_test_statistics(marks([[1, 0], [1, 0]]))["cic"] is None  # totals never vary


def test_quiz_statistics_per_slot_and_per_version_with_the_option_distribution():
    def item(slot, version, mark, labels=()):
        return rules.ItemMark(slot, version, mark, 2, labels)

    attempts = [
        rules.AttemptMarks(1, 1, 1, 3, 4, (item(2, 21, 2, ("0",)), item(1, 11, 1, ("a",)))),
        rules.AttemptMarks(2, 2, 1, 2, 4, (item(2, 22, 0, ("1", "2")), item(1, 11, 2, ("b",)))),
        rules.AttemptMarks(3, 3, 1, 1, 4, (item(2, 21, 1), item(1, 11, 0, ("a",)))),
    ]
    result = rules.quiz_statistics(attempts)
    assert result["test"] == rules.whole_test_statistics(attempts)
    assert [row["slot"] for row in result["slots"]] == [1, 2]
    assert result["slots"][0] == {"slot": 1, **rules.item_statistics([1, 2, 0], [2, 0, 1], 2)}
    assert result["slots"][1] == {"slot": 2, **rules.item_statistics([2, 0, 1], [1, 2, 0], 2)}
    assert result["slots"][1]["facility"] == 50 and result["slots"][0]["mean"] == 1
    assert set(result["versions"]) == {11, 21, 22}
    assert result["versions"][11] == {
        **rules.item_statistics([1, 2, 0], [2, 0, 1], 2),
        "distribution": {"a": 2, "b": 1},
    }
    assert result["versions"][21] == {**rules.item_statistics([2, 1], [1, 0], 2), "distribution": {"0": 1, "": 1}}
    assert result["versions"][22] == {**rules.item_statistics([0], [2], 2), "distribution": {"1": 1, "2": 1}}
    assert result["versions"][21]["facility"] == 75
    assert rules.quiz_statistics([]) == {"test": BLANK_TEST, "slots": [], "versions": {}}


MC = {"qtype": "multichoice", "options": [{"text": "a"}, {"text": "b"}, {"text": "c"}]}


@pytest.mark.parametrize(
    ("content", "response", "labels"),
    [
        (MC, [2, 0], ("0", "2")),
        (MC, 1, ("1",)),
        (MC, [3, -1, 1], ("1",)),  # options that do not exist are not counted
        (MC, [3], ()),
        (MC, [], ()),
        (MC, None, ()),
        (MC, "", ()),
        ({"qtype": "multichoice"}, [0], ()),
        ({"qtype": "truefalse"}, True, ("true",)),
        ({"qtype": "truefalse"}, False, ("false",)),
        ({"qtype": "truefalse"}, " True ", ("true",)),
        ({"qtype": "truefalse"}, "FALSE", ("false",)),
        ({"qtype": "truefalse"}, "yes", ()),
        ({"qtype": "truefalse"}, 1, ()),
        ({"qtype": "shortanswer"}, "  ＡＥＯ  ", ("aeo",)),
        ({"qtype": "shortanswer"}, "x" * 150, ("x" * 100,)),
        ({"qtype": "shortanswer"}, "   ", ()),
        ({"qtype": "shortanswer"}, 5, ()),
        ({"qtype": "essay"}, "长答案", ("answered",)),
        ({"qtype": "essay"}, None, ()),
        ({"qtype": "essay"}, "", ()),
        ({"qtype": "essay"}, [], ()),
    ],
)
def test_response_labels_as_the_option_distribution_counts_them(content, response, labels):
    assert rules.response_labels(content, response) == labels


def test_area_averages_add_up_marks_and_maxima_per_area():
    rows = [("法规", 3, 4), ("风控", 0, 0), ("法规", 1, 2), ("内控", 2, 3), ("风控", 0, 0)]
    assert rules.area_averages(rows) == {"法规": 66.67, "风控": None, "内控": 66.67}
    assert list(rules.area_averages(rows)) == ["法规", "风控", "内控"]
    assert rules.area_averages([("法规", 1, 3), ("法规", 1, 1)]) == {"法规": 50}
    assert rules.area_averages([]) == {}
