"""Scoring of each Moodle type, answer normalisation, validity and draws (exams/rules.py)."""

from decimal import Decimal

import pytest

from exams import rules


def content(qtype="multichoice", options=(), **extra):
    return {"name": "q", "stem": "题干", "qtype": qtype, "options": list(options), **extra}


SINGLE = content(
    options=[{"text": "甲", "fraction": 100}, {"text": "乙", "fraction": 0}, {"text": "丙", "fraction": -50}]
)
PARTIAL = content(
    single=False,
    options=[{"text": "甲", "fraction": 50}, {"text": "乙", "fraction": 50}, {"text": "丙", "fraction": -100}],
    default_mark="4",
)
ALL_OR_NOTHING = {**PARTIAL, "scoring": "all_or_nothing"}
TRUEFALSE = content("truefalse", [{"text": "true", "fraction": 0}, {"text": "false", "fraction": 100}])
FILL = content(
    "shortanswer", [{"text": "Authorized Economic Operator", "fraction": 100}, {"text": "AEO", "fraction": 50}]
)


@pytest.mark.parametrize(
    ("question", "response", "points"),
    [
        (SINGLE, 0, "1.00"),
        (SINGLE, [1], "0.00"),
        (SINGLE, 2, "0.00"),  # a negative single-choice weight never goes below zero
        (SINGLE, [0, 1], "0.00"),
        (PARTIAL, [0], "2.00"),
        (PARTIAL, [0, 1], "4.00"),
        (PARTIAL, [0, 2], "0.00"),
        (PARTIAL, [0, 1, 2], "0.00"),
        (PARTIAL, [], "0.00"),
        (ALL_OR_NOTHING, [0], "0.00"),
        (ALL_OR_NOTHING, [1, 0], "4.00"),
        (TRUEFALSE, False, "1.00"),
        (TRUEFALSE, "true", "0.00"),
        (FILL, "  ａｕｔｈｏｒｉｚｅｄ   economic OPERATOR　", "1.00"),
        (FILL, "ＡＥＯ", "0.50"),
        (FILL, "AE0", "0.00"),
        (SINGLE, "not a number", "0.00"),
    ],
)
def test_score_response_per_type(question, response, points):
    assert rules.score_response(question, response).points == Decimal(points)


def test_essay_needs_marking_by_hand():
    score = rules.score_response(content("essay", rubric="要点"), "长答案")
    assert score.needs_marking and score.points == 0


def test_mark_given_by_the_paper_scales_points():
    assert rules.score_response(PARTIAL, [0], mark=Decimal(10)).points == Decimal("5.00")


def test_partial_weights_that_sum_to_99_99_still_give_full_marks():
    thirds = content(single=False, options=[{"text": t, "fraction": "33.33"} for t in "甲乙丙"])
    assert rules.question_errors(rules.QuestionContent.from_mapping(thirds)) == []
    assert rules.score_response(thirds, [0, 1, 2]).fraction == 1


@pytest.mark.parametrize(
    ("question", "valid"),
    [
        (SINGLE, True),
        (PARTIAL, True),
        (TRUEFALSE, True),
        (FILL, True),
        (content("essay"), True),
        (content(options=[{"text": "甲", "fraction": 0}, {"text": "乙", "fraction": 0}]), False),  # key names no option
        (content(single=False, options=[{"text": "甲", "fraction": 50}, {"text": "乙", "fraction": 40}]), False),
        (content(options=[{"text": "甲", "fraction": 100}]), False),
        (content("truefalse", [{"text": "true", "fraction": 100}, {"text": "false", "fraction": 100}]), False),
        (content("shortanswer", [{"text": "甲", "fraction": 50}]), False),
        (content("matching"), False),
        ({**SINGLE, "difficulty": 6}, False),
    ],
)
def test_question_errors(question, valid):
    assert (rules.question_errors(rules.QuestionContent.from_mapping(question)) == []) is valid


