"""Live observation rules, table-driven (issue 12, points 1, 2, 5 and "Bad input")."""

import datetime as dt

import pytest

from courses import rules as watch_rules
from live import rules

T0 = dt.datetime(2026, 6, 1, 1, 0, tzinfo=dt.UTC)
HOSTS = ("127.0.0.1", "localhost")


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("https://media.example.com/venue1/index.m3u8", None),
        ("https://media.example.com/venue1/INDEX.M3U8", None),
        ("http://127.0.0.1:8000/static/live/demo/v1/index.m3u8", None),
        ("http://localhost/x.m3u8", None),
        ("http://media.example.com/venue1/index.m3u8", "host"),
        ("rtmp://media.example.com/live/stream.m3u8", "scheme"),
        ("ftp://media.example.com/a.m3u8", "scheme"),
        ("javascript:alert(1)//.m3u8", "scheme"),
        ("https://user:pw@media.example.com/a.m3u8", "scheme"),
        ("https://user@media.example.com/a.m3u8", "scheme"),  # a user name alone is refused too
        ("https://:pw@media.example.com/a.m3u8", "scheme"),
        ("https://media.example.com/venue1/video.mp4", "playlist"),
        ("https://media.example.com/venue1/index.m3u8.mp4", "playlist"),
        ("https:///index.m3u8", "scheme"),
        ("", "scheme"),
    ],
)
def test_stream_addresses(url, error):
    if error is None:
        assert rules.check_stream_url(url, http_hosts=HOSTS) == url
    else:
        with pytest.raises(rules.StreamUrlError) as exc:
            rules.check_stream_url(url, http_hosts=HOSTS)
        assert exc.value.code == error
        assert str(exc.value) == error  # a logged refusal names its reason


@pytest.mark.parametrize(
    ("minutes", "percent", "threshold"),
    [(60, 80, 2880), (10, 80, 480), (45, 100, 2700), (7, 33, 139), (1, 1, 1)],
)
def test_threshold_is_a_share_of_the_scheduled_minutes(minutes, percent, threshold):
    end = T0 + dt.timedelta(minutes=minutes)
    assert rules.threshold_seconds(starts_at=T0, ends_at=end, percent=percent) == threshold
    assert rules.attended(seconds=threshold, starts_at=T0, ends_at=end, percent=percent)
    assert not rules.attended(seconds=threshold - 1, starts_at=T0, ends_at=end, percent=percent)


def test_a_session_without_length_asks_for_no_attendance():
    assert rules.scheduled_seconds(T0, T0) == 0
    assert rules.scheduled_seconds(T0, T0 - dt.timedelta(hours=1)) == 0
    assert rules.threshold_seconds(starts_at=T0, ends_at=T0, percent=80) == 0
    assert rules.scheduled_seconds(T0, T0 + dt.timedelta(minutes=90)) == 5400


def test_schedule_must_end_after_start():
    assert rules.schedule_valid(T0, T0 + dt.timedelta(seconds=1))
    assert not rules.schedule_valid(T0, T0)
    assert not rules.schedule_valid(T0, T0 - dt.timedelta(hours=1))


END = T0 + dt.timedelta(hours=2)


@pytest.mark.parametrize(
    ("now", "cancelled", "replay", "status"),
    [
        (T0 - dt.timedelta(seconds=1), False, "", "scheduled"),
        (T0, False, "", "live"),
        (END - dt.timedelta(seconds=1), False, "", "live"),
        (END, False, "", "ended"),
        (END, False, "https://x/r.m3u8", "replay"),
        (T0, True, "", "cancelled"),
        (END, True, "https://x/r.m3u8", "cancelled"),
    ],
)
def test_status(now, cancelled, replay, status):
    assert rules.session_status(starts_at=T0, ends_at=END, cancelled=cancelled, replay_url=replay, now=now) == status


OPENS = T0 - dt.timedelta(days=7)
CLOSES = T0 - dt.timedelta(hours=1)
BASE = {
    "opens_at": OPENS,
    "closes_at": CLOSES,
    "ends_at": END,
    "capacity": 2,
    "registered": 0,
    "cancelled": False,
    "enterprise_staff": True,
    "cultivation_blocked": False,
}


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"now": OPENS}, ""),
        ({"now": CLOSES - dt.timedelta(seconds=1), "registered": 1}, ""),
        ({"now": OPENS - dt.timedelta(seconds=1)}, "not_open"),
        ({"now": CLOSES}, "closed"),
        ({"now": T0 + dt.timedelta(minutes=5), "closes_at": None}, ""),
        ({"now": END, "closes_at": None}, "closed"),
        ({"now": OPENS, "registered": 2}, "full"),
        ({"now": OPENS, "cultivation_blocked": True}, "blocked"),
        ({"now": OPENS, "enterprise_staff": False}, "no_enterprise"),
        ({"now": OPENS, "cancelled": True, "registered": 2}, "cancelled"),
    ],
)
def test_registration(changes, reason):
    check = rules.registration_allowed(**{**BASE, **changes})
    assert check.ok is (reason == "")
    assert check.reason == reason


W = 30.0  # heartbeat window (seconds)
LENGTH = 600.0


@pytest.mark.parametrize(
    ("covered", "since", "now", "ranges", "credited"),
    [
        ([], 0, 30, [(0, 30)], 30),  # first window after the start
        ([], -100, 10, [(0, 10)], 10),  # opened before the start: only time inside the schedule
        ([(0, 30)], 30, 60, [(0, 60)], 30),
        ([(0, 30)], 30, 200, [(0, 30), (170, 200)], 30),  # a reconnect: the gap is not credited
        ([(0, 30)], 30, 45, [(0, 45)], 15),  # another tab half a window later: no double count
        ([(0, 590)], 590, 620, [(0, 600)], 10),  # the end: only up to the schedule's end
        ([(0, 60)], 20, 60, [(0, 60)], 0),  # a window already covered earns nothing again
    ],
)
def test_clock_crediting(covered, since, now, ranges, credited):
    credit = watch_rules.credit_clock_beat(covered=covered, since=since, now=now, window=W, length=LENGTH)
    assert credit.ranges == ranges
    assert credit.credited == credited


@pytest.mark.parametrize(
    ("since", "now", "error"),
    [
        (0, -1, watch_rules.OutsideSchedule),  # before the start
        (600, LENGTH + W + 1, watch_rules.OutsideSchedule),  # long after the end
        (30, 44, watch_rules.DuplicateBeat),  # twice in one window
        (30, 30, watch_rules.DuplicateBeat),
    ],
)
def test_clock_crediting_refusals(since, now, error):
    with pytest.raises(error):
        watch_rules.credit_clock_beat(covered=[], since=since, now=now, window=W, length=LENGTH)
