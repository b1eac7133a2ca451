"""Use cases of the training bases. Every write that touches seats locks the session row first
(`select_for_update`), re-checks availability under the lock, then writes, so a seat is never
given twice; e-mails are queued with `transaction.on_commit`."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Iterable, Sequence

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext

from lms.bulk import (
    INSERT_VALUES_MAX,
    insert_ids,
    insert_returning,
    insert_statement,
    inserted,
    reserve_ids_statement,
    reserved_ids,
)
from lms.compiled import CompiledQuery
from lms.net import ip_in_ranges
from lms.page_cache import seats_changed
from notices.models import Notice
from notices.services import notices_create_many, notices_recorded, notices_statement
from trainees.access import (
    allocation_runs_visible_to,
    is_officer,
    may_act_on_booking,
    may_manage_session,
    require_officer,
)

from . import allocation_inputs, rules, seats
from .messages import message
from .models import (
    AllocationRun,
    AttendanceRecord,
    Booking,
    Room,
    TrainingSession,
    room_clash,
    trainer_clash,
)
from .signals import attendance_recorded

ACTIVE = [Booking.Status.CONFIRMED, Booking.Status.WAITLISTED]
CHECKIN_SALT = "training_bases.checkin"

# Test-only: called between the availability check and the write, to widen the race window
# when the concurrency test proves that the lock is what prevents overbooking.
race_window_hook: Callable[[], None] | None = None
# Test-only: called by allocation_confirm once it holds its locks and has read what it writes
# from, before the digests are compared and the bookings written.
allocation_race_hook: Callable[[], None] | None = None


def seat_lock_enabled() -> bool:
    """The seat lock can be switched off only by the concurrency test (setting below)."""
    return not getattr(settings, "TRAINING_BASES_DISABLE_SEAT_LOCK", False)


def _lock_sessions(session_ids: Iterable[int]) -> dict[int, TrainingSession]:
    """Lock session rows in id order (a fixed order avoids deadlocks between two writers)."""
    qs = TrainingSession.objects.filter(pk__in=sorted(set(session_ids))).order_by("pk")
    if seat_lock_enabled():
        qs = qs.select_for_update()
    # The rooms by a second query, once the locks are granted (`seats`: no join in a locking read).
    return {s.pk: s for s in qs.prefetch_related("room")}


def _lock_session(session_id: int) -> TrainingSession:
    """Lock one session row (its room attached); one plain statement (`seats.lock_session`)."""
    session = seats.lock_session(session_id, lock=seat_lock_enabled())
    if session is None:
        raise TrainingSession.DoesNotExist
    return session


def _notify(bookings: Iterable[Booking], kind: str) -> None:
    """Record a notice per booking and send it after commit (at once, or in the daily digest).
    Every seat change ends here, bulk ones too: cached pages showing seats start anew."""
    _notify_each([(b, kind) for b in bookings])


def _notify_each(items: list[tuple[Booking, str]]) -> None:
    """`_notify` for (booking, kind) pairs of different kinds: one insert for all of them."""
    writes = _LastWrites()
    writes.notices.extend(items)
    writes.send()


class _LastWrites:
    """The writes that end a booking or a cancellation under the seat lock and the notices they
    cause, sent in one round trip by `send` (`seats.round_trip`); cached pages showing seats
    start anew after commit, as `_notify` does. Every round trip saved under the lock is waiting
    saved for everyone else booking the session."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, list]] = []
        self.then: list[Callable[[list[tuple]], object] | None] = []
        self.notices: list[tuple[Booking, str]] = []

    def add(self, statement: tuple[str, list], then: Callable[[list[tuple]], object] | None = None) -> None:
        """A write to send; `then(rows)` runs once it has been sent."""
        self.statements.append(statement)
        self.then.append(then)

    def notify(self, booking: Booking, kind: str) -> None:
        self.notices.append((booking, kind))

    def send(self) -> None:
        many = len(self.notices) > INSERT_VALUES_MAX  # by COPY, after the writes
        if self.notices and not many:
            self.add(notices_statement(items=self.notices), notices_recorded)
        for rows, then in zip(seats.round_trip(self.statements) if self.statements else [], self.then, strict=True):
            if then is not None:
                then(rows)
        if many:
            notices_create_many(items=self.notices)
        seats_changed()


def listed_trainees(*, training_type: str, round_id: int | None = None) -> list:
    from trainees.selectors import key_list_trainees

    return key_list_trainees(training_type=training_type, round_id=round_id)


# --- Sessions -----------------------------------------------------------------------------


def session_check_trainers(*, trainer_ids: Iterable[int], starts_at, ends_at, exclude_id: int | None) -> None:
    clash = trainer_clash(trainer_ids=trainer_ids, starts_at=starts_at, ends_at=ends_at, exclude_id=exclude_id)
    if clash is not None:
        trainer, other = clash
        raise ValidationError(
            {"trainers": message("trainer_overlap", trainer=str(trainer), title=other.title, starts=other.starts_at)}
        )


