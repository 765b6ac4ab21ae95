"""Arbitration documents up to acceptance: application, acceptance, refusal."""

from __future__ import annotations

from datetime import timedelta

from disputes.documents.catalogue import document, once_when
from disputes.documents.context import msgid
from disputes.i18n import N_
from disputes.workflow.states import ArbitrationState, RefusalGround

# The applicant's materials for the hearing are asked for within this many days of acceptance
# (the respondent's defence period of Law Art 30, so both sides' papers are in before the tribunal sits).
MATERIALS_DAYS = 10


def _arbitration(case) -> dict:
    a = case.arbitration
    return {
        "number": a.number or "",
        "received_on": a.received_on,
        "accepted_on": a.accepted_on,
        "refused_on": a.refused_on,
        "refusal_reason": a.refusal_reason or "",
        # Refusals recorded before grounds were asked for (and ledger imports) read as "other": the court.
        "refusal_ground": (a.refusal_ground or RefusalGround.OTHER).value,
        "refusal_ground_label": msgid(a.refusal_ground or RefusalGround.OTHER),
        "state": a.state.value,
        "closed": a.state == ArbitrationState.CLOSED,
        "materials_by": a.accepted_on + timedelta(days=MATERIALS_DAYS) if a.accepted_on else None,
        "unit": {"name": a.unit.name, "name_en": a.unit.name_en or a.unit.name},
    }


def _received(session, case) -> bool:
    return getattr(case, "arbitration", None) is not None


def _accepted(session, case) -> bool:
    return _received(session, case) and case.arbitration.accepted_on is not None


def _refused(session, case) -> bool:
    return _received(session, case) and case.arbitration.state == ArbitrationState.REFUSED


@document(
    "arb_application",
    N_("Application for labour dispute arbitration"),
    family=None,
    track="arbitration",
    subjects=once_when(_received),
    order=300,
    dated=lambda s, case, subject: case.arbitration.received_on,
)
def application(session, case, subject) -> dict:
    return {"arbitration": _arbitration(case)}


@document(
    "arb_acceptance",
    N_("Notice of acceptance"),
    family="arbitration_doc",
    track="arbitration",
    subjects=once_when(_accepted),
    order=310,
    dated=lambda s, case, subject: case.arbitration.accepted_on,
)
def acceptance(session, case, subject) -> dict:
    return {"arbitration": _arbitration(case)}


@document(
    "arb_refusal",
    N_("Notice of refusal to accept"),
    family="arbitration_doc",
    track="arbitration",
    subjects=once_when(_refused),
    order=320,
    dated=lambda s, case, subject: case.arbitration.refused_on,
)
def refusal(session, case, subject) -> dict:
    return {"arbitration": _arbitration(case)}
