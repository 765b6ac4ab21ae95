"""The official tables (人社统MA1, MA2) as XLSX in the form's layout and as PDF, with the unit, the period and
the sign-off lines (填报人、审核人、单位负责人, date). No Flask: the CLI writes the same files as the page."""

from __future__ import annotations

import io
from datetime import date

from babel import Locale
from babel.support import Translations
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from disputes.documents.render import html_to_pdf, normalise_language, render_html, translations_directory
from disputes.i18n import N_
from disputes.metrics.tables import MONEY, Table
from disputes.models import Unit

SIGN_OFF = (N_("Prepared by"), N_("Reviewed by"), N_("Head of unit"))


def gettext_for(lang: str):
    catalogue = Translations.load(translations_directory(), [Locale.parse(normalise_language(lang))], "messages")
    return catalogue.gettext


def unit_name(unit: Unit, lang: str) -> str:
    return unit.name if normalise_language(lang).startswith("zh") else (unit.name_en or unit.name)


def cell_text(table: Table, row, column) -> str:
    value = table.value(row.key, column.key)
    return f"{value:,.2f}" if row.measure == MONEY else f"{value:,}"  # grouped like the amounts: 115,711


def xlsx_bytes(table: Table, unit: Unit, today: date, lang: str) -> bytes:
    """One sheet: the form's code and title, the unit and period, the rows with their identifiers, sign-off lines."""
    _ = gettext_for(lang)
    form = table.form
    book = Workbook()
    sheet = book.active
    sheet.title = form.key
    width = len(form.columns) + 2
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.append([form.code])
    sheet.append([_(form.title)])
    sheet["A2"].font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet["A2"].alignment = Alignment(horizontal="center")
    period = f"{_('Period')}: {table.period.start} – {table.period.end}"
    sheet.append([f"{_('Reporting unit')}: {unit_name(unit, lang)}", None, period])
    header = [_("Item"), _("Code"), *(_(c.title) for c in form.columns)]
    sheet.append(header)
    first = sheet.max_row
    for number, row in enumerate(form.rows, start=1):
        label = ("    " * row.level) + (_("of which") + ": " if row.level else "") + _(row.title)
        values = [
            float(table.value(row.key, c.key)) if row.measure == MONEY else table.value(row.key, c.key)
            for c in form.columns
        ]
        sheet.append([label, number, *values])
        if row.measure == MONEY:
            for index in range(len(form.columns)):
                sheet.cell(sheet.max_row, 3 + index).number_format = "#,##0.00"
    for line in sheet.iter_rows(min_row=first, max_row=sheet.max_row, max_col=width):
        for cell in line:
            cell.border = box
    for cell in sheet[first]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.append([])
    sheet.append([f"{_(label)}:" for label in SIGN_OFF] + [f"{_('Date')}: {today.isoformat()}"])
    sheet.column_dimensions["A"].width = 44
    sheet.column_dimensions["B"].width = 8
    for index in range(len(form.columns)):
        sheet.column_dimensions[get_column_letter(3 + index)].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf_bytes(table: Table, unit: Unit, today: date, lang: str) -> bytes:
    context = {
        "table": table,
        "form": table.form,
        "unit_name": unit_name(unit, lang),
        "today": today,
        "cell_text": cell_text,
        "sign_off": SIGN_OFF,
    }
    return html_to_pdf(render_html("documents/statistical_table.html", context, lang))
