"""Background jobs for training notices. Tasks take ids, are idempotent (a notice is claimed
before it is sent) and are enqueued with transaction.on_commit by the services."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import rules
from .models import Booking, Notice, NotificationPreference
from .notifications import digest_message, notice_message

NOTICE_RELATED = ("booking__session__base", "booking__session__room", "booking__user")


@shared_task
def send_notices(notice_ids: list[int]) -> int:
    """E-mail each notice now, unless its recipient chose the daily digest."""
    digest_users = set(NotificationPreference.objects.filter(daily_digest=True).values_list("user_id", flat=True))
    sent = 0
    for notice in Notice.objects.filter(pk__in=notice_ids, sent_at__isnull=True).select_related(*NOTICE_RELATED):
        if notice.booking.user_id in digest_users:
            continue
        if not Notice.objects.filter(pk=notice.pk, sent_at__isnull=True).update(sent_at=timezone.now()):
            continue  # another worker took it
        try:
            notice_message(notice).send()
        except Exception:
            Notice.objects.filter(pk=notice.pk).update(sent_at=None)
            raise
        sent += 1
    return sent


@shared_task
def send_daily_digests() -> int:
    """One e-mail per person who chose the digest, listing the day's notices."""
    sent = 0
    users = NotificationPreference.objects.filter(daily_digest=True).values_list("user_id", flat=True)
    for user_id in users:
        with transaction.atomic():
            notices = list(
                Notice.objects.select_for_update(of=("self",))
                .filter(booking__user_id=user_id, sent_at__isnull=True)
                .select_related(*NOTICE_RELATED)
                .order_by("created_at", "pk")
            )
            if not notices:
                continue
            digest_message(notices[0].booking.user, notices).send()
            Notice.objects.filter(pk__in=[n.pk for n in notices]).update(sent_at=timezone.now())
            sent += 1
    return sent


@shared_task
def send_reminders(now_iso: str | None = None) -> int:
    """Remind confirmed trainees N days before their session (N from their preference)."""
    now = dt.datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    days = dict(NotificationPreference.objects.values_list("user_id", "reminder_days"))
    horizon = now + dt.timedelta(days=max([2, *days.values()]))
    due = []
    candidates = Booking.objects.filter(
        status=Booking.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        session__starts_at__gt=now,
        session__starts_at__lte=horizon,
    ).select_related("session")
    for booking in candidates:
        if rules.reminder_due(now=now, starts_at=booking.session.starts_at, days_before=days.get(booking.user_id, 2)):
            due.append(booking)
    if not due:
        return 0
    with transaction.atomic():
        Booking.objects.filter(pk__in=[b.pk for b in due]).update(reminder_sent_at=now)
        notices = Notice.objects.bulk_create([Notice(booking=b, kind=Notice.Kind.REMINDER) for b in due])
        ids = [n.pk for n in notices]
        transaction.on_commit(lambda: send_notices.delay(ids))
    return len(due)
