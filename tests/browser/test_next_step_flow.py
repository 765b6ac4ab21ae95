"""The case page leads (issue 16), in Chromium on the demo centre: a clerk issues the document the header offers and
lands on its service with the document and the parties chosen and the time set to now, and records it in one
submission; a supervisor approves several pending closures at once from a list."""

import pytest
import sqlalchemy as sa
from flask_login import login_user

from disputes.cases.page import build_case_page
from disputes.models import Case, DocumentService, Role, Unit, UnitKind, User, UserRole
from disputes.workflow.intake import register_case
from disputes.workflow.states import ArbitrationState
from tests.browser.conftest import DESKTOP, PHONE
from tests.conftest import intake_input
from tests.drive import Driver


class DemoOrg:
    """The demo centre seen as `tests.drive.Driver` wants an organisation: one user per role, its commission."""

    def __init__(self, session):
        self.session = session
        self.arbitration = session.scalars(
            sa.select(Unit)
            .join(User, User.unit_id == Unit.id)
            .where(Unit.kind == UnitKind.ARBITRATION_COMMISSION, User.username == "arbitrator")
        ).one()

    def user(self, role):
        if role == Role.CLERK:
            return self.session.scalars(sa.select(User).where(User.username == "clerk")).one()
        if role in (Role.SUPERVISOR, Role.ARBITRATOR):
            return self.session.scalars(sa.select(User).where(User.username == role.value)).one()
        return self.session.scalars(
            sa.select(User).join(UserRole, UserRole.user_id == User.id).where(UserRole.role == role).order_by(User.id)
        ).first()


def a_fresh_case(app, db, state: ArbitrationState) -> Case:
    org = DemoOrg(db.session)
    clerk = org.user(Role.CLERK)
    case = register_case(db.session, clerk, intake_input(clerk.unit))
    Driver(db.session, org, case).arbitration(state)
    db.session.commit()
    return case


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_clerk_issues_the_offered_notice_and_serves_it_in_one_flow(app, db, screen, viewport):
    case = a_fresh_case(app, db, ArbitrationState.ACCEPTED)
    clerk = DemoOrg(db.session).user(Role.CLERK)
    with app.test_request_context():
        login_user(clerk)
        offers = build_case_page(db.session, case, clerk).header_offers
    assert offers, "an accepted case offers its acceptance notice"
    case_id, parties = case.id, {p.id for p in case.parties}
    tab = screen("clerk", viewport=viewport)
    page = tab.page
    tab.assert_fits(f"/cases/{case_id}")
    header = page.locator("#now")
    assert header.is_visible()
    form = header.locator(f"form.issue-then-serve[action$='/documents/{offers[0].kind_id}/issue']")
    form.locator("button").click()
    page.wait_for_url(f"**/cases/{case_id}/service?document=*")
    tab.assert_fits()
    chosen = page.locator("#record input[name=party_id]:checked")
    assert {int(chosen.nth(i).get_attribute("value")) for i in range(chosen.count())} == parties
    assert page.locator("#record input[name=document_id]:checked").count() == 1
    assert page.locator("#record input[name=served_at]").input_value() != ""
    page.select_option("#record select[name=method]", "in_person")
    page.fill("#record input[name=recipient]", "张三")
    page.locator("#record .btn-primary").click()
    page.wait_for_load_state()
    assert page.locator(".flash-success").first.is_visible()
    tab.assert_fits()
    db.session.expire_all()
    served = db.session.scalars(sa.select(DocumentService.party_id).where(DocumentService.case_id == case_id)).all()
    assert set(served) == parties
    assert tab.problems == []


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_a_supervisor_approves_several_closures_at_once(app, db, screen, locale):
    cases = [a_fresh_case(app, db, ArbitrationState.CLOSING) for _i in range(2)]
    ids = [c.id for c in cases]
    tab = screen("supervisor", viewport=PHONE, locale=locale)
    page = tab.page
    tab.assert_fits("/arbitration/closures")
    for case_id in ids:
        row = page.locator(f"#closure-{case_id}")
        row.locator("summary").click()  # the award, inline
        assert row.locator("table.award-inline").is_visible()
        row.locator("input[name=case_ids]").check()
    tab.assert_fits()
    page.locator("form.bulk-approval .btn-primary").click()
    page.wait_for_load_state()
    assert page.locator("#outcomes .flash-success").is_visible()
    assert page.locator("#outcomes li[data-case]").count() == 0
    for case_id in ids:
        assert page.locator(f"#closure-{case_id}").count() == 0
    tab.assert_fits()
    db.session.expire_all()
    assert all(db.session.get(Case, i).arbitration.state == ArbitrationState.CLOSED for i in ids)
    assert tab.problems == []
