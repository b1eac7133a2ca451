"""Pure rules of the question bank: validity of a question, scoring of each Moodle type, answer
normalisation, difficulty bands, Moodle's allowed grades, blueprint coverage and draws.

No ORM, no I/O, no clock. Sources: issue 13 (question types, partial credit, bands, draws) and
Moodle's question engine (`question/type/*/question.php`, `question_bank::fraction_options_full`)
for how each type scores, so imported banks score here as they do in Moodle."""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

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
                feedback=str(o.get("feedback", "") or ""),
            )
            for o in data.get("options") or ()
        )
        return cls(
            qtype=data.get("qtype", ""),
            options=options,
            name=data.get("name", "") or "",
            stem=data.get("stem", "") or "",
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


def _clamp(value: Decimal) -> Decimal:
    return max(Decimal(0), min(Decimal(1), value))


def _indexes(response) -> set[int]:
    if response is None or response == "":
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
    fraction = _clamp(fraction)
    # A partial-credit key whose weights sum to 99.99 % still gives full marks for the full answer.
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
    plan = [(cell.count, cell.points, buckets) for cell, buckets in zip(cells, cell_buckets, strict=True)]
    for _paper in range(count):
        items: list[PaperItem] = []
        for wanted, points, buckets in plan:
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
                order = list(range(q.option_count))
                if shuffle_options and q.shuffle:
                    for i in range(len(order) - 1, 0, -1):  # Fisher-Yates on the seeded generator
                        k = int(rand() * (i + 1))
                        order[i], order[k] = order[k], order[i]
                items.append(PaperItem(q.question_id, q.version_id, points, tuple(order)))
        papers.append(tuple(items))
    return papers
