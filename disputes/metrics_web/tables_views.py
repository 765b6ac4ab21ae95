"""The official statistical tables (人社统MA1, MA2): the page, each cell's cases, XLSX and PDF."""

import sqlalchemy as sa
from flask import Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from disputes import clock, policy
from disputes.auth.guards import requires
from disputes.case_list import CasePage
from disputes.extensions import db
from disputes.i18n import N_
from disputes.metrics import drill, tables
from disputes.metrics.scope import unit_scope
from disputes.metrics_web import bp, export
from disputes.metrics_web.official import cell_text, pdf_bytes, xlsx_bytes
from disputes.metrics_web.params import choice, period_args
from disputes.metrics_web.views import EXPORT_LIMIT
from disputes.params import arg_page
from disputes.web import replica
from disputes.web.downloads import document_language, pdf_response, table_response
from disputes.web.formats import local_date

PER_PAGE = 50
MEASURE_HEADINGS = {tables.WORKERS: N_("Workers"), tables.MONEY: N_("Amount (yuan)")}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form(key: str) -> tables.FormDef:
    form = tables.BY_KEY.get(key)
    if form is None:
        abort(404)
    return form


def _read() -> bool:
    """Before a table or a cell's list reads the facts: start the fold through the jobs path (a worker's, or
    inline in its own transaction without a broker) — the page itself writes nothing (issue 19). Whether the facts
    are then current (else the page says they may lag by the fold's period)."""
    return replica.bring_summary_up_to_date()


def _table(form: tables.FormDef):
    c = choice()
    current = _read()
    return c, tables.compute(db.session, form, unit_scope(db.session, c.unit), c.period, fold_first=False), current


@bp.route("/reports/tables/<form_key>")
@requires(policy.can_view_reports)
def official_table(form_key):
    form = _form(form_key)
    c, table, current = _table(form)
    units = policy.visible_units(db.session, current_user, whole_subtree=True)
    return render_template(
        "reports/official_table.html",
        c=c,
        form=form,
        table=table,
        cell_text=cell_text,
        units=units,
        link_args=period_args(c),
        headings=tables.HEADINGS,
        lag_s=replica.lag_seconds(db.session, with_summary=True, summary_current=current),
        lag_on_replica=False,
    )


def _cell(form: tables.FormDef, c):
    """The cell the request names: (row, column, its rows as a subquery); 404 for an unknown row or column."""
    row_key, column_key = request.args.get("row", ""), request.args.get("column", tables.TOTAL)
    try:
        scope = unit_scope(db.session, c.unit)
        counted = tables.cell_rows(db.session, form, row_key, column_key, scope, c.period, fold_first=False)
    except KeyError:
        abort(404)
    row = next(r for r in form.rows if r.key == row_key)
    column = next(col for col in form.columns if col.key == column_key)
    return row, column, counted


def _track_dates(form: tables.FormDef, row_ids) -> dict:
    """The counted track row's own dates: a case may be open (in court, or another track) after this track closed."""
    track = tables.TRACKS[form.source]
    return {
        row_id: (accepted, ended)
        for row_id, accepted, ended in db.session.execute(
            sa.select(track.model.id, track.accepted_on, track.ended_on).where(track.model.id.in_(list(row_ids)))
        )
    }


@bp.route("/reports/tables/<form_key>/cases")
@requires(policy.can_view_reports)
def official_cell(form_key):
    form = _form(form_key)
    c = choice()
    _read()
    row, column, counted = _cell(form, c)
    page = request.args.get("page", 1, type=arg_page)
    pages = CasePage(cases=[], total=drill.count(db.session, counted), capped=False, page=page, per_page=PER_PAGE)
    rows = drill.page(db.session, counted, page, PER_PAGE)
    dates = _track_dates(form, [r[2] for r in rows])
    return render_template(
        "reports/official_cell.html",
        c=c,
        form=form,
        row=row,
        column=column,
        total=tables.cell_total(db.session, counted),
        money=row.measure == tables.MONEY,
        rows=rows,
        dates=dates,
        page=pages,
        link_args=period_args(c),
    )


@bp.route("/reports/tables/<form_key>/cases.<any(csv, xlsx):fmt>")
@requires(policy.can_view_reports)
def official_cell_export(form_key, fmt):
    """A cell's whole drill-down list (up to EXPORT_LIMIT rows) as a download, under the export rules (masked ID
    numbers, formula escaping: `table_response`); a money or workers cell carries each case's share of its sum."""
    form = _form(form_key)
    c = choice()
    _read()
    row, column, counted = _cell(form, c)
    rows = drill.page(db.session, counted, 1, EXPORT_LIMIT)
    track = tables.TRACKS[form.source]
    facts = {  # each counted row's measure and dates, joined rather than listed (a list may be long)
        row_id: (value, accepted, closed)
        for row_id, value, accepted, closed in db.session.execute(
            sa.select(counted.c.row_id, counted.c.value, track.accepted_on, track.ended_on).join(
                track.model, track.model.id == counted.c.row_id
            )
        )
    }
    ended = _("Mediation ended") if form.source == "mediation" else _("Arbitration closed")
    extra = [_("Accepted"), ended] + ([_(MEASURE_HEADINGS[row.measure])] if row.measure != tables.COUNT else [])

    def line(case, row_id):
        value, accepted, closed = facts.get(row_id, (0, None, None))
        measure = [f"{value:.2f}" if row.measure == tables.MONEY else value]
        shown = [local_date(accepted), local_date(closed)] + (measure if row.measure != tables.COUNT else [])
        return export.case_row(case, shown)

    lines = (line(case, row_id) for case, _source, row_id in rows)
    name = f"{form.key}-{row.key}-{column.key}-{c.period.start.isoformat()}-{c.period.end.isoformat()}"
    return table_response(export.headers(extra), lines, fmt, name)


@bp.route("/reports/tables/<form_key>.xlsx")
@requires(policy.can_view_reports)
def official_xlsx(form_key):
    c, table, _current = _table(_form(form_key))
    data = xlsx_bytes(table, c.unit, clock.today_local(), document_language())
    response = Response(data, mimetype=XLSX)
    name = f"{form_key}-{c.unit.code}-{c.period.start.isoformat()}-{c.period.end.isoformat()}.xlsx"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/reports/tables/<form_key>.pdf")
@requires(policy.can_view_reports)
def official_pdf(form_key):
    c, table, _current = _table(_form(form_key))
    data = pdf_bytes(table, c.unit, clock.today_local(), document_language())
    return pdf_response(data, f"{form_key}-{c.unit.code}-{c.period.start.isoformat()}-{c.period.end.isoformat()}.pdf")
