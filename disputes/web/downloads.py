"""Web responses for generated PDFs, in the language the request asks for (`?lang=en`) or the user's, and for
list downloads (CSV, XLSX)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask import Response, request
from flask_babel import get_locale

from disputes.documents.render import normalise_language
from disputes.ledger import formula


def document_language() -> str:
    return normalise_language(request.args.get("lang") or str(get_locale() or "zh_CN"))


def pdf_response(data: bytes, filename: str) -> Response:
    """Shown in the browser, never cached (documents carry personal data; statistics change)."""
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


EXPORT_FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_response(headers: list[str], rows: Iterable[list], fmt: str, filename: str) -> Response:
    """A list as a CSV (UTF-8 with a BOM) or XLSX download, under the ledger's export rules: a cell a spreadsheet
    would read as a formula is quoted in CSV and written as a string in XLSX (ledger/formula.py). The caller masks
    ID numbers (`Party.masked_id`)."""
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        book = Workbook(write_only=True)
        sheet = book.create_sheet("list")
        sheet.append(headers)

        def cell(value):
            text = "" if value is None else str(value)
            if not formula.is_formula(text):
                return value if isinstance(value, int) else text
            written = WriteOnlyCell(sheet, value=text)
            written.data_type = "s"
            return written

        for row in rows:
            sheet.append([cell(v) for v in row])
        stream = io.BytesIO()
        book.save(stream)
        response = Response(stream.getvalue(), mimetype=XLSX)
    else:
        stream = io.StringIO()
        stream.write("\ufeff")
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([formula.escape("" if v is None else str(v)) for v in row])
        response = Response(stream.getvalue().encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response
