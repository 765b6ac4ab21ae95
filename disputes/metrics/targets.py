"""Targets per unit: the unit's own, else its nearest ancestor's, else the default row (unit_id NULL)."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes.i18n import N_, DomainError
from disputes.metrics import figures as F
from disputes.models import MetricTarget, Unit, User

RATE_KEYS = tuple(f.key for f in F.FIGURES if f.kind == F.RATE)
# Counts a centre is set a yearly number for (more is better); pending cases and breaches are not targets.
COUNT_KEYS = ("arbitration.closed", "mediation.closed", "legal_aid.granted")
TARGET_KEYS = RATE_KEYS + COUNT_KEYS


def targets_for(session: Session, unit: Unit | None) -> dict[str, Decimal]:
    """{figure key: minimum} that apply to `unit` (the defaults when unit is None)."""
    chain = [None] + ([int(part) for part in unit.path.strip("/").split("/")] if unit is not None else [])
    rows = session.scalars(
        sa.select(MetricTarget).where(
            sa.or_(MetricTarget.unit_id.is_(None), MetricTarget.unit_id.in_([u for u in chain if u is not None]))
        )
    ).all()
    depth = {unit_id: n for n, unit_id in enumerate(chain)}
    out: dict[str, tuple[int, Decimal]] = {}
    for row in rows:
        level = depth[row.unit_id]
        if row.figure not in out or out[row.figure][0] < level:
            out[row.figure] = (level, row.minimum)
    return {key: minimum for key, (_level, minimum) in out.items()}


def set_target(session: Session, actor: User, unit: Unit | None, figure: str, minimum: Decimal | None) -> None:
    """Set (or with None remove) a unit's minimum for a rate (a fraction) or a count (its annual number); admins only
    (policy.can_administer)."""
    from disputes import policy

    if not policy.can_administer(actor):
        raise DomainError(N_("Only an administrator may change targets."))
    if figure not in TARGET_KEYS:
        raise DomainError(N_("Targets are set on rates and on closed or granted counts only."), field="figure")
    if minimum is not None and figure in RATE_KEYS and not Decimal(0) <= minimum <= Decimal(1):
        raise DomainError(N_("A target is a percentage between 0 and 100."), field="minimum")
    if minimum is not None and figure in COUNT_KEYS and (minimum < 0 or minimum != minimum.to_integral_value()):
        raise DomainError(N_("A count's target is a whole number of cases a year."), field="minimum")
    unit_id = unit.id if unit is not None else None
    row = session.scalar(
        sa.select(MetricTarget).where(
            MetricTarget.figure == figure,
            MetricTarget.unit_id.is_(None) if unit_id is None else MetricTarget.unit_id == unit_id,
        )
    )
    if minimum is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(MetricTarget(unit_id=unit_id, figure=figure, minimum=minimum))
    else:
        row.minimum = minimum
    session.flush()


def meets(value: F.Value, minimum: Decimal | None) -> bool | None:
    if minimum is None or value.value is None:
        return None
    return value.value >= float(minimum)


class Verdict(NamedTuple):
    """A figure against its target for the period shown: the minimum that applies (a count's annual number pro
    rata), the annual number it came from (None for a rate), and whether the figure meets it (None: no target)."""

    minimum: Decimal | None
    annual: Decimal | None
    ok: bool | None


def judge(value: F.Value, minimum: Decimal | None, period) -> Verdict:
    """The dashboard's and the monthly report's reading of a target: a rate as it is, a count pro rata, so a
    month-to-date count is judged against the month's share of the year's number, never the whole year's."""
    if minimum is None:
        return Verdict(None, None, None)
    if value.figure.kind == F.COUNT:
        share = pro_rata(minimum, period)
        ok = None if value.value is None else Decimal(value.value) >= share
        return Verdict(share, minimum, ok)
    return Verdict(minimum, None, meets(value, minimum))


def pro_rata(annual: Decimal, period) -> Decimal:
    """An annual count target's share for a part of the year (days of the period over days of its year), so a
    month-to-date count is not judged failed against a whole year's target. Rates need no such share."""
    import calendar

    days_in_year = 366 if calendar.isleap(period.start.year) else 365
    return (annual * Decimal(min(period.days, days_in_year)) / Decimal(days_in_year)).quantize(Decimal("0.01"))


def meets_count(count: int, annual: Decimal | None, period) -> bool | None:
    """A count against its annual target, pro rata for the period."""
    if annual is None:
        return None
    return Decimal(count) >= pro_rata(annual, period)
