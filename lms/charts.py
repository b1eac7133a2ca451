"""Server-rendered SVG charts shared by every page (no JavaScript, no CDN): pure functions, data
in, escaped SVG markup out. App-specific charts (a readiness history, a Likert spread) build on
`svg_open`."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def svg_open(width: int, height: int, title: str, css: str) -> str:
    """The opening `<svg>` of a chart scaled to its container, named `title` for screen readers."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="chart {css}"><title>{escape(title)}</title>'
    )


def value_bars(
    rows: Sequence[tuple[str, float | None]],
    *,
    title: str,
    maximum: float | None = None,
    unit: str = "",
    width: int = 640,
    css: str = "chart--bars",
) -> SafeString:
    """Horizontal bars, one per (label, value) in the given order, scaled to `maximum` (default:
    the largest value); a row without a value shows "—"."""
    bar_h, gap, label_w = 20, 6, 260
    if maximum is None:
        maximum = max((float(v) for _label, v in rows if v is not None), default=0) or 1
    height = max(len(rows), 1) * (bar_h + gap) + 8
    parts = [svg_open(width, height, title, css)]
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
    return mark_safe("".join(parts))  # every text above is escaped
