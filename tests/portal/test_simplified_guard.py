"""Simplified procedure: an unconfirmed electronic hearing notice supports no default award (Rules Art 56–61)."""

from datetime import timedelta

import pytest

from disputes import clock
from disputes.i18n import DomainError
from disputes.models import HearingRoom, PartyKind, PartySide, Role
from disputes.portal import eservice
from disputes.workflow import arbitration as arb
from disputes.workflow import awards, hearings
from disputes.workflow.intake import PartyInput
from disputes.workflow.states import ArbitrationState, ClosureType
from tests.conftest import EMPLOYER_CODE, WORKER_ID
from tests.drive import Driver
from tests.issued import fake_issue


def _heard_without_respondent(db, org, make_case, simplified: bool):
    case = make_case(
        parties=[
            PartyInput(PartySide.APPLICANT, PartyKind.WORKER, "张三", id_number=WORKER_ID, phone="13800138000"),
            PartyInput(
                PartySide.RESPONDENT, PartyKind.EMPLOYER, "宏达公司", credit_code=EMPLOYER_CODE, phone="13900139000"
            ),
        ]
    )
    Driver(db.session, org, case).arbitration(ArbitrationState.TRIBUNAL_FORMED)
    case.arbitration.simplified = simplified
    room = HearingRoom(unit_id=org.arbitration.id, name="第一仲裁庭")
    db.session.add(room)
    db.session.flush()
    starts = clock.now_utc().replace(minute=0, second=0, microsecond=0) + timedelta(days=7)
    clerk, arbitrator = org.user(Role.CLERK), org.user(Role.ARBITRATOR)
    hearing = hearings.schedule_hearing(
        db.session, case, clerk, starts_at=starts, ends_at=starts + timedelta(hours=2), room_id=room.id
    )
    notice = fake_issue(db.session, case, "arb_hearing_notice", unit=org.arbitration)
    respondent = case.respondents[0]
    eservice.sign_consent(db.session, respondent, "13900139000", via="portal")
    eservice.send(db.session, clerk, notice, respondent, link_for=None, awards_allowed=False)
    clock.freeze(starts + timedelta(hours=3))
    hearings.hold_hearing(
        db.session,
        case,
        arbitrator,
        hearing_id=hearing.id,
        applicant_attended=True,
        respondent_attended=False,
        record="被申请人未到庭",
    )
    items = [awards.ItemInput(claim_id=c.id, amount=c.amount, text="支持") for c in case.claims]
    awards.record_award(db.session, case, arbitrator, items=items)
    return case, arbitrator


def test_default_award_refused_on_an_unopened_electronic_notice(db, org, make_case):
    case, arbitrator = _heard_without_respondent(db, org, make_case, simplified=True)
    with pytest.raises(DomainError, match="never confirmed"):
        arb.request_closure(db.session, case, arbitrator, closure_type=ClosureType.AWARD)


def test_ordinary_procedure_is_not_concerned(db, org, make_case):
    case, arbitrator = _heard_without_respondent(db, org, make_case, simplified=False)
    assert arb.request_closure(db.session, case, arbitrator, closure_type=ClosureType.AWARD)
