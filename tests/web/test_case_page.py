"""The case page that leads (issue 16): its data built in one function, a bounded number of statements none of
which run while rendering, the header's steps and documents, issue-then-serve, service on several parties in one
submission, closures approved in bulk, hearings recorded after the fact, the tribunal's preselected arbitrator."""

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import before_render_template
from flask_babel import force_locale

from disputes import clock
from disputes.cases.page import build_case_page
from disputes.documents import issue as issuing
from disputes.models import (
    CaseAssignment,
    ClaimCategory,
    DocumentService,
    Hearing,
    PartyKind,
    PartySide,
    Role,
    SlaTimer,
    TimelineEntry,
)
from disputes.workflow import approvals, mediation
from disputes.workflow.intake import ClaimInput, PartyInput
from disputes.workflow.states import ArbitrationState, CaseStatus, HearingState, MediationState, SessionOutcome
from tests.arb_web import Web, iso
from tests.documents_fixtures import accepted_case
from tests.drive import Driver
from tests.issued import fake_issue
from tests.pages import field_errors, flashes, parse, step_hidden, t, text

# What the layout reads while rendering, on every page: its badges (unread notifications, transfers awaiting the
# user's unit); the case page itself reads nothing then.
LAYOUT_BADGES = 2


def _count(app, db, client, path):
    """(statements in the whole request, statements while the case page's template renders)."""
    seen, phase = [], ["view"]

    def record(conn, cursor, statement, *args):
        seen.append(phase[0])

    def rendering(sender, template, context, **extra):
        if template.name == "cases/detail.html":
            phase[0] = "render"

    db.session.expire_all()
    before_render_template.connect(rendering, app)
    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(path)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
        before_render_template.disconnect(rendering, app)
    assert response.status_code == 200
    return len(seen), seen.count("render")


def _log_sessions(db, org, case, n):
    for _i in range(n):
        mediation.log_session(
            db.session,
            case,
            org.user(Role.MEDIATOR),
            mediation.SessionInput(
                held_at=clock.now_utc(),
                attendees="张三",
                summary="双方陈述",
                outcome=SessionOutcome.CONTINUE,
                place="调解室",
            ),
        )
    db.session.commit()


def test_the_page_reads_a_fixed_number_of_statements_and_none_while_rendering(app, db, org, make_case, login):
    case = make_case()
    Driver(db.session, org, case).mediation(MediationState.IN_SESSION)
    db.session.commit()
    client = login(org.user(Role.CLERK))
    few, rendering = _count(app, db, client, f"/cases/{case.id}")
    assert rendering <= LAYOUT_BADGES
    _log_sessions(db, org, case, 4)
    for version in (1, 2, 3):
        fake_issue(db.session, case, "med_application", version=version)
    db.session.commit()
    many, rendering = _count(app, db, client, f"/cases/{case.id}")
    assert rendering <= LAYOUT_BADGES
    assert many == few
    page = client.get(f"/cases/{case.id}")
    assert len(parse(page).findall(".//section[@id='mediation']//tbody/tr")) >= 5  # every session shown
    # a case with more parties and claims, at the same stage, reads the same number of statements
    workers = [PartyInput(PartySide.APPLICANT, PartyKind.WORKER, f"工人{i}") for i in range(6)]
    employer = PartyInput(PartySide.RESPONDENT, PartyKind.EMPLOYER, "深圳市宏达电子科技有限公司")
    claims = [ClaimInput(ClaimCategory.WAGES, Decimal("1000.00"), f"第{i}个月工资") for i in range(5)]
    crowded = make_case(parties=[*workers, employer], claims=claims, worker_count=6)
    Driver(db.session, org, crowded).mediation(MediationState.IN_SESSION)
    _log_sessions(db, org, crowded, 1)
    more, rendering = _count(app, db, client, f"/cases/{crowded.id}")
    assert rendering <= LAYOUT_BADGES and more == few


def test_the_builder_gives_the_header_the_holder_the_next_deadline_and_the_steps(app, db, org, make_case, login):
    case = make_case()
    Driver(db.session, org, case).mediation(MediationState.ACCEPTED)
    db.session.commit()
    mediator = org.user(Role.MEDIATOR)
    with app.test_request_context():
        from flask_login import login_user

        login_user(mediator)
        page = build_case_page(db.session, case, mediator)
    open_timers = db.session.scalars(
        sa.select(SlaTimer).where(SlaTimer.case_id == case.id, SlaTimer.due_on.is_not(None))
    ).all()
    running = [tm for tm in open_timers if tm.status.value in ("running", "overdue")]
    assert page.next_deadline is not None
    assert page.next_deadline.timer.due_on == min(tm.due_on for tm in running)
    assert [a.user for a in page.holders] == [mediator]
    labels = [s.action.name for s in page.header_steps]
    assert "mediation.log_session" in labels
    assert page.is_open("mediation") and not page.is_open("parties")
    assert page.entries == []  # the timeline is read only on its tab


