"""Sittings, tickets and check-in (issue 14 point 2)."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import rules
from ..models import Sitting, Ticket
from .attempts import AttemptError, db_now


def ticket_issue(*, sitting: Sitting, user, seat_number: int, actor=None) -> Ticket:
    """Give `user` a seat and a ticket code at `sitting`. Never two candidates on one seat, nor
    two live tickets for one person (database constraints). Raises ValidationError."""
    capacity = sitting.session.room.capacity
    if not 1 <= seat_number <= capacity:
        raise ValidationError(_("Seats of this room are numbered 1 to %(n)s.") % {"n": capacity})
    try:
        with transaction.atomic():
            ticket = Ticket.objects.create(
                sitting=sitting, user=user, seat_number=seat_number, code=rules.ticket_code(secrets.randbelow)
            )
            log(ticket, "exams.ticket_issue", user=actor, data={"seat": seat_number})
    except IntegrityError as exc:
        raise ValidationError(_("That seat is taken, or the candidate already has a ticket.")) from exc
    return ticket


def ticket_revoke(*, ticket: Ticket, actor, reason: str, reissue: bool = True) -> Ticket | None:
    """Revoke a ticket (audited with the reason); with `reissue`, give the same seat a new code."""
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.revoked_at is None:
            ticket.revoked_at = db_now()
            ticket.save(update_fields=["revoked_at"])
            log(ticket, "exams.ticket_revoke", user=actor, data={"reason": reason})
        if reissue:
            return ticket_issue(sitting=ticket.sitting, user=ticket.user, seat_number=ticket.seat_number, actor=actor)
    return None


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
    naming the clash). The session's seats are the room's numbered seats."""
    from training_bases.models import Room, TrainingSession
    from training_bases.services import session_save

    if room.kind != Room.Kind.COMPUTER_ROOM:
        raise ValidationError(_("Exams are held in computer rooms with numbered seats."))
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
