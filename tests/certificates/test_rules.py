"""Certificate numbers and validity, as printed on a certificate and on its verification page."""

import datetime as dt

from certificates import rules


def test_certificate_number_has_kind_year_and_six_digit_sequence():
    assert rules.certificate_number(prefix="C", year=2026, sequence=7) == "AEO-C-2026-000007"
    assert rules.certificate_number(prefix="V", year=2027, sequence=123456) == "AEO-V-2027-123456"


def test_certificate_is_valid_through_its_last_day_and_not_after():
    last = dt.date(2027, 6, 30)
    assert rules.is_valid(status="valid", valid_until=last, today=last)
    assert not rules.is_valid(status="valid", valid_until=last, today=last + dt.timedelta(days=1))
    assert rules.is_valid(status="valid", valid_until=None, today=dt.date(2099, 1, 1))
    assert not rules.is_valid(status="revoked", valid_until=None, today=last)