def test_candidate_view_carries_no_key_or_feedback():
    snapshot = {**SINGLE, "general_feedback": "解析", "options": [{**o, "feedback": "反馈"} for o in SINGLE["options"]]}
    shown = rules.candidate_view(snapshot, [2, 0, 1])
    assert [o["text"] for o in shown["options"]] == ["丙", "甲", "乙"]
    assert "fraction" not in str(shown) and "反馈" not in str(shown) and "解析" not in str(shown)


def test_nearest_moodle_grade():
    assert rules.nearest_moodle_grade(Decimal("33.3")) == Decimal("33.33333")
    assert rules.nearest_moodle_grade(Decimal("-48")) == Decimal("-50")
    assert rules.is_moodle_grade(Decimal("12.5")) and not rules.is_moodle_grade(Decimal("12"))


def pool(per_cell=6):
    questions = []
    vid = 0
    for area in (1, 2):
        for difficulty in (1, 3, 5):
            for _ in range(per_cell):
                vid += 1
                questions.append(rules.PoolQuestion(vid, vid + 1000, area, difficulty, 0, 4, True))
    return questions


CELLS = [rules.Cell(1, "easy", 2), rules.Cell(1, "hard", 1, Decimal(3)), rules.Cell(2, "medium", 3)]


def test_draw_meets_the_blueprint_without_repeats_and_is_reproducible():
    papers = rules.draw_papers(CELLS, pool(), seed=7, count=20)
    by_id = {q.question_id: q for q in pool()}
    for paper in papers:
        ids = [item.question_id for item in paper]
        assert len(ids) == len(set(ids)) == 6
        cells = [(by_id[i].area_id, rules.difficulty_band(by_id[i].difficulty)) for i in ids]
        assert cells == [(1, "easy")] * 2 + [(1, "hard")] + [(2, "medium")] * 3
        assert sorted(paper[0].option_order) == [0, 1, 2, 3]
    assert papers == rules.draw_papers(CELLS, list(reversed(pool())), seed=7, count=20)
    assert papers != rules.draw_papers(CELLS, pool(), seed=8, count=20)


def test_draw_takes_least_used_first_counting_the_same_batch():
    papers = rules.draw_papers(CELLS, pool(), seed=1, count=3)
    used = [item.question_id for paper in papers for item in paper if item.points == 3]
    assert len(set(used)) == 3  # six hard questions of area 1: three papers use three different ones
    worn = [q if q.question_id != 7 else rules.PoolQuestion(7, 1007, 1, 1, 0, 4, True) for q in pool()]
    worn = [
        rules.PoolQuestion(q.question_id, q.version_id, q.area_id, q.difficulty, 5, 4, True)
        if q.area_id == 1 and q.difficulty == 1 and q.question_id > 2
        else q
        for q in worn
    ]
    first = rules.draw_papers(CELLS, worn, seed=3, count=1)[0]
    assert {item.question_id for item in first[:2]} == {1, 2}


def test_draw_refuses_a_blueprint_the_pool_cannot_cover():
    with pytest.raises(rules.BlueprintNotCovered) as excinfo:
        rules.draw_papers([rules.Cell(1, "easy", 9)], pool(), seed=1, count=1)
    assert excinfo.value.shortages[0].missing == 3


def test_a_snapshot_without_fields_reads_as_the_defaults():
    assert rules.QuestionContent.from_mapping({}) == rules.QuestionContent(
        qtype="",
        options=(),
        name="",
        stem="",
        single=True,
        scoring="partial",
        difficulty=3,
        default_mark=Decimal(1),
        shuffle_options=True,
    )
    blanks = {"name": None, "stem": None, "scoring": None, "difficulty": None, "options": None, "qtype": "essay"}
    read = rules.QuestionContent.from_mapping(blanks)
    assert (read.name, read.stem, read.scoring, read.difficulty, read.options) == ("", "", "partial", 3, ())
    assert rules.QuestionContent.from_mapping({"options": [{}]}).options == (rules.Option("", Decimal(0), ""),)
    assert rules.QuestionContent.from_mapping({"options": [{"feedback": None}]}).options[0].feedback == ""


