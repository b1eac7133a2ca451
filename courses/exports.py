"""Trainer statistics as a sheet for the one spreadsheet writer (`lms.exports`: text cells stay
text, frozen header, A4 print setup)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lms.exports import Sheet

from .selectors import CourseStats


def statistics_sheet(stats: list[CourseStats]) -> Sheet:
    """One row per course: title, training type, enrolled, in progress, completed, average minutes."""
    return Sheet(
        title=_("Course statistics"),
        header=[
            _("Course"),
            _("Training type"),
            _("Enrolled"),
            pgettext("learning", "In progress"),
            _("Completed"),
            _("Average time (minutes)"),
        ],
        rows=[
            [
                row.course.title,
                str(row.course.get_training_type_display()),
                row.enrolled,
                row.in_progress,
                row.completed,
                round(row.average_seconds / 60, 1),
            ]
            for row in stats
        ],
        widths=(48, 20, 10, 10, 10, 14),
    )
