"""Roster and sign-in sheet exports keep the Chinese text."""

import io
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from training_bases import services

from .factories import officer, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(session):
    user = staff(last_name="欧阳", first_name="明")
    services.booking_create(user=user, session_id=session.pk)
    return session, user


@pytest.mark.parametrize("kind", ["roster", "signin"])
def test_xlsx(client, booked, kind):
    session, user = booked
    client.force_login(officer())
    response = client.get(reverse("training_bases:roster_export", args=[session.pk, kind, "xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "欧阳明" in values
    assert user.enterprise.name_zh in values
    assert any(session.title_zh in v for v in values)


@pytest.mark.parametrize("kind", ["roster", "signin"])
def test_pdf_contains_chinese_text(client, booked, kind, tmp_path):
    session, _user = booked
    client.force_login(officer())
    response = client.get(reverse("training_bases:roster_export", args=[session.pk, kind, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(response.content)
    output = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    text = "".join(output.split())  # table cells wrap: compare without line breaks
    assert "欧阳明" in text
    assert session.title_zh in text


def test_unknown_export_is_404(client, session):
    client.force_login(officer())
    assert client.get(reverse("training_bases:roster_export", args=[session.pk, "roster", "csv"])).status_code == 404
