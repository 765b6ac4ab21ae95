"""The party's session and what it reads: codes, the staff/party split, one's own case only (issue 20)."""

from datetime import timedelta

from disputes import clock
from disputes.models import OutboundMessage, PartyKind, PartySide, PortalCode, Role
from disputes.workflow.intake import PartyInput
from tests.conftest import EMPLOYER_CODE, FROZEN_AT, WORKER_ID
from tests.portal_support import party_sign_in

PHONE = "13800138000"
OTHER_PHONE = "13900139000"


def case_for(make_case, phone: str, name: str = "张三", id_number: str = WORKER_ID):
    return make_case(
        parties=[
            PartyInput(PartySide.APPLICANT, PartyKind.WORKER, name, id_number=id_number, phone=phone),
            PartyInput(PartySide.RESPONDENT, PartyKind.EMPLOYER, "宏达电子有限公司", credit_code=EMPLOYER_CODE),
        ]
    )


def test_start_filing_and_sign_in_answer_anonymous_visitors(client, db):
    for path in ("/portal/", "/portal/apply", "/portal/sign-in"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store"


def test_party_signs_in_with_a_code_and_reads_only_their_own_case(client, db, make_case, outbox):
    mine = case_for(make_case, PHONE)
    theirs = case_for(make_case, OTHER_PHONE, "李四", "11010519491231002X")
    party_sign_in(client, outbox, PHONE)
    listing = client.get("/portal/cases").get_data(as_text=True)
    assert mine.registry_no in listing and theirs.registry_no not in listing
    page = client.get(f"/portal/cases/{mine.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert WORKER_ID not in text  # no ID number at all on the party's page
    assert client.get(f"/portal/cases/{theirs.id}").status_code == 404


def test_the_code_is_stored_hashed_and_masked_in_the_message_log(client, db, make_case, outbox):
    case_for(make_case, PHONE)
    client.post("/portal/sign-in", data={"contact": PHONE})
    code = outbox.last_code(PHONE)
    row = db.session.query(PortalCode).one()
    assert code not in row.code_hash and len(row.code_hash) == 64
    message = db.session.query(OutboundMessage).one()
    assert code not in message.body and message.status.value == "sent"


def test_unknown_address_gets_the_same_answer_and_no_message(client, db, outbox):
    response = client.post("/portal/sign-in", data={"contact": "13700137000"})
    assert response.status_code == 302 and "/portal/sign-in/code" in response.headers["Location"]
    assert outbox.messages() == []
    assert db.session.query(PortalCode).count() == 0


def test_wrong_code_then_right_code(client, db, make_case, outbox):
    case_for(make_case, PHONE)
    client.post("/portal/sign-in", data={"contact": PHONE})
    code = outbox.last_code(PHONE)
    wrong = "000000" if code != "000000" else "111111"
    response = client.post("/portal/sign-in/code", data={"code": wrong})
    assert response.status_code == 200 and "/portal/cases" not in response.headers.get("Location", "")
    assert client.get("/portal/cases").status_code == 302  # still not signed in
    response = client.post("/portal/sign-in/code", data={"code": code})
    assert response.status_code == 302
    assert client.get("/portal/cases").status_code == 200


def test_expired_code_fails(client, db, make_case, outbox):
    case_for(make_case, PHONE)
    client.post("/portal/sign-in", data={"contact": PHONE})
    code = outbox.last_code(PHONE)
    clock.freeze(FROZEN_AT + timedelta(minutes=11))
    response = client.post("/portal/sign-in/code", data={"code": code})
    assert response.status_code == 200
    assert client.get("/portal/cases").status_code == 302


def test_five_wrong_tries_burn_the_code(client, db, make_case, outbox):
    case_for(make_case, PHONE)
    client.post("/portal/sign-in", data={"contact": PHONE})
    code = outbox.last_code(PHONE)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        client.post("/portal/sign-in/code", data={"code": wrong})
    client.post("/portal/sign-in/code", data={"code": code})
    assert client.get("/portal/cases").status_code == 302
    assert db.session.query(PortalCode).one().attempts == 5


def test_codes_are_throttled_per_address(client, db, make_case, outbox):
    case_for(make_case, PHONE)
    client.post("/portal/sign-in", data={"contact": PHONE})
    again = client.post("/portal/sign-in", data={"contact": PHONE})
    assert again.status_code == 200 and len(outbox.messages(PHONE)) == 1  # refused: shown again, nothing sent
    for minute in range(1, 5):
        clock.freeze(FROZEN_AT + timedelta(minutes=2 * minute))
        assert client.post("/portal/sign-in", data={"contact": PHONE}).status_code == 302
    clock.freeze(FROZEN_AT + timedelta(minutes=20))
    assert client.post("/portal/sign-in", data={"contact": PHONE}).status_code == 200  # the sixth in an hour
    assert len(outbox.messages(PHONE)) == 5


def test_party_session_expires(client, db, make_case, outbox):
    case_for(make_case, PHONE)
    party_sign_in(client, outbox, PHONE)
    clock.freeze(FROZEN_AT + timedelta(minutes=31))
    assert client.get("/portal/cases").status_code == 302


def test_staff_routes_refuse_a_party_session(app, client, db, make_case, outbox):
    case = case_for(make_case, PHONE)
    party_sign_in(client, outbox, PHONE)
    response = client.get("/cases")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get(f"/cases/{case.id}").status_code == 302
    # The party's cookie renamed to the staff cookie's name does not verify there either.
    portal_cookie = client.get_cookie(app.config["PORTAL_SESSION_COOKIE_NAME"], path="/portal")
    assert portal_cookie is not None and portal_cookie.path == "/portal"
    client.set_cookie(app.config.get("SESSION_COOKIE_NAME", "session"), portal_cookie.value)
    response = client.get("/cases")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_portal_refuses_a_staff_session(app, client, db, make_case, login, org):
    case = case_for(make_case, PHONE)
    login(org.user(Role.CLERK))
    assert client.get("/cases").status_code == 200
    response = client.get(f"/portal/cases/{case.id}")
    assert response.status_code == 302 and "/portal/sign-in" in response.headers["Location"]
    staff_cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    client.set_cookie(app.config["PORTAL_SESSION_COOKIE_NAME"], staff_cookie.value, path="/portal")
    assert client.get("/portal/cases").status_code == 302
