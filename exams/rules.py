"""Pure rules of the question bank: validity of a question, scoring of each Moodle type, answer
normalisation, difficulty bands, Moodle's allowed grades, blueprint coverage and draws.

No ORM, no I/O, no clock. Sources: issue 13 (question types, partial credit, bands, draws) and
Moodle's question engine (`question/type/*/question.php`, `question_bank::fraction_options_full`)
for how each type scores, so imported banks score here as they do in Moodle."""

from __future__ import annotations

import random
import re
import statistics
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from lms.net import ip_in_ranges, network_list

MULTICHOICE = "multichoice"
TRUEFALSE = "truefalse"
SHORTANSWER = "shortanswer"
ESSAY = "essay"
TYPES = (MULTICHOICE, TRUEFALSE, SHORTANSWER, ESSAY)
PARTIAL = "partial"
ALL_OR_NOTHING = "all_or_nothing"

# Sum of positive weights of a partial-credit question must be 100 % within this tolerance.
WEIGHT_TOLERANCE = Decimal("0.01")

# Moodle's question_bank::fraction_options_full(), as percentages (positive side; negatives mirror).
MOODLE_GRADES = tuple(
    Decimal(str(p))
    for p in (
        100,
        90,
        83.33333,
        80,
        75,
        70,
        66.66667,
        60,
        50,
        40,
        33.33333,
        30,
        25,
        20,
        16.66667,
        14.28571,
        12.5,
        11.11111,
        10,
        5,
        0,
    )
)


@dataclass(frozen=True)
class Option:
    text: str
    fraction: Decimal  # percent of the question's mark, -100..100
    feedback: str = ""


@dataclass(frozen=True)
class QuestionContent:
    """What scoring and validation need of a question (a version snapshot's content)."""

    qtype: str
    options: tuple[Option, ...]
    name: str = ""
    stem: str = ""
    single: bool = True
    scoring: str = PARTIAL
    difficulty: int = 3
    default_mark: Decimal = Decimal(1)
    shuffle_options: bool = True

    @classmethod
    def from_mapping(cls, data: Mapping) -> QuestionContent:
        """Build from a snapshot dict (`Question.content()` / `QuestionVersion.content`)."""
        options = tuple(
            Option(
                text=str(o.get("text", "")),
                fraction=_decimal(o.get("fraction", 0)),
                feedback=str(o.get("feedback") or ""),
            )
            for o in data.get("options") or ()
        )
        return cls(
            qtype=data.get("qtype", ""),
            options=options,
            name=data.get("name") or "",
            stem=data.get("stem") or "",
            single=bool(data.get("single", True)),
            scoring=data.get("scoring") or PARTIAL,
            difficulty=int(data.get("difficulty") or 3),
            default_mark=_decimal(data.get("default_mark", 1)),
            shuffle_options=bool(data.get("shuffle_options", True)),
        )


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return Decimal(0)


@dataclass(frozen=True)
class Score:
    """`fraction` is 0..1 of the question's mark; `points` = fraction x mark, rounded to 0.01.
    `needs_marking` means a person must mark it (essay); points are 0 until then."""

    fraction: Decimal
    points: Decimal
    needs_marking: bool = False


# ---------------------------------------------------------------- normalisation and validation


_SPACES = re.compile(r"\s+")


def normalise_answer(text: str) -> str:
    """Fill-in answers match after NFKC (full-width → half-width letters, digits, punctuation and
    the ideographic space), case folding, and trimming/collapsing spaces (issue 13, point 1)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text or "").casefold()).strip()


def question_errors(question: QuestionContent) -> list[str]:
    """Messages (translatable, in the active language when str()-ed) of everything that makes a
    question invalid; empty when it is valid. Source: issue 13 point 1, Moodle's type editors."""
    errors: list = []
    if not question.name.strip():
        errors.append(_("The question has no name."))
    if not question.stem.strip():
        errors.append(_("The question has no text."))
    if question.qtype not in TYPES:
        errors.append(_("Unknown question type “%(type)s”.") % {"type": question.qtype})
        return errors
    if not 1 <= question.difficulty <= 5:
        errors.append(_("Difficulty must be between 1 and 5."))
    if question.default_mark <= 0:
        errors.append(_("The default mark must be positive."))
    fractions = [o.fraction for o in question.options]
    if any(f < -100 or f > 100 for f in fractions):
        errors.append(_("Option weights must lie between -100 % and 100 %."))
    if question.qtype == ESSAY:
        if question.options:
            errors.append(_("A case analysis question has no options."))
        return errors
    if question.qtype == TRUEFALSE:
        if len(fractions) != 2 or sorted(fractions) != [0, 100]:
            errors.append(_("A true/false question needs exactly one correct answer (true or false)."))
        return errors
    if question.qtype == SHORTANSWER:
        if not fractions or max(fractions) != 100:
            errors.append(_("A fill-in question needs at least one accepted answer worth 100 %."))
        if any(not normalise_answer(o.text) for o in question.options):
            errors.append(_("A fill-in answer is empty."))
        return errors
    if len(fractions) < 2:
        errors.append(_("Give at least two options."))
    if any(not o.text.strip() for o in question.options):
        errors.append(_("An option is empty."))
    if question.single:
        if not fractions or max(fractions) != 100:
            errors.append(_("The answer key names no option: one option must be worth 100 %."))
    else:
        positive = sum((f for f in fractions if f > 0), Decimal(0))
        if not any(f > 0 for f in fractions):
            errors.append(_("The answer key names no option: give the correct options a positive weight."))
        elif abs(positive - 100) > WEIGHT_TOLERANCE:
            errors.append(
                _("The positive weights add up to %(sum)s %%; they must add up to 100 %%.")
                % {"sum": format(positive.normalize(), "f")}
            )
    return errors


