"""Use cases of consultations: ask, reply, follow up, hand over, close, rate, publish as an FAQ
entry, and flag questions past their answer time. Each runs in one transaction, locks the
consultation, checks the pure rules of `rules.py` and the access of `trainees.access`, records
the step in the audit log (Wagtail's log, as exams and training bases do) and tells the people
concerned through the shared notices (docs/notices.md).

Errors a person can cause are ValidationErrors with a message; steps a person may not take
raise PermissionDenied."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Locale, Page

from notices.models import Notice
from notices.services import notices_create
from readiness.services import evidence_type
from trainees import access
from trainees.models import CustomsUnit, User

from . import rules, selectors
from .models import Consultation, ConsultationFollower, ConsultationMessage, FaqIndexPage, FaqPage

Side = ConsultationFollower.Side


# --- Helpers ---------------------------------------------------------------------------------------


def _lock(consultation_id: int) -> Consultation:
    return (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("customs_unit", "enterprise")
        .get(pk=consultation_id)
    )


def _check(step: str, consultation: Consultation) -> None:
    message = rules.refusal(step, consultation.state())
    if message:
        raise ValidationError(message, code=step)


def _clean_body(body: str, *, required: bool = True) -> str:
    body = (body or "").strip()
    if required and not body:
        raise ValidationError(_("Write your message."), code="body")
    if len(body) > 5000:
        raise ValidationError(_("A message has at most 5,000 characters."), code="body")
    return body


def _add_message(
    consultation: Consultation, *, kind: str, author: User, body: str, upload: UploadedFile | None, now: dt.datetime
) -> ConsultationMessage:
    message = ConsultationMessage(consultation=consultation, kind=kind, author=author, body=body, created_at=now)
    if upload is not None:
        # The same rules and private storage as readiness evidence (content sniffed, not named).
        message.attachment_type = evidence_type(upload)
        message.attachment_name = (upload.name or "attachment").replace("\\", "/").rsplit("/", 1)[-1][:200]
        message.attachment_size = upload.size
        message.attachment = upload
    message.save()
    return message


def _audit(consultation: Consultation, action: str, actor: User | None, **data) -> None:
    log(instance=consultation, action=f"consultations.{action}", user=actor, data=data or None)


def _tell(consultation: Consultation, people: list[User], *, side: str) -> None:
    """Make `people` followers of the consultation and send each of them a notice about it."""
    people = list({p.pk: p for p in people if p is not None}.values())
    if not people:
        return
    ConsultationFollower.objects.bulk_create(
        [ConsultationFollower(consultation=consultation, user=p, side=side) for p in people], ignore_conflicts=True
    )
    followers = ConsultationFollower.objects.filter(consultation=consultation, user__in=people)
    notices_create(instances=list(followers), kind=Notice.Kind.CHANGE)


def _tell_enterprise(consultation: Consultation) -> None:
    _tell(consultation, [consultation.asked_by], side=Side.ENTERPRISE)


def _tell_customs(consultation: Consultation) -> None:
    _tell(consultation, selectors.routed_coordinators(consultation=consultation), side=Side.CUSTOMS)


def _require_coordinator(user: User, consultation: Consultation) -> None:
    if not access.may_coordinate_consultation(user, consultation):
        raise PermissionDenied(_("Only a coordinator of this customs district can do this."))


def _require_enterprise(user: User, consultation: Consultation) -> None:
    if not access.is_consultation_enterprise(user, consultation):
        raise PermissionDenied(_("Only the enterprise that asked can do this."))


# --- Enterprise ------------------------------------------------------------------------------------


def consultation_ask(
    *,
    user: User,
    district: CustomsUnit,
    topic: str,
    subject: str,
    body: str,
    criteria_area=None,
    upload: UploadedFile | None = None,
    now: dt.datetime | None = None,
) -> Consultation:
    """An enterprise person asks `district` a question (with at most one attachment). The answer
    is due after the district's answer time; its coordinators are told.

    Raises PermissionDenied when the person is no enterprise staff or the district is not theirs
    (the view answers 404 before), ValidationError on an empty text, a criteria topic without an
    area or a refused attachment."""
    now = now or timezone.now()
    if (
        not access.may_ask_consultation(user)
        or not access.consultation_districts_for(user).filter(pk=district.pk).exists()
    ):
        raise PermissionDenied(_("You can only ask your own customs district."))
    subject = (subject or "").strip()[:200]
    if not subject:
        raise ValidationError(_("Give your question a subject."), code="subject")
    if topic not in Consultation.Topic.values:
        raise ValidationError(_("Choose a topic."), code="topic")
    if topic == Consultation.Topic.CRITERIA_AREA and criteria_area is None:
        raise ValidationError(_("Choose the criteria area your question is about."), code="criteria_area")
    if topic != Consultation.Topic.CRITERIA_AREA:
        criteria_area = None
    body = _clean_body(body)
    hours = selectors.target_hours_for(unit=district)
    due = rules.due_at(since=now, hours=hours)
    with transaction.atomic():
        consultation = Consultation.objects.create(
            enterprise_id=user.enterprise_id,
            asked_by=user,
            customs_unit=district,
            topic=topic,
            criteria_area=criteria_area,
            subject=subject,
            status=rules.OPEN,
            target_hours=hours,
            asked_at=now,
            first_due_at=due,
            due_at=due,
            last_event="asked",
        )
        _add_message(
            consultation, kind=ConsultationMessage.Kind.QUESTION, author=user, body=body, upload=upload, now=now
        )
        _audit(consultation, "ask", user, district=district.code, due_at=due.isoformat())
        ConsultationFollower.objects.create(consultation=consultation, user=user, side=Side.ENTERPRISE)
        _tell_customs(consultation)
    return consultation


def consultation_follow_up(
    *, consultation_id: int, user: User, body: str, upload: UploadedFile | None = None, now: dt.datetime | None = None
) -> Consultation:
    """The enterprise adds to its question: the thread awaits an answer again, due after the
    district's answer time. Refused on a closed thread."""
    now = now or timezone.now()
    body = _clean_body(body)
    with transaction.atomic():
        consultation = _lock(consultation_id)
        _require_enterprise(user, consultation)
        _check(rules.FOLLOW_UP, consultation)
        _add_message(
            consultation, kind=ConsultationMessage.Kind.FOLLOW_UP, author=user, body=body, upload=upload, now=now
        )
        consultation.status = rules.next_status(rules.FOLLOW_UP, consultation.status)
        consultation.due_at = rules.due_at(since=now, hours=consultation.target_hours)
        consultation.last_event = "follow_up"
        consultation.overdue_notified_at = None  # a new wait: flagged again if it runs late
        consultation.save(update_fields=["status", "due_at", "last_event", "overdue_notified_at"])
        _audit(consultation, "follow_up", user, due_at=consultation.due_at.isoformat())
        _tell_customs(consultation)
    return consultation


