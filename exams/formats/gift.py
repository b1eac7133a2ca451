"""Moodle GIFT, read and written as Moodle's own `qformat_gift` does.

Written here rather than taken from PyPI: `pygiftparser` (1.1, 2017) has no line numbers, no
export, no categories and renders HTML instead of returning data. Supported: `$CATEGORY:`
(paths may contain `:`), `::name::`, `[html]`/`[moodle]`/`[markdown]`/`[plain]`, every escape
(`\\~ \\= \\# \\{ \\} \\: \\n \\\\`), `//` comments with Moodle's `[tag:...]`, multi-line questions,
multiple choice with `%weight%` (negative allowed), true/false with feedback, short answer,
essay (`{}`), missing-word questions and general feedback (`####`). Numerical and matching
questions are reported as unsupported types, with their line."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .. import rules
from . import ParsedQuestion, ParseResult, Problem, field_tags, moodle_weight, normalise_category

FORMATS = ("html", "moodle", "markdown", "plain")
_ESCAPES = {"\\\\": "\x01", "\\~": "\x02", "\\=": "\x03", "\\#": "\x04", "\\{": "\x05", "\\}": "\x06", "\\:": "\x07"}
_UNESCAPE = {v: k[1] for k, v in _ESCAPES.items()}
_ESCAPE_RE = re.compile(r"\\[\\~=#{}:n]")
_FORMAT_RE = re.compile(r"^\s*\[(html|moodle|markdown|plain)\]", re.IGNORECASE)
_WEIGHT_RE = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
# Moodle's `extract_idnumber_and_tags_from_comment`: `[id:…]` and `[tag:…]` in `//` comments,
# a `]` inside written `\]`.
_ID_RE = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f])+)\]")
_TAG_RE = re.compile(r"\[tag:((?:\\\]|[^\]\x00-\x1f])+)\]")


def _protect(text: str) -> str:
    def swap(match: re.Match) -> str:
        return "\x08" if match.group(0) == "\\n" else _ESCAPES[match.group(0)]

    return _ESCAPE_RE.sub(swap, text)


def _restore(text: str) -> str:
    for placeholder, char in _UNESCAPE.items():
        text = text.replace(placeholder, char)
    return text.replace("\x08", "\n").strip()


def _blocks(text: str) -> Iterable[tuple[int, list[str], list[str]]]:
    """Questions are separated by blank lines. Yields (first line number, lines, comment lines);
    comment lines are dropped from the question as Moodle does."""
    start, lines, tags = 0, [], []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        stripped = raw.strip()
        if stripped.startswith("//"):
            tags.append(stripped)
            continue
        if not stripped:
            if lines:
                yield start, lines, tags
                lines, tags = [], []
            continue
        if not lines:
            start = number
        lines.append(raw)
    if lines:
        yield start, lines, tags


def parse(text: str) -> ParseResult:
    """Parse GIFT text. Every problem carries the line where its question starts (or where an
    answer block opens); nothing is guessed silently."""
    result = ParseResult()
    category = "top"
    for start, lines, comments in _blocks(text):
        if lines[0].strip().startswith("$CATEGORY:"):
            category = normalise_category(lines[0].strip()[len("$CATEGORY:") :])
            lines = lines[1:]
            start += 1
            if not lines:
                continue
        question = _parse_question(start, "\n".join(lines), category, result)
        if question is not None:
            comment = "\n".join(comments)
            if match := _ID_RE.search(comment):
                question.idnumber = match.group(1).replace("\\]", "]").strip()
            question.apply_tags([t.replace("\\]", "]") for t in _TAG_RE.findall(comment)])
            result.questions.append(question)
    return result


def _line_of(start: int, text: str, position: int) -> int:
    return start + text.count("\n", 0, position)


def _parse_question(start: int, source: str, category: str, result: ParseResult) -> ParsedQuestion | None:
    text = _protect(source.strip())
    name = ""
    body_offset = 0
    if text.startswith("::"):
        end = text.find("::", 2)
        if end == -1:
            result.problems.append(Problem(_("The question name is not closed with “::”."), line=start))
            return None
        name = _restore(text[2:end])
        body_offset = end + 2
    opening = text.find("{", body_offset)
    if opening == -1:
        result.problems.append(
            Problem(_("No answer block “{…}”: descriptions are not supported."), line=start, name=name)
        )
        return None
    closing = text.rfind("}")
    if closing < opening:
        result.problems.append(
            Problem(
                _("The answer block opened here is not closed with “}”."),
                line=_line_of(start, text, opening),
                name=name,
            )
        )
        return None
    stem_text = text[body_offset:opening]
    stem_format = "moodle"
    if match := _FORMAT_RE.match(stem_text):
        stem_format = match.group(1).lower()
        stem_text = stem_text[match.end() :]
    after = text[closing + 1 :].strip()
    stem = _restore(stem_text)
    if after:
        stem = f"{stem} _____ {_restore(after)}"
    if not name:
        name = re.sub(r"\s+", " ", stem)[:40].strip()
    answer = text[opening + 1 : closing]
    question = ParsedQuestion(
        name=name,
        qtype="",
        stem=stem,
        category=category,
        stem_format=stem_format,
        location=str(start),
    )
    if "####" in answer:
        answer, general = answer.split("####", 1)
        question.general_feedback = _strip_format(_restore(general))
    answer = answer.strip()
    problem = _answers(answer, question)
    if problem:
        result.problems.append(Problem(problem, line=_line_of(start, text, opening), name=name))
        return None
    return question


def _strip_format(text: str) -> str:
    match = _FORMAT_RE.match(text)
    return text[match.end() :].strip() if match else text


def _split_feedback(text: str) -> tuple[str, str]:
    if "#" in text:
        value, feedback = text.split("#", 1)
        return _strip_format(_restore(value)), _strip_format(_restore(feedback))
    return _strip_format(_restore(text)), ""


def _answers(answer: str, question: ParsedQuestion) -> str | None:
    """Fill the question's type and options from its answer block; a message when unsupported."""
    bare = answer.split("#", 1)[0].strip().upper()
    if answer == "":
        question.qtype = rules.ESSAY
        return None
    if answer.startswith("#"):
        return _("Numerical questions are not supported (type “numerical”).")
    if "~" in answer:
        question.qtype = rules.MULTICHOICE
        question.single = "=" in answer
        return _choices(answer, question, default_right=Decimal(100))
    if "=" in answer and "->" in answer:
        return _("Matching questions are not supported (type “matching”).")
    if bare in ("T", "TRUE", "F", "FALSE"):
        question.qtype = rules.TRUEFALSE
        parts = [_strip_format(_restore(p)) for p in answer.split("#", 2)[1:]]
        wrong, right = (parts + ["", ""])[:2]
        truth = bare in ("T", "TRUE")
        question.options = [
            {"text": "true", "fraction": "100" if truth else "0", "feedback": right if truth else wrong},
            {"text": "false", "fraction": "0" if truth else "100", "feedback": wrong if truth else right},
        ]
        return None
    if answer.startswith("="):
        question.qtype = rules.SHORTANSWER
        return _choices(answer, question, default_right=Decimal(100))
    return _("The answer block is not understood: start answers with “=” or “~”.")


