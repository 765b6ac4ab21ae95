"""Reading the period, unit and as-of date of a report from the query string."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort, request
from flask_login import current_user

from disputes import clock, policy
from disputes.extensions import db
from disputes.metrics.scope import PRESETS, Period, Scope, preset, unit_scope
from disputes.models import ClaimCategory, Unit
from disputes.params import arg_id, parse_date


@dataclass(frozen=True)
class Choice:
    period: Period
    preset: str | None
    unit: Unit
    as_of: date
    person: int | None = None
    category: str | None = None


def _day(name: str) -> date | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return parse_date(raw)
    except ValueError:
        abort(400)


def choice() -> Choice:
    units = {u.id: u for u, _d in policy.visible_units(db.session, current_user, whole_subtree=True)}
    wanted = request.args.get("unit", type=arg_id)
    if wanted is not None and wanted not in units:
        abort(404)
    unit = units[wanted] if wanted is not None else current_user.unit
    today = clock.today_local()
    as_of = _day("as_of") or today
    start, end = _day("from"), _day("to")
    kind = request.args.get("preset")
    person = request.args.get("person", type=arg_id)
    category = request.args.get("category") or None
    if category is not None and category not in {c.value for c in ClaimCategory}:
        abort(404)
    if start and end:
        if end < start:
            abort(400)
        return Choice(Period(start, end), None, unit, as_of, person, category)
    kind = kind if kind in PRESETS else "month"
    return Choice(preset(kind, _day("on") or today), kind, unit, as_of, person, category)


def scope_of(c: Choice) -> Scope:
    return unit_scope(db.session, c.unit, person_id=c.person, category=c.category)


def period_args(c: Choice) -> dict:
    """The query-string arguments that give the same unit, period and as-of date (for links)."""
    args = {
        "unit": c.unit.id,
        "from": c.period.start.isoformat(),
        "to": c.period.end.isoformat(),
        "as_of": c.as_of.isoformat(),
    }
    if c.person:
        args["person"] = c.person
    if c.category:
        args["category"] = c.category
    return args
