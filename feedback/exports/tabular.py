"""CSV and XLSX from plain tables: no database, no request, only rows in and bytes out."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

Cell = int | float | str | None

#: A spreadsheet treats a cell starting with one of these as a formula (or DDE).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Sheet:
    """One table: a name for its sheet, a title, headers, rows and notes."""

    name: str
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    notes: Sequence[str] = field(default_factory=tuple)
    #: Columns (0 = the first) whose numbers are fractions to show as percentages.
    percent_columns: Sequence[int] = ()


#: Column widths in a spreadsheet, in characters; longer text wraps.
MIN_WIDTH, MAX_WIDTH = 8, 60
PERCENT_FORMAT = "0%"


def _csv_value(value: Cell, percent: bool) -> Cell:
    if percent and isinstance(value, float):
        return f"{value:.0%}"
    return "" if value is None else neutralise(value)


def neutralise(value: Cell) -> Cell:
    """Make text that a spreadsheet would run as a formula inert (prefix '); numbers pass."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_chunks(sheets: Iterable[Sheet]) -> Iterator[str]:
    """Yield a UTF-8 CSV (with a byte-order mark for spreadsheets) one table at a time.

    Tables follow each other: a title line, the header line, the rows, the notes,
    and a blank line.
    """
    yield "\ufeff"
    for sheet in sheets:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([neutralise(sheet.title)])
        writer.writerow([neutralise(h) for h in sheet.headers])
        for row in sheet.rows:
            writer.writerow([_csv_value(v, n in sheet.percent_columns)
                             for n, v in enumerate(row)])
        for note in sheet.notes:
            writer.writerow([neutralise(note)])
        writer.writerow([])
        yield buffer.getvalue()


def sheet_name(name: str, taken: set[str]) -> str:
    """Return a unique sheet name Excel accepts (31 characters, no []:*?/\\)."""
    base = _SHEET_NAME.sub(" ", name).strip()[:31] or "Sheet"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def _width(value: Cell) -> int:
    if isinstance(value, float):
        return 6
    return max((len(line) for line in str("" if value is None else value).splitlines()),
               default=0)


def xlsx_bytes(sheets: Iterable[Sheet], title: str, created: datetime) -> bytes:
    """Write one worksheet per table; ``created`` is stored as the file's date.

    Each sheet has its title in the first row and its headers, frozen, in the
    second; numbers are stored as numbers (shares as fractions formatted as
    percentages); columns are sized to their contents and long text wraps.
    """
    book = Workbook()
    book.remove(book.active)
    book.properties.title = title
    book.properties.creator = title
    book.properties.created = book.properties.modified = created.replace(tzinfo=None)
    taken: set[str] = set()
    wrap = Alignment(wrap_text=True, vertical="top")
    for sheet in sheets:
        page = book.create_sheet(sheet_name(sheet.name, taken))
        page.append([neutralise(sheet.title)])
        page["A1"].font = Font(bold=True, size=13)
        page.append([neutralise(header) for header in sheet.headers])
        for cell in page[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        widths = [max(MIN_WIDTH, _width(header) + 2) for header in sheet.headers]
        for row in sheet.rows:
            page.append([neutralise(value) for value in row])
            for n, value in enumerate(row):
                if n >= len(widths):
                    widths.append(MIN_WIDTH)
                widths[n] = max(widths[n], _width(value) + 2)
                cell = page.cell(row=page.max_row, column=n + 1)
                if n in sheet.percent_columns and isinstance(value, float):
                    cell.number_format = PERCENT_FORMAT
                elif isinstance(value, int | float):
                    cell.number_format = "#,##0"
                elif isinstance(value, str):
                    cell.alignment = Alignment(horizontal="right") if n and len(value) <= 2 \
                        else wrap
        for note in sheet.notes:
            page.append([neutralise(note)])
        for n, width in enumerate(widths):
            page.column_dimensions[get_column_letter(n + 1)].width = min(width, MAX_WIDTH)
        page.freeze_panes = "B3" if len(sheet.headers) > 2 else "A3"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
