"""Every portal page and the check queue's pages render in both languages (issue 20)."""

import io

import pytest
import sqlalchemy as sa

from disputes.models import OnlineApplication, Role
from tests.portal.test_filing import file_application, photo
from tests.portal.test_portal_access import PHONE, case_for
from tests.web.test_pages import LANGUAGES, assert_page


@pytest.mark.parametrize("locale", LANGUAGES)
def test_portal_pages(app, client, db, org, make_case, outbox, locale):
    client.post("/portal/language", data={"locale": locale})
    for path in ("/portal/", "/portal/sign-in", "/portal/apply"):
        assert_page(app, client.get(path), locale)
    who = {"kind": "mediation", "unit_id": str(org.centre.id), "name": "", "phone": "1", "worker_count": "1"}
    assert_page(app, client.post("/portal/apply", data=who), locale)  # refused, with its errors
    file_application(client, org.centre.id, collective=True, files=[(io.BytesIO(photo()), "a.png")])
    assert_page(app, client.get("/portal/apply/done"), locale)
    application = db.session.scalar(sa.select(OnlineApplication))
    assert_page(app, client.get(f"/portal/collective/{application.collective_token}"), locale)
    client.post("/portal/apply", data={**who, "name": "张三"})
    case = case_for(make_case, PHONE)
    client.post("/portal/sign-in", data={"contact": PHONE})
    assert_page(app, client.get("/portal/sign-in/code"), locale)
    party_sign_in_again(client, outbox)
    assert_page(app, client.get("/portal/cases"), locale)
    assert_page(app, client.get(f"/portal/cases/{case.id}"), locale)


def party_sign_in_again(client, outbox):
    response = client.post("/portal/sign-in/code", data={"code": outbox.last_code(PHONE)})
    assert response.status_code == 302


@pytest.mark.parametrize("locale", LANGUAGES)
def test_filing_step_pages(app, client, db, org, locale):
    client.post("/portal/language", data={"locale": locale})
    who = {
        "kind": "arbitration",
        "unit_id": str(org.centre.id),
        "name": "张三",
        "id_number": "11010519491231002X",
        "phone": PHONE,
        "worker_count": "1",
    }
    client.post("/portal/apply", data=who)
    assert_page(app, client.get("/portal/apply/employer"), locale)
    client.post("/portal/apply/employer", data={"name": "宏达公司"})
    assert_page(app, client.get("/portal/apply/claims"), locale)
    claims = {"category_1": "wages", "amount_1": "100", "category_2": "", "category_3": ""}
    client.post("/portal/apply/claims", data=claims)
    assert_page(app, client.get("/portal/apply/evidence"), locale)
    refused = {"go": "next", "files": [(io.BytesIO(b"MZ\x90\x00"), "a.exe")]}
    assert_page(app, client.post("/portal/apply/evidence", data=refused, content_type="multipart/form-data"), locale)
    assert_page(app, client.get("/portal/apply/confirm"), locale)


@pytest.mark.parametrize("locale", LANGUAGES)
def test_check_queue_pages(app, client, db, org, login, outbox, locale):
    file_application(client, org.centre.id, files=[(io.BytesIO(photo()), "a.png")])
    application = db.session.scalar(sa.select(OnlineApplication))
    clerk = org.user(Role.CLERK)
    clerk.locale = locale
    db.session.commit()
    login(clerk)
    assert_page(app, client.get("/applications"), locale)
    assert_page(app, client.get(f"/applications/{application.id}"), locale)
    assert_page(app, client.get("/messages/failed"), locale)
    download = client.get(f"/applications/{application.id}/uploads/{application.uploads[0].id}")
    assert download.status_code == 200 and download.mimetype == "image/jpeg"
    assert "attachment" in download.headers["Content-Disposition"]
