"""Service of documents (送达): recording it takes the workflow step it stands for, which moves the timers;
public notices become served 30 days after publication; the proof of service renders in both languages."""

import io
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfReader

from disputes import clock
from disputes.documents import catalogue, compose, render
from disputes.documents.service import ServiceInput, deem_public_notices, record_service
from disputes.i18n import DomainError
from disputes.models import DocumentService, Role, ServiceMethod, SlaTimer, TimelineEntry
from disputes.sla.states import TimerStatus
from disputes.workflow import hearings
from disputes.workflow.states import ArbitrationState
from tests.documents_fixtures import accepted_case
from tests.drive import Driver, at_local
from tests.issued import fake_issue
from tests.pages import step_hidden


def timers(case, rule_id):
    return [t for t in case.timers if t.rule_id == rule_id]


def in_person(when: datetime, signer: str = "李四", **extra) -> ServiceInput:
    return ServiceInput(
        method=ServiceMethod.IN_PERSON, served_at=when, place="仲裁院立案窗口", recipient=signer, **extra
    )


@pytest.fixture
def accepted(db, org, make_case):
    return accepted_case(db, org, make_case)


def test_serving_the_respondent_notice_starts_the_defence_period(db, org, accepted):
    case, clerk = accepted, org.user(Role.CLERK)
    notice = fake_issue(db.session, case, "arb_respondent_notice", number="深龙劳人仲案字〔2026〕第1号")
    clock.freeze(clock.now_utc() + timedelta(days=2))
    served_at = at_local(date(2026, 11, 22), 9)
    service = record_service(db.session, case, clerk, notice, case.respondents[0], in_person(served_at))
    db.session.commit()
    assert service.event == "arbitration.serve_respondent"
    assert case.arbitration.state == ArbitrationState.SERVED
    assert case.arbitration.served_on == date(2026, 11, 22)
    [defence] = timers(case, "arbitration.defence")
    assert (defence.status, defence.started_on) == (TimerStatus.RUNNING, date(2026, 11, 22))
    assert defence.nominal_on == date(2026, 12, 2)  # 10 days, the start day not counted
    [serve] = timers(case, "arbitration.serve_respondent")
    assert serve.status == TimerStatus.MET
    kinds = [e.kind for e in db.session.query(TimelineEntry).filter_by(case_id=case.id)]
    assert "document_served" in kinds and "arbitration.serve_respondent" in kinds


def test_serving_the_applicant_alone_takes_no_step(db, org, accepted):
    case = accepted
    notice = fake_issue(db.session, case, "arb_respondent_notice")
    service = record_service(
        db.session, case, org.user(Role.CLERK), notice, case.applicants[0], in_person(clock.now_utc())
    )
    assert service.event is None
    assert case.arbitration.state == ArbitrationState.ACCEPTED
    assert timers(case, "arbitration.defence") == []


def test_a_step_taken_by_hand_is_not_taken_again(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.SERVED)
    notice = fake_issue(db.session, case, "arb_respondent_notice")
    service = record_service(
        db.session, case, org.user(Role.CLERK), notice, case.respondents[0], in_person(clock.now_utc())
    )
    assert service.event is None
    assert len(timers(case, "arbitration.defence")) == 1


def test_hearing_notice_served_on_every_party_completes_its_timer(db, org, make_case):
    case = make_case()
    driver = Driver(db.session, org, case)
    driver.arbitration(ArbitrationState.TRIBUNAL_FORMED)
    starts = at_local(date(2026, 12, 8), 9)
    hearing = hearings.schedule_hearing(
        db.session,
        case,
        org.user(Role.CLERK),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        room_id=driver.room().id,
    )
    notice = fake_issue(db.session, case, "arb_hearing_notice", str(hearing.id))
    clerk = org.user(Role.CLERK)
    first = record_service(db.session, case, clerk, notice, case.applicants[0], in_person(clock.now_utc()))
    assert first.event is None and hearing.notice_served_on is None
    post = ServiceInput(method=ServiceMethod.POST, served_at=clock.now_utc(), tracking_number="EMS1234567890")
    second = record_service(db.session, case, clerk, notice, case.respondents[0], post)
    assert second.event == "arbitration.hearing_notice"
    assert hearing.notice_served_on == clock.today_local()
    [timer] = timers(case, "arbitration.hearing_notice")
    assert timer.status == TimerStatus.MET


