"""Use cases of live observation (issue 12): register (capacity lock), reschedule with a change
notice, start watching, the server-clock heartbeat with attendance crediting, replays, Q&A."""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations.rules import personal_data_refusal
from courses import watchtime
from courses.services import live_observation_credit
from notices.models import Notice
from notices.services import notices_create
from trainees.models import User

from . import rules
from .models import LiveSession, Question, Registration
from .signals import live_attendance_credited

REGISTRATION_ERRORS = {
    "cancelled": gettext_lazy("This session was cancelled."),
    "no_enterprise": gettext_lazy("Only staff of an enterprise in cultivation can register."),
    "blocked": gettext_lazy("Your enterprise's cultivation is suspended or terminated: registration is closed to it."),
    "not_open": gettext_lazy("Registration has not opened yet."),
    "closed": gettext_lazy("Registration for this session is closed."),
    "full": gettext_lazy("This session is full."),
}


def registration_create(*, session_id: int, user: User, now: dt.datetime | None = None) -> Registration:
    """Register `user` for a published session (issue 12, point 2). Locks the session row so two
    people never take the last place; idempotent for someone already registered. Records a
    confirmation notice (e-mail with the iCal invitation, then reminders). Raises
    ValidationError with the reason in the user's language."""
    now = now or timezone.now()
    with transaction.atomic():
        session = LiveSession.objects.select_for_update().get(pk=session_id, is_published=True)
        existing = Registration.objects.filter(session=session, user=user).first()
        if existing is not None:
            return existing
        enterprise = user.enterprise
        check = rules.registration_allowed(
            now=now,
            opens_at=session.registration_opens_at,
            closes_at=session.registration_closes_at,
            ends_at=session.ends_at,
            capacity=session.capacity,
            registered=Registration.objects.filter(session=session).count(),
            cancelled=session.cancelled,
            enterprise_staff=enterprise is not None,
            cultivation_blocked=bool(enterprise and enterprise.cultivation_blocked),
        )
        if not check.ok:
            raise ValidationError(REGISTRATION_ERRORS[check.reason], code=check.reason)
        registration = Registration.objects.create(session=session, user=user, enterprise=enterprise)
        notices_create(instances=[registration], kind=Notice.Kind.CONFIRMATION)
    return registration


def session_changed(*, session: LiveSession, schedule_moved: bool, cancelled_now: bool) -> None:
    """After the back office saved a session: a moved schedule or a cancellation bumps the
    invitation's SEQUENCE and tells every registered person (change / cancellation notice)."""
    cache.delete(_schedule_key(session.pk))
    if not (schedule_moved or cancelled_now):
        return
    with transaction.atomic():
        LiveSession.objects.filter(pk=session.pk).update(ics_sequence=session.ics_sequence + 1)
        session.ics_sequence += 1
        registrations = list(Registration.objects.filter(session=session))
        kind = Notice.Kind.CANCELLATION if cancelled_now else Notice.Kind.CHANGE
        notices_create(instances=registrations, kind=kind)


def viewer_start(*, session: LiveSession, user_id: int, now: dt.datetime | None = None) -> None:
    """The watch page opened for a registered viewer: open their watch-time record. A record a
    beat touched within two intervals is left alone (another tab is playing)."""
    now = now or timezone.now()
    from courses.models import WatchTime

    recent = now - dt.timedelta(seconds=2 * watchtime.heartbeat_interval())
    if not WatchTime.objects.filter(user_id=user_id, watchable=session.watchable, last_beat_at__gte=recent).exists():
        watchtime.watch_start(user_id=user_id, watchable=session.watchable, now=now)


def _schedule_key(session_id: int) -> str:
    return f"live:schedule:{session_id}"


def _schedule(session_id: int) -> tuple[dt.datetime, dt.datetime, str, int, bool, frozenset[int]] | None:
    """(starts_at, ends_at, course_key, threshold seconds, cancelled, venue ids) from the cache:
    no SQL per heartbeat (a saved session clears it, `session_changed`)."""
    key = _schedule_key(session_id)
    cached = cache.get(key)
    if cached is None or len(cached) != 6:
        session = LiveSession.objects.filter(pk=session_id).first()
        if session is None:
            return None
        cached = (
            session.starts_at,
            session.ends_at,
            str(session.course_key),
            session.threshold_seconds,
            session.cancelled,
            frozenset(session.venues.values_list("pk", flat=True)),
        )
        cache.set(key, cached, 300)
    return cached


def _seen_key(session_id: int, venue_id: int) -> str:
    return f"live:seen:{session_id}:{venue_id}"


