"""`flask demo load`: a believable centre, its staff and a caseload, written through the real intake.

Cases go through `register_case` so numbering, flags and the timeline are what
production would write; the clock is frozen at each planned moment so dates and
timestamps read as if the cases had come in over the last eighteen months.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock
from disputes.demo.cases import CasePlan, plan_cases
from disputes.demo.centre import (
    DEMO_PASSWORD,
    DEMO_USERS,
    Centre,
    build_centre,
    login_table,
)
from disputes.demo.tracks import replay_tracks, track_summary
from disputes.i18n import N_, DomainError
from disputes.metrics.summary import fold
from disputes.models import (
    Case,
    CaseAssignment,
    Claim,
    Party,
    PartyKind,
    Role,
    Unit,
    User,
)
from disputes.sla.periods import add_months
from disputes.sla.scan import scan
from disputes.workflow.intake import FLAG_NAMES, register_case

__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "is_empty", "load", "login_table"]


def is_empty(session: Session) -> bool:
    return session.scalar(sa.select(Unit.id).limit(1)) is None


def load(session: Session, case_count: int = 300, seed: int = 20261121) -> str:
    """Build the demo centre and `case_count` cases; flushes, the caller commits. Returns a printable summary."""
    if not is_empty(session):
        raise DomainError(N_("The database already holds data; demo data is only loaded into an empty database."))
    today = clock.today_local()
    plans = plan_cases(seed, today, case_count)
    opened = datetime.combine(add_months(today, -18) - timedelta(days=14), time(9), clock.LOCAL_TZ)
    with clock.frozen(opened.astimezone(UTC)):
        centre = build_centre(session)
    from disputes.demo.documents import set_demo_patterns

    set_demo_patterns(session, centre)  # before the replay, which issues and serves extension notices
    written = [(_write(session, centre, plan), plan.unit_code, plan.mediator, plan.moment) for plan in plans]
    session.flush()
    replay_tracks(session, centre, written, seed)
    from disputes.demo.routing import route_backlog

    route_backlog(session, centre)  # every registered case routed; allocations with their reasons; an absence
    from disputes.demo.claim_items import record_claim_items

    record_claim_items(session, seed)  # recovered amounts, recorded causes, claims per worker
    from disputes.demo.transfers import demo_transfers

    demo_transfers(session, centre)  # a transfer accepted, one waiting, a court's delegation, a linked group
    from disputes.sla.owners import fill_missing

    fill_missing(session)  # the replay wrote tracks' holders after their timers started: every timer has an owner
    # As the scheduler would have done all along: breaches recorded, warnings sent (it commits).
    scan(session, clock.today_local(), clock.now_utc())
    from disputes.demo.documents import issue_act_documents, issue_demo_documents

    issue_act_documents(session)
    issue_demo_documents(session, centre)
    from disputes.demo import portal

    portal.load(session, centre)  # online applications, consents, documents served by link, a failed delivery
    fold.fold(session)
    return summary(session, seed)


def _write(session: Session, centre: Centre, plan: CasePlan) -> Case:
    registrar = centre.users[plan.registrar]
    plan.intake.unit_id = centre.units[plan.unit_code].id
    with clock.frozen(plan.moment):
        case = register_case(session, registrar, plan.intake)
    # The planned mediator is assigned when the replay accepts the case's mediation, if it has one.
    return case


def summary(session: Session, seed: int | None = None) -> str:
    """Counts of what the database holds, then the demo logins."""

    def count(model, *where) -> int:
        return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))

    cases = count(Case)
    first, last = session.execute(sa.select(sa.func.min(Case.registered_on), sa.func.max(Case.registered_on))).one()
    by_unit = session.execute(
        sa.select(Unit.name, sa.func.count(Case.id))
        .join(Case, Case.unit_id == Unit.id)
        .group_by(Unit.name)
        .order_by(sa.func.count(Case.id).desc(), Unit.name)
    ).all()
    kinds = dict(session.execute(sa.select(Party.kind, sa.func.count()).group_by(Party.kind)).all())
    claimed = session.scalar(sa.select(sa.func.coalesce(sa.func.sum(Claim.amount), 0))) or Decimal(0)
    flags = " · ".join(f"{name} {count(Case, getattr(Case, name).is_(True))}" for name in FLAG_NAMES)
    assigned = session.scalar(
        sa.select(sa.func.count(sa.distinct(CaseAssignment.case_id))).where(CaseAssignment.role == Role.MEDIATOR)
    )
    lines = [
        f"Demo data loaded{f' (seed {seed})' if seed is not None else ''}: {count(Unit)} units, {count(User)} users, "
        f"{cases} cases" + (f" registered {first} … {last}." if cases else "."),
        "Cases by unit:",
        *(f"  {cases_here:>5}  {name}" for name, cases_here in by_unit),
        f"Flags: {flags}",
        f"Mediator assigned: {assigned} of {cases}",
        (
            f"Parties: workers {kinds.get(PartyKind.WORKER, 0)}, employers {kinds.get(PartyKind.EMPLOYER, 0)}, "
            f"agents {kinds.get(PartyKind.AGENT, 0)}; claims {count(Claim)}, claimed {Decimal(claimed):,.2f} yuan"
        ),
        *track_summary(session),
    ]
    return "\n".join(lines)
