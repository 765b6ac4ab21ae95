"""Small pieces the mediation, legal-aid, arbitration-intake and litigation documents share.

Parties come from `documents.context.sides` (through the case context), never from here."""

from __future__ import annotations

from typing import Any

from disputes.documents.context import unit_context
from disputes.models import Unit, User


def user_name(user: User | None) -> str:
    return user.display_name if user else ""


def issuer(unit: Unit | None) -> dict[str, Any] | None:
    """The unit a document is issued in the name of, when compose's track guess is not it."""
    return unit_context(unit) if unit else None