def nearest_moodle_grade(percent: Decimal) -> Decimal:
    """The grade Moodle accepts nearest to `percent` (Moodle rejects other weights on import)."""
    sign = -1 if percent < 0 else 1
    best = min(MOODLE_GRADES, key=lambda g: abs(g - abs(percent)))
    return best * sign


def is_moodle_grade(percent: Decimal) -> bool:
    return abs(abs(percent) - abs(nearest_moodle_grade(percent))) <= Decimal("0.00001")


def difficulty_band(difficulty: int) -> str:
    """Issue 13 point 1: easy 1-2, medium 3, hard 4-5."""
    if difficulty <= 2:
        return "easy"
    if difficulty == 3:
        return "medium"
    return "hard"


# ---------------------------------------------------------------- scoring


def _indexes(response) -> set[int]:
    if response is None:
        return set()
    if isinstance(response, (int, str)):
        response = [response]
    chosen: set[int] = set()
    for value in response:
        try:
            chosen.add(int(value))
        except (TypeError, ValueError):
            continue
    return chosen


def score_response(question: QuestionContent | Mapping, response, *, mark: Decimal | None = None) -> Score:
    """Score one response to one question version.

    `question`: a `QuestionContent` or a version snapshot dict. `response`, by type:
    multichoice — an option index or a list of indexes (indexes of the stored option order, not
    of a shuffled display order); truefalse — a bool (or "true"/"false"); shortanswer — a str;
    essay — a str (returns `needs_marking`). `mark`: the points the paper gives the question
    (default: its default mark). Never raises on odd responses: they score 0.

    Rules (Moodle's question types): single choice scores the chosen option's weight (negative
    counts as 0); multiple choice with partial credit sums the weights of the chosen options,
    clamped to 0..100 %; all-or-nothing scores 100 % only when exactly the positively weighted
    options are chosen; fill-in scores the best accepted answer that equals the response after
    `normalise_answer`."""
    if not isinstance(question, QuestionContent):
        question = QuestionContent.from_mapping(question)
    mark = question.default_mark if mark is None else Decimal(str(mark))
    fraction = Decimal(0)
    if question.qtype == ESSAY:
        return Score(fraction=Decimal(0), points=Decimal(0), needs_marking=True)
    if question.qtype == TRUEFALSE:
        if isinstance(response, str):
            response = {"true": True, "t": True, "false": False, "f": False}.get(response.strip().lower())
        if isinstance(response, bool) and len(question.options) == 2:
            fraction = question.options[0 if response else 1].fraction / 100
    elif question.qtype == SHORTANSWER:
        given = normalise_answer(response if isinstance(response, str) else "")
        if given:
            matches = [o.fraction for o in question.options if normalise_answer(o.text) == given]
            fraction = max(matches, default=Decimal(0)) / 100
    elif question.qtype == MULTICHOICE:
        chosen = {i for i in _indexes(response) if 0 <= i < len(question.options)}
        if question.single:
            if len(chosen) == 1:
                fraction = question.options[next(iter(chosen))].fraction / 100
        elif question.scoring == ALL_OR_NOTHING:
            correct = {i for i, o in enumerate(question.options) if o.fraction > 0}
            fraction = Decimal(1) if chosen and chosen == correct else Decimal(0)
        else:
            fraction = sum((question.options[i].fraction for i in chosen), Decimal(0)) / 100
    # Below nothing counts as 0; from 99.99 % on (a partial-credit key whose weights sum to 99.99 %,
    # or chosen weights above 100 %) the full mark.
    fraction = max(Decimal(0), fraction)
    if fraction >= Decimal("0.9999"):
        fraction = Decimal(1)
    points = (fraction * mark).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Score(fraction=fraction, points=points)


def candidate_view(content: Mapping, option_order: Sequence[int] | None = None) -> dict:
    """What a candidate may see of a version before results are released: the stem and option
    texts in display order, never weights, feedback, rubric or accepted answers."""
    qtype = content.get("qtype")
    options = content.get("options") or []
    shown: list[dict] = []
    if qtype in (MULTICHOICE, TRUEFALSE):
        order = list(option_order) if option_order else list(range(len(options)))
        shown = [{"index": i, "text": options[i]["text"]} for i in order]
    return {
        "name": content.get("name", ""),
        "qtype": qtype,
        "single": bool(content.get("single", True)),
        "stem": content.get("stem", ""),
        "stem_format": content.get("stem_format", "html"),
        "options": shown,
    }


# ---------------------------------------------------------------- blueprints and draws


@dataclass(frozen=True)
class PoolQuestion:
    """An active question as the draw sees it: its current version and how often it was drawn."""

    question_id: int
    version_id: int
    area_id: int | None
    difficulty: int
    usage: int = 0
    option_count: int = 0
    shuffle: bool = False


@dataclass(frozen=True)
class Cell:
    area_id: int
    band: str
    count: int
    points: Decimal = Decimal(1)


@dataclass(frozen=True)
class Shortage:
    area_id: int
    band: str
    needed: int
    available: int

    @property
    def missing(self) -> int:
        return self.needed - self.available


class PaperItem(NamedTuple):
    """One drawn question of a paper: the version, its points, and the display order of its
    options (indexes into the version's stored options)."""

    question_id: int
    version_id: int
    points: Decimal
    option_order: tuple[int, ...] = ()

    def as_json(self) -> dict:
        return {
            "question_id": self.question_id,
            "version_id": self.version_id,
            "points": str(self.points),
            "option_order": list(self.option_order),
        }


def _eligible(cell: Cell, pool: Sequence[PoolQuestion]) -> list[PoolQuestion]:
    return [q for q in pool if q.area_id == cell.area_id and difficulty_band(q.difficulty) == cell.band]


def blueprint_shortages(cells: Sequence[Cell], pool: Sequence[PoolQuestion]) -> list[Shortage]:
    """Cells that lack active questions (issue 13 point 8); empty when the bank covers the blueprint."""
    shortages = []
    for cell in cells:
        available = len(_eligible(cell, pool))
        if available < cell.count:
            shortages.append(Shortage(cell.area_id, cell.band, cell.count, available))
    return shortages


