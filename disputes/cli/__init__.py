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
sla_cli = AppGroup("sla", help="Statutory deadlines (SLA timers).")
calendar_cli = AppGroup("calendar", help="The official holiday calendar (法定节假日与调休).")
cases_cli = AppGroup("cases", help="Cases: their deadlines as the case page shows them.")


def _fail(error: DomainError) -> None:
    db.session.rollback()
    raise click.ClickException(str(error))


@units_cli.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--kind", type=click.Choice([k.value for k in UnitKind]), required=True)
@click.option("--parent", "parent_code", help="Code of the parent unit.")
@click.option("--name-en", help="English name.")
@click.option("--registry-format", help="Registry number pattern, e.g. '深龙调援〔{year}〕{seq}号'.")
@click.option(
    "--region",
    "region_code",
    help="Region code (行政区划代码, six digits, e.g. 440307): the minimum wage "
    "awards are judged against is looked up by it.",
)
def units_add(code, name, kind, parent_code, name_en, registry_format, region_code):
    """Add a unit CODE called NAME."""
    try:
        parent = organisation.unit_by_code(db.session, parent_code) if parent_code else None
        unit = organisation.add_unit(db.session, code, name, kind, parent, name_en=name_en, region_code=region_code)
        if registry_format:
            numbering.set_pattern(db.session, unit, numbering.REGISTRY, registry_format)
    except DomainError as error:
        _fail(error)
    db.session.commit()  # CLI: a command is its own unit of work (no request)
    click.echo(f"unit {unit.code} added ({unit.kind.value}, path {unit.path})")


@units_cli.command("list")
def units_list():
    """Print the unit tree: code, kind, region code, name."""
    for unit, depth in organisation.unit_tree(db.session):
        click.echo(f"{'  ' * depth}{unit.code:<12} {unit.kind.value:<24} {unit.region_code or '-':<7} {unit.name}")


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
    db.session.commit()  # CLI: a command is its own unit of work (no request)
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
        db.session.commit()  # CLI: a command is its own unit of work (no request)
    click.echo()
    demo_logins.callback()


@demo_cli.command("logins")
def demo_logins():
    """Print the demo sign-in names, roles, units and the demo password."""
    from disputes.demo.loader import DEMO_PASSWORD, login_table

    click.echo(f"Demo logins (every password: {DEMO_PASSWORD})")
    click.echo(login_table())


@litigation_cli.command("effective")
@click.option(
    "--date",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Count as of this day (YYYY-MM-DD, not after today); default today in local time.",
)
def litigation_effective(on):
    """Close the parties' periods to sue or to apply for revocation that ran out (as the deadline scan does),
    record non-final awards as effective when every party's period ran out without a lawsuit, close the cases no
    period keeps open, and close cases whose award was revoked with no lawsuit within 15 days. Safe to run daily."""
    from disputes import clock
    from disputes.workflow import awards, litigation

    today = on.date() if on else clock.today_local()
    if today > clock.today_local():
        raise click.BadParameter("must not be after today: an award cannot take effect early.", param_hint="--date")
    effects = awards.make_awards_effective(db.session, today)
    after_revocation = litigation.close_after_revocation(db.session, today)
    db.session.commit()  # CLI: the day's awards and closures, in one go
    took = [e for e in effects if e.awards]
    click.echo(f"Awards took effect in {len(took)} case(s) as of {today.isoformat()}.")
    for effect in took:
        for award in effect.awards:
            click.echo(
                f"  {effect.case.registry_no}  {award.number or '-'}  effective {award.effective_on.isoformat()}"
            )
    ended = [e for e in effects if not e.awards]
    if ended:
        click.echo(f"Right-to-sue periods ended with no lawsuit in {len(ended)} case(s).")
        for effect in ended:
            click.echo(f"  {effect.case.registry_no}  closed {effect.on.isoformat()}")
    if after_revocation:
        click.echo(f"Closed {len(after_revocation)} case(s): no lawsuit within 15 days of the award's revocation.")
        for case in after_revocation:
            click.echo(f"  {case.registry_no}")


