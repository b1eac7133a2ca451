"""The one reader of the spreadsheets customs offices exchange (XLSX from Excel or WPS, CSV in
UTF-8 or GB18030), used by every import: header matching in Chinese or English, partial
columns, row numbers as the user sees them, and cells as Chinese offices type them (full-width
digits, letters and punctuation, dates such as 2026年3月5日 or Excel serial numbers, codes stored
as numbers, invisible characters, formulas).

An import declares its columns, calls `read_table`, then turns each cell into a value with
`cell_text`, `cell_code`, `cell_number`, `cell_date` and `cell_list`; each raises `CellError`
(a ValidationError) whose message says what to fix."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lms.uploads import check_xlsx_archive

# Characters nobody sees in a cell but that make a code "19 characters long": zero-width and
# joiner characters, the byte-order mark, soft hyphen and no-break spaces (inside a value).
_INVISIBLE = {"\u00a0", "\u00ad", "\u2007", "\u202f", "\u180e"}
_KEPT = re.compile("[" + "".join(sorted(_INVISIBLE)) + "]")
_KEPT_SPLIT = re.compile("([" + "".join(sorted(_INVISIBLE)) + "])")
_LIST_SEPARATORS = re.compile(r"[,;、/\s]+")
# Excel's day 0 is 1899-12-30 (its 1900 leap-year bug included); serials from 1 to 9999-12-31.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_MAX_SERIAL = 2_958_465
_DATE_FORMS = (
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"),
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
# A time after the date, as Excel and WPS zh-CN write one: "14:30", "14:30:00.000", "下午 2:30",
# "2:30 PM", "14时30分", "14点"; after 日 or 号 no space is needed ("2026年3月5日14:30").
_TIME_SUFFIX = re.compile(
    r"(?:(?<=[日号])|[T\s]+)\s*(?:上午|中午|下午|晚上|凌晨|AM|PM)?\s*\d{1,2}"
    r"(?::\d{2}(?::\d{2}(?:\.\d+)?)?|[时点](?:\d{1,2}分(?:\d{1,2}秒)?)?)\s*(?:AM|PM)?$",
    re.IGNORECASE,
)
# The day of the week a long date may carry: "2026年3月5日星期四", "2026/3/5 周四", "(礼拜四)".
_WEEKDAY = re.compile(r"\(?\s*(?:星期|周|礼拜)[一二三四五六日天]\s*\)?")
# A date in Chinese numerals, one of Excel's zh-CN date formats: 二〇二六年三月五日, 二〇二六年十二月三十一日.
_CHINESE_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CHINESE_DATE = re.compile(
    r"^([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})([日号]?)$"
)


_TEXT_MARK = re.compile(r"""^(?:'|="(.*)"$)""")


class CellError(ValidationError):
    """A cell that cannot be read as the column asks; the message tells the user what to do."""


@dataclass(frozen=True)
class RowError:
    """A problem in one row (`row` as numbered in the spreadsheet, header = 1; None: the file)."""

    row: int | None
    message: str


class RowsRejected(Exception):
    """Every problem found, so the user fixes them all at once; nothing was written."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} bad rows")
        self.errors = errors


@dataclass(frozen=True)
class Table:
    """The data rows of a sheet: `columns` are the declared columns the header holds (a file
    may hold only some of them: an import updates only those); `rows` are (row number,
    {column: raw cell value}) for every non-empty row."""

    columns: frozenset[str]
    rows: list[tuple[int, dict[str, object]]]


def halfwidth(text: str) -> str:
    """Full-width digits, letters, spaces and punctuation (ＡＢ１２，；：　) as their ASCII
    forms (Unicode NFKC compatibility mapping); Chinese characters are left as they are. No-break
    spaces and soft hyphens are kept (NFKC would turn them into ordinary ones) so that they can
    be named."""
    if not _KEPT.search(text):
        return unicodedata.normalize("NFKC", text)
    return "".join(
        part if _KEPT.fullmatch(part) else unicodedata.normalize("NFKC", part) for part in _KEPT_SPLIT.split(text)
    )


def normalize_code(value: str) -> str:
    """An identifier (credit code, customs code) in the one form it is stored and compared
    in: half-width, upper-case, without surrounding spaces (full-width or no-break ones
    included). Invisible characters inside are kept so that a validator can name them."""
    return halfwidth(value).strip().upper()


def hidden_characters(text: str) -> list[str]:
    """Describe the invisible characters in `text` ("U+200B ZERO WIDTH SPACE at position 19"),
    positions counted from 1; empty when there are none."""
    if text.isprintable():  # every invisible character is unprintable: the common case, at C speed
        return []
    found = []
    for position, char in enumerate(text, start=1):
        if char in _INVISIBLE or unicodedata.category(char) == "Cf":
            name = unicodedata.name(char, "")
            found.append(
                _("U+%(code)04X %(name)s at position %(position)d")
                % {"code": ord(char), "name": name, "position": position}
            )
    return found


def check_no_hidden_characters(text: str) -> None:
    """Raise CellError naming every invisible character in `text` (a pasted code often
    carries a zero-width space, a byte-order mark or a no-break space)."""
    found = hidden_characters(text)
    if found:
        raise CellError(
            _("“%(value)s” contains invisible characters (%(chars)s): delete them and type the value again.")
            % {"value": "".join(c for c in text if not hidden_characters(c)), "chars": "; ".join(found)},
            code="hidden_characters",
        )


def read_table(data: bytes, filename: str, columns: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> Table:
    """Read the first sheet of an .xlsx or the rows of a .csv (UTF-8 with or without BOM, else
    GB18030). `columns` maps each column key to the headers accepted for it (any case,
    full-width or half-width); `required` must be in the header. Formula cells give their
    saved result; a formula without one is reported with its cell. Raises ValidationError
    (unreadable file, missing columns, a header and no data rows) or RowsRejected."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        raw = _xlsx_rows(data)
    elif name.endswith(".csv"):
        raw = [list(r) for r in csv.reader(io.StringIO(_decode(data)))]
    else:
        raise ValidationError(_("Upload an .xlsx or .csv file."))
    skipped = 0
    while skipped < len(raw) and all(_blank(v) for v in raw[skipped]):
        skipped += 1
    if skipped == len(raw):
        raise ValidationError(_("The file is empty."))
    header = [_header(h) for h in raw[skipped]]
    index = {}
    for column, names in columns.items():
        wanted = {_header(n) for n in names}
        for i, h in enumerate(header):
            if h in wanted:
                index[column] = i
    missing = [columns[c][-1] for c in required if c not in index]
    if missing:
        raise ValidationError(_("Columns missing from the first row: %(columns)s.") % {"columns": "、".join(missing)})
    rows = []
    for number, values in enumerate(raw[skipped + 1 :], start=skipped + 2):
        if all(_blank(v) for v in values):
            continue
        rows.append((number, {c: (values[i] if i < len(values) else None) for c, i in index.items()}))
    if not rows:
        raise ValidationError(
            _("The file has a header row but no data rows: nothing to import. Check that you saved the right sheet."),
            code="no_rows",
        )
    if isinstance(raw, _FormulaRows) and raw.unresolved:
        raise RowsRejected(
            [
                RowError(
                    row,
                    _(
                        "cell %(cell)s holds the formula %(formula)s without a saved result: open the file in "
                        "Excel or WPS and save it again, or type the value instead of the formula"
                    )
                    % {"cell": cell, "formula": formula[:60]},
                )
                for row, cell, formula in raw.unresolved
                if any(number == row for number, _values in rows)
            ]
            or [RowError(None, _("The sheet holds formulas without saved results."))]
        )
    return Table(columns=frozenset(index), rows=rows)


class _FormulaRows(list):
    """Rows of a sheet, with the formula cells that had no saved result: (row, cell, formula)."""

    unresolved: list[tuple[int, str, str]]


def _xlsx_rows(data: bytes) -> list[list[object]]:
    """The first sheet's rows, read by calamine (a compiled reader: 10,000 rows in well under a
    second, where openpyxl's XML parsing takes seconds). Empty cells are None; a formula cell
    gives its saved result (an empty string when it has none, looked into below)."""
    from python_calamine import CalamineWorkbook

    check_xlsx_archive(data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        raw = _FormulaRows(
            [None if value == "" else value for value in row] for row in sheet.to_python(skip_empty_area=False)
        )
    except Exception as exc:
        raise ValidationError(_("This file cannot be read as an XLSX workbook.")) from exc
    raw.unresolved = _unresolved_formulas(data, raw) if _has_formulas(data) else []
    return raw


def _has_formulas(data: bytes) -> bool:
    """Whether a sheet's XML holds a formula element (read in chunks: no second parse of a
    workbook without formulas, the common case)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in (n for n in archive.namelist() if "worksheets/" in n and n.endswith(".xml")):
            with archive.open(part) as stream:
                tail = b""
                while chunk := stream.read(1 << 20):
                    if b"<f>" in tail + chunk or b"<f " in tail + chunk:
                        return True
                    tail = chunk[-3:]
    return False


def _unresolved_formulas(data: bytes, cached: list[list[object]]) -> list[tuple[int, str, str]]:
    """Formula cells whose saved result is missing (a file written by a program that does not
    calculate): (row number, cell such as "C5", formula)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    found = []
    for r, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True)):
        for c, value in enumerate(values):
            if isinstance(value, str) and value.startswith("="):
                saved = cached[r][c] if r < len(cached) and c < len(cached[r]) else None
                if saved is None:
                    found.append((r + 1, f"{get_column_letter(c + 1)}{r + 1}", value))
    workbook.close()
    return found


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("This CSV file is neither UTF-8 nor GB18030."))  # pragma: no cover


