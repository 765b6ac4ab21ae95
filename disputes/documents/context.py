"""Plain dictionaries for document templates: no ORM object ever reaches a template.

Stored values that have labels (enum members) travel as their English message
ids, which the template translates with `_()` in the document's language.
"""
from __future__ import annotations

from typing import Any

from disputes.i18n import N_
from disputes.models import Case, Party, Unit

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
    return {
        "id": party.id,
        "side": msgid(party.side),
        "kind": msgid(party.kind),
        "is_employer": party.kind.value == "employer",
        "name": party.name,
        "sex": msgid(party.sex) if party.sex else "",
        "birth_date": party.birth_date,
        "id_number": party.id_number or "",
        "credit_code": party.credit_code or "",
        "legal_representative": party.legal_representative or "",
        "phone": party.phone or "",
        "address": party.address or "",
    }


def case_context(case: Case) -> dict[str, Any]:
    """What every document may print about the case itself."""
    claims = [
        {"category": msgid(c.category), "amount": c.amount, "description": c.description} for c in case.claims
    ]
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
        "applicants": [party_context(p) for p in case.applicants],
        "respondents": [party_context(p) for p in case.respondents],
        "claims": claims,
        "claimed_total": case.claimed_total,
        "unit": unit_context(case.unit),
    }