@transaction.atomic
def session_save(
    *,
    session: TrainingSession,
    trainer_ids: Iterable[int] | None = None,
    actor=None,
    now: dt.datetime | None = None,
) -> TrainingSession:
    """Create or change a session: validate, lock the room's sessions, re-check overlaps, write.
    Confirmed trainees are told about changes to time, room or status. A change of seats
    (capacity or reserved seats) is re-checked under the lock (never fewer seats than confirmed
    bookings: ValidationError on `capacity` naming the confirmed count), audited, and runs the
    same locked promotion as a cancellation, then open/full follows (issue 8, points 1-2).
    Another room or another number of seats gives the confirmed people the seat numbers the
    room has (`_renumber_seats`: kept where they still exist, none outside computer rooms); a
    moved session's change notice carries them, and people reseated by a change of seats alone
    are told by one of their own. The room row is locked first and the session's seats checked
    against it again (`room_save` may have just made it smaller)."""
    now = now or timezone.now()
    session.full_clean()
    # Lock the rooms (the session's new one and the one it leaves: seats and kind, as `room_save`
    # changes them), then their sessions, each in id order, so two officers cannot book one room
    # twice at once nor deadlock swapping rooms; the PostgreSQL exclusion constraint remains the
    # last line.
    leaving = TrainingSession.objects.filter(pk=session.pk).values_list("room_id", flat=True).first()
    rooms = _lock_rooms_and_their_sessions({session.room_id, leaving} - {None})
    session.room = rooms[session.room_id]
    session.check_room_base()  # the room as locked: it may have moved since the form was checked
    if session.capacity > session.room.capacity:
        raise ValidationError(
            {"capacity": message("capacity_above_room", capacity=session.capacity, room_capacity=session.room.capacity)}
        )
    clash = room_clash(
        room_id=session.room_id, starts_at=session.starts_at, ends_at=session.ends_at, exclude_id=session.pk
    )
    if clash is not None and session.status != TrainingSession.Status.CANCELLED:
        raise ValidationError(
            {"room": message("room_overlap", room=session.room.name, title=clash.title, starts=clash.starts_at)}
        )
    trainer_ids = list(trainer_ids) if trainer_ids is not None else None
    if trainer_ids:
        session_check_trainers(
            trainer_ids=trainer_ids, starts_at=session.starts_at, ends_at=session.ends_at, exclude_id=session.pk
        )
    previous = TrainingSession.objects.select_for_update().filter(pk=session.pk).first() if session.pk else None
    if previous is not None and previous.room_id not in rooms:  # moved by someone else meanwhile
        _lock_rooms_and_their_sessions({previous.room_id})
    # What the people holding seats are told of: a new time, room or base, or a cancelled
    # session. Open <-> full follows the seats (set by hand it is corrected below): no notice.
    changed = previous is not None and (
        any(getattr(previous, f) != getattr(session, f) for f in ("starts_at", "ends_at", "room_id", "base_id"))
        or (previous.status != session.status and TrainingSession.Status.CANCELLED in {previous.status, session.status})
    )
    seats_changed = previous is not None and any(getattr(previous, f) != getattr(session, f) for f in SEAT_FIELDS)
    if seats_changed:
        # Re-checked under the lock: a booking made since the form was shown counts too.
        confirmed = seats.confirmed_seats(session)[0].confirmed_total
        problems = rules.seat_problems(capacity=session.capacity, confirmed_total=confirmed)
        if problems:
            raise ValidationError({field: message(code, **params) for field, code, params in problems})
    if changed:
        session.sequence = previous.sequence + 1
    session.save()
    if trainer_ids is not None:
        session.trainers.set(trainer_ids)
    reseated = []
    if (
        previous is not None
        and session.status != TrainingSession.Status.CANCELLED
        and (previous.room_id != session.room_id or previous.capacity != session.capacity)
    ):
        reseated = _renumber_seats([session], numbered=session.room.has_numbered_seats)
    if changed:
        # Every confirmed person is told of the change, their seat number (new or kept) with it;
        # the waitlist moves and open/full follows (`session_after_change`).
        session_after_change(session=session, previous_status=previous.status, now=now)
    else:
        if reseated:
            _tell_reseated(reseated)
        if seats_changed or (previous is not None and previous.status != session.status):
            _promote(session, now=now)
    if seats_changed:
        _audit_seats(session=session, previous=previous, actor=actor)
    return session


SEAT_FIELDS = ("capacity", "reserved_leadership_seats")


def _lock_rooms_and_their_sessions(room_ids: Iterable[int]) -> dict[int, Room]:
    """Lock the rooms, then all their sessions, each in id order (docs/CONTRIBUTING.md, row
    locks): {room id: room, base loaded}. Raises Room.DoesNotExist when a room is gone."""
    ids = sorted(room_ids)
    rooms = {
        r.pk: r
        for r in Room.objects.select_for_update(of=("self",)).select_related("base").filter(pk__in=ids).order_by("pk")
    }
    if len(rooms) != len(ids):
        raise Room.DoesNotExist
    list(
        TrainingSession.objects.select_for_update().filter(room_id__in=ids).order_by("pk").values_list("pk", flat=True)
    )
    return rooms


def _renumber_seats(sessions: Sequence[TrainingSession], *, numbered: bool) -> list[Booking]:
    """Give the confirmed people of `sessions` (caller holds their locks) the seat numbers their
    room now has (`rules.seats_renumbered`: numbered 1..the session's seats in a computer room,
    a number kept where it still exists; none elsewhere). One read and one update whatever the
    number of people; returns the bookings whose number changed (their `seat_number` set)."""
    if not sessions:
        return []
    capacity = {s.pk: s.capacity for s in sessions}
    confirmed: dict[int, list[Booking]] = {}
    for booking in Booking.objects.filter(session_id__in=list(capacity), status=Booking.Status.CONFIRMED):
        confirmed.setdefault(booking.session_id, []).append(booking)
    changed: list[Booking] = []
    stamp = timezone.now()
    for session_id, bookings in confirmed.items():
        numbers = rules.seats_renumbered(
            [rules.SeatHolder(b.pk, b.seat_number, b.priority, b.created_at) for b in bookings],
            seats=capacity[session_id],
            numbered=numbered,
        )
        for booking in bookings:
            if booking.seat_number != numbers[booking.pk]:
                booking.seat_number = numbers[booking.pk]
                booking.updated_at = stamp
                changed.append(booking)
    if changed:
        # No swap is ever needed (a number given is one nobody keeps), so one statement never
        # meets `numbered_seat_taken_once` half-way.
        Booking.objects.bulk_update(changed, ["seat_number", "updated_at"])
    return changed


def _tell_reseated(bookings: list[Booking]) -> None:
    """People given another seat number (or none) are told: a change notice, and the calendar
    event (same UID) with a higher SEQUENCE."""
    _bump_sequence([b.pk for b in bookings])
    for booking in bookings:
        booking.ics_sequence += 1
    _notify(bookings, Notice.Kind.CHANGE)


@transaction.atomic
def room_save(*, room: Room, actor=None, now: dt.datetime | None = None) -> Room:
    """Create or change a room (the back office's room form). A room never holds fewer seats
    than a session of it that has not ended (`rules.room_capacity_problems`: ValidationError on
    `capacity` naming those sessions), nor moves to another base while it holds sessions
    (ValidationError on `base`); both re-checked under the lock. A room that gains or loses
    numbered seats (becomes a computer room, or stops being one) renumbers the confirmed seats
    of its sessions that have not ended, as moving a session into such a room does
    (`rules.seats_renumbered`), and the people whose number changed are told (a change notice,
    the calendar event's SEQUENCE raised). Locks the room, then its sessions, as `session_save`."""
    now = now or timezone.now()
    room.full_clean()
    if room.pk is None:
        room.save()
        return room
    previous = _lock_rooms_and_their_sessions({room.pk})[room.pk]
    errors = room.errors_against_sessions(now=now)  # again, with the sessions planned meanwhile
    if errors:
        raise ValidationError(errors)
    room.save()
    if previous.has_numbered_seats != room.has_numbered_seats:
        sessions = list(
            TrainingSession.objects.filter(room_id=room.pk, ends_at__gt=now)
            .exclude(status=TrainingSession.Status.CANCELLED)
            .only("pk", "capacity")
        )
        reseated = _renumber_seats(sessions, numbered=room.has_numbered_seats)
        if reseated:
            _tell_reseated(reseated)
    return room