def _header(value: object) -> str:
    text = halfwidth(str(value or ""))
    return "".join(c for c in text if not hidden_characters(c)).strip().lower()


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not "".join(halfwidth(value).split()))


def cell_text(value: object) -> str:
    """A free-text cell (names): trimmed (full-width and no-break spaces too), a number
    without its ".0"; full-width characters inside are kept as typed (Chinese names use
    full-width brackets)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.isoformat()
    return str(value).strip().lstrip("\ufeff").strip()


def cell_code(value: object, *, length: int | None = None) -> str:
    """An identifier cell in its stored form (`normalize_code`). A number cell is written
    without ".0"; one that lost digits (an 18-digit code kept by Excel as 9.13205E+17) or,
    when `length` is given, leading zeros (0201234567 kept as 201234567) is reported rather
    than guessed. Invisible characters are named. Raises CellError."""
    if value is None:
        return ""
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, float):
        if not value.is_integer() or abs(value) >= 1e15:
            raise CellError(
                _(
                    "the code was stored as the number %(value)s and lost digits: format the column as text "
                    "and type the code again"
                )
                % {"value": f"{value:G}"},
                code="number_lost_digits",
            )
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        if length is not None and len(text) < length:
            raise CellError(
                _(
                    "the code was stored as the number %(value)s and lost its leading zeros (a code has "
                    "%(length)d characters): format the column as text and type the code again"
                )
                % {"value": text, "length": length},
                code="number_lost_zeros",
            )
        return text
    text = normalize_code(str(value))
    # Ways a code is kept from becoming a number: Excel's text prefix typed into a CSV
    # ('0201234567) and the formula form CSV exports write (="0201234567").
    text = _TEXT_MARK.sub(r"\1", text).strip()
    check_no_hidden_characters(text)
    if re.fullmatch(r"\d(?:\.\d+)?E\+\d+", text):
        raise CellError(
            _(
                "the code was stored as the number %(value)s and lost digits: format the column as text "
                "and type the code again"
            )
            % {"value": text},
            code="number_lost_digits",
        )
    return text


def cell_number(value: object) -> str:
    """A number cell as text to parse: full-width digits and signs half-width, trimmed, a
    whole float without ".0"; invisible characters are named (CellError)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    text = halfwidth(str(value)).strip()
    check_no_hidden_characters(text)
    return text


