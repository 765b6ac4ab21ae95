"""The linkage letter (裁审衔接函) telling the court about the arbitration behind a lawsuit."""

from __future__ import annotations

from disputes.documents.catalogue import Subject, document
from disputes.documents.context import msgid
from disputes.documents.kinds._common import issuer
from disputes.i18n import N_


def _docketed(session, case) -> list[Subject]:
    """One letter per lawsuit the court has given a case number (the letter quotes it)."""
    return [
        Subject(str(s.id), N_("Lawsuit %(number)s"), {"number": s.court_case_no}, s)
        for s in getattr(case, "lawsuits", None) or []
        if s.court_case_no and case.arbitration is not None
    ]


def _award(award) -> dict:
    return {
        "number": award.number or "",
        "awarded_on": award.awarded_on,
        "served_on": award.served_on,
        "final": award.finality.value == "final",
        "total": award.total,
        "lines": [{"category": msgid(i.category), "amount": i.amount, "text": i.text} for i in award.items],
    }


@document(
    "lit_linkage_letter",
    N_("Letter on the linkage of arbitration and litigation"),
    family="arbitration_doc",
    track="litigation",
    subjects=_docketed,
    order=600,
)
def linkage_letter(session, case, subject) -> dict:
    suit, arbitration = subject.obj, case.arbitration
    awards = [suit.award] if suit.award else list(arbitration.awards)
    return {
        "issuer": issuer(arbitration.unit),
        "lawsuit": {
            "court": suit.court,
            "court_case_no": suit.court_case_no,
            "filed_on": suit.filed_on,
            "plaintiff": suit.plaintiff.value,
            "revocation": suit.kind.value == "revocation",
        },
        "arbitration": {
            "number": arbitration.number or "",
            "received_on": arbitration.received_on,
            "accepted_on": arbitration.accepted_on,
            "closed_on": arbitration.closed_on,
            "closure": msgid(arbitration.closure_type) if arbitration.closure_type else "",
        },
        "awards": [_award(a) for a in awards],
    }
