"""The readiness history of an enterprise as a server-rendered SVG line (no JavaScript, no CDN),
opened by the one chart header `lms.charts.svg_open`. Pure: data in, SVG markup out (escaped)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lms.charts import svg_open

STATUS_COLOURS = {"ready": "#1a7f37", "nearly_ready": "#b58105", "not_ready": "#c62828"}


def history_svg(
    points: Sequence[tuple[datetime.datetime, Decimal, str]], *, title: str, width: int = 640, height: int = 220
) -> SafeString:
    """A line of the score (0-100) over the recomputations, each point coloured by its status.
    `points` are (computed_at, score, status), oldest first; times (stored in UTC) are shown in
    the current time zone (Asia/Shanghai)."""
    left, right, top, bottom = 40, 10, 16, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = [svg_open(width, height, title, "chart--history")]
    for value in (0, 25, 50, 75, 100):
        y = top + plot_h - plot_h * value / 100
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#555">{value}</text>'
        )
    if points:
        points = [(_local(when), score, status) for when, score, status in points]
        step = plot_w / max(len(points) - 1, 1)
        coords = [
            (left + (i * step if len(points) > 1 else plot_w / 2), top + plot_h - plot_h * float(score) / 100)
            for i, (_, score, _) in enumerate(points)
        ]
        parts.append(
            '<polyline fill="none" stroke="#1f4e79" stroke-width="2" points="'
            + " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            + '"/>'
        )
        for (x, y), (when, score, status) in zip(coords, points, strict=True):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{STATUS_COLOURS.get(status, "#555")}" '
                f'data-score="{score}" data-status="{escape(status)}"><title>{when:%Y-%m-%d %H:%M} · {score}</title></circle>'
            )
        first, last = points[0][0], points[-1][0]
        parts.append(
            f'<text x="{left}" y="{height - 8}" font-size="11" fill="#555">{first:%Y-%m-%d}</text>'
            f'<text x="{width - right}" y="{height - 8}" font-size="11" text-anchor="end" fill="#555">{last:%Y-%m-%d}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


def _local(when: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(when) if timezone.is_aware(when) else when
