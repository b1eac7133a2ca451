"""Appraisal rules: the period a dashboard covers, what the page says it corrected, the rows the
customs units roll up into and the shares a dashboard prints."""

import datetime as dt

import pytest
from django.utils import translation

from feedback import rules
from lms import periods
from lms.periods import END, START, SWAPPED, TOO_FAR_AHEAD, TOO_LONG, UNREADABLE, Correction

TODAY = dt.date(2026, 11, 30)
FURTHEST = dt.date(2027, 12, 1)  # a year (366 days) from TODAY
D = dt.date


def test_share_is_part_over_whole_and_none_without_a_whole():
    assert rules.share(1, 4) == 0.25
    assert rules.share(0, 3) == 0.0
    assert rules.share(3, 0) is None


def test_period_defaults_swaps_and_caps():
    assert rules.period(start=None, end=None, today=TODAY) == rules.Period(D(2025, 12, 1), TODAY)
    assert rules.period(start=D(2026, 5, 1), end=D(2026, 1, 1), today=TODAY) == rules.Period(
        D(2026, 1, 1), D(2026, 5, 1)
    )
    far = rules.period(start=dt.date.max, end=dt.date.max, today=TODAY)
    assert far.start == far.end == TODAY + dt.timedelta(days=rules.FURTHEST_AHEAD_DAYS)
    assert far.bounds[1] > far.bounds[0]
    long = rules.period(start=D(1900, 1, 1), end=TODAY, today=TODAY)
    assert (long.end - long.start).days == rules.LONGEST_PERIOD_DAYS


def test_period_bounds_run_from_midnight_of_the_first_day_to_midnight_after_the_last_in_beijing():
    first, after = rules.Period(D(2026, 1, 1), D(2026, 1, 31)).bounds
    assert (first.isoformat(), after.isoformat()) == ("2026-01-01T00:00:00+08:00", "2026-02-01T00:00:00+08:00")
    one_day = rules.Period(D(2026, 3, 5), D(2026, 3, 5)).bounds
    assert one_day[1] - one_day[0] == dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("start", "end", "period", "corrections"),
    [
        # Nothing given: the twelve months up to today.
        (None, None, (D(2025, 12, 1), TODAY), []),
        # An end without a start: the twelve months up to that end.
        (None, D(2026, 2, 28), (D(2025, 3, 1), D(2026, 2, 28)), []),
        # Exactly a year ahead is allowed, one day more is not.
        (None, FURTHEST, (D(2026, 12, 2), FURTHEST), []),
        (
            None,
            D(2027, 12, 2),
            (D(2026, 12, 2), FURTHEST),
            [Correction(END, TOO_FAR_AHEAD, "2027-12-02", "2027-12-01")],
        ),
        (FURTHEST, FURTHEST, (FURTHEST, FURTHEST), []),
        # A start beyond the limit is brought back, then found after the end (today): swapped.
        (
            D(2027, 12, 2),
            None,
            (TODAY, FURTHEST),
            [
                Correction(START, TOO_FAR_AHEAD, "2027-12-02", "2027-12-01"),
                Correction(START, SWAPPED, "2027-12-01", "2026-11-30"),
            ],
        ),
        # One day: start and end the same is not a swap.
        (D(2026, 5, 1), D(2026, 5, 1), (D(2026, 5, 1), D(2026, 5, 1)), []),
        (
            D(2026, 5, 1),
            D(2026, 1, 1),
            (D(2026, 1, 1), D(2026, 5, 1)),
            [Correction(START, SWAPPED, "2026-05-01", "2026-01-01")],
        ),
        # Ten years (3660 days) is the longest period; one day more is cut to ten years.
        (D(2016, 11, 22), TODAY, (D(2016, 11, 22), TODAY), []),
        (
            D(2016, 11, 21),
            TODAY,
            (D(2016, 11, 22), TODAY),
            [Correction(START, TOO_LONG, "2016-11-21", "2016-11-22")],
        ),
        (D(1, 1, 1), TODAY, (D(2016, 11, 22), TODAY), [Correction(START, TOO_LONG, "0001-01-01", "2016-11-22")]),
        (
            D(2030, 1, 1),
            D(1999, 1, 1),
            (D(2017, 11, 23), FURTHEST),
            [
                Correction(START, TOO_FAR_AHEAD, "2030-01-01", "2027-12-01"),
                Correction(START, SWAPPED, "2027-12-01", "1999-01-01"),
                Correction(START, TOO_LONG, "1999-01-01", "2017-11-23"),
            ],
        ),
    ],
)
def test_period_corrections_name_every_change(start, end, period, corrections):
    found, made = rules.period_corrected(start=start, end=end, today=TODAY)
    assert (found.start, found.end) == period
    assert list(made) == corrections