def _choices(answer: str, question: ParsedQuestion, *, default_right: Decimal) -> str | None:
    pieces = re.split(r"([~=])", answer)
    if pieces[0].strip():
        return _("Text before the first answer: start each answer with “=” or “~”.")
    options = []
    for marker, body in zip(pieces[1::2], pieces[2::2], strict=True):
        fraction = default_right if marker == "=" else Decimal(0)
        if match := _WEIGHT_RE.match(body):
            try:
                fraction = Decimal(match.group(1))
            except InvalidOperation:  # pragma: no cover - the pattern only admits numbers
                return _("Invalid answer weight.")
            body = body[match.end() :]
        elif body.lstrip().startswith("%"):
            return _("Invalid answer weight “%(weight)s”: write it as %%50%% or %%-25%%.") % {
                "weight": body.strip().split()[0]
            }
        text, feedback = _split_feedback(body)
        options.append({"text": text, "fraction": _fraction_text(fraction), "feedback": feedback})
    question.options = options
    return None


def _fraction_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


# ---------------------------------------------------------------- writing


def escape(text: str) -> str:
    """Moodle's GIFT writer escapes these; newlines become `\\n` so a question stays one block."""
    text = (text or "").replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


def _comment_escape(text: str) -> str:
    """`[id:…]` and `[tag:…]` values on one comment line, `]` written `\\]` as Moodle does."""
    return re.sub(r"[\x00-\x1f]+", " ", text).replace("]", "\\]")


def write(questions: Iterable[dict]) -> tuple[str, list[str]]:
    """GIFT text for question contents (dicts with `category`, `status` and the content keys),
    grouped by category, and warnings for weights rounded to Moodle's grades."""
    out: list[str] = []
    warnings: list[str] = []
    category = None
    for content in sorted(questions, key=lambda q: (q.get("category", "top"), q.get("name", ""))):
        if content.get("category", "top") != category:
            category = content.get("category", "top")
            out.append(f"$CATEGORY: $course$/{category}\n")
        lines = [f"// [id:{_comment_escape(content['idnumber'])}]"] if content.get("idnumber") else []
        lines += [f"// [tag:{_comment_escape(tag)}]" for tag in field_tags(content)]
        name = content.get("name", "")
        head = f"::{escape(name)}::[{content.get('stem_format') or 'html'}]{escape(content.get('stem', ''))}"
        lines.append(head + "{")
        qtype = content.get("qtype")
        options = content.get("options") or []
        if qtype == rules.TRUEFALSE:
            truth = Decimal(str(options[0]["fraction"])) == 100
            right = options[0 if truth else 1].get("feedback", "")
            wrong = options[1 if truth else 0].get("feedback", "")
            lines.append(f"{'TRUE' if truth else 'FALSE'}#{escape(wrong)}#{escape(right)}")
        elif qtype in (rules.MULTICHOICE, rules.SHORTANSWER):
            single = qtype == rules.SHORTANSWER or content.get("single", True)
            for option in options:
                value = moodle_weight(option["fraction"], name, warnings)
                if qtype == rules.SHORTANSWER or (single and value == 100):
                    marker = "=" if value == 100 else f"=%{value.normalize():f}%"
                else:
                    marker = "~" if value == 0 else f"~%{value.normalize():f}%"
                feedback = f"#{escape(option['feedback'])}" if option.get("feedback") else ""
                lines.append(f"\t{marker}{escape(option['text'])}{feedback}")
        if content.get("general_feedback"):
            lines.append(f"\t####{escape(content['general_feedback'])}")
        lines.append("}\n")
        out.append("\n".join(lines))
    return "\n".join(out), warnings
