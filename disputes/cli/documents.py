"""`flask documents list` and `flask documents render`: the catalogue and preview PDFs from the shell."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from disputes.extensions import db

documents_cli = AppGroup("documents", help="Documents (文书): the catalogue and preview PDFs.")


@documents_cli.command("list")
@click.option("--case", "registry_no", help="Only the documents that fit this case now (registry number).")
def documents_list(registry_no):
    """Every registered document kind, or the instances that fit one case."""
    from disputes.documents import catalogue

    if registry_no:
        case = _case(registry_no)
        for kind, subject in catalogue.available(db.session, case):
            click.echo(f"{kind.id}\t{subject.key or '-'}\t{kind.title}")
        return
    for kind in sorted(catalogue.load_kinds().values(), key=lambda k: (k.order, k.id)):
        click.echo(f"{kind.id}\t{kind.family or '-'}\t{kind.track}\t{kind.title}")


@documents_cli.command("render")
@click.option("--case", "registry_no", required=True, help="The case's registry number.")
@click.option("--doc", "kind_id", required=True, help="Document id, e.g. arb_acceptance.")
@click.option("--key", default="", help="Subject key when the case has several instances.")
@click.option("--lang", type=click.Choice(["zh", "zh_CN", "en"]), default="zh", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
@click.option("--unmasked", is_flag=True, help="Print full ID numbers (needs --reason; recorded in the case timeline).")
@click.option("--reason", help="Why the full ID numbers are needed.")
def documents_render(registry_no, kind_id, key, lang, output, unmasked, reason):
    """Render a preview PDF (not issued: no number, no code), ID numbers masked unless --unmasked --reason."""
    from disputes.documents import catalogue
    from disputes.documents import issue as issuing
    from disputes.workflow import intake

    if unmasked and not (reason or "").strip():
        raise click.UsageError("--unmasked needs --reason: say why the full ID numbers are needed.")
    case = _case(registry_no)
    try:
        catalogue.kind(kind_id)
        pdf = issuing.render_preview_pdf(
            db.session, case, kind_id, key, "en" if lang == "en" else "zh_CN", masked=not unmasked
        )
    except KeyError as error:
        raise click.ClickException(f"no document kind {kind_id}") from error
    except LookupError as error:
        raise click.ClickException(str(error)) from error
    with open(output, "wb") as out:
        out.write(pdf.data)
    if unmasked:
        intake.reveal_ids(db.session, None, case, reason, via="document_preview")
        db.session.commit()  # CLI: the reveal of an unmasked preview
    click.echo(f"{output}: {pdf.page_count} page(s), {len(pdf.data):,} bytes")


def _case(registry_no: str):
    from disputes.models import Case

    case = db.session.scalar(sa.select(Case).where(Case.registry_no == registry_no))
    if case is None:
        raise click.ClickException(f"no case {registry_no}")
    return case


@documents_cli.command("migrate-store")
@click.option("--to", "target", required=True, help="db, fs:/path or s3://bucket[/prefix]")
@click.option(
    "--from",
    "source",
    default=None,
    help="The store to copy from (default: each file where it is now: its row, else DOCUMENT_STORE).",
)
@click.option(
    "--clear-rows",
    is_flag=True,
    help="Then empty the bytes columns of the rows whose copy was verified (set DOCUMENT_STORE to the target first).",
)
def documents_migrate_store(target, source, clear_rows):
    """Copy every issued PDF and seal to another store, each read back and checked against its recorded hash;
    with --clear-rows the rows then hold only their hashes, and are read from the target store."""

    from disputes import storage

    try:
        origin = storage.open_store(source, db.session) if source else storage.current(db.session)
        destination = storage.open_store(target, db.session)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    try:
        result = storage.copy_all(db.session, origin, destination, clear_rows=clear_rows, rows_first=not source)
    except storage.StoreError as error:
        raise click.BadParameter(str(error)) from None
    db.session.commit()  # a command commits: the filled or cleared columns
    click.echo(f"{origin.name} → {destination.name}: {result.copied} copied, {result.present} already there")
    if clear_rows:
        click.echo(f"{result.cleared} row(s) now hold only their hash")
    for problem in result.failed:
        click.echo(f"FAILED {problem}", err=True)
    if result.failed:
        raise SystemExit(1)
