"""Pure rules of learning: watch-time credit, lesson and course completion, quiz grading,
prerequisites (issue 11, seed 004 "carrying out training"; ARCHITECTURE.md "Watch time").
No ORM, no clock: `now` and elapsed times are arguments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Range = tuple[float, float]

# Playback faster than this rate earns at this rate (issue 11, point 5).
MAX_PLAYBACK_RATE = 2.0
# A video lesson completes when this share of its duration was watched (issue 11, point 5).
VIDEO_COMPLETION_SHARE = 0.9


class ForgedHeartbeat(ValueError):
    """A heartbeat whose ranges cannot come from a real player (negative, reversed, past the end)."""


def merge_ranges(ranges: Iterable[Range]) -> list[Range]:
    """Sorted, non-overlapping [start, end) ranges covering the same seconds."""
    merged: list[list[float]] = []
    for start, end in sorted((float(s), float(e)) for s, e in ranges if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def covered_seconds(ranges: Iterable[Range]) -> float:
    return sum(end - start for start, end in merge_ranges(ranges))


def validate_played(played: Sequence[Sequence[float]], duration: float | None, *, max_ranges: int = 20) -> list[Range]:
    """Check the played ranges a heartbeat carries: pairs of numbers, start < end, not negative
    and not past the end of the media (a small tolerance for player rounding)."""
    if not isinstance(played, (list, tuple)) or len(played) > max_ranges:
        raise ForgedHeartbeat("played")
    clean: list[Range] = []
    for pair in played:
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise ForgedHeartbeat("pair")
        start, end = pair
        if isinstance(start, bool) or isinstance(end, bool) or not all(isinstance(v, (int, float)) for v in pair):
            raise ForgedHeartbeat("number")
        if start < 0 or end < start or (duration is not None and end > duration + 1):
            raise ForgedHeartbeat("range")
        clean.append((float(start), float(min(end, duration) if duration is not None else end)))
    return clean


@dataclass(frozen=True)
class Credit:
    ranges: list[Range]
    credited: float  # new distinct seconds earned by this heartbeat


def credit_heartbeat(
    *, covered: Sequence[Range], played: Sequence[Range], elapsed_seconds: float, max_rate: float = MAX_PLAYBACK_RATE
) -> Credit:
    """New distinct seconds a heartbeat earns (ARCHITECTURE.md "Watch time"): only seconds not
    already covered count (replaying earns nothing twice), and never more than `max_rate` times
    the server time elapsed since the previous heartbeat (seeking ahead or playing faster than
    2x earns at most 2x). Earliest uncovered seconds are credited first."""
    budget = max(0.0, elapsed_seconds) * max_rate
    covered = merge_ranges(covered)
    fresh: list[Range] = []
    for start, end in merge_ranges(played):
        cursor = start
        for c_start, c_end in covered:
            if c_end <= cursor or c_start >= end:
                continue
            if c_start > cursor:
                fresh.append((cursor, c_start))
            cursor = max(cursor, c_end)
        if cursor < end:
            fresh.append((cursor, end))
    credited: list[Range] = []
    total = 0.0
    for start, end in fresh:
        if budget <= 0:
            break
        take = min(end - start, budget)
        credited.append((start, start + take))
        budget -= take
        total += take
    return Credit(ranges=merge_ranges([*covered, *credited]), credited=total)


class DuplicateBeat(ValueError):
    """A server-clock heartbeat less than half a window after the previous one (another tab,
    device or venue of the same person, or a replayed request): it earns nothing."""


class OutsideSchedule(ValueError):
    """A server-clock heartbeat before the schedule opens or after it closed."""


def credit_clock_beat(*, covered: Sequence[Range], since: float, now: float, window: float, length: float) -> Credit:
    """Server-clock crediting for a live stream (ARCHITECTURE.md "Watch time"; issue 12, point 5).

    Offsets are server seconds since the schedule opened; `since` is the previous beat (or the
    start of watching), `length` the scheduled seconds. A beat credits [max(since, now - window),
    now] clipped to the schedule, merged with what is covered: tabs, devices and venues of one
    person never add up to more than the wall clock, and a reconnect does not double-count.
    Raises OutsideSchedule before the start or more than one window after the end, DuplicateBeat
    for a second beat within half a window."""
    if now < 0 or now > length + window:
        raise OutsideSchedule("outside")
    if now - since < window / 2:
        raise DuplicateBeat("duplicate")
    start = max(since, now - window, 0.0)
    end = min(now, length)
    covered = merge_ranges(covered)
    before = covered_seconds(covered)
    ranges = merge_ranges([*covered, (start, end)])  # an empty window (after the end) adds nothing
    return Credit(ranges=ranges, credited=covered_seconds(ranges) - before)


def video_watched(*, seconds: float, duration: float) -> bool:
    """Issue 11 point 5: a video lesson completes at 90 % of its duration as distinct seconds."""
    return duration > 0 and seconds >= VIDEO_COMPLETION_SHARE * duration


def reading_time_met(*, started_at: dt.datetime | None, now: dt.datetime, min_seconds: int) -> bool:
    """A text lesson may be marked done once its minimum reading time has passed since the
    learner opened it (server clock)."""
    return started_at is not None and (now - started_at).total_seconds() >= min_seconds


def reading_time_left(*, started_at: dt.datetime | None, now: dt.datetime, min_seconds: int) -> int:
    if started_at is None:
        return min_seconds
    return max(0, int(min_seconds - (now - started_at).total_seconds() + 0.999))


@dataclass(frozen=True)
class QuizQuestion:
    choices: int
    correct: int  # 1-based


@dataclass(frozen=True)
class QuizResult:
    correct: int
    total: int
    percent: int
    passed: bool


def grade_quiz(*, questions: Sequence[QuizQuestion], answers: Sequence[int | None], pass_percent: int) -> QuizResult:
    """Grade a lesson quiz on the server: one point per question answered with its correct choice;
    unanswered or out-of-range answers score nothing."""
    correct = sum(
        1
        for i, question in enumerate(questions)
        if i < len(answers) and answers[i] is not None and answers[i] == question.correct
    )
    total = len(questions)
    percent = round(100 * correct / total) if total else 0
    return QuizResult(correct=correct, total=total, percent=percent, passed=total > 0 and percent >= pass_percent)


@dataclass(frozen=True)
class LessonState:
    has_video: bool
    video_done: bool
    has_quiz: bool
    quiz_required: bool
    quiz_passed: bool
    reading_done: bool


def lesson_complete(state: LessonState) -> bool:
    """Issue 11 point 5: a video lesson completes by watching, a text lesson by reading time;
    a required quiz must be passed as well."""
    if state.quiz_required and state.has_quiz and not state.quiz_passed:
        return False
    if state.has_video:
        return state.video_done
    return state.reading_done


def required_items(*, lesson_items: Iterable[str], session_required: bool, live_required: bool) -> list[str]:
    """Every required item of a course: its lessons, then optionally one linked training
    session and one live observation session."""
    items = list(lesson_items)
    if session_required:
        items.append("session")
    if live_required:
        items.append("live")
    return items


def course_complete(*, required: Iterable[str], done: Iterable[str]) -> bool:
    required = set(required)
    return bool(required) and required <= set(done)


def progress_percent(*, required: Sequence[str], done: Iterable[str]) -> int:
    if not required:
        return 0
    return round(100 * len(set(required) & set(done)) / len(set(required)))


def missing_prerequisites(*, prerequisites: Iterable[str], completed: Iterable[str]) -> list[str]:
    """Prerequisite courses (translation keys) the learner has not completed yet."""
    completed = set(completed)
    return [key for key in prerequisites if key not in completed]


def session_item_done(*, days_attended: int, days: int) -> bool:
    """The linked-training-session item completes when every day of one session was attended
    (late counts as attended; `training_bases.rules.AttendanceTally.completed`)."""
    return days > 0 and days_attended >= days
