"""The mediator's queue: only the mediations assigned to them."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from disputes.i18n import N_
from disputes.models import Case, Instalment, Mediation, MediationSession, Role
from disputes.queues.base import Context, Section, TimerDue, section
from disputes.sla.due import due_on
from disputes.workflow.states import MEDIATION_OPEN, MediationState, Performance

ANCHOR = "mediation"


def _mine(ctx: Context):
    return sa.select(Mediation).join(Case, Case.id == Mediation.case_id).where(Mediation.mediator_id == ctx.user.id)


SESSIONS, FIRST_SESSION, PERIOD, PERFORMANCE = (
    "mediator.sessions",
    "mediator.first_session",
    "mediator.period",
    "mediator.performance",
)


def _sessions_stmt(ctx: Context) -> sa.Select:
    monday = ctx.today - timedelta(days=ctx.today.weekday())
    start, end = ctx.local_start(monday), ctx.local_start(monday + timedelta(days=7))
    mine = sa.select(Mediation.id).where(Mediation.mediator_id == ctx.user.id, Mediation.state.in_(MEDIATION_OPEN))
    latest = (
        sa.select(MediationSession.mediation_id, sa.func.max(MediationSession.held_at).label("held_at"))
        .where(MediationSession.mediation_id.in_(mine))
        .group_by(MediationSession.mediation_id)
        .subquery()
    )
    return (
        sa.select(MediationSession)
        .join(
            latest,
            sa.and_(
                latest.c.mediation_id == MediationSession.mediation_id, latest.c.held_at == MediationSession.held_at
            ),
        )
        .join(Mediation, Mediation.id == MediationSession.mediation_id)
        .join(Case, Case.id == Mediation.case_id)
        .where(MediationSession.next_at >= start, MediationSession.next_at < end)
    )


def _in_state(ctx: Context, state: MediationState) -> sa.Select:
    return _mine(ctx).where(Mediation.state == state)


def _performance_stmt(ctx: Context) -> sa.Select:
    """Agreements still marked pending whose last instalment (or, without a schedule, signature) is due or past."""
    last_due = (
        sa.select(sa.func.max(Instalment.due_on)).where(Instalment.mediation_id == Mediation.id).scalar_subquery()
    )
    return _mine(ctx).where(
        Mediation.state == MediationState.AGREEMENT,
        Mediation.performance == Performance.PENDING,
        sa.func.coalesce(last_due, Mediation.agreement_signed_on) <= ctx.today,
    )


def counts(ctx: Context) -> dict[str, sa.ScalarSelect]:
    """The sessions' count, read ahead in one statement with the rest of the user's (`Context.count_ahead`); the
    sections of the mediator's own mediations count their rows as they read them (`Context.page(per_row=True)`)."""
    return {SESSIONS: ctx.capped_count(_sessions_stmt(ctx))}


def sessions_this_week(ctx: Context) -> Section:
    """The next session fixed at each open mediation's latest session, when it falls in this Monday–Sunday week."""
    rows, total = ctx.page(
        _sessions_stmt(ctx),
        MediationSession.mediation,
        Mediation.case,
        key=MediationSession.id,
        due=MediationSession.next_at,
        counted=SESSIONS,
    )
    items = [
        ctx.item(s.mediation.case, ANCHOR, N_("Next mediation session"), due=s.next_at, note=s.place or s.online_link)
        for s in rows
    ]
    return section(
        ctx,
        SESSIONS,
        Role.MEDIATOR,
        N_("Sessions this week"),
        N_("No session is planned this week."),
        items,
        total=total,
    )


def _page(ctx: Context, stmt, rule_id: str, key: str) -> tuple[list[Mediation], int]:
    # The mediator's own mediations: a few thousand at most, each probed against the scope (issue 18 part 6).
    return ctx.page(stmt, Mediation.case, key=Mediation.id, due=TimerDue(rule_id), per_row=True, counted=key)


def awaiting_first_session(ctx: Context) -> Section:
    rows, total = _page(ctx, _in_state(ctx, MediationState.ACCEPTED), "mediation.resolve", FIRST_SESSION)
    items = [
        ctx.item(m.case, ANCHOR, N_("Hold the first session"), due=due_on(m.case, "mediation.resolve"), note=m.number)
        for m in rows
    ]
    return section(
        ctx,
        FIRST_SESSION,
        Role.MEDIATOR,
        N_("Waiting for a first session"),
        N_("Every accepted mediation has had its first session."),
        items,
        total=total,
    )


def period_running_out(ctx: Context) -> Section:
    rows, total = _page(ctx, _in_state(ctx, MediationState.IN_SESSION), "mediation.resolve", PERIOD)
    items = [
        ctx.item(
            m.case,
            ANCHOR,
            N_("The 15 days of mediation run out"),
            due=due_on(m.case, "mediation.resolve"),
            note=m.number,
        )
        for m in rows
    ]
    return section(
        ctx,
        PERIOD,
        Role.MEDIATOR,
        N_("Mediation periods running out"),
        N_("No mediation in session."),
        items,
        total=total,
    )


def performance_due(ctx: Context) -> Section:
    """Agreements still marked pending whose last instalment (or, without a schedule, signature) is due or past."""
    rows, total = _page(ctx, _performance_stmt(ctx), "mediation.performance", PERFORMANCE)
    items = [
        ctx.item(
            m.case,
            ANCHOR,
            N_("Record whether the agreement was performed"),
            due=due_on(m.case, "mediation.performance"),
            note=m.number,
        )
        for m in rows
    ]
    return section(
        ctx,
        PERFORMANCE,
        Role.MEDIATOR,
        N_("Agreements to follow up"),
        N_("No agreement is due for performance."),
        items,
        total=total,
    )


def sections(ctx: Context) -> list[Section]:
    return [sessions_this_week(ctx), awaiting_first_session(ctx), period_running_out(ctx), performance_due(ctx)]