def test_an_unreadable_date_names_the_default_used_instead():
    found, made = rules.period_from_filter(periods.read_dates("2026-13-45", "soon"), today=TODAY)
    assert found == rules.Period(D(2025, 12, 1), TODAY)
    assert made == (
        Correction(START, UNREADABLE, "2026-13-45", "2025-12-01"),
        Correction(END, UNREADABLE, "soon", "2026-11-30"),
    )
    with translation.override("en"):
        assert periods.correction_messages(made) == [
            "“2026-13-45” is not a date (write it as 2026-03-05): the period starts on 2025-12-01.",
            "“soon” is not a date (write it as 2026-03-05): the period ends on 2026-11-30.",
        ]


def test_the_filter_corrections_come_first_and_keep_what_they_said():
    found, made = rules.period_from_filter(periods.read_dates("2026-05-01", "2026-01-01"), today=TODAY)
    assert found == rules.Period(D(2026, 1, 1), D(2026, 5, 1))
    assert made == (Correction(START, SWAPPED, "2026-05-01", "2026-01-01"),)
    # Swapped by the filter, then cut to ten years: the swap still names the dates it swapped.
    found, made = rules.period_from_filter(periods.read_dates("2026-05-01", "1990-01-01"), today=TODAY)
    assert found == rules.Period(D(2016, 4, 23), D(2026, 5, 1))
    assert made == (
        Correction(START, SWAPPED, "2026-05-01", "1990-01-01"),
        Correction(START, TOO_LONG, "1990-01-01", "2016-04-23"),
    )
    found, made = rules.period_from_filter(periods.read_dates("x", "2030-01-01"), today=TODAY)
    assert found == rules.Period(D(2026, 12, 2), FURTHEST)
    assert made == (
        Correction(START, UNREADABLE, "x", "2026-12-02"),
        Correction(END, TOO_FAR_AHEAD, "2030-01-01", "2027-12-01"),
    )


UNITS = [
    rules.UnitNode(1, None),  # GACC
    rules.UnitNode(2, 1),  # regional
    rules.UnitNode(3, 2),  # local
    rules.UnitNode(4, 2),
    rules.UnitNode(5, 1),  # another regional
    rules.UnitNode(6, 5),
]


def test_district_rows_by_level():
    assert rules.district_rows(UNITS, viewer_unit_id=1) == {1: 1, 2: 2, 3: 2, 4: 2, 5: 5, 6: 5}
    assert rules.district_rows(UNITS, viewer_unit_id=2) == {2: 2, 3: 3, 4: 4}
    assert rules.district_rows(UNITS, viewer_unit_id=3) == {3: 3}


def test_a_viewer_not_among_the_units_has_no_rows():
    assert rules.district_rows(UNITS, viewer_unit_id=99) == {}


def test_a_unit_whose_parent_is_not_listed_is_left_out():
    units = [*UNITS, rules.UnitNode(7, 42), rules.UnitNode(8, 7)]
    assert rules.district_rows(units, viewer_unit_id=1) == {1: 1, 2: 2, 3: 2, 4: 2, 5: 5, 6: 5}


def test_the_deepest_unit_of_a_chain_rolls_up_into_the_row_under_the_viewer():
    chain = [rules.UnitNode(4, 3), rules.UnitNode(3, 2), rules.UnitNode(2, 1), rules.UnitNode(1, None)]
    assert rules.district_rows(chain, viewer_unit_id=1) == {1: 1, 2: 2, 3: 2, 4: 2}


def test_a_cycle_of_units_ends_and_is_left_out():
    units = [*UNITS, rules.UnitNode(7, 8), rules.UnitNode(8, 7)]
    assert rules.district_rows(units, viewer_unit_id=1) == {1: 1, 2: 2, 3: 2, 4: 2, 5: 5, 6: 5}
    assert rules.district_rows(units, viewer_unit_id=7) == {7: 7, 8: 8}
