"""The one watch-time service (ARCHITECTURE.md "Watch time"): distinct seconds a person watched
of a *watchable* (a lesson video `lesson:<translation key>`, a live stream `live:<session ref>`,
...), credited on the server clock. Lesson videos and live observation sessions both use it.

Protocol: `watch_start` when the player is shown (it sets the server's reference time), then
`watch_heartbeat` every `settings.WATCH_HEARTBEAT_SECONDS` while the media plays and the tab is
visible, carrying the media ranges played since the previous beat. A heartbeat is two SQL
statements in autocommit (read the row, update it if nobody else did meanwhile)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rules
from .models import WatchTime


@dataclass(frozen=True)
class Heartbeat:
    """What one heartbeat changed; seconds are distinct media seconds credited."""

    watchable: str
    seconds_before: int
    seconds: int
    duration_seconds: int | None

    @property
    def credited(self) -> int:
        return self.seconds - self.seconds_before


def heartbeat_interval() -> int:
    """Seconds between heartbeats the player sends (a setting; short in tests)."""
    return int(getattr(settings, "WATCH_HEARTBEAT_SECONDS", 30))


def watch_start(*, user_id: int, watchable: str, duration_seconds: int | None = None, now=None) -> WatchTime:
    """Open (or reopen) a person's watch record: heartbeats are measured from now on.
    `duration_seconds` bounds the media positions (None for a live stream)."""
    now = now or timezone.now()
    updated = WatchTime.objects.filter(user_id=user_id, watchable=watchable).update(
        last_beat_at=now, duration_seconds=duration_seconds
    )
    if not updated:
        try:
            with transaction.atomic():
                WatchTime.objects.create(
                    user_id=user_id, watchable=watchable, duration_seconds=duration_seconds, last_beat_at=now
                )
        except IntegrityError:  # opened concurrently in another tab
            pass
    return WatchTime.objects.get(user_id=user_id, watchable=watchable)


def _beat(
    *,
    user_id: int,
    watchable: str,
    now: dt.datetime,
    not_started: str,
    busy: ValidationError,
    credit: Callable[[WatchTime], list[rules.Range]],
) -> Heartbeat:
    """Read the record, compute its new ranges with `credit(row)` (which may raise), write them.
    Optimistic concurrency: the update applies only if no other beat (another tab) landed since
    the read; otherwise read again. No lock is held between the two statements."""
    for _attempt in range(5):
        row = (
            WatchTime.objects.filter(user_id=user_id, watchable=watchable)
            .only("id", "duration_seconds", "ranges", "seconds", "last_beat_at")
            .first()
        )
        if row is None:
            raise PermissionDenied(not_started)
        ranges = credit(row)
        seconds = int(rules.covered_seconds(ranges))
        updated = WatchTime.objects.filter(pk=row.pk, last_beat_at=row.last_beat_at).update(
            ranges=[[round(s, 2), round(e, 2)] for s, e in ranges], seconds=seconds, last_beat_at=now
        )
        if updated:
            return Heartbeat(
                watchable=watchable, seconds_before=row.seconds, seconds=seconds, duration_seconds=row.duration_seconds
            )
    raise busy


def watch_heartbeat(*, user_id: int, watchable: str, played: Sequence[Sequence[float]], now=None) -> Heartbeat:
    """Credit the ranges played since the previous heartbeat.

    `played`: [[start, end], ...] in media seconds. Raises PermissionDenied when the watchable
    was never started for this person (not enrolled, not admitted), ValidationError for ranges no
    player produces (negative, reversed, past the end). Replayed seconds earn nothing; the credit
    is capped at 2x the server time since the previous beat, itself capped at two intervals."""
    now = now or timezone.now()

    def credit(row: WatchTime) -> list[rules.Range]:
        try:
            clean = rules.validate_played(played, row.duration_seconds)
        except rules.ForgedHeartbeat as exc:
            raise ValidationError(_("This playback report is not valid.")) from exc
        elapsed = min((now - row.last_beat_at).total_seconds(), 2 * heartbeat_interval())
        return rules.credit_heartbeat(covered=row.ranges, played=clean, elapsed_seconds=elapsed).ranges

    return _beat(
        user_id=user_id,
        watchable=watchable,
        now=now,
        not_started=_("You are not admitted to this video."),
        busy=ValidationError(_("This playback report is not valid.")),
        credit=credit,
    )


def watch_clock_heartbeat(
    *, user_id: int, watchable: str, opens_at: dt.datetime, closes_at: dt.datetime, now: dt.datetime | None = None
) -> Heartbeat:
    """Credit server time to a live watchable (issue 12, point 5): the window since the previous
    beat, at most one heartbeat interval, clipped to [opens_at, closes_at]. The client sends no
    time at all. Two SQL statements, like `watch_heartbeat`.

    Raises PermissionDenied when the watchable was never started for this person (not
    registered), ValidationError with code "outside" outside the schedule and "duplicate" for a
    second beat within half an interval (nothing is recorded for either)."""
    now = now or timezone.now()

    def credit(row: WatchTime) -> list[rules.Range]:
        try:
            return rules.credit_clock_beat(
                covered=row.ranges,
                since=(row.last_beat_at - opens_at).total_seconds(),
                now=(now - opens_at).total_seconds(),
                window=heartbeat_interval(),
                length=(closes_at - opens_at).total_seconds(),
            ).ranges
        except rules.OutsideSchedule as exc:
            raise ValidationError(_("The session is not on air now."), code="outside") from exc
        except rules.DuplicateBeat as exc:
            raise ValidationError(_("This minute was already counted."), code="duplicate") from exc

    return _beat(
        user_id=user_id,
        watchable=watchable,
        now=now,
        not_started=_("You are not registered for this session."),
        busy=ValidationError(_("This minute was already counted."), code="duplicate"),
        credit=credit,
    )


def watched_seconds(*, watchable: str, user_ids: Iterable[int]) -> dict[int, int]:
    """Distinct seconds credited per person for one watchable (people without a record: 0)."""
    user_ids = list(user_ids)
    found = dict(WatchTime.objects.filter(watchable=watchable, user_id__in=user_ids).values_list("user_id", "seconds"))
    return {user_id: found.get(user_id, 0) for user_id in user_ids}
