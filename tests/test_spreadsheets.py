"""The one spreadsheet reader (`lms/spreadsheets.py`): cells as Chinese offices type them in
Excel and WPS. Table-driven: several spellings of each date form, each full-width class."""

import io
import zipfile
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from lms.spreadsheets import (
    CellError,
    RowsRejected,
    cell_code,
    cell_date,
    cell_list,
    cell_number,
    halfwidth,
    read_table,
)

COLUMNS = {"code": ("code", "代码"), "day": ("day", "日期"), "note": ("note", "备注")}

MARCH_5 = date(2026, 3, 5)


@pytest.mark.parametrize(
    "typed",
    [
        # 年月日, as WPS and Excel zh-CN show a long date
        "2026年3月5日",
        "2026年03月05日",
        "2026 年 3 月 5 日",
        "2026年3月5号",
        "２０２６年３月５日",
        # with the day of the week, as Excel zh-CN's "2012年3月14日星期三" format shows it
        "2026年3月5日星期四",
        "2026年3月5日 星期四",
        "2026年3月5日（周四）",
        "2026/3/5 周四",
        # in Chinese numerals, as Excel zh-CN's "二〇一二年三月十四日" format shows it
        "二〇二六年三月五日",
        "二零二六年三月五日",
        # with a time as Chinese spreadsheets write one
        "2026年3月5日14:30",
        "2026/3/5 下午 2:30:00",
        "2026/3/5 2:30 PM",
        "2026年03月05日 14时30分",
        "2026-03-05 10：30",
        # slashes, as Excel zh-CN shows a short date
        "2026/3/5",
        "2026/03/05",
        "２０２６/３/５",
        "2026／3／5",
        # dots
        "2026.3.5",
        "2026.03.05",
        "２０２６．３．５",
        # ISO and dashes
        "2026-03-05",
        "2026-3-5",
        "２０２６－０３－０５",
        " 2026-03-05 ",
        "2026-03-05 00:00:00",
        "2026/3/5 0:00",
        # compact
        "20260305",
        # Excel serial numbers, as a number cell or typed into a CSV
        46086,
        46086.0,
        46086.75,
        "46086",
        "４６０８６",
        # date and datetime cells
        MARCH_5,
        datetime(2026, 3, 5, 14, 30),
    ],
)
def test_dates_as_chinese_spreadsheets_write_them(typed):
    assert cell_date(typed) == MARCH_5


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("二〇二六年十二月三十一日", date(2026, 12, 31)),
        ("二〇二六年三月十四日", date(2026, 3, 14)),
        ("二〇二六年十月二十日", date(2026, 10, 20)),
    ],
)
def test_dates_in_chinese_numerals(typed, read):
    assert cell_date(typed) == read


@pytest.mark.parametrize(
    "typed",
    [
        "2026-02-30",
        "2026年13月1日",
        "3/5/2026",
        "明天",
        "2026-03",
        "0",
        "-5",
        "99999999",
        "二〇二六年二月三十日",
        "二〇二六年三月",
        "周四",
        "2026年3月5日 星期八",
        "2026-03-05 14",
    ],
)
def test_a_value_that_is_not_a_date_says_which_forms_are_read(typed):
    with pytest.raises(CellError) as exc:
        cell_date(typed)
    assert "2026-03-05" in exc.value.messages[0] or "2026" in exc.value.messages[0]


@pytest.mark.parametrize("empty", [None, "", "  ", "\u3000"])
def test_an_empty_date_cell_is_no_date(empty):
    assert cell_date(empty) is None


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("０１２３４５６７８９", "0123456789"),  # full-width digits
        ("ＡＢＣＸＹＺ", "ABCXYZ"),  # full-width capitals
        ("ａｂｃｘｙｚ", "ABCXYZ"),  # full-width small letters: codes are upper-case
        ("\u3000913205\u3000", "913205"),  # ideographic (full-width) spaces around
        ("\u00a0913205 ", "913205"),  # no-break space around (trimmed like any space)
        ("９１３２０５ｍａ１ｘｙ", "913205MA1XY"),
        ("'0201234567", "0201234567"),  # Excel's text prefix typed into a CSV
        ('="0201234567"', "0201234567"),  # the formula form CSV exports use to keep leading zeros
        ("＝＂０２０１２３４５６７＂", "0201234567"),
    ],
)
def test_codes_are_read_half_width_upper_case_and_trimmed(typed, read):
    assert cell_code(typed) == read


