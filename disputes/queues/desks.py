"""The legal-aid officer's, the lawyer's, the court liaison's and the supervisor's queues."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from disputes.i18n import N_
from disputes.models import (
    Arbitration,
    Award,
    Case,
    Extension,
    Lawsuit,
    LegalAidApplication,
    Role,
    Suspension,
)
from disputes.queues.arbitration import suspended
from disputes.queues.base import Context, Section, plus_days, section, urgency
from disputes.sla.periods import add_months
from disputes.workflow import approvals
from disputes.workflow.awards import right_to_sue_ends
from disputes.workflow.states import (
    Approval,
    ArbitrationState,
    ClosureType,
    CourtProcedure,
    HearingState,
    LawsuitState,
    LegalAidState,
)

L = LegalAidState
DECIDE_DAYS, ASSIGN_DAYS, OBJECTION_DAYS = 7, 3, 5  # LAL Art 43, 49
FILING_DAYS = 7  # CPL Art 126
FIRST_INSTANCE_MONTHS = {CourtProcedure.ORDINARY: 6, CourtProcedure.SIMPLIFIED: 3, CourtProcedure.SMALL_CLAIMS: 2}
SECOND_INSTANCE_MONTHS = 3
COURT_WAITING = (LawsuitState.FILED, LawsuitState.FIRST_INSTANCE, LawsuitState.APPEAL, LawsuitState.SECOND_INSTANCE,
                 LawsuitState.REVOCATION_APPLIED)
RECENT_SERVICE_DAYS = 31  # the longest right-to-sue period (30 days) and a day


def _legal_aid_anchor(application: LegalAidApplication) -> str:
    return f"legal-aid-{application.id}"


def _applications(ctx: Context, *where) -> list[LegalAidApplication]:
    stmt = (sa.select(LegalAidApplication).join(Case, Case.id == LegalAidApplication.case_id).where(*where)
            .order_by(LegalAidApplication.id))
    return ctx.rows(stmt, LegalAidApplication.case)


def legal_aid_sections(ctx: Context) -> list[Section]:
    def items(what, state, base, days, *where):
        return [
            ctx.item(a.case, _legal_aid_anchor(a), what, due=plus_days(getattr(a, base), days), note=a.party.name)
            for a in _applications(ctx, LegalAidApplication.state == state, *where)
        ]

    R = Role.LEGAL_AID_OFFICER
    return [
        section(ctx, "legal_aid.decide", R, N_("Applications to decide"), N_("No application is waiting."),
                items(N_("Grant or refuse legal aid"), L.APPLIED, "complete_on", DECIDE_DAYS)),
        section(ctx, "legal_aid.assign", R, N_("Granted, no lawyer yet"), N_("Every granted case has a lawyer."),
                items(N_("Assign a lawyer"), L.GRANTED, "decided_on", ASSIGN_DAYS,
                      LegalAidApplication.lawyer_id.is_(None))),
        section(ctx, "legal_aid.objections", R, N_("Objections pending"), N_("No objection is pending."),
                items(N_("Review the objection to the refusal"), L.OBJECTION, "objection_on", OBJECTION_DAYS)),
    ]


def _next_hearing(case: Case, ctx: Context):
    if case.arbitration is None:
        return None
    coming = [h for h in case.arbitration.hearings if h.state == HearingState.SCHEDULED and h.starts_at >= ctx.now]
    return min(coming, key=lambda h: h.starts_at, default=None)


def lawyer_sections(ctx: Context) -> list[Section]:
    """The lawyer's legal-aid cases: open ones first (next hearing soonest), then the closed ones, latest first."""
    open_items, closed_items = [], []
    for a in _applications(ctx, LegalAidApplication.lawyer_id == ctx.user.id):
        if a.state == L.CLOSED:
            closed_items.append(ctx.item(a.case, _legal_aid_anchor(a), N_("Legal aid closed"), since=a.closed_on,
                                         state=a.closure, note=a.party.name))
            continue
        hearing = _next_hearing(a.case, ctx)
        what = N_("Next hearing") if hearing else N_("Represent the applicant")
        open_items.append(ctx.item(a.case, _legal_aid_anchor(a), what, due=hearing.starts_at if hearing else None,
                                   since=a.assigned_on, note=a.party.name))
    open_items.sort(key=lambda i: urgency(i, ctx.now))
    closed_items.sort(key=lambda i: (i.since or date.min, i.case.id), reverse=True)
    items = open_items + closed_items
    return [section(ctx, "lawyer.cases", Role.LAWYER, N_("My legal-aid cases"),
                    N_("No legal-aid case is assigned to you."), items, sort=False)]