def test_the_header_shows_stage_holder_deadline_and_the_timeline_is_its_own_tab(app, db, org, make_case, login):
    case = make_case()
    Driver(db.session, org, case).mediation(MediationState.ACCEPTED)
    db.session.commit()
    client = login(org.user(Role.MEDIATOR))
    doc = parse(client.get(f"/cases/{case.id}"))
    header = doc.find(".//section[@id='now']")
    assert org.user(Role.MEDIATOR).display_name in text(header.find(".//dd[@class='case-holders']"))
    assert text(header.find(".//dd[@class='next-deadline']")) != t(app, "none running")
    assert any(a.get("href", "").endswith("/mediation/log-session") for a in header.iter("a"))
    assert doc.find(".//section[@id='timeline']") is None
    timeline = parse(client.get(f"/cases/{case.id}?tab=timeline"))
    assert timeline.find(".//section[@id='timeline']") is not None
    assert timeline.find(".//section[@id='mediation']") is None
    entries = db.session.scalar(sa.select(sa.func.count()).where(TimelineEntry.case_id == case.id))
    assert len(timeline.findall(".//ol[@class='timeline']/li")) == entries


def test_a_document_issued_from_the_header_lands_on_its_service_with_the_parties_chosen(app, db, org, make_case, login):
    case = accepted_case(db, org, make_case)
    client = login(org.user(Role.CLERK))
    page = client.get(f"/cases/{case.id}")
    offer = next(f for f in parse(page).iter("form") if f.get("action", "").endswith("/documents/arb_acceptance/issue"))
    assert "issue-then-serve" in offer.get("class")
    data = {e.get("name"): e.get("value") or "" for e in offer.iter("input")}
    assert data["then"] == "serve"
    response = client.post(offer.get("action"), data=data)
    assert response.status_code == 302
    (doc,) = issuing.issued_for(db.session, case)
    assert response.location.endswith(f"/cases/{case.id}/service?document={doc.id}#record")
    form = parse(client.get(response.location)).find(".//section[@id='record']//form")
    checked = {(e.get("name"), e.get("value")) for e in form.iter("input") if e.get("checked") is not None}
    assert ("document_id", str(doc.id)) in checked
    assert {int(v) for n, v in checked if n == "party_id"} == {p.id for p in case.parties}
    served_at = next(e for e in form.iter("input") if e.get("name") == "served_at").get("value")
    assert served_at == clock.to_local(clock.now_utc()).strftime("%Y-%m-%dT%H:%M")


IN_PERSON = {"method": "in_person", "recipient": "张三"}


def _service_form(client, case):
    page = client.get(f"/cases/{case.id}/service")
    wanted = ("csrf_token", "version")
    return {e.get("name"): e.get("value") for e in parse(page).iter("input") if e.get("name") in wanted}


def test_one_document_is_served_on_several_parties_in_one_submission(app, db, org, make_case, login):
    case = accepted_case(db, org, make_case)
    doc = fake_issue(db.session, case, "arb_acceptance")
    db.session.commit()
    client = login(org.user(Role.CLERK))
    parties = [p.id for p in case.parties]
    data = {**_service_form(client, case), "document_id": doc.id, "party_id": parties, **IN_PERSON}
    data["served_at"] = clock.to_local(clock.now_utc()).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/cases/{case.id}/service", data=data)
    assert response.status_code == 302, [e.text for e in parse(response).iter("small")]
    served = db.session.scalars(sa.select(DocumentService).where(DocumentService.document_id == doc.id)).all()
    assert sorted(s.party_id for s in served) == sorted(parties)


