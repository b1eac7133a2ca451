"""Sittings, tickets and check-in (issue 14 point 2): tickets are e-mailed with their PDF card
through the shared notices app (`exams.notice_targets`), and each carries a paper drawn in
advance, so a room of candidates starting at once never waits on the blueprint's draw lock."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from lms import exports
from lms.links import site_reverse
from lms.net import validate_networks

from .. import rules
from ..models import DrawnPaper, Sitting, Ticket
from .attempts import AttemptError, db_now
from .draws import blueprint_draw


def _draw_papers(sitting: Sitting, count: int, actor) -> list[DrawnPaper]:
    """`count` papers of the sitting's exam in one recorded draw (one lock of the blueprint)."""
    if count < 1:
        return []
    result = blueprint_draw(blueprint=sitting.exam.blueprint, count=count, user=actor)
    return list(result.batch.papers.order_by("index"))


def tickets_issue(*, sitting: Sitting, seats: Sequence[tuple[object, int]], actor=None) -> list[Ticket]:
    """Give each (user, seat number) of `seats` a ticket code at `sitting`, all or none: never
    two candidates on one seat, nor two live tickets for one person (database constraints).
    Each ticket gets its paper now (one draw for all), and its holder an e-mail with the PDF
    card (notices, after commit). Raises ValidationError naming the problem."""
    capacity = sitting.session.room.capacity
    for _user, seat_number in seats:
        if not 1 <= seat_number <= capacity:
            raise ValidationError(_("Seats of this room are numbered 1 to %(n)s.") % {"n": capacity})
    from notices.models import Notice
    from notices.services import notices_create

    try:
        with transaction.atomic():
            papers = _draw_papers(sitting, len(seats), actor)
            tickets = []
            for (user, seat_number), paper in zip(seats, papers, strict=True):
                with transaction.atomic():
                    ticket = Ticket.objects.create(
                        sitting=sitting,
                        user=user,
                        seat_number=seat_number,
                        code=rules.ticket_code(secrets.randbelow),
                        paper=paper,
                    )
                tickets.append(ticket)
                log(ticket, "exams.ticket_issue", user=actor, data={"seat": seat_number})
            notices_create(instances=tickets, kind=Notice.Kind.CONFIRMATION)
    except IntegrityError as exc:
        raise ValidationError(_("That seat is taken, or the candidate already has a ticket.")) from exc
    return tickets


def ticket_issue(*, sitting: Sitting, user, seat_number: int, actor=None) -> Ticket:
    """One ticket (`tickets_issue` for one seat). Raises ValidationError."""
    return tickets_issue(sitting=sitting, seats=[(user, seat_number)], actor=actor)[0]


def ticket_revoke(*, ticket: Ticket, actor, reason: str, reissue: bool = True) -> Ticket | None:
    """Revoke a ticket (audited with the reason; its holder is told, the calendar event is
    cancelled); with `reissue`, give the same seat a new code and the same paper, e-mailed
    anew. Raises ValidationError without a reason."""
    from notices.models import Notice
    from notices.services import notices_create

    if not reason.strip():
        raise ValidationError(_("Give a reason."))
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update(of=("self",)).select_related("sitting__session__room").get(pk=ticket.pk)
        )
        if ticket.revoked_at is None:
            ticket.revoked_at = db_now()
            ticket.ics_sequence += 1
            ticket.save(update_fields=["revoked_at", "ics_sequence"])
            log(ticket, "exams.ticket_revoke", user=actor, data={"reason": reason})
            notices_create(instances=[ticket], kind=Notice.Kind.CANCELLATION)
        if reissue:
            try:
                with transaction.atomic():
                    new = Ticket.objects.create(
                        sitting=ticket.sitting,
                        user=ticket.user,
                        seat_number=ticket.seat_number,
                        code=rules.ticket_code(secrets.randbelow),
                        paper=ticket.paper,
                    )
            except IntegrityError as exc:
                raise ValidationError(_("That seat is taken, or the candidate already has a ticket.")) from exc
            log(new, "exams.ticket_issue", user=actor, data={"seat": new.seat_number, "reissue_of": ticket.pk})
            notices_create(instances=[new], kind=Notice.Kind.CONFIRMATION)
            return new
    return None


