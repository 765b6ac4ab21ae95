"""The legal-aid officer's, the lawyer's, the court liaison's and the supervisor's queues."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from disputes.i18n import N_
from disputes.models import (
    Arbitration,
    Case,
    Extension,
    Lawsuit,
    LegalAidApplication,
    Role,
    Suspension,
)
from disputes.models.sla import SlaTimer
from disputes.queues.arbitration import suspended
from disputes.queues.base import Context, Section, section, urgency
from disputes.sla.due import due_on, latest_due
from disputes.sla.states import OPEN_STATUSES
from disputes.workflow import approvals
from disputes.workflow.states import (
    Approval,
    ArbitrationState,
    HearingState,
    LawsuitState,
    LegalAidState,
)

L = LegalAidState
COURT_WAITING = (LawsuitState.FILED, LawsuitState.FIRST_INSTANCE, LawsuitState.APPEAL, LawsuitState.SECOND_INSTANCE,
                 LawsuitState.REVOCATION_APPLIED)
# The court's clock a lawsuit waits on in each state (the rule whose timer gives the date).
COURT_CLOCKS = {LawsuitState.FILED: "litigation.filing", LawsuitState.FIRST_INSTANCE: "litigation.first_instance",
                LawsuitState.SECOND_INSTANCE: "litigation.second_instance"}
# The periods in which a party may still sue or apply to revoke an award (whoever's they are: one per party
# or one per rule); the item shows the last of them.
RIGHT_TO_SUE = ("litigation.worker_sue_final", "litigation.employer_revoke", "litigation.sue_nonfinal")
SUE_AFTER_REVOCATION = "litigation.sue_after_revocation"


def _legal_aid_anchor(application: LegalAidApplication) -> str:
    return f"legal-aid-{application.id}"


def _applications(ctx: Context, *where) -> list[LegalAidApplication]:
    stmt = (sa.select(LegalAidApplication).join(Case, Case.id == LegalAidApplication.case_id).where(*where)
            .order_by(LegalAidApplication.id))
    return ctx.rows(stmt, LegalAidApplication.case)


def legal_aid_sections(ctx: Context) -> list[Section]:
    def items(what, state, rule_id, *where):
        return [
            ctx.item(a.case, _legal_aid_anchor(a), what, due=due_on(a.case, rule_id, a.id), note=a.party.name)
            for a in _applications(ctx, LegalAidApplication.state == state, *where)
        ]

    R = Role.LEGAL_AID_OFFICER
    return [
        section(ctx, "legal_aid.decide", R, N_("Applications to decide"), N_("No application is waiting."),
                items(N_("Grant or refuse legal aid"), L.APPLIED, "legal_aid.decide")),
        section(ctx, "legal_aid.assign", R, N_("Granted, no lawyer yet"), N_("Every granted case has a lawyer."),
                items(N_("Assign a lawyer"), L.GRANTED, "legal_aid.assign", LegalAidApplication.lawyer_id.is_(None))),
        section(ctx, "legal_aid.objections", R, N_("Objections pending"), N_("No objection is pending."),
                items(N_("Review the objection to the refusal"), L.OBJECTION, "legal_aid.objection")),
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


def _lawsuit_waits(suit: Lawsuit) -> tuple[str, date | None]:
    """What the court is to do next and, where no court clock runs, since when the lawsuit has waited."""
    return {
        LawsuitState.FILED: (N_("Court to decide on filing"), None),
        LawsuitState.FIRST_INSTANCE: (N_("First-instance judgment"), None),
        LawsuitState.APPEAL: (N_("Appeal court to file the appeal"), suit.appealed_on),
        LawsuitState.SECOND_INSTANCE: (N_("Second-instance judgment"), None),
    }.get(suit.state, (N_("Court to rule on the application to revoke"), suit.filed_on))


def _right_to_sue(ctx: Context) -> list:
    """Cases with a period running in which a party may sue or apply to revoke: after the award's service, and
    after a revocation ruling was received. Due: the last of the case's open periods."""
    periods = (*RIGHT_TO_SUE, SUE_AFTER_REVOCATION)
    running = sa.select(SlaTimer.case_id).where(SlaTimer.rule_id.in_(periods), SlaTimer.status.in_(OPEN_STATUSES),
                                                SlaTimer.due_on >= ctx.today)
    stmt = sa.select(Arbitration).join(Case, Case.id == Arbitration.case_id).where(Arbitration.case_id.in_(running))
    items = []
    for a in ctx.rows(stmt, Arbitration.case):
        after_award, after_revocation = latest_due(a.case, RIGHT_TO_SUE), due_on(a.case, SUE_AFTER_REVOCATION)
        if after_award is not None and after_award >= ctx.today:
            finality = sorted({award.finality for award in a.awards if not award.partial})
            items.append(ctx.item(a.case, "arbitration", N_("Right to sue or to apply for revocation ends"),
                                  due=after_award, note=a.number, state=finality[0] if len(finality) == 1 else None))
        if after_revocation is not None and after_revocation >= ctx.today:
            items.append(ctx.item(a.case, "arbitration", N_("Right to sue after the revocation of the award ends"),
                                  due=after_revocation, note=a.number))
    return items


def court_sections(ctx: Context) -> list[Section]:
    stmt = (sa.select(Lawsuit).join(Case, Case.id == Lawsuit.case_id).where(Lawsuit.state.in_(COURT_WAITING)))
    suits = []
    for suit in ctx.rows(stmt, Lawsuit.case):
        what, since = _lawsuit_waits(suit)
        clock_rule = COURT_CLOCKS.get(suit.state)
        due = due_on(suit.case, clock_rule, suit.id) if clock_rule else None
        note = " · ".join(filter(None, [suit.court, suit.appeal_case_no or suit.court_case_no]))
        suits.append(ctx.item(suit.case, f"lawsuit-{suit.id}", what, due=due, since=since, note=note,
                              state=suit.state))
    R = Role.COURT_LIAISON
    return [
        section(ctx, "court.lawsuits", R, N_("Lawsuits in court"), N_("No lawsuit is open."), suits),
        section(ctx, "court.right_to_sue", R, N_("Awards whose right-to-sue period is running"),
                N_("No right-to-sue period is running."), _right_to_sue(ctx)),
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

