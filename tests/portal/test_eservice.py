"""Electronic service: consent, the link, completion on opening after the code, awards by other means (issue 20)."""

import sqlalchemy as sa

from disputes.models import DocumentService, ElectronicService, PartyKind, PartySide, Role, ServiceConsent
from disputes.workflow.intake import PartyInput
from tests.conftest import EMPLOYER_CODE, WORKER_ID
from tests.documents_fixtures import accepted_case
from tests.issued import fake_issue
from tests.portal_support import party_sign_in

PHONE = "13800138000"


def served_case(db, org, make_case):
    case = accepted_case(
        db,
        org,
        lambda unit=None, **kw: make_case(
            unit,
            parties=[
                PartyInput(PartySide.APPLICANT, PartyKind.WORKER, "张三", id_number=WORKER_ID, phone=PHONE),
                PartyInput(
                    PartySide.RESPONDENT, PartyKind.EMPLOYER, "宏达公司", credit_code=EMPLOYER_CODE, phone="13900139000"
                ),
            ],
            **kw,
        ),
    )
    notice = fake_issue(db.session, case, "arb_acceptance", unit=org.arbitration)
    award = fake_issue(db.session, case, "arb_award", unit=org.arbitration)
    db.session.commit()
    return case, notice, award


def test_no_link_without_consent_then_consent_send_open(client, app, db, org, make_case, login, outbox):
    case, notice, _award = served_case(db, org, make_case)
    worker = case.applicants[0]
    staff = app.test_client()
    staff.post("/login", data={"username": org.user(Role.CLERK).username, "password": "correct-horse-42"})
    send = {"document_id": str(notice.id), "party_id": str(worker.id)}
    refused = staff.post(f"/cases/{case.id}/e-service/send", data=send)
    assert refused.status_code == 200 and db.session.query(ElectronicService).count() == 0

    party_sign_in(client, outbox, PHONE)
    assert client.post(f"/portal/cases/{case.id}/consent", data={"agree": "y"}).status_code == 302
    consent = db.session.scalar(sa.select(ServiceConsent))
    assert (consent.address, consent.signed_via, consent.party_id) == (PHONE, "portal", worker.id)

    assert staff.post(f"/cases/{case.id}/e-service/send", data=send).status_code == 302
    e_service = db.session.scalar(sa.select(ElectronicService))
    assert e_service.message.status.value == "sent" and e_service.opened_at is None
    assert f"/portal/served/{e_service.id}" in outbox.messages(PHONE)[-1]["text"]
    assert db.session.query(DocumentService).filter_by(document_id=notice.id, party_id=worker.id).count() == 0

    page = client.get(f"/portal/served/{e_service.id}")
    assert page.status_code == 200
    assert client.get(f"/portal/served/{e_service.id}/document.pdf").status_code == 302  # not before opening
    assert client.post(f"/portal/served/{e_service.id}").status_code == 302
    db.session.expire_all()
    service = db.session.scalar(sa.select(DocumentService).where(DocumentService.party_id == worker.id))
    assert service.method.value == "electronic" and service.address == PHONE and service.served_at is not None
    e_service = db.session.get(ElectronicService, e_service.id)
    assert e_service.opened_at == service.served_at and e_service.service_id == service.id
    pdf = client.get(f"/portal/served/{e_service.id}/document.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    client.post(f"/portal/served/{e_service.id}")  # opening again serves nothing twice
    assert db.session.query(DocumentService).filter_by(party_id=worker.id).count() == 1
    assert "/portal/served/" in client.get(f"/portal/cases/{case.id}").get_data(as_text=True)
    sent_page = staff.get(f"/cases/{case.id}/e-service").get_data(as_text=True)
    assert PHONE in sent_page


def test_another_party_cannot_open_the_link(client, app, db, org, make_case, outbox):
    from disputes.portal import eservice

    case, notice, _award = served_case(db, org, make_case)
    worker, employer = case.applicants[0], case.respondents[0]
    eservice.sign_consent(db.session, worker, PHONE, via="portal")
    e_service = eservice.send(db.session, org.user(Role.CLERK), notice, worker, link_for=None, awards_allowed=False)
    db.session.commit()
    party_sign_in(client, outbox, employer.phone)
    assert client.get(f"/portal/served/{e_service.id}").status_code == 404
    assert client.post(f"/portal/served/{e_service.id}").status_code == 404
    assert client.get(f"/portal/cases/{case.id}/consent").status_code == 200  # their own case, as employer


def test_awards_by_link_only_where_the_rules_allow(db, org, make_case):
    import pytest

    from disputes.i18n import DomainError
    from disputes.portal import eservice

    case, _notice, award = served_case(db, org, make_case)
    worker = case.applicants[0]
    eservice.sign_consent(db.session, worker, PHONE, via="portal")
    with pytest.raises(DomainError, match="local rules"):
        eservice.send(db.session, org.user(Role.CLERK), award, worker, link_for=None, awards_allowed=False)
    assert eservice.send(db.session, org.user(Role.CLERK), award, worker, link_for=None, awards_allowed=True)


def test_paper_consent_is_recorded_by_staff(db, org, make_case, login, client):
    case, _notice, _award = served_case(db, org, make_case)
    employer = case.respondents[0]
    login(org.user(Role.CLERK))
    data = {"party_id": str(employer.id), "address": "hr@example.org"}
    assert client.post(f"/cases/{case.id}/e-service/consent", data=data).status_code == 302
    consent = db.session.scalar(sa.select(ServiceConsent))
    assert (consent.signed_via, consent.address, consent.recorded_by_id) == (
        "paper",
        "hr@example.org",
        org.user(Role.CLERK).id,
    )
