"""“My work”: each role's queue of what waits on the user, most urgent first (plain data, no Flask).

`build_queues(session, user, now)` gives one list of sections per role the user holds,
every item restricted to the cases the user may read (`policy.case_scope`), and to their
own mediations, tribunals and legal-aid cases where the role works by assignment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from disputes import clock
from disputes.models import Role, User
from disputes.queues import arbitration, desks, mediator, routing
from disputes.queues.base import Context, Item, Section, urgency


def _transfers(ctx: Context, role: Role) -> list[Section]:
    """The transfers section, shown once: under the supervisor's queue for a supervisor, else the role's."""
    if role != Role.SUPERVISOR and ctx.user.has_role(Role.SUPERVISOR):
        return []
    return [routing.transfers_to_answer(ctx, role)]


BUILDERS = {
    Role.MEDIATOR: lambda ctx: [
        routing.given_to_me(ctx, Role.MEDIATOR),
        *_transfers(ctx, Role.MEDIATOR),
        *mediator.sections(ctx),
    ],
    Role.ARBITRATOR: lambda ctx: [routing.given_to_me(ctx, Role.ARBITRATOR), *arbitration.arbitrator_sections(ctx)],
    Role.CLERK: lambda ctx: [routing.unrouted(ctx), *_transfers(ctx, Role.CLERK), *arbitration.clerk_sections(ctx)],
    Role.LEGAL_AID_OFFICER: desks.legal_aid_sections,
    Role.LAWYER: desks.lawyer_sections,
    Role.COURT_LIAISON: desks.court_sections,
    Role.SUPERVISOR: lambda ctx: [*_transfers(ctx, Role.SUPERVISOR), *desks.supervisor_sections(ctx)],
}
ROLE_ORDER = tuple(BUILDERS)
# The roles' section counts, read ahead in one statement for all the user's roles (`Context.count_ahead`).
COUNTS = {
    Role.MEDIATOR: lambda ctx: {**routing.given_counts(ctx, Role.MEDIATOR), **mediator.counts(ctx)},
    Role.ARBITRATOR: lambda ctx: {**routing.given_counts(ctx, Role.ARBITRATOR), **arbitration.arbitrator_counts(ctx)},
    Role.CLERK: lambda ctx: {**routing.unrouted_counts(ctx), **arbitration.clerk_counts(ctx)},
}


@dataclass
class RoleQueue:
    role: Role
    sections: list[Section]

    @property
    def total(self) -> int:
        return sum(s.total for s in self.sections)

    @property
    def overdue(self) -> int:
        return sum(1 for s in self.sections for i in s.items if i.overdue)


def build_queues(session: Session, user: User, now: datetime | None = None) -> list[RoleQueue]:
    """The user's queues, one per case role they hold, in a fixed role order."""
    ctx = Context(session=session, user=user, now=now or clock.now_utc())
    roles = [role for role in ROLE_ORDER if user.has_role(role)]
    ctx.count_ahead({key: count for role in roles if role in COUNTS for key, count in COUNTS[role](ctx).items()})
    return [RoleQueue(role, BUILDERS[role](ctx)) for role in roles]


__all__ = ["Context", "Item", "RoleQueue", "Section", "build_queues", "urgency"]