def consultation_rate(
    *, consultation_id: int, user: User, rating: int, comment: str = "", now: dt.datetime | None = None
) -> Consultation:
    """The enterprise rates the answer 1-5, once, after customs has answered."""
    now = now or timezone.now()
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError(_("Rate the answer from 1 to 5."), code="rating")
    with transaction.atomic():
        consultation = _lock(consultation_id)
        _require_enterprise(user, consultation)
        _check(rules.RATE, consultation)
        consultation.rating, consultation.rating_comment, consultation.rated_at = (
            rating,
            (comment or "").strip()[:500],
            now,
        )
        consultation.last_event = "rated"
        consultation.save(update_fields=["rating", "rating_comment", "rated_at", "last_event"])
        _audit(consultation, "rate", user, rating=rating)
        _tell(consultation, [consultation.assignee] if consultation.assignee_id else [], side=Side.CUSTOMS)
    return consultation


# --- Coordinators ----------------------------------------------------------------------------------


def consultation_reply(
    *, consultation_id: int, user: User, body: str, upload: UploadedFile | None = None, now: dt.datetime | None = None
) -> Consultation:
    """A coordinator of the district answers; the first answer's time is kept for the figures,
    and the replying coordinator takes the thread if nobody had it. Refused on a closed thread."""
    now = now or timezone.now()
    body = _clean_body(body)
    with transaction.atomic():
        consultation = _lock(consultation_id)
        _require_coordinator(user, consultation)
        _check(rules.REPLY, consultation)
        _add_message(consultation, kind=ConsultationMessage.Kind.REPLY, author=user, body=body, upload=upload, now=now)
        in_time = None
        if consultation.first_answered_at is None:
            consultation.first_answered_at = now
            in_time = rules.answered_in_time(first_answered_at=now, first_due_at=consultation.first_due_at)
        consultation.status = rules.next_status(rules.REPLY, consultation.status)
        consultation.due_at = None
        if consultation.assignee_id is None:
            consultation.assignee = user
        consultation.last_event = "replied"
        consultation.save(update_fields=["first_answered_at", "status", "due_at", "assignee", "last_event"])
        _audit(consultation, "reply", user, first_answer_in_time=in_time)
        ConsultationFollower.objects.get_or_create(
            consultation=consultation, user=user, defaults={"side": Side.CUSTOMS}
        )
        _tell_enterprise(consultation)
    return consultation


