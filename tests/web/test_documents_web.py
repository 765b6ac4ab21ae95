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
    response = client.post(f"{url}/issue", data={"key": "", "lang": "zh_CN", "version": case.version_id})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/{case.id}#documents")
    (first,) = _issued(db)
    assert first.number == "LGA仲字〔2026〕1号" and first.issued_by_id == org.user(Role.CLERK).id
    again = client.post(
        f"{url}/issue", data={"key": "", "lang": "zh_CN", "version": case.version_id}, follow_redirects=True
    )
    assert any("reissue" in f.lower() or "重新" in f for f in flashes(again)), flashes(again)
    assert len(_issued(db)) == 1
    client.post(f"{url}/reissue", data={"key": "", "lang": "en", "version": case.version_id})
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
    client.post(
        f"/cases/{case.id}/documents/arb_acceptance/issue",
        data={"key": "", "lang": "zh_CN", "version": case.version_id},
    )
    page = parse(client.get(f"/cases/{case.id}"))
    row = next(tr for tr in page.iter("tr") if tr.get("id") == "doc-arb_acceptance")
    assert "LGA仲字〔2026〕1号" in text(row)
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
    response = client.post(
        f"/documents/seals/{org.arbitration.id}",
        data={"image": (io.BytesIO(seal_png()), "seal.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert db.session.get(UnitSeal, org.arbitration.id) is not None
    assert client.get(f"/documents/seals/{org.arbitration.id}.png").data == seal_png()
    clerk = login(org.user(Role.CLERK))
    html = clerk.get(f"/cases/{case.id}/documents/arb_acceptance/preview").get_data(as_text=True)
    assert 'class="seal-image" src="data:image/png;base64,' in html and 'class="seal"' not in html


@pytest.mark.parametrize("payload", [b"not an image", b"GIF89a" + b"\0" * 40])
def test_seal_must_be_a_png(db, org, login, payload):
    client = login(org.user(Role.ADMIN))
    response = client.post(
        f"/documents/seals/{org.arbitration.id}",
        data={"image": (io.BytesIO(payload), "x.png")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert db.session.get(UnitSeal, org.arbitration.id) is None
    assert flashes(response)


def test_tiny_or_huge_seal_is_refused(db, org, login, app):
    client = login(org.user(Role.ADMIN))
    client.post(
        f"/documents/seals/{org.arbitration.id}",
        data={"image": (io.BytesIO(seal_png(50)), "s.png")},
        content_type="multipart/form-data",
    )
    assert db.session.get(UnitSeal, org.arbitration.id) is None
    app.config["SEAL_MAX_BYTES"], saved = 100, app.config["SEAL_MAX_BYTES"]
    try:
        client.post(
            f"/documents/seals/{org.arbitration.id}",
            data={"image": (io.BytesIO(seal_png()), "s.png")},
            content_type="multipart/form-data",
        )
    finally:
        app.config["SEAL_MAX_BYTES"] = saved
    assert db.session.get(UnitSeal, org.arbitration.id) is None


def test_number_pattern_page_sets_the_pattern_used_next(db, org, case, login):
    admin = login(org.user(Role.ADMIN))
    bad = admin.post(
        "/documents/numbers",
        data={"unit_id": org.arbitration.id, "family": "arbitration_doc", "pattern": "{code}第{seq}号"},
    )
    assert bad.status_code == 200 and "{year}" in bad.get_data(as_text=True)
    ok = admin.post(
        "/documents/numbers",
        data={
            "unit_id": org.arbitration.id,
            "family": "arbitration_doc",
            "pattern": "深龙劳人仲案字〔{year}〕第{seq}号",
        },
    )
    assert ok.status_code == 302
    assert db.session.scalar(sa.select(NumberFormat.pattern).where(NumberFormat.family == "arbitration_doc"))
    clerk = login(org.user(Role.CLERK))
    clerk.post(
        f"/cases/{case.id}/documents/arb_acceptance/issue",
        data={"key": "", "lang": "zh_CN", "version": case.version_id},
    )
    assert _issued(db)[0].number == "深龙劳人仲案字〔2026〕第1号"


# --- issue 13: the issuing language, the verification address, no inline style ----------------------


def _english_clerk(db, org, login):
    clerk = org.user(Role.CLERK)
    clerk.locale = "en"
    db.session.commit()
    return login(clerk)


def test_an_english_interface_issues_in_chinese_unless_english_is_chosen(db, org, case, login):
    client = _english_clerk(db, org, login)
    page = client.get(f"/cases/{case.id}")
    assert 'lang="en"' in page.get_data(as_text=True)[:200]  # the interface is English
    row = next(tr for tr in parse(page).iter("tr") if tr.get("id") == "doc-arb_acceptance")
    (select,) = [s for s in row.iter("select") if s.get("name") == "lang"]
    chosen = [o.get("value") for o in select.iter("option") if o.get("selected") is not None]
    assert chosen == ["zh_CN"]
    # a form that says nothing about the language issues the official Chinese text
    client.post(f"/cases/{case.id}/documents/arb_acceptance/issue", data={"key": "", "version": case.version_id})
    (first,) = _issued(db)
    assert first.lang == "zh_CN" and first.number == "LGA仲字〔2026〕1号"
    # the English version is a preview, or a copy issued only when chosen explicitly
    preview = client.get(f"/cases/{case.id}/documents/arb_acceptance/preview?lang=en")
    assert preview.status_code == 200 and "Notice of acceptance" in preview.get_data(as_text=True)
    assert len(_issued(db)) == 1
    db.session.expire_all()
    client.post(
        f"/cases/{case.id}/documents/arb_acceptance/reissue",
        data={"key": "", "lang": "en", "version": db.session.get(type(case), case.id).version_id},
    )
    assert [d.lang for d in _issued(db)] == ["zh_CN", "en"]


def test_the_panel_offers_a_chinese_preview_and_an_english_translation(db, org, case, login):
    client = _english_clerk(db, org, login)
    row = next(tr for tr in parse(client.get(f"/cases/{case.id}")).iter("tr") if tr.get("id") == "doc-arb_acceptance")
    previews = [a.get("href") for a in row.iter("a") if "/preview" in a.get("href", "")]
    assert any(href.endswith("lang=zh_CN") for href in previews) and any(href.endswith("lang=en") for href in previews)


@pytest.mark.parametrize(
    "url", ["", "http://127.0.0.1:5000", "http://localhost:8000", "https://[::1]/", "http://0.0.0.0"]
)
def test_production_refuses_to_issue_without_a_public_verification_address(db, org, case, login, app, monkeypatch, url):
    monkeypatch.setitem(app.config, "REQUIRE_PUBLIC_BASE_URL", True)
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", url)
    client = login(org.user(Role.CLERK))
    page = client.get(f"/cases/{case.id}")
    panel = next(s for s in parse(page).iter("section") if s.get("id") == "documents")
    issue_forms = [f for f in panel.iter("form") if (f.get("action") or "").endswith("issue")]
    assert "PUBLIC_BASE_URL" in text(panel) and not issue_forms  # said on the page, no issue button
    response = client.post(f"/cases/{case.id}/documents/arb_acceptance/issue", data={"key": ""}, follow_redirects=True)
    assert any("PUBLIC_BASE_URL" in f for f in flashes(response)), flashes(response)
    assert _issued(db) == []
    from disputes.documents import issue as issuing
    from disputes.i18n import DomainError

    with pytest.raises(DomainError, match="PUBLIC_BASE_URL"):
        issuing.issue(db.session, case, "arb_acceptance", "", org.user(Role.CLERK))


def test_production_issues_with_a_public_address_and_prints_it(db, org, case, login, app, monkeypatch, tmp_path):
    import subprocess

    monkeypatch.setitem(app.config, "REQUIRE_PUBLIC_BASE_URL", True)
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://tiaoyuan.example.gov.cn")
    client = login(org.user(Role.CLERK))
    client.post(f"/cases/{case.id}/documents/arb_acceptance/issue", data={"key": "", "version": case.version_id})
    (doc,) = _issued(db)
    path = tmp_path / "doc.pdf"
    path.write_bytes(doc.pdf)
    printed = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert f"https://tiaoyuan.example.gov.cn/verify/{doc.code}" in "".join(printed.split())


def test_start_up_warns_when_production_has_no_public_verification_address(caplog, monkeypatch):
    from disputes import create_app

    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    with caplog.at_level("WARNING", logger="disputes"):
        create_app("production", SECRET_KEY="a-real-secret", SQLALCHEMY_DATABASE_URI="sqlite://", PUBLIC_BASE_URL="")
    assert "PUBLIC_BASE_URL is not set" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="disputes"):
        create_app(
            "production",
            SECRET_KEY="a-real-secret",
            SQLALCHEMY_DATABASE_URI="sqlite://",
            PUBLIC_BASE_URL="http://127.0.0.1:5000",
        )
    assert "points to this computer" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="disputes"):
        create_app(
            "production",
            SECRET_KEY="a-real-secret",
            SQLALCHEMY_DATABASE_URI="sqlite://",
            PUBLIC_BASE_URL="https://tiaoyuan.example.gov.cn",
        )
        create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://", PUBLIC_BASE_URL="")
    assert "PUBLIC_BASE_URL" not in caplog.text


def test_previews_carry_no_inline_style_the_content_security_policy_would_block(db, org, make_case, login):
    """Every document kind a case offers, previewed as the browser gets it: styles come from document.css only."""
    from disputes.documents import catalogue
    from disputes.workflow.states import ArbitrationState, ClosureType, LegalAidState, MediationState
    from tests.drive import Driver

    mediated, aided, arbitrated = make_case(), make_case(), make_case()
    Driver(db.session, org, mediated).mediation(MediationState.AGREEMENT)
    Driver(db.session, org, aided).legal_aid(LegalAidState.ASSIGNED)
    Driver(db.session, org, arbitrated).arbitration(ArbitrationState.CLOSING, ClosureType.AWARD)
    db.session.commit()
    client = login(org.user(Role.SUPERVISOR))
    seen = set()
    for case in (mediated, aided, arbitrated):
        for kind, subject in catalogue.available(db.session, case):
            response = client.get(
                f"/cases/{case.id}/documents/{kind.id}/preview", query_string={"key": subject.key, "lang": "zh_CN"}
            )
            assert response.status_code == 200, kind.id
            assert "self" in response.headers["Content-Security-Policy"]
            html = response.get_data(as_text=True)
            assert "<style" not in html and " style=" not in html, kind.id
            seen.add(kind.id)
    assert {"med_agreement", "la_grant", "arb_award", "arb_closure_approval"} <= seen
    css = client.get("/documents/document.css").get_data(as_text=True)
    assert "body.set-a" in css and "body.approval-form" in css
