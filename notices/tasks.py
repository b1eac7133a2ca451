"""Background jobs of notices. Tasks take ids, are idempotent (a notice is claimed before it is
sent) and are enqueued with transaction.on_commit by the services. A notice that no longer tells
the truth when its turn comes (the seat was cancelled, the event moved) is marked superseded."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import rules, targets
from .emails import digest_message, notice_message, reminder_sms_text
from .models import Notice, NotificationPreference


def _state(instance) -> rules.TargetState | None:
    if instance is None:
        return None
    described = targets.describe(instance)
    now, starts_at, ends_at = timezone.now(), described.starts_at, described.ends_at
    return rules.TargetState(
        state=described.state,
        starts_at=starts_at,
        over=ends_at is not None and ends_at <= now,
        started=starts_at is not None and starts_at <= now,
    )


def _pending(notice: Notice) -> rules.PendingNotice:
    return rules.PendingNotice(
        id=notice.pk, target=(notice.target_type_id, notice.target_id), kind=notice.kind, event_start=notice.event_start
    )


@shared_task
def send_notices(notice_ids: list[int]) -> int:
    """E-mail each notice now, unless its recipient chose the daily digest; text reminders to
    people who chose SMS reminders (`send_sms_reminders`)."""
    send_sms_reminders(notice_ids)
    digest_users = set(NotificationPreference.objects.filter(daily_digest=True).values_list("user_id", flat=True))
    notices = [
        n
        for n in Notice.objects.filter(pk__in=notice_ids, sent_at__isnull=True).select_related("recipient")
        if n.recipient_id not in digest_users
    ]
    loaded = targets.load((n.target_type_id, n.target_id) for n in notices)
    sent = 0
    for notice in notices:
        instance = loaded.get((notice.target_type_id, notice.target_id))
        if not Notice.objects.filter(pk=notice.pk, sent_at__isnull=True).update(sent_at=timezone.now()):
            continue  # another worker took it
        if not rules.still_true(_pending(notice), _state(instance)):
            Notice.objects.filter(pk=notice.pk).update(superseded=True)
            continue
        try:
            notice_message(notice, instance).send()
        except Exception:
            Notice.objects.filter(pk=notice.pk).update(sent_at=None)
            raise
        sent += 1
    return sent


@shared_task
def send_daily_digests() -> int:
    """One e-mail per person who chose the digest, listing what is still true of the day's notices."""
    sent = 0
    users = NotificationPreference.objects.filter(daily_digest=True).values_list("user_id", flat=True)
    for user_id in users:
        with transaction.atomic():
            notices = list(
                Notice.objects.select_for_update(of=("self",))
                .filter(recipient_id=user_id, sent_at__isnull=True)
                .select_related("recipient")
                .order_by("created_at", "pk")
            )
            if not notices:
                continue
            loaded = targets.load((n.target_type_id, n.target_id) for n in notices)
            states = {key: _state(obj) for key, obj in loaded.items()}
            keep = set(rules.digest_selection([_pending(n) for n in notices], states))
            pairs = [(n, loaded[(n.target_type_id, n.target_id)]) for n in notices if n.pk in keep]
            now = timezone.now()
            Notice.objects.filter(pk__in=[n.pk for n in notices if n.pk not in keep]).update(
                sent_at=now, superseded=True
            )
            Notice.objects.filter(pk__in=keep).update(sent_at=now)
            if pairs:
                digest_message(notices[0].recipient, pairs).send()
                sent += 1
    return sent


@shared_task
def send_reminders(now_iso: str | None = None) -> int:
    """Remind people of confirmed places N days before the start (N from their preference), once
    per start and calendar sequence: an event moved to a new date, or given a new room or place,
    is reminded of again."""
    now = dt.datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    days = dict(NotificationPreference.objects.values_list("user_id", "reminder_days"))
    horizon = now + dt.timedelta(days=max([2, *days.values()]))
    total = 0
    for target_type in targets.registered():
        if target_type.upcoming is None:
            continue
        content_type = targets.content_type_of(target_type.model)
        field = f"{target_type.recipient_field}_id"
        candidates = [(obj, target_type.describe(obj)) for obj in target_type.upcoming(now, horizon)]
        due = [
            (obj, described)
            for obj, described in candidates
            if rules.reminder_due(now=now, starts_at=described.starts_at, days_before=days.get(getattr(obj, field), 2))
        ]
        if not due:
            continue
        with transaction.atomic():
            done = set(
                Notice.objects.filter(
                    target_type=content_type, target_id__in=[obj.pk for obj, _ in due], kind=Notice.Kind.REMINDER
                ).values_list("target_id", "event_start", "event_sequence")
            )
            # Once per start and sequence (reminders made before sequences were kept: per start).
            fresh = [
                (obj, d)
                for obj, d in due
                if (obj.pk, d.starts_at, d.sequence) not in done and (obj.pk, d.starts_at, None) not in done
            ]
            if not fresh:
                continue
            notices = Notice.objects.bulk_create(
                [
                    Notice(
                        recipient_id=getattr(obj, field),
                        target_type=content_type,
                        target_id=obj.pk,
                        kind=Notice.Kind.REMINDER,
                        event_start=described.starts_at,
                        event_sequence=described.sequence,
                    )
                    for obj, described in fresh
                ]
            )
            if target_type.reminded is not None:
                target_type.reminded([obj for obj, _ in fresh], now)
            ids = [n.pk for n in notices]
            transaction.on_commit(lambda ids=ids: send_notices.delay(ids))
            total += len(fresh)
    return total


def send_sms_reminders(notice_ids: list[int]) -> int:
    """The SMS channel: each reminder among `notice_ids` whose recipient chose SMS reminders and
    has a verified mobile number is texted once (claimed by `sms_sent_at`), whatever they chose
    for e-mail (at once or digest), and only while it is still true. Returns the number sent."""
    from lms import sms

    notices = list(
        Notice.objects.filter(
            pk__in=notice_ids,
            kind=Notice.Kind.REMINDER,
            sms_sent_at__isnull=True,
            recipient__notice_preference__sms_reminders=True,
            recipient__phone_verified=True,
        )
        .exclude(recipient__phone="")
        .select_related("recipient")
    )
    loaded = targets.load((n.target_type_id, n.target_id) for n in notices)
    sent = 0
    for notice in notices:
        instance = loaded.get((notice.target_type_id, notice.target_id))
        if not Notice.objects.filter(pk=notice.pk, sms_sent_at__isnull=True).update(sms_sent_at=timezone.now()):
            continue  # another worker took it
        if instance is None or not rules.still_true(_pending(notice), _state(instance)):
            continue
        try:
            sms.send_sms(to=notice.recipient.phone, text=reminder_sms_text(instance), kind="reminder")
        except Exception:
            Notice.objects.filter(pk=notice.pk).update(sms_sent_at=None)
            raise
        sent += 1
    return sent
