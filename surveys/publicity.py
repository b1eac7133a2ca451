"""Publicity (issue 17, point 7; seed 004: "publicity" and "social media"): what a shared page
shows in WeChat and other social media (Open Graph, the itemprop tags WeChat's and QQ's
in-app browsers read, a square image of at least 300 px), and a QR code of the page's address
to scan from a poster or a screen. Addresses are absolute, built from `WAGTAILADMIN_BASE_URL`
(`lms.links`), never from the request's Host header."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.templatetags.static import static
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from lms import exports
from lms.links import site_url

SHARE_IMAGE = "img/share.png"  # 600 × 600: WeChat crops shared images to a square
DESCRIPTION_CHARS = 120


@dataclass(frozen=True)
class ShareCard:
    """title and description (plain text), url and image (absolute)."""

    title: str
    description: str
    url: str
    image: str
    kind: str = "website"  # og:type


def share_card(*, title: str, description: str = "", path: str, kind: str = "website") -> ShareCard:
    """The card of the page at `path`: the description squeezed to one short paragraph."""
    text = re.sub(r"\s+", " ", description or "").strip()
    return ShareCard(
        title=title.strip(),
        description=Truncator(text).chars(DESCRIPTION_CHARS),
        url=site_url(path),
        image=site_url(static(SHARE_IMAGE)),
        kind=kind,
    )


def qr_svg(url: str, *, label: str) -> SafeString:
    """The QR code of `url` as inline SVG (no request, no script: nothing for the CSP to allow),
    scaled by CSS; `label` is its accessible name."""
    svg = exports.qr_svg(url, border=2)
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"', "<svg", svg, count=1)
    svg = svg.replace("<svg", f'<svg role="img" aria-label="{escape(label)}" class="share__qr"', 1)
    return mark_safe(svg)  # generated markup; the only text, the label, is escaped
