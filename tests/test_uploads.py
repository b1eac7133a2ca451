"""`lms.uploads`: what an uploaded file is comes from its bytes, and a name that says another type
is refused (a PDF named .jpg)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from lms import uploads

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\0" * 64
ALLOWED = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def xlsx() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def check(name: str, content: bytes) -> str:
    return uploads.check_content_type(SimpleUploadedFile(name, content), allowed=ALLOWED, refused_message="refused")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("report.pdf", PDF, "application/pdf"),
        ("REPORT.PDF", PDF, "application/pdf"),
        ("photo.png", PNG, "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("photo.JPG", JPEG, "image/jpeg"),
        ("figures.xlsx", xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("scan", PDF, "application/pdf"),  # no extension: the content decides
    ],
)
def test_the_content_decides_and_a_matching_name_is_accepted(name, content, expected):
    assert check(name, content) == expected


@pytest.mark.parametrize(
    ("name", "content"),
    [("scan.jpg", PDF), ("photo.pdf", PNG), ("figures.pdf", xlsx()), ("photo.png", JPEG)],
)
def test_a_name_that_says_another_type_is_refused_with_a_clear_message(name, content):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        check(name, content)
    assert refused.value.code == "file_name_mismatch"
    message = refused.value.messages[0]
    assert name in message and "not what its name says" in message and "rename it to" in message


def test_the_mismatch_is_explained_in_chinese():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        check("scan.jpg", PDF)
    assert refused.value.messages == [
        "“scan.jpg”按内容是 PDF 文件，与文件名所示的类型（.jpg）不符：请将其改名为 .pdf，或选择正确的文件。"
    ]


@pytest.mark.parametrize(
    "content", [b"<html><script>alert(1)</script></html>", b"plain text", b"MZ\x90\x00" + b"\0" * 64]
)
def test_a_type_not_allowed_is_refused(content):
    with pytest.raises(ValidationError) as refused:
        check("file.pdf", content)
    assert refused.value.code == "file_type" and refused.value.messages == ["refused"]


def test_a_file_without_extension_is_named_for_its_type():
    assert uploads.file_name("C:\\Users\\me\\scan", "application/pdf") == "scan.pdf"
    assert uploads.file_name("folder/report.pdf", "application/pdf") == "report.pdf"
    assert uploads.extension_of(".bashrc") == "" and uploads.extension_of("a.tar.GZ") == ".gz"


# --- Size limits: every kind of upload has one, in settings, with a clear message ------------


def test_evidence_and_consultation_attachments_follow_their_size_setting(settings):
    from readiness.services import evidence_type

    settings.LMS_EVIDENCE_MAX_BYTES = len(PDF) - 1
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        evidence_type(SimpleUploadedFile("report.pdf", PDF))
    assert refused.value.code == "file_too_large"
    assert "只能上传不超过" in refused.value.messages[0]
    settings.LMS_EVIDENCE_MAX_BYTES = len(PDF)
    assert evidence_type(SimpleUploadedFile("report.pdf", PDF)) == "application/pdf"


@pytest.mark.django_db
def test_candidate_photos_follow_their_size_setting(settings):
    from exams.services.photos import candidate_photo_save
    from tests.factories import UserFactory

    settings.LMS_EXAM_PHOTO_MAX_BYTES = 10
    with pytest.raises(ValidationError) as refused:
        candidate_photo_save(user=UserFactory(), data=PNG, consent=True)
    assert refused.value.code == "file_too_large"


def test_no_upload_limit_is_above_the_request_limit():
    """A request carrying the largest file any form accepts is not cut off (413) before the form
    can give its own message."""
    from django.conf import settings

    limits = [
        settings.LMS_UPLOAD_MAX_BYTES,
        settings.WAGTAILDOCS_MAX_UPLOAD_SIZE,
        settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE,
        settings.LMS_EVIDENCE_MAX_BYTES,
        settings.LMS_EXAM_PHOTO_MAX_BYTES,
        settings.LMS_ANSWER_FILE_MAX_BYTES,
        settings.EXAMS_IMPORT_MAX_BYTES,
    ]
    assert max(limits) < settings.LMS_MAX_REQUEST_BYTES