def _audit_seats(*, session: TrainingSession, previous: TrainingSession, actor) -> None:
    """Who changed the seats, from what to what, and the status that followed (Wagtail's
    history of the session in the back office)."""
    from wagtail.log_actions import log

    log(
        instance=session,
        action="training_bases.seats_changed",
        user=actor,
        data={
            **{f: [getattr(previous, f), getattr(session, f)] for f in SEAT_FIELDS},
            "status": [previous.status, session.status],
        },
    )


def session_after_change(*, session: TrainingSession, previous_status: str, now: dt.datetime | None = None) -> None:
    """Tell confirmed trainees (a change notice with the calendar event's same UID and a higher
    SEQUENCE); a cancelled session releases everyone; more seats promote. Reminders are kept per
    start time and sequence by `notices`, so a session moved or given a new room or base is
    reminded of again."""
    active = list(Booking.objects.select_for_update().filter(session=session, status__in=ACTIVE))
    if session.status == TrainingSession.Status.CANCELLED:
        Booking.objects.filter(pk__in=[b.pk for b in active]).update(
            status=Booking.Status.CANCELLED, cancelled_at=timezone.now(), seat_number=None
        )
        _bump_sequence([b.pk for b in active])
        _notify(active, Notice.Kind.CANCELLATION)
        return
    confirmed = [b for b in active if b.status == Booking.Status.CONFIRMED]
    # A higher sequence re-arms the reminder (`notices` reminds once per start and sequence).
    _bump_sequence([b.pk for b in confirmed])
    Booking.objects.filter(pk__in=[b.pk for b in confirmed], reminder_sent_at__isnull=False).update(
        reminder_sent_at=None
    )
    _notify(confirmed, Notice.Kind.CHANGE)
    _promote(session, now=now or timezone.now())


def _bump_sequence(booking_ids: list[int]) -> None:
    if booking_ids:
        Booking.objects.filter(pk__in=booking_ids).update(ics_sequence=F("ics_sequence") + 1)


# --- Booking ------------------------------------------------------------------------------


def _booker_state_query(session_id: int, user_id: int):
    from trainees.selectors import listed_priority_subquery

    return (
        TrainingSession.objects.filter(pk=session_id)
        .order_by()  # one row: no sort to plan
        .annotate(
            has_active=Exists(
                Booking.objects.filter(user_id=user_id, training_type=OuterRef("training_type"), status__in=ACTIVE)
            ),
            listed=listed_priority_subquery(user_id=user_id, training_type=OuterRef("training_type")),
        )
        .values_list("training_type", "has_active", "listed")
    )


_BOOKER_STATE = CompiledQuery(_booker_state_query)


def _booker_state(enterprise_rows: Sequence, row: Sequence) -> tuple[str, bool, bool, int]:
    """(training type, cultivation blocked, already holds an active booking of this type, rank
    on the key list the person is listed on) from the enterprise's status
    (`seats.enterprise_status_statement`) and a row of `_BOOKER_STATE`: one statement, compiled
    once (`lms.compiled`), so a booking spends its CPU on the seat, not on building it. The
    partial unique constraint `one_active_booking_per_training_type` still refuses a racing
    second booking."""
    from trainees.models.core import BLOCKING_STATUSES

    training_type, has_active, listed = row
    status = enterprise_rows[0][0] if enterprise_rows else None
    return (
        training_type,
        status in BLOCKING_STATUSES,
        bool(has_active),
        rules.UNLISTED_PRIORITY if listed is None else listed,
    )


def _set_full_status(session: TrainingSession, confirmed: int, writes: _LastWrites) -> None:
    """Open <-> full from a confirmed count the caller already holds; the update, only when the
    status changes, goes with the caller's last writes."""
    if session.status not in {TrainingSession.Status.OPEN, TrainingSession.Status.FULL}:
        return
    status = TrainingSession.Status.FULL if confirmed >= session.capacity else TrainingSession.Status.OPEN
    if status != session.status:
        writes.add(seats.session_status_statement(session.pk, status))
        session.status = status


def booking_create(*, user, session_id: int, now: dt.datetime | None = None, priority: int | None = None) -> Booking:
    """Self-service booking: a seat if one is free for the person's position, else a place on
    the waitlist in priority order. Refusals change nothing and say why (ValidationError).
    `priority` None (the web view): the person's own rank on the key list they are listed on
    (`trainees.selectors.listed_priority_subquery`). One round trip reads who is booking (their
    enterprise's cultivation status, its row share-locked so a suspension cannot pass unseen;
    that rank; whether they hold a booking of this type), locks the session and reads its room
    and confirmed seats (`seats.lock_session_with_seats`), and draws the booking's key; then the
    booking and its notice are inserted in one more (`_LastWrites`)."""
    now = now or timezone.now()
    lead = rules.is_leadership(user.position)
    lock = seat_lock_enabled()
    reserve = reserve_ids_statement(Booking, 1)  # its key, so its notice goes with it (PostgreSQL)
    with transaction.atomic():
        (enterprise, found, *reserved), locked = seats.lock_session_with_seats(
            session_id,
            lock=lock,
            read_first=[
                seats.enterprise_status_statement(user.enterprise_id or 0, lock=lock),
                _BOOKER_STATE.statement(int(session_id), user.pk),
                *([reserve] if reserve else []),
            ],
        )
        if locked is None:
            raise TrainingSession.DoesNotExist
        session, state, taken = locked
        training_type, blocked, has_active, listed = _booker_state(enterprise, found[0])
        if priority is None:
            priority = listed
        refusal = rules.booking_refusal(
            rules.BookingRequest(
                now=now,
                session_status=session.status,
                booking_opens_at=session.booking_opens_at,
                booking_closes_at=session.booking_closes_at,
                starts_at=session.starts_at,
                is_enterprise_staff=bool(user.enterprise_id),
                cultivation_blocked=blocked,
                has_active_booking_of_type=has_active,
            )
        )
        if refusal:
            raise ValidationError(
                message(refusal, opens=session.booking_opens_at) if refusal == "window_not_open" else message(refusal)
            )
        if race_window_hook is not None:
            race_window_hook()
        confirmed = rules.free_seats_for(state, leadership=lead) > 0
        seat = None
        if confirmed and session.room.has_numbered_seats:
            seat = rules.first_free_seat(taken, session.capacity)
        booking = Booking(
            session=session,
            user=user,
            enterprise_id=user.enterprise_id,
            training_type=training_type,
            position=user.position,
            priority=priority,
            status=Booking.Status.CONFIRMED if confirmed else Booking.Status.WAITLISTED,
            source=Booking.Source.SELF_SERVICE,
            seat_number=seat,
        )
        writes = _LastWrites()
        _set_full_status(session, state.confirmed_total + int(confirmed), writes)
        # No savepoint: a refused insert leaves this block by the exception, which rolls back.
        try:
            if reserved:
                (booking.pk,) = reserved_ids(Booking, reserved[0])
                writes.add(insert_statement(Booking, [booking]), lambda rows: inserted([booking], rows))
            else:
                insert_ids(Booking, [booking])
            writes.notify(booking, Notice.Kind.CONFIRMATION if confirmed else Notice.Kind.WAITLIST)
            writes.send()  # the booking and its notice: one round trip
        except IntegrityError as exc:
            raise ValidationError(message("already_booked_type")) from exc
    return booking


