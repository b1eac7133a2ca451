"""ORM queries compiled once per process and run again with new values.

Building a statement through the ORM (filters, subqueries, annotations, then the compiler) costs
more CPU than PostgreSQL spends running a short indexed query (1-3 ms against 0.1 ms). On the
paths where that matters (a booking, under load), `CompiledQuery` keeps the ORM as the one place
the query is written: the queryset is built once with marker values for its arguments, compiled
by Django for the database in use, and later runs only swap the markers' places in the parameter
list for the real values.

Arguments must be integers (ids): each one must reach the statement as a parameter of its own
(an argument folded into the SQL text, or turned into another value, is refused at the first
run with `ImproperlyConfigured`, so a query that cannot be reused this way is never reused
wrongly). Rows come back as the database driver gives them (no ORM converters)."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Sequence

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet

# Markers: integers no test or real table reaches, inside every integer field's range (so no
# lookup turns them into an empty result).
_FIRST_MARKER = 2_000_000_011


class CompiledQuery:
    """`build(*ids)` -> QuerySet, compiled once per database alias; `rows(*ids)` runs it."""

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self._build = build
        self._arity = len(inspect.signature(build).parameters)
        self._compiled: dict[str, tuple[str, list, list[list[int]]]] = {}
        self._compiling = threading.Lock()  # threads arriving together compile it once

    def _compile(self, alias: str) -> tuple[str, list, list[list[int]]]:
        markers = [_FIRST_MARKER + 7 * i for i in range(self._arity)]
        queryset = self._build(*markers)
        sql, params = queryset.query.get_compiler(using=alias).as_sql()
        params = list(params)
        places = [[i for i, p in enumerate(params) if type(p) is int and p == marker] for marker in markers]
        if not all(places):
            raise ImproperlyConfigured(f"{self._build.__qualname__}: an argument is not a parameter of the statement")
        return sql, params, places

    def rows(self, *ids: int, using: str = "default") -> list[tuple]:
        """The query's rows for these ids (one round trip; driver values, no converters)."""
        with connections[using].cursor() as cursor:
            cursor.execute(*self.statement(*ids, using=using))
            return cursor.fetchall()

    def statement(self, *ids: int, using: str = "default") -> tuple[str, list]:
        """(SQL, values) of the query for these ids, for a caller that sends it with others."""
        if len(ids) != self._arity or not all(type(i) is int for i in ids):
            raise TypeError(f"{self._build.__qualname__} takes {self._arity} integer ids")
        compiled = self._compiled.get(using)
        if compiled is None:
            with self._compiling:
                compiled = self._compiled.get(using)
                if compiled is None:
                    compiled = self._compiled[using] = self._compile(using)
        sql, params, places = compiled
        values = list(params)
        for value, where in zip(ids, places, strict=True):
            for i in where:
                values[i] = value
        return sql, values

    def first(self, *ids: int, using: str = "default") -> Sequence | None:
        """The first row, or None."""
        found = self.rows(*ids, using=using)
        return found[0] if found else None