def ticket_checkin_url(ticket: Ticket) -> str:
    """Absolute address of the check-in page with the code filled in (the card's QR code)."""
    return site_reverse("exams:checkin", args=[ticket.sitting_id]) + f"?code={ticket.code}"


def ticket_pdf_bytes(ticket: Ticket) -> bytes:
    """The exam ticket as a printable A5 PDF card: Chinese text (English beneath), seat, place,
    time, the code in large letters and a QR code of the check-in address."""
    return tickets_pdf_bytes([ticket])


def tickets_pdf_bytes(tickets: Sequence[Ticket]) -> bytes:
    """Ticket cards as one PDF, one A5 card a page in the given order (a sitting's cards printed
    at once). Each ticket needs `user`, `sitting__exam`, `sitting__session__base` and
    `sitting__session__room` loaded (select_related) to avoid a query per card."""
    with translation.override(settings.LANGUAGE_CODE):
        cards = []
        for ticket in tickets:
            sitting = ticket.sitting
            url = ticket_checkin_url(ticket)
            cards.append(
                {
                    "ticket": ticket,
                    "sitting": sitting,
                    "session": sitting.session,
                    "starts": timezone.localtime(sitting.session.starts_at),
                    "ends": timezone.localtime(sitting.session.ends_at),
                    "qr": exports.qr_svg_data_uri(url),
                    "url": url,
                }
            )
        html = render_to_string("exams/ticket_pdf.html", {"cards": cards})
    return exports.pdf_bytes(html)


def checkin(*, sitting: Sitting, user, code: str, address: str) -> Ticket:
    """Check `user` in at `sitting` with their ticket code (compared in constant time), inside
    the window, from an allowed address, and not for staff of an enterprise whose cultivation
    is blocked (`rules.checkin_refusal`). Idempotent. Raises AttemptError(403) with the reason."""
    with transaction.atomic():
        tickets = list(Ticket.objects.select_for_update().filter(sitting=sitting, user=user).order_by("-created_at"))
        given = rules.normalise_ticket(code)
        match = next((t for t in tickets if secrets.compare_digest(t.code.encode(), given.encode())), None)
        enterprise = getattr(user, "enterprise", None)
        refusal = rules.checkin_refusal(
            now=db_now(),
            starts_at=sitting.session.starts_at,
            ends_at=sitting.session.ends_at,
            ticket_matches=match is not None,
            ticket_revoked=match is not None and match.revoked_at is not None,
            address_ok=rules.address_allowed(address, sitting.allowed_networks),
            cultivation_blocked=bool(enterprise and enterprise.cultivation_blocked),
        )
        if refusal:
            raise AttemptError(403, refusal)
        if match.checked_in_at is None:
            match.checked_in_at = db_now()
            match.save(update_fields=["checked_in_at"])
            log(match, "exams.checkin", user=user, data={"address": address})
    return match


def sitting_create(*, exam, room, starts_at, ends_at, actor=None, allowed_networks: str = "") -> Sitting:
    """Place `exam` in a computer room: a training session of that room is created through
    `training_bases.services.session_save`, so the room-overlap rules apply (ValidationError
    naming the clash). The session's seats are the room's numbered seats. `allowed_networks`:
    CIDR ranges, one a line, from which candidates may check in (empty: anywhere). Raises
    ValidationError keyed by field ("room", "allowed_networks", "starts_at", ...)."""
    from training_bases.models import Room, TrainingSession
    from training_bases.services import session_save

    if room.kind != Room.Kind.COMPUTER_ROOM:
        raise ValidationError({"room": _("Exams are held in computer rooms with numbered seats.")})
    try:
        validate_networks(allowed_networks)
    except ValidationError as exc:
        raise ValidationError({"allowed_networks": exc.messages}) from exc
    with transaction.atomic():
        session = session_save(
            session=TrainingSession(
                title_zh=exam.title_zh,
                title_en=exam.title_en,
                training_type="exam",
                base=room.base,
                room=room,
                starts_at=starts_at,
                ends_at=ends_at,
                capacity=room.capacity,
                status=TrainingSession.Status.CLOSED,
            )
        )
        sitting = Sitting.objects.create(exam=exam, session=session, allowed_networks=allowed_networks)
        log(sitting, "exams.sitting_create", user=actor)
    return sitting
