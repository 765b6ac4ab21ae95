"""The demo's transfers, court delegations and linked groups (issue 16).

- An arbitration of the district commission transferred to the city's (移送管辖) and accepted there, its award
  period restarted from the day of receipt (Rules Art 46 (5)); another waiting in the city's queue.
- A mediation of the district committee sent to Buji's street committee, returned with a reason, asked again: it
  waits in Buji's queue ("transfers awaiting acceptance").
- A court's entrusted mediation (委托调解) registered with the court's reference.
- The open wage-arrears cases against one employer linked as a group.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock, policy
from disputes.demo.centre import Centre
from disputes.i18n import DomainError
from disputes.models import (
    Arbitration,
    Case,
    Claim,
    ClaimCategory,
    DelegationKind,
    LinkKind,
    Mediation,
    Party,
    PartyKind,
    PartySide,
)
from disputes.workflow import links, transfers
from disputes.workflow.states import ArbitrationState, CaseStatus, MediationState

TO_CITY = "集体争议涉及人数众多、影响较大，依规定由市仲裁委管辖，移送处理"
TO_STREET = "双方当事人均在布吉街道，便于就地调解"
RETURNED = "移送材料缺少用工地证明，请补充后再移送"
AGAIN = "已补充用工地证明（布吉街道吉华路厂区）"


def _at(days_ago: int, hour: int = 10) -> datetime:
    day = clock.today_local() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour), clock.LOCAL_TZ).astimezone(UTC)


def _savepoint(session: Session, step) -> bool:
    savepoint = session.begin_nested()
    try:
        step()
    except DomainError:
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


def _arbitration_to_city(session: Session, centre: Centre) -> None:
    director, city = centre.users["director"], centre.users["citysupervisor"]
    candidates = session.scalars(
        sa.select(Case)
        .join(Arbitration, Arbitration.case_id == Case.id)
        .where(
            Arbitration.unit_id == centre.units["LGA"].id,
            Arbitration.state.in_((ArbitrationState.SERVED, ArbitrationState.TRIBUNAL_FORMED)),
            Arbitration.accepted_on <= clock.today_local() - timedelta(days=6),
        )
        .order_by(Arbitration.accepted_on.desc(), Case.id)
        .limit(10)
    ).all()

    def move(case: Case) -> None:
        with clock.frozen(_at(4)):
            transfer = transfers.request(session, case, director, "arbitration", centre.units["SZA"], TO_CITY)
        with clock.frozen(_at(2, 15)):
            transfers.accept(session, transfer, city, received_on=clock.today_local() - timedelta(days=1))

    moved = next((c for c in candidates if _savepoint(session, lambda case=c: move(case))), None)
    # A second one waits in the city's queue (the city supervisor's work).
    for case in candidates:
        if case is not moved and _savepoint(
            session,
            lambda case=case: transfers.request(session, case, director, "arbitration", centre.units["SZA"], TO_CITY),
        ):
            return


def _mediation_to_street(session: Session, centre: Centre) -> None:
    supervisor, street = centre.users["supervisor"], centre.users["bjmediator"]
    candidates = session.scalars(
        sa.select(Case)
        .join(Mediation, Mediation.case_id == Case.id)
        .where(Mediation.unit_id == centre.units["LGM"].id, Mediation.state == MediationState.ACCEPTED)
        .order_by(Mediation.accepted_on.desc(), Case.id)
        .limit(10)
    ).all()

    def out_and_back(case: Case) -> None:
        with clock.frozen(_at(3)):
            first = transfers.request(session, case, supervisor, "mediation", centre.units["BJM"], TO_STREET)
        with clock.frozen(_at(2)):
            transfers.return_transfer(session, first, street, RETURNED)
        with clock.frozen(_at(0, 9)):
            transfers.request(session, case, supervisor, "mediation", centre.units["BJM"], AGAIN)

    for case in candidates:
        if _savepoint(session, lambda case=case: out_and_back(case)):
            return


def _court_delegation(session: Session, centre: Centre) -> None:
    supervisor = centre.users["supervisor"]
    case = session.scalar(
        sa.select(Case)
        .join(Mediation, Mediation.case_id == Case.id)
        .where(Mediation.unit_id == centre.units["LGM"].id, Mediation.state == MediationState.IN_SESSION)
        .order_by(Mediation.accepted_on.desc(), Case.id)
        .limit(1)
    )
    if case is None:
        return
    _savepoint(
        session,
        lambda: transfers.record_delegation(
            session,
            case,
            supervisor,
            kind=DelegationKind.ENTRUSTED,
            court="深圳市龙岗区人民法院",
            court_reference=f"（{clock.today_local().year}）粤0307民初{4000 + case.id}号",
            received_on=case.mediation.accepted_on,
        ),
    )


def _wage_group(session: Session, centre: Centre) -> None:
    """The employer with the most open wage cases: its cases linked (up to six)."""
    clerk = centre.users["clerk"]
    employer = (
        sa.select(Party.case_id, Party.name)
        .join(Case, Case.id == Party.case_id)
        .where(
            Party.kind == PartyKind.EMPLOYER,
            Party.side == PartySide.RESPONDENT,
            Case.status == CaseStatus.OPEN,
            Case.id.in_(sa.select(Claim.case_id).where(Claim.category == ClaimCategory.WAGES)),
        )
        .subquery()
    )
    names = session.execute(
        sa.select(employer.c.name)
        .group_by(employer.c.name)
        .having(sa.func.count() > 2)
        .order_by(sa.func.count().desc())
    ).scalars()
    for name in names.all():
        ids = session.scalars(sa.select(employer.c.case_id).where(employer.c.name == name).order_by(employer.c.case_id))
        cases = [c for c in (session.get(Case, i) for i in ids.all()) if policy.can_view_case(clerk, c)][:6]
        if len(cases) < 3:
            continue  # the centre's clerk links what the centre reads
        _link_all(session, clerk, cases)
        return


def _link_all(session: Session, clerk, cases: list[Case]) -> None:
    for other in cases[1:]:
        _savepoint(session, lambda other=other: links.link(session, clerk, cases[0], other, LinkKind.SAME_EMPLOYER))


def demo_transfers(session: Session, centre: Centre) -> None:
    _arbitration_to_city(session, centre)
    _mediation_to_street(session, centre)
    _court_delegation(session, centre)
    _wage_group(session, centre)
    session.flush()
