"""Question versions (issue 13 point 2), sanitising, and bulk retire / move."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

import nh3
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..models import (
    Question,
    QuestionVersion,
)

# ---------------------------------------------------------------- versions


def content_hash(content: dict) -> str:
    """SHA-256 hex digest of a content dict (keys sorted), to tell versions apart."""
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def questions_record_versions(*, questions: list[Question], user=None) -> None:
    """`question_record_version` for many saved questions at once, in three queries whatever
    their number: one read of the latest versions, one bulk update (drafts corrected in place),
    one bulk insert. Call inside the transaction that saved the questions."""
    if not questions:
        return
    latest_number = QuestionVersion.objects.filter(question=OuterRef("question")).order_by("-number").values("number")
    latest = {
        v.question_id: v
        for v in QuestionVersion.objects.select_for_update().filter(
            question__in=[q.pk for q in questions], number=Subquery(latest_number[:1])
        )
    }
    author = user if getattr(user, "is_authenticated", False) else None
    corrected, created = [], []
    for question in questions:
        content = question.content()
        digest = content_hash(content)
        current = latest.get(question.pk)
        if current is not None and current.content_hash == digest:
            continue
        if current is not None and question.status == Question.Status.DRAFT and current.times_drawn == 0:
            current.content, current.content_hash = content, digest
            corrected.append(current)
            continue
        created.append(
            QuestionVersion(
                question=question,
                number=(current.number + 1) if current else 1,
                content=content,
                content_hash=digest,
                created_by=author,
            )
        )
    QuestionVersion.objects.bulk_update(corrected, ["content", "content_hash"], batch_size=500)
    QuestionVersion.objects.bulk_create(created, batch_size=500)


def question_record_version(*, question: Question, user=None) -> QuestionVersion:
    """Keep the question's current content as a version (issue 13 point 2). Unchanged content
    returns the latest version; a draft whose latest version was never drawn is corrected in
    place; anything else (active, retired, or already drawn) gets a new version number.
    Call inside the transaction that saved the question."""
    content = question.content()
    digest = content_hash(content)
    latest = question.versions.select_for_update().order_by("-number").first()
    if latest is not None and latest.content_hash == digest:
        return latest
    if latest is not None and question.status == Question.Status.DRAFT and latest.times_drawn == 0:
        latest.content, latest.content_hash = content, digest
        latest.save(update_fields=["content", "content_hash"])
        return latest
    return QuestionVersion.objects.create(
        question=question,
        number=(latest.number + 1) if latest else 1,
        content=content,
        content_hash=digest,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


def question_save(*, question: Question, user=None) -> QuestionVersion:
    """Validate, sanitise and save a question and record its version. Raises ValidationError."""
    _sanitise(question)
    question.full_clean()
    with transaction.atomic():
        question.save()
        return question_record_version(question=question, user=user)


@lru_cache(maxsize=8192)
def clean_html(html: str) -> str:
    """nh3's cleaning, once per distinct text: banks repeat options and feedback ("true",
    "以上都不对", "正确") thousands of times, and an import cleans every one of them."""
    return nh3.clean(html) if html else ""


def sanitised(content: dict) -> dict:
    """HTML stems, options and feedback cleaned (scripts, event handlers and unknown tags
    removed; images kept). Other formats are shown escaped, so they are kept as written."""
    if content.get("stem_format") != "html":
        return content
    return {
        **content,
        "stem": clean_html(content.get("stem") or ""),
        "general_feedback": clean_html(content.get("general_feedback") or ""),
        "options": [
            {**o, "text": clean_html(str(o.get("text", ""))), "feedback": clean_html(str(o.get("feedback", "") or ""))}
            for o in (content.get("options") or [])
        ],
    }


def _sanitise(question: Question) -> None:
    for key, value in sanitised(question.content()).items():
        if key in ("stem", "general_feedback", "options"):
            setattr(question, key, value)


def questions_retire(*, question_ids: list[int], user=None) -> int:
    """Bulk retire: retired questions are never drawn again; their versions stay for attempts."""
    with transaction.atomic():
        questions = list(Question.objects.select_for_update().filter(id__in=question_ids))
        for question in questions:
            question.status = Question.Status.RETIRED
            question.save(update_fields=["status", "updated_at"])
            log(question, "exams.retire", user=user)
    return len(questions)


def questions_move(*, question_ids: list[int], category: str, user=None) -> int:
    """Bulk move to a category path (`top/…`, a slash inside a name written `//`); the category
    is versioned content. As an import does, the category segment nearest the end that names a
    criteria area of the question's bank edition sets the question's area (left as it was when
    none does). Returns how many moved. Raises ValidationError for an empty path or one longer
    than the column (500 characters)."""
    from ..formats import category_segments, normalise_category
    from .interchange import area_lookup, area_of_category

    path = normalise_category(category or "")
    limit = Question._meta.get_field("category").max_length
    if not category_segments(path) or path.strip("/") in ("", "top"):
        raise ValidationError(_("Give the category to move the questions to, for example top/内部控制/单证."))
    if len(path) > limit:
        raise ValidationError(
            _("The category is longer than %(limit)d characters (%(length)d).") % {"limit": limit, "length": len(path)}
        )
    with transaction.atomic():
        questions = list(
            Question.objects.select_for_update(of=("self",))
            .filter(id__in=question_ids)
            .select_related("bank")
            .order_by("pk")
        )
        lookups: dict[int, dict[str, int]] = {}
        for question in questions:
            edition_id = question.bank.criteria_edition_id
            if edition_id not in lookups:
                lookups[edition_id] = area_lookup(edition_id)
            area_id = area_of_category(lookups[edition_id], path) or question.criteria_area_id
            question.category, question.criteria_area_id = path, area_id
            question.save(update_fields=["category", "criteria_area", "updated_at"])
            question_record_version(question=question, user=user)
            log(question, "exams.move", user=user, data={"category": path, "criteria_area": area_id})
    return len(questions)