def _lawsuit_due(suit: Lawsuit) -> tuple[str, date | None, date | None]:
    if suit.state == LawsuitState.FILED:
        return N_("Court to decide on filing"), plus_days(suit.filed_on, FILING_DAYS), None
    if suit.state == LawsuitState.FIRST_INSTANCE:
        months = FIRST_INSTANCE_MONTHS.get(suit.procedure, 6)
        return N_("First-instance judgment"), add_months(suit.docketed_on or suit.filed_on, months), None
    if suit.state == LawsuitState.APPEAL:
        return N_("Appeal court to file the appeal"), None, suit.appealed_on
    if suit.state == LawsuitState.SECOND_INSTANCE:
        return N_("Second-instance judgment"), add_months(suit.appealed_on, SECOND_INSTANCE_MONTHS), None
    return N_("Court to rule on the application to revoke"), None, suit.filed_on


def court_sections(ctx: Context) -> list[Section]:
    stmt = (sa.select(Lawsuit).join(Case, Case.id == Lawsuit.case_id).where(Lawsuit.state.in_(COURT_WAITING)))
    suits = []
    for suit in ctx.rows(stmt, Lawsuit.case):
        what, due, since = _lawsuit_due(suit)
        note = " · ".join(filter(None, [suit.court, suit.appeal_case_no or suit.court_case_no]))
        suits.append(ctx.item(suit.case, f"lawsuit-{suit.id}", what, due=due, since=since, note=note,
                              state=suit.state))
    recent = ctx.today - timedelta(days=RECENT_SERVICE_DAYS)
    stmt = (
        sa.select(Arbitration).join(Case, Case.id == Arbitration.case_id)
        .where(Arbitration.state == ArbitrationState.CLOSED, Arbitration.closure_type == ClosureType.AWARD,
               Arbitration.award_effective_on.is_(None), ~Case.lawsuits.any(),
               ~Arbitration.awards.any(Award.served_on.is_(None)), Arbitration.awards.any(Award.served_on >= recent))
    )
    running = []
    for a in ctx.rows(stmt, Arbitration.case):
        ends = right_to_sue_ends(a)
        if ends is not None and ends >= ctx.today:
            finality = sorted({award.finality for award in a.awards if not award.partial})
            running.append(ctx.item(a.case, "arbitration", N_("Right to sue or to apply for revocation ends"),
                                    due=ends, note=a.number, state=finality[0] if len(finality) == 1 else None))
    R = Role.COURT_LIAISON
    return [
        section(ctx, "court.lawsuits", R, N_("Lawsuits in court"), N_("No lawsuit is open."), suits),
        section(ctx, "court.right_to_sue", R, N_("Awards whose right-to-sue period is running"),
                N_("No right-to-sue period is running."), running),
    ]


def supervisor_sections(ctx: Context) -> list[Section]:
    def requests(model, what):
        stmt = (sa.select(model).join(Arbitration, Arbitration.id == model.arbitration_id)
                .join(Case, Case.id == Arbitration.case_id).where(model.state == Approval.REQUESTED))
        return [(r, what) for r in ctx.rows(stmt, model.arbitration, Arbitration.case)]

    # Only what this supervisor may decide: not their own requests (four-eyes), extensions only for a head of the
    # commission (Rules Art 45); see workflow.approvals.
    me = ctx.user
    items = []
    for request, what in requests(Suspension, N_("Approve or reject the suspension")):
        if request.requested_by_id == me.id:
            continue
        items.append(ctx.item(request.arbitration.case, "arbitration", what, since=request.requested_on,
                              state=request.ground, note=request.reason))
    for request, what in requests(Extension, N_("Approve or reject an extension of %(days)s days")):
        if me not in request.arbitration.unit.heads or request.requested_by_id == me.id:
            continue
        items.append(ctx.item(request.arbitration.case, "arbitration", what, since=request.requested_on,
                              note=request.reason, params={"days": request.days}))
    closing = sa.select(Arbitration).join(Case, Case.id == Arbitration.case_id).where(
        Arbitration.state == ArbitrationState.CLOSING)
    for a in ctx.rows(closing, Arbitration.case):
        if me in approvals.closure_authors(a):
            continue
        items.append(ctx.item(a.case, "arbitration", N_("Approve or send back the closure"),
                              since=a.closure_requested_on, state=a.closure_type, note=a.closure_note or a.number))
    R = Role.SUPERVISOR
    return [
        section(ctx, "supervisor.approvals", R, N_("Approvals waiting"), N_("Nothing is waiting for approval."), items),
        suspended(ctx, mine=False, role=R, key="supervisor.suspended"),
    ]

