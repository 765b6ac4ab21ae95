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
