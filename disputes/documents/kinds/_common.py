"""Small pieces the mediation, legal-aid, arbitration-intake and litigation documents share."""
from __future__ import annotations

from datetime import date
from typing import Any

from disputes.documents.context import party_context, unit_context
from disputes.models import Party, Unit, User


def birth_date(party: Party) -> date | None:
    """The stored birth date, else the one the 18-digit ID number carries (GB 11643: digits 7–14)."""
    if party.birth_date or not party.id_number:
        return party.birth_date
    try:
        raw = party.id_number
        return date(int(raw[6:10]), int(raw[10:12]), int(raw[12:14]))
    except ValueError:
        return None


def person(party: Party) -> dict[str, Any]:
    """A party as a form prints it: the plain context plus the derived birth date."""
    return {**party_context(party), "birth_date": birth_date(party)}


def people(parties: list[Party]) -> list[dict[str, Any]]:
    return [person(p) for p in parties]


def user_name(user: User | None) -> str:
    return user.display_name if user else ""


def issuer(unit: Unit | None) -> dict[str, Any] | None:
    """The unit a document is issued in the name of, when compose's track guess is not it."""
    return unit_context(unit) if unit else None

