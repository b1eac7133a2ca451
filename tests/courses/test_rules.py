"""Pure rules of learning: watch-time credit, completion, quiz grading (issue 11 point 5)."""

import datetime as dt

import pytest

from courses import rules

NOW = dt.datetime(2027, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("covered", "played", "elapsed", "credited", "ranges"),
    [
        ([], [(0, 30)], 30, 30, [(0, 30)]),  # normal playback
        ([(0, 30)], [(0, 30)], 30, 0, [(0, 30)]),  # replaying the same seconds earns nothing
        ([(0, 30)], [(20, 50)], 30, 20, [(0, 50)]),  # only the new part counts
        ([], [(0, 120)], 30, 60, [(0, 60)]),  # faster than 2x earns at 2x
        ([], [(600, 630)], 30, 30, [(600, 630)]),  # seeking ahead earns only what is played
        ([], [(0, 10), (100, 110)], 30, 20, [(0, 10), (100, 110)]),
        ([(0, 10)], [(5, 15), (12, 20)], 30, 10, [(0, 20)]),  # overlapping reports merge
        ([], [(0, 30)], 0, 0, []),  # no server time elapsed: no credit
        ([], [(0, 30)], -5, 0, []),
    ],
)
def test_credit_heartbeat(covered, played, elapsed, credited, ranges):
    credit = rules.credit_heartbeat(covered=covered, played=played, elapsed_seconds=elapsed)
    assert credit.credited == pytest.approx(credited)
    assert credit.ranges == ranges


@pytest.mark.parametrize(
    "played",
    [
        [[-1, 5]],
        [[10, 5]],
        [[0, 500]],  # past the end of a 100-second video
        [[0, "x"]],
        [[True, 5]],
        [[1, 2, 3]],
        "0-5",
        [[0, 1]] * 21,
    ],
)
def test_forged_ranges_are_rejected(played):
    with pytest.raises(rules.ForgedHeartbeat):
        rules.validate_played(played, 100)


def test_valid_ranges_are_clipped_to_the_duration_within_tolerance():
    assert rules.validate_played([[0, 100.5]], 100) == [(0.0, 100.0)]
    assert rules.validate_played([[0, 5000]], None) == [(0.0, 5000.0)]  # a live stream has no end


@pytest.mark.parametrize(("seconds", "done"), [(89, False), (90, True), (100, True)])
def test_video_completes_at_ninety_percent(seconds, done):
    assert rules.video_watched(seconds=seconds, duration=100) is done


def test_reading_time():
    started = NOW - dt.timedelta(seconds=59)
    assert not rules.reading_time_met(started_at=started, now=NOW, min_seconds=60)
    assert rules.reading_time_left(started_at=started, now=NOW, min_seconds=60) == 1
    assert rules.reading_time_met(started_at=started, now=NOW + dt.timedelta(seconds=1), min_seconds=60)
    assert not rules.reading_time_met(started_at=None, now=NOW, min_seconds=0)


@pytest.mark.parametrize(
    ("answers", "correct", "passed"),
    [([2, 2], 2, True), ([2, 1], 1, True), ([1, 1], 0, False), ([], 0, False), ([None, 3], 0, False)],
)
def test_grade_quiz(answers, correct, passed):
    questions = [rules.QuizQuestion(choices=2, correct=2), rules.QuizQuestion(choices=2, correct=2)]
    result = rules.grade_quiz(questions=questions, answers=answers, pass_percent=50)
    assert (result.correct, result.passed) == (correct, passed)


@pytest.mark.parametrize(
    ("state", "complete"),
    [
        ({"has_video": True, "video_done": False, "reading_done": True}, False),
        ({"has_video": True, "video_done": True, "reading_done": False}, True),
        ({"has_video": False, "video_done": False, "reading_done": True}, True),
        (
            {"has_video": False, "video_done": False, "reading_done": True, "has_quiz": True, "quiz_required": True},
            False,
        ),
        (
            {
                "has_video": False,
                "video_done": False,
                "reading_done": True,
                "has_quiz": True,
                "quiz_required": True,
                "quiz_passed": True,
            },
            True,
        ),
        (
            {"has_video": False, "video_done": False, "reading_done": True, "has_quiz": True, "quiz_required": False},
            True,
        ),
    ],
)
def test_lesson_complete(state, complete):
    defaults = {"has_quiz": False, "quiz_required": False, "quiz_passed": False}
    assert rules.lesson_complete(rules.LessonState(**{**defaults, **state})) is complete


def test_course_completes_when_every_required_item_is_done():
    required = rules.required_items(lesson_items=["lesson:a", "lesson:b"], session_required=True, live_required=False)
    assert required == ["lesson:a", "lesson:b", "session"]
    assert not rules.course_complete(required=required, done=["lesson:a", "lesson:b"])
    assert rules.course_complete(required=required, done=["lesson:a", "lesson:b", "session", "extra"])
    assert not rules.course_complete(required=[], done=[])
    assert rules.progress_percent(required=required, done=["lesson:a"]) == 33


def test_missing_prerequisites_and_session_days():
    assert rules.missing_prerequisites(prerequisites=["a", "b"], completed={"b"}) == ["a"]
    assert rules.session_item_done(days_attended=2, days=2)
    assert not rules.session_item_done(days_attended=1, days=2)
    assert not rules.session_item_done(days_attended=0, days=0)