class BlueprintNotCovered(ValueError):
    def __init__(self, shortages: list[Shortage]):
        super().__init__(shortages)
        self.shortages = shortages


def draw_papers(
    cells: Sequence[Cell], pool: Sequence[PoolQuestion], *, seed: int, count: int, shuffle_options: bool = True
) -> list[tuple[PaperItem, ...]]:
    """Draw `count` papers that meet the blueprint (issue 13 point 9). Deterministic for a given
    seed, cells and pool (in any order: the pool is sorted by version id first).

    For each paper and cell the least-used eligible questions are taken first, ties broken at
    random; usage counts start from `PoolQuestion.usage` and include earlier papers of the same
    batch. A question appears at most once in a paper (cells are disjoint by area and band).
    Options are shuffled where both the blueprint and the question allow it (multiple choice).
    Raises `BlueprintNotCovered` if a cell has too few questions."""
    shortages = blueprint_shortages(cells, pool)
    if shortages:
        raise BlueprintNotCovered(shortages)
    rng = random.Random(seed)  # noqa: S311 - reproducible papers need a seeded generator, not secrecy
    rand = rng.random
    ordered = sorted(pool, key=lambda q: q.version_id)
    # Per cell, buckets of questions by usage; a pick moves a question to the next bucket.
    cell_buckets: list[dict[int, list[PoolQuestion]]] = []
    for cell in cells:
        buckets: dict[int, list[PoolQuestion]] = {}
        for q in _eligible(cell, ordered):
            buckets.setdefault(q.usage, []).append(q)
        cell_buckets.append(buckets)
    papers: list[tuple[PaperItem, ...]] = []
    # Items whose options keep their order are the same in every paper: built once per cell.
    plan = [(cell.count, cell.points, buckets, {}) for cell, buckets in zip(cells, cell_buckets, strict=True)]
    make = tuple.__new__
    for _paper in range(count):
        items: list[PaperItem] = []
        add = items.append
        for wanted, points, buckets, fixed in plan:
            picked: list[tuple[int, PoolQuestion]] = []
            for usage in sorted(buckets):
                bucket = buckets[usage]
                while bucket and len(picked) < wanted:
                    j = int(rand() * len(bucket))
                    bucket[j], bucket[-1] = bucket[-1], bucket[j]
                    picked.append((usage, bucket.pop()))
                if len(picked) == wanted:
                    break
            for usage, q in picked:
                if usage in buckets and not buckets[usage]:
                    del buckets[usage]
                buckets.setdefault(usage + 1, []).append(q)
                n = q.option_count
                if shuffle_options and q.shuffle and n > 1:
                    order = list(range(n))
                    for i in range(n - 1, 0, -1):  # Fisher-Yates on the seeded generator
                        k = int(rand() * (i + 1))
                        order[i], order[k] = order[k], order[i]
                    add(make(PaperItem, (q.question_id, q.version_id, points, tuple(order))))
                else:
                    item = fixed.get(q.version_id)
                    if item is None:
                        item = fixed[q.version_id] = PaperItem(q.question_id, q.version_id, points, tuple(range(n)))
                    add(item)
        papers.append(tuple(items))
    return papers


# ---------------------------------------------------------------- attempts: clock, states, retakes, review
# Sources: issue 14 points 1, 4-7 (one server clock, extra and paused time, caps, grace, sequence
# numbers, idempotent submission, review options by phase); Moodle's quiz review options
# (`mod/quiz/classes/question/display_options.php`: during, immediately after, after close).

IN_PROGRESS = "in_progress"
SUBMITTED = "submitted"  # every question scored automatically
MARKING = "marking"  # submitted, a case-analysis answer awaits a marker
GRADED = "graded"  # submitted and every answer marked
VOIDED = "voided"
OVERDUE = "overdue"  # never stored: an in-progress attempt past its deadline (see `attempt_state`)
FINISHED_STATES = (SUBMITTED, MARKING, GRADED)

# What a candidate may see of a submitted attempt, and when (Moodle's review options).
REVIEW_ITEMS = ("own_answers", "correctness", "key", "feedback", "score")
DURING, AFTER_SUBMIT, AFTER_CLOSE = "during", "after_submit", "after_close"
REVIEW_PHASES = (DURING, AFTER_SUBMIT, AFTER_CLOSE)
# Items that reveal the key or the judgement: never shown before the results are released.
RELEASED_ONLY = frozenset({"correctness", "key", "feedback", "score"})


def attempt_deadline(
    *,
    started_at: datetime,
    duration: timedelta,
    extra: timedelta = timedelta(0),
    paused: timedelta = timedelta(0),
    ends_at: datetime | None = None,
) -> datetime:
    """When an attempt ends (issue 14 point 4): start + duration + extra + paused time, capped by
    `ends_at` (the sitting's end, or an online exam's close) extended by the same extra and
    paused time. All datetimes aware, from the database's clock."""
    deadline = started_at + duration + extra + paused
    if ends_at is not None:
        deadline = min(deadline, ends_at + extra + paused)
    return deadline


def effective_deadline(deadline: datetime, *, paused_at: datetime | None, now: datetime) -> datetime:
    """A paused attempt's deadline moves on with the pause: the stored deadline plus the time
    paused so far."""
    if paused_at is not None and now > paused_at:
        return deadline + (now - paused_at)
    return deadline


def attempt_state(state: str, *, deadline: datetime, paused_at: datetime | None, now: datetime) -> str:
    """The state a person sees: a stored `in_progress` past its deadline is `overdue` until the
    beat job submits it (which it does within a minute, so none stays overdue)."""
    if state == IN_PROGRESS and paused_at is None and now > deadline:
        return OVERDUE
    return state


