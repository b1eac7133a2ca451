"""A person's copy of their data (PIPL Art. 45): every app's `selectors.personal_data`, gathered
in one place, and the files it is handed out as (JSON, or a ZIP of JSON and XLSX)."""

from __future__ import annotations

import datetime as dt
import decimal
import importlib
import io
import json
import uuid
import zipfile

from django.conf import settings
from django.utils import timezone

from lms import exports

from .models import DeletionRequest

# The apps that hold data about people, each with `selectors.personal_data(user_id=...)`.
SOURCES = (
    "trainees",
    "training_bases",
    "courses",
    "live",
    "exams",
    "readiness",
    "certificates",
    "notices",
)


def personal_data(*, user_id: int) -> dict[str, list[dict]]:
    """Every section about the person, by name (profile, consents, bookings, attendance,
    enrolments, exam attempts, judgements they wrote, …): one or a few queries per app, however
    many rows."""
    data: dict[str, list[dict]] = {}
    for app in SOURCES:
        data.update(importlib.import_module(f"{app}.selectors").personal_data(user_id=user_id))
    data["deletion_requests"] = list(
        DeletionRequest.objects.filter(user_id=user_id).values(
            "status", "reason", "requested_at", "handled_at", "officer_note"
        )
    )
    return data


def _plain(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def as_json(data: dict[str, list[dict]]) -> bytes:
    """The data as UTF-8 JSON (Chinese kept readable), times in Asia/Shanghai ISO 8601."""
    payload = {
        "generated_at": timezone.localtime().isoformat(),
        "privacy_notice_version": settings.LMS_PRIVACY_NOTICE_VERSION,
        "sections": {name: [{k: _plain(v) for k, v in row.items()} for row in rows] for name, rows in data.items()},
    }
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


def as_zip(data: dict[str, list[dict]]) -> bytes:
    """A ZIP holding `data.json` and one XLSX per non-empty section (through `lms.exports`)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", as_json(data))
        for name, rows in data.items():
            if not rows:
                continue
            header = list(rows[0].keys())
            sheet = exports.Sheet(
                title=name, header=header, rows=[[_plain(row.get(h)) for h in header] for row in rows]
            )
            archive.writestr(f"{name}.xlsx", exports.xlsx(sheet))
    return buffer.getvalue()


def deletion_requests_of(*, user_id: int) -> list[DeletionRequest]:
    return list(DeletionRequest.objects.filter(user_id=user_id).order_by("-requested_at"))
