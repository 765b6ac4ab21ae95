"""Sign-in by e-mail code (issue 20): parties have no e-mail column; an e-mail address is bound to a party by a
live consent to electronic service (its confirmed address) or by the online application the case came from."""

from disputes.models import OnlineApplication, PortalCode
from disputes.portal import eservice
from tests.conftest import WORKER_ID
from tests.portal.test_portal_access import OTHER_PHONE, PHONE, case_for
from tests.portal_support import party_sign_in

MAIL = "zhang.san@example.cn"
OTHER_MAIL = "li.si@example.cn"


def test_email_of_a_consent_signs_in_and_reads_only_that_party_s_case(client, db, make_case, outbox):
    mine = case_for(make_case, PHONE)
    theirs = case_for(make_case, OTHER_PHONE, "李四", "11010519491231002X")
    eservice.sign_consent(db.session, mine.applicants[0], MAIL, via="portal")
    eservice.sign_consent(db.session, theirs.applicants[0], OTHER_MAIL, via="portal")
    db.session.commit()
    client.post("/portal/sign-in", data={"contact": " Zhang.San@Example.cn"})  # as typed: case does not matter
    assert [m["channel"] for m in outbox.messages(MAIL)] == ["email"]
    response = client.post("/portal/sign-in/code", data={"code": outbox.last_code(MAIL)})
    assert response.headers["Location"].endswith("/portal/cases")
    listing = client.get("/portal/cases").get_data(as_text=True)
    assert mine.registry_no in listing and theirs.registry_no not in listing
    assert client.get(f"/portal/cases/{mine.id}").status_code == 200
    assert client.get(f"/portal/cases/{theirs.id}").status_code == 404


def test_another_address_gets_nothing(client, db, make_case, outbox):
    mine = case_for(make_case, PHONE)
    eservice.sign_consent(db.session, mine.applicants[0], MAIL, via="portal")
    db.session.commit()
    response = client.post("/portal/sign-in", data={"contact": "stranger@example.cn"})
    assert response.status_code == 302  # the same answer as for a known address …
    assert outbox.messages() == [] and db.session.query(PortalCode).count() == 0  # … but no code is sent
    assert client.post("/portal/sign-in/code", data={"code": "123456"}).status_code == 200
    assert client.get("/portal/cases").status_code == 302


def test_a_withdrawn_consent_no_longer_binds_its_address(client, db, make_case, outbox):
    mine = case_for(make_case, PHONE)
    party = mine.applicants[0]
    eservice.sign_consent(db.session, party, MAIL, via="portal")
    eservice.sign_consent(db.session, party, PHONE, via="portal")  # replaces the e-mail consent
    db.session.commit()
    client.post("/portal/sign-in", data={"contact": MAIL})
    assert outbox.messages(MAIL) == []


def test_the_e_mail_of_the_online_application_reaches_the_case_it_became(client, db, org, make_case, outbox):
    mine = case_for(make_case, PHONE)
    other = case_for(make_case, OTHER_PHONE, "李四", "11010519491231002X")
    application = OnlineApplication(
        reference="WS20261120MAIL01",
        kind="arbitration",
        unit_id=org.centre.id,
        data={"who": {"name": "张三", "id_number": WORKER_ID.lower(), "phone": PHONE}},
        contact_phone=PHONE,
        contact_email=MAIL,
        status="accepted",
        case_id=mine.id,
    )
    db.session.add(application)
    db.session.commit()
    party_sign_in(client, outbox, MAIL)
    listing = client.get("/portal/cases").get_data(as_text=True)
    assert mine.registry_no in listing and other.registry_no not in listing
    page = client.get(f"/portal/cases/{mine.id}")
    assert page.status_code == 200 and WORKER_ID not in page.get_data(as_text=True)
    assert client.get(f"/portal/cases/{other.id}").status_code == 404
