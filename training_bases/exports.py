"""Roster and sign-in sheet as XLSX (openpyxl) and PDF (WeasyPrint with a CJK font), and the QR
code for check-in."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.exports import Sheet

from .ics import training_type_label


def _rows(data: dict, kind: str) -> tuple[list[str], list[list]]:
    days = data["days"]
    if kind == "signin":
        header = [_("Seat"), _("Name"), _("Enterprise"), _("Position")] + [
            _("Signature %(day)s") % {"day": d.isoformat()} for d in days
        ]
        rows = [
            [b.seat_number or i, str(b.user), b.enterprise.name, b.position_label] + ["" for _d in days]
            for i, b in enumerate(data["confirmed"], start=1)
        ]
        return header, rows
    header = [_("Seat"), _("Name"), _("Enterprise"), _("Position"), _("E-mail"), _("Status"), _("Priority")] + [
        d.isoformat() for d in days
    ]
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


def sheet(*, session, data: dict, kind: str) -> Sheet:
    """The roster or sign-in sheet as a table for `lms.exports` (XLSX or CSV)."""
    header, rows = _rows(data, kind)
    local = timezone.localtime(session.starts_at)
    return Sheet(
        title=_("Sign-in sheet") if kind == "signin" else _("Roster"),
        preamble=[
            _title(session, kind),
            f"{session.base.name} · {session.room.name} · {local:%Y-%m-%d %H:%M} · "
            f"{training_type_label(session.training_type)}",
            "",
        ],
        header=header,
        rows=rows,
        widths=(8, 16, 34, 20, 28, 14, 10, 14, 14, 14),
        row_height=30 if kind == "signin" else None,
    )


def pdf(*, session, data: dict, kind: str) -> bytes:
    from weasyprint import HTML

    header, rows = _rows(data, kind)
    html = render_to_string(
        "training_bases/export.html",
        {
            "title": _title(session, kind),
            "session": session,
            "header": header,
            "rows": rows,
            "kind": kind,
            "training_type": training_type_label(session.training_type),
            "generated": timezone.localtime(),
        },
    )
    return HTML(string=html).write_pdf()


def qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    return image.to_string(encoding="unicode")
