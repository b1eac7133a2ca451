"""Pure rules of live validation observation (issue 12; seed 001 "online validation observation
— 3 main venues — professional live streaming technology", seed 004 on-site observation as a
training method). No ORM and no clock: `now` is an argument."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

# Issue 12, point 1: attended at 80 % of the scheduled minutes unless the session says otherwise.
DEFAULT_THRESHOLD_PERCENT = 80


class StreamUrlError(ValueError):
    """A venue or replay address the player must not be given; `code` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def check_stream_url(url: str, *, http_hosts: Iterable[str]) -> str:
    """Issue 12, point 1: stream addresses are `https://` playlists (`.m3u8`); plain `http://` only
    for the hosts listed in `settings.LIVE_STREAM_HTTP_HOSTS` (development and tests). Returns
    the address; raises StreamUrlError("scheme" | "host" | "playlist")."""
    parts = urlsplit((url or "").strip())
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise StreamUrlError("scheme")
    if parts.scheme == "http" and parts.hostname not in set(http_hosts):
        raise StreamUrlError("host")
    if parts.username or parts.password:
        raise StreamUrlError("scheme")
    if not parts.path.lower().endswith(".m3u8"):
        raise StreamUrlError("playlist")
    return url.strip()


def schedule_valid(starts_at: dt.datetime, ends_at: dt.datetime) -> bool:
    """A session ends after it starts."""
    return ends_at > starts_at


def scheduled_seconds(starts_at: dt.datetime, ends_at: dt.datetime) -> int:
    return max(0, int((ends_at - starts_at).total_seconds()))


def threshold_seconds(*, starts_at: dt.datetime, ends_at: dt.datetime, percent: int) -> int:
    """Issue 12, point 5: seconds a viewer must be credited to have attended (percent of the
    scheduled minutes, rounded up to the second)."""
    return math.ceil(scheduled_seconds(starts_at, ends_at) * percent / 100)


def attended(*, seconds: int, starts_at: dt.datetime, ends_at: dt.datetime, percent: int) -> bool:
    """Minutes attended ≥ threshold → attended (issue 12, point 5)."""
    return seconds >= threshold_seconds(starts_at=starts_at, ends_at=ends_at, percent=percent)


class Status:
    SCHEDULED, LIVE, ENDED, REPLAY, CANCELLED = "scheduled", "live", "ended", "replay", "cancelled"


def session_status(
    *, starts_at: dt.datetime, ends_at: dt.datetime, cancelled: bool, replay_url: str, now: dt.datetime
) -> str:
    """Issue 12, point 1: scheduled → live → ended → replay available; cancelled overrides all."""
    if cancelled:
        return Status.CANCELLED
    if now < starts_at:
        return Status.SCHEDULED
    if now < ends_at:
        return Status.LIVE
    return Status.REPLAY if replay_url else Status.ENDED


@dataclass(frozen=True)
class RegistrationCheck:
    ok: bool
    reason: str = ""  # "closed" | "not_open" | "full" | "blocked" | "cancelled" | "no_enterprise"


def registration_allowed(
    *,
    now: dt.datetime,
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    ends_at: dt.datetime,
    capacity: int,
    registered: int,
    cancelled: bool,
    enterprise_staff: bool,
    cultivation_blocked: bool,
) -> RegistrationCheck:
    """Issue 12, point 2: staff of enterprises whose cultivation is neither suspended nor
    terminated register inside the window while places remain (DOMAIN.md: effects of a
    suspension). A window without a close ends with the session."""
    if cancelled:
        return RegistrationCheck(False, "cancelled")
    if not enterprise_staff:
        return RegistrationCheck(False, "no_enterprise")
    if cultivation_blocked:
        return RegistrationCheck(False, "blocked")
    if opens_at is not None and now < opens_at:
        return RegistrationCheck(False, "not_open")
    if now >= (closes_at or ends_at):
        return RegistrationCheck(False, "closed")
    if registered >= capacity:
        return RegistrationCheck(False, "full")
    return RegistrationCheck(True)
