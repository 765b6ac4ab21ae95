"""The statistical forms' codes and how this system's values map onto them, read from statistical_codes.json (data,
not code: a province that reads a category otherwise edits the file, and the docs cite it)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes.models import Claim, Unit
from disputes.models.enums import ClaimCategory, DisputeCause, UnitKind

CODES_FILE = Path(__file__).with_name("statistical_codes.json")
ORGANISATIONS = ("enterprise", "street", "arbitration", "other")  # MA1's columns, in the form's order


@cache
def codes() -> dict:
    data = json.loads(CODES_FILE.read_text(encoding="utf-8"))
    causes = set(data["dispute_causes"])
    if causes != {c.value for c in DisputeCause}:
        raise ValueError("statistical_codes.json: dispute_causes differ from DisputeCause")
    if (
        set(data["category_to_cause"]) != {c.value for c in ClaimCategory}
        or not set(data["category_to_cause"].values()) <= causes
    ):
        raise ValueError("statistical_codes.json: every claim category maps to one dispute cause")
    if set(data["mediation_organisations"]) != set(ORGANISATIONS):
        raise ValueError("statistical_codes.json: mediation_organisations differ from MA1's columns")
    return data


def cause_of_category(category: str) -> DisputeCause:
    return DisputeCause(codes()["category_to_cause"][str(category)])


def cause_label(cause: str, lang: str) -> str:
    return codes()["dispute_causes"][cause]["zh" if lang.startswith("zh") else "en"]


def organisation_label(organisation: str, lang: str) -> str:
    return codes()["mediation_organisations"][organisation]["zh" if lang.startswith("zh") else "en"]


def claim_cause(claim=Claim) -> sa.ColumnElement[str]:
    """A claim row's cause in SQL: its own, else its category's through the mapping."""
    mapping = codes()["category_to_cause"]
    return sa.func.coalesce(
        claim.dispute_cause, sa.case(*((claim.category == k, v) for k, v in mapping.items()), else_="other")
    )


def organisation_of(unit: Unit, parent: Unit | None) -> str:
    """MA1's column of a mediating unit: a mediation committee by the unit it is set up in, any other by its kind."""
    kind = parent.kind if unit.kind == UnitKind.MEDIATION_COMMITTEE and parent is not None else unit.kind
    return codes()["unit_kind_to_organisation"].get(str(kind), "other")


def organisation_units(session: Session) -> dict[str, tuple[int, ...]]:
    """{MA1 column: unit ids} over every unit (a small table, read whole)."""
    units = {u.id: u for u in session.scalars(sa.select(Unit))}
    out: dict[str, list[int]] = {o: [] for o in ORGANISATIONS}
    for unit in units.values():
        out[organisation_of(unit, units.get(unit.parent_id))].append(unit.id)
    return {o: tuple(sorted(ids)) for o, ids in out.items()}