def test_several_documents_on_one_party_and_all_or_nothing(app, db, org, make_case, login):
    case = accepted_case(db, org, make_case)
    first = fake_issue(db.session, case, "arb_acceptance")
    second = fake_issue(db.session, case, "arb_respondent_notice")
    db.session.commit()
    client = login(org.user(Role.CLERK))
    worker = case.applicants[0].id
    now = clock.to_local(clock.now_utc()).strftime("%Y-%m-%dT%H:%M")
    data = {**_service_form(client, case), "document_id": [first.id], "party_id": [worker], **IN_PERSON}
    assert client.post(f"/cases/{case.id}/service", data={**data, "served_at": now}).status_code == 302
    # the second document with the first again: the first is already served, so nothing is recorded
    again = {**_service_form(client, case), "document_id": [first.id, second.id], "party_id": [worker]}
    response = client.post(f"/cases/{case.id}/service", data={**again, **IN_PERSON, "served_at": now})
    assert response.status_code == 400
    assert field_errors(response, "party_id")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DocumentService)) == 1
    both = {**_service_form(client, case), "document_id": [second.id], "party_id": [worker]}
    response = client.post(f"/cases/{case.id}/service", data={**both, **IN_PERSON, "served_at": now})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DocumentService)) == 2


def test_the_service_form_asks_for_a_document_and_a_party(app, db, org, make_case, login):
    case = accepted_case(db, org, make_case)
    fake_issue(db.session, case, "arb_acceptance")
    db.session.commit()
    client = login(org.user(Role.CLERK))
    response = client.post(f"/cases/{case.id}/service", data={**_service_form(client, case), **IN_PERSON})
    assert response.status_code == 400
    assert field_errors(response, "document_id") == [t(app, "Choose at least one document.")]
    assert field_errors(response, "party_id") == [t(app, "Choose at least one party.")]


def _closing(db, org, make_case, n):
    cases = []
    for _i in range(n):
        case = make_case()
        Driver(db.session, org, case).arbitration(ArbitrationState.CLOSING)
        cases.append(case)
    db.session.commit()
    return cases


def test_closures_are_approved_in_bulk_each_audited_and_failures_kept(app, db, org, make_case):
    cases = _closing(db, org, make_case, 3)
    arbitrator = org.user(Role.ARBITRATOR)  # may not approve: each case says why, none is lost
    refused = approvals.approve_closures(db.session, arbitrator, cases)
    assert [o.approved for o in refused] == [False, False, False]
    assert all(c.arbitration.state == ArbitrationState.CLOSING for c in cases)
    outcomes = approvals.approve_closures(db.session, org.user(Role.SUPERVISOR), cases, note="同意结案")
    db.session.commit()
    assert [o.approved for o in outcomes] == [True, True, True]
    for case in cases:
        assert case.arbitration.state == ArbitrationState.CLOSED
        kinds = db.session.scalars(sa.select(TimelineEntry.kind).where(TimelineEntry.case_id == case.id)).all()
        assert "arbitration.approve_closure" in kinds


def test_the_bulk_approval_page_approves_the_chosen_and_lists_what_failed(app, db, org, make_case, login):
    first, second, third = _closing(db, org, make_case, 3)
    client = login(org.user(Role.SUPERVISOR))
    page = client.get("/arbitration/closures")
    doc = parse(page)
    assert {int(e.get("value")) for e in doc.iter("input") if e.get("name") == "case_ids"} == {
        first.id,
        second.id,
        third.id,
    }
    award_total = text(doc.find(f".//li[@id='closure-{first.id}']//table"))
    assert "11,000.00" in award_total or "12,000.00" in award_total  # the award shown inline
    # someone else approves the third meanwhile
    approvals.approve_closures(db.session, org.colleague(Role.SUPERVISOR), [third])
    db.session.commit()
    response = client.post("/arbitration/closures", data={"case_ids": [first.id, second.id, third.id]})
    assert response.status_code == 200
    result = parse(response).find(".//section[@id='outcomes']")
    failures = result.findall(".//li[@data-case]")
    assert [int(li.get("data-case")) for li in failures] == [third.id]
    assert t(app, "This closure is no longer awaiting approval.") in text(failures[0])
    db.session.expire_all()
    assert first.arbitration.state == second.arbitration.state == ArbitrationState.CLOSED


def test_the_closure_approval_page_shows_the_award_inline(app, db, org, make_case, login):
    (case,) = _closing(db, org, make_case, 1)
    page = login(org.user(Role.SUPERVISOR)).get(f"/cases/{case.id}/arbitration/approve-closure")
    assert page.status_code == 200
    table = parse(page).find(".//table[@class='grid award-inline']")
    assert table is not None and "支持" in text(table)