def test_a_full_snapshot_reads_field_by_field():
    data = {
        "qtype": "multichoice",
        "name": "名",
        "stem": "干",
        "single": False,
        "scoring": "all_or_nothing",
        "difficulty": "5",
        "default_mark": "2.5",
        "shuffle_options": False,
        "options": [{"text": 7, "fraction": "-33.33333", "feedback": "因"}],
    }
    assert rules.QuestionContent.from_mapping(data) == rules.QuestionContent(
        qtype="multichoice",
        options=(rules.Option("7", Decimal("-33.33333"), "因"),),
        name="名",
        stem="干",
        single=False,
        scoring="all_or_nothing",
        difficulty=5,
        default_mark=Decimal("2.5"),
        shuffle_options=False,
    )


def test_a_weight_or_mark_that_is_no_number_reads_as_zero():
    read = rules.QuestionContent.from_mapping({"default_mark": "abc", "options": [{"fraction": "十"}]})
    assert read.default_mark == Decimal(0) and read.options[0].fraction == Decimal(0)


def errors(**fields):
    question = {"name": "q", "stem": "题干", "qtype": "multichoice", **fields}
    return [str(e) for e in rules.question_errors(rules.QuestionContent.from_mapping(question))]


TWO = [{"text": "甲", "fraction": 100}, {"text": "乙", "fraction": 0}]


