"""Every test starts in the default language and time zone, whatever an earlier test activated.

A request to `/en/…` (LocaleMiddleware) or a view that activates a time zone leaves that state on
the thread; `tests/conftest.py` resets it around each test. In file order (`-p no:randomly`) the
second test below runs after the first and fails without that reset; in random order either may
come first and both must pass."""

import datetime as dt
import zoneinfo

from django.urls import get_script_prefix, reverse, set_script_prefix
from django.utils import timezone, translation


def test_a_test_that_switches_to_english_and_utc():
    translation.activate("en")
    timezone.activate(dt.UTC)
    set_script_prefix("/prefix/")
    assert translation.get_language() == "en"
    assert reverse("search") == "/prefix/en/search/"
    assert timezone.get_current_timezone() == dt.UTC


def test_the_next_test_starts_in_chinese_and_shanghai_time():
    assert translation.get_language() == "zh-hans"
    assert reverse("search") == "/search/"  # not an /en/ URL built without meaning to
    assert timezone.get_current_timezone() == zoneinfo.ZoneInfo("Asia/Shanghai")
    assert get_script_prefix() == "/"
