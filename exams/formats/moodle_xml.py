"""Moodle XML (`<quiz>`), read with defusedxml (DTDs, entities and external references are
refused, so XXE and billion-laughs files fail cleanly) and written as escaped text.

Categories (`<question type="category">`, `$course$/top/…` form), names, ID numbers, text formats,
feedback, weights, default marks, `<shuffleanswers>`, `<single>`, tags, essay `<graderinfo>`
(the rubric) and images (`@@PLUGINFILE@@/name` with the embedded base64 `<file>`). Fields Moodle
has no place for (difficulty, status, regulation reference, all-or-nothing scoring) travel as
tags (`difficulty:3`, `status:active`, `regulation:…`, `scoring:…`); the ID number travels in
`<idnumber>`."""

from __future__ import annotations

import base64
import binascii
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.utils.translation import gettext as _

from .. import rules
from . import ParsedQuestion, ParseResult, Problem, field_tags, moodle_weight, normalise_category

SUPPORTED = (rules.MULTICHOICE, rules.TRUEFALSE, rules.SHORTANSWER, rules.ESSAY)
PLUGINFILE = "@@PLUGINFILE@@/"


def _text(element: ET.Element | None, path: str = "text") -> str:
    if element is None:
        return ""
    found = element.find(path)
    return (found.text or "") if found is not None else ""


def _bool(element: ET.Element | None, default: bool) -> bool:
    if element is None or element.text is None:
        return default
    return element.text.strip().lower() in ("1", "true")


def _files(element: ET.Element | None, question: ParsedQuestion, problems: list[Problem], index: int) -> None:
    if element is None:
        return
    for file in element.findall("file"):
        name = file.get("name", "")
        try:
            question.images[name] = base64.b64decode((file.text or "").strip(), validate=True)
        except (binascii.Error, ValueError):
            problems.append(
                Problem(_("The embedded file “%(file)s” is not valid base64.") % {"file": name}, index=index)
            )


def parse(text: str) -> ParseResult:
    """Parse Moodle XML text. Problems name the question's position (1-based, categories not
    counted) and name."""
    result = ParseResult()
    try:
        root = safe_fromstring(text.encode("utf-8"))
    except DefusedXmlException:
        result.problems.append(
            Problem(
                _("The XML file declares entities or a DTD, which are refused for safety. Export it again from Moodle.")
            )
        )
        return result
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        result.problems.append(
            Problem(
                _(
                    "The XML file is not well-formed near line %(line)d, column %(column)d: check that every tag is closed and the file is complete."
                )
                % {"line": line, "column": column}
            )
        )
        return result
    if root.tag != "quiz":
        result.problems.append(Problem(_("This is not a Moodle XML question file (its root is not <quiz>).")))
        return result
    category = "top"
    index = 0
    for element in root.findall("question"):
        qtype = element.get("type", "")
        if qtype == "category":
            category = normalise_category(_text(element.find("category")))
            continue
        index += 1
        name = _text(element.find("name")).strip()
        if qtype not in SUPPORTED:
            result.problems.append(
                Problem(_("Question type “%(type)s” is not supported.") % {"type": qtype}, index=index, name=name)
            )
            continue
        stem_element = element.find("questiontext")
        question = ParsedQuestion(
            name=name,
            qtype=qtype,
            stem=_text(stem_element),
            category=category,
            stem_format=(stem_element.get("format") if stem_element is not None else None) or "html",
            general_feedback=_text(element.find("generalfeedback")),
            idnumber=(element.findtext("idnumber") or "").strip(),
            location=str(index),
        )
        _files(stem_element, question, result.problems, index)
        grade = (element.findtext("defaultgrade") or "1").strip()
        try:
            question.default_mark = format(Decimal(grade).quantize(Decimal("0.01")).normalize(), "f")
        except ArithmeticError:
            result.problems.append(
                Problem(_("Invalid default mark “%(mark)s”.") % {"mark": grade}, index=index, name=name)
            )
            continue
        question.shuffle_options = _bool(element.find("shuffleanswers"), True)
        question.single = _bool(element.find("single"), True) if qtype == rules.MULTICHOICE else True
        if qtype == rules.ESSAY:
            question.rubric = _text(element.find("graderinfo"))
        options = []
        bad_weight = False
        for answer in element.findall("answer"):
            try:
                fraction = Decimal((answer.get("fraction") or "0").strip())
            except ArithmeticError:
                bad_weight = True
                break
            options.append(
                {
                    "text": _text(answer),
                    "fraction": format(fraction.normalize(), "f"),
                    "feedback": _text(answer.find("feedback")),
                }
            )
        if bad_weight:
            result.problems.append(Problem(_("An answer has an invalid weight."), index=index, name=name))
            continue
        if qtype == rules.TRUEFALSE:
            by_text = {o["text"].strip().lower(): o for o in options}
            if set(by_text) != {"true", "false"}:
                result.problems.append(
                    Problem(_("A true/false question needs the answers “true” and “false”."), index=index, name=name)
                )
                continue
            options = [{**by_text["true"], "text": "true"}, {**by_text["false"], "text": "false"}]
        question.options = options
        tags = [t.findtext("text") or "" for t in element.findall("tags/tag")]
        question.apply_tags(tags)
        result.questions.append(question)
    return result


