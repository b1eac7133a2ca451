"""The client's address, read the one way every rule and record in the project uses.

Production runs behind reverse proxies that append the address they saw to `X-Forwarded-For`.
Only the last `LMS_TRUSTED_PROXY_COUNT` hops were added by our own proxies; anything to their
left was written by the client and may be forged, so it is never read."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of the client as seen by the first trusted proxy, or `REMOTE_ADDR`.

    With `LMS_TRUSTED_PROXY_COUNT = n` (default 0) the address is the n-th entry from the right of
    `X-Forwarded-For` + `REMOTE_ADDR`; with fewer hops than that (a request that bypassed the
    proxies) the leftmost address present. Returns "" when no valid address is known."""
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "") or ""
    trusted = int(getattr(settings, "LMS_TRUSTED_PROXY_COUNT", 0) or 0)
    if trusted <= 0:
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    chain = [*forwarded, remote]
    candidate = chain[max(0, len(chain) - 1 - trusted)]
    return _valid(candidate) or remote


def ip_in_ranges(address: str, ranges: list[str] | tuple[str, ...]) -> bool:
    """True when `address` lies in one of the CIDR `ranges` (e.g. "10.8.0.0/16"); False for an
    empty or invalid address. Invalid ranges are ignored (they are validated where entered)."""
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for cidr in ranges:
        try:
            if ip in ipaddress.ip_network(cidr.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


def network_list(text: str) -> list[str]:
    """The CIDR ranges in `text`: one per line or separated by commas/spaces; blanks dropped."""
    return [part for part in text.replace(",", " ").split() if part]


def validate_networks(text: str) -> None:
    """Model/form validator: every entry of `text` must be an address range (CIDR) or address."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    bad = []
    for part in network_list(text):
        try:
            ipaddress.ip_network(part, strict=False)
        except ValueError:
            bad.append(part)
    if bad:
        raise ValidationError(
            _("Not an address range: %(ranges)s. Write ranges such as 10.8.0.0/16, one per line.")
            % {"ranges": ", ".join(bad[:5])},
            code="invalid_network",
        )
