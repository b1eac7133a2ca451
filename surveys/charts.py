"""Server-rendered SVG charts of survey results (no JavaScript, no CDN): the spread of answers to
each Likert question as a stacked bar, and one value per row as horizontal bars (mean scores,
response rates). Pure functions: data in, escaped SVG markup out."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.safestring import SafeString, mark_safe

from lms.charts import svg_open as _open
from lms.charts import value_bars

from .rules import LIKERT_SCORES

# From "strongly disagree" (red) to "strongly agree" (green); readable on white.
LIKERT_COLOURS = {1: "#b2182b", 2: "#ef8a62", 3: "#bababa", 4: "#67a9cf", 5: "#2166ac"}


def likert_bar(counts: Mapping[int, int], *, title: str, width: int = 480, height: int = 26) -> SafeString:
    """One bar split into the shares of scores 1-5 (`counts`: score → answers), each share
    labelled with its count when wide enough."""
    total = sum(counts.get(s, 0) for s in LIKERT_SCORES)
    parts = [_open(width, height, title, "chart--likert")]
    if not total:
        parts.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f2f2f2"/>')
    x = 0.0
    for score in LIKERT_SCORES:
        n = counts.get(score, 0)
        if not n:
            continue
        w = width * n / total
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{LIKERT_COLOURS[score]}" '
            f'data-score="{score}" data-count="{n}"><title>{score}: {n}</title></rect>'
        )
        if w >= 18:
            parts.append(
                f'<text x="{x + w / 2:.1f}" y="{height / 2 + 4:.1f}" font-size="12" text-anchor="middle" '
                f'fill="#fff">{n}</text>'
            )
        x += w
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped or a number


__all__ = ["likert_bar", "value_bars"]
