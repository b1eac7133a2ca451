"""Server-rendered SVG charts of survey results (no JavaScript, no CDN): the spread of answers to
each Likert question as a stacked bar, and one value per row as horizontal bars (mean scores,
response rates). Pure functions: data in, escaped SVG markup out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .rules import LIKERT_SCORES

# From "strongly disagree" (red) to "strongly agree" (green); readable on white.
LIKERT_COLOURS = {1: "#b2182b", 2: "#ef8a62", 3: "#bababa", 4: "#67a9cf", 5: "#2166ac"}


def _open(width: int, height: int, title: str, css: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="chart {css}"><title>{escape(title)}</title>'
    )


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


def value_bars(
    rows: Sequence[tuple[str, float | None]], *, title: str, maximum: float, unit: str = "", width: int = 640
) -> SafeString:
    """Horizontal bars, one per (label, value) in the given order, scaled to `maximum`; a row
    without a value shows "—"."""
    bar_h, gap, label_w = 20, 6, 260
    height = max(len(rows), 1) * (bar_h + gap) + 8
    parts = [_open(width, height, title, "chart--bars")]
    room = width - label_w - 60
    for i, (label, value) in enumerate(rows):
        y = 4 + i * (bar_h + gap)
        short = label if len(label) <= 24 else label[:23] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" font-size="12" text-anchor="end">{escape(short)}'
            f"<title>{escape(label)}</title></text>"
        )
        if value is None:
            parts.append(f'<text x="{label_w + 4}" y="{y + 14}" font-size="12" fill="#555">—</text>')
            continue
        w = room * max(0.0, min(float(value), maximum)) / maximum if maximum else 0
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#1f4e79" data-value="{value}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 14}" font-size="12">{value}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
