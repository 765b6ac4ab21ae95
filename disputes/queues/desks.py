"""The legal-aid officer's, the lawyer's, the court liaison's and the supervisor's queues."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import defaultload, selectinload

from disputes.i18n import N_
from disputes.models import (
    Arbitration,
    Award,
    Case,
    Extension,
    Hearing,
    Lawsuit,
    LegalAidApplication,
    Role,
    Suspension,
)
from disputes.models.unit import commission_heads
from disputes.queues import base
from disputes.queues.arbitration import suspended
from disputes.queues.base import Context, Section, TimerDue, due_sql, latest_due_sql, section, urgency
from disputes.sla.due import due_on, latest_due
from disputes.workflow.states import (
    Approval,
    ArbitrationState,
    HearingState,
    LawsuitState,
    LegalAidState,
)

L = LegalAidState
COURT_WAITING = (
    LawsuitState.FILED,
    LawsuitState.FIRST_INSTANCE,
    LawsuitState.APPEAL,
    LawsuitState.SECOND_INSTANCE,
    LawsuitState.REVOCATION_APPLIED,
)
# The court's clock a lawsuit waits on in each state (the rule whose timer gives the date).
COURT_CLOCKS = {
    LawsuitState.FILED: "litigation.filing",
    LawsuitState.FIRST_INSTANCE: "litigation.first_instance",
    LawsuitState.SECOND_INSTANCE: "litigation.second_instance",
}
# The periods in which a party may still sue or apply to revoke an award (whoever's they are: one per party
# or one per rule); the item shows the last of them.
RIGHT_TO_SUE = ("litigation.worker_sue_final", "litigation.employer_revoke", "litigation.sue_nonfinal")
SUE_AFTER_REVOCATION = "litigation.sue_after_revocation"


def _legal_aid_anchor(application: LegalAidApplication) -> str:
    return f"legal-aid-{application.id}"


def _applications(ctx: Context, *where, due=None, since=None, options=()) -> tuple[list[LegalAidApplication], int]:
    stmt = sa.select(LegalAidApplication).join(Case, Case.id == LegalAidApplication.case_id).where(*where)
    return ctx.page(
        stmt,
        LegalAidApplication.case,
        key=LegalAidApplication.id,
        due=due,
        since=since,
        options=(selectinload(LegalAidApplication.party), *options),
    )


def legal_aid_sections(ctx: Context) -> list[Section]:
    def section_of(key, title, empty, what, state, rule_id, *where):
        rows, total = _applications(
            ctx, LegalAidApplication.state == state, *where, due=TimerDue(rule_id, LegalAidApplication.id)
        )
        items = [
            ctx.item(a.case, _legal_aid_anchor(a), what, due=due_on(a.case, rule_id, a.id), note=a.party.name)
            for a in rows
        ]
        return section(ctx, key, Role.LEGAL_AID_OFFICER, title, empty, items, total=total)

    return [
        section_of(
            "legal_aid.decide",
            N_("Applications to decide"),
            N_("No application is waiting."),
            N_("Grant or refuse legal aid"),
            L.APPLIED,
            "legal_aid.decide",
        ),
        section_of(
            "legal_aid.assign",
            N_("Granted, no lawyer yet"),
            N_("Every granted case has a lawyer."),
            N_("Assign a lawyer"),
            L.GRANTED,
            "legal_aid.assign",
            LegalAidApplication.lawyer_id.is_(None),
        ),
        section_of(
            "legal_aid.objections",
            N_("Objections pending"),
            N_("No objection is pending."),
            N_("Review the objection to the refusal"),
            L.OBJECTION,
            "legal_aid.objection",
        ),
    ]


def _next_hearing(case: Case, ctx: Context):
    if case.arbitration is None:
        return None
    coming = [h for h in case.arbitration.hearings if h.state == HearingState.SCHEDULED and h.starts_at >= ctx.now]
    return min(coming, key=lambda h: h.starts_at, default=None)


def _next_hearing_sql(ctx: Context) -> sa.ScalarSelect:
    """`_next_hearing` in SQL, for ordering: the start of the case's next scheduled hearing."""
    return (
        sa.select(sa.func.min(Hearing.starts_at))
        .join(Arbitration, Arbitration.id == Hearing.arbitration_id)
        .where(Arbitration.case_id == Case.id, Hearing.state == HearingState.SCHEDULED, Hearing.starts_at >= ctx.now)
        .scalar_subquery()
    )