def test_serving_the_award_starts_the_right_to_sue_timers(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.CLOSED)
    award = fake_issue(db.session, case, "arb_award", number="深龙劳人仲案字〔2026〕第1号")
    clerk = org.user(Role.CLERK)
    for party in case.parties:
        record_service(db.session, case, clerk, award, party, in_person(clock.now_utc()))
    db.session.commit()
    assert all(a.served_on == clock.today_local() for a in case.arbitration.awards)
    started = {t.rule_id for t in case.timers if t.rule_id.startswith("litigation.")}
    assert started and started <= {
        "litigation.worker_sue_final",
        "litigation.employer_revoke",
        "litigation.sue_nonfinal",
    }
    assert all(t.started_on == clock.today_local() for t in case.timers if t.rule_id in started)
    # Each party's own periods (Law Art 48–50): the timer's subject is the party.
    assert {t.subject_id for t in case.timers if t.rule_id in started} == {p.id for p in case.parties}


def test_public_notice_is_deemed_served_after_30_days_by_the_cli(db, org, accepted, runner):
    case = accepted
    notice = fake_issue(db.session, case, "arb_respondent_notice")
    published = ServiceInput(
        method=ServiceMethod.PUBLIC_NOTICE, published_on=clock.today_local(), publication="《人民法院报》"
    )
    service = record_service(db.session, case, org.user(Role.CLERK), notice, case.respondents[0], published)
    db.session.commit()
    assert service.pending and case.arbitration.served_on is None
    clock.freeze(clock.now_utc() + timedelta(days=29))
    result = runner.invoke(args=["archive", "public-notices"])
    assert result.exit_code == 0, result.output
    assert "0 public notice(s)" in result.output
    clock.freeze(clock.now_utc() + timedelta(days=1))
    result = runner.invoke(args=["archive", "public-notices"])
    assert "1 public notice(s)" in result.output, result.output
    db.session.expire_all()
    service = db.session.get(DocumentService, service.id)
    deemed = date(2026, 11, 20) + timedelta(days=30)
    assert clock.to_local(service.served_at).date() == deemed
    assert service.event == "arbitration.serve_respondent"
    assert service.case.arbitration.served_on == deemed
    [defence] = timers(service.case, "arbitration.defence")
    assert defence.started_on == deemed
    assert "0 public notice(s)" in runner.invoke(args=["archive", "public-notices"]).output  # idempotent


def test_a_public_notice_published_long_ago_is_served_at_once(db, org, accepted):
    case = accepted
    notice = fake_issue(db.session, case, "arb_respondent_notice")
    clock.freeze(clock.now_utc() + timedelta(days=40))
    published = ServiceInput(method=ServiceMethod.PUBLIC_NOTICE, published_on=date(2026, 11, 21), publication="公告栏")
    service = record_service(db.session, case, org.user(Role.CLERK), notice, case.respondents[0], published)
    assert clock.to_local(service.served_at).date() == date(2026, 12, 21)
    assert deem_public_notices(db.session) == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            ServiceInput(method=ServiceMethod.POST, served_at=datetime(2026, 11, 20, 1, tzinfo=clock.LOCAL_TZ)),
            "served_at",
        ),  # before the document was issued
        (ServiceInput(method=ServiceMethod.POST, served_at=None), "served_at"),
        (ServiceInput(method=ServiceMethod.POST, served_at=at_local(date(2026, 11, 20), 9)), "tracking_number"),
        (ServiceInput(method=ServiceMethod.ELECTRONIC, served_at=at_local(date(2026, 11, 20), 9)), "address"),
        (ServiceInput(method=ServiceMethod.IN_PERSON, served_at=at_local(date(2026, 11, 20), 9)), "recipient"),
        (
            ServiceInput(method=ServiceMethod.PUBLIC_NOTICE, published_on=date(2026, 11, 21), publication="x"),
            "published_on",
        ),  # in the future
    ],
)
def test_incomplete_service_is_refused(db, org, accepted, data, field):
    notice = fake_issue(db.session, accepted, "arb_respondent_notice")
    notice.issued_at = at_local(date(2026, 11, 20), 8)
    with pytest.raises(DomainError) as refused:
        record_service(db.session, accepted, org.user(Role.CLERK), notice, accepted.respondents[0], data)
    assert refused.value.field == field


