"""Two people editing one case at once: one wins, the other is told, nothing half-saved.

Every track operation touches the case row, whose version column SQLAlchemy checks on
UPDATE; the loser's whole transaction (timeline entry, numbers) is rolled back. A form
opened before someone else's change carries the old version and is refused with the input kept.
"""

import threading

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from disputes.models import Case, Role, TimelineEntry, User
from disputes.workflow import arbitration as arb
from disputes.workflow.actions import ConflictError
from disputes.workflow.states import ArbitrationState
from tests.drive import Driver
from tests.pages import field_errors, flashes, step_hidden, t


def test_simultaneous_steps_one_wins_the_other_conflicts(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.RECEIVED)
    db.session.commit()
    case_id, clerk_id, supervisor_id = case.id, org.user(Role.CLERK).id, org.user(Role.SUPERVISOR).id
    engine = db.engine
    loaded = threading.Barrier(2, timeout=30)
    outcome: dict[str, str] = {}

    def work(name, user_id, step):
        with Session(engine) as session:
            case = session.get(Case, case_id)
            user = session.get(User, user_id)
            assert case.arbitration.state == ArbitrationState.RECEIVED
            loaded.wait()
            try:
                step(session, case, user)
                session.commit()
                outcome[name] = "won"
            except StaleDataError:
                session.rollback()
                outcome[name] = "conflict"

    threads = [
        threading.Thread(target=work, args=("accept", clerk_id, lambda s, c, u: arb.accept(s, c, u))),
        threading.Thread(
            target=work,
            args=(
                "refuse",
                supervisor_id,
                lambda s, c, u: arb.refuse(s, c, u, ground="not_labour_dispute", reason="不属于受理范围"),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcome.values()) == ["conflict", "won"], outcome

    db.session.expire_all()
    case = db.session.get(Case, case_id)
    winner = next(name for name, result in outcome.items() if result == "won")
    kinds = db.session.scalars(sa.select(TimelineEntry.kind).where(TimelineEntry.case_id == case_id)).all()
    assert kinds.count("arbitration.accept") == (winner == "accept")
    assert kinds.count("arbitration.refuse") == (winner == "refuse")
    if winner == "accept":
        assert case.arbitration.state == ArbitrationState.ACCEPTED and case.arbitration.number
    else:
        assert case.arbitration.state == ArbitrationState.REFUSED and case.arbitration.number is None


def test_a_form_opened_before_another_change_is_refused_with_the_input_kept(app, db, org, make_case, login):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.RECEIVED)
    db.session.commit()
    clerk = login(org.user(Role.CLERK))
    opened = step_hidden(clerk.get(f"/cases/{case.id}/arbitration/refuse"))

    # Meanwhile the supervisor asks for corrections.
    arb.request_correction(db.session, case, org.user(Role.SUPERVISOR), note="请补充劳动合同复印件")
    db.session.commit()

    response = clerk.post(f"/cases/{case.id}/arbitration/refuse", data={**opened, "reason": "申请人不适格，不予受理"})
    assert response.status_code == 409
    assert flashes(response) == [
        t(app, ConflictError().message),
        t(app, "The application is waiting for corrected materials."),
    ]
    assert "申请人不适格，不予受理" in response.get_data(as_text=True)
    assert field_errors(response, "reason") == []
    db.session.expire_all()
    assert case.arbitration.state == ArbitrationState.CORRECTION_REQUESTED
    refusals = sa.select(sa.func.count()).select_from(TimelineEntry).where(TimelineEntry.kind == "arbitration.refuse")
    assert db.session.scalar(refusals) == 0