def booking_cancel(*, actor, booking_id: int, now: dt.datetime | None = None) -> Booking:
    """The trainee cancels before the cut-off (an officer may cancel at any time); a freed seat
    goes to the top of the waitlist at once. Raises Booking.DoesNotExist, PermissionDenied (not
    the person's booking, nor an officer's in charge) or ValidationError (no longer active,
    after the cut-off).

    The statements of the bare transaction and no more (`seats`): lock the session while
    reading the booking, cancel it only if it is still as read (same session, status and
    sequence; every status change takes the session lock first, so a change means another
    writer held it: read again) and read the seats it frees in the same round trip, promote
    (`_promote`), one insert for the cancellation and promotion notices, whatever the waitlist's
    length."""
    now = now or timezone.now()
    for _attempt in range(10):
        with transaction.atomic():
            booking = seats.lock_session_of_booking(booking_id, lock=seat_lock_enabled())
            if booking is None:
                raise Booking.DoesNotExist
            session = booking.session
            if not may_act_on_booking(actor, booking):
                raise PermissionDenied(message("not_your_booking"))
            officer = booking.user_id != actor.pk and is_officer(actor)
            refusal = rules.cancellation_refusal(
                now=now, status=booking.status, cutoff=session.cancellation_cutoff, starts_at=session.starts_at
            )
            if refusal == "after_cutoff" and officer:
                refusal = None
            if refusal:
                raise ValidationError(message(refusal, cutoff=session.cancellation_cutoff or session.starts_at))
            was_confirmed = booking.status == Booking.Status.CONFIRMED
            cancelled, seats_after = seats.cancel_if_unchanged(
                booking, cancelled_at=now, stamp=timezone.now(), read_seats=was_confirmed
            )
            if not cancelled:
                continue  # changed while this waited for the lock (promoted, moved by an allocation)
            writes = _LastWrites()
            writes.notify(booking, Notice.Kind.CANCELLATION)
            if was_confirmed:
                _promote(session, now=now, writes=writes, seats_after=seats_after)
            writes.send()  # the promotion and the notices: one round trip
        return booking
    raise ValidationError(message("not_active"))


def _promote(
    session: TrainingSession,
    *,
    now: dt.datetime,
    until: dt.datetime | None = None,
    writes: _LastWrites | None = None,
    seats_after: tuple[rules.SeatState, list[Booking]] | None = None,
) -> list[Booking]:
    """Fill free seats from the waitlist (caller holds the session lock, `session.room` loaded),
    then set open/full: one read of the seat state and the top of the waitlist
    (`seats.seat_state_and_top_waiting`), the numbered seats taken (computer rooms only), then
    the promotion and its notices in one round trip, whatever the waitlist's length. Nobody is
    promoted or notified once `until` (default: the session's start) has passed. With `writes`,
    the promotion and its notices are added to the caller's last round trip instead of being sent
    here; `seats_after`: the seat state and top of the waitlist the caller has just read."""
    if session.status in {TrainingSession.Status.CANCELLED, TrainingSession.Status.COMPLETED}:
        return []
    state, waiting = seats_after or seats.seat_state_and_top_waiting(session)
    if not rules.waitlist_moves(now=now, until=until or session.starts_at):
        waiting = []
    entries = [rules.WaitingEntry(b.pk, b.priority, b.created_at, b.position) for b in waiting]
    by_id = {b.pk: b for b in waiting}
    promoted = [by_id[pk] for pk in rules.promotions(entries, state)] if entries else []
    own = writes is None
    writes = _LastWrites() if own else writes
    stamp = timezone.now()
    if promoted and session.room.has_numbered_seats:
        taken = set(
            Booking.objects.filter(
                session_id=session.pk, status=Booking.Status.CONFIRMED, seat_number__isnull=False
            ).values_list("seat_number", flat=True)
        )
        for booking in promoted:
            booking.status = Booking.Status.CONFIRMED
            booking.seat_number = rules.first_free_seat(taken, session.capacity)
            booking.ics_sequence += 1
            booking.updated_at = stamp
            taken.add(booking.seat_number)
        Booking.objects.bulk_update(promoted, ["status", "seat_number", "ics_sequence", "updated_at"])
    elif promoted:
        writes.add(seats.confirm_waiting_statement(promoted, stamp=stamp))
    _set_full_status(session, state.confirmed_total + len(promoted), writes)
    for booking in promoted:
        writes.notify(booking, Notice.Kind.PROMOTION)
    if own and (writes.statements or writes.notices):
        writes.send()
    return promoted


def waitlist_promote(*, session_id: int, now: dt.datetime | None = None) -> list[Booking]:
    """Fill the free seats of one session from its waitlist (nobody once it has started)."""
    with transaction.atomic():
        return _promote(_lock_session(session_id), now=now or timezone.now())


def enterprise_bookings_release(*, enterprise_id: int, reason: str = "") -> list[Booking]:
    """Cultivation suspended or terminated: the enterprise's seats and waitlist places are
    released and the waitlists move up (DOMAIN.md: effects of suspension). Runs inside the
    caller's transaction."""
    with transaction.atomic():
        session_ids = set(
            Booking.objects.filter(enterprise_id=enterprise_id, status__in=ACTIVE).values_list("session_id", flat=True)
        )
        sessions = _lock_sessions(session_ids)
        released = list(
            Booking.objects.select_for_update().filter(enterprise_id=enterprise_id, status__in=ACTIVE).order_by("pk")
        )
        now = timezone.now()
        for booking in released:
            booking.status = Booking.Status.RELEASED
            booking.cancelled_at = now
            booking.seat_number = None
            booking.ics_sequence += 1
            booking.reason = reason[:300]
            booking.save(
                update_fields=["status", "cancelled_at", "seat_number", "ics_sequence", "reason", "updated_at"]
            )
        _notify(released, Notice.Kind.CANCELLATION)
        for session in sessions.values():
            _promote(session, now=now)
    return released


