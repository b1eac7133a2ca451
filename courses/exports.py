"""Trainer statistics as XLSX (text cells stay text: no formula injection; frozen header)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .selectors import CourseStats

FORMULA_STARTS = ("=", "+", "-", "@")


def _text(value) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def statistics_xlsx(stats: list[CourseStats]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Course statistics")[:31]
    ws.append(
        [_("Course"), _("Training type"), _("Enrolled"), _("In progress"), _("Completed"), _("Average time (minutes)")]
    )
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in stats:
        ws.append(
            [
                _text(row.course.title),
                _text(str(row.course.get_training_type_display())),
                row.enrolled,
                row.in_progress,
                row.completed,
                round(row.average_seconds / 60, 1),
            ]
        )
    ws.freeze_panes = "A2"
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 20
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
