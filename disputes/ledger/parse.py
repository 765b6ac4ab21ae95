"""Reading a ledger file: UTF-8 CSV (a BOM is accepted) or the first sheet of an XLSX workbook.

Every cell comes out as a stripped string ('' when empty), so validation reads one kind of value whatever
the file type; spreadsheet dates and numbers are written the way the CSV format spells them.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from disputes.i18n import N_
from disputes.ledger.columns import COLUMNS, REQUIRED
from disputes.ledger.errors import LedgerError, LedgerInvalid


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
            raise LedgerInvalid([LedgerError(0, None, N_("The file is not UTF-8 text (byte %(at)s)."),
                                             {"at": error.start})]) from None
        table = csv.reader(io.StringIO(text, newline=""))
    return _sheet(table)


def read_path(path: str | Path) -> Sheet:
    with open(path, "rb") as stream:
        return read(stream, str(path))


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged or foreign file
        raise LedgerInvalid([LedgerError(0, None, N_("The file is not a readable XLSX workbook."))]) from None
    try:
        sheet = book.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
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
    return str(value)


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
        values = [(cell or "").strip() for cell in cells]
        if not any(values):
            continue  # blank lines (often at the end of a sheet) are not rows
        row = {name: (values[i] if i < len(values) else "") for i, name in enumerate(names)}
        if any(values[len(names):]):
            row["__extra__"] = "1"
        rows.append((number, row))
    return Sheet(names, rows)
