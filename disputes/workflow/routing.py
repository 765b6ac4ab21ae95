"""Routing a registered case: to a mediation committee, legal aid, arbitration, or advice only (no Flask).

Registration ends with the route (or the case page's route step for a case registered without one). A route to
a mediation committee opens the mediation there and gives it to a mediator by the committee's rule, so it is in
that mediator's queue at once; a route to arbitration receives the application at the commission and gives it
to an arbitrator the same way. "Advice only" closes the registration the same day (docs/decisions.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock, policy
from disputes.i18n import N_, DomainError
from disputes.models import (
    Allocation,
    Arbitration,
    Case,
    CaseRoute,
    Lawsuit,
    LegalAidApplication,
    Mediation,
    PartyKind,
    Role,
    Route,
    Unit,
    UnitKind,
    User,
)
from disputes.workflow import allocation, timeline
from disputes.workflow.states import CaseStatus

ROUTE_UNIT_KINDS = {
    Route.MEDIATION: UnitKind.MEDIATION_COMMITTEE,
    Route.LEGAL_AID: UnitKind.LEGAL_AID_CENTRE,
    Route.ARBITRATION: UnitKind.ARBITRATION_COMMISSION,
}
ROUTERS = (Role.CLERK, Role.SUPERVISOR, Role.MEDIATOR, Role.ARBITRATOR)

# Why a mediation committee is offered first: message ids shown beside it.
WORKER_STREET = N_("the worker's street")
EMPLOYER_PLACE = N_("the employer's street or park")
CENTRE_OWN = N_("the centre's own")


@dataclass(frozen=True)
class Destination:
    route: Route
    unit: Unit | None
    why: str | None = None  # message id: why this committee suits the case

    @property
    def key(self) -> str:
        return f"{self.route.value}-{self.unit.id}" if self.unit else self.route.value


def district_of(unit: Unit) -> Unit:
    """The district the unit belongs to (the root when no district is above it)."""
    node = unit
    while node.kind != UnitKind.DISTRICT and node.parent is not None:
        node = node.parent
    return node


def _named_in(unit: Unit, addresses: list[str]) -> bool:
    """The committee's place (its own name's or a parent's: 布吉街道, 宏兴科技园) is in one of the addresses."""
    places = [
        u.name
        for u in [unit, *unit.ancestors()]
        if u.kind in (UnitKind.STREET, UnitKind.ENTERPRISE, UnitKind.COMMUNITY)
    ]
    return any(place and place in address for place in places for address in addresses)


def destinations(session: Session, unit: Unit, workers: list[str] = (), employers: list[str] = ()) -> list[Destination]:
    """Every destination under the registering unit's district: mediation committees (the worker's street, the
    employer's street or park and the centre's own first, each saying so), legal-aid centres, arbitration
    commissions, and advice only. `workers` and `employers` are the parties' addresses."""
    district = district_of(unit)
    units = session.scalars(
        sa.select(Unit)
        .where(Unit.path.startswith(district.path), Unit.active.is_(True), Unit.kind.in_(ROUTE_UNIT_KINDS.values()))
        .order_by(Unit.code)
    )
    committees, others = [], []
    for candidate in units:
        if candidate.kind == UnitKind.MEDIATION_COMMITTEE:
            why = (
                WORKER_STREET
                if _named_in(candidate, list(workers))
                else EMPLOYER_PLACE
                if _named_in(candidate, list(employers))
                else CENTRE_OWN
                if candidate.parent is not None and candidate.parent.kind == UnitKind.CENTRE
                else None
            )
            committees.append(Destination(Route.MEDIATION, candidate, why))
        else:
            route = next(r for r, kind in ROUTE_UNIT_KINDS.items() if kind == candidate.kind)
            others.append(Destination(route, candidate))
    rank = {WORKER_STREET: 0, EMPLOYER_PLACE: 1, CENTRE_OWN: 2, None: 3}
    committees.sort(key=lambda d: rank[d.why])
    order = {Route.ARBITRATION: 0, Route.LEGAL_AID: 1}
    others.sort(key=lambda d: order[d.route])
    return [*committees, *others, Destination(Route.ADVICE, None)]


def case_destinations(session: Session, case: Case) -> list[Destination]:
    workers = [p.address or "" for p in case.parties if p.kind == PartyKind.WORKER]
    employers = [p.address or "" for p in case.parties if p.kind == PartyKind.EMPLOYER]
    return destinations(session, case.unit, workers, employers)


