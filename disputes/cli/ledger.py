"""`flask ledger import FILE [--update] [--dry-run]` and `flask ledger export --out FILE [filters]`."""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale, gettext

from disputes import organisation
from disputes.extensions import db
from disputes.i18n import DomainError
from disputes.ledger import export, parse
from disputes.ledger.errors import LedgerInvalid
from disputes.ledger.importer import import_ledger
from disputes.metrics.summary import fold
from disputes.models import Case, User
from disputes.workflow import intake

ledger_cli = AppGroup("ledger", help="Case ledger import and export (CSV or XLSX).")


def texts() -> tuple[str, dict[str, str]]:
    """The stored note and the causes, in the current language (the domain takes them as plain strings)."""
    from disputes.labels import LABELS
    from disputes.models import ClaimCategory

    return gettext("Imported from the ledger"), {c.value: str(LABELS[ClaimCategory][c]) for c in ClaimCategory}


def _user(username: str | None) -> User | None:
    if not username:
        return None
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    return user


@contextmanager
def language(locale: str | None, user: User | None):
    """Messages in the chosen language: --lang, else the user's, else the default (zh_CN)."""
    chosen = locale or (user.locale if user else None) or current_app.config["BABEL_DEFAULT_LOCALE"]
    with current_app.test_request_context(), force_locale(chosen):
        yield


@ledger_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--update", is_flag=True, help="Replace the cases whose registry number is already registered.")
@click.option("--dry-run", is_flag=True, help="Check every row and report, writing nothing.")
@click.option("--user", "username", help="Import as this user (their registration units apply, they are recorded).")
@click.option("--lang", type=click.Choice(["zh_CN", "en"]), help="Language of the error report.")
def import_command(path, update, dry_run, username, lang):
    """Import the ledger at PATH (CSV or XLSX): all rows or none."""
    actor = _user(username)
    with language(lang, actor):
        _import(path, update, dry_run, actor)


def _import(path, update, dry_run, actor):
    note, causes = texts()
    try:
        sheet = parse.read_path(path)
        with click.progressbar(length=max(1, len(sheet.rows) * 2), label="ledger", file=None) as bar:
            state = {"done": 0}

            def progress(done: int, total: int) -> None:
                bar.update(done - state["done"])
                state["done"] = done

            result = import_ledger(
                db.session,
                sheet,
                actor,
                update=update,
                dry_run=dry_run,
                note=note,
                causes=causes,
                progress=progress,
                source=Path(path).name,
            )
    except LedgerInvalid as invalid:
        db.session.rollback()
        for error in invalid.errors:
            click.echo(error.line(gettext), err=True)
        if invalid.total > len(invalid.errors):
            click.echo(f"… {invalid.total - len(invalid.errors)} more", err=True)
        raise click.ClickException(f"{invalid.total} error(s): nothing was imported") from None
    if dry_run:
        db.session.rollback()
        click.echo(
            f"dry run: {result.rows} rows are valid ({result.created} new, {result.updated} to update); "
            "nothing was written"
        )
        return
    db.session.commit()  # CLI: the import, kept before the statistics are folded
    seconds = result.seconds["total"]
    click.echo(
        f"imported {result.rows} rows: {result.created} new cases, {result.updated} updated, "
        f"{result.timers} timers in {seconds:.1f} s ({result.rows / max(seconds, 1e-9):,.0f} rows/s)"
    )
    started = time.perf_counter()
    folded = fold.fold(db.session)
    db.session.commit()  # CLI: the fold, a second unit of work
    click.echo(
        f"statistics: {folded.cells if not folded.rebuilt else 'every'} cell(s) redone in "
        f"{time.perf_counter() - started:.1f} s"
    )


@ledger_cli.command("export")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, writable=True))
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="Registered on or after.")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="Registered on or before.")
@click.option("--unit", "unit_code", help="Only this unit and the units below it.")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), help="Default: from the file name.")
@click.option(
    "--unmasked", is_flag=True, help="Write full ID numbers (needs --reason; recorded in each case's timeline)."
)
@click.option("--reason", help="Why the full ID numbers are needed.")
def export_command(out_path, date_from, date_to, unit_code, fmt, unmasked, reason):
    """Write the cases (registered between --from and --to, of --unit) in the ledger format, ID numbers masked
    unless --unmasked --reason "…" is given."""
    if unmasked and not (reason or "").strip():
        raise click.UsageError("--unmasked needs --reason: say why the full ID numbers are needed.")
    if reason and not unmasked:
        raise click.UsageError("--reason goes with --unmasked.")
    query = sa.select(Case)
    if date_from:
        query = query.where(Case.registered_on >= date_from.date())
    if date_to:
        query = query.where(Case.registered_on <= date_to.date())
    if unit_code:
        try:
            unit = organisation.unit_by_code(db.session, unit_code)
        except DomainError as error:
            raise click.BadParameter(str(error), param_hint="--unit") from None
        query = query.where(Case.unit_id.in_(organisation.subtree(unit)))
    ids = export.case_ids(db.session, query)
    unmask = export.Unmask() if unmasked else None
    rows = (row for _id, row in export.rows_for(db.session, ids, unmask))
    fmt = fmt or ("xlsx" if out_path.lower().endswith(".xlsx") else "csv")
    if fmt == "xlsx":
        count = export.to_xlsx(rows, out_path)
    else:
        with open(out_path, "w", encoding="utf-8", newline="") as stream:
            count = export.to_csv(rows, stream)
    if unmask is not None:
        recorded = intake.record_reveals(db.session, None, unmask.revealed, reason, via="ledger_export")
        db.session.commit()  # CLI: the reveals of an unmasked export
        click.echo(
            f"exported {count} cases to {out_path} ({fmt}) with full ID numbers; recorded in {recorded} "
            "case timeline(s)"
        )
        return
    click.echo(f"exported {count} cases to {out_path} ({fmt}), ID numbers masked")
