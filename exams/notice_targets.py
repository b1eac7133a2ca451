"""An exam ticket as a notice target (docs/notices.md): the e-mail with the PDF card and the
calendar invitation when a ticket is issued, a cancellation when it is revoked, and reminders
before the sitting (the shared `notices.tasks.send_reminders` beat job)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.links import site_reverse
from notices import rules as notice_rules
from notices.targets import CANCELLED, CONFIRMED, NoticeTarget, TargetType

from .models import Ticket

RELATED = ("sitting__exam", "sitting__session__base", "sitting__session__room", "user")
# Kinds of notice that carry the ticket's PDF card.
CARD_KINDS = ("confirmation", "change", "reminder")


def describe(ticket: Ticket) -> NoticeTarget:
    """The ticket as its holder sees it, in the active language."""
    sitting = ticket.sitting
    session = sitting.session
    base = session.base
    return NoticeTarget(
        uid=f"exam-ticket-{ticket.uid}@aeo-lms",
        sequence=ticket.ics_sequence,
        state=CONFIRMED if ticket.revoked_at is None else CANCELLED,
        recipient=ticket.user,
        title=sitting.exam.title_zh,
        schedule=notice_rules.daily_schedule(session.starts_at, session.ends_at),
        location=f"{base.name} · {session.room.name} · {base.address}",
        url=site_reverse("exams:checkin", args=[sitting.pk]),
        category=_("Computer exam"),
        description=_("Log in with your own account, then check in with the ticket code."),
        details=((_("Seat"), str(ticket.seat_number)), (_("Ticket code"), ticket.code)),
        organizer_name=str(base.name),
        organizer_email=base.contact_email,
    )


def attachments(ticket: Ticket, kind: str) -> list[tuple[str, bytes, str]]:
    """The PDF card with every notice of a valid ticket but its cancellation."""
    if kind not in CARD_KINDS or ticket.revoked_at is not None:
        return []
    from .services.sittings import ticket_pdf_bytes

    return [(f"exam-ticket-{ticket.code}.pdf", ticket_pdf_bytes(ticket), "application/pdf")]


def upcoming(now: dt.datetime, until: dt.datetime):
    return Ticket.objects.filter(
        revoked_at=None, sitting__session__starts_at__gt=now, sitting__session__starts_at__lte=until
    ).select_related(*RELATED)


def feed(user_id: int):
    return Ticket.objects.filter(user_id=user_id, revoked_at=None).select_related(*RELATED)


EXAM_TICKET = TargetType(
    model=Ticket,
    describe=describe,
    related=RELATED,
    recipient_field="user",
    upcoming=upcoming,
    feed=feed,
    overview_url_name="exams:list",
    headlines={
        "confirmation": gettext_lazy("Your exam ticket"),
        "cancellation": gettext_lazy("Your exam ticket is revoked"),
        "reminder": gettext_lazy("Reminder: your exam is coming up"),
        "change": gettext_lazy("Your exam sitting has changed"),
    },
    attachments=attachments,
)
