"""`flask awards classify`: the finality test the award step runs, for a unit, a date and claim items."""

import json
from datetime import date
from decimal import Decimal, InvalidOperation

import click
from flask.cli import AppGroup

from disputes import organisation
from disputes.extensions import db
from disputes.i18n import DomainError
from disputes.models import CLAIMANT_EMPLOYER, CLAIMANT_WORKER, ClaimCategory
from disputes.workflow import finality

awards_cli = AppGroup("awards", help="Awards: which claims an award decides finally (Law Art 47).")


def _item(text: str, claimant: str) -> finality.ClaimLine:
    """CLAIM_KEY:CATEGORY:AMOUNT; AMOUNT may be empty (a ruling without a sum)."""
    parts = text.split(":")
    if len(parts) != 3:
        raise click.BadParameter(f"{text!r}: expected CLAIM_KEY:CATEGORY:AMOUNT", param_hint="--item")
    key, category, amount = parts
    try:
        kind = ClaimCategory(category)
    except ValueError:
        raise click.BadParameter(
            f"{category!r}: one of {', '.join(c.value for c in ClaimCategory)}", param_hint="--item"
        ) from None
    try:
        value = Decimal(amount) if amount else None
    except InvalidOperation:
        raise click.BadParameter(f"{amount!r} is not an amount", param_hint="--item") from None
    return finality.ClaimLine(key, kind, value, claimant)


@awards_cli.command("classify")
@click.option("--unit", "unit_code", required=True, help="Code of the arbitration commission.")
@click.option("--on", "on", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="The award date.")
@click.option(
    "--applicant",
    type=click.Choice([CLAIMANT_WORKER, CLAIMANT_EMPLOYER]),
    default=CLAIMANT_WORKER,
    show_default=True,
    help="Whose claims the items decide.",
)
@click.option(
    "--item",
    "items",
    multiple=True,
    required=True,
    help="CLAIM_KEY:CATEGORY:AMOUNT; repeat a key for several lines of one claim.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def classify(unit_code, on, applicant, items, as_json):
    """Each claim's total, the threshold, the minimum wage used and its finality, and the award split."""
    lines = [_item(text, applicant) for text in items]
    day: date = on.date()
    try:
        unit = organisation.unit_by_code(db.session, unit_code)
        result = finality.classify_claims(db.session, unit, day, lines)
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"award date {day.isoformat()}, unit {unit.code}")
    click.echo(
        f"minimum wage {result.minimum_wage} ({result.wage_region_name} {result.wage_region_code}, "
        f"from {result.wage_effective_from.isoformat()}); threshold 12 × = {result.threshold}"
    )
    for c in result.claims:
        total = "-" if c.total is None else str(c.total)
        rule = f"{c.rule} ({c.rule_region})" if c.rule else "no rule"
        click.echo(
            f"  {c.key:<16} {c.category.value:<22} {c.claimant:<8} total {total:>12} in {c.lines} line(s)  "
            f"{rule:<18} → {c.finality.value} ({c.why})"
        )
    split = result.split
    click.echo(
        "award: "
        + (
            " + ".join(f"{k.value} [{', '.join(v)}]" for k, v in split.items())
            + (" (mixed: two award documents)" if len(split) > 1 else "")
        )
    )
