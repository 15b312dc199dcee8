"""The council's spreadsheets in and out: .xlsx through openpyxl, .csv through
the csv module.

Reading (`read_table`) turns an uploaded file into one sheet's headings and
rows, refusing with SpreadsheetError, in words a council officer
understands, what cannot be read: not a spreadsheet, an old .xls, a
password-protected workbook, merged or missing header cells, too many rows.
Workbooks are opened read-only (openpyxl streams the sheet), so a large file
is never held in memory as cells.

Writing (`xlsx_response`, `csv_response`) streams rows: openpyxl's
write-only mode for .xlsx, a generator for .csv. Every text cell goes through
`neutralise`, so text a spreadsheet would execute (=, +, -, @, tab, CR at the
start) arrives as text; `restore` undoes it on the way back in, so an
exported file edited in Excel imports back to the original text.
"""

import csv
import datetime
import decimal
import io
import tempfile
import zipfile
from dataclasses import dataclass, field

import olefile
import openpyxl
from django.http import FileResponse, StreamingHttpResponse
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

# What a spreadsheet reads as the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetError(ValueError):
    """A file that cannot be read as the expected table; the message is for the user."""


def neutralise(value):
    """Text a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore(value):
    """Undo `neutralise`: the apostrophe an export put before such text comes off."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula where a value was expected."""

    text: str

    def __str__(self):
        return self.text


@dataclass
class Table:
    """One sheet: its headings (column order) and its non-blank rows as
    (spreadsheet row number, [cell values])."""

    sheet: str
    headings: list
    rows: list = field(default_factory=list)


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def file_kind(data):
    """'xlsx', 'csv', or a SpreadsheetError saying what the file is instead."""
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # An OLE2 compound file: Excel 97-2003, or an encrypted modern workbook.
        try:
            with olefile.OleFileIO(io.BytesIO(data)) as ole:
                encrypted = ole.exists("EncryptionInfo")
        except OSError:
            encrypted = False
        if encrypted:
            raise SpreadsheetError(
                "This workbook is password-protected, so it cannot be read. Remove the password in Excel "
                "(File → Info → Protect Workbook) and upload it again."
            )
        raise SpreadsheetError("This is an old-style Excel file (.xls). Save it as an Excel Workbook (.xlsx) first.")
    if b"\x00" in data[:4096]:
        raise SpreadsheetError("This file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file.")
    return "csv"


def _decode(data):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError("This CSV file's text could not be read. Save it from Excel as “CSV UTF-8”.")


def _check_headings(sheet, headings):
    """Headings as text; a blank heading with named ones after it is a merged or empty header cell."""
    names = ["" if _blank(h) else str(h).strip() for h in headings]
    while names and not names[-1]:
        names.pop()
    if not names:
        raise SpreadsheetError(f"Sheet “{sheet}” has no header row: put the column headings in row 1.")
    for index, name in enumerate(names):
        if not name:
            raise SpreadsheetError(
                f"Sheet “{sheet}”, column {get_column_letter(index + 1)} has no heading in row 1. "
                "Header cells must not be merged or left empty: give every column its own heading."
            )
    return names


def _rows(sheet, raw_rows, width, max_rows):
    rows = []
    for number, values in raw_rows:
        values = list(values[:width]) + [None] * (width - len(values))
        if all(_blank(v) for v in values):
            continue
        if len(rows) >= max_rows:
            raise SpreadsheetError(
                f"Sheet “{sheet}” has more than {max_rows:,} rows; the limit is {max_rows:,}. "
                "Split it into smaller files and import them one after another."
            )
        rows.append((number, values))
    return rows


# XML turns a carriage return into a line feed, so .xlsx keeps it as the
# escape Excel itself writes and reads (ST_Xstring): text from a browser's
# textarea (CR LF line ends) then comes back exactly as it went out.
CR_ESCAPE = "_x000D_"


def _xlsx_value(cell):
    value = cell.value
    if isinstance(value, ArrayFormula) or (cell.data_type == "f" and isinstance(value, str)):
        return Formula(getattr(value, "text", value))
    if isinstance(value, str):
        return restore(value.replace(CR_ESCAPE, "\r"))
    return value


