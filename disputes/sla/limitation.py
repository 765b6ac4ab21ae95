"""The limitation period for applying to arbitration (rule `limitation.claim`, Law Art 27), for intake.

Registration warns, never blocks, when it comes after the period's last day. The day is computed like any
deadline: the rule's current period on the stored calendar, rolled over rest days (deadlines.md rule 4).
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes.models.sla import SlaRule
from disputes.sla import settings
from disputes.sla.calendar import bundled_calendar
from disputes.sla.calendar_store import load_calendar
from disputes.sla.compute import PeriodUnit, compute_deadline
from disputes.sla.rules import seed_rows

RULE_ID = "limitation.claim"


def limitation_ends(known_on: date, session: Session | None = None) -> date | None:
    """The last day of the limitation period of a dispute known on `known_on`; None when the rule is off.

    Without a session (pure callers, tests) the rule as shipped and the bundled calendar stand in for the
    stored ones.
    """
    if session is None:
        rule = next(r for r in seed_rows() if r["rule_id"] == RULE_ID)
        active, period, unit = rule.get("active", True), rule["period"], rule["unit"]
        calendar = bundled_calendar(settings.MAKEUP_WORKDAY_ENDS_PERIOD)
    else:
        stored = session.scalar(sa.select(SlaRule).where(SlaRule.rule_id == RULE_ID)
                                .order_by(SlaRule.version.desc()).limit(1))
        if stored is None:
            return None
        active, period, unit, calendar = stored.active, stored.period, stored.unit, load_calendar(session)
    if not active:
        return None
    return compute_deadline(start=known_on, period=period, unit=PeriodUnit(unit), calendar=calendar).due


def limitation_ended(known_on: date | None, on: date, session: Session | None = None) -> date | None:
    """The day the limitation period ended, when a registration on `on` comes after it; else None."""
    if known_on is None:
        return None
    ends = limitation_ends(known_on, session)
    return ends if ends is not None and on > ends else None