def remaining_seconds(deadline: datetime, *, paused_at: datetime | None, now: datetime) -> int:
    """Whole seconds left on the server's clock (0 when past); the page counts down from it."""
    left = effective_deadline(deadline, paused_at=paused_at, now=now) - now
    return max(0, int(left.total_seconds()))


class SaveRefused(NamedTuple):
    status: int  # HTTP status the API answers with
    message: str


def save_refusal(
    state: str, *, deadline: datetime, paused_at: datetime | None, now: datetime, grace: timedelta
) -> SaveRefused | None:
    """Why a save is refused, or None (issue 14 point 5): only in-progress, unpaused attempts
    accept saves, until the deadline plus the grace (a setting, 30 s); later: HTTP 409."""
    if state != IN_PROGRESS:
        return SaveRefused(409, str(_("This attempt is closed; the answer was not saved.")))
    if paused_at is not None:
        return SaveRefused(409, str(_("The invigilator has paused this attempt; try again when it resumes.")))
    if now > deadline + grace:
        return SaveRefused(409, str(_("Time is up; answers can no longer be saved.")))
    return None


def save_wins(stored_seq: int | None, incoming_seq: int) -> bool:
    """A save replaces the stored answer only when its sequence number is higher, so a late,
    replayed or reordered request never overwrites a newer answer."""
    return stored_seq is None or incoming_seq > stored_seq


def response_error(content: Mapping, response) -> str | None:
    """Why a response cannot be an answer to this question, or None. `null` clears an answer.
    Multichoice: option indexes that exist (one for a single-answer question); truefalse: a
    bool; fill-in and essay: text up to 20,000 characters."""
    if response is None:
        return None
    qtype = content.get("qtype")
    count = len(content.get("options") or [])
    if qtype == MULTICHOICE:
        values = response if isinstance(response, list) else [response]
        if not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v < count for v in values):
            return str(_("That option does not exist."))
        if content.get("single", True) and len(values) > 1:
            return str(_("Choose one option only."))
        return None
    if qtype == TRUEFALSE:
        return None if isinstance(response, bool) else str(_("Answer true or false."))
    if not isinstance(response, str) or len(response) > 20000:
        return str(_("Answer with text of at most 20,000 characters."))
    return None


def start_refusal(
    *,
    now: datetime,
    opens_at: datetime | None,
    closes_at: datetime | None,
    attempts_allowed: int,
    finished: Sequence[datetime],
    retake_wait: timedelta,
    online: bool,
    checked_in: bool,
) -> str | None:
    """Why a candidate may not start a new attempt, or None (issue 14 point 1): inside the
    window; online, or checked in at the sitting; fewer than `attempts_allowed` (0 = unlimited)
    finished attempts; the waiting period since the last one over. `finished`: end times of
    the candidate's earlier non-void attempts."""
    if opens_at is not None and now < opens_at:
        return str(_("The exam has not opened yet."))
    if closes_at is not None and now >= closes_at:
        return str(_("The exam is closed."))
    if not online and not checked_in:
        return str(_("Check in at the sitting with your ticket first."))
    if attempts_allowed and len(finished) >= attempts_allowed:
        return str(_("You have used every attempt this exam allows."))
    if finished and now < max(finished) + retake_wait:
        return str(_("A retake is possible from %(when)s.")) % {"when": (max(finished) + retake_wait).isoformat()}
    return None


def review_phase(*, submitted: bool, closes_at: datetime | None, now: datetime) -> str:
    """Moodle's review phases: during the attempt, right after it while the exam is open, after
    the exam closes."""
    if not submitted:
        return DURING
    if closes_at is not None and now >= closes_at:
        return AFTER_CLOSE
    return AFTER_SUBMIT


def review_visible(options: Mapping[str, Sequence[str]], *, phase: str, released: bool) -> frozenset[str]:
    """What a candidate may see now: the items the exam's review options give the phase, less
    correctness, key, feedback and score until the results are released (issue 14 point 7)."""
    shown = frozenset(options.get(phase) or ()) & frozenset(REVIEW_ITEMS)
    return shown if released else shown - RELEASED_ONLY


def grade_percent(score: Decimal, max_score: Decimal) -> Decimal:
    """Score as a percentage of the paper's points, to 0.01."""
    if max_score <= 0:
        return Decimal(0)
    return (score * 100 / max_score).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def exam_passed(score: Decimal, max_score: Decimal, pass_mark: Decimal) -> bool:
    """Passed when the percentage reaches the pass mark (a percentage)."""
    return grade_percent(score, max_score) >= pass_mark


def submitted_at(*, now: datetime, deadline: datetime) -> datetime:
    """The finish time of a submission: now, but never after the deadline, so an attempt closed
    by the beat job finishes at its deadline and not when the job ran (issue 14 point 6)."""
    return min(now, deadline)


# ---------------------------------------------------------------- tickets and check-in
# Sources: issue 14 point 2; RELATE's exam tickets and facility IP ranges.

# No look-alikes: no 0/O/Q/D, 1/I/L/J, 2/Z, 5/S, 8/B, U/V.
TICKET_ALPHABET = "34679ACEFGHKMNPRTWXY"
TICKET_LENGTH = 8


def ticket_code(randbelow) -> str:
    """A ticket code of TICKET_LENGTH characters from TICKET_ALPHABET; `randbelow` is
    `secrets.randbelow` (passed in to keep this pure)."""
    return "".join(TICKET_ALPHABET[randbelow(len(TICKET_ALPHABET))] for _ in range(TICKET_LENGTH))