def _read_xlsx(data, sheet_names, max_rows):
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise SpreadsheetError(
            "This file could not be opened as an Excel workbook. Save it from Excel as .xlsx and try again."
        ) from error
    try:
        names = workbook.sheetnames
        chosen = next((n for n in names if n.casefold() in {s.casefold() for s in sheet_names}), names[0])
        worksheet = workbook[chosen]
        merged = getattr(worksheet, "merged_cells", None)
        if merged and any(r.min_row == 1 for r in merged.ranges):
            raise SpreadsheetError(f"Sheet “{chosen}” has merged cells in its header row: unmerge them.")
        cells = worksheet.iter_rows()
        first = next(cells, None)
        if first is None:
            raise SpreadsheetError(f"Sheet “{chosen}” is empty: put the column headings in row 1.")
        headings = _check_headings(chosen, [c.value for c in first])
        # Read-only mode yields every row from row 1 in order (missing ones
        # filled in) and a blank cell as an EmptyCell with no row number, so
        # the row number is the count, not row[0].row (a row whose first cell,
        # the Ref of a new item, is blank would otherwise be dropped).
        raw = ((number, [_xlsx_value(c) for c in row]) for number, row in enumerate(cells, start=2))
        return Table(chosen, headings, _rows(chosen, raw, len(headings), max_rows))
    finally:
        workbook.close()


def _read_csv(data, max_rows):
    text = _decode(data)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        first = next(reader, None)
        if first is None:
            raise SpreadsheetError("This CSV file is empty: put the column headings in the first line.")
        headings = _check_headings("CSV", first)
        raw = ((reader.line_num, [restore(v) for v in values]) for values in reader)
        return Table("CSV", headings, _rows("CSV", raw, len(headings), max_rows))
    except csv.Error as error:
        raise SpreadsheetError(f"This CSV file could not be read: {error}.") from error


def read_table(data, *, sheet_names=(), max_rows):
    """The sheet named one of `sheet_names` (else the first) of an .xlsx, or a CSV file, as a Table."""
    kind = file_kind(data)
    if kind == "xlsx":
        return _read_xlsx(data, sheet_names, max_rows)
    return _read_csv(data, max_rows)


# --- Writing -----------------------------------------------------------------


def _cell_value(value):
    if isinstance(value, decimal.Decimal | int | float | datetime.date) or value is None:
        return value
    return neutralise(str(value))


def _xlsx_cell(worksheet, value):
    """A cell's value for openpyxl's append: plain values as they are (the
    quick path), dates as a cell with a UK date format. Text never reaches
    openpyxl starting with "=", the one thing it would write as a formula:
    neutralise has put an apostrophe before it."""
    value = _cell_value(value)
    if isinstance(value, str):
        return value.replace("\r", CR_ESCAPE) if "\r" in value else value
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(worksheet, value=value)
        cell.number_format = "dd/mm/yyyy"
        return cell
    return value


def write_xlsx(sheets, target):
    """Write sheets of rows to `target` (a path or file) in openpyxl's
    write-only mode: rows go to disk as they come, so memory stays flat.
    `sheets` is a list of (title, headings, rows iterable, column widths or None)."""
    workbook = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    for title, headings, rows, widths in sheets:
        worksheet = workbook.create_sheet(title=title[:31])
        for index, width in enumerate(widths or [], start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        worksheet.freeze_panes = "A2"
        header = []
        for heading in headings:
            cell = WriteOnlyCell(worksheet, value=heading)
            cell.font = bold
            header.append(cell)
        worksheet.append(header)
        for row in rows:
            worksheet.append([_xlsx_cell(worksheet, value) for value in row])
    workbook.save(target)


def xlsx_response(sheets, filename):
    """A download of the workbook, spooled to a temporary file then streamed."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    write_xlsx(sheets, spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


class _Echo:
    def write(self, value):
        return value


def csv_rows(headings, rows):
    """CSV text, line by line (with a BOM first so Excel reads it as UTF-8)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(headings)
    for row in rows:
        yield writer.writerow([_csv_value(v) for v in row])


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return _cell_value(value)


def csv_response(headings, rows, filename):
    response = StreamingHttpResponse(csv_rows(headings, rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


DOWNLOAD_FORMATS = ("xlsx", "csv")


def download(fmt, sheet, basename):
    """The response for a list's “Download .xlsx” / “Download .csv” link:
    `sheet` is (title, headings, rows, widths) with rows an iterator, so
    neither format holds the whole list in memory."""
    title, headings, rows, widths = sheet
    if fmt == "csv":
        return csv_response(headings, rows, f"{basename}.csv")
    return xlsx_response([(title, headings, rows, widths)], f"{basename}.xlsx")
