"""The statements a cancellation and a promotion run while they hold a session's seat lock,
written out (issue 9, point 2): building a statement through the ORM costs more CPU than
PostgreSQL spends running it (0.5-1.5 ms against 0.1 ms), and under the lock every such
millisecond is a millisecond every other booker of the session waits. The SQL is plain (no
vendor function; `FOR UPDATE` only where the database has it), rows come back as model
instances with the database converters applied, and columns not read stay deferred (loaded on
first access, never guessed). `services` decides; this module only reads and writes."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence

import psycopg
from django.db import connection, models

from . import rules
from .models import Booking, Room, TrainingSession

_BOOKING_COLUMNS = (
    "id",
    "session_id",
    "user_id",
    "enterprise_id",
    "status",
    "ics_sequence",
    "priority",
    "position",
    "seat_number",
    "created_at",
)
_SESSION_COLUMNS = (
    "id",
    "status",
    "capacity",
    "reserved_leadership_seats",
    "starts_at",
    "cancellation_cutoff",
    "base_id",
    "room_id",
    "training_type",
)
_ROOM_COLUMNS = ("id", "kind", "base_id")
_LEADERS = tuple(sorted(rules.LEADERSHIP_POSITIONS))


@functools.cache
def _reader(model: type[models.Model], names: tuple[str, ...]) -> tuple:
    """How to turn a row of `names` columns into `Model.from_db` arguments: the columns in the
    model's field order, each with the converters the ORM would apply to it."""
    order = {f.attname: i for i, f in enumerate(model._meta.concrete_fields)}
    steps = []
    for position, name in sorted(enumerate(names), key=lambda item: order[item[1]]):
        field = model._meta.get_field(name)
        col = field.get_col(model._meta.db_table)
        converters = tuple(connection.ops.get_db_converters(col) + field.get_db_converters(connection))
        steps.append((position, name, col, converters))
    return tuple(steps)


def _instance(model: type[models.Model], names: tuple[str, ...], values: Sequence) -> models.Model:
    """A model instance from a row of `names` columns, as a queryset with `.only(*names)` gives."""
    steps = _reader(model, names)
    converted = []
    for position, _name, col, converters in steps:
        value = values[position]
        for convert in converters:
            value = convert(value, col, connection)
        converted.append(value)
    return model.from_db(connection.alias, [name for _position, name, _col, _conv in steps], converted)


def _columns(columns: tuple[str, ...], alias: str = "") -> str:
    return ", ".join(f"{alias}.{column}" if alias else column for column in columns)


# Every identifier below is a constant of this module; values travel as parameters.
_CONFIRMED, _WAITLISTED = Booking.Status.CONFIRMED.value, Booking.Status.WAITLISTED.value
_LEADERS_IN = ", ".join(["%s"] * len(_LEADERS))
# A locking statement reads no other table through the session row: were the session changed
# (another room) while this waited for its lock, PostgreSQL would check the join again with the
# new row against the old room's and return nothing. The room is read by the next statement,
# in the same round trip, once the lock is granted.
_LOCK_SESSION_OF_BOOKING = (
    f"SELECT {_columns(_BOOKING_COLUMNS, 'b')}, {_columns(_SESSION_COLUMNS, 's')} "  # noqa: S608
    "FROM training_bases_booking b "
    "JOIN training_bases_trainingsession s ON s.id = b.session_id "
    "WHERE b.id = %s"
)
_ROOM_OF_BOOKING = (
    f"SELECT {_columns(_ROOM_COLUMNS)} FROM training_bases_room WHERE id = ("  # noqa: S608
    "SELECT s.room_id FROM training_bases_booking b "
    "JOIN training_bases_trainingsession s ON s.id = b.session_id WHERE b.id = %s)"
)
_FREE = "(%s - (SELECT COUNT(*) FROM training_bases_booking WHERE session_id = %s AND status = %s))"
_SEAT_STATE_AND_TOP_WAITING = (
    f"SELECT c.total, c.leaders, {_columns(_BOOKING_COLUMNS, 'w')} FROM ("  # noqa: S608
    f"SELECT COUNT(*) AS total, SUM(CASE WHEN position IN ({_LEADERS_IN}) THEN 1 ELSE 0 END) AS leaders "
    "FROM training_bases_booking WHERE session_id = %s AND status = %s) c "
    f"LEFT JOIN (SELECT {_columns(_BOOKING_COLUMNS)} FROM training_bases_booking "
    "WHERE session_id = %s AND status = %s ORDER BY priority, created_at, id "
    f"LIMIT CASE WHEN {_FREE} > 0 THEN {_FREE} ELSE 0 END) w ON 1 = 1"
)
_TOP_WAITING_LEADERS = (
    f"SELECT {_columns(_BOOKING_COLUMNS)} FROM training_bases_booking "  # noqa: S608
    f"WHERE session_id = %s AND status = %s AND position IN ({_LEADERS_IN}) "
    "ORDER BY priority, created_at, id LIMIT %s"
)
_CANCEL_IF_UNCHANGED = (
    "UPDATE training_bases_booking SET status = %s, cancelled_at = %s, seat_number = NULL, "
    "ics_sequence = %s, updated_at = %s "
    "WHERE id = %s AND session_id = %s AND status = %s AND ics_sequence = %s RETURNING id"
)
_CONFIRM_WAITING = (
    "UPDATE training_bases_booking SET status = %s, ics_sequence = ics_sequence + 1, updated_at = %s WHERE id IN "
)


