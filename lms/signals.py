"""Receivers' work for a burst of domain signals, done once per burst.

A use case that sends many signals at once (grading a room's attempts sends `exam_graded` per
attempt) sends them inside `grouped()`. A receiver whose work can serve many signals at once
(readiness recomputes an enterprise's report, however many of its people were graded) hands each
signal's item to `collect(key, item, flush)`: outside a burst `flush([item])` runs at once, as a
plain receiver would; inside one the items are gathered and `flush(items)` runs once per key
when the outermost burst ends. Senders and receivers stay unaware of each other."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_burst: ContextVar[dict[str, tuple[Callable[[list], None], list]] | None] = ContextVar("signal_burst", default=None)


@contextmanager
def grouped() -> Iterator[None]:
    """Group the work receivers `collect` while the block sends its signals; each collected key
    is flushed once when the block ends (also when it raises: the signals sent so far stand).
    A nested block joins the outer one."""
    if _burst.get() is not None:
        yield
        return
    gathered: dict[str, tuple[Callable[[list], None], list]] = {}
    token = _burst.set(gathered)
    try:
        yield
    finally:
        _burst.reset(token)
        for flush, items in gathered.values():
            flush(items)


def collect(key: str, item: object, flush: Callable[[list], None]) -> None:
    """Do `flush([item])` now, or, inside `grouped()`, add `item` to the burst's list for `key`
    and do `flush(items)` once at its end (`flush` of the first item of the key is used)."""
    gathered = _burst.get()
    if gathered is None:
        flush([item])
        return
    gathered.setdefault(key, (flush, []))[1].append(item)
