"""What an anonymised person looks like and when retention removes a record."""

import datetime as dt

from privacy import rules

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


def test_anonymised_address_is_unique_per_account_and_undeliverable():
    assert rules.anonymised_email(41) == "deleted-41@deleted.invalid"
    assert rules.anonymised_email(41) != rules.anonymised_email(42)
    assert rules.anonymised_name() == ("已删除", "用户")


def test_retention_cutoff_is_now_minus_the_period_and_none_without_a_period():
    assert rules.retention_cutoff(now=NOW, days=1) == NOW - dt.timedelta(days=1)
    assert rules.retention_cutoff(now=NOW, days=365) == dt.datetime(2025, 11, 30, 12, 0, tzinfo=dt.UTC)
    assert rules.retention_cutoff(now=NOW, days=0) is None
    assert rules.retention_cutoff(now=NOW, days=-5) is None
