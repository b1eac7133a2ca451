"""Import and export of GIFT and Moodle XML: all or nothing, re-import by name, images as Wagtail images.

Readiness is reached only through `apps.get_model("readiness", ...)`: exams never imports it."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.core.files.images import ImageFile
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.log_actions import log

from lms.bulk import copy_rows

from .. import rules
from ..formats import GIFT, XML, ParsedQuestion, Problem, category_segments, decode, detect_format, gift, moodle_xml
from ..models import (
    Question,
    QuestionBank,
    QuestionVersion,
)
from .versions import content_hash, questions_record_versions, sanitised

DEFAULT_EDITION = "2026-certified"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
AREA_TAG = "area:"
CONTENT_FIELDS = (
    "category",
    "qtype",
    "single",
    "scoring",
    "shuffle_options",
    "stem",
    "stem_format",
    "options",
    "general_feedback",
    "rubric",
    "default_mark",
    "difficulty",
    "regulation_reference",
    "tags",
)


# ---------------------------------------------------------------- import


@dataclass
class ImportReport:
    """What an import did or, with `dry_run`, would do. `errors` non-empty means nothing was stored."""

    format: str = ""
    bank: str = ""
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    bank_created: bool = False
    preview: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return _("%(created)d new, %(changed)d changed (new versions), %(unchanged)d unchanged.") % {
            "created": self.created,
            "changed": self.changed,
            "unchanged": self.unchanged,
        }


def _areas(edition_id: int) -> tuple[dict[str, int], dict[int, str]]:
    CriteriaArea = apps.get_model("readiness", "CriteriaArea")
    lookup: dict[str, int] = {}
    keys: dict[int, str] = {}
    for area in CriteriaArea.objects.filter(edition_id=edition_id):
        keys[area.id] = area.key
        for label in (area.key, area.name_zh, area.name_en):
            if label:
                lookup[label.strip().casefold()] = area.id
    return lookup, keys


def area_lookup(edition_id: int) -> dict[str, int]:
    """{casefolded key, Chinese or English name: criteria area id} of an edition's areas: how a
    category segment or an `area:` tag names an area (imports, bulk moves)."""
    return _areas(edition_id)[0]


def _area_for(parsed: ParsedQuestion, lookup: dict[str, int]) -> tuple[int | None, bool]:
    """The area named by an `area:key` tag, else by the category segment nearest the end that
    names an area (Chinese or English name, or key). Returns (area id, whether a name matched)."""
    for tag in list(parsed.tags):
        if tag.lower().startswith(AREA_TAG):
            parsed.tags.remove(tag)
            area_id = lookup.get(tag[len(AREA_TAG) :].strip().casefold())
            if area_id is not None:
                return area_id, True
    area_id = area_of_category(lookup, parsed.category)
    return area_id, area_id is not None


def area_of_category(lookup: dict[str, int], category: str) -> int | None:
    """The area named by the category segment nearest the end (`area_lookup` names), or None."""
    for segment in reversed(category_segments(category)):
        area_id = lookup.get(segment.strip().casefold())
        if area_id is not None:
            return area_id
    return None


_PLUGINFILE_RE = re.compile(r"@@PLUGINFILE@@/([^\"'\s>)]+)")


def _image_urls(images: dict[str, bytes], *, store: bool, user=None) -> dict[str, str]:
    """Wagtail images for embedded files, reused by content hash so a re-import keeps URLs."""
    Image = get_image_model()
    urls = {}
    for name, data in images.items():
        digest = hashlib.sha1(data).hexdigest()  # noqa: S324 - Wagtail's own file_hash is SHA-1
        existing = Image.objects.filter(file_hash=digest).first()
        if existing is None and store:
            existing = Image(title=name, uploaded_by_user=user if getattr(user, "is_authenticated", False) else None)
            existing.file = ImageFile(io.BytesIO(data), name=name.rsplit("/", 1)[-1])
            existing.file_hash, existing.file_size = digest, len(data)
            existing.save()
        urls[name] = existing.file.url if existing is not None else f"@@PLUGINFILE@@/{name}"
    return urls


def _parsed_content(parsed: ParsedQuestion, area_id: int | None) -> dict:
    return {
        "name": parsed.name,
        "category": parsed.category,
        "criteria_area_id": area_id,
        "qtype": parsed.qtype,
        "single": parsed.single,
        "scoring": parsed.scoring,
        "shuffle_options": parsed.shuffle_options,
        "stem": parsed.stem,
        "stem_format": parsed.stem_format if parsed.stem_format in ("html", "moodle", "markdown", "plain") else "html",
        "options": parsed.options,
        "general_feedback": parsed.general_feedback,
        "rubric": parsed.rubric,
        "default_mark": parsed.default_mark,
        "difficulty": parsed.difficulty,
        "regulation_reference": parsed.regulation_reference,
        "tags": parsed.tags,
    }


def _stored_lengths(parsed: ParsedQuestion) -> list[tuple[str, str, int]]:
    """(field label, value, the column's max_length) of every text of `parsed` that a question
    row keeps in a limited column, so a value the database would refuse is a numbered error in
    the preview, never a failed confirmation."""
    names = {f.name for f in dataclasses.fields(ParsedQuestion)}
    return [
        (str(column.verbose_name), getattr(parsed, column.name), column.max_length)
        for column in Question._meta.concrete_fields
        if isinstance(column, models.CharField)
        and column.name in names
        and isinstance(getattr(parsed, column.name), str)
    ]


def _where(parsed: ParsedQuestion, fmt: str) -> dict:
    if fmt == GIFT:
        return {"line": int(parsed.location or 0), "name": parsed.name}
    return {"index": int(parsed.location or 0), "name": parsed.name}


def bank_import(
    *,
    bank_name: str,
    data: bytes,
    fmt: str | None = None,
    audience: str = QuestionBank.Audience.ENTERPRISE,
    edition_code: str = DEFAULT_EDITION,
    dry_run: bool = False,
    user=None,
) -> ImportReport:
    """Import a GIFT or Moodle XML file into the bank named `bank_name` (created if missing with
    `audience` and the criteria edition `edition_code`). All or nothing: any error (each with
    its GIFT line or XML question index and name, in the active language) leaves the database
    untouched. Re-import matches by name: unchanged → nothing, changed → new version, new →
    added. `dry_run` reports what would happen and stores nothing. Never raises for bad files."""
    report = ImportReport(bank=bank_name, dry_run=dry_run)
    limit = getattr(settings, "EXAMS_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
    if len(data) > limit:
        report.errors.append(
            _("The file is %(size).1f MB; the limit is %(limit).1f MB.")
            % {"size": len(data) / 1048576, "limit": limit / 1048576}
        )
        return report
    try:
        text, problems = decode(data)
    except ValueError as exc:
        report.errors.append(str(exc))
        return report
    report.format = fmt or detect_format(text)
    if report.format not in (GIFT, XML):
        report.errors.append(_("Unknown format “%(format)s”: use gift or xml.") % {"format": report.format})
        return report
    parsed = (gift if report.format == GIFT else moodle_xml).parse(text)
    problems += parsed.problems

    CriteriaEdition = apps.get_model("readiness", "CriteriaEdition")
    bank = QuestionBank.objects.filter(name=bank_name).select_related("criteria_edition").first()
    if bank is None:
        edition = CriteriaEdition.objects.filter(code=edition_code).first()
        if edition is None:
            report.errors.append(_("Unknown criteria edition “%(code)s”.") % {"code": edition_code})
            return report
        if audience not in QuestionBank.Audience.values:
            report.errors.append(_("Unknown audience “%(audience)s”.") % {"audience": audience})
            return report
    else:
        edition = bank.criteria_edition
        if edition_code and edition.code != edition_code:
            report.errors.append(
                _("The bank “%(bank)s” uses the criteria edition %(bank_edition)s, not %(edition)s.")
                % {"bank": bank_name, "bank_edition": edition.code, "edition": edition_code}
            )
            return report
    lookup, _keys = _areas(edition.id)

    prepared: list[tuple[ParsedQuestion, dict]] = []
    seen: set[str] = set()
    seen_idnumbers: set[str] = set()
    for question in parsed.questions:
        where = _where(question, report.format)
        area_id, matched = _area_for(question, lookup)
        if not matched and category_segments(question.category):
            problems.append(
                Problem(
                    _("No criteria area named in the category “%(category)s”: kept as a category, area left empty.")
                    % {"category": question.category},
                    is_error=False,
                    **where,
                )
            )
        content = sanitised(_parsed_content(question, area_id))
        if question.name in seen:
            problems.append(Problem(_("Another question in the file has the same name."), **where))
        seen.add(question.name)
        if question.idnumber:
            if question.idnumber in seen_idnumbers:
                problems.append(Problem(_("Another question in the file has the same ID number."), **where))
            seen_idnumbers.add(question.idnumber)
        for message in rules.question_errors(rules.QuestionContent.from_mapping(content)):
            problems.append(Problem(str(message), **where))
        for label, value, limit in _stored_lengths(question):
            if len(value) > limit:
                problems.append(
                    Problem(
                        _("The %(field)s is longer than %(limit)d characters (%(length)d).")
                        % {"field": label, "limit": limit, "length": len(value)},
                        **where,
                    )
                )
        prepared.append((question, content))

    report.errors = [str(p) for p in problems if p.is_error]
    report.warnings = [str(p) for p in problems if not p.is_error]
    if report.errors:
        return report

    with transaction.atomic():
        # Plain rows, not model instances: a re-import of thousands mostly finds them unchanged.
        columns = [f.attname for f in Question._meta.concrete_fields]
        existing = (
            [SimpleNamespace(**row) for row in Question.objects.select_for_update().filter(bank=bank).values(*columns)]
            if bank is not None
            else []
        )
        matches = _match(prepared, existing, report.format)
        report.errors = [str(p) for p in matches.conflicts]
        if report.errors:
            return report
        if bank is None:
            report.bank_created = True
            bank = QuestionBank(name=bank_name, audience=audience, criteria_edition=edition)
            if not dry_run:
                bank.save()
        new_rows: list[dict] = []
        changed: list[Question] = []
        for (question, content), current in zip(prepared, matches.targets, strict=True):
            if question.images:
                urls = _image_urls(question.images, store=not dry_run, user=user)
                content["stem"] = _PLUGINFILE_RE.sub(
                    lambda m, urls=urls: urls.get(m.group(1), m.group(0)), content["stem"]
                )
            content["default_mark"] = format(Decimal(content["default_mark"]).quantize(Decimal("0.01")), "f")
            if current is None:
                report.created += 1
                action = "new"
                new_rows.append({**content, "idnumber": question.idnumber, "status": question.status})
            elif (
                Question.content_of(current.__dict__) == content
                and current.status == question.status
                and current.idnumber == question.idnumber
            ):
                report.unchanged += 1
                action = "unchanged"
            else:
                report.changed += 1
                action = "changed"
                current = Question(**current.__dict__)
                current.name, current.idnumber, current.status = question.name, question.idnumber, question.status
                for key in CONTENT_FIELDS:
                    setattr(current, key, content[key])
                current.criteria_area_id = content["criteria_area_id"]
                current.default_mark = Decimal(content["default_mark"])
                changed.append(current)
            report.preview.append(
                {"qtype": content["qtype"], "action": action, "idnumber": question.idnumber, **content}
            )
        if not dry_run:
            _update_with_new_versions(changed, user)
            _create_with_first_versions(bank, new_rows, user)
            log(bank, "exams.import", user=user, data={"created": report.created, "changed": report.changed})
    return report


@dataclass
class _Matches:
    targets: list[SimpleNamespace | None]  # the bank's question rows (column values as attributes)
    conflicts: list[Problem]


def _match(prepared: list[tuple[ParsedQuestion, dict]], existing: list[SimpleNamespace], fmt: str) -> _Matches:
    """The bank's question each imported one updates, as Moodle matches them: by ID number when
    the file gives one, else by name. A rename or renumbering that would take the name or ID
    number of another question of the bank is a conflict (nothing is imported)."""
    by_name = {q.name: q for q in existing}
    by_idnumber = {q.idnumber: q for q in existing if q.idnumber}
    targets: list[Question | None] = []
    conflicts: list[Problem] = []
    for question, _content in prepared:
        target = by_idnumber.get(question.idnumber) if question.idnumber else None
        if target is None:
            target = by_name.get(question.name)
            if target is not None and target.idnumber and question.idnumber:
                target = None  # another ID number: another question, as in Moodle
        targets.append(target)
    claimed_names = {id(t): q.name for (q, _c), t in zip(prepared, targets, strict=True) if t is not None}
    claimed_idnumbers = {id(t): q.idnumber for (q, _c), t in zip(prepared, targets, strict=True) if t is not None}
    for (question, _content), target in zip(prepared, targets, strict=True):
        holder = by_name.get(question.name)
        if holder is not None and holder is not target and claimed_names.get(id(holder), holder.name) == question.name:
            conflicts.append(
                Problem(
                    _("Another question of the bank already has this name (ID number “%(idnumber)s”).")
                    % {"idnumber": holder.idnumber},
                    **_where(question, fmt),
                )
            )
        holder = by_idnumber.get(question.idnumber) if question.idnumber else None
        if (
            holder is not None
            and holder is not target
            and claimed_idnumbers.get(id(holder), holder.idnumber) == question.idnumber
        ):
            conflicts.append(
                Problem(
                    _("Another question of the bank (“%(name)s”) already has this ID number.") % {"name": holder.name},
                    **_where(question, fmt),
                )
            )
    return _Matches(targets, conflicts)


def _update_with_new_versions(questions: list[Question], user=None) -> None:
    """Changed questions saved in one bulk update, then a version each where the content changed."""
    if not questions:
        return
    now = timezone.now()
    for question in questions:
        question.updated_at = now
    Question.objects.bulk_update(
        questions, ["name", "idnumber", "status", "criteria_area", "updated_at", *CONTENT_FIELDS], batch_size=500
    )
    questions_record_versions(questions=questions, user=user)


def _version_content(row: dict) -> dict:
    """What `Question.content()` gives for a question saved from `row` (tested to be equal)."""
    return {key: row[key] for key in ("name", "criteria_area_id", *CONTENT_FIELDS)}


_QUESTION_COLUMNS = (
    "id",
    "bank_id",
    "name",
    "idnumber",
    "category",
    "criteria_area_id",
    "qtype",
    "single",
    "scoring",
    "shuffle_options",
    "stem",
    "stem_format",
    "options",
    "general_feedback",
    "rubric",
    "default_mark",
    "difficulty",
    "regulation_reference",
    "tags",
    "status",
    "updated_at",
)
_VERSION_COLUMNS = (
    "question_id",
    "number",
    "content",
    "content_hash",
    "created_at",
    "created_by_id",
    "times_drawn",
    "times_answered",
    "score_sum",
)


def _create_with_first_versions(bank: QuestionBank, rows: list[dict], user=None) -> None:
    """Insert new questions and their version 1 (thousands per import). On PostgreSQL the ids are
    taken from the sequence in one query and both tables are filled with COPY, which skips
    building and binding a statement of 100,000 parameters; elsewhere `bulk_create`."""
    if not rows:
        return
    author_id = user.pk if getattr(user, "is_authenticated", False) else None
    now = timezone.now()
    if connection.vendor != "postgresql":
        questions = Question.objects.bulk_create([Question(bank=bank, **row) for row in rows], batch_size=500)
        QuestionVersion.objects.bulk_create(
            [
                QuestionVersion(
                    question=q,
                    number=1,
                    content=q.content(),
                    content_hash=content_hash(q.content()),
                    created_by_id=author_id,
                )
                for q in questions
            ],
            batch_size=500,
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Question._meta.db_table, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    for pk, row in zip(ids, rows, strict=True):
        row.update(id=pk, bank_id=bank.pk, updated_at=now)
    copy_rows(Question, _QUESTION_COLUMNS, ([row[c] for c in _QUESTION_COLUMNS] for row in rows))
    versions = []
    for row in rows:
        content = _version_content(row)
        versions.append([row["id"], 1, content, content_hash(content), now, author_id, 0, 0, 0])
    copy_rows(QuestionVersion, _VERSION_COLUMNS, versions)


# ---------------------------------------------------------------- export


def _embed_images(html: str) -> tuple[str, dict[str, bytes]]:
    """Rewrite `<img src>` pointing at Wagtail images to `@@PLUGINFILE@@/name` and return the files."""
    if "<img" not in html:
        return html, {}
    Image = get_image_model()
    files: dict[str, bytes] = {}
    media = settings.MEDIA_URL

    def swap(match: re.Match) -> str:
        url = match.group(2)
        if not url.startswith(media):
            return match.group(0)
        image = Image.objects.filter(file=url[len(media) :]).first()
        if image is None:
            return match.group(0)
        name = url.rsplit("/", 1)[-1]
        with image.open_file() as handle:
            files[name] = handle.read()
        return f"{match.group(1)}@@PLUGINFILE@@/{name}{match.group(3)}"

    return re.sub(r"(<img[^>]*\ssrc=[\"'])([^\"']+)([\"'])", swap, html), files


def bank_export(*, bank: QuestionBank, fmt: str) -> tuple[str, list[str]]:
    """The bank as GIFT or Moodle XML text, with warnings (weights rounded to Moodle's grades).
    Every question is exported, retired ones included (their status travels as a tag)."""
    CriteriaArea = apps.get_model("readiness", "CriteriaArea")
    keys = dict(CriteriaArea.objects.filter(edition_id=bank.criteria_edition_id).values_list("id", "key"))
    contents = []
    columns = ("name", "idnumber", "status", "criteria_area_id", *CONTENT_FIELDS)
    for row in Question.objects.filter(bank=bank).order_by("category", "name").values(*columns):
        content = Question.content_of(row)
        content["status"] = row["status"]
        content["idnumber"] = row["idnumber"]
        if row["criteria_area_id"] in keys:
            content["tags"] = [*content["tags"], f"{AREA_TAG}{keys[row['criteria_area_id']]}"]
        contents.append(content)
    if fmt == GIFT:
        return gift.write(contents)
    if fmt == XML:
        return moodle_xml.write(contents, embed_images=_embed_images)
    raise ValueError(_("Unknown format “%(format)s”: use gift or xml.") % {"format": fmt})