def normalise_ticket(text: str) -> str:
    """What a candidate typed: NFKC, upper case, spaces and dashes dropped."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text or "")).upper()


def address_allowed(address: str, networks: str) -> bool:
    """True when `networks` (CIDR ranges, one a line or comma separated) is empty or holds
    `address`. A malformed address is never allowed; malformed ranges are ignored."""
    ranges = network_list(networks or "")
    return not ranges or ip_in_ranges(address, ranges)


CHECKIN_OPENS_BEFORE = timedelta(minutes=30)


def checkin_refusal(
    *,
    now: datetime,
    starts_at: datetime,
    ends_at: datetime,
    ticket_matches: bool,
    ticket_revoked: bool,
    address_ok: bool,
    cultivation_blocked: bool,
) -> str | None:
    """Why a check-in is refused, or None (issue 14 point 2): the right, unrevoked ticket; from
    30 minutes before the sitting's start until its end; from an allowed address; not for staff
    of an enterprise whose cultivation is suspended or terminated."""
    if not ticket_matches:
        return str(_("That ticket code is not right for this sitting."))
    if ticket_revoked:
        return str(_("This ticket has been revoked; ask the officer for a new one."))
    if now < starts_at - CHECKIN_OPENS_BEFORE or now >= ends_at:
        return str(_("Check-in is only possible during the sitting."))
    if not address_ok:
        return str(_("Check in from a computer of the exam room."))
    if cultivation_blocked:
        return str(_("Your enterprise's cultivation is suspended or terminated; you cannot sit the exam."))
    return None


# ---------------------------------------------------------------- the back office: exams, sittings, ticket batches
# Sources: issue 14 points 1-2 (an exam's settings; sittings in computer rooms with numbered
# seats, never two candidates on one seat; tickets refused to staff of enterprises whose
# cultivation is suspended or terminated).

REVIEW_PHASE_LABELS = {
    DURING: _("During the attempt"),
    AFTER_SUBMIT: _("Right after submitting"),
    AFTER_CLOSE: _("After the exam closes"),
}
REVIEW_ITEM_LABELS = {
    "own_answers": _("Own answers"),
    "correctness": _("Whether each answer is correct"),
    "key": _("Correct answers (the key)"),
    "feedback": _("Feedback"),
    "score": _("Score"),
}


@dataclass(frozen=True)
class ExamDraft:
    """An exam as the back-office form would save it, with what the rules need to know of its
    blueprint (`blueprint_audience` None when none is chosen) and of its use so far (`in_use`:
    tickets or attempts exist; `audience_or_blueprint_changed` against the stored exam;
    `sittings_outside`: descriptions of sittings that would fall outside the new window)."""

    audience: str
    blueprint_audience: str | None
    blueprint_cells: int
    blueprint_points: Decimal
    duration_minutes: int | None
    pass_mark: Decimal | None
    attempts_allowed: int | None
    opens_at: datetime | None
    closes_at: datetime | None
    online: bool
    review_options: Mapping
    in_use: bool = False
    audience_or_blueprint_changed: bool = False
    sittings_outside: Sequence[str] = ()


def points_text(value: Decimal) -> str:
    """Points as people write them: 10, 12.5 (no trailing zeros, no exponent)."""
    return format(Decimal(value or 0).quantize(Decimal("0.01")).normalize(), "f")


def exam_problems(draft: ExamDraft) -> list[tuple[str, str]]:
    """What stops an exam from being saved, as (field, message) pairs (issue 14 point 1): the
    blueprint has cells and belongs to a bank of the exam's audience; the duration is at least a
    minute; the pass mark is a percentage of the paper's total, above 0 and at most 100; the
    window closes after it opens and an online exam has one (it is taken only inside it); the
    review options name known phases and items; audience and blueprint stay as they are once
    tickets or attempts exist; sittings stay inside the window."""
    problems: list[tuple[str, str]] = []
    if draft.blueprint_audience is not None:
        if draft.blueprint_cells < 1:
            problems.append(
                ("blueprint", str(_("This blueprint has no cells yet: add its areas and numbers of questions first.")))
            )
        if draft.blueprint_audience != draft.audience:
            problems.append(("blueprint", str(_("This blueprint draws from a question bank for another audience."))))
    if draft.duration_minutes is not None and draft.duration_minutes < 1:
        problems.append(("duration_minutes", str(_("The exam lasts at least one minute."))))
    if draft.pass_mark is not None and not Decimal(0) < draft.pass_mark <= Decimal(100):
        problems.append(
            (
                "pass_mark",
                str(
                    _(
                        "The pass mark is a percentage of the paper's total (%(total)s points): "
                        "give a number above 0 and at most 100."
                    )
                )
                % {"total": points_text(draft.blueprint_points)},
            )
        )
    if draft.opens_at and draft.closes_at and draft.closes_at <= draft.opens_at:
        problems.append(("closes_at", str(_("The exam must close after it opens."))))
    if draft.online and not (draft.opens_at and draft.closes_at):
        problems.append(
            ("closes_at", str(_("An online exam is taken inside its window: give both its opening and closing time.")))
        )
    options = draft.review_options if isinstance(draft.review_options, Mapping) else None
    if options is None or any(
        phase not in REVIEW_PHASES or not isinstance(items, list | tuple) or not set(items) <= set(REVIEW_ITEMS)
        for phase, items in options.items()
    ):
        problems.append(("review_options", str(_("Unknown review options."))))
    if draft.in_use and draft.audience_or_blueprint_changed:
        problems.append(
            (
                "blueprint",
                str(_("Tickets or attempts of this exam exist: its audience and blueprint can no longer change.")),
            )
        )
    if draft.sittings_outside:
        problems.append(
            (
                "opens_at",
                str(_("These sittings would fall outside the exam's window: %(sittings)s."))
                % {"sittings": "; ".join(draft.sittings_outside)},
            )
        )
    return problems


def sitting_problems(
    *,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    duration_minutes: int,
    opens_at: datetime | None,
    closes_at: datetime | None,
) -> list[tuple[str, str]]:
    """What stops a sitting from being placed, as (field, message) pairs (issue 14 point 2):
    it ends after it starts, starts in the future, is long enough for the exam, and lies inside
    the exam's window (candidates could not start outside it). The room's overlap is checked
    by the training-session rules under a lock."""
    if ends_at <= starts_at:
        return [("ends_at", str(_("The sitting must end after it starts.")))]
    problems: list[tuple[str, str]] = []
    if starts_at < now:
        problems.append(("starts_at", str(_("This time has passed: a sitting starts in the future."))))
    if ends_at - starts_at < timedelta(minutes=duration_minutes):
        problems.append(
            (
                "ends_at",
                str(_("The sitting is shorter than the exam (%(minutes)s minutes): end it later."))
                % {"minutes": duration_minutes},
            )
        )
    if (opens_at and starts_at < opens_at) or (closes_at and ends_at > closes_at):
        problems.append(("starts_at", str(_("The sitting must lie inside the exam's window."))))
    return problems


@dataclass(frozen=True)
class ContactLine:
    """One line of a pasted candidate list: its 1-based number, the text as typed, its kind
    ("email", "mobile" or "invalid") and the normalised value (lower-case e-mail, or the
    mobile number in E.164 form; "" when invalid)."""

    number: int
    text: str
    kind: str
    value: str


EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def contact_lines(text: str) -> list[ContactLine]:
    """The non-blank lines of `text` as e-mail addresses or mainland mobile numbers (as people
    type them: spaces, dashes, +86, full-width characters). Line numbers count blank lines too,
    so they match what the officer sees in the box."""
    from django.core.exceptions import ValidationError

    from trainees.validators import mainland_mobile

    lines = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        typed = unicodedata.normalize("NFKC", raw).strip().strip(",;，；")
        if not typed:
            continue
        if "@" in typed:
            kind, value = ("email", typed.lower()) if EMAIL_RE.match(typed) else ("invalid", "")
        else:
            try:
                kind, value = "mobile", mainland_mobile(typed)
            except ValidationError:
                kind, value = "invalid", ""
        lines.append(ContactLine(number=number, text=typed[:100], kind=kind, value=value))
    return lines


@dataclass(frozen=True)
class Candidate:
    """A person chosen for a sitting: `line` is their line in a pasted list (None when chosen
    from a list), `enterprise` their enterprise's name ("" for customs staff), `audience_ok`
    whether they belong to the exam's audience, `blocked` whether their enterprise's
    cultivation is suspended or terminated."""

    user_id: int
    name: str
    enterprise: str = ""
    line: int | None = None
    audience_ok: bool = True
    blocked: bool = False


@dataclass(frozen=True)
class TicketPlan:
    """What a batch would do: `seats` (user id, seat number) to issue, in seat order; `skipped`
    notes (already holding a ticket, listed twice); `problems` that stop the whole batch (nothing
    is issued while there is one); `seats_left` free seats before the batch."""

    seats: tuple[tuple[int, int], ...]
    skipped: tuple[str, ...]
    problems: tuple[str, ...]
    seats_left: int

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.seats)


def free_seats(capacity: int, taken: Iterable[int]) -> list[int]:
    """The room's seat numbers 1..capacity not taken by a live ticket, in order."""
    occupied = set(taken)
    return [seat for seat in range(1, capacity + 1) if seat not in occupied]


