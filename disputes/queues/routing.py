"""Queue sections of routing and allocation: the clerk's unrouted cases with their age, and the cases given to a
mediator or arbitrator lately with the reasons (their notice of the allocation)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, selectinload

from disputes import clock
from disputes.i18n import N_
from disputes.models import Allocation, Case, CaseAssignment, CaseTransfer, Role
from disputes.queues.base import LIMIT, Context, Section, section
from disputes.workflow import allocation
from disputes.workflow.routing import unrouted_filter

RECENT_DAYS = 14


ROUTE = "clerk.route"


def _unrouted() -> sa.Select:
    return sa.select(Case).where(unrouted_filter())


def unrouted_counts(ctx: Context) -> dict[str, sa.ScalarSelect]:
    return {ROUTE: ctx.capped_count(_unrouted())}


def unrouted(ctx: Context) -> Section:
    """The clerk's registered cases that go nowhere yet, the longest waiting first (one count, one page)."""
    rows, total = ctx.page(_unrouted(), key=Case.id, since=Case.registered_on, since_set=True, counted=ROUTE)
    items = [
        ctx.item(
            c,
            "route",
            N_("Route the case: waiting %(days)s days"),
            since=c.registered_on,
            params={"days": (ctx.today - c.registered_on).days},
        )
        for c in rows
    ]
    return section(
        ctx, ROUTE, Role.CLERK, N_("Cases to route"), N_("Every registered case is routed."), items, total=total
    )


def _given(ctx: Context, role: Role) -> sa.Select:
    since = ctx.now - timedelta(days=RECENT_DAYS)
    holding = sa.select(CaseAssignment.case_id).where(
        CaseAssignment.user_id == ctx.user.id, CaseAssignment.active.is_(True), CaseAssignment.role == role
    )
    return (
        sa.select(Allocation)
        .join(Case, Case.id == Allocation.case_id)
        .where(
            Allocation.user_id == ctx.user.id,
            Allocation.role == role,
            Allocation.at >= since,
            Allocation.case_id.in_(holding),
            ctx.scope,
        )
    )


def given_counts(ctx: Context, role: Role) -> dict[str, sa.ScalarSelect]:
    """How many cases were given to the user lately (a case given twice counts once)."""
    given = _given(ctx, role).subquery()
    return {f"{role.value}.given": sa.select(sa.func.count(sa.distinct(given.c.case_id))).scalar_subquery()}


def given_to_me(ctx: Context, role: Role) -> Section:
    """Allocations to the user in the last 14 days of cases they still hold, each with why it came to them."""
    ((key, count),) = given_counts(ctx, role).items()
    total = ctx.counted(key, count)
    rows = []
    if total:  # bounded: a case given twice shows once, so a few more rows than shown
        rows = ctx.session.scalars(
            _given(ctx, role)
            .order_by(Allocation.at.desc(), Allocation.id.desc())
            .limit(2 * LIMIT)
            .options(contains_eager(Allocation.case).selectinload(Case.parties))
        )
    items, seen = [], set()
    for row in rows:
        if row.case_id in seen:
            continue
        seen.add(row.case_id)
        items.append(
            ctx.item(
                row.case, "allocation", N_("Given to you"), since=ctx.today, reasons=tuple(allocation.explain(row))
            )
        )
    return section(
        ctx,
        key,
        role,
        N_("Given to you lately"),
        N_("Nothing was given to you in the last 14 days."),
        items,
        sort=False,
        total=total,
    )


TRANSFER_QUEUE = "transfer-queue"  # the anchor the queue page links to the transfer queue instead of the case


def is_transfers(section: Section) -> bool:
    """Whether `section` is the transfers awaiting the user's answer (`transfers_to_answer`): its total is
    `transfers.waiting_count`, the navigation's badge."""
    return section.key.endswith(".transfers")


def transfers_to_answer(ctx: Context, role: Role) -> Section:
    """Transfers waiting for an answer from a unit the user answers for (the receiving unit's notice); the case is
    not theirs to read until they accept it, so the item leads to the transfer queue."""
    from disputes.workflow import transfers

    rows = transfers.queue(  # with what the items show: no statement per transfer
        ctx.session,
        ctx.user,
        selectinload(CaseTransfer.case).selectinload(Case.parties),
        selectinload(CaseTransfer.from_unit),
    )
    items = [
        ctx.item(
            t.case,
            TRANSFER_QUEUE,
            N_("Accept or return the transfer from %(unit)s"),
            since=clock.to_local(t.requested_at).date(),
            note=t.reason,
            params={"unit": t.from_unit.name},
        )
        for t in rows[:LIMIT]
    ]
    return section(
        ctx,
        f"{role.value}.transfers",
        role,
        N_("Transfers awaiting acceptance"),
        N_("No transfer is waiting for your units."),
        items,
        total=len(rows),
    )