def test_the_same_document_is_served_once_per_party_and_only_by_staff(db, org, accepted):
    notice = fake_issue(db.session, accepted, "arb_respondent_notice")
    party = accepted.applicants[0]
    record_service(db.session, accepted, org.user(Role.CLERK), notice, party, in_person(clock.now_utc()))
    with pytest.raises(DomainError):
        record_service(db.session, accepted, org.user(Role.CLERK), notice, party, in_person(clock.now_utc()))
    with pytest.raises(DomainError):
        record_service(
            db.session, accepted, org.user(Role.LAWYER), notice, accepted.respondents[0], in_person(clock.now_utc())
        )


def receipt_text(db, case, service, lang) -> str:
    kind = catalogue.kind("arb_service_receipt")
    subject = compose.find_subject(db.session, case, kind, str(service.id))
    html = render.render_html(kind.template_name, compose.context(db.session, case, kind, subject), lang)
    pdf = render.html_to_pdf(html)
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_receipt_renders_in_chinese_and_english_with_recipient_and_time(db, org, accepted):
    case = accepted
    notice = fake_issue(db.session, case, "arb_respondent_notice", number="深龙劳人仲案字〔2026〕第7号")
    clock.freeze(clock.now_utc() + timedelta(days=1))
    service = record_service(
        db.session,
        case,
        org.user(Role.CLERK),
        notice,
        case.respondents[0],
        in_person(at_local(date(2026, 11, 21), 9).replace(minute=30), signer="王五"),
    )
    zh = receipt_text(db, case, service, "zh_CN").replace(" ", "").replace("\n", "")
    assert "深圳市宏达电子科技有限公司" in zh and "王五" in zh
    assert "2026年11月21日9时30分" in zh
    assert "深龙劳人仲案字〔2026〕第7号" in zh
    en = receipt_text(db, case, service, "en")
    assert "21 November 2026, 09:30" in en
    assert "Proof of service" in en and "Serving officer" in en


def test_the_service_page_records_a_service(db, org, accepted, login):
    case = accepted
    notice = fake_issue(db.session, case, "arb_respondent_notice")
    db.session.commit()
    clock.freeze(clock.now_utc() + timedelta(days=1))
    client = login(org.user(Role.CLERK))
    page = client.get(f"/cases/{case.id}/service")
    assert page.status_code == 200
    data = {
        "document_id": notice.id,
        "party_id": case.respondents[0].id,
        "method": "post",
        "served_at": "2026-11-21T09:15",
        "tracking_number": "EMS9876543210",
        "officer_id": org.user(Role.CLERK).id,
    }
    response = client.post(f"/cases/{case.id}/service", data={**step_hidden(page), **data})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    [service] = db.session.query(DocumentService).all()
    assert service.tracking_number == "EMS9876543210"
    assert clock.to_local(service.served_at).hour == 9
    receipt = client.get(f"/cases/{case.id}/service/{service.id}/receipt.pdf?lang=en")
    assert receipt.mimetype == "application/pdf" and receipt.data.startswith(b"%PDF")
    again = client.post(
        f"/cases/{case.id}/service", data={**step_hidden(client.get(f"/cases/{case.id}/service")), **data}
    )
    assert again.status_code == 400
    assert db.session.query(SlaTimer).filter_by(case_id=case.id, rule_id="arbitration.defence").count() == 1


def test_the_receipt_is_issued_and_filed_like_any_document(db, org, accepted):
    from disputes.documents import case_file
    from disputes.documents import issue as issuing

    case, clerk = accepted, org.user(Role.CLERK)
    acceptance = issuing.issue(db.session, case, "arb_acceptance", "", clerk)
    service = record_service(db.session, case, clerk, acceptance, case.applicants[0], in_person(clock.now_utc()))
    receipt = issuing.issue(db.session, case, "arb_service_receipt", str(service.id), clerk)
    assert receipt.number is None and receipt.page_count == 1
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(receipt.pdf)).pages).replace(" ", "")
    assert "李四" in text and acceptance.number in text
    assert case_file.documents(db.session, case) == [acceptance, receipt]