def _who(candidate: Candidate) -> str:
    return f"{candidate.name}（{candidate.enterprise}）" if candidate.enterprise else candidate.name


def ticket_plan(
    *,
    candidates: Sequence[Candidate],
    bad_lines: Sequence[ContactLine] = (),
    unknown_lines: Sequence[ContactLine] = (),
    holders: Mapping[int, int],
    taken: Iterable[int],
    capacity: int,
    audience_label: str,
    ended: bool = False,
) -> TicketPlan:
    """Seats for a batch of candidates at one sitting (issue 14 point 2), all or none.

    Candidates get the free seats in seat-number order, in the order they were chosen; people
    already holding a live ticket (`holders`: user id → seat) and people listed twice are
    skipped and reported. The batch is refused, naming each line or person, when a pasted line
    is neither an e-mail address nor a mobile number (`bad_lines`) or names nobody the officer
    may see (`unknown_lines`), when someone is not in the exam's audience (`audience_label`
    names it), when staff of an enterprise whose cultivation is blocked are among them (grouped
    by enterprise), when the sitting has ended, or when fewer seats are left than needed."""
    problems: list[str] = []
    skipped: list[str] = []
    if ended:
        problems.append(str(_("This sitting has ended: tickets can no longer be issued.")))
    for line in bad_lines:
        problems.append(
            str(_("Line %(n)s: “%(text)s” is neither an e-mail address nor a mainland mobile number."))
            % {"n": line.number, "text": line.text}
        )
    for line in unknown_lines:
        problems.append(
            str(_("Line %(n)s: nobody with “%(text)s” is registered in your district."))
            % {"n": line.number, "text": line.text}
        )
    seen: dict[int, Candidate] = {}
    chosen: list[Candidate] = []
    blocked: dict[str, list[str]] = {}
    for candidate in candidates:
        where = str(_("Line %(n)s: ")) % {"n": candidate.line} if candidate.line else ""
        if candidate.user_id in seen:
            first = seen[candidate.user_id]
            skipped.append(
                where
                + str(_("%(name)s is listed twice (also line %(line)s)."))
                % {"name": candidate.name, "line": first.line or "—"}
            )
            continue
        seen[candidate.user_id] = candidate
        if not candidate.audience_ok:
            problems.append(
                where
                + str(_("%(name)s is not among the exam's candidates (%(audience)s)."))
                % {"name": _who(candidate), "audience": audience_label}
            )
            continue
        if candidate.blocked:
            blocked.setdefault(candidate.enterprise, []).append(candidate.name)
            continue
        if candidate.user_id in holders:
            skipped.append(
                where
                + str(_("%(name)s already has a ticket for this sitting (seat %(seat)s)."))
                % {"name": candidate.name, "seat": holders[candidate.user_id]}
            )
            continue
        chosen.append(candidate)
    for enterprise, names in blocked.items():
        problems.append(
            str(
                _(
                    "The cultivation of %(enterprise)s is suspended or terminated; its staff cannot sit the exam: %(names)s."
                )
            )
            % {"enterprise": enterprise, "names": "、".join(names)}
        )
    seats = free_seats(capacity, taken)
    if len(chosen) > len(seats):
        problems.append(
            str(
                _(
                    "Only %(left)s seats are left in this room and %(wanted)s candidates need one: "
                    "choose fewer candidates or another sitting."
                )
            )
            % {"left": len(seats), "wanted": len(chosen)}
        )
    assigned = () if problems else tuple((c.user_id, seat) for c, seat in zip(chosen, seats, strict=False))
    return TicketPlan(seats=assigned, skipped=tuple(skipped), problems=tuple(problems), seats_left=len(seats))


