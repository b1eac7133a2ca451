"""Bulk writes for imports of tens of thousands of rows: PostgreSQL's COPY, which moves rows as
one stream instead of rendering a statement with a parameter per value (for 10,000 rows of a
dozen columns, Django's `bulk_create` spends seconds building and binding 120,000 parameters).
Other databases (SQLite for `make run`) fall back to the ORM's bulk operations, same results.

Values are taken from the model instances as the ORM would save them (`Field.pre_save`, then
`get_db_prep_save`), so defaults, `auto_now_add` and foreign keys behave as with `bulk_create`
(inserted rows share one timestamp per call, read and prepared once)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Collection, Iterable, Sequence

from django.db import connection, models
from django.db.models.fields.json import JSONField
from django.utils import timezone

# Fields whose Python value psycopg adapts to the column's type as it is: read with getattr,
# not through the field's per-value preparation (the slow part for tens of thousands of rows).
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.DateField,
    models.ForeignKey,
    models.DecimalField,
    models.FloatField,
    models.UUIDField,
)


def _value_reader(field: models.Field, now=None):
    """A function obj → database value for `field`, as `bulk_create` would write it. `auto_now`
    and `auto_now_add` fields take `now` (one moment for the whole batch, prepared once) when
    given, and the instances receive it as `pre_save` would set it."""
    auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    if auto and now is not None:
        attname, value = field.attname, field.get_db_prep_save(now, connection)

        def read_auto(obj):
            setattr(obj, attname, now)
            return value

        return read_auto
    plain = isinstance(field, _PLAIN) and not auto and not isinstance(field, JSONField)
    if plain and not _custom_prep(field):
        attname = field.attname
        return lambda obj: getattr(obj, attname)
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)


def _custom_prep(field: models.Field) -> bool:
    """Whether the field's class changes values on the way to the database (a subclass of a
    built-in field overriding `pre_save` or a `get_*prep*` method)."""
    return _class_has_custom_prep(type(field))


@functools.cache
def _class_has_custom_prep(cls: type) -> bool:
    for base in cls.__mro__:
        if base.__module__.startswith("django."):
            return False
        if {"pre_save", "get_prep_value", "get_db_prep_value", "get_db_prep_save"} & vars(base).keys():
            return True
    return False


@functools.cache
def _insert_statement(
    model: type[models.Model], rows: int, *, with_keys: bool = False
) -> tuple[list[models.Field], str]:
    """The fields `insert_ids` writes (every concrete one but the key; the key first too when
    `with_keys`) and its INSERT … RETURNING for `rows` rows; identifiers from the model's
    metadata, quoted; values as parameters."""
    fields = [f for f in model._meta.concrete_fields if with_keys or not f.primary_key]
    quote = connection.ops.quote_name
    columns, row = ", ".join(quote(f.column) for f in fields), f"({', '.join(['%s'] * len(fields))})"
    return fields, (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {', '.join([row] * rows)} "  # noqa: S608
        f"RETURNING {quote(model._meta.pk.column)}"
    )


def _staged(cursor, model: type[models.Model], fields: Sequence[models.Field], rows: Iterable[Sequence[object]]) -> str:
    """COPY `rows` (database values, in the order of `fields`) into a temporary table shaped
    like those columns of `model`'s table; returns the table's quoted name."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    table, staging = quote(model._meta.db_table), quote(f"_staged_{model._meta.db_table}")
    cursor.execute(f"DROP TABLE IF EXISTS {staging}")
    cursor.execute(f"CREATE TEMPORARY TABLE {staging} AS SELECT {columns} FROM {table} WITH NO DATA")  # noqa: S608
    with cursor.cursor.copy(f"COPY {staging} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    return staging


def _copy_with_ids(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Give `objs` primary keys from the table's sequence (one statement) and COPY them in with
    every column (one statement): no staging table, nothing sent back. Errors are Django's
    (IntegrityError for a key that exists already, a missing foreign key)."""
    fields = list(model._meta.concrete_fields)
    now = timezone.now()
    readers = [_value_reader(f, now) for f in fields if not f.primary_key]
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), model._meta.pk
    columns = ", ".join(quote(f.column) for f in [pk, *(f for f in fields if not f.primary_key)])
    with connection.cursor() as cursor:
        cursor.execute(*reserve_ids_statement(model, len(objs)))
        _saved(objs, reserved_ids(model, cursor.fetchall()))
        # Identifiers come from the model's metadata, quoted; every value travels through COPY.
        with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([obj.pk, *(read(obj) for read in readers)])


def insert_returning(model: type[models.Model], objs: Sequence[models.Model], *, key_field: str) -> dict[object, int]:
    """Insert `objs` (unsaved instances, every column as the ORM would write it; they receive
    their primary keys) and return {value of `key_field`: primary key}. Raises IntegrityError as
    `bulk_create` would (a key that exists already, a missing foreign key): the caller's
    transaction decides."""
    if not objs:
        return {}
    key = model._meta.get_field(key_field)
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=1000)
    else:
        _copy_with_ids(model, objs)
    return {getattr(o, key.attname): o.pk for o in objs}


# Up to this many rows, `insert_ids` sends one INSERT with its values; more go by COPY.
INSERT_VALUES_MAX = 100


def insert_ids(model: type[models.Model], objs: Sequence[models.Model]) -> list[int]:
    """Insert `objs` (unsaved instances, every column as the ORM would write it; they receive
    their primary keys) and return the keys, for rows with no other unique column (e.g. notices
    whose ids go to a task). One statement for a few rows, two (keys, COPY) for many; the ORM's
    `bulk_create` off PostgreSQL. Same errors as `insert_returning`."""
    if not objs:
        return []
    if connection.vendor != "postgresql":
        return [o.pk for o in model.objects.bulk_create(objs, batch_size=1000)]
    if len(objs) > INSERT_VALUES_MAX:
        _copy_with_ids(model, objs)
        return [o.pk for o in objs]
    with connection.cursor() as cursor:
        cursor.execute(*insert_statement(model, objs))
        ids = [found[0] for found in cursor.fetchall()]
    _saved(objs, ids)
    return ids


def insert_statement(model: type[models.Model], objs: Sequence[models.Model]) -> tuple[str, list]:
    """(SQL, values) of one INSERT … RETURNING the primary key of `objs` (1 to INSERT_VALUES_MAX
    unsaved instances, every column as the ORM would write it), for a caller that sends it with
    other statements in one round trip and hands the keys returned to `inserted`. Instances that
    carry a primary key already (`reserve_ids_statement`) are written with it."""
    with_keys = objs[0].pk is not None
    fields, sql = _insert_statement(model, len(objs), with_keys=with_keys)
    now = timezone.now()
    readers = [(lambda o: o.pk) if f.primary_key else _value_reader(f, now) for f in fields]
    return sql, [read(o) for o in objs for read in readers]


def reserve_ids_statement(model: type[models.Model], count: int) -> tuple[str, list] | None:
    """(SQL, values) drawing `count` primary keys from the sequence of `model`'s table (one row
    each; `reserved_ids` reads them), so rows that refer to one another can be written in one
    round trip; None off PostgreSQL (keys come from the insert there). A key drawn and not used
    is a harmless gap. The sequence is named by `pg_get_serial_sequence` the first time in a
    process, by its name afterwards (faster on a new connection), never by a statement of its own."""
    if connection.vendor != "postgresql":
        return None
    name = _SEQUENCES.get(model)
    if name is not None:
        return "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [name, count]
    table, column = connection.ops.quote_name(model._meta.db_table), model._meta.pk.column
    return (
        "SELECT nextval(pg_get_serial_sequence(%s, %s)), pg_get_serial_sequence(%s, %s) FROM generate_series(1, %s)",
        [table, column, table, column, count],
    )


def reserved_ids(model: type[models.Model], rows: Sequence[Sequence]) -> list[int]:
    """The keys a `reserve_ids_statement` drew (its rows)."""
    if rows and len(rows[0]) > 1:
        _SEQUENCES.setdefault(model, rows[0][1])
    return [row[0] for row in rows]


_SEQUENCES: dict[type[models.Model], str] = {}  # model -> the sequence behind its primary key


def inserted(objs: Sequence[models.Model], rows: Sequence[Sequence]) -> list[int]:
    """The keys an `insert_statement` returned (its rows), given to `objs` as a saved instance
    holds them."""
    ids = [row[0] for row in rows]
    _saved(objs, ids)
    return ids


def _saved(objs: Sequence[models.Model], ids: Sequence[int]) -> None:
    for obj, new_id in zip(objs, ids, strict=True):
        obj.pk = new_id
        obj._state.adding, obj._state.db = False, connection.alias  # as a saved instance


def update_present(
    model: type[models.Model],
    rows: Sequence[tuple[models.Model, Collection[str]]],
    *,
    key_field: str,
    fields: Sequence[str],
) -> None:
    """Update the stored rows matched by `key_field` with the values of `fields` that each
    (instance, names present) pair holds; a field not present in a pair keeps its stored value
    (an empty cell in an import changes nothing). One UPDATE on PostgreSQL."""
    if not rows or not fields:
        return
    key = model._meta.get_field(key_field)
    targets = [model._meta.get_field(name) for name in fields]
    if connection.vendor != "postgresql":
        stored = model.objects.in_bulk([getattr(o, key.attname) for o, _present in rows], field_name=key_field)
        for obj, present in rows:
            target = stored[getattr(obj, key.attname)]
            for f in targets:
                if f.name in present:
                    setattr(target, f.attname, getattr(obj, f.attname))
        model.objects.bulk_update(list(stored.values()), [f.name for f in targets], batch_size=1000)
        return
    read_key, readers = _value_reader(key), [(f.name, _value_reader(f)) for f in targets]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    assignments = ", ".join(f"{quote(f.column)} = COALESCE(s.{quote(f.column)}, t.{quote(f.column)})" for f in targets)
    with connection.cursor() as cursor:
        staging = _staged(
            cursor,
            model,
            [key, *targets],
            ([read_key(o), *(read(o) if name in present else None for name, read in readers)] for o, present in rows),
        )
        cursor.execute(
            f"UPDATE {table} AS t SET {assignments} FROM {staging} AS s "  # noqa: S608
            f"WHERE t.{quote(key.column)} = s.{quote(key.column)}"
        )
        cursor.execute(f"DROP TABLE {staging}")


def copy_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Insert plain rows (database values in the order of `fields`, attnames such as
    "enterprise_id"; JSON fields as Python values, serialised here) into `model`'s table: COPY on
    PostgreSQL, `bulk_create` elsewhere. For link tables and rows whose ids and defaults the
    caller has filled in."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=1000)
        return
    targets = [model._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in targets)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in _json_serialised(targets, rows):
            copy.write_row(row)


def _json_serialised(targets: Sequence[models.Field], rows: Iterable[Sequence[object]]) -> Iterable[Sequence[object]]:
    """`rows` with the values of JSON fields serialised (with the field's encoder), for COPY."""
    json_at = [(i, f.encoder) for i, f in enumerate(targets) if isinstance(f, JSONField)]
    if not json_at:
        yield from rows
        return
    for row in rows:
        row = list(row)
        for i, encoder in json_at:
            if row[i] is not None:
                row[i] = json.dumps(row[i], cls=encoder, ensure_ascii=False)
        yield row


def update_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    within: tuple[str, Sequence[object]] | None = None,
) -> None:
    """Set `fields` (attnames such as "user_id") of stored rows to the values given, NULL
    included (unlike `update_present`): each row is (primary key, *values in the order of
    `fields`) as database values, JSON fields as Python values. One UPDATE joined to the rows
    COPY-staged in a temporary table on PostgreSQL, whatever their number; `bulk_update`
    elsewhere. A key that matches no stored row changes nothing. `within` = (attname, values)
    names an indexed column every updated row has one of those values in (answers of these
    attempts): PostgreSQL then reads just those rows instead of walking the primary key's index
    from its start, so the cost follows the rows updated, not the table's size."""
    if not rows:
        return
    pk = model._meta.pk
    targets = [model._meta.get_field(name) for name in fields]
    if connection.vendor != "postgresql":
        objs = [
            model(**{pk.attname: row[0], **{f.attname: v for f, v in zip(targets, row[1:], strict=True)}})
            for row in rows
        ]
        model.objects.bulk_update(objs, [f.name for f in targets], batch_size=1000)
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    assignments = ", ".join(f"{quote(f.column)} = s.{quote(f.column)}" for f in targets)
    with connection.cursor() as cursor:
        staging = _staged(cursor, model, [pk, *targets], _json_serialised([pk, *targets], rows))
        scope, params = "", []
        if within is not None:
            scope, params = f" AND t.{quote(model._meta.get_field(within[0]).column)} = ANY(%s)", [list(within[1])]
        cursor.execute(
            f"UPDATE {table} AS t SET {assignments} FROM {staging} AS s "  # noqa: S608
            f"WHERE t.{quote(pk.column)} = s.{quote(pk.column)}{scope}",
            params,
        )
        cursor.execute(f"DROP TABLE {staging}")


_LOG_FIELDS = (
    "content_type_id",
    "label",
    "action",
    "data",
    "timestamp",
    "uuid",
    "user_id",
    "content_changed",
    "deleted",
)


def log_entry_values(instance: models.Model, action: str, *, user=None, data: dict | None = None):
    """(log entry model, {attname: value}) of the audit entry `wagtail.log_actions.log` would
    write for `instance`, but `object_id`, for a statement that inserts the instance and its
    entry at once; (None, {}) for a model without a log entry model (`log` writes nothing).
    `data` is returned as a Python value: serialise it for raw SQL."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from wagtail.log_actions import get_active_log_context, registry

    entry_model = registry.get_log_model_for_instance(instance)
    if entry_model is None:
        return None, {}
    context = get_active_log_context()
    values = (
        ContentType.objects.get_for_model(instance, for_concrete_model=False).pk,
        entry_model.objects.get_instance_title(instance),
        action,
        data or {},
        timezone.now(),
        context.uuid,
        getattr(user or context.user, "pk", None),
        False,
        False,
    )
    return entry_model, dict(zip(_LOG_FIELDS, values, strict=True))


def log_many(
    instances: Sequence[models.Model],
    action: str,
    *,
    user=None,
    data: Callable[[models.Model], dict] | None = None,
) -> None:
    """Audit-log `action` for each of `instances` (one model) as `wagtail.log_actions.log` does
    for one (`log_entry_values`), with one timestamp for all; written with one COPY
    (`bulk_create` elsewhere). Nothing is written for a model without a log entry model, as
    `log` does."""
    if not instances:
        return
    entry_model, first = log_entry_values(instances[0], action, user=user)
    if entry_model is None:
        return
    title = entry_model.objects.get_instance_title
    copy_rows(
        entry_model,
        (*_LOG_FIELDS, "object_id"),
        (
            (
                first["content_type_id"],
                title(obj),
                action,
                data(obj) if data else {},
                first["timestamp"],
                first["uuid"],
                first["user_id"],
                False,
                False,
                str(obj.pk),
            )
            for obj in instances
        ),
    )