def lawyer_sections(ctx: Context) -> list[Section]:
    """The lawyer's legal-aid cases: open ones first (next hearing soonest), then the closed ones, latest first."""
    mine = LegalAidApplication.lawyer_id == ctx.user.id
    hearings = (
        # the case is read with the rows (`Context.page`); its hearings after them
        defaultload(LegalAidApplication.case).selectinload(Case.arbitration).selectinload(Arbitration.hearings),
    )
    open_rows, open_total = _applications(
        ctx,
        mine,
        LegalAidApplication.state != L.CLOSED,
        due=_next_hearing_sql(ctx),
        since=LegalAidApplication.assigned_on,
        options=hearings,
    )
    open_items = []
    for a in open_rows:
        hearing = _next_hearing(a.case, ctx)
        what = N_("Next hearing") if hearing else N_("Represent the applicant")
        open_items.append(
            ctx.item(
                a.case,
                _legal_aid_anchor(a),
                what,
                due=hearing.starts_at if hearing else None,
                since=a.assigned_on,
                note=a.party.name,
            )
        )
    closed_total = ctx.session.scalar(
        sa.select(sa.func.count())
        .select_from(LegalAidApplication)
        .join(Case, Case.id == LegalAidApplication.case_id)
        .where(mine, LegalAidApplication.state == L.CLOSED, ctx.scope)
    )
    closed_items = []
    limit = base.LIMIT
    if closed_total and len(open_items) < limit:
        stmt = (
            sa.select(LegalAidApplication)
            .join(Case, Case.id == LegalAidApplication.case_id)
            .where(mine, LegalAidApplication.state == L.CLOSED, ctx.scope)
            .order_by(
                LegalAidApplication.closed_on.is_(None),
                LegalAidApplication.closed_on.desc(),
                Case.id.desc(),
                LegalAidApplication.id.desc(),
            )
            .limit(limit - len(open_items))
            .options(
                selectinload(LegalAidApplication.party),
                selectinload(LegalAidApplication.case).selectinload(Case.parties),
            )
        )
        closed_items = [
            ctx.item(
                a.case,
                _legal_aid_anchor(a),
                N_("Legal aid closed"),
                since=a.closed_on,
                state=a.closure,
                note=a.party.name,
            )
            for a in ctx.session.scalars(stmt)
        ]
    open_items.sort(key=lambda i: urgency(i, ctx.now))
    closed_items.sort(key=lambda i: (i.since or date.min, i.case.id), reverse=True)
    items = open_items + closed_items
    return [
        section(
            ctx,
            "lawyer.cases",
            Role.LAWYER,
            N_("My legal-aid cases"),
            N_("No legal-aid case is assigned to you."),
            items,
            sort=False,
            total=open_total + closed_total,
        )
    ]


def _lawsuit_waits(suit: Lawsuit) -> tuple[str, date | None]:
    """What the court is to do next and, where no court clock runs, since when the lawsuit has waited."""
    return {
        LawsuitState.FILED: (N_("Court to decide on filing"), None),
        LawsuitState.FIRST_INSTANCE: (N_("First-instance judgment"), None),
        LawsuitState.APPEAL: (N_("Appeal court to file the appeal"), suit.appealed_on),
        LawsuitState.SECOND_INSTANCE: (N_("Second-instance judgment"), None),
    }.get(suit.state, (N_("Court to rule on the application to revoke"), suit.filed_on))


def _right_to_sue(ctx: Context) -> tuple[list, int]:
    """Cases with a period running in which a party may sue or apply to revoke: after the award's service, and
    after a revocation ruling was received. Due: the last of the case's open periods. Two bounded statements,
    one per kind of period; the items of both, and how many there are."""
    after_award_sql, after_revocation_sql = latest_due_sql(RIGHT_TO_SUE), due_sql(SUE_AFTER_REVOCATION)
    stmt = sa.select(Arbitration).join(Case, Case.id == Arbitration.case_id)
    awards = (selectinload(Arbitration.awards),)
    rows, award_total = ctx.page(
        stmt.where(after_award_sql >= ctx.today),
        Arbitration.case,
        key=Arbitration.id,
        due=after_award_sql,
        options=awards,
    )
    items = []
    for a in rows:
        after_award = latest_due(a.case, RIGHT_TO_SUE)
        if after_award is not None and after_award >= ctx.today:
            finality = sorted({award.finality for award in a.awards if not award.partial})
            items.append(
                ctx.item(
                    a.case,
                    "arbitration",
                    N_("Right to sue or to apply for revocation ends"),
                    due=after_award,
                    note=a.number,
                    state=finality[0] if len(finality) == 1 else None,
                )
            )
    rows, revocation_total = ctx.page(
        stmt.where(after_revocation_sql >= ctx.today), Arbitration.case, key=Arbitration.id, due=after_revocation_sql
    )
    for a in rows:
        after_revocation = due_on(a.case, SUE_AFTER_REVOCATION)
        if after_revocation is not None and after_revocation >= ctx.today:
            items.append(
                ctx.item(
                    a.case,
                    "arbitration",
                    N_("Right to sue after the revocation of the award ends"),
                    due=after_revocation,
                    note=a.number,
                )
            )
    return items, award_total + revocation_total


