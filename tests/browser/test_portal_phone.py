"""The parties' side on a phone (issue 20), at 390×844: a worker files an application with two claims and a photo,
a clerk accepts it, the worker follows the case and opens an electronically served acceptance notice; no portal
page scrolls sideways."""

import json
import re
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from PIL import Image

from disputes.models import DocumentService, OnlineApplication, Role
from tests.browser.conftest import PHONE, Screen
from tests.conftest import EMPLOYER_CODE, PASSWORD, WORKER_ID
from tests.issued import fake_issue

MOBILE = "13800138000"


@pytest.fixture
def outbox(app, tmp_path):
    path = tmp_path / "outbox.jsonl"
    previous = app.config["MESSAGE_OUTBOX"]
    app.config["MESSAGE_OUTBOX"] = str(path)
    yield path
    app.config["MESSAGE_OUTBOX"] = previous


def sent_to(path, to: str) -> list[str]:
    if not path.exists():
        return []
    return [m["text"] for m in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if m["to"] == to]


def test_worker_files_clerk_accepts_worker_follows_and_is_served(browser, live_server, db, org, outbox, tmp_path):
    photo = tmp_path / "工资条.png"
    Image.new("RGB", (80, 60), (200, 40, 40)).save(photo, format="PNG")
    worker = Screen(browser, live_server, PHONE, "zh")
    page = worker.page
    try:
        worker.go("/portal/")
        worker.assert_fits()
        page.click("#start-apply")
        page.select_option("select[name=kind]", "arbitration")
        page.fill("input[name=name]", "张三")
        page.fill("input[name=id_number]", WORKER_ID)
        page.fill("input[name=phone]", MOBILE)
        worker.assert_fits()
        page.click("main form button.p-button")
        page.fill("input[name=name]", "深圳市宏达电子科技有限公司")
        page.fill("input[name=credit_code]", EMPLOYER_CODE)
        page.fill("input[name=known_on]", "2026-10-01")
        page.click("main form button.p-button")
        page.select_option("select[name=category_1]", "wages")
        page.fill("input[name=amount_1]", "12000")
        page.select_option("select[name=category_2]", "overtime")
        page.fill("input[name=amount_2]", "3000")
        worker.assert_fits()
        page.click("main form button.p-button:not(.p-secondary)")
        page.set_input_files("input[name=files]", str(photo))
        page.click("button[value=upload]")
        assert "工资条.png" in page.inner_text("#uploaded")
        page.click("button[value=next]")
        worker.assert_fits()
        page.check("input[name=confirm]")
        page.click("main form button.p-button")
        reference = page.inner_text("#reference")
        worker.assert_fits()

        application = db.session.scalar(sa.select(OnlineApplication).where(OnlineApplication.reference == reference))
        assert len(application.data["claims"]) == 2 and len(application.uploads) == 1

        clerk = Screen(browser, live_server, PHONE, "zh")
        clerk.go("/login")
        clerk.page.fill("input[name=username]", org.user(Role.CLERK).username)
        clerk.page.fill("input[name=password]", PASSWORD)
        clerk.page.locator("main form button").first.click()
        clerk.go("/applications")
        clerk.page.click(f"text={reference}")
        clerk.page.select_option("select[name=action]", "accept")
        clerk.page.click("#decide button")
        clerk.page.wait_for_load_state()
        db.session.expire_all()
        application = db.session.get(OnlineApplication, application.id)
        case = application.case
        assert case is not None and f"/cases/{case.id}" in clerk.page.url
        assert any(case.registry_no in text for text in sent_to(outbox, MOBILE))  # the worker is told

        worker.go("/portal/sign-in")
        page.fill("input[name=contact]", MOBILE)
        page.click("main form button.p-button")
        code = re.search(r"\b(\d{6})\b", sent_to(outbox, MOBILE)[-1]).group(1)
        page.fill("input[name=code]", code)
        page.click("main form button.p-button")
        assert case.registry_no in page.inner_text("main")
        page.click("a.p-card")
        worker.assert_fits()
        page.click("#consent")
        page.check("input[name=agree]")
        page.click("main form button.p-button")

        notice = fake_issue(db.session, case, "arb_acceptance", unit=org.centre)
        db.session.commit()
        clerk.go(f"/cases/{case.id}/e-service")
        clerk.page.select_option("#send-link select[name=document_id]", str(notice.id))
        clerk.page.select_option("#send-link select[name=party_id]", str(case.applicants[0].id))
        clerk.page.click("#send-link button")
        clerk.page.wait_for_load_state()
        link = re.search(r"(https?://\S+/portal/served/\d+)", sent_to(outbox, MOBILE)[-1]).group(1)

        worker.go(urlsplit(link).path)
        worker.assert_fits()
        page.click("#open-document")
        page.wait_for_load_state()
        assert page.locator("#download").is_visible()
        db.session.expire_all()
        service = db.session.scalar(sa.select(DocumentService).where(DocumentService.document_id == notice.id))
        assert service is not None and service.method.value == "electronic" and service.address == MOBILE
        assert worker.problems == [] and clerk.problems == []
    finally:
        worker.close()
