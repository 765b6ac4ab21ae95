"""The arbitrator's queue (the cases where they sit on the tribunal) and the clerk's (every case in scope)."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from disputes import clock
from disputes.i18n import N_
from disputes.models import Arbitration, Award, Case, Hearing, Role, TimelineEntry, TribunalMember
from disputes.queues.base import Context, Section, plus_days, section
from disputes.sla.explain import open_timer
from disputes.sla.states import TimerStatus
from disputes.workflow.hearings import NOTICE_DAYS
from disputes.workflow.states import ARBITRATION_RUNNING, ArbitrationState, ClosureType, HearingState

S = ArbitrationState
ANCHOR = "arbitration"
AWARD_DAYS = 45  # Law Art 43, plus approved extensions and suspended days
ACCEPT_DAYS = SERVE_DAYS = TRIBUNAL_DAYS = 5  # Law Art 29, 30, 32
HEARING_HORIZON_DAYS = 14


def award_due(arbitration: Arbitration) -> date | None:
    """The award period's nominal end plus approved extensions and days paused, before any holiday roll-over; open
    while the case is suspended. Read from the award timer, which restarts on the events of Rules Art 46 and pauses
    for public notices; cases without one (old data): acceptance + 45 days + extensions + days suspended."""
    if arbitration.accepted_on is None or arbitration.suspended:
        return None
    timer = open_timer(arbitration.case, "arbitration.award")
    if timer is not None:
        if timer.status == TimerStatus.PAUSED:
            return None
        return timer.nominal_on + timedelta(days=timer.extension_days + timer.paused_days)
    suspended = sum(s.days or 0 for s in arbitration.suspensions)
    return arbitration.accepted_on + timedelta(days=AWARD_DAYS + arbitration.approved_extension_days + suspended)


def _arbitrations(ctx: Context, *where) -> list[Arbitration]:
    stmt = sa.select(Arbitration).join(Case, Case.id == Arbitration.case_id).where(*where)
    return ctx.rows(stmt, Arbitration.case)


def _sits(ctx: Context):
    return Arbitration.id.in_(sa.select(TribunalMember.arbitration_id).where(TribunalMember.user_id == ctx.user.id))


def _hearing_stmt(*where):
    return (sa.select(Hearing).join(Arbitration, Arbitration.id == Hearing.arbitration_id)
            .join(Case, Case.id == Arbitration.case_id).where(Hearing.state == HearingState.SCHEDULED, *where))


def _place(hearing: Hearing) -> str | None:
    return hearing.room.name if hearing.room else hearing.online_link


def hearings(ctx: Context) -> Section:
    """Scheduled hearings up to 14 days ahead; one whose time has passed unrecorded is overdue."""
    horizon = ctx.local_start(ctx.today + timedelta(days=HEARING_HORIZON_DAYS + 1))
    stmt = _hearing_stmt(_sits(ctx), Hearing.starts_at < horizon)
    items = [
        ctx.item(h.arbitration.case, ANCHOR, N_("Hearing"), due=h.starts_at, note=_place(h))
        for h in ctx.rows(stmt, Hearing.arbitration, Arbitration.case)
    ]
    return section(ctx, "arbitrator.hearings", Role.ARBITRATOR, N_("Hearings in the next 14 days"),
                   N_("No hearing in the next 14 days."), items)


def awards_to_write(ctx: Context) -> Section:
    closing_award = Arbitration.awards.any(Award.partial.is_(False))
    rows = _arbitrations(ctx, _sits(ctx), Arbitration.state == S.HEARD, ~closing_award,
                         Arbitration.suspended_since.is_(None))
    items = [ctx.item(a.case, ANCHOR, N_("Write the award"), due=award_due(a), note=a.number) for a in rows]
    return section(ctx, "arbitrator.awards", Role.ARBITRATOR, N_("Awards to write"),
                   N_("No heard case is waiting for its award."), items)


def closures_sent_back(ctx: Context) -> Section:
    """Running cases whose closure a supervisor rejected (a new request would put them in `closing` again)."""
    rejected = sa.select(TimelineEntry.case_id).where(TimelineEntry.kind == "arbitration.reject_closure")
    rows = _arbitrations(ctx, _sits(ctx), Arbitration.state.in_(ARBITRATION_RUNNING), Arbitration.case_id.in_(rejected))
    reasons = {}
    if rows:
        entries = ctx.session.scalars(
            sa.select(TimelineEntry).where(TimelineEntry.kind == "arbitration.reject_closure",
                                           TimelineEntry.case_id.in_([a.case_id for a in rows]))
            .order_by(TimelineEntry.at)
        )
        reasons = {e.case_id: e for e in entries}
    items = [
        ctx.item(a.case, ANCHOR, N_("Closure sent back: deal with the note and request it again"), due=award_due(a),
                 note=reasons[a.case_id].reason, since=reasons[a.case_id].at.date())
        for a in rows
    ]
    return section(ctx, "arbitrator.sent_back", Role.ARBITRATOR, N_("Closures sent back"),
                   N_("No closure was sent back."), items)


def suspended(ctx: Context, *, mine: bool, role: Role, key: str) -> Section:
    where = [Arbitration.suspended_since.is_not(None)] + ([_sits(ctx)] if mine else [])
    items = []
    for a in _arbitrations(ctx, *where):
        current = next((s for s in reversed(a.suspensions) if s.started_on and s.ended_on is None), None)
        items.append(ctx.item(a.case, ANCHOR, N_("Suspended: resume when the ground ends"), since=a.suspended_since,
                              state=current.ground if current else None, note=current.reason if current else None))
    return section(ctx, key, role, N_("Suspended cases"), N_("No case is suspended."), items)


def arbitrator_sections(ctx: Context) -> list[Section]:
    return [hearings(ctx), awards_to_write(ctx), closures_sent_back(ctx),
            suspended(ctx, mine=True, role=Role.ARBITRATOR, key="arbitrator.suspended")]


def clerk_sections(ctx: Context) -> list[Section]:
    not_suspended = Arbitration.suspended_since.is_(None)
    received = [
        ctx.item(a.case, ANCHOR, N_("Accept or refuse (corrected application)") if a.correction_requested_on
                 else N_("Accept or refuse"), due=plus_days(a.complete_on, ACCEPT_DAYS))
        for a in _arbitrations(ctx, Arbitration.state == S.RECEIVED)
    ]
    to_serve = [
        ctx.item(a.case, ANCHOR, N_("Serve the application on the respondent"),
                 due=plus_days(a.accepted_on, SERVE_DAYS), note=a.number)
        for a in _arbitrations(ctx, Arbitration.state == S.ACCEPTED, not_suspended)
    ]
    to_form = [
        ctx.item(a.case, ANCHOR, N_("Form the tribunal and notify the parties"),
                 due=plus_days(a.accepted_on, TRIBUNAL_DAYS), note=a.number)
        for a in _arbitrations(ctx, Arbitration.state == S.SERVED, not_suspended)
    ]
    notices = [
        ctx.item(h.arbitration.case, ANCHOR, N_("Serve the hearing notice"),
                 due=_notice_due(h), note=_place(h))
        for h in ctx.rows(_hearing_stmt(Hearing.notice_served_on.is_(None)), Hearing.arbitration, Arbitration.case)
    ]
    unserved = Arbitration.awards.any(Award.served_on.is_(None))
    awards = [
        ctx.item(a.case, ANCHOR, N_("Serve the award on the parties"), since=a.closed_on, note=a.number)
        for a in _arbitrations(ctx, Arbitration.state == S.CLOSED, Arbitration.closure_type == ClosureType.AWARD,
                               unserved)
    ]
    R = Role.CLERK
    return [
        section(ctx, "clerk.accept", R, N_("Applications to accept"), N_("No application is waiting."), received),
        section(ctx, "clerk.serve", R, N_("Accepted cases to serve"), N_("Every accepted case is served."), to_serve),
        section(ctx, "clerk.tribunal", R, N_("Tribunals to form"), N_("No tribunal to form."), to_form),
        section(ctx, "clerk.notices", R, N_("Hearing notices to serve"), N_("Every hearing notice is served."),
                notices),
        section(ctx, "clerk.awards", R, N_("Awards to serve"), N_("Every award is served."), awards),
    ]


def _notice_due(hearing: Hearing) -> date:
    """Law Art 35: at least five days before the hearing (a reverse deadline, no roll-over)."""
    return clock.to_local(hearing.starts_at).date() - timedelta(days=NOTICE_DAYS)