def _all_columns(model: type[models.Model], alias: str) -> tuple[tuple[str, ...], str]:
    """Every concrete field's attribute name, and the SELECT list of their columns."""
    fields = model._meta.concrete_fields
    return tuple(f.attname for f in fields), ", ".join(f"{alias}.{f.column}" for f in fields)


_SESSION_ALL, _SESSION_SELECT = _all_columns(TrainingSession, "s")
_ROOM_ALL, _ROOM_SELECT = _all_columns(Room, "r")
_LOCK_SESSION = f"SELECT {_SESSION_SELECT} FROM training_bases_trainingsession s WHERE s.id = %s"  # noqa: S608
_ROOM_OF_SESSION = (
    f"SELECT {_ROOM_SELECT} FROM training_bases_room r "  # noqa: S608
    "WHERE r.id = (SELECT room_id FROM training_bases_trainingsession WHERE id = %s)"
)
_ENTERPRISE_STATUS = "SELECT cultivation_status FROM trainees_enterprise WHERE id = %s"
_CONFIRMED_SEATS = "SELECT position, seat_number FROM training_bases_booking WHERE session_id = %s AND status = %s"


_ROWS = psycopg.pq.ExecStatus.TUPLES_OK


def _one_round_trip(cursor, statements: Sequence[tuple[str, Sequence]]) -> list[list[tuple]]:
    """Each statement's rows, the statements sent as one query string where the driver binds
    values itself (PostgreSQL with client-side binding, Django's default): one round trip. The
    server runs them in order, each with a snapshot of its own (READ COMMITTED), so a read after
    a lock sees every write committed before the lock was granted. Elsewhere, one by one."""
    driver = cursor.cursor
    if isinstance(driver, psycopg.ClientCursor):
        cursor.execute("; ".join(sql for sql, _ in statements), [v for _, values in statements for v in values])
        # Every result has arrived with `execute`; read them from the driver's cursor directly.
        results = [driver.fetchall() if driver.pgresult.status == _ROWS else []]
        while driver.nextset():
            results.append(driver.fetchall() if driver.pgresult.status == _ROWS else [])
        return results
    results = []
    for sql, values in statements:
        cursor.execute(sql, values)
        results.append(cursor.fetchall() if cursor.description else [])
    return results


def _locking(sql: str, *, lock: bool) -> str:
    """`sql` (a query on session alias `s`) locking the session row when `lock` and the database
    can lock one table of a join."""
    return sql + " FOR UPDATE OF s" if lock and connection.features.has_select_for_update_of else sql


def _session_of(session_row: Sequence, room_row: Sequence) -> TrainingSession:
    session = _instance(TrainingSession, _SESSION_ALL, session_row)
    session.room = _instance(Room, _ROOM_ALL, room_row)
    return session


def _seats_of(session: TrainingSession, rows: Sequence[tuple[str, int | None]]) -> tuple[rules.SeatState, list[int]]:
    leaders = sum(1 for position, _ in rows if position in rules.LEADERSHIP_POSITIONS)
    taken = [seat for _, seat in rows if seat is not None]
    return rules.SeatState(session.capacity, session.reserved_leadership_seats, len(rows), leaders), taken