@pytest.mark.parametrize(
    ("fields", "messages"),
    [
        ({"options": TWO}, []),
        ({"options": TWO, "name": " "}, ["The question has no name."]),
        ({"options": TWO, "stem": "\n"}, ["The question has no text."]),
        (
            {"name": "", "qtype": "matching", "difficulty": 9},
            ["The question has no name.", "Unknown question type “matching”."],
        ),
        ({"options": TWO, "difficulty": 1}, []),
        ({"options": TWO, "difficulty": 5}, []),
        ({"options": TWO, "difficulty": 6}, ["Difficulty must be between 1 and 5."]),
        ({"options": TWO, "difficulty": -1}, ["Difficulty must be between 1 and 5."]),
        ({"options": TWO, "default_mark": "0"}, ["The default mark must be positive."]),
        ({"options": TWO, "default_mark": "0.01"}, []),
        ({"options": [*TWO, {"text": "丙", "fraction": -100}]}, []),
        (
            {"options": [*TWO, {"text": "丙", "fraction": -101}]},
            ["Option weights must lie between -100 % and 100 %."],
        ),
        (
            {"options": [{"text": "甲", "fraction": 101}, {"text": "乙", "fraction": 100}]},
            [
                "Option weights must lie between -100 % and 100 %.",
                "The answer key names no option: one option must be worth 100 %.",
            ],
        ),
        ({"qtype": "essay"}, []),
        (
            {"qtype": "essay", "options": [{"text": "", "fraction": 150}]},
            ["Option weights must lie between -100 % and 100 %.", "A case analysis question has no options."],
        ),
        ({"qtype": "truefalse", "options": [{"text": "", "fraction": 0}, {"text": "", "fraction": 100}]}, []),
        (
            {"qtype": "truefalse", "options": [{"text": "t", "fraction": 0}, {"text": "f", "fraction": 0}]},
            ["A true/false question needs exactly one correct answer (true or false)."],
        ),
        (
            {"qtype": "truefalse", "options": [*TWO, {"text": "丙", "fraction": 0}]},
            ["A true/false question needs exactly one correct answer (true or false)."],
        ),
        (
            {"qtype": "shortanswer"},
            ["A fill-in question needs at least one accepted answer worth 100 %."],
        ),
        ({"qtype": "shortanswer", "options": [{"text": "AEO", "fraction": 100}]}, []),
        (
            {"qtype": "shortanswer", "options": [{"text": "AEO", "fraction": 90}]},
            ["A fill-in question needs at least one accepted answer worth 100 %."],
        ),
        (
            {"qtype": "shortanswer", "options": [{"text": "AEO", "fraction": 100}, {"text": "　", "fraction": 50}]},
            ["A fill-in answer is empty."],
        ),
        ({"options": [{"text": "甲", "fraction": 100}]}, ["Give at least two options."]),
        (
            {"options": []},
            ["Give at least two options.", "The answer key names no option: one option must be worth 100 %."],
        ),
        ({"options": [{"text": "甲", "fraction": 100}, {"text": " ", "fraction": 0}]}, ["An option is empty."]),
        (
            {"options": [{"text": "甲", "fraction": 90}, {"text": "乙", "fraction": 0}]},
            ["The answer key names no option: one option must be worth 100 %."],
        ),
        (
            {"single": False, "options": [{"text": "甲", "fraction": 0}, {"text": "乙", "fraction": -50}]},
            ["The answer key names no option: give the correct options a positive weight."],
        ),
        ({"single": False, "options": [{"text": "甲", "fraction": 60}, {"text": "乙", "fraction": 40}]}, []),
        (
            {
                "single": False,
                "options": [{"text": t, "fraction": f} for t, f in (("甲", 60), ("乙", 40), ("丙", -100))],
            },
            [],
        ),
        ({"single": False, "options": [{"text": "甲", "fraction": "50.01"}, {"text": "乙", "fraction": 50}]}, []),
        ({"single": False, "options": [{"text": "甲", "fraction": "99.5"}, {"text": "乙", "fraction": "0.5"}]}, []),
        (
            {"single": False, "options": [{"text": "甲", "fraction": "0.5"}, {"text": "乙", "fraction": 0}]},
            ["The positive weights add up to 0.5 %; they must add up to 100 %."],
        ),
        ({"single": False, "options": [{"text": "甲", "fraction": "49.99"}, {"text": "乙", "fraction": 50}]}, []),
        (
            {"single": False, "options": [{"text": "甲", "fraction": "50.02"}, {"text": "乙", "fraction": 50}]},
            ["The positive weights add up to 100.02 %; they must add up to 100 %."],
        ),
        (
            {"single": False, "options": [{"text": "甲", "fraction": "49.98"}, {"text": "乙", "fraction": 50}]},
            ["The positive weights add up to 99.98 %; they must add up to 100 %."],
        ),
        (
            {"single": False, "options": [{"text": "甲", "fraction": "60.0"}, {"text": "乙", "fraction": "60.0"}]},
            ["The positive weights add up to 120 %; they must add up to 100 %."],
        ),
    ],
)
def test_question_errors_say_what_is_wrong(fields, messages):
    assert errors(**fields) == messages


def test_answers_match_after_width_case_and_spaces_are_evened_out():
    assert rules.normalise_answer("  Ａ\u3000ｅ\tO \n") == "a e o"
    assert rules.normalise_answer(None) == ""
    assert rules.normalise_answer("Straße") == "strasse"


@pytest.mark.parametrize(("difficulty", "band"), [(1, "easy"), (2, "easy"), (3, "medium"), (4, "hard"), (5, "hard")])
def test_difficulty_bands(difficulty, band):
    assert rules.difficulty_band(difficulty) == band


def test_moodle_grades_are_matched_to_five_decimals():
    assert rules.is_moodle_grade(Decimal("83.33334")) and rules.is_moodle_grade(Decimal("-83.33332"))
    assert not rules.is_moodle_grade(Decimal("83.33335"))
    assert rules.nearest_moodle_grade(Decimal("0")) == 0 and rules.is_moodle_grade(Decimal("0"))
    assert rules.nearest_moodle_grade(Decimal("-100")) == Decimal("-100")
    assert rules.nearest_moodle_grade(Decimal("97")) == Decimal("100")


