"""Digests of everything an allocation plan is computed from (issue 9, point 2), so that
confirming a previewed plan need not compute it again: the plan is a pure function
(`rules.allocate`) of

- the key training list of the run's round and type (`list_digest`): entry, priority,
  enterprise, preferred bases, the nominee's account, name and position, proposed base, and the
  position of the account (a booking carries the person's own position);
- the active bookings of the training type, and those in its sessions (`bookings_digest`):
  who holds or waits for which seat, at which priority and position;
- the sessions open to allocation at that moment (`sessions_digest`): base, start, seats;
- the enterprises of the list whose cultivation blocks training, with their status
  (`enterprises_digest` of `blocked_enterprises`): their people are left out.

Equal digests at preview and under the confirm's locks mean the same plan. The digest of the
list and of the bookings is computed by the database in one statement each (on PostgreSQL; the
same rows are hashed here elsewhere); the sessions' and the enterprises' from the rows the
caller already holds (the confirm reads the enterprises under a share lock, before the session
locks, so no suspension commits between that read and its writes). A digest read before the
plan's inputs can only differ from a later one if something changed in between: then the
confirm falls back to computing the plan."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db import connection
from django.db.models import Q

from lms.compiled import CompiledQuery
from trainees.models import Enterprise, KeyListEntry, TrainingType
from trainees.models.core import BLOCKING_STATUSES

from .models import Booking, TrainingSession
from .seats import share_locked

# On PostgreSQL: the number of rows and the sum of a 64-bit hash of each row. A row's hash chains
# its values, each hashed with the previous one's hash as seed (PostgreSQL's extended hash
# functions), so no value is written out as text and no string is built; every value is
# non-NULL (a NULL would drop the row from the sum).
_HASH_OF = {"int": "hashint8extended", "text": "hashtextextended", "json": "jsonb_hash_extended"}


def _row_hash(columns: list[tuple[str, str]]) -> str:
    """SQL for the chained hash of (expression, kind) columns, kind one of `_HASH_OF`."""
    sql = "0"
    for expression, kind in columns:
        sql = f"{_HASH_OF[kind]}({expression}, {sql})"
    return sql


def _digest_sql(columns: list[tuple[str, str]], rest: str) -> str:
    return f"SELECT count(*) || ':' || coalesce(sum({_row_hash(columns)}), 0) {rest}"


_LIST_SQL = _digest_sql(
    [
        ("e.id", "int"),
        ("e.priority", "int"),
        ("e.enterprise_id", "int"),
        ("e.application_id", "int"),
        ("a.preferred_bases", "json"),
        ("coalesce(n.user_id, 0)", "int"),
        ("n.name", "text"),
        ("n.position", "text"),
        ("e.base_slug", "text"),
        ("coalesce(u.position, '')", "text"),
    ],
    "FROM trainees_keylistentry e "
    "JOIN trainees_trainingapplication a ON a.id = e.application_id "
    "JOIN trainees_nominatedtrainee n ON n.id = e.nominee_id "
    "LEFT JOIN trainees_user u ON u.id = n.user_id "
    "WHERE e.round_id = %s AND e.training_type = %s AND e.removed_at IS NULL",
)
_BOOKINGS_SQL = _digest_sql(
    [
        ("b.id", "int"),
        ("b.session_id", "int"),
        ("b.user_id", "int"),
        ("b.status", "text"),
        ("b.priority", "int"),
        ("b.position", "text"),
        ("coalesce(b.seat_number, 0)", "int"),
    ],
    "FROM training_bases_booking b JOIN training_bases_trainingsession s ON s.id = b.session_id "
    "WHERE b.status IN (%s, %s) AND (b.training_type = %s OR s.training_type = %s)",
)


def _list_enterprises(training_type: str) -> CompiledQuery:
    """The enterprises with live entries in a round's list of `training_type`, in id order,
    with their cultivation status (`blocked_enterprises`): compiled once per type."""

    def build(round_id: int):
        entries = KeyListEntry.objects.filter(round_id=round_id, training_type=training_type, removed_at__isnull=True)
        return (
            Enterprise.objects.filter(pk__in=entries.values("enterprise_id"))
            .order_by("pk")
            .values_list("pk", "cultivation_status")
        )

    return CompiledQuery(build)


_LIST_ENTERPRISES = {training_type: _list_enterprises(training_type) for training_type in TrainingType.values}


def _hash_rows(rows: Iterable[tuple]) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    for row in rows:
        digest.update(repr(row).encode())
    return digest.hexdigest()


def _scalar(sql: str, params: list) -> str:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0] or ""


def list_digest(*, round_id: int | None, training_type: str) -> str:
    """Digest of the live entries of the round's key list of `training_type` (the rows
    `trainees.selectors.key_list_trainees` reads, with the positions of the nominees' accounts),
    one statement. Only published rounds are allocated, and a published round stays published."""
    if connection.vendor == "postgresql":
        return _scalar(_LIST_SQL, [round_id, training_type])
    rows = (
        KeyListEntry.objects.filter(round_id=round_id, training_type=training_type, removed_at__isnull=True)
        .order_by("priority", "id")
        .values_list(
            "id",
            "priority",
            "enterprise_id",
            "application_id",
            "application__preferred_bases",
            "nominee__user_id",
            "nominee__name",
            "nominee__position",
            "base_slug",
            "nominee__user__position",
        )
    )
    return _hash_rows(rows)


def bookings_digest(*, training_type: str) -> str:
    """Digest of the active bookings of `training_type` and of those in its sessions (seats
    taken, waitlists, who is already booked), one statement."""
    active = [Booking.Status.CONFIRMED.value, Booking.Status.WAITLISTED.value]
    if connection.vendor == "postgresql":
        return _scalar(_BOOKINGS_SQL, [*active, training_type, training_type])
    rows = (
        Booking.objects.filter(Q(training_type=training_type) | Q(session__training_type=training_type))
        .filter(status__in=active)
        .order_by("pk")
        .values_list("pk", "session_id", "user_id", "status", "priority", "position", "seat_number")
    )
    return _hash_rows(rows)


def sessions_digest(sessions: Iterable[TrainingSession]) -> str:
    """Digest of the sessions open to allocation, as the plan's slots see them (base, start,
    seats); a base is its id (no base row needs loading)."""
    return _hash_rows(
        (s.pk, s.base_id, s.starts_at.isoformat(), s.capacity, s.reserved_leadership_seats)
        for s in sorted(sessions, key=lambda s: s.pk)
    )


def blocked_enterprises(*, round_id: int | None, training_type: str, lock: bool = False) -> dict[int, str]:
    """{enterprise id: cultivation status} of the enterprises with live entries in the round's
    key list of `training_type` whose cultivation blocks training (`BLOCKING_STATUSES`:
    suspended, terminated; DOMAIN.md: effects of suspension), one statement.

    With `lock`, every enterprise of the list (blocked or not) is read FOR SHARE, in id order,
    where the database can lock rows (a plain read elsewhere): a suspension or termination
    (`trainees.services.cultivation_transition` locks the enterprise FOR UPDATE, then the
    sessions) waits for the caller's transaction, then releases what it wrote. Take it before
    any session lock (the project's lock order: enterprise, then session)."""
    if round_id is None:
        return {}
    sql, params = _LIST_ENTERPRISES[training_type].statement(round_id)  # no ORM compile on the confirm's path
    with connection.cursor() as cursor:
        cursor.execute(share_locked(sql, lock=lock), params)  # every enterprise of the list, blocked or not
        return {pk: status for pk, status in cursor.fetchall() if status in BLOCKING_STATUSES}


def enterprises_digest(blocked: dict[int, str]) -> str:
    """Digest of `blocked_enterprises`: which enterprises of the list are left out, and why."""
    return _hash_rows(sorted(blocked.items()))