def parse_destination(value: str | None) -> tuple[Route | None, int | None]:
    route, _sep, unit = (value or "").partition("-")
    try:
        return Route(route), int(unit) if unit else None
    except ValueError:
        return None, None


def is_unrouted(case: Case) -> bool:
    """Open, no route recorded and no track opened by hand: waiting in the clerk's queue."""
    return (
        case.route is None
        and case.status == CaseStatus.OPEN
        and case.mediation is None
        and case.arbitration is None
        and not case.legal_aid
        and not case.lawsuits
    )


def unrouted_filter() -> sa.ColumnElement[bool]:
    """The SQL of `is_unrouted` (the clerk's queue, the demo's check)."""
    return sa.and_(
        Case.status == CaseStatus.OPEN,
        ~sa.exists().where(CaseRoute.case_id == Case.id),
        ~sa.exists().where(Mediation.case_id == Case.id),
        ~sa.exists().where(Arbitration.case_id == Case.id),
        ~sa.exists().where(LegalAidApplication.case_id == Case.id),
        ~sa.exists().where(Lawsuit.case_id == Case.id),
    )


def can_route(user: User, case: Case) -> bool:
    return user.has_role(*ROUTERS) and policy.can_edit_parties(user, case) and is_unrouted(case)


@dataclass
class Routed:
    route: CaseRoute
    allocation: Allocation | None = None
    not_allocated: DomainError | None = None  # why nobody was given the case (it waits for a hand assignment)


def route_case(
    session: Session,
    case: Case,
    actor: User,
    route: Route | None,
    unit_id: int | None,
    *,
    language: str | None = None,
    note: str = "",
    on: date | None = None,
) -> Routed:
    """Record where the case goes and open the track there (dated `on`, default today); allocate by rule."""
    if not actor.has_role(*ROUTERS) or not policy.can_edit_parties(actor, case):
        raise DomainError(N_("Your role does not allow this step."))
    if not is_unrouted(case):
        raise DomainError(N_("This case has already been routed."))
    if route is None:
        raise DomainError(N_("Choose where the case goes."), field="destination")
    on = on or clock.today_local()
    unit = None
    if route != Route.ADVICE:
        unit = session.get(Unit, unit_id) if unit_id else None
        allowed = {d.unit.id for d in case_destinations(session, case) if d.unit is not None and d.route == route}
        if unit is None or unit.id not in allowed:
            raise DomainError(N_("Choose a unit of this district for the route."), field="destination")
    language = (language or "").strip() or None
    row = CaseRoute(
        case=case, route=route, unit=unit, language=language, routed_at=clock.now_utc(), routed_by_id=actor.id
    )
    session.add(row)
    timeline.record(
        session,
        case,
        actor,
        "case.routed",
        reason=note.strip() or None,
        after={
            "route": route.value,
            **({"unit": unit.code} if unit else {}),
            **({"language": language} if language else {}),
        },
    )
    routed = Routed(row)
    if route == Route.ADVICE:
        case.status, case.closed_on = CaseStatus.CLOSED, max(on, case.registered_on)
        case.updated_at = clock.now_utc()
        session.flush()
        return routed
    if route == Route.MEDIATION:
        from disputes.workflow.mediation import open_mediation

        open_mediation(session, case, actor, unit_id=unit.id, applied_on=on)
    elif route == Route.ARBITRATION:
        from disputes.workflow.arbitration import receive_application

        receive_application(session, case, actor, unit_id=unit.id, received_on=on)
    else:
        from disputes.workflow.legal_aid import apply_for_legal_aid

        worker = next((p for p in case.parties if p.kind == PartyKind.WORKER), None)
        apply_for_legal_aid(
            session,
            case,
            actor,
            party_id=worker.id if worker else None,
            unit_id=unit.id,
            matter=case.cause,
            applied_on=on,
            hardship_statement=note,
        )
        return routed
    try:
        choice = allocation.choose(session, case, unit, language=language)
    except DomainError as error:
        routed.not_allocated = error
        return routed
    role = allocation.role_for(unit)
    allocation.hand_over(session, case, actor, choice.user, role)
    routed.allocation = allocation.record(session, case, actor, unit, choice.user, role, choice.method, choice.detail)
    return routed