def _lock_statements(session_id: int, *, lock: bool) -> list[tuple[str, list]]:
    """Lock the session row, then read its room as it is once the lock is granted."""
    return [(_locking(_LOCK_SESSION, lock=lock), [session_id]), (_ROOM_OF_SESSION, [session_id])]


def lock_session(session_id: int, *, lock: bool) -> TrainingSession | None:
    """One round trip: the session row, locked (`lock`), with its room attached as it is once the
    lock is granted, every column loaded (as `select_related("room")` gives). None: no such
    session."""
    with connection.cursor() as cursor:
        locked, room = _one_round_trip(cursor, _lock_statements(session_id, lock=lock))
    return _session_of(locked[0], room[0]) if locked else None


def enterprise_status_statement(enterprise_id: int, *, lock: bool) -> tuple[str, list]:
    """(SQL, values) reading an enterprise's cultivation status, its row share-locked when
    `lock` and the database can. Taken before any session lock (a cultivation transition locks
    the enterprise row, then the release of its bookings locks their sessions: the same order),
    it makes a suspension wait for a booking to commit, so the release finds that booking, or
    the booking read the status the suspension wrote. DOMAIN.md: effects of suspension."""
    return share_locked(_ENTERPRISE_STATUS, lock=lock), [enterprise_id]


def share_locked(sql: str, *, lock: bool) -> str:
    """`sql` holding the rows it reads FOR SHARE until the transaction ends, when `lock` and the
    database can lock rows (a plain read elsewhere)."""
    return f"{sql} FOR SHARE" if lock and connection.features.has_select_for_update else sql


def lock_session_with_seats(
    session_id: int, *, lock: bool, read_first: Sequence[tuple[str, Sequence]]
) -> tuple[list[list[tuple]], tuple[TrainingSession, rules.SeatState, list[int]] | None]:
    """The caller's `read_first` statements ((SQL, values) each), then `lock_session`, then
    `confirmed_seats`, in one round trip (`_one_round_trip`): (the rows of each `read_first`
    statement, (session, seat state, numbered seats taken) or None when there is no such
    session). The room and seat reads start once the lock is granted, so they see every change
    committed by the writers who held it."""
    with connection.cursor() as cursor:
        *first, locked, room, rows = _one_round_trip(
            cursor,
            [*read_first, *_lock_statements(session_id, lock=lock), (_CONFIRMED_SEATS, [session_id, _CONFIRMED])],
        )
    if not locked:
        return first, None
    session = _session_of(locked[0], room[0])
    return first, (session, *_seats_of(session, rows))


def confirmed_seats(session: TrainingSession) -> tuple[rules.SeatState, list[int]]:
    """One read under the lock: the seat state and the numbered seats taken (at most capacity rows)."""
    with connection.cursor() as cursor:
        cursor.execute(_CONFIRMED_SEATS, [session.pk, _CONFIRMED])
        return _seats_of(session, cursor.fetchall())


def lock_session_of_booking(booking_id: int, *, lock: bool) -> Booking | None:
    """One round trip: lock the booking's session row (`lock`) and read the booking with its
    session and room attached. The session and its room are read as locked; the booking as it
    stood when the statement began (a writer who held the lock may have changed it since). None:
    no booking."""
    with connection.cursor() as cursor:
        locked, room = _one_round_trip(
            cursor, [(_locking(_LOCK_SESSION_OF_BOOKING, lock=lock), [booking_id]), (_ROOM_OF_BOOKING, [booking_id])]
        )
    if not locked:
        return None
    row, n_booking = locked[0], len(_BOOKING_COLUMNS)
    booking = _instance(Booking, _BOOKING_COLUMNS, row[:n_booking])
    session = _instance(TrainingSession, _SESSION_COLUMNS, row[n_booking:])
    session.room = _instance(Room, _ROOM_COLUMNS, room[0])
    booking.session = session
    return booking


