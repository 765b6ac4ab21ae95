"""Reading a ledger file: UTF-8 CSV (a BOM is accepted) or the first sheet of an XLSX workbook.

Every cell comes out as a stripped string ('' when empty), so validation reads one kind of value whatever
the file type; spreadsheet dates and numbers are written the way the CSV format spells them. A CSV cell loses
the quote the export put before a formula character (formula.py).

Hostile files: an XLSX is a zip whose parts may expand a thousandfold (a 1 MB file holding a 1 GB cell), so the
zip's declared sizes are checked before anything is decompressed (zipfile never reads past a declared size);
the sheet is read streaming (openpyxl read-only, its declared dimensions ignored, at most MAX_COLUMNS columns);
a cell longer than MAX_CELL characters is kept only as far as MAX_CELL + 1 characters, for validation to
report (validate.py).
"""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from disputes.i18n import N_
from disputes.ledger import formula
from disputes.ledger.columns import COLUMNS, REQUIRED
from disputes.ledger.errors import LedgerError, LedgerInvalid

MAX_CELL = 2000  # characters: no ledger column needs more (names 120, lists of categories a few hundred)
MAX_COLUMNS = 64  # columns read from an XLSX row: twice the format's, so extra cells are still noticed
MAX_UNCOMPRESSED = 200 * 2**20  # bytes an XLSX may expand to (our 100,000-row export: about 125 MB)
MAX_RATIO = 100  # how many times a part of an XLSX may expand, once it is larger than RATIO_FLOOR
RATIO_FLOOR = 2**20
# The csv module refuses fields over 128 KiB with an exception that names no column; read them whole (an upload
# is at most 64 MB) and report the column like any other over-long cell.
csv.field_size_limit(max(csv.field_size_limit(), min(sys.maxsize, 2**31 - 1)))


@dataclass
class Sheet:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (spreadsheet row number, cells by column)


def is_xlsx(name: str, head: bytes) -> bool:
    return name.lower().endswith(".xlsx") or head.startswith(b"PK\x03\x04")


def read(stream: BinaryIO, name: str = "") -> Sheet:
    data = stream.read()
    if is_xlsx(name, data[:4]):
        table = _xlsx_rows(data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise LedgerInvalid(
                [LedgerError(0, None, N_("The file is not UTF-8 text (byte %(at)s)."), {"at": error.start})]
            ) from None
        table = ([formula.unescape(cell) for cell in cells] for cells in csv.reader(io.StringIO(text, newline="")))
    return _sheet(table)


def read_path(path: str | Path) -> Sheet:
    with open(path, "rb") as stream:
        return read(stream, str(path))


def check_zip(data: bytes) -> None:
    """Refuse an XLSX (a zip) that would expand too far, from the sizes its directory declares."""
    unreadable = LedgerInvalid([LedgerError(0, None, N_("The file is not a readable XLSX workbook."))])
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise unreadable from None
    total = sum(part.file_size for part in parts)
    if total > MAX_UNCOMPRESSED:
        raise LedgerInvalid(
            [
                LedgerError(
                    0,
                    None,
                    N_(
                        "The XLSX file would expand to %(size)s MB, more than the %(limit)s MB allowed: split the "
                        "ledger or "
                        "save it as CSV."
                    ),
                    {"size": f"{total / 2**20:,.0f}", "limit": MAX_UNCOMPRESSED // 2**20},
                )
            ]
        )
    for part in parts:
        if part.file_size > RATIO_FLOOR and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise LedgerInvalid(
                [
                    LedgerError(
                        0,
                        None,
                        N_(
                            "A part of the XLSX file expands %(ratio)s times, more than the %(limit)s times an "
                            "ordinary "
                            "spreadsheet does: save it again from the spreadsheet program, or as CSV."
                        ),
                        {"ratio": f"{part.file_size // max(part.compress_size, 1):,}", "limit": MAX_RATIO},
                    )
                ]
            )


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    check_zip(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged or foreign file
        raise LedgerInvalid([LedgerError(0, None, N_("The file is not a readable XLSX workbook."))]) from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # a forged <dimension> (A1:XFD1048576) must not pad every row to 16,384 cells
        for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            yield [_cell(v) for v in values]
    finally:
        book.close()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[: MAX_CELL + 1]


def _sheet(table) -> Sheet:
    iterator = iter(table)
    header = next(iterator, None)
    if not header or not any(cell.strip() for cell in header):
        raise LedgerInvalid([LedgerError(1, None, N_("The file has no header row."))])
    names = [cell.strip() for cell in header]
    while names and not names[-1]:
        names.pop()
    errors = [LedgerError(1, name, N_("unknown column")) for name in names if name and name not in COLUMNS]
    errors += [LedgerError(1, name, N_("required column is missing")) for name in REQUIRED if name not in names]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            errors.append(LedgerError(1, name, N_("column appears twice")))
        seen.add(name)
    if "" in names:
        errors.append(LedgerError(1, None, N_("a column has no name")))
    if errors:
        raise LedgerInvalid(errors)
    rows = []
    for number, cells in enumerate(iterator, start=2):
        values = [(cell or "").strip()[: MAX_CELL + 1] for cell in cells]
        if not any(values):
            continue  # blank lines (often at the end of a sheet) are not rows
        row = {name: (values[i] if i < len(values) else "") for i, name in enumerate(names)}
        if any(values[len(names) :]):
            row["__extra__"] = "1"
        rows.append((number, row))
    return Sheet(names, rows)