def consultation_hand_over(
    *, consultation_id: int, user: User, to_user_id: int | None, to_gacc: bool = False, note: str = ""
) -> Consultation:
    """Hand the thread to another coordinator of the district (`to_user_id`) or to GACC
    (`to_gacc`); the new holder and the enterprise are told, with the note left in the thread."""
    now = timezone.now()
    note = _clean_body(note, required=False)
    with transaction.atomic():
        consultation = _lock(consultation_id)
        _require_coordinator(user, consultation)
        if to_gacc:
            _check(rules.HAND_OVER_GACC, consultation)
            consultation.at_gacc, consultation.assignee = True, None
            consultation.last_event = "to_gacc"
            detail = {"to": "gacc"}
        else:
            _check(rules.HAND_OVER, consultation)
            candidates = {c.pk: c for c in selectors.hand_over_candidates(consultation=consultation, exclude=user)}
            target = candidates.get(to_user_id)
            if target is None:
                raise ValidationError(_("Choose a coordinator of this customs district."), code="to_user")
            consultation.assignee = target
            consultation.last_event = "handed_over"
            detail = {"to": target.pk}
        consultation.save(update_fields=["at_gacc", "assignee", "last_event"])
        if note:
            _add_message(consultation, kind=ConsultationMessage.Kind.NOTE, author=user, body=note, upload=None, now=now)
        _audit(consultation, "hand_over_gacc" if to_gacc else "hand_over", user, **detail)
        _tell_customs(consultation)
        _tell_enterprise(consultation)
    return consultation


def consultation_close(*, consultation_id: int, user: User, note: str = "") -> Consultation:
    """A coordinator closes the thread (with an optional closing note); no more messages."""
    now = timezone.now()
    note = _clean_body(note, required=False)
    with transaction.atomic():
        consultation = _lock(consultation_id)
        _require_coordinator(user, consultation)
        _check(rules.CLOSE, consultation)
        if note:
            _add_message(consultation, kind=ConsultationMessage.Kind.NOTE, author=user, body=note, upload=None, now=now)
        consultation.status = rules.next_status(rules.CLOSE, consultation.status)
        consultation.due_at, consultation.closed_at, consultation.last_event = None, now, "closed"
        consultation.save(update_fields=["status", "due_at", "closed_at", "last_event"])
        _audit(consultation, "close", user)
        _tell_enterprise(consultation)
    return consultation


def publish_draft(*, consultation: Consultation) -> dict:
    """The FAQ entry a coordinator starts from: the subject, the question(s) and the answer(s)
    with the enterprise's name, people's names, codes, phone numbers and e-mail addresses masked
    (`rules.mask_personal_data`). Keys: title, question, answer, criteria_areas."""
    messages = selectors.thread(consultation=consultation)
    enterprise_names, person_names = selectors.publication_names(consultation=consultation, messages=messages)

    def mask(text: str) -> str:
        return rules.mask_personal_data(text, enterprise_names=enterprise_names, person_names=person_names)

    question = "\n\n".join(m.body for m in messages if not m.from_customs)
    answer = "\n\n".join(m.body for m in messages if m.kind == ConsultationMessage.Kind.REPLY)
    return {
        "title": mask(consultation.subject),
        "question": mask(question),
        "answer": mask(answer),
        "criteria_areas": [consultation.criteria_area_id] if consultation.criteria_area_id else [],
    }


def consultation_publish(
    *, consultation_id: int, user: User, title: str, question: str, answer: str, criteria_areas=()
) -> FaqPage:
    """Publish an answered question, as edited by the coordinator, as an FAQ entry in the Chinese
    FAQ. Refused while the text still names the enterprise or a person, or shows a code, an
    identity number, a phone number or an e-mail address, however written (full-width, in
    groups: `rules.personal_data_refusal`); the ValidationError names the field(s)."""
    title, question, answer = (title or "").strip()[:255], (question or "").strip(), (answer or "").strip()
    if not (title and question and answer):
        raise ValidationError(_("Fill in the title, the question and the answer."), code="empty")
    with transaction.atomic():
        consultation = _lock(consultation_id)
        _require_coordinator(user, consultation)
        _check(rules.PUBLISH, consultation)
        enterprise_names, person_names = selectors.publication_names(consultation=consultation)
        problems = {
            field: message
            for field, text in (("title", title), ("question", question), ("answer", answer))
            if (
                message := rules.personal_data_refusal(
                    text, enterprise_names=enterprise_names, person_names=person_names
                )
            )
        }
        if problems:
            raise ValidationError(
                {field: ValidationError(message, code="personal_data") for field, message in problems.items()}
            )
        index = faq_index(language_code="zh-hans")
        page = FaqPage(title=title, topic=consultation.topic, question=question, answer=answer, owner=user)
        index.add_child(instance=page)
        page.criteria_areas.set(list(criteria_areas))
        # The coordinator's right to publish is decided above (trainees.access), not by page permissions.
        page.save_revision(user=user, log_action=False).publish(user=user, skip_permission_checks=True)
        faq_in_other_languages(page=page)
        consultation.faq_page = page
        consultation.last_event = "published"
        consultation.save(update_fields=["faq_page", "last_event"])
        _audit(consultation, "publish", user, page=page.pk)
        _tell_enterprise(consultation)
    return page