# --- Allocation from the key training list ------------------------------------------------


def _candidates(
    training_type: str, round_id: int | None, listed: list | None = None, *, blocked: dict[int, str]
) -> list[rules.Candidate]:
    """The listed people as the allocation rule sees them; `blocked` is
    `allocation_inputs.blocked_enterprises` ({enterprise id: status}): their people are left out."""
    if listed is None:
        listed = listed_trainees(training_type=training_type, round_id=round_id)
    # Only a confirmed seat counts as booked: a waitlisted booking is converted by the run
    # (issue 8, point 6).
    booked = set(
        Booking.objects.filter(training_type=training_type, status=Booking.Status.CONFIRMED).values_list(
            "user_id", flat=True
        )
    )
    return [
        rules.Candidate(
            key=str(t.entry_id),
            user_id=t.user_id,
            person_name=t.person_name,
            enterprise_id=t.enterprise_id,
            position=t.position,
            priority=t.priority,
            base_preferences=tuple(t.base_preferences),
            already_booked=t.user_id in booked,
            proposed_base=t.base_slug,
            blocked_status=blocked.get(t.enterprise_id, ""),
        )
        for t in listed
    ]


def _allocatable_sessions(training_type: str, now: dt.datetime):
    return (
        TrainingSession.objects.filter(
            training_type=training_type,
            starts_at__gt=now,
            status__in=[TrainingSession.Status.DRAFT, TrainingSession.Status.OPEN, TrainingSession.Status.FULL],
        )
        .select_related("base", "room")
        .annotate(
            n_confirmed=Count("bookings", filter=Q(bookings__status=Booking.Status.CONFIRMED)),
            n_leaders=Count(
                "bookings",
                filter=Q(bookings__status=Booking.Status.CONFIRMED, bookings__position__in=rules.LEADERSHIP_POSITIONS),
            ),
        )
        .order_by("pk")
    )


def _slots(sessions, waitlisted: dict[int, list[int]]) -> list[rules.SessionSlot]:
    return [
        rules.SessionSlot(
            session_id=s.pk,
            base_slug=s.base.slug,
            starts_at=s.starts_at,
            capacity=s.capacity,
            reserved_leadership=s.reserved_leadership_seats,
            confirmed_total=s.n_confirmed,
            confirmed_leadership=s.n_leaders,
            waitlisted_priorities=tuple(sorted(waitlisted.get(s.pk, []))),
        )
        for s in sessions
    ]


def _waitlisted_priorities(session_ids) -> dict[int, list[int]]:
    result: dict[int, list[int]] = {}
    rows = Booking.objects.filter(session_id__in=list(session_ids), status=Booking.Status.WAITLISTED).values_list(
        "session_id", "priority"
    )
    for session_id, priority in rows:
        result.setdefault(session_id, []).append(priority)
    return result


def _plan(
    training_type: str,
    round_id: int | None,
    now: dt.datetime,
    listed: list | None = None,
    *,
    blocked: dict[int, str],
) -> tuple[rules.AllocationPlan, list[TrainingSession], dict[str, object]]:
    """The plan, the sessions it allocates into and the listed people by candidate key; the
    people of the `blocked` enterprises ({id: cultivation status}) are left out."""
    if listed is None:
        listed = listed_trainees(training_type=training_type, round_id=round_id)
    sessions = list(_allocatable_sessions(training_type, now))
    slots = _slots(sessions, _waitlisted_priorities(s.pk for s in sessions))
    plan = rules.allocate(_candidates(training_type, round_id, listed, blocked=blocked), slots)
    return plan, sessions, {str(t.entry_id): t for t in listed}


# A placement as the run keeps it for its confirmation: one compact row per booking to write.
PLACEMENT_FIELDS = ("user_id", "session_id", "outcome", "priority", "enterprise_id", "position")
PLACEMENT_FIELDS += ("reason", "rank", "waitlist_position", "base")


def plan_to_json(plan: rules.AllocationPlan) -> dict:
    return {
        "counts": plan.counts,
        "decisions": [
            {
                "key": d.candidate_key,
                "user_id": d.user_id,
                "name": d.person_name,
                "priority": d.priority,
                "outcome": d.outcome,
                "reason": d.reason,
                "session_id": d.session_id,
                "base": d.base_slug,
                "rank": d.preference_rank,
                "waitlist_position": d.waitlist_position,
            }
            for d in plan.decisions
        ],
    }


def _placements_of(plan: rules.AllocationPlan, listed: dict[str, object]) -> list[dict]:
    """The decisions that write a booking (a seat or a waitlist place in a session), each with
    the enterprise and position its booking is written with (`PLACEMENT_FIELDS`): the person's
    own position, else the one they were nominated with (as a self-service booking carries it)."""
    placed = [d for d in plan.decisions if d.outcome != "skipped" and d.session_id]
    positions = _positions([d.user_id for d in placed])
    return [
        {
            "user_id": d.user_id,
            "session_id": d.session_id,
            "outcome": d.outcome,
            "priority": d.priority,
            "enterprise_id": listed[d.candidate_key].enterprise_id,
            "position": positions.get(d.user_id) or listed[d.candidate_key].position,
            "reason": d.reason,
            "rank": d.preference_rank,
            "waitlist_position": d.waitlist_position,
            "base": d.base_slug,
        }
        for d in placed
    ]


def _fingerprint(plan_json: dict) -> str:
    return hashlib.sha256(json.dumps(plan_json["decisions"], sort_keys=True).encode()).hexdigest()


