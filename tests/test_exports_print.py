"""Every XLSX export prints well: frozen header, header repeated on each page, A4 fitted to the
width, landscape when the table is wide."""

import io

import pytest
from openpyxl import load_workbook

from lms import exports


def _book(sheet):
    return load_workbook(io.BytesIO(exports.xlsx(sheet))).active


@pytest.mark.parametrize(
    ("columns", "widths", "expected"),
    [(3, (20, 20, 20), "portrait"), (7, (), "landscape"), (4, (40, 40, 20, 10), "landscape")],
)
def test_orientation_follows_the_width_of_the_table(columns, widths, expected):
    sheet = exports.Sheet(title="T", header=[f"h{i}" for i in range(columns)], rows=[[1] * columns], widths=widths)
    book = _book(sheet)
    assert book.page_setup.orientation == expected
    assert book.freeze_panes == "A2"
    assert book.print_title_rows == "$1:$1"
    assert int(book.page_setup.paperSize) == 9
    assert book.page_setup.fitToWidth == 1 and book.sheet_properties.pageSetUpPr.fitToPage


def test_an_explicit_orientation_wins():
    sheet = exports.Sheet(title="T", header=["a"] * 9, rows=[], landscape=False)
    assert _book(sheet).page_setup.orientation == "portrait"


def test_preamble_moves_the_frozen_and_printed_header():
    sheet = exports.Sheet(title="T", header=["a", "b"], rows=[["x", "y"]], preamble=["Title", ""])
    book = _book(sheet)
    assert book.freeze_panes == "A4" and book.print_title_rows == "$3:$3"
    assert book.column_dimensions["B"].width == exports.DEFAULT_WIDTH
