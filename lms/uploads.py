"""Limits on uploaded files, shared by every upload: the size of a request and of a file, and
the shape of an XLSX archive before anything unpacks it (an XLSX is a ZIP of XML parts: a few
kilobytes can expand to gigabytes, a "zip bomb")."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Collection

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


# --- What a file is, by its bytes ------------------------------------------------------------------

# The file name extensions each content type may carry: the bytes decide what a file is, and its
# name must not say otherwise (a PDF named .jpg would open in the wrong program, or not at all).
# Old Office files share one container (OLE2) whose kind is told apart by guesswork: any of their
# extensions goes with any of them.
_OLE_EXTENSIONS = (".doc", ".xls", ".ppt")
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "image/png": (".png",),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "application/msword": _OLE_EXTENSIONS,
    "application/vnd.ms-excel": _OLE_EXTENSIONS,
    "application/vnd.ms-powerpoint": _OLE_EXTENSIONS,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (".pptx",),
    "application/vnd.oasis.opendocument.text": (".odt",),
    "application/vnd.oasis.opendocument.spreadsheet": (".ods",),
    "application/vnd.oasis.opendocument.presentation": (".odp",),
}
SNIFF_BYTES = 8192


def sniff_content_type(head: bytes) -> str | None:
    """The content type the first bytes of a file show (its signature: `%PDF-`, the JPEG and PNG
    markers, the ZIP of an OOXML or OpenDocument file, the OLE2 container...), read by the
    `filetype` package; None when no known signature matches."""
    import filetype

    kind = filetype.guess(head)
    return kind.mime if kind is not None else None


def extension_of(name: str) -> str:
    """The lower-case extension of a file name with its dot (".pdf"), "" when it has none."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, ext = base.rpartition(".")
    return f".{ext.lower()}" if dot and stem and ext else ""


def check_content_type(upload, *, allowed: Collection[str], refused_message: str) -> str:
    """The content type of an uploaded file read from its bytes (never from its name or the
    browser's word). Raises ValidationError with `refused_message` (code "file_type") when it is
    not one of `allowed`, and one naming both (code "file_name_mismatch") when the file's name
    says another type than its content: a PDF named report.jpg is refused, not kept as a .jpg.
    A name without an extension is accepted (`file_name` gives it the right one)."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    content_type = sniff_content_type(head)
    if content_type is None or content_type not in allowed:
        raise ValidationError(refused_message, code="file_type")
    extension = extension_of(upload.name)
    expected = EXTENSIONS.get(content_type, ())
    if extension and expected and extension not in expected:
        raise ValidationError(
            _(
                "“%(name)s” is a %(kind)s file by its content, not what its name says (%(extension)s): "
                "rename it to %(expected)s, or choose the right file."
            )
            % {
                "name": base_name(upload.name),
                "kind": expected[0].lstrip(".").upper(),
                "extension": extension,
                "expected": " / ".join(expected),
            },
            code="file_name_mismatch",
        )
    return content_type


def base_name(name: str, limit: int = 200) -> str:
    """The file's own name without any folder a browser sent, at most `limit` characters."""
    return ((name or "").replace("\\", "/").rsplit("/", 1)[-1] or "file")[-limit:]


def file_name(name: str, content_type: str, limit: int = 200) -> str:
    """The name to keep for a file whose content type was checked (`check_content_type`): its
    own name, with the type's extension added when it had none."""
    name = base_name(name, limit)
    if not extension_of(name) and EXTENSIONS.get(content_type):
        name = name[: limit - 6] + EXTENSIONS[content_type][0]
    return name
