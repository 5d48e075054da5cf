"""Reading a catalogue file (CSV or XLSX) and turning one of its rows into a part: no broker, no database.

The columns and what each row means are documented in contracts/parts/imports.py.
"""
import csv
import io
import re
import zipfile
from datetime import date, datetime, time
from decimal import Decimal

from marshmallow import ValidationError

from contracts.parts.imports import (
    CSV_CONTENT_TYPE, IMPORT_COLUMNS, REQUIRED_IMPORT_COLUMNS, XLSX_CONTENT_TYPE, CatalogueRow,
)
from svckit.errors import InvalidInput

CSV, XLSX = "csv", "xlsx"
FORMATS = {CSV_CONTENT_TYPE: CSV, XLSX_CONTENT_TYPE: XLSX}
MONEY_COLUMNS = ("cost_price", "retail_price", "workshop_price")
ROW = "_row"
MAX_MONEY = Decimal("9999999999.99")  # Numeric(12, 2)
MAX_CELL_CHARS = 1000  # a cell is kept (and reported) at most this long
ROW_SCHEMA = CatalogueRow()  # made once: making a schema costs more than loading a row with it
ZIP_MAGIC = b"PK\x03\x04"


def file_format(content_type, content):
    """csv or xlsx, for the content type the file came with; refuses content that is plainly the other kind."""
    kind = FORMATS[content_type]
    if kind == CSV and content.startswith(ZIP_MAGIC):
        raise InvalidInput("This looks like an XLSX file, not CSV: send it with Content-Type "
                           f"{XLSX_CONTENT_TYPE}.", {"_body": ["An XLSX (zip) file sent as text/csv."]})
    if kind == XLSX and not content.startswith(ZIP_MAGIC):
        raise InvalidInput("This is not an XLSX file (an XLSX file is a zip archive).",
                           {"_body": ["Not an XLSX file."]})
    return kind


def read_lines(content, kind):
    """(line number, cells) of every non-blank line, the header first; cells are stripped strings.

    The line number is the row number a spreadsheet shows for it (blank lines count).
    """
    lines = _csv_lines(content) if kind == CSV else _xlsx_lines(content)
    for number, cells in lines:
        cells = [_text(cell) for cell in cells]
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            yield number, cells


def decode_csv(content):
    """The text of a CSV file: UTF-8 (with or without BOM), else GB18030 (what Chinese Excel saves as CSV)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput("The file is neither UTF-8 nor GB18030 (GBK) text.", {"_body": ["Cannot decode the text."]})


def _csv_lines(content):
    text = decode_csv(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise UnreadableFile(f"The CSV cannot be read at line {reader.line_num}: {exc}") from None


def _xlsx_lines(content):
    import openpyxl  # only XLSX needs it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InvalidInput(f"The XLSX file cannot be opened: {exc}", {"_body": ["Not a readable XLSX file."]}) \
            from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong size; read every row there is
        number = 0
        rows = sheet.iter_rows(values_only=True)
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # broken XML inside the archive, found only when reading that far
                raise UnreadableFile(f"The XLSX cannot be read after row {number}: {exc}") from None
            number += 1
            yield number, values
    finally:
        workbook.close()


class UnreadableFile(Exception):
    """The file cannot be read past some line (found while working through it): the lines before are good."""


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value).strip()[:MAX_CELL_CHARS]


def column_name(header_cell):
    return re.sub(r"[\s\-]+", "_", header_cell.strip().lower())


def header_columns(cells):
    """The column of each header cell (None where the cell is blank); refuses a header that cannot be imported."""
    columns = [column_name(cell) or None for cell in cells]
    problems = {}
    for cell, column in zip(cells, columns):
        if column is not None and column not in IMPORT_COLUMNS:
            problems[cell] = [f"Unknown column. The columns are: {', '.join(IMPORT_COLUMNS)}."]
    for column in sorted({c for c in columns if c is not None and columns.count(c) > 1}):
        problems[column] = ["This column is named more than once."]
    for column in REQUIRED_IMPORT_COLUMNS:
        if column not in columns:
            problems[column] = ["Missing column: the header must have it."]
    if problems:
        raise InvalidInput("The file's header cannot be imported: " + "; ".join(
            f"{name}: {reasons[0]}" for name, reasons in problems.items()), problems)
    return columns


def part_from_row(columns, cells):
    """(the part's fields as NewPart loads them, None) or (None, [(field, reason), ...]) for a bad row.

    Each field is named once in the reasons.
    """
    row, homeless = {}, []
    for position, cell in enumerate(cells):
        if cell == "":
            continue
        column = columns[position] if position < len(columns) else None
        if column is None:
            homeless.append(position + 1)
        elif column == "fitment":
            row[column] = [model.strip() for model in cell.split(";") if model.strip()]
        elif column in MONEY_COLUMNS:
            row[column] = re.sub(r"(?<=\d),(?=\d{3}\b)", "", cell)
        else:
            row[column] = cell
    problems = []
    if homeless:
        columns_named = ", ".join(map(str, homeless))
        problems.append((ROW, f"Has values in column(s) {columns_named}, which have no header. "
                              "(In a CSV, a value with a comma in it must be in double quotes.)"))
    try:
        part = ROW_SCHEMA.load(row)
    except ValidationError as exc:
        problems.extend(_reasons(exc.messages))
    else:
        problems.extend((column, f"At most {MAX_MONEY} (the catalogue keeps 10 digits before the point).")
                        for column in MONEY_COLUMNS if part[column] is not None and part[column] > MAX_MONEY)
    if problems:
        return None, problems
    if part["workshop_price"] is None:
        part["workshop_price"] = part["retail_price"]
    return part, None


def _reasons(messages):
    for field, reasons in messages.items():
        if isinstance(reasons, dict):  # fitment: {index: [reasons]}
            reasons = [f"model {int(index) + 1}: {r}" for index, rs in reasons.items() for r in rs]
        yield field, " ".join(str(r) for r in reasons)


def imported_columns(columns):
    """The part fields a file sets (the columns it has), the others being kept on an update."""
    return [c for c in IMPORT_COLUMNS if c in columns]