@sla_cli.command("scan")
@click.option(
    "--date",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Scan as of this day (YYYY-MM-DD, not after today); default today in local time.",
)
def sla_scan(on):
    """Record missed deadlines, close periods that ran out and send each due-soon warning once (in-app, and by
    e-mail when SMTP_HOST is set). Safe to run every few minutes, and twice at once."""
    from flask import current_app

    from disputes import clock
    from disputes.metrics.summary import fold
    from disputes.sla import mailer
    from disputes.sla.scan import scan

    today = on.date() if on else clock.today_local()
    if today > clock.today_local():
        raise click.BadParameter("must not be after today: a deadline cannot be missed early.", param_hint="--date")
    settings = mailer.settings_from(current_app.config)
    result = scan(db.session, today, clock.now_utc(), mail=settings)
    fold.fold(db.session)  # the statistics' cells of the timers the scan changed
    db.session.commit()  # CLI: the scan's last step and the fold, kept (the scan commits its own steps)
    click.echo(
        f"SLA scan as of {today.isoformat()}: {result.breached} breached, {result.warned} warned, "
        f"{result.closed} period(s) closed, {result.notifications} notification(s)."
    )
    if settings is None:
        click.echo("E-mail: off (SMTP_HOST not set).")
    else:
        click.echo(f"E-mail: {result.emails} sent, {result.email_failures} failed (retried on the next scan).")


def _suspension(text: str):
    """`--suspend START:END`, or `START:` for a suspension that has not ended."""
    from datetime import date

    first, colon, last = text.partition(":")
    try:
        paused, resumed = date.fromisoformat(first), date.fromisoformat(last) if last else None
    except ValueError:
        colon = ""
    if not colon or (resumed is not None and resumed < paused):
        raise click.BadParameter(
            f"{text!r}: write START:END (END not before START), or START: while it lasts, with dates as YYYY-MM-DD.",
            param_hint="--suspend",
        )
    return paused, resumed


