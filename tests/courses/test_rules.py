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


@pytest.mark.parametrize(
    ("covered", "played", "elapsed", "credited", "ranges"),
    [
        # a gap before what was already watched is credited, then what follows it
        ([(10, 20)], [(0, 30)], 30, 20, [(0, 30)]),
        # seconds watched earlier, before this report, do not stop the check of later ones
        ([(0, 10), (20, 30)], [(15, 25)], 30, 5, [(0, 10), (15, 30)]),
        # seconds watched further on are not credited for a report that stops before them
        ([(100, 110)], [(0, 10)], 30, 10, [(0, 10), (100, 110)]),
    ],
)
def test_only_unwatched_seconds_of_a_report_are_credited(covered, played, elapsed, credited, ranges):
    credit = rules.credit_heartbeat(covered=covered, played=played, elapsed_seconds=elapsed)
    assert (credit.credited, credit.ranges) == (credited, ranges)


@pytest.mark.parametrize(
    ("elapsed", "credited", "ranges"),
    [
        (5.5, 11, [(0, 10), (20, 21)]),  # 11 seconds of budget: the first range, one second of the next
        (7.5, 15, [(0, 10), (20, 25)]),
        (0.25, 0.5, [(0, 0.5)]),  # less than a second of budget still earns its half second
    ],
)
def test_the_two_times_budget_is_spent_on_the_earliest_ranges_first(elapsed, credited, ranges):
    credit = rules.credit_heartbeat(covered=[], played=[(0, 10), (20, 40)], elapsed_seconds=elapsed)
    assert (credit.credited, credit.ranges) == (credited, ranges)


def test_an_empty_range_is_no_watched_second():
    assert rules.merge_ranges([(5, 5), (7, 9)]) == [(7.0, 9.0)]


@pytest.mark.parametrize(
    ("played", "reason"),
    [
        ("0-5", "played"),
        ([[0, 1]] * 21, "played"),
        ([[1, 2, 3]], "pair"),
        ([5], "pair"),
        ([[0, "x"]], "number"),
        ([[True, 5]], "number"),
        ([[-1, 5]], "range"),
        ([[10, 5]], "range"),
        ([[0, 101.5]], "range"),  # more than a second past the end of a 100-second video
    ],
)
def test_a_forged_heartbeat_names_the_check_it_failed(played, reason):
    with pytest.raises(rules.ForgedHeartbeat) as refused:
        rules.validate_played(played, 100)
    assert refused.value.args == (reason,)


def test_the_limits_of_a_valid_heartbeat_are_accepted():
    assert rules.validate_played([[0, 1]] * 20, 100) == [(0.0, 1.0)] * 20  # as many ranges as allowed
    assert rules.validate_played([[5, 5]], 100) == [(5.0, 5.0)]  # a paused player reports an empty range
    assert rules.validate_played([[0, 101]], 100) == [(0.0, 100.0)]  # one second past the end: rounding


W, LENGTH = 30.0, 600.0


@pytest.mark.parametrize(
    ("covered", "since", "now", "ranges", "credited"),
    [
        ([], -30, 0, [], 0),  # a beat at the very opening is on air (and earns nothing yet)
        ([], -30, 0.5, [(0, 0.5)], 0.5),
        ([(0, 600)], 600, LENGTH + W, [(0, 600)], 0),  # exactly one window after the end: still accepted
        ([], 30, 45, [(30, 45)], 15),  # a beat after half a window credits only the time since the last
    ],
)
def test_clock_beats_at_the_edges_of_the_schedule(covered, since, now, ranges, credited):
    credit = rules.credit_clock_beat(covered=covered, since=since, now=now, window=W, length=LENGTH)
    assert (credit.ranges, credit.credited) == (ranges, credited)


@pytest.mark.parametrize(
    ("since", "now", "error", "reason"),
    [
        (-30, -0.5, rules.OutsideSchedule, "outside"),
        (600, LENGTH + W + 0.5, rules.OutsideSchedule, "outside"),
        (30, 44, rules.DuplicateBeat, "duplicate"),
    ],
)
def test_a_refused_clock_beat_says_why(since, now, error, reason):
    with pytest.raises(error) as refused:
        rules.credit_clock_beat(covered=[], since=since, now=now, window=W, length=LENGTH)
    assert refused.value.args == (reason,)


@pytest.mark.parametrize(
    ("seconds", "duration", "done"),
    [(0, 0, False), (1, 1, True), (0.9, 1, True), (0.89, 1, False)],
)
def test_a_video_without_length_never_completes_and_a_one_second_one_does(seconds, duration, done):
    assert rules.video_watched(seconds=seconds, duration=duration) is done


def test_no_reading_time_is_left_once_it_has_passed():
    started = NOW - dt.timedelta(seconds=90)
    assert rules.reading_time_left(started_at=started, now=NOW, min_seconds=60) == 0
    assert rules.reading_time_left(started_at=None, now=NOW, min_seconds=60) == 60


@pytest.mark.parametrize(
    ("answers", "correct", "percent", "passed"),
    [
        ([2, 1, 1], 1, 33, False),
        ([2, 2, 1], 2, 67, True),
        ([2, 2, 2], 3, 100, True),
    ],
)
def test_a_quiz_scores_its_correct_answers_as_a_rounded_percentage(answers, correct, percent, passed):
    questions = [rules.QuizQuestion(choices=2, correct=2)] * 3
    result = rules.grade_quiz(questions=questions, answers=answers, pass_percent=60)
    assert result == rules.QuizResult(correct=correct, total=3, percent=percent, passed=passed)


def test_a_quiz_without_questions_passes_nobody():
    result = rules.grade_quiz(questions=[], answers=[], pass_percent=0)
    assert result == rules.QuizResult(correct=0, total=0, percent=0, passed=False)


def test_a_one_question_quiz_answered_correctly_passes():
    result = rules.grade_quiz(questions=[rules.QuizQuestion(choices=4, correct=3)], answers=[3], pass_percent=100)
    assert result == rules.QuizResult(correct=1, total=1, percent=100, passed=True)


def test_a_course_with_a_live_session_requires_it_after_its_lessons():
    required = rules.required_items(lesson_items=["lesson:a"], session_required=True, live_required=True)
    assert required == ["lesson:a", "session", "live"]
    assert rules.required_items(lesson_items=["lesson:a"], session_required=False, live_required=True) == [
        "lesson:a",
        "live",
    ]


def test_a_course_completes_when_exactly_its_required_items_are_done():
    assert rules.course_complete(required=["lesson:a", "session"], done=["session", "lesson:a"])


@pytest.mark.parametrize(("done", "percent"), [([], 0), (["a"], 33), (["a", "b"], 67), (["a", "b", "c"], 100)])
def test_progress_is_the_rounded_share_of_required_items_done(done, percent):
    assert rules.progress_percent(required=["a", "b", "c"], done=done) == percent


def test_a_course_without_required_items_shows_no_progress():
    assert rules.progress_percent(required=[], done=["a"]) == 0


def test_a_one_day_session_attended_completes_its_item():
    assert rules.session_item_done(days_attended=1, days=1)