def _e(text: str) -> str:
    return escape(text or "")


def _text_block(tag: str, value: str, depth: int, fmt: str | None = None, inner: str = "") -> str:
    """`<tag format="…"><text>value</text>…</tag>`, indented as Moodle and ElementTree do."""
    pad = "  " * depth
    attributes = f" format={quoteattr(fmt)}" if fmt else ""
    return f"{pad}<{tag}{attributes}>\n{pad}  <text>{_e(value)}</text>\n{inner}{pad}</{tag}>\n"


def _element(tag: str, value: str, depth: int) -> str:
    return f"{'  ' * depth}<{tag}>{_e(value)}</{tag}>\n"


def write(
    questions: Iterable[dict], *, embed_images: Callable[[str], tuple[str, dict[str, bytes]]] | None = None
) -> tuple[str, list[str]]:
    """Moodle XML for question contents (dicts as `Question.content()` plus `status` and
    `idnumber`), grouped by category. `embed_images(html)` may rewrite image URLs to
    `@@PLUGINFILE@@/name` and return the files to embed. Returns the text and warnings for
    weights rounded to Moodle's grades. Written as text (escaped here): building an element tree
    of a 5,000-question bank and serialising it took most of the export's time."""
    warnings: list[str] = []
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n']
    write_ = out.append
    category = None
    for content in sorted(questions, key=lambda q: (q.get("category", "top"), q.get("name", ""))):
        if content.get("category", "top") != category:
            category = content.get("category", "top")
            write_('  <question type="category">\n')
            write_(_text_block("category", f"$course$/{category}", 2))
            write_("  </question>\n")
        qtype = content["qtype"]
        name = content.get("name", "")
        write_(f"  <question type={quoteattr(qtype)}>\n")
        write_(_text_block("name", name, 2))
        stem, files = (content.get("stem", ""), {})
        if embed_images is not None:
            stem, files = embed_images(stem)
        embedded = "".join(
            f'      <file name={quoteattr(file_name)} path="/" encoding="base64">'
            f"{base64.b64encode(data).decode('ascii')}</file>\n"
            for file_name, data in files.items()
        )
        write_(_text_block("questiontext", stem, 2, content.get("stem_format") or "html", embedded))
        write_(_text_block("generalfeedback", content.get("general_feedback", ""), 2, "html"))
        write_(_element("defaultgrade", format(Decimal(str(content.get("default_mark", 1))), "f"), 2))
        write_("    <penalty>0</penalty>\n    <hidden>0</hidden>\n")
        write_(_element("idnumber", content.get("idnumber") or "", 2))
        if qtype == rules.MULTICHOICE:
            write_(_element("single", "true" if content.get("single", True) else "false", 2))
            write_(_element("shuffleanswers", "true" if content.get("shuffle_options", True) else "false", 2))
            write_("    <answernumbering>abc</answernumbering>\n")
        elif qtype == rules.SHORTANSWER:
            write_("    <usecase>0</usecase>\n")
        elif qtype == rules.ESSAY:
            write_("    <responseformat>editor</responseformat>\n    <responserequired>1</responserequired>\n")
            write_("    <responsefieldlines>15</responsefieldlines>\n")
            write_(_text_block("graderinfo", content.get("rubric", ""), 2, "html"))
            write_(_text_block("responsetemplate", "", 2, "html"))
        for option in content.get("options") or []:
            value = moodle_weight(option["fraction"], name, warnings)
            write_(f'    <answer fraction="{value.normalize():f}" format="html">\n')
            write_(_element("text", option.get("text", ""), 3))
            write_(_text_block("feedback", option.get("feedback", ""), 3, "html"))
            write_("    </answer>\n")
        write_("    <tags>\n")
        for tag in field_tags(content):
            write_(_text_block("tag", tag, 3))
        write_("    </tags>\n  </question>\n")
    out.append("</quiz>\n")
    return "".join(out), warnings