# ---------------------------------------------------------------- validator qualification
# Source: seed 001 ("field training, situational interview, computer exam"), issue 14 point 9.

INTERVIEWERS_NEEDED = 2
# The structured situational interview's rubric (seed 001): criterion → maximum score.
DEFAULT_INTERVIEW_RUBRIC = {
    "法规理解": 20,
    "现场核查方法": 20,
    "风险判断": 20,
    "沟通与表达": 20,
    "职业操守": 20,
}


class Verdict(NamedTuple):
    passed: bool
    reasons: list[str]


def interview_verdict(
    criteria: Mapping[str, Decimal | int], scores: Sequence[Mapping[str, Decimal | int]], *, pass_mark: Decimal
) -> Verdict:
    """A situational interview passes when two interviewers scored every criterion of the rubric
    within 0..its maximum and the mean of their totals reaches `pass_mark` percent of the
    rubric's maximum. `criteria`: criterion → maximum; `scores`: one mapping per interviewer."""
    if len(scores) < INTERVIEWERS_NEEDED:
        return Verdict(False, [str(_("The situational interview needs scores from two interviewers."))])
    maximum = sum((Decimal(str(m)) for m in criteria.values()), Decimal(0))
    totals = []
    for sheet in scores:
        for name, top in criteria.items():
            value = sheet.get(name)
            if value is None or not Decimal(0) <= Decimal(str(value)) <= Decimal(str(top)):
                return Verdict(False, [str(_("A score for “%(c)s” is missing or out of range.")) % {"c": name}])
        totals.append(sum((Decimal(str(sheet[name])) for name in criteria), Decimal(0)))
    percent = grade_percent(sum(totals, Decimal(0)) / len(totals), maximum)
    if percent < pass_mark:
        return Verdict(
            False,
            [str(_("Situational interview: %(p)s %% (pass mark %(m)s %%).")) % {"p": percent, "m": pass_mark}],
        )
    return Verdict(True, [str(_("Situational interview passed with %(p)s %%.")) % {"p": percent}])


def validator_qualified(*, field_training: bool, interview: Verdict | None, exam_passed: bool) -> Verdict:
    """Qualified when field training is completed, the situational interview passed and the
    computer exam passed; the reasons name each part in words."""
    reasons = [
        str(_("Field training completed.")) if field_training else str(_("Field training is not completed yet.")),
        *(interview.reasons if interview else [str(_("No situational interview recorded yet."))]),
        str(_("Computer exam passed.")) if exam_passed else str(_("The computer exam is not passed yet.")),
    ]
    return Verdict(field_training and bool(interview and interview.passed) and exam_passed, reasons)


# ---------------------------------------------------------------- quiz statistics (issue 14 point 10)
#
# Moodle's quiz statistics, as Moodle defines them (docs.moodle.org/dev/Quiz_statistics_calculations,
# mod/quiz/report/statistics): x = an item's mark in an attempt, T = the attempt's total,
# X = T - x (the rest of the test); variances and covariances are sample ones (n - 1).
# Facility F = 100 (mean x - x_min) / (x_max - x_min); SD = 100 sqrt(V x) / (x_max - x_min);
# discrimination index D = 100 r(x, X); discriminative efficiency DE = 100 C(x, X) / C_max(x, X),
# C_max being the covariance of x and X each sorted ascending; for the test: coefficient of
# internal consistency CIC = 100 P/(P-1) (1 - sum V(x_p) / V(T)) (Cronbach's alpha; KR-20 when
# every item scores 0 or 1), error ratio ER = 100 sqrt(1 - CIC/100), standard error SE = ER/100 × SD(T).

WHICH_ATTEMPTS = ("first", "last", "highest", "all")


@dataclass(frozen=True)
class ItemMark:
    """One question of one attempt: the slot (position on the paper), the question version, the
    mark and the question's maximum, and the response as the option distribution counts it
    (`response_labels`)."""

    slot: int
    version_id: int
    mark: float
    max_mark: float
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class AttemptMarks:
    attempt_id: int
    user_id: int
    number: int
    total: float
    max_total: float
    items: tuple[ItemMark, ...]


def response_labels(content: Mapping, response) -> tuple[str, ...]:
    """The response as the option distribution counts it: multichoice the chosen options'
    stored indexes ("0", "2"), true/false "true"/"false", fill-in the normalised text, case
    analysis "answered"; nothing given: ()."""
    qtype = content.get("qtype")
    if response is None or response == "" or response == []:
        return ()
    if qtype == MULTICHOICE:
        count = len(content.get("options") or [])
        return tuple(str(i) for i in sorted(_indexes(response)) if 0 <= i < count)
    if qtype == TRUEFALSE:
        if isinstance(response, str):
            response = {"true": True, "false": False}.get(response.strip().lower())
        return ("true",) if response is True else ("false",) if response is False else ()
    if qtype == SHORTANSWER:
        text = normalise_answer(response if isinstance(response, str) else "")
        return (text[:100],) if text else ()
    return ("answered",)


