"""All mapped classes, importable from one place."""
from disputes.models.case import Case, CaseAssignment, Claim, Party
from disputes.models.enums import (
    ClaimCategory,
    PartyKind,
    PartySide,
    Role,
    Sex,
    UnitKind,
)
from disputes.models.timeline import TimelineEntry
from disputes.models.unit import NumberFormat, NumberSequence, Unit
from disputes.models.user import User, UserRole

__all__ = [
    "Case", "CaseAssignment", "Claim", "ClaimCategory", "NumberFormat", "NumberSequence", "Party",
    "PartyKind", "PartySide", "Role", "Sex", "TimelineEntry", "Unit", "UnitKind", "User", "UserRole",
]
