"""Every open deadline has an owner (issue 16): the track's holder, else the supervisor of the timer's unit; it
follows the case when it is reassigned; the bulk statement (demo, migration 0028) decides as the domain does."""

import sqlalchemy as sa

from disputes import organisation
from disputes.models import Role, Route
from disputes.models.sla import SlaTimer
from disputes.sla import owners
from disputes.sla.states import OPEN_STATUSES
from disputes.workflow import allocation, routing
from disputes.workflow.states import ArbitrationState
from tests.conftest import PASSWORD
from tests.drive import Driver


def _open(case) -> dict[str, int | None]:
    return {t.rule_id: t.responsible_id for t in case.timers if t.status in OPEN_STATUSES}


def test_a_mediation_deadline_follows_its_mediator(db, org, make_case):
    second = organisation.add_user(db.session, "m2", "李建华", [Role.MEDIATOR], org.mediation, PASSWORD)
    case = make_case()
    routing.route_case(db.session, case, org.user(Role.CLERK), Route.MEDIATION, org.mediation.id)
    db.session.commit()
    first = case.mediation.mediator
    assert _open(case)["mediation.resolve"] == first.id
    other = second if first != second else org.user(Role.MEDIATOR)
    allocation.assign_by_hand(db.session, case, org.user(Role.SUPERVISOR), other, "熟悉该企业")
    db.session.commit()
    assert _open(case)["mediation.resolve"] == other.id


def test_an_arbitration_deadline_goes_to_the_allocated_arbitrator(db, org, make_case):
    case = make_case()
    routing.route_case(db.session, case, org.user(Role.CLERK), Route.ARBITRATION, org.arbitration.id)
    db.session.commit()
    arbitrator = org.user(Role.ARBITRATOR)
    opened = _open(case)
    assert opened and {owner for rule, owner in opened.items() if rule.startswith("arbitration.")} == {arbitrator.id}


def test_a_deadline_nobody_holds_falls_to_the_units_supervisor(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.RECEIVED)
    db.session.commit()
    opened = _open(case)
    assert opened["arbitration.accept"] == org.user(Role.SUPERVISOR).id
    assert owners.holder_of(case, "arbitration.accept") is None


def test_the_bulk_statement_gives_the_owners_the_domain_gives(db, org, make_case):
    mediated, arbitrated, received = make_case(), make_case(), make_case()
    routing.route_case(db.session, mediated, org.user(Role.CLERK), Route.MEDIATION, org.mediation.id)
    routing.route_case(db.session, arbitrated, org.user(Role.CLERK), Route.ARBITRATION, org.arbitration.id)
    Driver(db.session, org, received).arbitration(ArbitrationState.RECEIVED)
    db.session.commit()
    cases = (mediated, arbitrated, received)
    given = {case.id: _open(case) for case in cases}
    assert all(owner is not None for opened in given.values() for owner in opened.values())
    db.session.execute(sa.update(SlaTimer).values(responsible_id=None))
    db.session.commit()
    assert owners.fill_missing(db.session) == sum(len(opened) for opened in given.values())
    db.session.commit()
    db.session.expire_all()
    assert {case.id: _open(case) for case in cases} == given