def attempts_counted(attempts: Sequence[AttemptMarks], which: str = "first") -> list[AttemptMarks]:
    """Moodle's "calculate statistics from": each person's first attempt (the default), last,
    highest graded (the earliest of equals), or all attempts."""
    if which == "all":
        return list(attempts)
    chosen: dict[int, AttemptMarks] = {}
    for attempt in sorted(attempts, key=lambda a: a.number):
        held = chosen.get(attempt.user_id)
        if (
            held is None
            or which == "last"
            or (which == "highest" and attempt.total / (attempt.max_total or 1) > held.total / (held.max_total or 1))
        ):
            chosen[attempt.user_id] = attempt
    return sorted(chosen.values(), key=lambda a: a.attempt_id)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _cov(a: Sequence[float], b: Sequence[float]) -> float | None:
    """The sample covariance (n - 1), None for fewer than two values."""
    return statistics.covariance(a, b) if len(a) >= 2 else None


def _round(value: float, places: int = 2) -> float:
    return round(value, places)


def item_statistics(marks: Sequence[float], rests: Sequence[float], max_mark: float) -> dict:
    """Facility, SD, discrimination index and discriminative efficiency of one item (all in
    per cent) from its marks and the rest-of-test scores of the same attempts, in order.
    Undefined figures (fewer than two attempts, no variance) are None, as Moodle leaves them
    blank. Shape: {"n", "facility", "sd", "discrimination", "efficiency", "mean"}."""
    n = len(marks)
    result = {"n": n, "mean": None, "facility": None, "sd": None, "discrimination": None, "efficiency": None}
    if not n or max_mark <= 0:
        return result
    mean = _mean(marks)
    result["mean"] = _round(mean, 4)
    result["facility"] = _round(100 * mean / max_mark)
    variance = _cov(marks, marks)
    if variance is None:
        return result
    result["sd"] = _round(100 * variance**0.5 / max_mark)
    covariance = _cov(marks, rests)
    rest_variance = _cov(rests, rests)
    if covariance is not None and variance > 0 and rest_variance and rest_variance > 0:
        result["discrimination"] = _round(100 * covariance / (variance * rest_variance) ** 0.5)
        best = _cov(sorted(marks), sorted(rests))
        if best and best > 0:
            result["efficiency"] = _round(100 * covariance / best)
    return result


def whole_test_statistics(attempts: Sequence[AttemptMarks]) -> dict:
    """The whole test's figures, over attempts scored in per cent of their maximum:
    {"n", "mean", "median", "sd", "cic", "error_ratio", "standard_error"} (per cent; None when
    undefined). CIC uses the slots (positions) of the paper as the test's items, as Moodle does
    for random questions; attempts with another number of slots are left out of it."""
    n = len(attempts)
    out = {"n": n, "mean": None, "median": None, "sd": None, "cic": None, "error_ratio": None, "standard_error": None}
    if not n:
        return out
    percents = [100 * a.total / a.max_total if a.max_total else 0.0 for a in attempts]
    out["mean"] = _round(_mean(percents))
    ordered = sorted(percents)
    middle = n // 2
    out["median"] = _round(ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2)
    variance = _cov(percents, percents)
    if variance is None:
        return out
    out["sd"] = _round(variance**0.5)
    slots = len(attempts[0].items)
    same = [a for a in attempts if len(a.items) == slots and a.max_total]
    if slots < 2 or len(same) < 2:
        return out
    # In per cent of the test's maximum so papers of slightly different maxima add up.
    by_slot = [[100 * a.items[p].mark / a.max_total for a in same] for p in range(slots)]
    totals = [sum(column[i] for column in by_slot) for i in range(len(same))]
    total_variance = _cov(totals, totals)
    if not total_variance:
        return out
    cic = 100 * slots / (slots - 1) * (1 - sum(_cov(c, c) for c in by_slot) / total_variance)
    out["cic"] = _round(cic)
    if cic <= 100 and cic >= 0:
        error_ratio = 100 * (1 - cic / 100) ** 0.5
        out["error_ratio"] = _round(error_ratio)
        out["standard_error"] = _round(error_ratio / 100 * total_variance**0.5)
    return out


def quiz_statistics(attempts: Sequence[AttemptMarks]) -> dict:
    """Moodle's quiz statistics of the attempts counted: {"test": whole_test_statistics, "slots":
    [{"slot", **item_statistics}], "versions": {version_id: {**item_statistics,
    "distribution": {label: count}, "answered": n}}}. Item figures per slot (position on the
    paper) and per question version (the attempts that drew it)."""
    slots: dict[int, tuple[list[float], list[float], float]] = {}
    versions: dict[int, tuple[list[float], list[float], float, dict[str, int]]] = {}
    for attempt in attempts:
        for item in attempt.items:
            rest = attempt.total - item.mark
            marks, rests, _top = slots.setdefault(item.slot, ([], [], item.max_mark))
            marks.append(item.mark)
            rests.append(rest)
            v_marks, v_rests, _vtop, distribution = versions.setdefault(item.version_id, ([], [], item.max_mark, {}))
            v_marks.append(item.mark)
            v_rests.append(rest)
            for label in item.labels or ("",):
                distribution[label] = distribution.get(label, 0) + 1
    return {
        "test": whole_test_statistics(attempts),
        "slots": [{"slot": slot, **item_statistics(m, r, top)} for slot, (m, r, top) in sorted(slots.items())],
        "versions": {
            version_id: {**item_statistics(m, r, top), "distribution": dist}
            for version_id, (m, r, top, dist) in versions.items()
        },
    }


def area_averages(rows: Sequence[tuple[object, float, float]]) -> dict:
    """Average score per criteria area, in per cent: rows of (area, mark, max mark) → {area: %}."""
    sums: dict[object, list[float]] = {}
    for area, mark, top in rows:
        entry = sums.setdefault(area, [0.0, 0.0])
        entry[0] += mark
        entry[1] += top
    return {area: _round(100 * got / top) if top else None for area, (got, top) in sums.items()}
