"""Drive a case through the domain operations to any state of any track, advancing the frozen clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from disputes import clock
from disputes.models import HearingRoom, Role
from disputes.workflow import arbitration as arb
from disputes.workflow import awards, hearings, legal_aid, litigation, mediation
from disputes.workflow.states import (
    ArbitrationState,
    ClosureType,
    CourtOutcome,
    CourtProcedure,
    LawsuitState,
    LegalAidState,
    Litigant,
    MediationState,
    SessionOutcome,
    TribunalKind,
)


class Driver:
    def __init__(self, session, org, case):
        self.session, self.org, self.case = session, org, case

    def user(self, role: Role):
        return self.org.user(role)

    def later(self, days: int = 0, hours: int = 0) -> None:
        clock.freeze(clock.now_utc() + timedelta(days=days, hours=hours))

    def today(self) -> date:
        return clock.today_local()

    # mediation ---------------------------------------------------------------
    def mediation(self, state: MediationState):
        s, case, sup = self.session, self.case, self.user(Role.SUPERVISOR)
        mediation.open_mediation(s, case, self.user(Role.CLERK), unit_id=self.org.mediation.id, applied_on=self.today())
        if state == MediationState.APPLIED:
            return case.mediation
        if state == MediationState.WITHDRAWN:
            mediation.withdraw_mediation(s, case, sup, reason="申请人撤回")
            return case.mediation
        if state == MediationState.LAPSED:
            self.later(days=18)  # past the 15 days' deadline (from 20 November: Saturday 5 December → the 7th)
            mediation.lapse_mediation(s, case, sup)
            return case.mediation
        mediation.accept_mediation(s, case, sup, mediator_id=self.user(Role.MEDIATOR).id)
        if state == MediationState.ACCEPTED:
            return case.mediation
        mediator = self.user(Role.MEDIATOR)
        mediation.log_session(
            s,
            case,
            mediator,
            mediation.SessionInput(
                held_at=clock.now_utc(),
                attendees="张三；宏达公司人事经理",
                summary="双方陈述",
                outcome=SessionOutcome.CONTINUE,
                place="调解室一",
            ),
        )
        if state == MediationState.IN_SESSION:
            return case.mediation
        if state == MediationState.FAILED:
            mediation.fail_mediation(s, case, mediator, reason="双方分歧较大")
            return case.mediation
        claim = case.claims[0]
        mediation.record_agreement(
            s,
            case,
            mediator,
            signed_on=self.today(),
            terms=[mediation.TermInput(description="支付拖欠工资", amount=Decimal("10000.00"), claim_id=claim.id)],
            instalments=[
                mediation.InstalmentInput(due_on=self.today() + timedelta(days=10), amount=Decimal("10000.00"))
            ],
        )
        return case.mediation

    # legal aid ---------------------------------------------------------------
    def legal_aid(self, state: LegalAidState):
        s, case, officer = self.session, self.case, self.user(Role.LEGAL_AID_OFFICER)
        worker = case.applicants[0]
        app = legal_aid.apply_for_legal_aid(
            s,
            case,
            self.user(Role.CLERK),
            party_id=worker.id,
            unit_id=self.org.legal_aid.id,
            matter="追索劳动报酬",
            hardship_statement="无固定收入",
        )
        if state == LegalAidState.APPLIED:
            return app
        if state == LegalAidState.MATERIALS_REQUESTED:
            return legal_aid.request_materials(s, case, officer, app, note="补交收入证明")
        if state in (LegalAidState.REFUSED, LegalAidState.OBJECTION, LegalAidState.REFUSAL_UPHELD):
            legal_aid.refuse(s, case, officer, app, reason="不符合经济困难标准")
            if state == LegalAidState.REFUSED:
                return app
            legal_aid.lodge_objection(s, case, officer, app, reason="申请人对决定有异议")
            if state == LegalAidState.OBJECTION:
                return app
            return legal_aid.decide_objection(s, case, officer, app, overturned=False)
        legal_aid.grant(s, case, officer, app)
        if state == LegalAidState.GRANTED:
            return app
        legal_aid.assign_lawyer(
            s, case, officer, app, lawyer_id=self.user(Role.LAWYER).id, law_firm="广东鹏城律师事务所"
        )
        if state == LegalAidState.ASSIGNED:
            return app
        from disputes.workflow.states import LegalAidClosure

        return legal_aid.close_legal_aid(s, case, officer, app, closure=LegalAidClosure.COMPLETED)

    # arbitration -------------------------------------------------------------
    def room(self) -> HearingRoom:
        room = self.session.query(HearingRoom).filter_by(unit_id=self.org.arbitration.id).first()
        if room is None:
            room = HearingRoom(unit_id=self.org.arbitration.id, name="第一仲裁庭")
            self.session.add(room)
            self.session.flush()
        return room

    def arbitration(self, state: ArbitrationState, closure: ClosureType = ClosureType.AWARD):
        s, case = self.session, self.case
        clerk, sup, arbitrator = self.user(Role.CLERK), self.user(Role.SUPERVISOR), self.user(Role.ARBITRATOR)
        arb.receive_application(s, case, clerk, unit_id=self.org.arbitration.id, received_on=self.today())
        if state == ArbitrationState.RECEIVED:
            return case.arbitration
        if state == ArbitrationState.CORRECTION_REQUESTED:
            return arb.request_correction(s, case, clerk, note="请补充证据目录")
        if state == ArbitrationState.REFUSED:
            return arb.refuse(s, case, clerk, ground="not_labour_dispute", reason="不属于劳动争议受理范围")
        arb.accept(s, case, clerk)
        if state == ArbitrationState.ACCEPTED:
            return case.arbitration
        self.later(days=1)
        arb.serve_respondent(s, case, clerk, served_on=self.today())
        if state == ArbitrationState.SERVED:
            return case.arbitration
        kind = TribunalKind.THREE_MEMBER if case.collective else TribunalKind.SOLE
        ids = [arbitrator.id] if kind == TribunalKind.SOLE else self.three_arbitrators()
        arb.form_tribunal(s, case, clerk, kind=kind, arbitrator_ids=ids)
        if state == ArbitrationState.TRIBUNAL_FORMED:
            return case.arbitration
        starts = clock.now_utc().replace(minute=0, second=0, microsecond=0) + timedelta(days=7)
        hearing = hearings.schedule_hearing(
            s, case, clerk, starts_at=starts, ends_at=starts + timedelta(hours=2), room_id=self.room().id
        )
        clock.freeze(starts + timedelta(hours=3))
        hearings.hold_hearing(
            s,
            case,
            arbitrator,
            hearing_id=hearing.id,
            applicant_attended=True,
            respondent_attended=True,
            record="当庭质证",
        )
        if state == ArbitrationState.HEARD:
            return case.arbitration
        self.request_closure(closure)
        if state == ArbitrationState.CLOSING:
            return case.arbitration
        return arb.approve_closure(s, case, sup)

    def three_arbitrators(self) -> list[int]:
        from disputes import organisation

        extra = [
            organisation.add_user(
                self.session, f"arb{i}", f"仲裁员{i}", [Role.ARBITRATOR], self.org.arbitration, "correct-horse-42"
            )
            for i in (2, 3)
        ]
        return [self.user(Role.ARBITRATOR).id, *[u.id for u in extra]]

    def request_closure(self, closure: ClosureType, amounts=None):
        s, case, arbitrator = self.session, self.case, self.user(Role.ARBITRATOR)
        if closure == ClosureType.AWARD:
            items = [
                awards.ItemInput(claim_id=c.id, amount=(amounts or {}).get(c.id, c.amount), text="支持")
                for c in case.claims
            ]
            awards.record_award(s, case, arbitrator, items=items)
        note = (
            ""
            if closure == ClosureType.AWARD
            else "双方达成一致"
            if closure == ClosureType.MEDIATION_STATEMENT
            else "申请人撤回仲裁申请"
        )
        return arb.request_closure(s, case, arbitrator, closure_type=closure, note=note)

    # litigation --------------------------------------------------------------
    def lawsuit(self, state: LawsuitState):
        s, case, liaison = self.session, self.case, self.user(Role.COURT_LIAISON)
        arbitration = case.arbitration or self.arbitration(ArbitrationState.CLOSED)
        if arbitration.state != ArbitrationState.CLOSED:
            raise AssertionError("drive the arbitration to closed first")
        self.later(days=1)
        award = arbitration.awards[-1]
        if state in (LawsuitState.REVOCATION_APPLIED, LawsuitState.UPHELD, LawsuitState.REVOKED):
            suit = litigation.apply_revocation(s, case, liaison, court="深圳市中级人民法院", filed_on=self.today())
            if state == LawsuitState.REVOCATION_APPLIED:
                return suit
            return litigation.decide_revocation(
                s, case, liaison, suit, revoked=state == LawsuitState.REVOKED, decided_on=self.today()
            )
        suit = litigation.file_lawsuit(
            s,
            case,
            liaison,
            plaintiff=Litigant.WORKER,
            court="深圳市龙岗区人民法院",
            filed_on=self.today(),
            award_id=award.id,
        )
        if state == LawsuitState.FILED:
            return suit
        litigation.docket(
            s,
            case,
            liaison,
            suit,
            court_case_no="（2026）粤0307民初1号",
            docketed_on=self.today(),
            procedure=CourtProcedure.SIMPLIFIED,
        )
        if state == LawsuitState.FIRST_INSTANCE:
            return suit
        litigation.judge(s, case, liaison, suit, outcome=CourtOutcome.JUDGMENT, judged_on=self.today())
        if state == LawsuitState.JUDGED:
            return suit
        if state == LawsuitState.CLOSED:
            return litigation.close_lawsuit(s, case, liaison, suit)
        litigation.appeal(s, case, liaison, suit, appellant=Litigant.EMPLOYER, appealed_on=self.today())
        if state == LawsuitState.APPEAL:
            return suit
        return litigation.second_instance(s, case, liaison, suit, appeal_case_no="（2026）粤03民终1号")


def at_local(day: date, hour: int) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo("Asia/Shanghai"))
