"""`flask metrics`: every figure of metrics.md for a period, as text or JSON; `flask metrics report`: the PDF."""

import json
import time

import click
from flask.cli import AppGroup, with_appcontext

from disputes import clock, organisation
from disputes.extensions import db
from disputes.i18n import DomainError
from disputes.metrics.output import as_json, text_lines
from disputes.metrics.scope import Period, month_period, unit_scope
from disputes.metrics.summary import figures

DAY = click.DateTime(formats=["%Y-%m-%d"])


def _unit(code):
    if not code:
        return None
    try:
        return organisation.unit_by_code(db.session, code)
    except DomainError as error:
        raise click.BadParameter(str(error), param_hint="--unit") from None


@click.group(
    "metrics",
    cls=AppGroup,
    invoke_without_command=True,
    help="Every figure of the statistics (metrics.md) for a period; `report` writes the monthly PDF.",
)
@click.option("--from", "start", type=DAY, help="First day of the period (YYYY-MM-DD, local).")
@click.option("--to", "end", type=DAY, help="Last day of the period, inclusive.")
@click.option("--unit", "unit_code", help="Unit code: the unit and its subtree (default: every unit).")
@click.option("--as-of", "as_of", type=DAY, help="Judge pending figures as of this day (default: today).")
@click.option(
    "--json",
    "as_json_",
    is_flag=True,
    help="One JSON object keyed by the spec's keys: counts as integers, rates in [0, 1] or null, "
    "average days as a number of days.",
)
@click.pass_context
@with_appcontext
def metrics_cli(ctx, start, end, unit_code, as_of, as_json_):
    if ctx.invoked_subcommand:
        return
    if start is None or end is None:
        raise click.UsageError("--from and --to are required.")
    if end < start:
        raise click.BadParameter("must not be before --from.", param_hint="--to")
    unit = _unit(unit_code)
    period = Period(start.date(), end.date())
    values = figures(db.session, unit_scope(db.session, unit), period, as_of.date() if as_of else clock.today_local())
    db.session.commit()  # CLI: what a fold of the change log redid
    if as_json_:
        click.echo(json.dumps(as_json(values), ensure_ascii=False, indent=2))
        return
    click.echo(f"{unit.code if unit else 'all units'}: {period.start.isoformat()} – {period.end.isoformat()}")
    for line in text_lines(values):
        click.echo(line)


@metrics_cli.command("report")
@click.option("--month", required=True, help="YYYY-MM.")
@click.option("--unit", "unit_code", required=True, help="Unit code.")
@click.option("--lang", default="zh_CN", type=click.Choice(["zh_CN", "en"]))
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False), help="PDF file to write.")
def metrics_report(month, unit_code, lang, output):
    """Write the monthly statistical report of a unit as PDF."""
    from disputes.metrics_web.monthly import monthly_pdf

    try:
        year, number = (int(part) for part in month.split("-"))
        period = month_period(year, number)
    except ValueError:
        raise click.BadParameter("must be YYYY-MM.", param_hint="--month") from None
    unit = _unit(unit_code)
    pdf = monthly_pdf(db.session, unit, period, clock.today_local(), lang)
    db.session.commit()  # CLI: what a fold of the change log redid
    with open(output, "wb") as out:
        out.write(pdf)
    click.echo(f"{output}: {len(pdf)} bytes")


@metrics_cli.command("summary")
@click.option("--rebuild", is_flag=True, help="Build every cell again from the track tables.")
def metrics_summary(rebuild):
    """Bring the statistics' summary (metric_cells) up to date with the change log, or rebuild it."""
    from disputes.metrics.summary import fold

    started = time.perf_counter()
    done = fold.rebuild(db.session) if rebuild else fold.fold(db.session)
    db.session.commit()  # CLI: the fold or rebuild
    what = "every cell" if done.rebuilt else f"{done.cells} cells"
    click.echo(f"{done.changes} changes folded, {what} redone in {time.perf_counter() - started:.1f} s")


@metrics_cli.command("table")
@click.option("--form", "form_key", required=True, type=click.Choice(["MA1", "MA2"]), help="人社统MA1 or MA2.")
@click.option("--from", "start", required=True, type=DAY, help="First day of the period (YYYY-MM-DD).")
@click.option("--to", "end", required=True, type=DAY, help="Last day of the period, inclusive.")
@click.option("--unit", "unit_code", required=True, help="Unit code: the unit and its subtree.")
@click.option("--json", "as_json_", is_flag=True, help="{row: {column: value}} keyed by docs/statistical_tables.md.")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), help="Write the form as XLSX.")
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False), help="Write the form as PDF.")
@click.option("--lang", default="zh_CN", type=click.Choice(["zh_CN", "en"]))
def metrics_table(form_key, start, end, unit_code, as_json_, xlsx_path, pdf_path, lang):
    """An official statistical table (docs/statistical_tables.md) for a period and a unit's subtree."""
    from disputes.metrics import tables
    from disputes.metrics_web.official import cell_text, pdf_bytes, xlsx_bytes

    if end < start:
        raise click.BadParameter("must not be before --from.", param_hint="--to")
    unit = _unit(unit_code)
    period = Period(start.date(), end.date())
    table = tables.compute(db.session, tables.BY_KEY[form_key], unit_scope(db.session, unit), period)
    today = clock.today_local()
    for path, render in ((xlsx_path, xlsx_bytes), (pdf_path, pdf_bytes)):
        if path:
            data = render(table, unit, today, lang)
            with open(path, "wb") as out:
                out.write(data)
            click.echo(f"{path}: {len(data)} bytes", err=as_json_)
    if as_json_:
        click.echo(json.dumps(table.as_json(), ensure_ascii=False, indent=2))
    elif not (xlsx_path or pdf_path):
        click.echo(f"{table.form.code} {unit.code}: {table.period.start.isoformat()} – {table.period.end.isoformat()}")
        for row in table.form.rows:
            click.echo(f"{row.key:<26}" + " ".join(f"{cell_text(table, row, c):>14}" for c in table.form.columns))
