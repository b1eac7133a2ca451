"""Parsing of query-string values for views: junk gives the default, never an exception or a
number the database cannot hold."""

from __future__ import annotations

DB_ID_MAX = 2**63 - 1  # PostgreSQL bigint (and SQLite INTEGER)


def int_param(value: str | None, *, default: int | None = None, minimum: int = 1, maximum: int = DB_ID_MAX):
    """`value` as an int in [minimum, maximum] (ASCII digits, optional sign), else `default`."""
    text = (value or "").strip()
    if not text or len(text) > 20 or not text.lstrip("+-").isascii() or not text.lstrip("+-").isdigit():
        return default
    number = int(text)
    return number if minimum <= number <= maximum else default
