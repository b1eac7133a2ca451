"""Caches for the public site (issue 9, point 3), built on Django's cache framework.

Everything cached here is keyed by *generations*: a value stored in the cache that changes
whenever what a cached thing shows may have changed, so invalidation is one `cache.set` and old
entries simply expire:

- `CONTENT`: Wagtail pages and site settings (bumped on publish, unpublish, move, delete, site
  or site-settings changes; receivers in `cms.apps`);
- `SEATS`: training sessions and their seat counts (bumped by `training_bases` when a session
  or a booking changes).

`fragment` caches any value (the site, the menu, site settings); `rendered` caches the
person-independent body of a page (a calendar grid, the course
catalogue) for everyone, logged in or not.

`AnonymousPageCacheMiddleware` serves whole anonymous responses from the cache: only `GET`
requests that carry neither a session cookie nor a messages cookie (so no one's messages, login
or form state is ever served to someone else), only for the views and page types listed in the
settings, only 200 responses that set no cookie (a page with a CSRF token sets one, so it is
never stored) and that are not marked private. The key holds the absolute URL (with the
language prefix, `/` Chinese, `/en/` English), the active language and both generations. The
Content-Security-Policy header is stored with the response: the policy uses no nonces, so it
stays valid for every reader.

Settings: `LMS_PAGE_CACHE_SECONDS` (0 turns every cache here off: the test settings do, tests that
exercise the caches turn them on), `LMS_PAGE_CACHE_VIEWS` (URL names) and
`LMS_PAGE_CACHE_PAGE_TYPES` (`app_label.ModelName` of Wagtail pages)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.cache import cc_delim_re
from django.utils.translation import get_language

CONTENT = "content"
SEATS = "seats"
_GENERATION_KEY = "lms:generation:{}"
_CACHEABLE_ATTR = "_lms_page_cacheable"


def timeout() -> int:
    """Seconds a cached page or fragment lives at most (0: caching off)."""
    return int(getattr(settings, "LMS_PAGE_CACHE_SECONDS", 0))


def generations(*names: str) -> tuple[int, ...]:
    """Current generation of each name (one cache round trip); a missing one is started."""
    keys = [_GENERATION_KEY.format(name) for name in names]
    found = cache.get_many(keys)
    values = []
    for key in keys:
        if key not in found:
            found[key] = time.time_ns()
            cache.add(key, found[key], None)
            found[key] = cache.get(key, found[key])
        values.append(found[key])
    return tuple(values)


def _start_generation(name: str) -> Callable[[], None]:
    def start() -> None:
        cache.set(_GENERATION_KEY.format(name), time.time_ns(), None)

    return start


_STARTERS = {name: _start_generation(name) for name in (CONTENT, SEATS)}


def bump(*names: str) -> None:
    """Start a new generation of each name when the current transaction commits (at once outside
    one): nothing rendered from the state before the change is served after it, nothing rendered
    from an uncommitted state outlives it, and no cache write happens while the transaction holds
    its locks."""
    for name in names:
        transaction.on_commit(_STARTERS[name])


def start_new_generations() -> None:
    """Start new generations of everything now: every cached page and fragment is dropped."""
    for start in _STARTERS.values():
        start()


def content_changed(**kwargs) -> None:
    """Signal receiver: pages, sites or site settings changed."""
    bump(CONTENT)


def seats_changed(**kwargs) -> None:
    """Signal receiver: a training session or a booking changed."""
    bump(SEATS)


def fragment(name: str, parts: tuple, build: Callable[[], object], *, depends_on: tuple[str, ...] = (CONTENT,)):
    """`build()`'s value cached under `name` and `parts` for the current generations of
    `depends_on`; built every time when caching is off. `build` must return something picklable."""
    seconds = timeout()
    if seconds <= 0:
        return build()
    key = "lms:fragment:{}:{}:{}".format(name, ":".join(map(str, generations(*depends_on))), ":".join(map(str, parts)))
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, seconds)
    return value


def rendered(
    name: str,
    parts: tuple,
    template_name: str,
    build_context: Callable[[], dict],
    *,
    depends_on: tuple[str, ...] = (CONTENT,),
) -> str:
    """HTML of `template_name` rendered with `build_context()`, cached per active language and
    `parts` for the current generations of `depends_on` (`fragment`): the part of a page that is
    the same for everyone who asks with the same `parts`, served to logged-in people too (the
    page around it, with the person's header, messages and CSRF tokens, is rendered for each
    request). Rendered without the request, so nothing personal can slip in; `build_context`
    runs only when the fragment is not cached, so its queries are saved too."""
    return fragment(
        name, (get_language(), *parts), lambda: render_to_string(template_name, build_context()), depends_on=depends_on
    )


def mark_cacheable(request) -> None:
    """Let the anonymous page cache store this request's response (it still applies its checks)."""
    setattr(request, _CACHEABLE_ATTR, True)


def may_use_cache(request) -> bool:
    """GET requests without a session or messages cookie, with caching on."""
    return (
        request.method == "GET"
        and timeout() > 0
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGES_COOKIE_NAME", "messages") not in request.COOKIES
    )


def _page_key(request) -> str:
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    gens = ":".join(map(str, generations(CONTENT, SEATS)))
    return f"lms:page:{gens}:{get_language()}:{url}"


def _wanted(request) -> bool:
    if getattr(request, _CACHEABLE_ATTR, False):
        return True
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in getattr(settings, "LMS_PAGE_CACHE_VIEWS", ())


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.cookies or getattr(response, "streaming", False):
        return False
    cache_control = {
        part.split("=")[0].strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if cache_control & {"private", "no-store", "no-cache"}:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and (messages.added_new or len(messages)):
        return False  # a message is for the person who caused it, even one the page just showed
    session = getattr(request, "session", None)
    if session is not None and (session.modified or session.session_key):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class AnonymousPageCacheMiddleware:
    """Serve and store anonymous public pages (see the module docstring). Sits right after
    `LocaleMiddleware` (the language is known) and above the CSRF, message and CSP middleware
    (their cookies and headers are seen before a response is stored)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_use_cache(request):
            return self.get_response(request)
        key = _page_key(request)
        cached = cache.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if _wanted(request) and _storable(request, response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, response, timeout())
            response["X-Page-Cache"] = "miss"
        return response
