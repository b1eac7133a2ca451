"""Where a form may send people back to: one check for every `next` address."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, url: str | None, default: str) -> str:
    """`url` when it stays on this site (this host, https when the request is; Django's
    `url_has_allowed_host_and_scheme`, which also reads `/\\host` and `/<tab>/host` as other
    sites), else `default`."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default
