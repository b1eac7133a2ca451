"""Limits on uploaded files, shared by every upload: the size of a request and of a file, and
the shape of an XLSX archive before anything unpacks it (an XLSX is a ZIP of XML parts: a few
kilobytes can expand to gigabytes, a "zip bomb")."""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def check_size(size: int, limit: int | None = None) -> None:
    """Raise ValidationError (with the limit, human-readable) when `size` bytes exceed `limit`
    (default: `LMS_UPLOAD_MAX_BYTES`)."""
    limit = settings.LMS_UPLOAD_MAX_BYTES if limit is None else limit
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s; files up to %(limit)s can be uploaded.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )


def check_xlsx_archive(data: bytes) -> None:
    """Refuse an XLSX whose parts would unpack beyond `LMS_XLSX_MAX_UNCOMPRESSED_BYTES` in all, or
    any part compressed more than `LMS_XLSX_MAX_RATIO` times (ordinary workbooks stay far below
    both), reading only the archive's directory. Raises ValidationError; a file that is no ZIP at
    all is left for the reader to refuse."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    total = sum(entry.file_size for entry in entries)
    too_dense = any(
        entry.file_size > 1_000_000 and entry.file_size > settings.LMS_XLSX_MAX_RATIO * max(entry.compress_size, 1)
        for entry in entries
    )
    if total > settings.LMS_XLSX_MAX_UNCOMPRESSED_BYTES or too_dense or len(entries) > 10_000:
        raise ValidationError(
            _(
                "This workbook would unpack to %(size)s, more than an ordinary spreadsheet: it was "
                "refused unread. Save it again from your spreadsheet program, or split it."
            )
            % {"size": filesizeformat(total)},
            code="archive_too_large",
        )


class RequestSizeLimitMiddleware:
    """Answer 413 with a readable page, before Django reads the body, to any request whose
    declared length exceeds `LMS_MAX_REQUEST_BYTES` (the largest file any form accepts plus
    room for the other fields)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.LMS_MAX_REQUEST_BYTES
        if length > limit:
            message = _("The upload is %(size)s; at most %(limit)s can be sent at once.") % {
                "size": filesizeformat(length),
                "limit": filesizeformat(limit),
            }
            return render(request, "413.html", {"message": message}, status=413)
        return self.get_response(request)
