"""The one writer of spreadsheets (XLSX and CSV) the project hands out: key lists, rosters,
sign-in sheets and any later export; and the PDF helpers (HTML → PDF with the Chinese fonts,
QR codes as embedded SVG) that certificates and exam tickets share.

Text cells stay text: a value someone typed (an enterprise or nominee name) that starts with
`= + - @`, a tab or a carriage return is never a formula. In XLSX the cell is written as a string
with Excel's "quote prefix" (the value is kept as typed, shown and re-edited as text); in CSV, which
has no cell types, such a value gets a leading apostrophe (OWASP "CSV injection"). XLSX sheets
also get a frozen header row, A4 print setup and the header repeated on every printed page."""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# An A4 portrait page holds about this many columns / characters of column width when fitted to
# the page width and still readable; wider tables print in landscape.
PORTRAIT_MAX_COLUMNS = 6
PORTRAIT_MAX_WIDTH = 90
DEFAULT_WIDTH = 14


def is_formula_like(value: object) -> bool:
    """True for a text value a spreadsheet program would read as a formula or command."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_safe(value: object) -> object:
    """The value to put in a CSV cell: formula-like text gets a leading apostrophe."""
    return f"'{value}" if is_formula_like(value) else value


def protect_wagtail_csv_exports() -> None:
    """Wagtail's own downloads (site history, page reports, listings with `list_export`) write CSV
    cells as they are: route every cell through `csv_safe` too, so an enterprise named
    `=HYPERLINK(...)` is text in every CSV the site hands out. (Their XLSX cells are already
    written as strings.) Called once from `TraineesConfig.ready`."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if getattr(SpreadsheetExportMixin, "_csv_safe", False):
        return

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: csv_safe(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )

    SpreadsheetExportMixin.write_csv_row = write_csv_row
    SpreadsheetExportMixin._csv_safe = True


@dataclass
class Sheet:
    """One table to export.

    `title`: sheet name (cut to Excel's 31 characters); `header`: column headings; `rows`: cell
    values (str, int, float, date or None; anything else is written as its text);
    `preamble`: lines above the header (a heading, the context; "" for a blank line), first in bold;
    `widths`: column widths in characters; `wrap_columns`: 0-based columns whose text wraps;
    `row_height`: points per data row (e.g. room for signatures), None for the default;
    `landscape`: page orientation when printed; None chooses landscape for a wide table (more
    than `PORTRAIT_MAX_COLUMNS` columns or wider than `PORTRAIT_MAX_WIDTH` characters)."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[object]]
    preamble: Sequence[str] = ()
    widths: Sequence[int] = ()
    wrap_columns: Sequence[int] = ()
    row_height: float | None = None
    landscape: bool | None = None


def is_landscape(sheet: Sheet) -> bool:
    """The printed orientation of the sheet (see `Sheet.landscape`)."""
    if sheet.landscape is not None:
        return sheet.landscape
    columns = len(sheet.header)
    widths = list(sheet.widths[:columns]) + [DEFAULT_WIDTH] * max(0, columns - len(sheet.widths))
    return columns > PORTRAIT_MAX_COLUMNS or sum(widths) > PORTRAIT_MAX_WIDTH


def _plain(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value
    return str(value)


def _put(ws, row: int, column: int, value: object):
    cell = ws.cell(row=row, column=column)
    value = _plain(value)
    cell.value = value
    if isinstance(value, str):
        # openpyxl turns any string starting with "=" into a formula: force text.
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    return cell


def xlsx(sheet: Sheet) -> bytes:
    """The sheet as XLSX bytes (one worksheet)."""
    return xlsx_book([sheet])


def xlsx_book(sheets: Sequence[Sheet]) -> bytes:
    """Several sheets as one XLSX workbook, in order (each as `xlsx` writes one)."""
    wb = Workbook()
    for index, sheet in enumerate(sheets):
        ws = wb.active if index == 0 else wb.create_sheet()
        _write_sheet(ws, sheet, index)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _write_sheet(ws, sheet: Sheet, index: int) -> None:
    ws.title = sheet.title[:31] or f"Sheet{index + 1}"
    row = 1
    for i, line in enumerate(sheet.preamble):
        if line:
            cell = _put(ws, row, 1, line)
            cell.font = Font(bold=True, size=14) if i == 0 else Font(size=11)
        row += 1
    header_row = row
    for column, heading in enumerate(sheet.header, start=1):
        cell = _put(ws, header_row, column, heading)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = set(sheet.wrap_columns)
    for values in sheet.rows:
        row += 1
        for column, value in enumerate(values, start=1):
            cell = _put(ws, row, column, value)
            if column - 1 in wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        if sheet.row_height:
            ws.row_dimensions[row].height = sheet.row_height
    for column in range(1, len(sheet.header) + 1):
        width = sheet.widths[column - 1] if column <= len(sheet.widths) else DEFAULT_WIDTH
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if is_landscape(sheet) else ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4  # inches
    ws.oddFooter.center.text = "&P / &N"


def csv_bytes(sheet: Sheet) -> bytes:
    """The sheet as CSV in UTF-8 with a byte-order mark (so Excel in China reads the Chinese),
    preamble lines first, then the header and the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in sheet.preamble:
        writer.writerow([csv_safe(line)] if line else [])
    writer.writerow([csv_safe(h) for h in sheet.header])
    for values in sheet.rows:
        writer.writerow([csv_safe(_plain(v)) if v is not None else "" for v in values])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def response(sheet: Sheet, *, filename: str, fmt: str = "xlsx") -> HttpResponse:
    """An attachment download of the sheet; `fmt` is "xlsx" or "csv", `filename` without its
    extension (ASCII)."""
    if fmt == "csv":
        content, content_type = csv_bytes(sheet), CSV_CONTENT_TYPE
    elif fmt == "xlsx":
        content, content_type = xlsx(sheet), XLSX_CONTENT_TYPE
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    result = HttpResponse(content, content_type=content_type)
    result["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return result


def qr_svg(text: str, *, border: int = 1) -> str:
    """A QR code of `text` as SVG markup (the one QR maker: PDF cards, posters, share boxes)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=border)
    return image.to_string(encoding="unicode")


def qr_svg_data_uri(text: str) -> str:
    """A QR code of `text` as an SVG `data:` URI, for an `<img>` in a PDF template (no file,
    no network)."""
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(text).encode()).decode()


def pdf_bytes(html: str) -> bytes:
    """Render an HTML document (templates name "Noto Sans CJK SC", embedded by WeasyPrint) as PDF."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