FAQ_INDEX_TEXT = {
    "zh-hans": ("常见问题", "企业向海关提出的咨询，经协调员隐去企业名称和个人信息后公开。"),
    "en": (
        "Frequently asked questions",
        "Questions enterprises asked customs, published by coordinators without names or personal data. "
        "Entries not yet translated are shown in Chinese.",
    ),
}


def faq_index(*, language_code: str = "zh-hans") -> FaqIndexPage | None:
    """The FAQ of a language, created on first use: the Chinese one under the Chinese home page;
    another language's as the translation of the Chinese one (same translation key, so the
    language switcher links them) under that language's home page, reachable at /en/faq/. None
    when that language has no home page."""
    from cms.models import HomePage

    locale = Locale.objects.filter(language_code=language_code).first()
    if locale is None:
        return None
    index = FaqIndexPage.objects.filter(locale=locale).first()
    if index is not None:
        return index
    title, intro = FAQ_INDEX_TEXT.get(language_code, FAQ_INDEX_TEXT["en"])
    if language_code == "zh-hans":
        home = HomePage.objects.get(locale=locale)
        index = home.add_child(
            instance=FaqIndexPage(title=title, slug="faq", locale=locale, intro=intro, show_in_menus=True)
        )
    else:
        source = faq_index(language_code="zh-hans")
        if not HomePage.objects.filter(locale=locale, translation_key=source.get_parent().translation_key).exists():
            return None
        index = source.copy_for_translation(locale).specific
        index.title, index.intro, index.draft_title = title, intro, title
    index.save_revision(log_action=False).publish()
    return index


def faq_in_other_languages(*, page: FaqPage) -> list[FaqPage]:
    """Make a published Chinese FAQ entry reachable in every other language: under that
    language's FAQ, as an alias of the Chinese page (Wagtail keeps it in step with the Chinese
    page and shows it with a note until a translator turns it into a translation in the back
    office). Entries that already have a page in a language are left as they are."""
    made = []
    have = set(Page.objects.filter(translation_key=page.translation_key).values_list("locale_id", flat=True))
    for language_code, _name in settings.LANGUAGES:
        locale = Locale.objects.filter(language_code=language_code).first()
        if locale is None or locale.pk in have:
            continue
        if faq_index(language_code=language_code) is None:
            continue
        made.append(page.copy_for_translation(locale, alias=True).specific)
    return made


def faq_translations_sync() -> int:
    """`faq_in_other_languages` for every live Chinese entry that misses a language (entries
    published before the English FAQ existed; `seed_demo` runs it). Returns how many pages were
    made."""
    languages = Locale.objects.count()
    incomplete = (
        Page.objects.values("translation_key")
        .annotate(languages=Count("locale", distinct=True))
        .filter(languages__lt=languages)
        .values("translation_key")
    )
    made = 0
    for page in FaqPage.objects.live().filter(locale__language_code="zh-hans", translation_key__in=incomplete):
        made += len(faq_in_other_languages(page=page))
    return made


# --- Answer time --------------------------------------------------------------------------------------


def overdue_flag(*, now: dt.datetime | None = None) -> int:
    """Tell the coordinators of every question past its answer time (once per wait for an answer) and
    record it in the audit log. Returns how many were flagged (the hourly beat job)."""
    now = now or timezone.now()
    flagged = 0
    ids = list(selectors.overdue_to_notify(now=now).values_list("pk", flat=True)[:500])
    for consultation_id in ids:
        with transaction.atomic():
            consultation = _lock(consultation_id)
            if not rules.is_overdue(status=consultation.status, due=consultation.due_at, now=now):
                continue
            if consultation.overdue_notified_at is not None:
                continue
            consultation.overdue_notified_at = now
            consultation.last_event = "overdue"
            consultation.save(update_fields=["overdue_notified_at", "last_event"])
            _audit(consultation, "overdue", None, due_at=consultation.due_at.isoformat())
            _tell_customs(consultation)
            flagged += 1
    return flagged