def cancel_if_unchanged(
    booking: Booking, *, cancelled_at: dt.datetime, stamp: dt.datetime, read_seats: bool = False
) -> tuple[bool, tuple[rules.SeatState, list[Booking]] | None]:
    """Cancel the booking if it still has the session, status and sequence it was read with:
    (True, …); (False, None) and nothing written if it changed since. The instance follows the
    stored row. With `read_seats`, the session's seats after the cancellation
    (`seat_state_and_top_waiting`, for the promotion that follows) come back in the same round
    trip as the second item. Caller holds the session lock."""
    ops = connection.ops
    values = [
        Booking.Status.CANCELLED.value,
        ops.adapt_datetimefield_value(cancelled_at),
        booking.ics_sequence + 1,
        ops.adapt_datetimefield_value(stamp),
        booking.pk,
        booking.session_id,
        booking.status,
        booking.ics_sequence,
    ]
    statements = [(_CANCEL_IF_UNCHANGED, values)]
    if read_seats:
        statements.append(_seat_state_statement(booking.session))
    with connection.cursor() as cursor:
        results = _one_round_trip(cursor, statements)
    if not results[0]:
        return False, None
    booking.status, booking.cancelled_at, booking.seat_number = Booking.Status.CANCELLED, cancelled_at, None
    booking.ics_sequence += 1
    booking.updated_at = stamp
    return True, (_seat_state_from(booking.session, results[1]) if read_seats else None)


def _seat_state_statement(session: TrainingSession) -> tuple[str, list]:
    free = [session.capacity, session.pk, _CONFIRMED]
    return _SEAT_STATE_AND_TOP_WAITING, [*_LEADERS, session.pk, _CONFIRMED, session.pk, _WAITLISTED, *free, *free]


def _seat_state_from(session: TrainingSession, rows: Sequence[tuple]) -> tuple[rules.SeatState, list[Booking]]:
    total, leaders = rows[0][0], rows[0][1] or 0
    state = rules.SeatState(session.capacity, session.reserved_leadership_seats, total, leaders)
    waiting = [_instance(Booking, _BOOKING_COLUMNS, row[2:]) for row in rows if row[2] is not None]
    free_seats = state.capacity - state.confirmed_total
    if len(waiting) == free_seats > rules.free_seats_for(state, leadership=False):
        found = {b.pk: b for b in waiting}
        with connection.cursor() as cursor:
            cursor.execute(_TOP_WAITING_LEADERS, [session.pk, _WAITLISTED, *_LEADERS, free_seats])
            for row in cursor.fetchall():
                found.setdefault(row[0], _instance(Booking, _BOOKING_COLUMNS, row))
        waiting = list(found.values())
    return state, waiting


def seat_state_and_top_waiting(session: TrainingSession) -> tuple[rules.SeatState, list[Booking]]:
    """One statement: the session's confirmed seats (total, leaders) and its first waiting
    bookings in waitlist order, as many as seats are free (none when the session is full).
    While reserved seats are held back and more people than free seats wait, the first leaders
    are read too (`rules.promotions` lets a leader pass people who fit no free seat): a second
    statement, only then. Caller holds the session lock."""
    with connection.cursor() as cursor:
        cursor.execute(*_seat_state_statement(session))
        return _seat_state_from(session, cursor.fetchall())


def confirm_waiting_statement(bookings: Sequence[Booking], *, stamp: dt.datetime) -> tuple[str, list]:
    """(SQL, values) confirming waiting bookings read under the lock (no seat number: not a
    computer room), one step of calendar sequence each, for the caller's last round trip
    (`round_trip`). The instances follow the rows as they will be stored."""
    placeholders = ", ".join(["%s"] * len(bookings))
    for booking in bookings:
        booking.status = Booking.Status.CONFIRMED
        booking.ics_sequence += 1
        booking.updated_at = stamp
    return (
        f"{_CONFIRM_WAITING}({placeholders})",
        [_CONFIRMED, connection.ops.adapt_datetimefield_value(stamp), *(b.pk for b in bookings)],
    )


def session_status_statement(session_id: int, status: str) -> tuple[str, list]:
    """(SQL, values) setting a session's status (open <-> full, as its seats decide), for the
    caller's last round trip. Caller holds the session lock."""
    return "UPDATE training_bases_trainingsession SET status = %s WHERE id = %s", [status, session_id]


def round_trip(statements: Sequence[tuple[str, Sequence]]) -> list[list[tuple]]:
    """Send (SQL, values) statements in one round trip where the database allows
    (`_one_round_trip`): the rows of each, in order. The first statement that fails raises, and
    none after it runs."""
    with connection.cursor() as cursor:
        return _one_round_trip(cursor, statements)
