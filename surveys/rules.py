"""Pure rules of surveys (issue 17, point 1): when a person may answer, what a valid set of
answers is, when an event's survey opens and closes, response rates and Likert means, and when
an anonymous survey's results are too few to show. No ORM, no clock: `now` is an argument."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

DEFAULT_DAYS_OPEN = 14
MAX_TEXT_LENGTH = 2000
LIKERT_SCORES = (1, 2, 3, 4, 5)
# Below this many responses an anonymous survey shows counts only: with one or two answers the
# people who answered could be told apart by their trainer.
MIN_ANONYMOUS_RESULTS = 3

# Refusal codes of `answer_refusal`.
ANSWERED, NOT_OPEN, CLOSED = "answered", "not_open", "closed"
# Problem codes of `check_answers`.
MISSING, NOT_A_SCORE, TOO_LONG = "missing", "not_a_score", "too_long"


def survey_window(*, event_ends_at: dt.datetime, days_open: int) -> tuple[dt.datetime, dt.datetime]:
    """A session's survey opens when the event ends and stays open `days_open` days."""
    return event_ends_at, event_ends_at + dt.timedelta(days=days_open)


def cohort_month(day: dt.date) -> dt.date:
    """Course completions are surveyed per calendar month: the month's first day names it."""
    return day.replace(day=1)


def cohort_window(*, month: dt.date, days_open: int, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """The survey of a month's course completions opens on the month's first day and closes
    `days_open` days after the month ends (someone completing on the last day still has them)."""
    first = dt.datetime.combine(month, dt.time(), tzinfo=tz)
    next_month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, dt.datetime.combine(next_month, dt.time(), tzinfo=tz) + dt.timedelta(days=days_open)


def personal_deadline(*, survey_closes_at: dt.datetime, invited_at: dt.datetime, days_open: int) -> dt.datetime:
    """Each person has `days_open` days from their invitation, never past the survey's close."""
    return min(survey_closes_at, invited_at + dt.timedelta(days=days_open))


def answer_refusal(
    *,
    now: dt.datetime,
    opens_at: dt.datetime,
    survey_closes_at: dt.datetime,
    invitation_closes_at: dt.datetime,
    answered: bool,
) -> str | None:
    """Why an invited person may not answer now (ANSWERED, NOT_OPEN, CLOSED), or None: one
    response per person per event, only between the survey's opening and the earlier of the
    survey's close and the person's own deadline."""
    if answered:
        return ANSWERED
    if now < opens_at:
        return NOT_OPEN
    if now >= min(survey_closes_at, invitation_closes_at):
        return CLOSED
    return None


@dataclass(frozen=True)
class ItemSpec:
    id: int
    kind: str  # "likert" or "text"
    required: bool


@dataclass(frozen=True)
class CheckedAnswers:
    """`values`: item id → (score or None, text) for the items answered; `problems`: item id →
    problem code (MISSING, NOT_A_SCORE, TOO_LONG)."""

    values: dict[int, tuple[int | None, str]]
    problems: dict[int, str]


def check_answers(items: Sequence[ItemSpec], posted: Mapping[int, str]) -> CheckedAnswers:
    """Validate posted raw values per item: a Likert item takes "1".."5", a text item at most
    MAX_TEXT_LENGTH characters; a required item must be answered; blank optional items are left
    out. Values for unknown items are ignored."""
    values: dict[int, tuple[int | None, str]] = {}
    problems: dict[int, str] = {}
    for item in items:
        raw = (posted.get(item.id) or "").strip()
        if not raw:
            if item.required:
                problems[item.id] = MISSING
            continue
        if item.kind == "likert":
            if raw not in {str(s) for s in LIKERT_SCORES}:
                problems[item.id] = NOT_A_SCORE
                continue
            values[item.id] = (int(raw), "")
        else:
            if len(raw) > MAX_TEXT_LENGTH:
                problems[item.id] = TOO_LONG
                continue
            values[item.id] = (None, raw)
    return CheckedAnswers(values=values, problems=problems)


def response_rate(*, invited: int, responses: int) -> float:
    """Responses per invitation in percent (0-100, one decimal); 0.0 with nobody invited."""
    if invited <= 0:
        return 0.0
    return round(min(responses, invited) * 100 / invited, 1)


def likert_mean(counts: Mapping[int, int]) -> float | None:
    """Mean score (1-5, two decimals) of score → count; None without any score."""
    total = sum(counts.get(s, 0) for s in LIKERT_SCORES)
    if not total:
        return None
    return round(sum(s * counts.get(s, 0) for s in LIKERT_SCORES) / total, 2)


def results_shown(*, anonymous: bool, responses: int) -> bool:
    """Per-question results and free texts of an anonymous survey are shown only from
    MIN_ANONYMOUS_RESULTS responses on; named surveys always show them."""
    return not anonymous or responses >= MIN_ANONYMOUS_RESULTS
