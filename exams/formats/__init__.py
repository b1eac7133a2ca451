"""Moodle interchange formats (GIFT and Moodle XML): pure parsers and writers, no ORM.

Parsers turn bytes into `ParsedQuestion`s and `Problem`s; the import service decides what to
store. Writers turn question content dicts (as `Question.content()` gives) into text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.utils.translation import gettext as _

GIFT = "gift"
XML = "xml"

# Tags that carry fields Moodle has no place for (Moodle XML keeps them as question tags).
TAG_DIFFICULTY = "difficulty:"
TAG_STATUS = "status:"
TAG_REGULATION = "regulation:"
TAG_SCORING = "scoring:"
STATUSES = ("draft", "active", "retired")


@dataclass
class ParsedQuestion:
    """One question read from a file, with the fields of `Question.content()` (minus the area),
    its Moodle ID number and status."""

    name: str
    qtype: str
    stem: str
    idnumber: str = ""
    category: str = "top"
    stem_format: str = "html"
    options: list[dict] = field(default_factory=list)
    single: bool = True
    scoring: str = "partial"
    shuffle_options: bool = True
    general_feedback: str = ""
    rubric: str = ""
    default_mark: str = "1"
    difficulty: int = 3
    regulation_reference: str = ""
    tags: list[str] = field(default_factory=list)
    status: str = "active"
    location: str = ""
    images: dict[str, bytes] = field(default_factory=dict)

    def apply_tags(self, tags: list[str]) -> None:
        """Split Moodle tags into our fields (difficulty, status, regulation, scoring) and plain tags."""
        plain = []
        for tag in tags:
            tag = tag.strip()
            lowered = tag.lower()
            if lowered.startswith(TAG_DIFFICULTY) and tag[len(TAG_DIFFICULTY) :].strip().isdigit():
                self.difficulty = int(tag[len(TAG_DIFFICULTY) :].strip())
            elif lowered.startswith(TAG_STATUS) and lowered[len(TAG_STATUS) :].strip() in STATUSES:
                self.status = lowered[len(TAG_STATUS) :].strip()
            elif lowered.startswith(TAG_REGULATION):
                self.regulation_reference = tag[len(TAG_REGULATION) :].strip()
            elif lowered.startswith(TAG_SCORING) and lowered[len(TAG_SCORING) :].strip() in (
                "partial",
                "all_or_nothing",
            ):
                self.scoring = lowered[len(TAG_SCORING) :].strip()
            elif tag and tag not in plain:
                plain.append(tag)
        self.tags = plain


def field_tags(content: dict) -> list[str]:
    """The tags a writer emits for a question: plain tags, then the carried fields."""
    tags = list(content.get("tags") or [])
    tags.append(f"{TAG_DIFFICULTY}{content.get('difficulty', 3)}")
    tags.append(f"{TAG_STATUS}{content.get('status', 'active')}")
    if content.get("regulation_reference"):
        tags.append(f"{TAG_REGULATION}{content['regulation_reference']}")
    if content.get("qtype") == "multichoice" and not content.get("single", True):
        tags.append(f"{TAG_SCORING}{content.get('scoring', 'partial')}")
    return tags


@lru_cache(maxsize=1024)
def _moodle_grade(fraction: str) -> tuple[Decimal, Decimal | None]:
    """(the weight, Moodle's nearest grade when the weight is not one); banks use few weights."""
    from .. import rules

    value = Decimal(fraction)
    return value, (None if rules.is_moodle_grade(value) else rules.nearest_moodle_grade(value))


def moodle_weight(fraction, name: str, warnings: list[str]) -> Decimal:
    """A weight as Moodle accepts it: rounded to Moodle's nearest grade, with a warning."""
    value, nearest = _moodle_grade(str(fraction))
    if nearest is not None:
        warnings.append(
            _("“%(name)s”: weight %(weight)s %% is not a Moodle grade; exported as %(nearest)s %%.")
            % {"name": name, "weight": value.normalize(), "nearest": nearest.normalize()}
        )
        value = nearest
    return value


@dataclass
class Problem:
    """An error (nothing is imported) or a warning, with where it is in the file."""

    message: str
    line: int | None = None
    index: int | None = None
    name: str = ""
    is_error: bool = True

    def __str__(self) -> str:
        if self.line is not None:
            where = _("Line %(line)d") % {"line": self.line}
        elif self.index is not None:
            where = _("Question %(index)d") % {"index": self.index}
        else:
            where = ""
        if self.name:
            where = f"{where} “{self.name}”" if where else f"“{self.name}”"
        return f"{where}: {self.message}" if where else self.message


@dataclass
class ParseResult:
    questions: list[ParsedQuestion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def decode(data: bytes) -> tuple[str, list[Problem]]:
    """UTF-8 (with or without BOM); otherwise GB18030/GBK, as Chinese Windows saves files, with
    a warning. Raises `ValueError` with a message when neither decodes, or when the text holds
    a NUL character (no database text column can store one), naming its line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    problems = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise ValueError(_("The file is neither UTF-8 nor GBK text: save it as UTF-8 and try again.")) from exc
        problems.append(Problem(_("The file was not UTF-8; it was read as GBK (GB18030)."), is_error=False))
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ValueError(
            _(
                "Line %(line)d holds a NUL character (U+0000), which is not text: delete it or save the file again as UTF-8."
            )
            % {"line": line}
        )
    return text, problems


def detect_format(text: str) -> str:
    """Moodle XML starts with `<?xml` or `<quiz`; anything else is read as GIFT."""
    head = text.lstrip()[:200].lower()
    return XML if head.startswith("<?xml") or head.startswith("<quiz") or head.startswith("<!doctype") else GIFT


_COURSE_PREFIX = re.compile(r"^\$(course|system|module|cat\d*)\$/?")
# Moodle's `split_category_path`: a single slash separates names; `//` is a slash inside a name.
_PATH_SEPARATOR = re.compile(r"(?<!/)/(?!/)")


def split_category_path(path: str) -> list[str]:
    """Category names of a Moodle path, as Moodle's `qformat_default::split_category_path`
    reads them: `top/A//B/C` → `["top", "A/B", "C"]` (names trimmed, empty ones dropped)."""
    names = [name.replace("//", "/").strip() for name in _PATH_SEPARATOR.split(path or "")]
    return [name for name in names if name]


def assemble_category_path(names: list[str]) -> str:
    """The inverse, as Moodle's `assemble_category_path` writes it: a slash inside a name is
    doubled, and a name starting or ending with one is padded with a space so it stays apart."""
    escaped = []
    for name in names:
        name = name.replace("/", "//")
        if name.startswith("/"):
            name = " " + name
        if name.endswith("/"):
            name = name + " "
        escaped.append(name)
    return "/".join(escaped)


def normalise_category(path: str) -> str:
    """Moodle category paths: `$course$/top/A/B` → `top/A/B`; names trimmed; `top` ensured.
    The result is kept in Moodle's escaped form (`top/A//B` is the name "A/B" under top), so it
    is written back to GIFT and Moodle XML exactly as read."""
    names = split_category_path(_COURSE_PREFIX.sub("", (path or "").strip()))
    if not names or names[0] != "top":
        names.insert(0, "top")
    return assemble_category_path(names)


def category_segments(path: str) -> list[str]:
    """The names below `top` of a stored category path, slashes inside names restored."""
    return list(_segments(path))


@lru_cache(maxsize=1024)
def _segments(path: str) -> tuple[str, ...]:
    return tuple(split_category_path(normalise_category(path))[1:])
