"""The arbitrator's queue (the cases where they sit on the tribunal) and the clerk's (every case in scope)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from disputes.i18n import N_
from disputes.models import Arbitration, Award, Case, Hearing, Role, TimelineEntry, TribunalMember
from disputes.queues.base import Context, Section, TimerDue, section
from disputes.sla.due import due_on
from disputes.workflow.states import ARBITRATION_RUNNING, ArbitrationState, ClosureType, HearingState

S = ArbitrationState
ANCHOR = "arbitration"
HEARING_HORIZON_DAYS = 14


def _arbitration_stmt(*where) -> sa.Select:
    return sa.select(Arbitration).join(Case, Case.id == Arbitration.case_id).where(*where)


def _arbitrations(
    ctx: Context, stmt: sa.Select, *, key: str, due=None, since=None, options=(), since_set: bool = False
) -> tuple[list[Arbitration], int]:
    """The first arbitrations of section `key` (`stmt`), most urgent first, and how many there are."""
    return ctx.page(
        stmt,
        Arbitration.case,
        key=Arbitration.id,
        due=due,
        since=since,
        options=options,
        since_set=since_set,
        counted=key,
    )


def _hearings(ctx: Context, stmt: sa.Select, *, key: str, due) -> tuple[list[Hearing], int]:
    return ctx.page(
        stmt,
        Hearing.arbitration,
        Arbitration.case,
        key=Hearing.id,
        due=due,
        options=(selectinload(Hearing.room),),
        counted=key,
    )


def _sits(ctx: Context):
    return Arbitration.id.in_(sa.select(TribunalMember.arbitration_id).where(TribunalMember.user_id == ctx.user.id))


def _hearing_stmt(*where):
    return (
        sa.select(Hearing)
        .join(Arbitration, Arbitration.id == Hearing.arbitration_id)
        .join(Case, Case.id == Arbitration.case_id)
        .where(Hearing.state == HearingState.SCHEDULED, *where)
    )


def _place(hearing: Hearing) -> str | None:
    return hearing.room.name if hearing.room else hearing.online_link


def _arbitrator_queries(ctx: Context) -> dict[str, sa.Select]:
    """The statements of the arbitrator's sections, by key (counted ahead together, then paged)."""
    horizon = ctx.local_start(ctx.today + timedelta(days=HEARING_HORIZON_DAYS + 1))
    closing_award = Arbitration.awards.any(Award.partial.is_(False))
    rejected = sa.select(TimelineEntry.case_id).where(TimelineEntry.kind == "arbitration.reject_closure")
    return {
        "arbitrator.hearings": _hearing_stmt(_sits(ctx), Hearing.starts_at < horizon),
        "arbitrator.awards": _arbitration_stmt(
            _sits(ctx), Arbitration.state == S.HEARD, ~closing_award, Arbitration.suspended_since.is_(None)
        ),
        "arbitrator.sent_back": _arbitration_stmt(
            _sits(ctx), Arbitration.state.in_(ARBITRATION_RUNNING), Arbitration.case_id.in_(rejected)
        ),
        "arbitrator.suspended": _suspended_stmt(ctx, mine=True),
    }


def arbitrator_counts(ctx: Context) -> dict[str, sa.ScalarSelect]:
    return {key: ctx.capped_count(stmt) for key, stmt in _arbitrator_queries(ctx).items()}


def hearings(ctx: Context) -> Section:
    """Scheduled hearings up to 14 days ahead; one whose time has passed unrecorded is overdue."""
    key = "arbitrator.hearings"
    rows, total = _hearings(ctx, _arbitrator_queries(ctx)[key], key=key, due=Hearing.starts_at)
    items = [ctx.item(h.arbitration.case, ANCHOR, N_("Hearing"), due=h.starts_at, note=_place(h)) for h in rows]
    return section(
        ctx,
        key,
        Role.ARBITRATOR,
        N_("Hearings in the next 14 days"),
        N_("No hearing in the next 14 days."),
        items,
        total=total,
    )


def awards_to_write(ctx: Context) -> Section:
    key = "arbitrator.awards"
    rows, total = _arbitrations(ctx, _arbitrator_queries(ctx)[key], key=key, due=TimerDue("arbitration.award"))
    items = [
        ctx.item(a.case, ANCHOR, N_("Write the award"), due=due_on(a.case, "arbitration.award"), note=a.number)
        for a in rows
    ]
    return section(
        ctx,
        key,
        Role.ARBITRATOR,
        N_("Awards to write"),
        N_("No heard case is waiting for its award."),
        items,
        total=total,
    )


def closures_sent_back(ctx: Context) -> Section:
    """Running cases whose closure a supervisor rejected (a new request would put them in `closing` again)."""
    key = "arbitrator.sent_back"
    rows, total = _arbitrations(ctx, _arbitrator_queries(ctx)[key], key=key, due=TimerDue("arbitration.award"))
    reasons = {}
    if rows:
        entries = ctx.session.scalars(
            sa.select(TimelineEntry)
            .where(
                TimelineEntry.kind == "arbitration.reject_closure", TimelineEntry.case_id.in_([a.case_id for a in rows])
            )
            .order_by(TimelineEntry.at)
        )
        reasons = {e.case_id: e for e in entries}
    items = [
        ctx.item(
            a.case,
            ANCHOR,
            N_("Closure sent back: deal with the note and request it again"),
            due=due_on(a.case, "arbitration.award"),
            note=reasons[a.case_id].reason,
            since=reasons[a.case_id].at.date(),
        )
        for a in rows
    ]
    return section(
        ctx,
        key,
        Role.ARBITRATOR,
        N_("Closures sent back"),
        N_("No closure was sent back."),
        items,
        total=total,
    )


