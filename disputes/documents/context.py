"""Plain dictionaries for document templates: no ORM object ever reaches a template.

Stored values that have labels (enum members) travel as their English message
ids, which the template translates with `_()` in the document's language.
"""

from __future__ import annotations

from typing import Any

from disputes import identity
from disputes.i18n import N_
from disputes.models import Case, Party, PartyKind, PartySide, Sex, Unit

# A person who acted but is not on record (history imported from a ledger without them); the templates' `person`
# filter prints it in the document's language.
NOT_RECORDED = N_("Not recorded")


def recorded_name(user, happened: bool = True) -> str:
    """The user's name; NOT_RECORDED when the act happened without a known person; empty while it has not."""
    if user is not None:
        return user.display_name
    return NOT_RECORDED if happened else ""


def msgid(value: Any) -> str:
    """The English message id of an enum member's label (`Unpaid wages` for ClaimCategory.WAGES)."""
    from disputes.labels import LABELS

    for enum_cls, labels in LABELS.items():
        if isinstance(value, enum_cls):
            lazy = labels[value]
            return lazy._args[0] if hasattr(lazy, "_args") else str(lazy)
    return "" if value is None else str(value)


def unit_context(unit: Unit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "name_en": unit.name_en or unit.name,
        "address": unit.address or "",
        "phone": unit.phone or "",
    }


def party_context(party: Party) -> dict[str, Any]:
    """One person or organisation as a document prints it. A person's sex and date of birth are the
    stored ones, else those the resident ID number carries (GB 11643: digits 7–14, the 17th odd for a man)."""
    number = party.id_number or ""
    from_id = identity.is_valid_resident_id(number)
    sex = party.sex or (Sex(identity.resident_id_sex(number)) if from_id else None)
    return {
        "id": party.id,
        "side": msgid(party.side),
        "kind": msgid(party.kind),
        "is_employer": party.kind == PartyKind.EMPLOYER,
        "is_agent": party.is_agent,
        "is_representative": party.is_representative,
        "name": party.name,
        "sex": msgid(sex) if sex else "",
        "birth_date": party.birth_date or (identity.resident_id_birth_date(number) if from_id else None),
        "id_number": number,
        "credit_code": party.credit_code or "",
        "legal_representative": party.legal_representative or "",
        "phone": party.phone or "",
        "address": party.address or "",
        # An agent's capacity (a law firm's lawyer, the HR officer); older records only have the address.
        "capacity": (party.capacity or party.address or "") if party.is_agent else "",
        "agents": [],
    }


def principals(parties: list[Party]) -> list[Party]:
    """The parties themselves (workers, employers), without the agents acting for them."""
    return [p for p in parties if not p.is_agent]


def sides(case: Case) -> dict[str, list[dict[str, Any]]]:
    """The one place documents read parties from: each side's parties, each carrying the agents who act
    for it (委托代理人, printed under it). An agent is never a party, an obligor or a co-applicant; one
    without a link acts for the first party of its side."""
    found: dict[str, list[dict[str, Any]]] = {}
    for key, side in (("applicants", PartySide.APPLICANT), ("respondents", PartySide.RESPONDENT)):
        own = case.parties_of(side)
        people = [party_context(p) for p in principals(own)]
        by_id = {p["id"]: p for p in people}
        for agent in (p for p in own if p.is_agent):
            client = by_id.get(agent.represents_id) or (people[0] if people else None)
            if client is not None:
                client["agents"].append(party_context(agent))
        found[key] = people
    return found


def party_of(case: Case, party: Party) -> dict[str, Any]:
    """One party of the case with its agents (an agent asked for directly stands alone)."""
    for people in sides(case).values():
        for p in people:
            if p["id"] == party.id:
                return p
    return party_context(party)


def case_context(case: Case) -> dict[str, Any]:
    """What every document may print about the case itself."""
    claims = [{"category": msgid(c.category), "amount": c.amount, "description": c.description} for c in case.claims]
    return {
        "registry_no": case.registry_no,
        "cause": case.cause,
        "facts": case.facts,
        "registered_on": case.registered_on,
        "closed_on": case.closed_on,
        "worker_count": case.worker_count,
        "collective": case.collective,
        "green_channel": case.green_channel,
        "migrant_wage": case.migrant_wage,
        "work_injury": case.work_injury,
        **sides(case),
        "claims": claims,
        "claimed_total": case.claimed_total,
        "unit": unit_context(case.unit),
    }
