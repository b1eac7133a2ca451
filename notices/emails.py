"""E-mails for notices, rendered in the recipient's language (`User.language`) with links in that
language built from `WAGTAILADMIN_BASE_URL`, and the iCalendar file attached."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from lms.links import site_reverse

from . import ics, targets
from .models import Notice
from .targets import CANCELLED, CONFIRMED

HEADLINES = {
    Notice.Kind.CONFIRMATION: _("Your seat is confirmed"),
    Notice.Kind.WAITLIST: _("You are on the waitlist"),
    Notice.Kind.PROMOTION: _("A seat has freed up: your booking is confirmed"),
    Notice.Kind.CHANGE: _("Your training session has changed"),
    Notice.Kind.CANCELLATION: _("Your booking is cancelled"),
    Notice.Kind.REMINDER: _("Reminder: your training session is coming up"),
}


def recipient_language(user) -> str:
    return getattr(user, "language", "") or translation.get_language()


def _when(target: targets.NoticeTarget) -> list[tuple]:
    """(start, end, same day) per day of the target, for the templates."""
    from django.utils.timezone import localtime

    return [(localtime(s), localtime(e), localtime(s).date() == localtime(e).date()) for s, e in target.schedule]


def _item(instance, kind: str) -> dict:
    target_type = targets.type_of(instance)
    target = target_type.describe(instance)
    return {
        "kind": kind,
        "headline": target_type.headlines.get(kind, HEADLINES[kind]),
        "target": target,
        "when": _when(target),
    }


def _attachment(target: targets.NoticeTarget, kind: str) -> tuple[bytes, str] | None:
    """A calendar file while the place is confirmed (REQUEST) or once cancelled (CANCEL)."""
    if kind == Notice.Kind.WAITLIST or not target.schedule or target.state not in {CONFIRMED, CANCELLED}:
        return None
    method = "REQUEST" if target.state == CONFIRMED else "CANCEL"
    return ics.target_ics(target), f"text/calendar; charset=utf-8; method={method}"


def _overview_url(instance) -> str:
    name = targets.type_of(instance).overview_url_name
    return site_reverse(name) if name else ""


def _email(template: str, user, context: dict) -> EmailMultiAlternatives:
    subject = render_to_string(f"notices/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"notices/email/{template}.txt", context)
    html = render_to_string(f"notices/email/{template}.html", context)
    email = EmailMultiAlternatives(subject, body, to=[user.email])
    email.attach_alternative(html, "text/html")
    return email


def notice_message(notice: Notice, instance) -> EmailMultiAlternatives:
    """One notice about `instance` (its target) as an e-mail."""
    user = notice.recipient
    with translation.override(recipient_language(user)):
        item = _item(instance, notice.kind)
        context = {"user": user, "item": item, "overview_url": _overview_url(instance)}
        email = _email("notice", user, context)
        attachment = _attachment(item["target"], notice.kind)
        if attachment:
            email.attach("invite.ics", *attachment)
    return email


def digest_message(user, pairs: list[tuple[Notice, object]]) -> EmailMultiAlternatives:
    """One e-mail listing several notices (already reduced to the final state), with one calendar
    file per target."""
    with translation.override(recipient_language(user)):
        items = [_item(instance, notice.kind) for notice, instance in pairs]
        context = {"user": user, "items": items, "overview_url": _overview_url(pairs[0][1])}
        email = _email("digest", user, context)
        seen = set()
        for (notice, instance), item in reversed(list(zip(pairs, items, strict=True))):
            key = (notice.target_type_id, notice.target_id)
            if key in seen:
                continue
            seen.add(key)
            attachment = _attachment(item["target"], notice.kind)
            if attachment:
                email.attach(f"{instance._meta.model_name}-{instance.pk}.ics", *attachment)
    return email
