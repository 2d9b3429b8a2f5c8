"""CSV and XLSX from plain tables: no database, no request, only rows in and bytes out."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

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
            writer.writerow(["" if v is None else neutralise(v) for v in row])
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


def xlsx_bytes(sheets: Iterable[Sheet], title: str, created: datetime) -> bytes:
    """Write one worksheet per table; ``created`` is stored as the file's date."""
    book = Workbook(write_only=True)
    book.properties.title = title
    book.properties.creator = title
    book.properties.created = book.properties.modified = created.replace(tzinfo=None)
    taken: set[str] = set()
    for sheet in sheets:
        page = book.create_sheet(sheet_name(sheet.name, taken))
        heading = WriteOnlyCell(page, value=neutralise(sheet.title))
        heading.font = Font(bold=True, size=13)
        page.append([heading])
        header_cells = []
        for header in sheet.headers:
            cell = WriteOnlyCell(page, value=neutralise(header))
            cell.font = Font(bold=True)
            header_cells.append(cell)
        page.append(header_cells)
        for row in sheet.rows:
            page.append([neutralise(value) for value in row])
        for note in sheet.notes:
            page.append([neutralise(note)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
