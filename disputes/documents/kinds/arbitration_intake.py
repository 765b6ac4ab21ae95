"""Arbitration documents up to acceptance: application, acceptance, refusal."""
from __future__ import annotations

from disputes.documents.catalogue import document, once_when
from disputes.workflow.states import ArbitrationState


def _accepted(session, case) -> bool:
    arbitration = getattr(case, "arbitration", None)
    return arbitration is not None and arbitration.accepted_on is not None


@document("arb_acceptance", "Notice of acceptance", family="arbitration_doc", track="arbitration",
          subjects=once_when(_accepted), order=310)
def acceptance(session, case, subject) -> dict:
    arbitration = case.arbitration
    return {
        "arbitration": {
            "number": arbitration.number,
            "received_on": arbitration.received_on,
            "accepted_on": arbitration.accepted_on,
            "state": arbitration.state.value,
            "closed": arbitration.state == ArbitrationState.CLOSED,
        },
    }