def test_a_collective_side_is_served_through_its_representatives(db, org, make_case):
    from disputes.models import Party, PartyKind, PartySide

    case = make_case()
    case.parties[0].is_representative = True
    case.parties.append(Party(side=PartySide.APPLICANT, kind=PartyKind.WORKER, name="赵六", position=5))
    case.parties.append(Party(side=PartySide.APPLICANT, kind=PartyKind.AGENT, name="律师甲", position=6))
    db.session.commit()
    driver = Driver(db.session, org, case)
    driver.arbitration(ArbitrationState.TRIBUNAL_FORMED)
    notice = fake_issue(db.session, case, "arb_tribunal_notice")
    clerk = org.user(Role.CLERK)
    representative, respondent = case.parties[0], case.respondents[0]
    assert record_service(db.session, case, clerk, notice, representative, in_person(clock.now_utc())).event is None
    last = record_service(db.session, case, clerk, notice, respondent, in_person(clock.now_utc()))
    assert last.event == "arbitration.tribunal_notice"
    assert case.arbitration.tribunal_notified_on == clock.today_local()


def test_each_document_of_a_mixed_award_is_served_party_by_party(db, org, make_case):
    """Issue 12: each half of a mixed award starts each party's periods of its kind when it reaches that party (it
    used to wait until both documents had reached everyone, and start everyone's periods on the last day)."""
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.CLOSED)
    final = fake_issue(db.session, case, "arb_award", "final", number="之一")
    non_final = fake_issue(db.session, case, "arb_award", "non_final", number="之二")
    clerk = org.user(Role.CLERK)
    for party in case.parties:
        assert (
            record_service(db.session, case, clerk, final, party, in_person(clock.now_utc())).event
            == "arbitration.serve_award"
        )
    clock.freeze(clock.now_utc() + timedelta(days=1))
    events = [
        record_service(db.session, case, clerk, non_final, party, in_person(clock.now_utc())).event
        for party in case.parties
    ]
    assert events == [None, None]  # the case's award is final only: the non-final document names no award
    assert all(a.served_on == clock.today_local() - timedelta(days=1) for a in case.arbitration.awards)


def test_a_partial_award_served_before_closure_takes_no_step(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.HEARD)
    partial = fake_issue(db.session, case, "arb_award", "partial")
    clerk = org.user(Role.CLERK)
    assert [
        record_service(db.session, case, clerk, partial, p, in_person(clock.now_utc())).event for p in case.parties
    ] == [None, None]


def test_a_notice_deemed_served_while_the_case_is_suspended_leaves_the_step_to_be_taken(db, org, accepted, runner):
    from disputes.workflow import interruptions
    from disputes.workflow.states import SuspensionGround

    case = accepted
    notice = fake_issue(db.session, case, "arb_respondent_notice")
    published = ServiceInput(method=ServiceMethod.PUBLIC_NOTICE, published_on=clock.today_local(), publication="公告栏")
    service = record_service(db.session, case, org.user(Role.CLERK), notice, case.respondents[0], published)
    interruptions.request_suspension(
        db.session, case, org.colleague(Role.SUPERVISOR), ground=SuspensionGround.FORCE_MAJEURE, reason="台风"
    )
    interruptions.decide_suspension(db.session, case, org.user(Role.SUPERVISOR), approve=True)
    db.session.commit()
    clock.freeze(clock.now_utc() + timedelta(days=30))
    result = runner.invoke(args=["archive", "public-notices"])
    assert "1 public notice(s)" in result.output, result.output
    db.session.expire_all()
    service = db.session.get(DocumentService, service.id)
    assert service.served_at is not None and service.event is None
    assert service.case.arbitration.served_on is None
    refusal = [
        e for e in db.session.query(TimelineEntry).filter_by(case_id=case.id, kind="document_deemed_served") if e.reason
    ]
    assert refusal and "suspended" in refusal[0].reason