@sla_cli.command("due")
@click.option("--rule", "rule_id", required=True, help="Rule id, e.g. arbitration.award.")
@click.option(
    "--from",
    "start",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The trigger date (for a reverse rule, the event's date), YYYY-MM-DD.",
)
@click.option(
    "--suspend",
    "suspensions",
    multiple=True,
    metavar="START:END",
    help="A suspension, YYYY-MM-DD:YYYY-MM-DD, or START: while it has not ended. Repeatable.",
)
@click.option("--extend", "extension", type=click.IntRange(min=0), default=0, help="Approved extension days in total.")
@click.option("--variant", help="A procedure with its own period, e.g. simplified (litigation.first_instance).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object instead of text.")
def sla_due(rule_id, start, suspensions, extension, variant, as_json):
    """Print the deadline of RULE_ID triggered on a date, and how it was reached, with the rule's current
    version and the stored holiday calendar."""
    import json
    from datetime import date

    from disputes.sla import rules
    from disputes.sla.calendar_store import load_calendar
    from disputes.sla.compute import compute_deadline, explain

    rule = rules.current_rules(db.session).get(rule_id)
    if rule is None:
        raise click.BadParameter(f"there is no rule {rule_id!r} (see /admin/rules).", param_hint="--rule")
    period, unit = rule.period, rule.unit.value
    if variant:
        if variant not in (rule.variants or {}):
            raise click.BadParameter(
                f"{rule_id} has no variant {variant!r}; it has: {', '.join(rule.variants or {}) or 'none'}.",
                param_hint="--variant",
            )
        period, unit = rule.variants[variant]
    if extension > rule.max_extension_days:
        raise click.BadParameter(
            f"{extension} days refused: {rule_id} allows an extension of at most "
            f"{rule.max_extension_days} days in total ({rule.legal_basis}).",
            param_hint="--extend",
        )
    if suspensions and not rule.pausable:
        raise click.BadParameter(f"{rule_id} is not paused while a case is suspended.", param_hint="--suspend")
    deadline = compute_deadline(
        start=start.date(),
        period=period,
        unit=unit,
        calendar=load_calendar(db.session),
        suspensions=[_suspension(text) for text in suspensions],
        extension_days=extension,
    )

    def iso(value):
        return value.isoformat() if isinstance(value, date) else value

    steps = [
        {"code": s.code, "text": explain(s, str), "params": {k: iso(v) for k, v in s.params.items()}}
        for s in deadline.steps
    ]
    if as_json:
        click.echo(
            json.dumps(
                {
                    "rule": rule_id,
                    "version": rule.version,
                    "period": period,
                    "unit": unit,
                    "from": start.date().isoformat(),
                    "nominal": iso(deadline.nominal),
                    "due": iso(deadline.due),
                    "provisional": deadline.provisional,
                    "suspended_since": iso(deadline.suspended_since),
                    "steps": steps,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    click.echo(f"{rule_id} (version {rule.version}): {rule.title_en}")
    for step in steps:
        click.echo(f"  {step['text']}")
    if deadline.due is None:
        click.echo(f"Due: open, suspended since {deadline.suspended_since.isoformat()}")
    else:
        click.echo(f"Due: {deadline.due.isoformat()}{' (provisional)' if deadline.provisional else ''}")


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@calendar_cli.command("show")
@click.argument("year", type=click.IntRange(1900, 2200))
def calendar_show(year):
    """List the official rest days (holidays) and make-up working days of YEAR; for a year not on record, the
    statutory holidays its deadlines use meanwhile (provisional)."""
    from disputes.models.sla import CalendarYear
    from disputes.sla.calendar import statutory_holidays
    from disputes.sla.calendar_admin import year_days

    record = db.session.get(CalendarYear, year)
    days = year_days(db.session, year)
    if record is None:
        # deadlines.md rule 5: a year not on record is provisional; its statutory holidays are known in advance.
        if days:
            click.echo(
                f"{year}: not on record (the year is not marked complete): deadlines that fall in it are "
                "provisional, with the statutory holidays below, weekends as rest days and no make-up working "
                "days. Days entered so far:"
            )
            for row in days:
                click.echo(f"{row.day.isoformat()}  {WEEKDAYS[row.day.weekday()]}  {row.kind.value:<8} {row.name}")
            click.echo("Statutory holidays used meanwhile:")
        else:
            click.echo(
                f"No calendar data for {year}: deadlines that fall in it are provisional, with the statutory "
                "holidays below, weekends as rest days and no make-up working days."
            )
        statutory = statutory_holidays(year)
        for day, info in statutory.items():
            click.echo(
                f"{day.isoformat()}  {WEEKDAYS[day.weekday()]}  {info.kind:<8} {info.name} (statutory, provisional)"
            )
        click.echo(f"{len(statutory)} statutory rest day(s) (provisional).")
        return
    click.echo(f"{year}: official calendar on record ({record.source}).")
    for row in days:
        click.echo(f"{row.day.isoformat()}  {WEEKDAYS[row.day.weekday()]}  {row.kind.value:<8} {row.name}")
    rest = sum(1 for row in days if row.kind.value == "holiday")
    click.echo(f"{rest} official rest day(s), {len(days) - rest} make-up working day(s).")


@cases_cli.command("timers")
@click.option("--case", "registry_no", required=True, help="The case's registry number.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of text.")
def cases_timers(registry_no, as_json):
    """Every timer of a case: rule, subject (party or track), start, due, status, provisional mark and how the date
    was reached — the data of the case page's deadline panel."""
    import json

    from disputes import clock
    from disputes.models import Case
    from disputes.sla import explain
    from disputes.sla.calendar_store import load_calendar

    case = db.session.scalar(sa.select(Case).where(Case.registry_no == registry_no))
    if case is None:
        raise click.ClickException(f"There is no case {registry_no}.")
    views = explain.case_timers(
        explain.load_case_timers(db.session, case.id), load_calendar(db.session), clock.today_local()
    )
    records = [explain.timer_record(view) for view in views]
    if as_json:
        click.echo(json.dumps({"case": registry_no, "timers": records}, ensure_ascii=False, indent=2))
        return
    for record in records:
        subject = record["subject"]
        about = subject.get("name") or subject.get("track") or f"{subject['kind']} {subject['id']}"
        due = record["due_on"] or f"open (paused since {record['paused_since']})"
        mark = " (provisional)" if record["provisional"] else ""
        click.echo(
            f"{record['rule']} v{record['rule_version']} · {about} · {record['status']} · "
            f"from {record['started_on']} · due {due}{mark}"
        )
        for step in record["steps"]:
            click.echo(f"    {step}")
    if not records:
        click.echo("No deadlines are running for this case.")


def register(app: Flask) -> None:
    from disputes.cli.awards import awards_cli
    from disputes.cli.documents import documents_cli
    from disputes.cli.ledger import ledger_cli
    from disputes.cli.ops import backup_cli, config_cli, jobs_cli
    from disputes.cli.reports import metrics_cli
    from disputes.cli.service import archive_cli

    for group in (
        units_cli,
        users_cli,
        demo_cli,
        litigation_cli,
        sla_cli,
        calendar_cli,
        cases_cli,
        documents_cli,
        archive_cli,
        metrics_cli,
        ledger_cli,
        awards_cli,
        config_cli,
        jobs_cli,
        backup_cli,
    ):
        app.cli.add_command(group)
