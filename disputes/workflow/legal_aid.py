"""Legal-aid operations (domain.md, “Legal aid 法律援助”), one application per applicant worker."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from disputes import clock, numbering
from disputes.i18n import N_, DomainError
from disputes.models import Case, LegalAidApplication, PartyKind, Role, Unit, UnitKind, User
from disputes.workflow.actions import TRACK_RULES, TrackRules, action, assign, begin, checked_date, finish
from disputes.workflow.states import LegalAidClosure, LegalAidState, Track

S = LegalAidState
R = Role
DECIDERS = (R.LEGAL_AID_OFFICER, R.SUPERVISOR)

TRACK_RULES[Track.LEGAL_AID] = TrackRules(
    # The refusal branch ranks after the grant branch, so a step of one branch on the other is "not yet".
    rank={
        S.MATERIALS_REQUESTED: 0,
        S.APPLIED: 1,
        S.GRANTED: 2,
        S.ASSIGNED: 3,
        S.CLOSED: 4,
        S.REFUSED: 5,
        S.OBJECTION: 6,
        S.REFUSAL_UPHELD: 7,
    },
    not_yet={
        S.APPLIED: N_("The requested materials have not arrived yet."),
        S.GRANTED: N_("Legal aid has not been granted yet."),
        S.REFUSED: N_("The application has not been refused."),
        S.OBJECTION: N_("No objection has been lodged."),
    },
    ended={
        S.REFUSED: N_("Legal aid was refused; the applicant may object."),
        S.OBJECTION: N_("An objection to the refusal is pending."),
        S.REFUSAL_UPHELD: N_("The refusal was upheld; the application is over."),
        S.CLOSED: N_("The legal aid is closed."),
    },
    absent=N_("This case has no legal-aid application."),
    present=N_("This worker has already applied for legal aid in this case."),
)


def _worker_without_aid(case: Case, _row) -> DomainError | None:
    applied = {a.party_id for a in case.legal_aid}
    if not any(p.kind == PartyKind.WORKER and p.id not in applied for p in case.parties):
        return DomainError(N_("Every worker of this case has already applied for legal aid."))
    return None


APPLY = action(
    "legal_aid.apply",
    Track.LEGAL_AID,
    None,
    S.APPLIED,
    (R.CLERK, *DECIDERS),
    guards=(_worker_without_aid,),
    required=("party_id", "unit_id", "matter"),
    dated_by="complete_on",
    label=N_("Apply for legal aid"),
)
REQUEST_MATERIALS = action(
    "legal_aid.request_materials",
    Track.LEGAL_AID,
    {S.APPLIED},
    S.MATERIALS_REQUESTED,
    DECIDERS,
    required=("note",),
    dated_by="materials_requested_on",
    label=N_("Request missing materials"),
)
MATERIALS_RECEIVED = action(
    "legal_aid.materials_received",
    Track.LEGAL_AID,
    {S.MATERIALS_REQUESTED},
    S.APPLIED,
    (R.CLERK, *DECIDERS),
    dated_by="complete_on",
    label=N_("Materials received"),
)
GRANT = action(
    "legal_aid.grant",
    Track.LEGAL_AID,
    {S.APPLIED},
    S.GRANTED,
    DECIDERS,
    dated_by="decided_on",
    label=N_("Grant legal aid"),
)
REFUSE = action(
    "legal_aid.refuse",
    Track.LEGAL_AID,
    {S.APPLIED},
    S.REFUSED,
    DECIDERS,
    required=("reason",),
    dated_by="decided_on",
    label=N_("Refuse legal aid"),
)
ASSIGN = action(
    "legal_aid.assign",
    Track.LEGAL_AID,
    {S.GRANTED},
    S.ASSIGNED,
    DECIDERS,
    required=("lawyer_id",),
    dated_by="assigned_on",
    label=N_("Assign a lawyer"),
)
OBJECT = action(
    "legal_aid.object",
    Track.LEGAL_AID,
    {S.REFUSED},
    S.OBJECTION,
    DECIDERS,
    required=("reason",),
    dated_by="objection_on",
    label=N_("Record an objection to the refusal"),
)
UPHOLD = action(
    "legal_aid.uphold_refusal",
    Track.LEGAL_AID,
    {S.OBJECTION},
    S.REFUSAL_UPHELD,
    DECIDERS,
    dated_by="objection_decided_on",
    label=N_("Objection rejected: refusal upheld"),
)
OVERTURN = action(
    "legal_aid.overturn_refusal",
    Track.LEGAL_AID,
    {S.OBJECTION},
    S.GRANTED,
    DECIDERS,
    dated_by="objection_decided_on",
    label=N_("Objection upheld: aid granted"),
)
CLOSE = action(
    "legal_aid.close",
    Track.LEGAL_AID,
    {S.GRANTED, S.ASSIGNED},
    S.CLOSED,
    DECIDERS,
    required=("closure",),
    dated_by="closed_on",
    label=N_("Close the legal aid"),
)


def apply_for_legal_aid(
    session: Session,
    case: Case,
    actor: User,
    *,
    party_id: int | None,
    unit_id: int | None,
    matter: str,
    applied_on: date | None = None,
    hardship_statement: str = "",
    expected_version: int | None = None,
) -> LegalAidApplication:
    begin(
        case,
        actor,
        APPLY.name,
        None,
        expected_version=expected_version,
        party_id=party_id,
        unit_id=unit_id,
        matter=matter,
    )
    party = next((p for p in case.parties if p.id == party_id and p.kind == PartyKind.WORKER), None)
    if party is None:
        raise DomainError(N_("Choose a worker of this case."), field="party_id")
    if any(a.party_id == party.id for a in case.legal_aid):
        raise DomainError(TRACK_RULES[Track.LEGAL_AID].present, field="party_id")
    unit = session.get(Unit, unit_id)
    if unit is None or unit.kind != UnitKind.LEGAL_AID_CENTRE or not unit.active:
        raise DomainError(N_("Choose a legal-aid centre."), field="unit_id")
    applied_on = checked_date(applied_on, "applied_on")
    # LAL Art 42: green-channel applicants (migrant wages, work injury) are not reviewed for hardship.
    waived = case.green_channel
    if not waived and not hardship_statement.strip():
        raise DomainError(N_("Describe the applicant's financial hardship."), field="hardship_statement")
    application = LegalAidApplication(
        case=case,
        party=party,
        unit=unit,
        applied_on=applied_on,
        complete_on=applied_on,
        matter=matter.strip(),
        hardship_waived=waived,
        hardship_statement=hardship_statement.strip() or None,
    )
    session.add(application)
    finish(session, case, actor, APPLY, application, after={"party": party.name, "hardship_waived": waived})
    return application


def request_materials(session, case, actor, application, *, note: str, expected_version=None):
    begin(case, actor, REQUEST_MATERIALS.name, application, expected_version=expected_version, note=note)
    application.materials_requested_on, application.materials_note = clock.today_local(), note.strip()
    finish(session, case, actor, REQUEST_MATERIALS, application, reason=application.materials_note)
    return application


def materials_received(session, case, actor, application, *, received_on: date | None = None, expected_version=None):
    """Complete materials restart the seven-day decision period (LAL Art 43)."""
    begin(case, actor, MATERIALS_RECEIVED.name, application, expected_version=expected_version)
    application.complete_on = checked_date(received_on, "received_on")
    finish(
        session,
        case,
        actor,
        MATERIALS_RECEIVED,
        application,
        after={"complete_on": application.complete_on.isoformat()},
    )
    return application


def grant(session, case, actor, application, *, reason: str = "", review_later: bool = False, expected_version=None):
    begin(case, actor, GRANT.name, application, expected_version=expected_version)
    _decide(session, actor, application, reason)
    application.review_later = review_later
    finish(
        session,
        case,
        actor,
        GRANT,
        application,
        reason=application.decision_reason,
        after={"number": application.number, "review_later": review_later},
    )
    return application


def refuse(session, case, actor, application, *, reason: str, expected_version=None):
    begin(case, actor, REFUSE.name, application, expected_version=expected_version, reason=reason)
    _decide(session, actor, application, reason)
    finish(
        session,
        case,
        actor,
        REFUSE,
        application,
        reason=application.decision_reason,
        after={"number": application.number},
    )
    return application


def _decide(session: Session, actor: User, application: LegalAidApplication, reason: str) -> None:
    today = clock.today_local()
    application.decided_on, application.decided_by = today, actor
    application.decision_reason = reason.strip() or None
    application.number = numbering.issue_number(session, application.unit, numbering.LEGAL_AID, today.year)


def assign_lawyer(
    session, case, actor, application, *, lawyer_id: int | None, law_firm: str = "", expected_version=None
):
    begin(case, actor, ASSIGN.name, application, expected_version=expected_version, lawyer_id=lawyer_id)
    lawyer = session.get(User, lawyer_id)
    if lawyer is None or lawyer not in lawyers_for(session, application):
        raise DomainError(N_("Choose an active lawyer of this legal-aid centre."), field="lawyer_id")
    application.lawyer, application.law_firm = lawyer, law_firm.strip() or None
    application.assigned_on = clock.today_local()
    assign(case, lawyer, Role.LAWYER)
    finish(session, case, actor, ASSIGN, application, after={"lawyer": lawyer.display_name})
    return application


def lodge_objection(
    session, case, actor, application, *, reason: str, objection_on: date | None = None, expected_version=None
):
    begin(case, actor, OBJECT.name, application, expected_version=expected_version, reason=reason)
    application.objection_on = checked_date(objection_on, "objection_on")
    application.objection_reason = reason.strip()
    finish(session, case, actor, OBJECT, application, reason=application.objection_reason)
    return application


def decide_objection(session, case, actor, application, *, overturned: bool, note: str = "", expected_version=None):
    act = OVERTURN if overturned else UPHOLD
    begin(case, actor, act.name, application, expected_version=expected_version)
    application.objection_decided_on = clock.today_local()
    if overturned:
        application.decided_on, application.decided_by = application.objection_decided_on, actor
    finish(session, case, actor, act, application, reason=note.strip() or None)
    return application


def close_legal_aid(
    session, case, actor, application, *, closure: LegalAidClosure | None, note: str = "", expected_version=None
):
    begin(case, actor, CLOSE.name, application, expected_version=expected_version, closure=closure)
    if closure == LegalAidClosure.COMPLETED and application.lawyer_id is None:
        raise DomainError(N_("A lawyer must be assigned before the aid can be completed."), field="closure")
    application.closure, application.closed_on = closure, clock.today_local()
    application.closure_note = note.strip() or None
    finish(session, case, actor, CLOSE, application, reason=application.closure_note, after={"closure": closure.value})
    return application


def lawyers_for(session: Session, application: LegalAidApplication) -> list[User]:
    """Active lawyers on the legal-aid centre's roster: its own unit and the units below it."""
    roster = (
        session.query(User)
        .join(Unit, User.unit_id == Unit.id)
        .filter(User.active.is_(True), Unit.path.startswith(application.unit.path, autoescape=True))
    )
    return sorted((u for u in roster if u.has_role(Role.LAWYER)), key=lambda u: u.display_name)