def _suspended_stmt(ctx: Context, *, mine: bool) -> sa.Select:
    return _arbitration_stmt(Arbitration.suspended_since.is_not(None), *([_sits(ctx)] if mine else []))


def suspended(ctx: Context, *, mine: bool, role: Role, key: str) -> Section:
    """Suspended arbitrations, longest suspended first, each with its current suspension (loaded with the page:
    one statement for all of them)."""
    items = []
    rows, total = _arbitrations(
        ctx,
        _suspended_stmt(ctx, mine=mine),
        key=key,
        since=Arbitration.suspended_since,
        options=(selectinload(Arbitration.suspensions),),
    )
    for a in rows:
        current = next((s for s in reversed(a.suspensions) if s.started_on and s.ended_on is None), None)
        items.append(
            ctx.item(
                a.case,
                ANCHOR,
                N_("Suspended: resume when the ground ends"),
                since=a.suspended_since,
                state=current.ground if current else None,
                note=current.reason if current else None,
            )
        )
    return section(ctx, key, role, N_("Suspended cases"), N_("No case is suspended."), items, total=total)


def arbitrator_sections(ctx: Context) -> list[Section]:
    return [
        hearings(ctx),
        awards_to_write(ctx),
        closures_sent_back(ctx),
        suspended(ctx, mine=True, role=Role.ARBITRATOR, key="arbitrator.suspended"),
    ]


def _clerk_queries() -> dict[str, sa.Select]:
    """The statements of the clerk's sections, by key (counted ahead together, then paged)."""
    not_suspended = Arbitration.suspended_since.is_(None)
    unserved = Arbitration.awards.any(Award.served_on.is_(None))
    return {
        "clerk.accept": _arbitration_stmt(Arbitration.state == S.RECEIVED),
        "clerk.serve": _arbitration_stmt(Arbitration.state == S.ACCEPTED, not_suspended),
        "clerk.tribunal": _arbitration_stmt(Arbitration.state == S.SERVED, not_suspended),
        "clerk.notices": _hearing_stmt(Hearing.notice_served_on.is_(None)),
        "clerk.awards": _arbitration_stmt(
            Arbitration.state == S.CLOSED, Arbitration.closure_type == ClosureType.AWARD, unserved
        ),
    }


def clerk_counts(ctx: Context) -> dict[str, sa.ScalarSelect]:
    return {key: ctx.capped_count(stmt) for key, stmt in _clerk_queries().items()}


def clerk_sections(ctx: Context) -> list[Section]:
    queries = _clerk_queries()

    def arbitrations(key, **kwargs):
        return _arbitrations(ctx, queries[key], key=key, **kwargs)

    rows, received_total = arbitrations("clerk.accept", due=TimerDue("arbitration.accept"))
    received = [
        ctx.item(
            a.case,
            ANCHOR,
            N_("Accept or refuse (corrected application)") if a.correction_requested_on else N_("Accept or refuse"),
            due=due_on(a.case, "arbitration.accept"),
        )
        for a in rows
    ]
    rows, to_serve_total = arbitrations("clerk.serve", due=TimerDue("arbitration.serve_respondent"))
    to_serve = [
        ctx.item(
            a.case,
            ANCHOR,
            N_("Serve the application on the respondent"),
            due=due_on(a.case, "arbitration.serve_respondent"),
            note=a.number,
        )
        for a in rows
    ]
    rows, to_form_total = arbitrations("clerk.tribunal", due=TimerDue("arbitration.tribunal_notice"))
    to_form = [
        ctx.item(
            a.case,
            ANCHOR,
            N_("Form the tribunal and notify the parties"),
            due=due_on(a.case, "arbitration.tribunal_notice"),
            note=a.number,
        )
        for a in rows
    ]
    rows, notices_total = _hearings(
        ctx, queries["clerk.notices"], key="clerk.notices", due=TimerDue("arbitration.hearing_notice", Hearing.id)
    )
    notices = [
        ctx.item(
            h.arbitration.case,
            ANCHOR,
            N_("Serve the hearing notice"),
            due=due_on(h.arbitration.case, "arbitration.hearing_notice", h.id),
            note=_place(h),
        )
        for h in rows
    ]
    rows, awards_total = arbitrations(
        "clerk.awards",
        since=Arbitration.closed_on,
        since_set=True,  # a closed arbitration has its closing date (CHECK closed_iff_closed_on)
    )
    awards = [
        ctx.item(a.case, ANCHOR, N_("Serve the award on the parties"), since=a.closed_on, note=a.number) for a in rows
    ]
    R = Role.CLERK
    return [
        section(
            ctx,
            "clerk.accept",
            R,
            N_("Applications to accept"),
            N_("No application is waiting."),
            received,
            total=received_total,
        ),
        section(
            ctx,
            "clerk.serve",
            R,
            N_("Accepted cases to serve"),
            N_("Every accepted case is served."),
            to_serve,
            total=to_serve_total,
        ),
        section(
            ctx, "clerk.tribunal", R, N_("Tribunals to form"), N_("No tribunal to form."), to_form, total=to_form_total
        ),
        section(
            ctx,
            "clerk.notices",
            R,
            N_("Hearing notices to serve"),
            N_("Every hearing notice is served."),
            notices,
            total=notices_total,
        ),
        section(
            ctx, "clerk.awards", R, N_("Awards to serve"), N_("Every award is served."), awards, total=awards_total
        ),
    ]