@pytest.mark.parametrize(
    ("typed", "read"),
    [("８８", "88"), ("－１", "-1"), ("８８．５", "88.5"), ("＋９０", "+90"), (88.0, "88"), (7, "7")],
)
def test_full_width_digits_and_signs_in_numbers(typed, read):
    assert cell_number(typed) == read


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("consignor；customs_broker", ["consignor", "customs_broker"]),  # full-width semicolon
        ("consignor，customs_broker", ["consignor", "customs_broker"]),  # full-width comma
        ("consignor、customs_broker", ["consignor", "customs_broker"]),  # enumeration comma
        ("consignor\u3000customs_broker", ["consignor", "customs_broker"]),  # full-width space
        ("consignor\ncustoms_broker", ["consignor", "customs_broker"]),  # Alt+Enter in a cell
        ("ｃｏｎｓｉｇｎｏｒ", ["consignor"]),  # full-width letters
        ("", []),
    ],
)
def test_lists_with_full_width_separators(typed, read):
    assert cell_list(typed) == read


def test_full_width_punctuation_becomes_ascii():
    assert halfwidth("（）［］：；，．／－＋＃＠") == "()[]:;,./-+#@"


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("91320500MA1XY2345\u200b", "U+200B"),  # zero-width space
        ("\ufeff9132", "U+FEFF"),  # byte-order mark pasted from a UTF-8 file
        ("9132\u00a0500", "U+00A0"),  # no-break space inside
        ("9132\u200d500", "U+200D"),  # zero-width joiner
        ("9132\u2060500", "U+2060"),  # word joiner
        ("9132\u00ad500", "U+00AD"),  # soft hyphen
    ],
)
def test_hidden_characters_are_named_not_counted(typed, named):
    with pytest.raises(CellError) as exc:
        cell_code(typed)
    assert named in exc.value.messages[0]


def test_codes_stored_as_numbers_lose_no_zero_and_report_lost_digits():
    assert cell_code(4403960001.0, length=10) == "4403960001"  # no ".0"
    assert cell_code(4403960001, length=10) == "4403960001"
    with pytest.raises(CellError) as exc:
        cell_code(201234567, length=10)  # 0201234567 kept as a number
    assert "201234567" in exc.value.messages[0] and exc.value.code == "number_lost_zeros"
    with pytest.raises(CellError) as exc:
        cell_code(9.13205e17)  # an 18-digit code Excel kept as a float
    assert exc.value.code == "number_lost_digits"
    with pytest.raises(CellError):
        cell_code("9.13205E+17")  # the same, as a CSV saved by Excel writes it


def workbook_bytes(rows) -> bytes:
    """An .xlsx file with these rows on its first sheet (also used by the import tests)."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_header_without_rows_is_an_error_not_an_empty_import():
    for data, name in ((workbook_bytes([["代码", "日期"]]), "x.xlsx"), ("代码,日期\n,\n".encode(), "x.csv")):
        with pytest.raises(ValidationError) as exc:
            read_table(data, name, COLUMNS, ("code",))
        assert exc.value.code == "no_rows"


def test_partial_columns_full_width_headers_and_row_numbers():
    data = workbook_bytes([[None], ["ＣＯＤＥ", "\ufeff日期"], ["A1", "2026/3/5"], [None, None], ["A2", None]])
    table = read_table(data, "x.xlsx", COLUMNS, ("code",))
    assert table.columns == {"code", "day"}  # the file holds two of the three columns
    assert [number for number, _row in table.rows] == [3, 5]  # as the spreadsheet numbers them


def test_gb18030_csv_with_bom_less_headers():
    data = "代码,备注\n９１,是\n".encode("gb18030")
    table = read_table(data, "x.csv", COLUMNS, ("code",))
    assert table.rows == [(2, {"code": "９１", "note": "是"})]


def _with_saved_result(data: bytes, result: bytes) -> bytes:
    """The workbook as Excel or WPS saves it: each formula with its calculated result."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</f><v></v>", b"</f><v>" + result + b"</v>")
            target.writestr(item, content)
    return out.getvalue()


def test_formula_cells_give_their_saved_result_or_are_reported():
    data = workbook_bytes([["代码", "日期"], ["A1", "=DATE(2026,3,5)"]])  # openpyxl saves no result
    saved = read_table(_with_saved_result(data, b"46086"), "x.xlsx", COLUMNS, ("code",))
    assert cell_date(saved.rows[0][1]["day"]) == MARCH_5
    with pytest.raises(RowsRejected) as exc:
        read_table(data, "x.xlsx", COLUMNS, ("code",))
    assert [e.row for e in exc.value.errors] == [2]
    assert "B2" in exc.value.errors[0].message and "DATE(2026,3,5)" in exc.value.errors[0].message
