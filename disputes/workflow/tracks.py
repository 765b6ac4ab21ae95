"""Every track's operations, imported together so the action table is complete wherever it is read."""

from disputes.workflow import (
    arbitration,
    awards,
    hearings,
    interruptions,
    legal_aid,
    litigation,
    mediation,
    restarts,
)
from disputes.workflow.actions import ACTIONS, TRACK_RULES, Action

__all__ = [
    "ACTIONS",
    "TRACK_RULES",
    "Action",
    "arbitration",
    "awards",
    "hearings",
    "interruptions",
    "legal_aid",
    "litigation",
    "mediation",
    "restarts",
]
