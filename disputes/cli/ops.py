"""`flask config check`: the effective settings, secrets masked, and what production would refuse or regret."""

import os

import click
from flask import current_app
from flask.cli import AppGroup

import config as settings_module

config_cli = AppGroup("config", help="Configuration read from the environment.")


def notes(app_config, environ=os.environ) -> list[str]:
    """Settings that start but that several instances or an operator would regret."""
    found = []
    if app_config.get("RATELIMIT_STORAGE_URI", "").startswith("memory://") and app_config.get("RATELIMIT_ENABLED"):
        found.append("RATELIMIT_STORAGE_URI is memory://: each worker process counts on its own (set REDIS_URL)")
    if not app_config.get("METRICS_TOKEN") and not app_config.get("METRICS_ALLOW"):
        found.append("/metrics is refused to everyone (set METRICS_TOKEN or METRICS_ALLOW)")
    if not app_config.get("CELERY_BROKER_URL"):
        found.append("CELERY_BROKER_URL is empty: background jobs run inside the request, no scheduled jobs")
    return found


@config_cli.command("check")
def config_check():
    """Print every setting's effective value (secrets masked); exit 1 if production would refuse to start."""
    app_config = current_app.config
    width = max(len(s.name) for s in settings_module.SETTINGS)
    for setting in settings_module.SETTINGS:
        value = app_config.get(setting.key) if setting.key in app_config else os.environ.get(setting.name)
        if setting.name == "APP_CONFIG":
            value = os.environ.get("APP_CONFIG", "development")
        click.echo(f"{setting.name:<{width}}  {settings_module.shown(setting, value)}")
    for note in notes(app_config):
        click.echo(f"note: {note}")
    production = settings_module.problems(os.environ, production=True)
    if production:
        click.echo("Production would refuse to start:")
        for problem in production:
            click.echo(f"  - {problem}")
        if os.environ.get("APP_CONFIG") == "production":
            raise SystemExit(1)
    else:
        click.echo("Settings fit for production.")


jobs_cli = AppGroup("jobs", help="Background jobs (ledger imports, calendar recomputes).")


@jobs_cli.command("sweep")
def jobs_sweep():
    """Mark as failed, and so retryable, the jobs whose worker died: nothing of a ledger import was imported;
    a calendar recompute is run again whole. Celery beat runs this every five minutes."""
    from disputes.extensions import db
    from disputes.ledger import job as ledger_job
    from disputes.sla import recompute_job

    imports = ledger_job.expire_stalled(db.session)
    recomputes = recompute_job.expire_stalled(db.session)
    db.session.commit()  # CLI: the given-up jobs, shown as failed with a retry button
    click.echo(f"{imports} stalled ledger import(s) and {recomputes} calendar recompute(s) marked failed.")


backup_cli = AppGroup("backup", help="Backups of the PostgreSQL database.")


@backup_cli.command("verify")
@click.argument("dump", type=click.Path(exists=True, dir_okay=False))
@click.option("--scratch", "scratch_name", help="Database to restore into (made afresh; default <db>_restore_check).")
@click.option("--keep", is_flag=True, help="Leave the scratch database for inspection.")
def backup_verify(dump, scratch_name, keep):
    """Restore DUMP (pg_dump -Fc, or plain SQL) into a scratch database on the same server and check it: every
    table, the migration revision, row counts, and each issued document's PDF against its recorded hash (read from
    the configured document store when its row holds only the hash)."""
    from disputes import storage
    from disputes.extensions import db
    from disputes.ops import backup
    from disputes.ops.readiness import migration_heads

    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        raise click.ClickException("backup verify restores into PostgreSQL: DATABASE_URL must name one")
    target = backup.scratch_url(url, scratch_name)
    if target.database == sa_url_database(url):
        raise click.ClickException("the scratch database must not be the live one")
    try:
        backup.restore(dump, target)
    except RuntimeError as error:
        raise click.ClickException(str(error)) from error
    import sqlalchemy as sa

    engine = sa.create_engine(target)
    try:
        load = None if storage.in_rows() else storage.current(db.session).get
        verdict = backup.check(engine, db.metadata, migration_heads(), load)
    finally:
        engine.dispose()
        if not keep:
            backup.drop(target)
    click.echo(f"Restored {dump} into {target.database}; migration revision {verdict.revision}.")
    for name, count in verdict.counts.items():
        click.echo(f"  {name:<28} {count:>10}")
    click.echo(f"{verdict.documents} issued document(s) checked against their recorded hashes.")
    if not verdict.ok:
        for problem in verdict.problems:
            click.echo(f"PROBLEM: {problem}")
        raise SystemExit(1)
    click.echo("Backup verified.")


def sa_url_database(url: str) -> str | None:
    import sqlalchemy as sa

    return sa.engine.make_url(url).database