@pytest.mark.parametrize(
    ("question", "response", "mark", "fraction", "points"),
    [
        (SINGLE, [0, 3], None, "1", "1.00"),  # an option that does not exist is ignored
        (SINGLE, [-1, 0], None, "1", "1.00"),
        (SINGLE, ["x", 0], None, "1", "1.00"),
        (SINGLE, "0", None, "1", "1.00"),
        (SINGLE, None, None, "0", "0.00"),
        (SINGLE, "", None, "0", "0.00"),
        (SINGLE, 3, None, "0", "0.00"),
        (SINGLE, 0, "2.5", "1", "2.50"),
        (SINGLE, 0, 3, "1", "3.00"),
        (PARTIAL, [0], None, "0.5", "2.00"),
        (PARTIAL, [1, 5], None, "0.5", "2.00"),
        (ALL_OR_NOTHING, [0, 1, 2], None, "0", "0.00"),
        (ALL_OR_NOTHING, [], None, "0", "0.00"),
        (TRUEFALSE, True, None, "0", "0.00"),
        (TRUEFALSE, " F ", None, "1", "1.00"),
        (TRUEFALSE, "FALSE", None, "1", "1.00"),
        (TRUEFALSE, "t", None, "0", "0.00"),
        (TRUEFALSE, "yes", None, "0", "0.00"),
        (TRUEFALSE, 0, None, "0", "0.00"),
        (FILL, "", None, "0", "0.00"),
        (FILL, 5, None, "0", "0.00"),
        (content("matching", [{"text": "甲", "fraction": 100}]), 0, None, "0", "0.00"),
    ],
)
def test_score_fraction_and_points(question, response, mark, fraction, points):
    score = rules.score_response(question, response, mark=mark)
    assert score == rules.Score(fraction=Decimal(fraction), points=Decimal(points), needs_marking=False)


def test_a_true_false_key_on_the_true_option_and_a_malformed_true_false_question():
    key_true = content("truefalse", [{"text": "true", "fraction": 100}, {"text": "false", "fraction": 0}])
    assert rules.score_response(key_true, True).points == 1 and rules.score_response(key_true, "T").points == 1
    assert rules.score_response(key_true, "true").points == 1
    half = content("truefalse", [{"text": "true", "fraction": 50}, {"text": "false", "fraction": 0}])
    assert rules.score_response(half, True).fraction == Decimal("0.5")
    assert rules.score_response(key_true, False).points == 0
    three = content("truefalse", [{"text": "true", "fraction": 100}, {"text": "false", "fraction": 0}, {"text": "?"}])
    assert rules.score_response(three, True).points == 0


def test_fill_in_scores_the_best_accepted_answer_it_matches():
    both = content("shortanswer", [{"text": "AEO", "fraction": 50}, {"text": "aeo", "fraction": 100}])
    assert rules.score_response(both, "Aeo").fraction == 1
    blank = content("shortanswer", [{"text": "", "fraction": 100}])
    assert rules.score_response(blank, "  ").points == 0


def test_all_or_nothing_needs_every_positively_weighted_option_and_no_other():
    key = content(
        single=False,
        scoring="all_or_nothing",
        options=[{"text": "甲", "fraction": "99.5"}, {"text": "乙", "fraction": "0.5"}, {"text": "丙", "fraction": 0}],
    )
    assert rules.score_response(key, [1, 0]).fraction == 1
    assert rules.score_response(key, [0]).fraction == 0
    assert rules.score_response(key, [0, 1, 2]).fraction == 0