def court_sections(ctx: Context) -> list[Section]:
    stmt = sa.select(Lawsuit).join(Case, Case.id == Lawsuit.case_id).where(Lawsuit.state.in_(COURT_WAITING))
    due = sa.case(
        *((Lawsuit.state == state, due_sql(rule, Lawsuit.id)) for state, rule in COURT_CLOCKS.items()), else_=None
    )
    since = sa.case(
        (Lawsuit.state == LawsuitState.APPEAL, Lawsuit.appealed_on),
        (Lawsuit.state == LawsuitState.REVOCATION_APPLIED, Lawsuit.filed_on),
        else_=None,
    )
    rows, total = ctx.page(stmt, Lawsuit.case, key=Lawsuit.id, due=due, since=since)
    suits = []
    for suit in rows:
        what, since = _lawsuit_waits(suit)
        clock_rule = COURT_CLOCKS.get(suit.state)
        due = due_on(suit.case, clock_rule, suit.id) if clock_rule else None
        note = " · ".join(filter(None, [suit.court, suit.appeal_case_no or suit.court_case_no]))
        suits.append(ctx.item(suit.case, f"lawsuit-{suit.id}", what, due=due, since=since, note=note, state=suit.state))
    right_to_sue, right_to_sue_total = _right_to_sue(ctx)
    R = Role.COURT_LIAISON
    return [
        section(ctx, "court.lawsuits", R, N_("Lawsuits in court"), N_("No lawsuit is open."), suits, total=total),
        section(
            ctx,
            "court.right_to_sue",
            R,
            N_("Awards whose right-to-sue period is running"),
            N_("No right-to-sue period is running."),
            right_to_sue,
            total=right_to_sue_total,
        ),
    ]


def supervisor_sections(ctx: Context) -> list[Section]:
    """Only what this supervisor may decide (workflow.approvals, in SQL so that the section counts only those):
    not their own requests or closures (four-eyes), extensions only for a head of the commission (Rules Art 45).
    Three bounded statements, merged."""
    me = ctx.user

    def requests(model, *where):
        stmt = (
            sa.select(model)
            .join(Arbitration, Arbitration.id == model.arbitration_id)
            .join(Case, Case.id == Arbitration.case_id)
            .where(model.state == Approval.REQUESTED, _not(model.requested_by_id, me.id), *where)
        )
        return ctx.page(stmt, model.arbitration, Arbitration.case, key=model.id, since=model.requested_on)

    items = []
    suspensions, suspensions_total = requests(Suspension)
    for request in suspensions:
        items.append(
            ctx.item(
                request.arbitration.case,
                "arbitration",
                N_("Approve or reject the suspension"),
                since=request.requested_on,
                state=request.ground,
                note=request.reason,
            )
        )
    heads_of = sa.select(commission_heads.c.unit_id).where(commission_heads.c.user_id == me.id)
    extensions, extensions_total = requests(Extension, Arbitration.unit_id.in_(heads_of))
    for request in extensions:
        items.append(
            ctx.item(
                request.arbitration.case,
                "arbitration",
                N_("Approve or reject an extension of %(days)s days"),
                since=request.requested_on,
                note=request.reason,
                params={"days": request.days},
            )
        )
    my_award = Arbitration.awards.any(sa.and_(Award.partial.is_(False), Award.issued_by_id == me.id))
    closing = (
        sa.select(Arbitration)
        .join(Case, Case.id == Arbitration.case_id)
        .where(
            Arbitration.state == ArbitrationState.CLOSING, _not(Arbitration.closure_requested_by_id, me.id), ~my_award
        )
    )
    closures, closures_total = ctx.page(
        closing, Arbitration.case, key=Arbitration.id, since=Arbitration.closure_requested_on
    )
    for a in closures:
        items.append(
            ctx.item(
                a.case,
                "arbitration",
                N_("Approve or send back the closure"),
                since=a.closure_requested_on,
                state=a.closure_type,
                note=a.closure_note or a.number,
            )
        )
    R = Role.SUPERVISOR
    return [
        section(
            ctx,
            "supervisor.approvals",
            R,
            N_("Approvals waiting"),
            N_("Nothing is waiting for approval."),
            items,
            total=suspensions_total + extensions_total + closures_total,
        ),
        suspended(ctx, mine=False, role=R, key="supervisor.suspended"),
    ]


def _not(column, user_id: int) -> sa.ColumnElement[bool]:
    return sa.or_(column.is_(None), column != user_id)