def cell_list(value: object) -> list[str]:
    """A list typed in one cell, separated by commas, semicolons, 、, slashes, spaces or line
    breaks, half-width or full-width."""
    text = halfwidth(cell_text(value))
    check_no_hidden_characters(text)
    return [token for token in _LIST_SEPARATORS.split(text) if token]


def cell_date(value: object) -> date | None:
    """A date as Chinese spreadsheet programs write it: a date or datetime cell, an Excel
    serial number (46086), 2026年3月5日, 二〇二六年三月五日, 2026/3/5, 2026.3.5, 2026-03-05,
    20260305, in half-width or full-width digits, with or without the day of the week
    (星期四, 周四) and a time (14:30, 下午2:30, 14时30分) after it. None for an empty cell.
    Raises CellError naming the accepted forms."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial_date(value, str(value))
    text = halfwidth(str(value)).strip()
    if not text:
        return None
    check_no_hidden_characters(text)
    bare = _TIME_SUFFIX.sub("", _WEEKDAY.sub(" ", text).strip()).strip()
    bare = _arabic_date(bare)
    if re.fullmatch(r"\d{1,7}(?:\.\d+)?", bare) and not re.fullmatch(r"\d{8}", bare):
        return _serial_date(float(bare), text)
    for form in _DATE_FORMS:
        match = form.match(bare)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                break
    raise CellError(
        _("“%(value)s” is not a date: write it as 2026-03-05, 2026/3/5 or 2026年3月5日") % {"value": text[:40]},
        code="date",
    )


def _serial_date(number: float, shown: str) -> date:
    if not 1 <= number <= _EXCEL_MAX_SERIAL:
        raise CellError(
            _("“%(value)s” is not a date: write it as 2026-03-05, 2026/3/5 or 2026年3月5日") % {"value": shown[:40]},
            code="date",
        )
    return _EXCEL_EPOCH + timedelta(days=int(number))


def _arabic_date(text: str) -> str:
    """二〇二六年三月十四日 as 2026年3月14日; any other text as it is."""
    match = _CHINESE_DATE.match(text)
    if not match:
        return text
    year, month, day, suffix = match.groups()
    numbers = [_chinese_number(month), _chinese_number(day)]
    if None in numbers:
        return text
    return "".join(str(_CHINESE_DIGITS[c]) for c in year) + f"年{numbers[0]}月{numbers[1]}{suffix or '日'}"


def _chinese_number(text: str) -> int | None:
    """A month or day in Chinese numerals (五, 十, 十四, 二十, 三十一), None if it is not one."""
    if "十" not in text:
        return _CHINESE_DIGITS.get(text) if len(text) == 1 else None
    tens, _ten, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return (_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[ones] if ones else 0)
