"""Hand-built rows for the metrics tests: track rows inserted directly, each chosen so that the expected figures
can be worked out by hand (tests/metrics/test_metrics.py)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from disputes.models import (
    Arbitration,
    Award,
    Case,
    Lawsuit,
    LegalAidApplication,
    Mediation,
    Party,
    Role,
    SlaRule,
    SlaTimer,
    Suspension,
)
from disputes.models.case import CaseAssignment
from disputes.models.enums import PartyKind, PartySide

D = date
REGISTERED = date(2026, 1, 5)
STARTED, DUE = date(2026, 6, 1), date(2026, 7, 16)  # a timer's start and deadline unless the row says otherwise


class Rows:
    def __init__(self, session, org):
        self.s, self.org = session, org
        self.n = 0
        self.rule_pk = dict(
            session.execute(sa.select(SlaRule.rule_id, sa.func.max(SlaRule.id)).group_by(SlaRule.rule_id)).all()
        )

    def case(self, unit=None, registered_on=REGISTERED, **kw) -> Case:
        self.n += 1
        case = Case(
            registry_no=f"测〔2026〕第{self.n:05d}号",
            unit_id=(unit or self.org.centre).id,
            registered_on=registered_on,
            cause="拖欠工资",
            **kw,
        )
        self.s.add(case)
        self.s.flush()
        return case

    def arbitration(self, accepted_on, closed_on=None, closure=None, unit=None, arbitrator=None, **kw) -> Arbitration:
        case = self.case(unit=unit, registered_on=min(accepted_on or D(2026, 1, 5), D(2026, 1, 5)))
        state = "closed" if closed_on else ("accepted" if accepted_on else kw.pop("state", "received"))
        row = Arbitration(
            case_id=case.id,
            unit_id=(unit or self.org.arbitration).id,
            number=f"仲{case.id}" if accepted_on else None,
            state=state,
            received_on=(accepted_on or D(2026, 7, 1)) - timedelta(days=3),
            complete_on=(accepted_on or D(2026, 7, 1)) - timedelta(days=3),
            accepted_on=accepted_on,
            closed_on=closed_on,
            closure_type=closure,
            closure_approved_by_id=self.org.user(Role.SUPERVISOR).id if closed_on else None,
            **kw,
        )
        self.s.add(row)
        self.s.flush()
        if arbitrator is not None:
            self.s.add(CaseAssignment(case_id=case.id, user_id=arbitrator.id, role=Role.ARBITRATOR))
        return row

    def mediation(self, state, ended_on=None, unit=None, performance=None, noted_on=None, mediator=None) -> Mediation:
        case = self.case(unit=unit)
        agreement = state == "agreement"
        row = Mediation(
            case_id=case.id,
            unit_id=(unit or self.org.mediation).id,
            state=state,
            applied_on=D(2026, 6, 1),
            accepted_on=D(2026, 6, 2) if state != "applied" else None,
            mediator_id=(mediator or self.org.user(Role.MEDIATOR)).id if state != "applied" else None,
            ended_on=ended_on,
            agreement_signed_on=ended_on if agreement else None,
            performance=(performance or "pending") if agreement else None,
            performance_noted_on=noted_on,
        )
        self.s.add(row)
        self.s.flush()
        return row

    def timer(
        self,
        case_id,
        rule_id,
        status,
        completed_on=None,
        breached_on=None,
        subject_id=None,
        unit=None,
        due_on=DUE,
        started_on=STARTED,
    ):
        paused = status == "paused"
        row = SlaTimer(
            case_id=case_id,
            rule_pk=self.rule_pk[rule_id],
            rule_id=rule_id,
            subject_id=subject_id,
            unit_id=(unit or self.org.arbitration).id,
            status=status,
            started_on=started_on,
            period=45,
            unit="days",
            nominal_on=due_on or DUE,
            due_on=None if paused else due_on,
            paused_since=started_on if paused else None,
            completed_on=completed_on,
            breached_on=breached_on,
        )
        self.s.add(row)
        self.s.flush()
        return row

    def suspension(self, arbitration, started_on, ended_on):
        sup = self.org.user(Role.SUPERVISOR)
        self.s.add(
            Suspension(
                arbitration_id=arbitration.id,
                ground="other",
                reason="等待鉴定",
                requested_on=started_on,
                requested_by_id=self.org.user(Role.ARBITRATOR).id,
                state="approved",
                decided_on=started_on,
                decided_by_id=sup.id,
                started_on=started_on,
                ended_on=ended_on,
            )
        )

    def award(self, arbitration, awarded_on, finality):
        self.s.add(
            Award(
                arbitration_id=arbitration.id,
                finality=finality,
                awarded_on=awarded_on,
                minimum_wage=Decimal("2520.00"),
                issued_by_id=self.org.user(Role.ARBITRATOR).id,
            )
        )

    def party(self, case_id, kind, side=None) -> Party:
        side = side or (PartySide.RESPONDENT if kind == PartyKind.EMPLOYER else PartySide.APPLICANT)
        row = Party(
            case_id=case_id, side=side, kind=kind, name="深圳市宏达电子科技有限公司" if kind == "employer" else "张三"
        )
        self.s.add(row)
        self.s.flush()
        return row

    def lawsuit(self, case_id, filed_on):
        self.s.add(
            Lawsuit(
                case_id=case_id,
                kind="lawsuit",
                state="filed",
                plaintiff="employer",
                court="龙岗区人民法院",
                filed_on=filed_on,
            )
        )

    def legal_aid(self, decided_on, state, unit=None) -> LegalAidApplication:
        case = self.case()
        party = Party(case_id=case.id, side=PartySide.APPLICANT, kind=PartyKind.WORKER, name="张三")
        self.s.add(party)
        self.s.flush()
        row = LegalAidApplication(
            case_id=case.id,
            party_id=party.id,
            unit_id=(unit or self.org.legal_aid).id,
            state=state,
            applied_on=D(2026, 6, 20),
            matter="仲裁代理",
            hardship_waived=True,
            complete_on=D(2026, 6, 20),
            decided_on=decided_on,
            decided_by_id=self.org.user(Role.LEGAL_AID_OFFICER).id,
            decision_reason="不符合经济困难标准" if state == "refused" else None,
        )
        self.s.add(row)
        self.s.flush()
        return row

    def close_case(self, case_id, closed_on):
        self.s.execute(sa.update(Case).where(Case.id == case_id).values(status="closed", closed_on=closed_on))


def build_quarter(session, org) -> dict:
    """The quarter 2026-07-01…09-30; comments give each row's part in the expected figures."""
    r = Rows(session, org)
    arb = org.user(Role.ARBITRATOR)
    a = {}
    a[1] = r.arbitration(D(2026, 6, 10), arbitrator=arb)  # pending at start and at end
    a[2] = r.arbitration(D(2026, 6, 20), D(2026, 7, 15), "award", arbitrator=arb)  # pending at start, closed: 25 days
    a[3] = r.arbitration(D(2026, 7, 1), D(2026, 9, 30), "mediation_statement")  # both boundaries: 91 − 20 = 71 days
    a[4] = r.arbitration(D(2026, 8, 1), D(2026, 10, 1), "withdrawn")  # accepted, pending at end
    a[5] = r.arbitration(D(2026, 9, 30), None)  # accepted on the last day
    a[6] = r.arbitration(D(2026, 5, 1), D(2026, 6, 30), "award")  # closed the day before: nowhere
    a[7] = r.arbitration(D(2026, 10, 1), None)  # accepted the day after: nowhere
    a[8] = r.arbitration(None, None, state="refused", refused_on=D(2026, 7, 2), refusal_reason="不属于受理范围")
    a[9] = r.arbitration(D(2026, 7, 10), D(2026, 8, 10), "award")  # 31 days, sued on 08-20
    a[10] = r.arbitration(D(2026, 7, 5), D(2026, 7, 20), "withdrawn")  # 15 days, no timer
    r.suspension(a[3], D(2026, 8, 1), D(2026, 8, 21))
    r.award(a[2], D(2026, 7, 15), "final")
    r.award(a[9], D(2026, 8, 10), "non_final")
    r.award(a[6], D(2026, 6, 30), "final")  # before the period
    r.lawsuit(a[9].case_id, D(2026, 8, 20))
    r.lawsuit(a[3].case_id, D(2026, 11, 25))  # after the as-of date: not yet sued
    # Award deadlines: acceptance + 45 days (a3: + 20 days suspended, so due 09-19), all inside the quarter.
    r.timer(a[2].case_id, "arbitration.award", "met", completed_on=D(2026, 7, 15), due_on=D(2026, 8, 4))
    r.timer(
        a[3].case_id,
        "arbitration.award",
        "met_late",
        completed_on=D(2026, 9, 30),
        breached_on=D(2026, 9, 20),
        due_on=D(2026, 9, 19),
    )
    r.timer(a[9].case_id, "arbitration.award", "met", completed_on=D(2026, 8, 10), due_on=D(2026, 8, 24))
    r.timer(a[1].case_id, "arbitration.hearing_notice", "breached", breached_on=D(2026, 6, 25))  # before
    r.timer(a[4].case_id, "arbitration.hearing_notice", "breached", breached_on=D(2026, 8, 15))
    m = {}
    m[1] = r.mediation("agreement", D(2026, 7, 10), performance="performed", noted_on=D(2026, 8, 1))
    m[2] = r.mediation("agreement", D(2026, 8, 5), unit=org.street_mediation)
    m[3] = r.mediation("failed", D(2026, 9, 1))
    m[4] = r.mediation("withdrawn", D(2026, 9, 15))
    m[5] = r.mediation("lapsed", D(2026, 7, 20))
    m[6] = r.mediation("agreement", D(2026, 6, 30), performance="performed")  # before
    m[7] = r.mediation("applied")
    la1 = r.legal_aid(D(2026, 7, 3), "granted")
    la2 = r.legal_aid(D(2026, 8, 1), "refused")
    r.legal_aid(D(2026, 10, 2), "granted")  # after
    r.timer(la1.case_id, "legal_aid.decide", "met", completed_on=D(2026, 7, 3), subject_id=la1.id, unit=org.legal_aid)
    r.timer(
        la2.case_id,
        "legal_aid.decide",
        "met_late",
        completed_on=D(2026, 8, 1),
        breached_on=D(2026, 7, 28),
        subject_id=la2.id,
        unit=org.legal_aid,
    )
    for case_id, day in (
        (a[2].case_id, D(2026, 7, 15)),
        (a[3].case_id, D(2026, 9, 30)),
        (a[9].case_id, D(2026, 8, 10)),
        (a[10].case_id, D(2026, 7, 20)),
        (m[1].case_id, D(2026, 7, 10)),
        (m[6].case_id, D(2026, 6, 30)),
    ):
        r.close_case(case_id, day)
    session.commit()
    return {"a": a, "m": m}
