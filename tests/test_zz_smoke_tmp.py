import pytest

from disputes.workflow.states import *
from tests.drive import Driver


@pytest.mark.parametrize("state", list(ArbitrationState))
def test_arb(db, org, make_case, state):
    case = make_case()
    d = Driver(db.session, org, case)
    row = d.arbitration(state)
    db.session.commit()
    assert row.state == state, (row.state, state)
    print(state, case.stage, case.status)

@pytest.mark.parametrize("state", list(MediationState))
def test_med(db, org, make_case, state):
    case = make_case()
    row = Driver(db.session, org, case).mediation(state); db.session.commit()
    assert row.state == state

@pytest.mark.parametrize("state", list(LegalAidState))
def test_la(db, org, make_case, state):
    case = make_case()
    row = Driver(db.session, org, case).legal_aid(state); db.session.commit()
    assert row.state == state

@pytest.mark.parametrize("state", list(LawsuitState))
def test_lit(db, org, make_case, state):
    case = make_case()
    row = Driver(db.session, org, case).lawsuit(state); db.session.commit()
    assert row.state == state
