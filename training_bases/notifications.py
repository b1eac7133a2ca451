"""Rendering of training notices in the recipient's language, with the iCalendar attachment."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .ics import booking_ics, training_type_label
from .models import Booking, Notice, NotificationPreference

HEADLINES = {
    Notice.Kind.CONFIRMATION: _("Your seat is confirmed"),
    Notice.Kind.WAITLIST: _("You are on the waitlist"),
    Notice.Kind.PROMOTION: _("A seat has freed up: your booking is confirmed"),
    Notice.Kind.CHANGE: _("Your training session has changed"),
    Notice.Kind.CANCELLATION: _("Your booking is cancelled"),
    Notice.Kind.REMINDER: _("Reminder: your training session is coming up"),
}


def site_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _language(user) -> str:
    pref = NotificationPreference.objects.filter(user=user).first()
    return pref.language if pref else settings.LANGUAGE_CODE


def _attachment(booking: Booking, kind: str) -> tuple[str, bytes, str] | None:
    if kind == Notice.Kind.WAITLIST:
        return None
    if kind != Notice.Kind.CANCELLATION and booking.status != Booking.Status.CONFIRMED:
        return None
    method = "CANCEL" if booking.status != Booking.Status.CONFIRMED else "REQUEST"
    return ("invite.ics", booking_ics(booking), f"text/calendar; charset=utf-8; method={method}")


def _item(booking: Booking, kind: str) -> dict:
    session = booking.session
    return {
        "kind": kind,
        "headline": HEADLINES[kind],
        "booking": booking,
        "session": session,
        "training_type": training_type_label(session.training_type),
        "session_url": site_url(reverse("training_bases:session_detail", args=[session.pk])),
    }


def notice_message(notice: Notice) -> EmailMultiAlternatives:
    booking = notice.booking
    user = booking.user
    with translation.override(_language(user)):
        context = {
            "user": user,
            "item": _item(booking, notice.kind),
            "my_bookings_url": site_url(reverse("training_bases:my_bookings")),
        }
        subject = render_to_string("training_bases/email/notice_subject.txt", context).strip()
        body = render_to_string("training_bases/email/notice.txt", context)
        html = render_to_string("training_bases/email/notice.html", context)
        email = EmailMultiAlternatives(subject, body, to=[user.email])
        email.attach_alternative(html, "text/html")
        attachment = _attachment(booking, notice.kind)
        if attachment:
            email.attach(*attachment)
    return email


def digest_message(user, notices: list[Notice]) -> EmailMultiAlternatives:
    with translation.override(_language(user)):
        items = [_item(n.booking, n.kind) for n in notices]
        context = {"user": user, "items": items, "my_bookings_url": site_url(reverse("training_bases:my_bookings"))}
        subject = render_to_string("training_bases/email/digest_subject.txt", context).strip()
        body = render_to_string("training_bases/email/digest.txt", context)
        html = render_to_string("training_bases/email/digest.html", context)
        email = EmailMultiAlternatives(subject, body, to=[user.email])
        email.attach_alternative(html, "text/html")
        seen = set()
        for notice in reversed(notices):  # latest state of each booking
            if notice.booking_id in seen:
                continue
            seen.add(notice.booking_id)
            attachment = _attachment(notice.booking, notice.kind)
            if attachment:
                email.attach(f"booking-{notice.booking_id}.ics", attachment[1], attachment[2])
    return email
