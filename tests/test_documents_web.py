"""The documents panel, previews, issue/reissue/download, seals and number patterns over HTTP."""
import io

import pytest
import sqlalchemy as sa

from disputes.models import IssuedDocument, NumberFormat, Role, UnitSeal
from tests.documents_fixtures import accepted_case, seal_png
from tests.pages import flashes, parse, text


@pytest.fixture
def case(db, org, make_case):
    return accepted_case(db, org, make_case)


def _issued(db):
    return db.session.scalars(sa.select(IssuedDocument).order_by(IssuedDocument.id)).all()


@pytest.mark.parametrize(("lang", "title"), [("zh_CN", "受理通知书"), ("en", "Notice of acceptance")])
def test_preview_renders_in_both_languages(db, org, case, login, lang, title):
    client = login(org.user(Role.CLERK))
    response = client.get(f"/cases/{case.id}/documents/arb_acceptance/preview?lang={lang}")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert 'href="/documents/document.css"' in html
    assert ("zh-CN" if lang == "zh_CN" else 'lang="en"') in html
    doc = parse(response)
    heading = text(doc.find(".//h1"))
    assert org.arbitration.name in heading and title in heading


def test_preview_of_a_document_that_does_not_fit_is_404(db, org, make_case, login):
    fresh = make_case()
    client = login(org.user(Role.CLERK))
    assert client.get(f"/cases/{fresh.id}/documents/arb_acceptance/preview").status_code == 404
    assert client.get(f"/cases/{fresh.id}/documents/no_such_kind/preview").status_code == 404


def test_issue_reissue_and_download(db, org, case, login):
    client = login(org.user(Role.CLERK))
    url = f"/cases/{case.id}/documents/arb_acceptance"
    response = client.post(f"{url}/issue", data={"key": "", "lang": "zh_CN"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/{case.id}#documents")
    (first,) = _issued(db)
    assert first.number == "LGA仲字〔2026〕第1号" and first.issued_by_id == org.user(Role.CLERK).id
    again = client.post(f"{url}/issue", data={"key": "", "lang": "zh_CN"}, follow_redirects=True)
    assert any("reissue" in f.lower() or "重新" in f for f in flashes(again)), flashes(again)
    assert len(_issued(db)) == 1
    client.post(f"{url}/reissue", data={"key": "", "lang": "en"})
    first, second = _issued(db)
    assert (second.version, second.number, second.lang) == (2, first.number, "en")
    download = client.get(f"/documents/{first.id}.pdf")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.data == first.pdf
    assert "attachment" in download.headers["Content-Disposition"]


def test_panel_lists_available_and_issued_documents(db, org, case, login):
    client = login(org.user(Role.CLERK))
    page = parse(client.get(f"/cases/{case.id}"))
    row = next(tr for tr in page.iter("tr") if tr.get("id") == "doc-arb_acceptance")
    assert "not-issued" in row.get("class")
    assert any(f.get("action", "").endswith("/arb_acceptance/issue") for f in row.iter("form"))
    client.post(f"/cases/{case.id}/documents/arb_acceptance/issue", data={"key": "", "lang": "zh_CN"})
    page = parse(client.get(f"/cases/{case.id}"))
    row = next(tr for tr in page.iter("tr") if tr.get("id") == "doc-arb_acceptance")
    assert "LGA仲字〔2026〕第1号" in text(row)
    assert any(f.get("action", "").endswith("/arb_acceptance/reissue") for f in row.iter("form"))
    assert any(a.get("href", "").endswith(".pdf") for a in row.iter("a"))


def test_reader_without_issuing_role_sees_no_issue_button(db, org, case, login):
    from disputes.models import CaseAssignment

    db.session.add(CaseAssignment(case_id=case.id, user_id=org.user(Role.LAWYER).id, role=Role.LAWYER))
    db.session.commit()
    client = login(org.user(Role.LAWYER))
    page = parse(client.get(f"/cases/{case.id}"))
    panel = next(s for s in page.iter("section") if s.get("id") == "documents")
    # The only forms are the previews with full ID numbers (an assigned lawyer may unmask them, issue 14).
    assert [f.get("action") for f in panel.iter("form") if not f.get("action", "").endswith("/preview")] == []
    assert client.post(f"/cases/{case.id}/documents/arb_acceptance/issue", data={"key": ""}).status_code == 403


def test_seal_upload_prints_the_seal(db, org, case, login):
    client = login(org.user(Role.ADMIN))
    response = client.post(f"/documents/seals/{org.arbitration.id}",
                           data={"image": (io.BytesIO(seal_png()), "seal.png")}, content_type="multipart/form-data")
    assert response.status_code == 302
    assert db.session.get(UnitSeal, org.arbitration.id) is not None
    assert client.get(f"/documents/seals/{org.arbitration.id}.png").data == seal_png()
    clerk = login(org.user(Role.CLERK))
    html = clerk.get(f"/cases/{case.id}/documents/arb_acceptance/preview").get_data(as_text=True)
    assert 'class="seal-image" src="data:image/png;base64,' in html and 'class="seal"' not in html


@pytest.mark.parametrize("payload", [b"not an image", b"GIF89a" + b"\0" * 40])
def test_seal_must_be_a_png(db, org, login, payload):
    client = login(org.user(Role.ADMIN))
    response = client.post(f"/documents/seals/{org.arbitration.id}", data={"image": (io.BytesIO(payload), "x.png")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert db.session.get(UnitSeal, org.arbitration.id) is None
    assert flashes(response)


def test_tiny_or_huge_seal_is_refused(db, org, login, app):
    client = login(org.user(Role.ADMIN))
    client.post(f"/documents/seals/{org.arbitration.id}", data={"image": (io.BytesIO(seal_png(50)), "s.png")},
                content_type="multipart/form-data")
    assert db.session.get(UnitSeal, org.arbitration.id) is None
    app.config["SEAL_MAX_BYTES"], saved = 100, app.config["SEAL_MAX_BYTES"]
    try:
        client.post(f"/documents/seals/{org.arbitration.id}", data={"image": (io.BytesIO(seal_png()), "s.png")},
                    content_type="multipart/form-data")
    finally:
        app.config["SEAL_MAX_BYTES"] = saved
    assert db.session.get(UnitSeal, org.arbitration.id) is None


def test_number_pattern_page_sets_the_pattern_used_next(db, org, case, login):
    admin = login(org.user(Role.ADMIN))
    bad = admin.post("/documents/numbers", data={"unit_id": org.arbitration.id, "family": "arbitration_doc",
                                                 "pattern": "{code}第{seq}号"})
    assert bad.status_code == 200 and "{year}" in bad.get_data(as_text=True)
    ok = admin.post("/documents/numbers", data={"unit_id": org.arbitration.id, "family": "arbitration_doc",
                                                "pattern": "深龙劳人仲案字〔{year}〕第{seq}号"})
    assert ok.status_code == 302
    assert db.session.scalar(sa.select(NumberFormat.pattern).where(NumberFormat.family == "arbitration_doc"))
    clerk = login(org.user(Role.CLERK))
    clerk.post(f"/cases/{case.id}/documents/arb_acceptance/issue", data={"key": "", "lang": "zh_CN"})
    assert _issued(db)[0].number == "深龙劳人仲案字〔2026〕第1号"