def live_heartbeat(*, session_id: int, user_id: int, venue_id: int | None, now: dt.datetime | None = None):
    """Issue 12, point 5: credit one window of server time to a viewer (`courses.watchtime`),
    note their venue for the trainer's viewer count and, when their minutes first reach the
    threshold, record the attendance and complete the course's live item. Two SQL statements
    in the usual case. Raises PermissionDenied (not registered), ValidationError ("outside",
    "duplicate") — nothing is recorded then. Returns the `watchtime.Heartbeat`."""
    now = now or timezone.now()
    schedule = _schedule(session_id)
    if schedule is None:
        raise PermissionDenied(_("You are not registered for this session."))
    starts_at, ends_at, course_key, threshold, cancelled, venue_ids = schedule
    if cancelled:
        raise ValidationError(_("The session is not on air now."), code="outside")
    if venue_id is not None and venue_id not in venue_ids:
        raise ValidationError(_("This venue is not one of the session's venues."), code="venue")
    beat = watchtime.watch_clock_heartbeat(
        user_id=user_id, watchable=f"live:{session_id}", opens_at=starts_at, closes_at=ends_at, now=now
    )
    if venue_id is not None:
        key = _seen_key(session_id, venue_id)
        seen = cache.get(key) or {}
        seen[user_id] = time.time()
        cache.set(key, seen, 3600)
    if beat.seconds_before < threshold <= beat.seconds:
        attendance_record(session_id=session_id, user_id=user_id, seconds=beat.seconds, now=now)
        live_observation_credit(
            user_id=user_id, course_page_translation_key=course_key, live_session_ref=str(session_id), now=now
        )
    return beat


def attendance_record(*, session_id: int, user_id: int, seconds: int, now: dt.datetime) -> None:
    """The viewer reached the threshold: their registration says attended (first time kept),
    and `live_attendance_credited` is sent after commit the first time."""
    credited = Registration.objects.filter(session_id=session_id, user_id=user_id, attended_at__isnull=True).update(
        attended_at=now, attended_seconds=seconds
    )
    if credited:
        transaction.on_commit(
            lambda: live_attendance_credited.send(sender=Registration, session_id=session_id, user_id=user_id)
        )


def viewer_counts(*, session_id: int, venue_ids: list[int]) -> dict[int, int]:
    """Viewers per venue seen within the last two heartbeat intervals (issue 12, point 6)."""
    horizon = time.time() - 2 * watchtime.heartbeat_interval()
    found = cache.get_many([_seen_key(session_id, v) for v in venue_ids])
    return {v: sum(1 for t in (found.get(_seen_key(session_id, v)) or {}).values() if t >= horizon) for v in venue_ids}


def replay_start(*, session: LiveSession, user_id: int, now: dt.datetime | None = None) -> None:
    """A replay counts as learning progress (watch time `live-replay:<id>`), never as attendance."""
    watchtime.watch_start(user_id=user_id, watchable=session.replay_watchable, now=now)


def _personal_data(text: str, *, asker: User) -> str | None:
    """Why `text` may not be shown to every viewer of a session, or None: the one personal-data
    check of published text (`consultations.rules.personal_data_refusal`: codes, identity and
    phone numbers, e-mail addresses, however written), with the asker's enterprise names and the
    asker's own name. The observed enterprise consented to be shown and may be named."""
    enterprise = asker.enterprise
    enterprise_names = [enterprise.name_zh, enterprise.name_en] if enterprise is not None else []
    person_names = [asker.get_full_name(), f"{asker.first_name} {asker.last_name}".strip()]
    return personal_data_refusal(text, enterprise_names=enterprise_names, person_names=person_names)


def question_ask(*, session: LiveSession, user: User, text: str) -> Question:
    """A registered viewer asks; the question stays private until a trainer publishes an answer.
    A question that carries personal data is refused (it is shown to every viewer once answered)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write your question first."), code="empty")
    if len(text) > 1000:
        raise ValidationError(_("A question has at most 1000 characters."), code="long")
    if "\x00" in text:
        raise ValidationError(_("This text contains characters that cannot be saved."), code="nul")
    if message := _personal_data(text, asker=user):
        raise ValidationError(message, code="personal_data")
    return Question.objects.create(session=session, user=user, text=text)


def question_answer(*, question_id: int, session: LiveSession, user: User, answer: str, publish: bool) -> Question:
    """A trainer answers (and publishes) a question of this session. Publishing is refused while
    the question or the answer carries personal data (the same check as asking); saving an
    unpublished draft is not."""
    answer = (answer or "").strip()
    if publish and not answer:
        raise ValidationError(_("Write an answer before publishing."), code="empty")
    if len(answer) > 4000:
        raise ValidationError(_("An answer has at most 4000 characters."), code="long")
    if "\x00" in answer:
        raise ValidationError(_("This text contains characters that cannot be saved."), code="nul")
    with transaction.atomic():
        question = (
            Question.objects.select_for_update(of=("self",))
            .select_related("user__enterprise")
            .get(pk=question_id, session=session)
        )
        if publish:
            problems = [
                ValidationError(label % {"problem": message}, code="personal_data")
                for label, text in ((_("Question: %(problem)s"), question.text), (_("Answer: %(problem)s"), answer))
                if (message := _personal_data(text, asker=question.user))
            ]
            if problems:
                raise ValidationError(problems)
        question.answer = answer
        question.answered_by = user
        question.published_at = timezone.now() if publish else None
        question.save(update_fields=["answer", "answered_by", "published_at"])
    return question


def stream_url_seconds() -> int:
    return int(getattr(settings, "LIVE_STREAM_URL_SECONDS", 120))
