"""Mediation documents: application, session records, agreement, failure notice, review application."""

from __future__ import annotations

from disputes.documents.catalogue import Subject, document, once_when
from disputes.documents.context import msgid, recorded_name
from disputes.documents.formatting import LOCAL
from disputes.documents.kinds._common import issuer, user_name
from disputes.i18n import N_
from disputes.models import ClaimCategory
from disputes.workflow.states import (
    MEDIATION_WITH_MEDIATOR,
    MEDIATION_WITHOUT_AGREEMENT,
    ConfirmationKind,
    MediationState,
)


def _mediation(case) -> dict:
    m = case.mediation
    return {
        "number": m.number or "",
        "applied_on": m.applied_on,
        "accepted_on": m.accepted_on,
        "mediator": recorded_name(m.mediator, happened=m.state in MEDIATION_WITH_MEDIATOR),
        "ended_on": m.ended_on,
        "end_reason": m.end_reason or "",
        "state": m.state.value,
        "signed_on": m.agreement_signed_on,
        "summary": m.agreement_summary or "",
        "unit": issuer(m.unit),
    }


# Law Art 16: an agreement on unpaid labour remuneration, work-injury medical costs, economic compensation or
# damages that the employer does not perform lets the worker apply to a court for a payment order (支付令).
PAYMENT_ORDER_CATEGORIES = frozenset(
    {
        ClaimCategory.WAGES,
        ClaimCategory.OVERTIME,
        ClaimCategory.WORK_INJURY_MEDICAL,
        ClaimCategory.ECONOMIC_COMPENSATION,
        ClaimCategory.DAMAGES,
    }
)


def payment_order(case, m) -> bool:
    """Whether the agreement settles a matter of Law Art 16: by the claims its terms settle, else the case's."""
    categories = {t.claim.category for t in m.terms if t.claim is not None} or {c.category for c in case.claims}
    return not categories.isdisjoint(PAYMENT_ORDER_CATEGORIES)


def _terms(m) -> list[dict]:
    return [
        {
            "description": t.description,
            "amount": t.amount,
            "category": msgid(t.claim.category) if t.claim else "",
            "claim": t.claim.description if t.claim else "",
        }
        for t in m.terms
    ]


def _agreement(case) -> dict:
    m = case.mediation
    return {
        **_mediation(case),
        "terms": _terms(m),
        "total": m.agreed_total,
        "instalments": [{"due_on": i.due_on, "amount": i.amount} for i in m.instalments],
        "due_on": m.performance_due_on,
        "payment_order": payment_order(case, m),
    }


def _has_mediation(session, case) -> bool:
    return getattr(case, "mediation", None) is not None


def _in_state(*states):
    return once_when(lambda session, case: _has_mediation(session, case) and case.mediation.state in states)


def _sessions(session, case) -> list[Subject]:
    if not _has_mediation(session, case):
        return []
    return [
        Subject(str(s.id), N_("Session of %(date)s"), {"date": s.held_at.astimezone(LOCAL).date().isoformat()}, s)
        for s in case.mediation.sessions
    ]


def _reviews(session, case) -> list[Subject]:
    if not _has_mediation(session, case) or case.mediation.state != MediationState.AGREEMENT:
        return []
    reviews = [c for c in case.mediation.confirmations if c.kind == ConfirmationKind.ARBITRAL_REVIEW]
    return [
        Subject(str(c.id), N_("Review requested on %(date)s"), {"date": c.applied_on.isoformat()}, c) for c in reviews
    ]


def mediation_number(session, case, subject) -> str | None:
    """The mediation's own number: its registration form and its agreement carry it (None before acceptance)."""
    return case.mediation.number


@document(
    "med_application",
    N_("Mediation application and registration form"),
    family=None,
    track="mediation",
    subjects=once_when(_has_mediation),
    order=110,
    number=mediation_number,
    dated=lambda s, case, subject: case.mediation.applied_on,
)
def application(session, case, subject) -> dict:
    return {"mediation": _mediation(case)}


@document("med_record", N_("Mediation record"), family=None, track="mediation", subjects=_sessions, order=120)
def record(session, case, subject) -> dict:
    s = subject.obj
    return {
        "mediation": _mediation(case),
        "sitting": {
            "held_at": s.held_at,
            "place": s.place or "",
            "online_link": s.online_link or "",
            "mediator": user_name(s.mediator),
            "attendees": s.attendees,
            "summary": s.summary,
            "outcome": s.outcome.value,
            "next_at": s.next_at,
            "number": [x.id for x in case.mediation.sessions].index(s.id) + 1,
        },
    }


@document(
    "med_agreement",
    N_("Mediation agreement"),
    family=None,
    track="mediation",
    subjects=_in_state(MediationState.AGREEMENT),
    order=130,
    number=mediation_number,
    dated=lambda s, case, subject: case.mediation.agreement_signed_on,
)
def agreement(session, case, subject) -> dict:
    return {"mediation": _agreement(case)}


@document(
    "med_failure_notice",
    N_("Notice of failed or terminated mediation"),
    family="mediation_doc",
    track="mediation",
    subjects=_in_state(*MEDIATION_WITHOUT_AGREEMENT),
    order=140,
    dated=lambda s, case, subject: case.mediation.ended_on,
)
def failure_notice(session, case, subject) -> dict:
    failed = case.mediation.state == MediationState.FAILED
    return {
        "title": N_("Notice of failed mediation") if failed else N_("Notice of termination of mediation"),
        "mediation": _mediation(case),
    }


@document(
    "med_review_application",
    N_("Application for arbitral review of a mediation agreement"),
    family=None,
    track="mediation",
    subjects=_reviews,
    order=150,
)
def review_application(session, case, subject) -> dict:
    c = subject.obj
    return {
        "mediation": _agreement(case),
        "review": {"applied_on": c.applied_on, "body": c.body or ""},
    }
