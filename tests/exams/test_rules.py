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