def test_a_hearing_held_on_the_spot_is_recorded_after_the_fact(app, db, org, make_case, login):
    web = Web(db, org, login, make_case())
    web.tribunal()
    web.as_(Role.ARBITRATOR)
    page = web.open("hold-hearing")
    chosen = parse(page).find(".//select[@name='hearing_id']/option[@selected]")
    assert chosen is None or chosen.get("value") == ""  # nothing scheduled: held without scheduling
    hidden = step_hidden(page)
    response = web.client.post(
        f"/cases/{web.case.id}/arbitration/hold-hearing", data={**hidden, "starts_at": "09:00", "ends_at": "10:00"}
    )
    assert response.status_code == 400
    assert field_errors(response, "day") == [t(app, "Give the date and times of the hearing held without scheduling.")]
    assert field_errors(response, "starts_at") == []
    response = web.client.post(
        f"/cases/{web.case.id}/arbitration/hold-hearing",
        data={**step_hidden(response), "day": iso(), "starts_at": "09:00", "ends_at": "10:00"},
    )
    assert response.status_code == 400
    assert field_errors(response, "room_id") == [t(app, "Choose a room or give the online hearing link.")]
    day, room = clock.today_local() + timedelta(days=1), web.room().id
    response = web.client.post(
        f"/cases/{web.case.id}/arbitration/hold-hearing",
        data={**step_hidden(response), "day": iso(day), "starts_at": "09:00", "ends_at": "10:00", "room_id": room},
    )
    assert response.status_code == 400
    assert field_errors(response, "starts_at") == [t(app, "A hearing recorded as held has already started.")]
    response = web.client.post(
        f"/cases/{web.case.id}/arbitration/hold-hearing",
        data={
            **step_hidden(response),
            "day": iso(),
            "starts_at": "08:00",
            "ends_at": "09:30",
            "room_id": web.room().id,
            "applicant_attended": "y",
            "record": "现场开庭",
        },
    )
    assert response.status_code == 302, flashes(response)
    (hearing,) = web.arbitration.hearings
    assert hearing.state == HearingState.HELD and hearing.record == "现场开庭"
    assert web.arbitration.state == ArbitrationState.HEARD


def test_the_only_scheduled_hearing_is_preselected(app, db, org, make_case, login):
    web = Web(db, org, login, make_case())
    web.tribunal()
    day = clock.today_local() + timedelta(days=7)
    web.as_(Role.CLERK).step(
        "schedule-hearing", {"day": iso(day), "starts_at": "09:00", "ends_at": "11:00", "room_id": web.room().id}
    )
    (hearing,) = web.arbitration.hearings
    page = web.as_(Role.ARBITRATOR).open("hold-hearing")
    chosen = parse(page).find(".//select[@name='hearing_id']/option[@selected]")
    assert chosen is not None and chosen.get("value") == str(hearing.id)
    assert db.session.get(Hearing, hearing.id).state == HearingState.SCHEDULED


def test_the_tribunal_form_offers_the_arbitrator_named_at_routing(app, db, org, make_case, login):
    web = Web(db, org, login, make_case())
    web.serve()
    arbitrator = org.user(Role.ARBITRATOR)
    db.session.add(CaseAssignment(case_id=web.case.id, user_id=arbitrator.id, role=Role.ARBITRATOR, active=True))
    db.session.commit()
    page = web.as_(Role.CLERK).open("form-tribunal")
    chosen = parse(page).find(".//select[@name='presiding_id']/option[@selected]")
    assert chosen is not None and chosen.get("value") == str(arbitrator.id)


def test_the_chinese_destinations_use_full_width_punctuation(app, db, org):
    from disputes.cases.allocation_views import destination_choices
    from disputes.workflow import routing

    found = routing.destinations(db.session, org.centre, ["深圳市龙岗区布吉街道"], [])
    with app.test_request_context(), force_locale("zh_CN"):
        shown = [c.label for c in destination_choices(found)[1:]]
    named = [s for s in shown if "调解委员会" in s or "仲裁委员会" in s]
    assert named and all("：" in s and ": " not in s for s in named)
    assert all("(" not in s and ")" not in s for s in shown)


def test_the_header_offers_the_latest_documents_and_none_once_the_case_is_closed(app, db, org, make_case):
    from flask_login import login_user

    open_case, closed_case = make_case(), make_case()
    Driver(db.session, org, open_case).arbitration(ArbitrationState.HEARD)
    Driver(db.session, org, closed_case).arbitration(ArbitrationState.CLOSED)
    closed_case.status, closed_case.closed_on = CaseStatus.CLOSED, clock.today_local()  # as the case's closing does
    db.session.commit()
    clerk = org.user(Role.CLERK)
    with app.test_request_context():
        login_user(clerk)
        running = build_case_page(db.session, open_case, clerk)
        closed = build_case_page(db.session, closed_case, clerk)
    assert len(running.offers) > 3
    assert running.header_offers == running.offers[-3:]
    assert closed.offers == [] and closed.header_offers == []
    assert closed.open_panels == frozenset({"facts"})
