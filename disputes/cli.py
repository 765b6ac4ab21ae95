"""`flask units`, `flask users`, `flask demo`: scripted provisioning; `flask litigation`: the daily jobs."""
import sys

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from disputes import numbering, organisation
from disputes.extensions import db
from disputes.i18n import DomainError
from disputes.models import Role, Unit, UnitKind

units_cli = AppGroup("units", help="Manage organisation units.")
users_cli = AppGroup("users", help="Manage staff accounts.")
demo_cli = AppGroup("demo", help="Demonstration data.")
litigation_cli = AppGroup("litigation", help="Linkage with the courts (裁审衔接).")


def _fail(error: DomainError) -> None:
    db.session.rollback()
    raise click.ClickException(str(error))


@units_cli.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--kind", type=click.Choice([k.value for k in UnitKind]), required=True)
@click.option("--parent", "parent_code", help="Code of the parent unit.")
@click.option("--name-en", help="English name.")
@click.option("--registry-format", help="Registry number pattern, e.g. '深龙调援〔{year}〕第{seq:05d}号'.")
def units_add(code, name, kind, parent_code, name_en, registry_format):
    """Add a unit CODE called NAME."""
    try:
        parent = organisation.unit_by_code(db.session, parent_code) if parent_code else None
        unit = organisation.add_unit(db.session, code, name, kind, parent, name_en=name_en)
        if registry_format:
            numbering.set_pattern(db.session, unit, numbering.REGISTRY, registry_format)
    except DomainError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"unit {unit.code} added ({unit.kind.value}, path {unit.path})")


@units_cli.command("list")
def units_list():
    """Print the unit tree."""
    for unit, depth in organisation.unit_tree(db.session):
        click.echo(f"{'  ' * depth}{unit.code:<12} {unit.kind.value:<24} {unit.name}")


@users_cli.command("add")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice([r.value for r in Role]))
@click.option("--unit", "unit_code", required=True, help="Code of the user's unit.")
@click.option("--name", "display_name", default="", help="Full name shown in the app.")
@click.option("--password", help="Initial password; printed when generated.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--locale", type=click.Choice(["zh_CN", "en"]), default="zh_CN")
def users_add(username, roles, unit_code, display_name, password, password_stdin, locale):
    """Add a user USERNAME with one or more roles."""
    generated = False
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise click.ClickException("--password-stdin was given but standard input held no password.")
    if not password:
        password, generated = organisation.generate_password(), True
    try:
        unit = organisation.unit_by_code(db.session, unit_code)
        user = organisation.add_user(db.session, username, display_name, list(roles), unit, password, locale=locale)
    except DomainError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"user {user.username} added to {unit.code} as {', '.join(sorted(roles))}")
    if generated:
        click.echo(f"password: {password}")


@demo_cli.command("load")
@click.option("--cases", "case_count", default=300, show_default=True)
@click.option("--seed", default=20261121, show_default=True)
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the database already holds data.")
def demo_load(case_count, seed, if_empty):
    """Build a demonstration centre with users for every role and realistic cases."""
    from disputes.demo.loader import load

    if if_empty and db.session.scalar(sa.select(Unit.id).limit(1)) is not None:
        click.echo("The database already holds data; demo data not loaded again.")
    else:
        try:
            click.echo(load(db.session, case_count=case_count, seed=seed))
        except DomainError as error:
            _fail(error)
        db.session.commit()
    click.echo()
    demo_logins.callback()


@demo_cli.command("logins")
def demo_logins():
    """Print the demo sign-in names, roles, units and the demo password."""
    from disputes.demo.loader import DEMO_PASSWORD, login_table

    click.echo(f"Demo logins (every password: {DEMO_PASSWORD})")
    click.echo(login_table())


@litigation_cli.command("effective")
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Count as of this day (YYYY-MM-DD, not after today); default today in local time.")
def litigation_effective(on):
    """Record awards as effective whose right-to-sue period ended without a lawsuit, and close cases whose
    award was revoked with no lawsuit within 15 days. Safe to run daily."""
    from disputes import clock
    from disputes.workflow import awards, litigation

    today = on.date() if on else clock.today_local()
    if today > clock.today_local():
        raise click.BadParameter("must not be after today: an award cannot take effect early.", param_hint="--date")
    cases = awards.make_awards_effective(db.session, today)
    after_revocation = litigation.close_after_revocation(db.session, today)
    db.session.commit()
    click.echo(f"Awards took effect in {len(cases)} case(s) as of {today.isoformat()}.")
    for case in cases:
        arbitration = case.arbitration
        numbers = ", ".join(a.number or "-" for a in arbitration.awards if not a.partial)
        click.echo(f"  {case.registry_no}  {numbers}  effective {arbitration.award_effective_on.isoformat()}")
    if after_revocation:
        click.echo(f"Closed {len(after_revocation)} case(s): no lawsuit within 15 days of the award's revocation.")
        for case in after_revocation:
            click.echo(f"  {case.registry_no}")


def register(app: Flask) -> None:
    for group in (units_cli, users_cli, demo_cli, litigation_cli):
        app.cli.add_command(group)