def allocation_preview(
    *, actor, training_type: str, round_id: int | None = None, now: dt.datetime | None = None
) -> AllocationRun:
    """Compute the allocation and keep it for the officer to review; writes no booking. The
    round is one of the officer's published rounds with a list of this training type (the latest
    when None); any other raises ValidationError (issue 8, point 7). The run records the round
    it used, and the digests of the plan's inputs (`allocation_inputs`) its confirmation checks."""
    from .selectors import allocation_rounds

    require_officer(actor)
    now = now or timezone.now()
    rounds = allocation_rounds(actor=actor, training_type=training_type)
    if round_id is None and rounds:
        round_id = rounds[0].pk
    chosen = next((r for r in rounds if r.pk == round_id), None)
    if chosen is None:
        raise ValidationError({"round_id": message("round_unknown" if round_id is not None else "round_has_no_list")})
    # The digests of the list and the bookings are read before the plan's inputs: a change in
    # between makes them differ from the confirm's, which then computes the plan again.
    list_digest = allocation_inputs.list_digest(round_id=round_id, training_type=training_type)
    bookings_digest = allocation_inputs.bookings_digest(training_type=training_type)
    # The plan and its digest read the same rows: which enterprises of the list are blocked.
    blocked = allocation_inputs.blocked_enterprises(round_id=round_id, training_type=training_type)
    plan, sessions, listed = _plan(training_type, round_id, now, blocked=blocked)
    plan_json = plan_to_json(plan)
    plan_json["round"] = {"id": chosen.pk, "name": chosen.name}
    inputs = {
        "list": list_digest,
        "bookings": bookings_digest,
        "enterprises": allocation_inputs.enterprises_digest(blocked),
        "sessions": allocation_inputs.sessions_digest(sessions),
        "confirmed": {str(s.pk): s.n_confirmed for s in sessions},
    }
    placements = [[p[f] for f in PLACEMENT_FIELDS] for p in _placements_of(plan, listed)]
    with transaction.atomic():
        AllocationRun.objects.filter(
            training_type=training_type, round_id=round_id, status=AllocationRun.Status.PREVIEW
        ).update(status=AllocationRun.Status.SUPERSEDED)
        return AllocationRun.objects.create(
            training_type=training_type,
            round_id=round_id,
            plan=plan_json,
            fingerprint=_fingerprint(plan_json),
            inputs=inputs,
            placements=placements,
            created_by=actor,
        )


def decision_reason(decision: dict) -> str:
    """The sentence explaining one decision of a plan, naming the base by its label."""
    from trainees.models.selection import BASE_CHOICES

    base = decision.get("base") or ""
    return message(
        decision["reason"],
        rank=decision.get("rank"),
        position=decision.get("waitlist_position"),
        base=str(dict(BASE_CHOICES).get(base, base)),
    )


def _lock_allocation_sessions(training_type: str, now: dt.datetime) -> dict[int, TrainingSession]:
    """Lock, in id order, the sessions open to allocation and those whose waitlist holds someone
    of the type (an allocation may move them out), then read their rooms (a second statement);
    returns the ones open to allocation, as `_allocatable_sessions` chooses them, by id."""
    allocatable = Q(
        training_type=training_type,
        starts_at__gt=now,
        status__in=[TrainingSession.Status.DRAFT, TrainingSession.Status.OPEN, TrainingSession.Status.FULL],
    )
    waiting = Booking.objects.filter(training_type=training_type, status=Booking.Status.WAITLISTED)
    qs = (
        TrainingSession.objects.filter(allocatable | Q(pk__in=waiting.values("session_id")))
        .order_by("pk")
        .prefetch_related("room")  # once the locks are granted (`seats`: no join in a locking read)
    )
    if seat_lock_enabled():
        qs = qs.select_for_update()
    return {
        s.pk: s
        for s in qs
        if s.training_type == training_type
        and s.starts_at > now
        and s.status in {TrainingSession.Status.DRAFT, TrainingSession.Status.OPEN, TrainingSession.Status.FULL}
    }


def allocation_confirm(*, actor, run_id: int, now: dt.datetime | None = None) -> AllocationRun:
    """Write the previewed plan in one transaction, in a constant number of statements. Raises
    PermissionDenied (a run of another district) or ValidationError (not a preview any more; the
    plan would change: the officer previews again).

    Before the session locks: the run is locked, the digest of its key list read, and the list's
    enterprises read FOR SHARE (`allocation_inputs.blocked_enterprises`: a suspension or
    termination cannot commit until this transaction ends; people of a blocked enterprise get no
    booking). Under the locks (every session open to allocation or holding a waitlist of the
    type): the digest of the bookings; when the digests and the sessions' equal the preview's, the previewed plan is
    the plan (`allocation_inputs`) and is written as is; otherwise it is computed again under
    the locks and refused if its decisions changed. Then the bookings in bulk (`lms.bulk.insert_returning`), people already waiting moved in
    place (one update), the sessions' open/full status (one update), every notice in one insert
    (`notices_create_many`)."""
    require_officer(actor)
    now = now or timezone.now()
    with transaction.atomic():
        # The run's plan (the evidence, large) is not read: its inputs and placements are.
        runs = AllocationRun.objects.select_for_update(of=("self",)).defer("plan")
        try:
            run = allocation_runs_visible_to(actor, runs).get(pk=run_id)
        except AllocationRun.DoesNotExist as exc:
            raise PermissionDenied(message("round_not_in_district")) from exc
        if run.status != AllocationRun.Status.PREVIEW:
            raise ValidationError(message("run_not_preview"))
        inputs = run.inputs
        list_digest = allocation_inputs.list_digest(round_id=run.round_id, training_type=run.training_type)
        placements = [dict(zip(PLACEMENT_FIELDS, row, strict=True)) for row in run.placements]
        # The list's enterprises FOR SHARE, before the session locks (enterprise, then session:
        # the order of cultivation_transition): a suspension waits for this transaction and then
        # releases what it wrote; one committed before is read here, and leaves its people out.
        blocked = allocation_inputs.blocked_enterprises(
            round_id=run.round_id, training_type=run.training_type, lock=seat_lock_enabled()
        )
        sessions = _lock_allocation_sessions(run.training_type, now)
        if allocation_race_hook is not None:
            allocation_race_hook()
        unchanged = (
            bool(inputs)
            and inputs.get("list") == list_digest
            and inputs.get("enterprises") == allocation_inputs.enterprises_digest(blocked)
            and inputs.get("sessions") == allocation_inputs.sessions_digest(sessions.values())
            and inputs.get("bookings") == allocation_inputs.bookings_digest(training_type=run.training_type)
        )
        if unchanged:
            confirmed = {int(pk): n for pk, n in inputs["confirmed"].items()}
        else:
            plan, planned_sessions, listed = _plan(run.training_type, run.round_id, now, blocked=blocked)
            if _fingerprint(plan_to_json(plan)) != run.fingerprint:
                raise ValidationError(message("plan_changed"))
            placements = _placements_of(plan, listed)
            confirmed = {s.pk: s.n_confirmed for s in planned_sessions}
        try:
            _write_allocation(run, placements, sessions=sessions, confirmed_before=confirmed)
        except IntegrityError as exc:  # someone booked in a session outside the locks meanwhile
            raise ValidationError(message("plan_changed")) from exc
        run.status = AllocationRun.Status.CONFIRMED
        run.confirmed_by = actor
        run.confirmed_at = now
        run.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    return run


