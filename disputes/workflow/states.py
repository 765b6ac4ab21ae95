"""Case-level stage and status. Track states arrive with the tracks."""
from enum import StrEnum


class CaseStage(StrEnum):
    """The most advanced open track; `intake` until a track is opened."""

    INTAKE = "intake"
    MEDIATION = "mediation"
    ARBITRATION = "arbitration"
    LITIGATION = "litigation"


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
