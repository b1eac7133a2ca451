"""Pure rules of personal information: what an anonymised person looks like and what retention
removes. No ORM, no clock: `now` is an argument."""

from __future__ import annotations

import datetime as dt


def anonymised_email(user_id: int) -> str:
    """The address an anonymised account keeps: unique, undeliverable (RFC 2606 .invalid)."""
    return f"deleted-{user_id}@deleted.invalid"


def anonymised_name() -> tuple[str, str]:
    """(last name, first name) shown where a kept record names a deleted person."""
    return ("已删除", "用户")


def retention_cutoff(*, now: dt.datetime, days: int) -> dt.datetime | None:
    """Records older than the returned moment have passed a retention period of `days` days;
    None when the period is 0 or less (kept without limit)."""
    if days <= 0:
        return None
    return now - dt.timedelta(days=days)
