"""`flask archive`: the case file and a hearing day's batch as PDF files; deemed service of public notices."""

from __future__ import annotations

import time

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from disputes.extensions import db

archive_cli = AppGroup("archive", help="Case files, hearing-day batches and public-notice service (送达与归档).")


def _case(registry_no: str):
    from disputes.models import Case

    case = db.session.scalar(sa.select(Case).where(Case.registry_no == registry_no))
    if case is None:
        raise click.ClickException(f"no case numbered {registry_no}")
    return case


@archive_cli.command("case-file")
@click.option("--case", "registry_no", required=True, help="The case's registry number.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
@click.option("--lang", type=click.Choice(["zh_CN", "en"]), default="zh_CN")
def case_file_command(registry_no, output, lang):
    """Write the complete case file (cover, index, every issued document, page-numbered) to OUTPUT."""
    from disputes.documents import case_file

    case = _case(registry_no)
    started = time.perf_counter()
    pdf, parts = case_file.build(db.session, case, lang)
    with open(output, "wb") as handle:
        handle.write(pdf)
    total = sum(parts.values())
    click.echo(
        f"{output}: {total} pages (cover {parts['cover']}, index {parts['index']}, documents "
        f"{parts['documents']}) in {time.perf_counter() - started:.2f} s"
    )


@archive_cli.command("hearing-day")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), required=True)
@click.option("--unit", "unit_code", required=True, help="Code of the commission (or a unit above it).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
@click.option("--lang", type=click.Choice(["zh_CN", "en"]), default="zh_CN")
def hearing_day_command(day, unit_code, output, lang):
    """Write one day's hearing schedule with every hearing notice of that day to OUTPUT."""
    from disputes import organisation
    from disputes.documents import hearing_day
    from disputes.i18n import DomainError

    try:
        unit = organisation.unit_by_code(db.session, unit_code)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    pdf, made = hearing_day.build(db.session, day.date(), unit, lang)
    with open(output, "wb") as handle:
        handle.write(pdf)
    click.echo(
        f"{output}: {made['hearings']} hearing(s), {made['notices']} notice(s), "
        f"{made['schedule'] + made['notice_pages']} pages"
    )


@archive_cli.command("public-notices")
@click.option(
    "--date",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="As of this day (YYYY-MM-DD, not after today); default today in local time.",
)
def public_notices_command(on):
    """Record as served the public notices published 30 days ago or more (CPL Art 95). Safe to run daily."""
    from disputes import clock
    from disputes.documents import service

    today = on.date() if on else clock.today_local()
    if today > clock.today_local():
        raise click.BadParameter("must not be after today.", param_hint="--date")
    deemed = service.deem_public_notices(db.session, today)
    db.session.commit()  # CLI: the public notices deemed served today
    click.echo(f"{len(deemed)} public notice(s) deemed served as of {today.isoformat()}.")
    for item in deemed:
        step = f"  → {item.event}" if item.event else ""
        click.echo(
            f"  {item.case.registry_no}  {item.document.kind}  {item.party.name}  "
            f"{clock.to_local(item.served_at).date().isoformat()}{step}"
        )
