"""Dates of a page's period filter (`lms.periods`): read as people type them, and every date not
used as given is named with what is used instead."""

import datetime as dt

import pytest
from django.utils import translation

from lms import periods


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2026-03-05", dt.date(2026, 3, 5)),
        (" 2026/3/5 ", dt.date(2026, 3, 5)),
        ("2026.3.5", dt.date(2026, 3, 5)),
        ("2026年3月5日", dt.date(2026, 3, 5)),
        ("２０２６－０３－０５", dt.date(2026, 3, 5)),
        ("0001-01-01", dt.date(1, 1, 1)),
        ("", None),
        (None, None),
        ("2026-13-45", None),
        ("not-a-date", None),
        ("20260305", None),
        ("2026-03-05T10:00", None),
    ],
)
def test_read_date(text, date):
    assert periods.read_date(text) == date


def test_reversed_dates_are_swapped_and_unreadable_ones_left_out():
    read = periods.read_dates("2026-05-01", "2026-01-01")
    assert (read.start, read.end) == (dt.date(2026, 1, 1), dt.date(2026, 5, 1))
    assert read.corrections == (periods.Correction("start", "swapped", "2026-05-01", "2026-01-01"),)
    read = periods.read_dates("junk", "")
    assert (read.start, read.end) == (None, None)
    assert read.corrections == (periods.Correction("start", "unreadable", "junk", ""),)
    assert periods.read_dates(None, None) == periods.DatesRead(None, None, ())


def test_every_correction_has_a_message_naming_what_was_given_and_used():
    corrections = [
        periods.Correction(field, reason, "GIVEN", used)
        for field in ("start", "end")
        for reason in ("unreadable", "swapped", "too_far_ahead", "too_long")
        for used in ("2026-01-01", "")
        if used or reason == "unreadable"
    ]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for correction, message in zip(corrections, periods.correction_messages(corrections), strict=True):
                assert "GIVEN" in message and correction.used in message, message
