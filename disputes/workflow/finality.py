"""Which claims an award decides finally (Law Art 47, Interp-I Art 19), claim by claim, from rules kept as data.

The test runs per claim item (每项确定的数额): the lines awarded on one claim are summed first. Art 47(1) covers the
worker's money claims up to 12 months of the local minimum wage; 47(2) disputes on national standards are final
whatever the amount. An employer's claim against a worker is never final: Arts 48–49 give the worker the suit and
the employer only revocation, which makes sense only of the worker's claims. Which categories fall where is read
from `FinalityRule` rows (the national reading, overridden per province, city or district from a date on), so a
provincial reading is an administrator's edit with its source, not a code change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes.i18n import N_, DomainError
from disputes.models import CLAIMANT_EMPLOYER, CLAIMANTS, ClaimCategory, FinalityRule, MinimumWage, Unit
from disputes.workflow.states import Finality

THRESHOLD_MONTHS = 12
NATIONAL = "000000"
RULE_AMOUNT, RULE_FINAL, RULE_NON_FINAL = "amount", "final", "non_final"
RULES = (RULE_AMOUNT, RULE_FINAL, RULE_NON_FINAL)


def region_of(unit: Unit) -> str | None:
    return next((u.region_code for u in [unit, *unit.ancestors()] if u.region_code), None)


def region_candidates(code: str) -> list[str]:
    """A GB/T 2260 code and the codes of its city and province: 440307 → 440307, 440300, 440000."""
    return list(dict.fromkeys([code, code[:4] + "00", code[:2] + "0000"])) if len(code) == 6 else [code]


def minimum_wage_row(session: Session, unit: Unit, on: date) -> MinimumWage:
    """The minimum wage row in force on `on` for the unit's region, or its city's, or its province's."""
    region = region_of(unit)
    for code in region_candidates(region) if region else []:
        row = session.scalar(
            sa.select(MinimumWage)
            .where(MinimumWage.region_code == code, MinimumWage.effective_from <= on)
            .order_by(MinimumWage.effective_from.desc())
            .limit(1)
        )
        if row is not None:
            return row
    raise DomainError(
        N_("No minimum wage is on record for this unit's region on %(date)s; an administrator must add it."),
        date=on,
    )


def rules_on(session: Session, unit: Unit, on: date) -> dict[ClaimCategory, FinalityRule]:
    """Per category, the rule in force on `on`: the most local region's (district, city, province), else the
    national one; within a region the latest that started on or before `on`."""
    region = region_of(unit)
    codes = [NATIONAL, *reversed(region_candidates(region))] if region else [NATIONAL]
    rows = session.scalars(
        sa.select(FinalityRule)
        .where(FinalityRule.region_code.in_(codes), FinalityRule.effective_from <= on)
        .order_by(FinalityRule.effective_from)
    ).all()
    chosen: dict[ClaimCategory, FinalityRule] = {}
    for code in codes:  # national first, the most local last: it wins
        for row in rows:
            if row.region_code == code:
                chosen[row.category] = row
    return chosen


@dataclass
class ClaimLine:
    """One awarded line: `key` names the claim it belongs to (lines with one key are one claim item)."""

    key: str
    category: ClaimCategory
    amount: Decimal | None
    claimant: str = "worker"


@dataclass
class ClaimVerdict:
    key: str
    category: ClaimCategory
    claimant: str
    total: Decimal | None
    lines: int
    rule: str | None  # amount / final / non_final; None: no rule for the category (not final)
    rule_region: str | None
    rule_source: str | None
    finality: Finality
    why: str  # employer_claim, standards, within_threshold, above_threshold, not_covered


@dataclass
class Classification:
    on: date
    minimum_wage: Decimal
    wage_region_code: str
    wage_region_name: str
    wage_effective_from: date
    threshold: Decimal
    claims: list[ClaimVerdict] = field(default_factory=list)

    def finality_of(self, key: str) -> Finality:
        return next(c.finality for c in self.claims if c.key == key)

    @property
    def split(self) -> dict[Finality, list[str]]:
        """The award documents that follow: one per finality present, final first (a mixed award is two)."""
        out: dict[Finality, list[str]] = {}
        for kind in (Finality.FINAL, Finality.NON_FINAL):
            keys = [c.key for c in self.claims if c.finality == kind]
            if keys:
                out[kind] = keys
        return out

    def as_dict(self) -> dict:
        return {
            "on": self.on.isoformat(),
            "minimum_wage": {
                "amount": str(self.minimum_wage),
                "region_code": self.wage_region_code,
                "region_name": self.wage_region_name,
                "effective_from": self.wage_effective_from.isoformat(),
            },
            "threshold": str(self.threshold),
            "claims": [
                {
                    "key": c.key,
                    "category": c.category.value,
                    "claimant": c.claimant,
                    "total": None if c.total is None else str(c.total),
                    "lines": c.lines,
                    "rule": c.rule,
                    "rule_region": c.rule_region,
                    "rule_source": c.rule_source,
                    "finality": c.finality.value,
                    "why": c.why,
                }
                for c in self.claims
            ],
            "split": {k.value: v for k, v in self.split.items()},
        }


def verdict(
    category: ClaimCategory, claimant: str, total: Decimal | None, rule: FinalityRule | None, threshold: Decimal
) -> tuple[Finality, str]:
    if claimant == CLAIMANT_EMPLOYER:
        return Finality.NON_FINAL, "employer_claim"
    kind = rule.rule if rule is not None else None
    if kind == RULE_FINAL:
        return Finality.FINAL, "standards"
    if kind == RULE_AMOUNT:
        if (total or Decimal(0)) <= threshold:
            return Finality.FINAL, "within_threshold"
        return Finality.NON_FINAL, "above_threshold"
    return Finality.NON_FINAL, "not_covered"


def classify_claims(session: Session, unit: Unit, on: date, lines: list[ClaimLine]) -> Classification:
    """Each claim item's total, the threshold and rule used, and its finality: what the award step and
    `flask awards classify` both print and store."""
    wage = minimum_wage_row(session, unit, on)
    threshold = wage.monthly_amount * THRESHOLD_MONTHS
    rules = rules_on(session, unit, on)
    result = Classification(on, wage.monthly_amount, wage.region_code, wage.region_name, wage.effective_from, threshold)
    grouped: dict[str, list[ClaimLine]] = {}
    for line in lines:
        if line.claimant not in CLAIMANTS:
            raise DomainError(N_("Choose whose claim the item decides."), field="items")
        if line.amount is not None and line.amount < 0:
            raise DomainError(N_("Amounts cannot be negative."), field="items")
        same = grouped.setdefault(line.key, [])
        if same and (same[0].category, same[0].claimant) != (line.category, line.claimant):
            raise DomainError(N_("The lines of one claim share its category and claimant."), field="items")
        same.append(line)
    for key, same in grouped.items():
        amounts = [x.amount for x in same if x.amount is not None]
        total = sum(amounts, Decimal(0)) if amounts else None
        category, claimant = same[0].category, same[0].claimant
        rule = rules.get(category)
        finality, why = verdict(category, claimant, total, rule, threshold)
        result.claims.append(
            ClaimVerdict(
                key,
                category,
                claimant,
                total,
                len(same),
                rule.rule if rule else None,
                rule.region_name if rule else None,
                rule.source if rule else None,
                finality,
                why,
            )
        )
    return result
