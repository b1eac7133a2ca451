"""Links: absolute ones for e-mails and other messages read outside the site, and the row links of
long lists.

Absolute links are built from one setting, ``WAGTAILADMIN_BASE_URL`` (required in production; in
development the address ``make run`` serves), never from the request's Host header, which a
client controls."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def site_url(path: str) -> str:
    """``path`` (starting with "/") prefixed with the site's public address."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def site_reverse(viewname: str, *, args=None, kwargs=None, language: str | None = None) -> str:
    """Absolute URL of a view, in ``language`` (its /en/ prefix) or the active language."""
    if language is None:
        return site_url(reverse(viewname, args=args, kwargs=kwargs))
    with translation.override(language):
        return site_url(reverse(viewname, args=args, kwargs=kwargs))


_ID_PLACEHOLDER = 918273645546372819


def id_url(viewname: str) -> Callable[[int], str]:
    """The URL of a view that takes one integer id, as a function of the id, reversed once in the
    active language (its language prefix included): the links of a long list cost no `reverse`
    per row."""
    placeholder = str(_ID_PLACEHOLDER)
    prefix, found, suffix = reverse(viewname, args=[_ID_PLACEHOLDER]).partition(placeholder)
    if not found:  # pragma: no cover - a URL always holds its id
        raise ValueError(f"{viewname} does not put its id in the path")

    def url(pk: int) -> str:
        return f"{prefix}{int(pk)}{suffix}"

    return url