def _positions(user_ids: list[int]) -> dict[int, str]:
    """The people's current positions (their bookings carry them, as a self-service booking does)."""
    from trainees.models import User

    return dict(User.objects.filter(pk__in=user_ids).values_list("pk", "position")) if user_ids else {}


def _write_allocation(
    run: AllocationRun,
    decisions: list[dict],
    *,
    sessions: dict[int, TrainingSession],
    confirmed_before: dict[int, int],
) -> None:
    """Create the bookings of the placements (caller holds the locks of `sessions`, whose
    confirmed seats before the run are `confirmed_before`); people already on a waitlist of the type
    take their decision in place."""
    waiting = {
        user_id: (pk, session_id, sequence)
        for pk, user_id, session_id, sequence in Booking.objects.filter(
            training_type=run.training_type, status=Booking.Status.WAITLISTED
        ).values_list("pk", "user_id", "session_id", "ics_sequence")
    }
    numbered = {
        d["session_id"]
        for d in decisions
        if d["outcome"] == "placed" and sessions[d["session_id"]].room.has_numbered_seats
    }
    taken: dict[int, set[int]] = {}
    if numbered:
        for session_id, seat in Booking.objects.filter(
            session_id__in=numbered, status=Booking.Status.CONFIRMED, seat_number__isnull=False
        ).values_list("session_id", "seat_number"):
            taken.setdefault(session_id, set()).add(seat)
    reasons: dict[tuple, str] = {}
    new, converted, told = [], [], []
    stamp = timezone.now()
    for d in decisions:
        session = sessions[d["session_id"]]
        confirmed = d["outcome"] == "placed"
        seat = None
        if confirmed and session.pk in numbered:
            seat = rules.first_free_seat(taken.setdefault(session.pk, set()), session.capacity)
            taken[session.pk].add(seat)
        reason_key = (d["reason"], d.get("rank"), d.get("waitlist_position"), d.get("base"))
        if reason_key not in reasons:
            reasons[reason_key] = decision_reason(d)[:300]
        booking = Booking(
            session_id=session.pk,
            user_id=d["user_id"],
            enterprise_id=d["enterprise_id"],
            training_type=run.training_type,
            position=d["position"],
            priority=d["priority"],
            status=Booking.Status.CONFIRMED if confirmed else Booking.Status.WAITLISTED,
            source=Booking.Source.ALLOCATION,
            seat_number=seat,
            allocation_run_id=run.pk,
            reason=reasons[reason_key],
            updated_at=stamp,
        )
        kind = Notice.Kind.CONFIRMATION if confirmed else Notice.Kind.WAITLIST
        if d["user_id"] in waiting:
            # One active booking per type: the waiting booking takes the decision in place. The
            # person is told of a seat or another session; the same waitlist at a new rank is no news.
            booking.pk, previous_session, sequence = waiting[d["user_id"]]
            moved = confirmed or previous_session != session.pk
            booking.ics_sequence = sequence + int(moved)
            converted.append(booking)
            if moved:
                told.append((booking, kind))
            continue
        new.append(booking)
        told.append((booking, kind))
    if new:
        ids = insert_returning(Booking, new, key_field="uid")
        for booking in new:
            booking.pk = ids[booking.uid]
    if converted:
        Booking.objects.bulk_update(
            converted,
            [
                "session",
                "status",
                "priority",
                "seat_number",
                "source",
                "allocation_run",
                "reason",
                "ics_sequence",
                "updated_at",
            ],
        )
    counts = dict(confirmed_before)
    for d in decisions:
        if d["outcome"] == "placed":
            counts[d["session_id"]] = counts.get(d["session_id"], 0) + 1
    _set_statuses_after_allocation(sessions, used={d["session_id"] for d in decisions}, counts=counts)
    _notify_each(told)


def _set_statuses_after_allocation(
    sessions: dict[int, TrainingSession], *, used: set[int], counts: dict[int, int]
) -> None:
    """Sessions that received trainees are published (draft -> open) so the trainees see them;
    open and full follow the confirmed seats (`counts`). At most one update."""
    status_of = {}
    for session in sessions.values():
        status = session.status
        if session.pk in used and status == TrainingSession.Status.DRAFT:
            status = TrainingSession.Status.OPEN
        if status in {TrainingSession.Status.OPEN, TrainingSession.Status.FULL}:
            full = counts.get(session.pk, 0) >= session.capacity
            status = TrainingSession.Status.FULL if full else TrainingSession.Status.OPEN
        if status != session.status:
            status_of[session.pk] = session.status = status
    if status_of:
        TrainingSession.objects.filter(pk__in=list(status_of)).update(
            status=Case(*(When(pk=pk, then=Value(status)) for pk, status in status_of.items()))
        )


# --- Attendance and check-in --------------------------------------------------------------


def attendance_record(
    *,
    actor,
    booking_id: int,
    day: dt.date,
    status: str,
    method: str = "register",
    now: dt.datetime | None = None,
) -> AttendanceRecord:
    """Register presence for one session day that has come (a future day raises
    ValidationError). Absent on the first day of a multi-day session releases the seat to the
    waitlist (no-show rule) while the second day is still ahead; a register filled in later
    records the absence and releases nobody (issue 8, point 3). Correcting "present" to "absent"
    undoes the move into training that presence caused, audited in the actor's name."""
    now = now or timezone.now()
    with transaction.atomic():
        session_id, enterprise_id = Booking.objects.values_list("session_id", "enterprise_id").get(pk=booking_id)
        _lock_enterprise_before_session(enterprise_id)
        session = _lock_session(session_id)
        if not may_manage_session(actor, session):
            raise PermissionDenied
        booking = Booking.objects.select_for_update().get(pk=booking_id)
        days = rules.session_days(session.starts_at, session.ends_at)
        if day not in days:
            raise ValidationError(message("not_a_session_day"))
        if status not in AttendanceRecord.Status.values:
            raise ValidationError(message("invalid_attendance_status"))
        if not rules.attendance_day_has_come(day=day, today=now.astimezone(rules.SHANGHAI).date()):
            raise ValidationError(message("day_not_come", day=day.isoformat()))
        previous = AttendanceRecord.objects.filter(booking=booking, day=day).values_list("status", flat=True).first()
        record, _ = AttendanceRecord.objects.update_or_create(
            booking=booking, day=day, defaults={"status": status, "method": method, "recorded_by": actor}
        )
        _undo_start_training_if_corrected(record, previous_status=previous)
        if (
            status == AttendanceRecord.Status.ABSENT
            and booking.status == Booking.Status.CONFIRMED
            and rules.no_show_releases_seat(day=day, days=days)
            and rules.waitlist_moves(now=now, until=rules.no_show_deadline(days, session.starts_at))
        ):
            booking.status = Booking.Status.NO_SHOW
            booking.seat_number = None
            booking.ics_sequence += 1
            booking.save(update_fields=["status", "seat_number", "ics_sequence", "updated_at"])
            _notify([booking], Notice.Kind.CANCELLATION)
            _promote(session, now=now, until=rules.no_show_deadline(days, session.starts_at))
        _announce_attendance(record)
    return record


