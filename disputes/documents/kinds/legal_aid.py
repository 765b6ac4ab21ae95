"""Legal-aid documents, one set per application: the application form, grant, refusal, assignment."""

from __future__ import annotations

from disputes.documents.catalogue import Subject, document
from disputes.documents.context import party_of
from disputes.documents.kinds._common import issuer, user_name
from disputes.i18n import N_
from disputes.workflow.states import LEGAL_AID_DECIDED, LegalAidState

REFUSED = frozenset({LegalAidState.REFUSED, LegalAidState.OBJECTION, LegalAidState.REFUSAL_UPHELD})
ASSIGNED = frozenset({LegalAidState.ASSIGNED, LegalAidState.CLOSED})


def _applications(test):
    """One subject per application of the case for which `test` holds."""

    def subjects(session, case) -> list[Subject]:
        return [
            Subject(str(app.id), N_("Application of %(name)s"), {"name": app.party.name}, app)
            for app in getattr(case, "legal_aid", None) or []
            if test(app)
        ]

    return subjects


def _waiver_ground(case) -> str:
    """The LAL Art 42 item a green-channel applicant falls under (a migrant worker's wages or work injury)."""
    if case.migrant_wage or case.work_injury:
        return N_(
            "a migrant worker claiming labour remuneration or compensation for a work injury "
            "(Legal Aid Law, Article 42, item 3)"
        )
    return N_("other persons provided for by laws, regulations and rules (Legal Aid Law, Article 42, item 4)")


def _aid(session, case, subject) -> dict:
    app = subject.obj
    return {
        "issuer": issuer(app.unit),
        "applicant": party_of(case, app.party),
        "aid": {
            "number": app.number or "",
            "applied_on": app.applied_on,
            "matter": app.matter,
            "waived": app.hardship_waived,
            "waiver_ground": _waiver_ground(case) if app.hardship_waived else "",
            "hardship": app.hardship_statement or "",
            "decided_on": app.decided_on,
            "reason": app.decision_reason or "",
            "review_later": app.review_later,
            "lawyer": user_name(app.lawyer),
            "lawyer_phone": (app.lawyer.phone or "") if app.lawyer else "",
            "law_firm": app.law_firm or "",
            "assigned_on": app.assigned_on,
            "unit": issuer(app.unit),
        },
    }


@document(
    "la_application",
    N_("Legal aid application form"),
    family=None,
    track="legal_aid",
    subjects=_applications(lambda app: True),
    order=200,
    dated=lambda s, case, subject: subject.obj.applied_on,
)
def application(session, case, subject) -> dict:
    return _aid(session, case, subject)


def _application_number(session, case, subject) -> str | None:
    """A legal-aid decision is an act in the application, so it carries the application's number."""
    return subject.obj.number


def _decided_on(session, case, subject):
    return subject.obj.decided_on


@document(
    "la_grant",
    N_("Decision to grant legal aid"),
    family=None,
    track="legal_aid",
    subjects=_applications(lambda app: app.state in LEGAL_AID_DECIDED),
    order=210,
    number=_application_number,
    dated=_decided_on,
)
def grant(session, case, subject) -> dict:
    return _aid(session, case, subject)


@document(
    "la_refusal",
    N_("Decision to refuse legal aid"),
    family=None,
    track="legal_aid",
    subjects=_applications(lambda app: app.state in REFUSED),
    order=220,
    number=_application_number,
    dated=_decided_on,
)
def refusal(session, case, subject) -> dict:
    return _aid(session, case, subject)


@document(
    "la_assignment",
    N_("Notice of legal aid assignment"),
    family="legal_aid_doc",
    track="legal_aid",
    subjects=_applications(lambda app: app.state in ASSIGNED and app.lawyer_id is not None),
    order=230,
    dated=lambda s, case, subject: subject.obj.assigned_on,
)
def assignment(session, case, subject) -> dict:
    return _aid(session, case, subject)
