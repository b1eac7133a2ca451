"""Receivers' work for a burst of signals done once (lms/signals.py): outside a burst at once,
inside it once per key at the end of the outermost burst, even when the burst fails."""

import pytest

from lms.signals import collect, grouped


def test_collected_items_flush_at_once_outside_a_burst_and_once_per_key_inside():
    flushed = []

    def flush(items):
        flushed.append(list(items))

    collect("k", 1, flush)
    assert flushed == [[1]]
    with grouped():
        collect("k", 2, flush)
        with grouped():  # a nested burst joins the outer one
            collect("k", 3, flush)
            collect("other", "x", flush)
        assert flushed == [[1]]
    assert flushed == [[1], [2, 3], ["x"]]


def test_a_failing_burst_still_flushes_what_was_collected():
    flushed = []
    with pytest.raises(RuntimeError), grouped():
        collect("k", 1, flushed.append)
        raise RuntimeError
    assert flushed == [[1]]