def _lock_enterprise_before_session(enterprise_id: int | None) -> None:
    """Attendance may move the enterprise's cultivation on (`cultivation_transition` locks its
    row FOR UPDATE): take that lock first (`trainees.services.enterprise_lock`), in the
    project's lock order (enterprise, then session), so it never waits for a booker of the
    session who holds the enterprise in share and waits for the session (a deadlock)."""
    from trainees.services import enterprise_lock

    if enterprise_id and seat_lock_enabled():
        enterprise_lock(enterprise_id)


def _announce_attendance(record: AttendanceRecord) -> None:
    """Attendance moves the enterprise's cultivation on and tells courses and readiness."""
    booking = record.booking
    _start_training_on_first_attendance(record)
    transaction.on_commit(
        lambda: attendance_recorded.send(
            sender=AttendanceRecord,
            booking_id=booking.pk,
            user_id=booking.user_id,
            session_id=booking.session_id,
            training_type=booking.training_type,
            day=record.day,
            status=record.status,
        )
    )


def _start_training_on_first_attendance(record: AttendanceRecord) -> None:
    from trainees.models import Enterprise
    from trainees.services import cultivation_transition

    booking = record.booking
    status = Enterprise.objects.values_list("cultivation_status", flat=True).get(pk=booking.enterprise_id)
    if rules.starts_training(attendance_status=record.status, cultivation_status=status):
        cultivation_transition(
            enterprise_id=booking.enterprise_id,
            action="start_training",
            actor=record.recorded_by,
            reason=gettext("First training session attended: %(session)s, %(day)s")
            % {"session": booking.session.title, "day": record.day.isoformat()},
        )


def _undo_start_training_if_corrected(record: AttendanceRecord, *, previous_status: str | None) -> None:
    """A "present" corrected to "absent": if no other attended day of the enterprise remains,
    its cultivation goes back from "in training" to "listed" (an audited transition)."""
    from trainees.models import Enterprise
    from trainees.services import cultivation_transition

    booking = record.booking
    if previous_status not in rules.ATTENDED:
        return
    status = Enterprise.objects.values_list("cultivation_status", flat=True).get(pk=booking.enterprise_id)
    other_attendance = (
        AttendanceRecord.objects.filter(booking__enterprise_id=booking.enterprise_id, status__in=rules.ATTENDED)
        .exclude(pk=record.pk)
        .exists()
    )
    if rules.undoes_start_training(
        previous_status=previous_status,
        new_status=record.status,
        cultivation_status=status,
        other_attendance=other_attendance,
    ):
        cultivation_transition(
            enterprise_id=booking.enterprise_id,
            action="undo_start_training",
            actor=record.recorded_by,
            reason=gettext("Attendance corrected to absent: %(session)s, %(day)s")
            % {"session": booking.session.title, "day": record.day.isoformat()},
        )


def checkin_token(*, session_id: int, day: dt.date, now: dt.datetime | None = None) -> str:
    """The signed code shown on the base's screen at `now`: session, day and the 30-second period
    (rules.checkin_window) it belongs to."""
    now = now or timezone.now()
    return signing.dumps({"s": session_id, "d": day.isoformat(), "w": rules.checkin_window(now)}, salt=CHECKIN_SALT)


def checkin(*, user, token: str, now: dt.datetime | None = None, client_address: str = "") -> AttendanceRecord:
    """QR check-in at the base: the signed code names the session day and its period; it is
    accepted in that period and the next (rules.checkin_window_accepted), only from the base's
    networks when it has any (`TrainingBase.checkin_networks`), and the server clock decides
    present or late. `client_address`: from `lms.net.client_ip`, stored on the record.
    Raises ValidationError (invalid or expired code, outside the base's network, no seat)."""
    now = now or timezone.now()
    try:
        data = signing.loads(token, salt=CHECKIN_SALT)
        session_id, day, window = int(data["s"]), dt.date.fromisoformat(data["d"]), int(data["w"])
    except (signing.BadSignature, KeyError, ValueError, TypeError, OverflowError) as exc:
        raise ValidationError(message("checkin_invalid")) from exc
    if not rules.checkin_window_accepted(window, now=now):
        raise ValidationError(message("checkin_invalid"))
    with transaction.atomic():
        _lock_enterprise_before_session(user.enterprise_id)
        try:
            session = _lock_session(session_id)
        except TrainingSession.DoesNotExist as exc:
            raise ValidationError(message("checkin_invalid")) from exc
        days = rules.session_days(session.starts_at, session.ends_at)
        if day not in days or now.astimezone(rules.SHANGHAI).date() != day:
            raise ValidationError(message("checkin_invalid"))
        networks = session.base.checkin_network_list
        if networks and not ip_in_ranges(client_address, networks):
            raise ValidationError(message("checkin_outside_base"))
        booking = Booking.objects.filter(session=session, user=user, status=Booking.Status.CONFIRMED).first()
        if booking is None:
            raise ValidationError(message("checkin_no_booking"))
        status = rules.checkin_status(now=now, starts=rules.day_start(day, session.starts_at))
        address = client_address or None
        record = AttendanceRecord.objects.filter(booking=booking, day=day).first()
        if record is None:
            record = AttendanceRecord.objects.create(
                booking=booking,
                day=day,
                status=status,
                method=AttendanceRecord.Method.QR,
                recorded_by=user,
                client_address=address,
            )
        elif record.status == AttendanceRecord.Status.ABSENT:
            record.status, record.method, record.client_address = status, AttendanceRecord.Method.QR, address
            record.save(update_fields=["status", "method", "client_address", "recorded_at"])
        _announce_attendance(record)
    return record


def wait_for_lock_ms(session_id: int) -> float:
    """Milliseconds spent acquiring the session lock (benchmark helper)."""
    start = time.perf_counter()
    with transaction.atomic():
        _lock_session(session_id)
    return (time.perf_counter() - start) * 1000
