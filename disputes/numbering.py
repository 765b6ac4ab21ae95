"""Gap-free, never-reused numbers per unit, family and year.

A number is taken with one atomic upsert on `number_sequences`; a concurrent
transaction waits on the row lock and gets the next value. A rolled-back
transaction gives its number back, so no issued number is ever skipped or reused.
"""

import re

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from disputes.i18n import N_, DomainError
from disputes.models.unit import NumberFormat, NumberSequence, Unit

REGISTRY = "registry"
MEDIATION = "mediation"
LEGAL_AID = "legal_aid"
ARBITRATION = "arbitration"
# The 文号 of issued documents: one counter per unit, family and year, separate from the case numbers.
MEDIATION_DOC = "mediation_doc"
LEGAL_AID_DOC = "legal_aid_doc"
ARBITRATION_DOC = "arbitration_doc"
DOCUMENT_FAMILIES = (MEDIATION_DOC, LEGAL_AID_DOC, ARBITRATION_DOC)
FAMILIES = (REGISTRY, MEDIATION, LEGAL_AID, ARBITRATION, *DOCUMENT_FAMILIES)
# GB/T 9704-2012 §7.2.4: 机关代字, the year in 〔〕, the sequence with neither zero padding nor "第" (虚位).
DEFAULT_PATTERN = "{code}〔{year}〕{seq}号"
# Without a unit pattern each family still prints distinct numbers; a unit may set its own (`set_pattern`).
DEFAULT_PATTERNS = {
    REGISTRY: DEFAULT_PATTERN,
    MEDIATION: "{code}调〔{year}〕{seq}号",
    LEGAL_AID: "{code}援〔{year}〕{seq}号",
    ARBITRATION: "{code}仲案〔{year}〕{seq}号",
    MEDIATION_DOC: "{code}调字〔{year}〕{seq}号",
    LEGAL_AID_DOC: "{code}援字〔{year}〕{seq}号",
    ARBITRATION_DOC: "{code}仲字〔{year}〕{seq}号",
}
_PLACEHOLDER = re.compile(r"\{(code|year|seq)(?::0(\d)d)?\}")


def validate_pattern(pattern: str) -> None:
    """A pattern must name the year and the sequence, and nothing else in braces."""
    stripped = _PLACEHOLDER.sub("", pattern)
    if "{" in stripped or "}" in stripped:
        raise DomainError(N_("Only {code}, {year} and {seq} (or {seq:05d}) may appear in braces."), field="pattern")
    names = {m.group(1) for m in _PLACEHOLDER.finditer(pattern)}
    if not {"year", "seq"} <= names:
        raise DomainError(N_("The pattern must contain {year} and {seq}."), field="pattern")


def format_number(pattern: str, *, code: str, year: int, seq: int) -> str:
    values = {"code": code, "year": str(year), "seq": seq}

    def replace(match: re.Match) -> str:
        value = values[match.group(1)]
        width = match.group(2)
        return f"{value:0{width}d}" if width and isinstance(value, int) else str(value)

    return _PLACEHOLDER.sub(replace, pattern)


def pattern_owner(unit: Unit, family: str) -> tuple[Unit, str]:
    """The nearest unit (itself or an ancestor) with a pattern for the family.

    The sequence belongs to that unit, so units sharing an inherited pattern
    share one counter and can never print the same number twice.
    """
    for candidate in [unit, *unit.ancestors()]:
        for fmt in candidate.number_formats:
            if fmt.family == family:
                return candidate, fmt.pattern
    return unit, DEFAULT_PATTERNS.get(family, DEFAULT_PATTERN)


def next_value(session: Session, unit_id: int, family: str, year: int) -> int:
    dialect = session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(dialect)
    if insert is None:
        raise RuntimeError(f"numbering is not implemented for {dialect}")
    stmt = insert(NumberSequence).values(unit_id=unit_id, family=family, year=year, last_value=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=["unit_id", "family", "year"],
        set_={"last_value": NumberSequence.last_value + 1},
    ).returning(NumberSequence.last_value)
    return session.execute(stmt).scalar_one()


def issue_number(session: Session, unit: Unit, family: str, year: int) -> str:
    owner, pattern = pattern_owner(unit, family)
    seq = next_value(session, owner.id, family, year)
    return format_number(pattern, code=owner.code, year=year, seq=seq)


def set_pattern(session: Session, unit: Unit, family: str, pattern: str) -> None:
    """Give a unit its own pattern (and so its own counter) for a family of numbers."""
    validate_pattern(pattern)
    if "{code}" not in pattern:
        clash = session.scalar(
            sa.select(Unit.code)
            .join(NumberFormat, NumberFormat.unit_id == Unit.id)
            .where(NumberFormat.family == family, NumberFormat.pattern == pattern, Unit.id != unit.id)
        )
        if clash is not None:
            raise DomainError(
                N_("Unit %(code)s already uses this pattern; two counters would print the same numbers."),
                field="pattern",
                code=clash,
            )
    existing = session.scalar(
        sa.select(NumberFormat).where(NumberFormat.unit_id == unit.id, NumberFormat.family == family)
    )
    if existing is None:
        unit.number_formats.append(NumberFormat(family=family, pattern=pattern))
    else:
        existing.pattern = pattern
    session.flush()
