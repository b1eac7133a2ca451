"""Rosters and sign-in sheets print as an officer would use them: A4 landscape, the header on
every page, names never broken inside, every day of a several-day session shown."""

import datetime as dt
import io
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from training_bases import services

from .factories import SessionFactory, officer, staff

pytestmark = pytest.mark.django_db

NAMES = [("刘", "关务"), ("欧阳", "明"), ("张", "三丰")]


@pytest.fixture
def two_days(db):
    session = SessionFactory(capacity=10)
    session.ends_at = session.starts_at + dt.timedelta(days=1, hours=8)
    session.save()
    for last, first in NAMES:
        services.booking_create(user=staff(last_name=last, first_name=first), session_id=session.pk)
    return session


def _get(client, session, kind, fmt):
    client.force_login(officer())
    with translation.override("zh-hans"):
        url = reverse("training_bases:roster_export", args=[session.pk, kind, fmt])
    response = client.get(url)
    assert response.status_code == 200
    return response.content


def _pdf_lines(content, tmp_path) -> list[str]:
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout
    assert re.search(r"Page size:\s+841\.\d+ x 595\.\d+ pts \(A4\)", info), info  # A4 landscape
    return text.stdout.splitlines()


@pytest.mark.parametrize("kind", ["roster", "signin"])
def test_pdf_keeps_three_character_names_and_labels_on_one_line(client, two_days, kind, tmp_path):
    lines = _pdf_lines(_get(client, two_days, kind, "pdf"), tmp_path)
    text = "\n".join(lines)
    for last, first in NAMES:
        assert last + first in text, f"{last + first} is broken across lines:\n{text}"
    assert "座位" in text
    if kind == "roster":
        assert "已确认" in text
        assert "优先顺序" in text


def test_pdf_roster_shows_every_day_of_a_two_day_session(client, two_days, tmp_path):
    text = "\n".join(_pdf_lines(_get(client, two_days, "roster", "pdf"), tmp_path))
    first = dt.date.fromisoformat(f"{two_days.starts_at.astimezone(dt.UTC):%Y-%m-%d}")
    for day in (first, first + dt.timedelta(days=1)):
        assert day.isoformat() in text


def test_signin_pdf_rows_leave_room_to_sign(client, two_days, tmp_path):
    """Each row is at least about 12 mm high: the three names sit on lines far apart."""
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(_get(client, two_days, "signin", "pdf"))
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    tops = [
        float(m) for m in re.findall(r'yMin="([\d.]+)"[^>]*>刘关务|yMin="([\d.]+)"[^>]*>欧阳明', html) for m in m if m
    ]
    assert len(tops) == 2, html[:2000]
    assert abs(tops[1] - tops[0]) >= 34  # points


@pytest.mark.parametrize("kind", ["roster", "signin"])
def test_xlsx_is_set_up_for_printing_with_both_days(client, two_days, kind):
    book = load_workbook(io.BytesIO(_get(client, two_days, kind, "xlsx"))).active
    rows = [[c.value for c in row] for row in book.iter_rows()]
    header = rows[3]
    day_columns = [h for h in header if h and "2" in str(h) and "-" in str(h)]
    assert len(day_columns) == 2, header
    assert "（共 2 天）" in rows[1][0]  # the heading names both days, not the first alone
    assert book.freeze_panes == "A5"
    assert book.print_title_rows == "$4:$4"
    assert int(book.page_setup.paperSize) == 9  # A4
    assert book.page_setup.orientation == "landscape"
    assert book.sheet_properties.pageSetUpPr.fitToPage and book.page_setup.fitToWidth == 1
    if kind == "signin":
        assert book.row_dimensions[5].height >= 30
        assert book.column_dimensions["E"].width >= 20  # a signature fits
