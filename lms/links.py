"""Absolute links for e-mails and other messages read outside the site.

Built from one setting, ``WAGTAILADMIN_BASE_URL`` (required in production; in development the
address ``make run`` serves), never from the request's Host header, which a client controls."""

from __future__ import annotations

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