def test_partial_credit_is_clamped_to_the_whole_mark_and_to_zero():
    over = content(single=False, options=[{"text": "甲", "fraction": 80}, {"text": "乙", "fraction": 80}])
    assert rules.score_response(over, [0, 1]) == rules.Score(Decimal(1), Decimal("1.00"))
    under = content(single=False, options=[{"text": "甲", "fraction": 20}, {"text": "乙", "fraction": -80}])
    assert rules.score_response(under, [0, 1]) == rules.Score(Decimal(0), Decimal("0.00"))


def test_only_99_99_per_cent_and_more_round_up_to_full_marks():
    def single(weight):
        return content(options=[{"text": "甲", "fraction": weight}, {"text": "乙", "fraction": 0}])

    assert rules.score_response(single("99.99"), 0, mark=100) == rules.Score(Decimal(1), Decimal("100.00"))
    assert rules.score_response(single("99.98"), 0, mark=100) == rules.Score(Decimal("0.9998"), Decimal("99.98"))


def test_points_round_half_up_to_hundredths():
    eighth = content(options=[{"text": "甲", "fraction": "12.5"}, {"text": "乙", "fraction": 100}])
    assert rules.score_response(eighth, 0).points == Decimal("0.13")
    assert rules.score_response(eighth, 0, mark=Decimal("0.1")).points == Decimal("0.01")


def test_essay_score_is_zero_until_marked():
    score = rules.score_response(rules.QuestionContent.from_mapping(content("essay")), "答", mark=5)
    assert score == rules.Score(fraction=Decimal(0), points=Decimal(0), needs_marking=True)


def test_candidate_view_shows_stem_and_option_texts_only():
    snapshot = {**SINGLE, "stem_format": "plain", "single": True}
    assert rules.candidate_view(snapshot, (1, 2, 0)) == {
        "name": "q",
        "qtype": "multichoice",
        "single": True,
        "stem": "题干",
        "stem_format": "plain",
        "options": [{"index": 1, "text": "乙"}, {"index": 2, "text": "丙"}, {"index": 0, "text": "甲"}],
    }
    assert rules.candidate_view(SINGLE)["options"] == [
        {"index": 0, "text": "甲"},
        {"index": 1, "text": "乙"},
        {"index": 2, "text": "丙"},
    ]
    assert rules.candidate_view(SINGLE, ())["options"] == rules.candidate_view(SINGLE)["options"]
    assert rules.candidate_view(TRUEFALSE)["options"] == [{"index": 0, "text": "true"}, {"index": 1, "text": "false"}]


def test_candidate_view_of_fill_in_and_essay_hides_the_answers_and_defaults_the_rest():
    assert rules.candidate_view(FILL)["options"] == []
    assert rules.candidate_view({"qtype": "essay", "options": None}) == {
        "name": "",
        "qtype": "essay",
        "single": True,
        "stem": "",
        "stem_format": "html",
        "options": [],
    }
    assert rules.candidate_view({**PARTIAL})["single"] is False
    assert rules.candidate_view({"qtype": "multichoice"})["options"] == []


def test_a_paper_item_is_stored_as_json_with_points_as_text():
    item = rules.PaperItem(3, 13, Decimal("2.50"), (2, 0, 1))
    assert item.as_json() == {"question_id": 3, "version_id": 13, "points": "2.50", "option_order": [2, 0, 1]}
    assert rules.PaperItem(3, 13, Decimal(1)).as_json()["option_order"] == []


def test_shortages_name_each_cell_that_lacks_questions():
    questions = pool(per_cell=3)
    cells = [rules.Cell(1, "easy", 3), rules.Cell(1, "hard", 4), rules.Cell(3, "easy", 1), rules.Cell(2, "medium", 2)]
    assert rules.blueprint_shortages(cells, questions) == [
        rules.Shortage(1, "hard", 4, 3),
        rules.Shortage(3, "easy", 1, 0),
    ]
    with pytest.raises(rules.BlueprintNotCovered) as excinfo:
        rules.draw_papers(cells, questions, seed=1, count=1)
    assert excinfo.value.args == ([rules.Shortage(1, "hard", 4, 3), rules.Shortage(3, "easy", 1, 0)],)
    assert [s.missing for s in excinfo.value.shortages] == [1, 1]


