"""Roster and sign-in sheet as XLSX (openpyxl) and PDF (WeasyPrint with a CJK font), and the QR
code for check-in."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from lms.exports import Sheet

from .ics import training_type_label
from .rules import session_days


def _rows(data: dict, kind: str) -> tuple[list[str], list[list]]:
    days = data["days"]
    if kind == "signin":
        header = [_("Seat"), pgettext("person", "Name"), _("Enterprise"), _("Position")] + [
            _("Signature %(day)s") % {"day": d.isoformat()} for d in days
        ]
        rows = [
            [b.seat_number or i, str(b.user), b.enterprise.name, b.position_label] + ["" for _d in days]
            for i, b in enumerate(data["confirmed"], start=1)
        ]
        return header, rows
    header = [
        _("Seat"),
        pgettext("person", "Name"),
        _("Enterprise"),
        _("Position"),
        _("E-mail"),
        _("Status"),
        _("Priority"),
    ] + [d.isoformat() for d in days]
    rows = []
    for i, b in enumerate(data["confirmed"] + data["waitlisted"], start=1):
        attendance = [b.attendance_by_day[d].get_status_display() if d in b.attendance_by_day else "" for d in days]
        rows.append(
            [
                b.seat_number or (i if b.status == "confirmed" else ""),
                str(b.user),
                b.enterprise.name,
                b.position_label,
                b.user.email,
                b.get_status_display(),
                b.priority if b.priority < 1_000_000 else "",
                *attendance,
            ]
        )
    return header, rows


def _title(session, kind: str) -> str:
    label = _("Sign-in sheet") if kind == "signin" else _("Roster")
    return f"{label} · {session.title}"


def when(session) -> str:
    """The session's dates and hours as printed on a roster: every day it covers, e.g.
    "2026-12-14 09:00 – 2026-12-15 17:00 (2 days)"."""
    starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    days = len(session_days(session.starts_at, session.ends_at))
    if days == 1:
        return f"{starts:%Y-%m-%d %H:%M} – {ends:%H:%M}"
    return f"{starts:%Y-%m-%d %H:%M} – {ends:%Y-%m-%d %H:%M} " + (
        ngettext("(%(days)d day)", "(%(days)d days)", days) % {"days": days}
    )


# Column widths in characters: seat, name, enterprise, position, then per kind (e-mail, status,
# priority and one column per day; or one signature column per day, wide enough to sign in).
WIDTHS = {
    "roster": (6, 12, 32, 18, 26, 10, 8),
    "signin": (6, 12, 32, 18),
}
DAY_WIDTH = {"roster": 12, "signin": 26}


def sheet(*, session, data: dict, kind: str) -> Sheet:
    """The roster or sign-in sheet as a table for `lms.exports` (XLSX or CSV), printed in
    landscape on A4 with the header row on every page."""
    header, rows = _rows(data, kind)
    return Sheet(
        title=_("Sign-in sheet") if kind == "signin" else _("Roster"),
        preamble=[
            _title(session, kind),
            f"{session.base.name} · {session.room.name} · {when(session)} · "
            f"{training_type_label(session.training_type)}",
            "",
        ],
        header=header,
        rows=rows,
        widths=WIDTHS[kind] + (DAY_WIDTH[kind],) * len(data["days"]),
        row_height=36 if kind == "signin" else None,
        landscape=True,
    )


# How each PDF column lays out its text (classes of training_bases/export.html): names, seats,
# states and dates never break inside a word ("刘关务", not "刘关/务"); enterprise names and
# positions wrap; signature columns are wide.
PDF_COLUMNS = {
    "roster": ("seat", "name", "text", "text", "email", "short", "short"),
    "signin": ("seat", "name", "text", "text"),
}
PDF_DAY_COLUMN = {"roster": "short", "signin": "signature"}


def pdf(*, session, data: dict, kind: str) -> bytes:
    """The roster or sign-in sheet as an A4 landscape PDF, the header row repeated on every page
    (WeasyPrint; the Chinese font comes from the system's Noto CJK)."""
    from weasyprint import HTML

    header, rows = _rows(data, kind)
    classes = PDF_COLUMNS[kind] + (PDF_DAY_COLUMN[kind],) * len(data["days"])
    html = render_to_string(
        "training_bases/export.html",
        {
            "title": _title(session, kind),
            "session": session,
            "header": list(zip(header, classes, strict=True)),
            "rows": [list(zip(row, classes, strict=True)) for row in rows],
            "kind": kind,
            "training_type": training_type_label(session.training_type),
            "when": when(session),
            "days": len(data["days"]),
            "generated": timezone.localtime(),
        },
    )
    return HTML(string=html).write_pdf()
