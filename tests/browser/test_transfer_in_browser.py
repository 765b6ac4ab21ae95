"""A transfer out and back in the browser (issue 16): the district centre's supervisor asks to move a mediation to
Buji's street committee with a reason; Buji's mediator returns it from their queue with a reason; the supervisor,
seeing why on the case page, asks again; Buji accepts and the case is theirs, number and history kept."""

import sqlalchemy as sa

from disputes.models import CaseTransfer, Mediation, TransferStatus, Unit, User
from disputes.workflow.states import MediationState
from tests.browser.conftest import DESKTOP, PHONE


def _a_district_mediation(db) -> Mediation:
    waiting = sa.select(CaseTransfer.case_id).where(CaseTransfer.status == TransferStatus.PENDING)
    return db.session.scalars(
        sa.select(Mediation)
        .join(Unit, Unit.id == Mediation.unit_id)
        .where(Unit.code == "LGM", Mediation.state == MediationState.ACCEPTED, Mediation.case_id.not_in(waiting))
        .order_by(Mediation.case_id)
    ).first()


def _ask(tab, case_id: int, street_id: int, reason: str) -> None:
    page = tab.page
    tab.go(f"/cases/{case_id}")
    page.locator("#transfers summary", has_text="移送至其他单位或机构").click()
    form = page.locator(f"form[action='/cases/{case_id}/transfer']")
    form.locator("select[name=track]").select_option("mediation")
    form.locator("select[name=to_unit_id]").select_option(str(street_id))
    form.locator("textarea[name=reason]").fill(reason)
    form.locator("button").click()
    page.wait_for_load_state()
    assert "等待对方接收" in page.locator(".flash-success").inner_text()


def test_a_transfer_out_returned_asked_again_and_accepted(db, screen):
    mediation = _a_district_mediation(db)
    case_id, number = mediation.case_id, mediation.case.registry_no
    street_id = db.session.scalar(sa.select(Unit.id).where(Unit.code == "BJM"))
    street_mediator = db.session.scalar(sa.select(User).where(User.username == "bjmediator"))

    supervisor = screen("supervisor", DESKTOP)
    _ask(supervisor, case_id, street_id, "双方当事人均在布吉街道")

    buji = screen("bjmediator", PHONE)
    buji.assert_fits("/transfers")
    row = buji.page.locator("tr", has_text=number)
    assert row.count() == 1
    row.locator("summary", has_text="说明理由后退回").click()
    row.locator("textarea[name=return_reason]").fill("缺少用工地证明")
    row.locator("button", has_text="退回").click()
    buji.page.wait_for_load_state()
    assert buji.page.locator("tr", has_text=number).count() == 0 or "已退回" in buji.page.content()
    assert buji.page.locator("table.transfer-queue tr", has_text=number).count() == 0

    supervisor.go(f"/cases/{case_id}")
    assert "缺少用工地证明" in supervisor.page.locator("#transfers").inner_text()
    _ask(supervisor, case_id, street_id, "已补充用工地证明")

    buji.assert_fits("/transfers")
    row = buji.page.locator("table.transfer-queue tr", has_text=number)
    row.locator("button", has_text="接收").click()
    buji.page.wait_for_url(f"**/cases/{case_id}#transfers")
    buji.assert_fits()
    panel = buji.page.locator("#transfers").inner_text()
    assert "已接收" in panel and "缺少用工地证明" in panel
    assert buji.page.locator("h1").inner_text() == number
    for tab in (supervisor, buji):
        assert not tab.problems, tab.problems

    db.session.expire_all()
    moved = db.session.get(Mediation, mediation.id)
    assert moved.unit_id == street_id and moved.mediator_id == street_mediator.id