DRAW_POOL = [
    rules.PoolQuestion(1, 11, 1, 1, 0, 4, True),
    rules.PoolQuestion(2, 12, 1, 2, 1, 3, True),
    rules.PoolQuestion(3, 13, 1, 1, 0, 2, False),
    rules.PoolQuestion(4, 14, 2, 5, 0, 3, True),
    rules.PoolQuestion(5, 15, 2, 4, 0, 0, True),
    rules.PoolQuestion(6, 16, 2, 4, 2, 1, True),
]
DRAW_CELLS = [rules.Cell(1, "easy", 2), rules.Cell(2, "hard", 1, Decimal("2.5"))]


def test_a_recorded_draw_recomputes_to_the_same_papers():
    """Recorded batches keep only the seed and the starting pool: the papers drawn from them must
    never change (exams/services/draws.py recomputes them)."""
    one, two = Decimal(1), Decimal("2.5")
    assert rules.draw_papers(DRAW_CELLS, DRAW_POOL, seed=2024, count=4) == [
        ((1, 11, one, (3, 0, 2, 1)), (3, 13, one, (0, 1)), (5, 15, two, ())),
        ((2, 12, one, (1, 0, 2)), (3, 13, one, (0, 1)), (4, 14, two, (0, 1, 2))),
        ((1, 11, one, (0, 1, 3, 2)), (3, 13, one, (0, 1)), (5, 15, two, ())),
        ((1, 11, one, (1, 0, 3, 2)), (2, 12, one, (1, 2, 0)), (4, 14, two, (2, 0, 1))),
    ]


def test_questions_are_used_evenly_across_a_batch():
    """Least used first, counting earlier papers of the batch: a question drawn once before waits
    for the others, and after four papers of two questions all three have been used three times."""
    papers = rules.draw_papers([rules.Cell(1, "easy", 2)], DRAW_POOL, seed=5, count=4)
    drawn = [item.question_id for paper in papers for item in paper]
    assert sorted(drawn) == [1, 1, 1, 2, 2, 3, 3, 3]
    assert {item.question_id for item in papers[0]} == {1, 3}
    assert all(len({item.question_id for item in paper}) == 2 for paper in papers)
    hard = rules.draw_papers([rules.Cell(2, "hard", 1)], DRAW_POOL, seed=5, count=4)
    assert sorted(paper[0].question_id for paper in hard[:2]) == [4, 5]
    assert sorted(paper[0].question_id for paper in hard) == [4, 4, 5, 5]


def test_options_keep_their_order_when_the_blueprint_or_the_question_says_so():
    kept = rules.draw_papers(DRAW_CELLS, DRAW_POOL, seed=2024, count=8, shuffle_options=False)
    for paper in kept:
        for item in paper:
            count = next(q.option_count for q in DRAW_POOL if q.question_id == item.question_id)
            assert item.option_order == tuple(range(count))
    shuffled = rules.draw_papers([rules.Cell(1, "easy", 1)], [DRAW_POOL[0]], seed=1, count=30)
    orders = {paper[0].option_order for paper in shuffled}
    assert len(orders) > 5 and all(sorted(order) == [0, 1, 2, 3] for order in orders)
    assert (0, 1, 2, 3) in orders or len(orders) > 5
    two = rules.PoolQuestion(7, 17, 1, 1, 0, 2, True)
    swapped = rules.draw_papers([rules.Cell(1, "easy", 1)], [two], seed=1, count=20)
    assert {paper[0].option_order for paper in swapped} == {(0, 1), (1, 0)}
    never = rules.draw_papers([rules.Cell(1, "easy", 1)], [DRAW_POOL[2]], seed=1, count=5)
    assert {paper[0].option_order for paper in never} == {(0, 1)}
