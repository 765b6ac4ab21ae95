"""A phone is a first-class screen (issue 16): at 390×844 a mediator finds a case, logs a session, records an
agreement with a payment schedule and opens a PDF, and no page they reach scrolls sideways; the clerk's and the
supervisor's main pages fit too, in both languages, and the desktop layout is unchanged at 1366×768."""

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from disputes.models import Case, IssuedDocument, Mediation, User
from disputes.workflow.states import MediationState
from tests.browser.conftest import DESKTOP, PHONE


def mediation_in_progress(db) -> Mediation:
    """A demo mediation a mediator holds, accepted or in session: the one a phone test takes to an agreement."""
    return db.session.scalars(
        sa.select(Mediation)
        .where(
            Mediation.state.in_([MediationState.ACCEPTED, MediationState.IN_SESSION]),
            Mediation.mediator_id.is_not(None),
        )
        .order_by(Mediation.case_id)
    ).first()


def a_case_with_a_document(db, holder: User) -> Case:
    return db.session.scalars(
        sa.select(Case)
        .join(IssuedDocument, IssuedDocument.case_id == Case.id)
        .join(Mediation, Mediation.case_id == Case.id)
        .where(Mediation.mediator_id == holder.id)
        .order_by(Case.id)
    ).first()


def test_a_mediator_works_a_case_on_a_phone(db, screen):
    mediation = mediation_in_progress(db)
    case, mediator = mediation.case, mediation.mediator
    registry_no, case_id = case.registry_no, case.id
    tab = screen(mediator.username)
    page = tab.page

    # The menu is folded behind one button; opened, it leads to the case list.
    tab.assert_fits("/work")
    assert not page.locator("nav.mainnav").is_visible()
    page.click("label.nav-button")
    assert page.locator("nav.mainnav").is_visible()
    tab.assert_fits()
    page.locator("nav.mainnav a[href='/cases']").click()
    page.wait_for_url("**/cases")
    tab.assert_fits()

    # Find the case by its number and open it.
    page.fill("input[name=q]", registry_no)
    page.locator("form.filters button, form.filters [type=submit]").first.click()
    page.wait_for_load_state()
    tab.assert_fits()
    page.locator(f"a[href='/cases/{case_id}']").first.click()
    page.wait_for_url(f"**/cases/{case_id}")
    tab.assert_fits()
    step = page.locator(f".step-buttons a[href$='/cases/{case_id}/mediation/log-session']")
    assert step.is_visible() and step.bounding_box()["x"] + step.bounding_box()["width"] <= PHONE["width"]

    # Log a session.
    step.click()
    page.wait_for_url("**/mediation/log-session")
    tab.assert_fits()
    page.fill("input[name=held_at]", "2026-11-20T09:30")
    page.fill("input[name=place]", "社区调解室")
    page.fill("input[name=attendees]", "申请人；被申请人人事经理")
    page.fill("textarea[name=summary]", "双方核对工资数额，同意分期支付")
    page.select_option("select[name=outcome]", "continue")
    page.locator(".step-form .btn-primary").click()
    page.wait_for_url(f"**/cases/{case_id}#*")
    assert page.locator(".flash-success").is_visible()
    tab.assert_fits()

    # Record the agreement: a schedule of three instalments that must add up to the agreed 9,000 yuan.
    page.locator(f".step-buttons a[href$='/cases/{case_id}/mediation/agreement']").click()
    page.wait_for_url("**/mediation/agreement")
    tab.assert_fits()
    page.fill("input[name=terms-0-description]", "被申请人分三期支付拖欠工资")
    page.fill("input[name=terms-0-amount]", "9000")
    rows = page.locator("table[data-rows=instalments] tbody tr")
    page.click("[data-add-row=instalments]")
    page.click("[data-add-row=instalments]")
    page.click("[data-add-row=instalments]")
    assert rows.count() == 4
    rows.nth(3).locator("[data-remove-row]").click()  # one too many
    assert rows.count() == 3
    tab.assert_fits()
    for i, (day, amount) in enumerate((("2026-12-01", "3000"), ("2027-01-01", "3000"), ("2027-02-01", "2000"))):
        rows.nth(i).locator("input[type=date]").fill(day)
        rows.nth(i).locator("input[data-sum=instalments]").fill(amount)
    total = page.locator(".schedule-total")
    assert "8,000.00" in total.locator("[data-total=instalments]").inner_text()
    assert "9,000.00" in total.locator("[data-total=terms]").inner_text()
    assert total.locator("[data-total=difference]").is_visible()
    assert "1,000.00" in total.locator("[data-total=difference]").inner_text()
    assert not total.locator("[data-total=ok]").is_visible()

    page.locator(".step-form .btn-primary").click()  # refused by the server: it does not add up
    page.wait_for_load_state()
    assert page.locator("#schedule .error").count() == 1
    assert "8,000.00" in page.locator("#schedule .error").inner_text()
    tab.assert_fits()
    rows.nth(2).locator("input[data-sum=instalments]").fill("3000")
    assert total.locator("[data-total=ok]").is_visible() and not total.locator("[data-total=difference]").is_visible()
    page.locator(".step-form .btn-primary").click()
    page.wait_for_url(f"**/cases/{case_id}#*")
    assert page.locator(".flash-success").is_visible()
    tab.assert_fits()
    db.session.expire_all()
    done = db.session.get(Mediation, mediation.id)
    assert done.state == MediationState.AGREEMENT
    assert [(i.due_on.isoformat(), i.amount) for i in done.instalments] == [
        ("2026-12-01", Decimal("3000.00")),
        ("2027-01-01", Decimal("3000.00")),
        ("2027-02-01", Decimal("3000.00")),
    ]
    assert tab.problems == []


def test_a_mediator_opens_a_pdf_from_the_documents_panel(db, screen):
    holder = db.session.scalars(
        sa.select(User)
        .join(Mediation, Mediation.mediator_id == User.id)
        .join(IssuedDocument, IssuedDocument.case_id == Mediation.case_id)
    ).first()
    case = a_case_with_a_document(db, holder)
    tab = screen(holder.username)
    tab.assert_fits(f"/cases/{case.id}")
    panel = tab.page.locator(".documents-panel")
    panel.scroll_into_view_if_needed()
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    link = panel.locator("a[href$='.pdf']").first
    response = tab.page.request.get(tab.base + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    # Each document's preview reads on the phone too: the text reflows, the issued PDF keeps its A4 page.
    previews = panel.locator("a[href*='/preview']").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert previews
    for href in previews:
        tab.assert_fits(href)
    assert tab.problems == []


def case_pages(db, holder: User | None = None) -> list[str]:
    """A case page (of a case the user holds, when given)."""
    query = sa.select(Case.id).order_by(Case.id)
    if holder is not None:
        query = query.join(Mediation, Mediation.case_id == Case.id).where(Mediation.mediator_id == holder.id)
    return [f"/cases/{db.session.scalars(query).first()}"]


MEDIATOR_PAGES = [
    "/cases",
    "/work",
    "/deadlines",
    "/deadlines?view=mine",
    "/arbitration/calendar",
    "/notifications",
    "/account",
]
STAFF_PAGES = {
    "clerk": ["/work", "/cases", "/cases/new", "/deadlines", "/arbitration/calendar", "/notifications", "/account"],
    "supervisor": ["/work", "/cases", "/deadlines", "/arbitration/calendar", "/reports", "/notifications"],
    "arbitrator": ["/work", "/cases", "/deadlines", "/arbitration/calendar"],
}


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_every_page_a_mediator_reaches_fits_a_phone(db, screen, locale):
    mediation = mediation_in_progress(db)
    mediator, case_id = mediation.mediator, mediation.case_id
    tab = screen(mediator.username, locale=locale)
    pages = [
        *MEDIATOR_PAGES,
        f"/cases/{case_id}",
        f"/cases/{case_id}/mediation/log-session",
        f"/cases/{case_id}/mediation/agreement",
        f"/cases/{case_id}/service",
    ]
    for path in pages:
        tab.assert_fits(path)
    assert tab.page.locator("html").get_attribute("lang") == ("zh-CN" if locale == "zh" else "en")
    assert tab.problems == []


@pytest.mark.parametrize(
    ("username", "locale"), [("clerk", "zh"), ("supervisor", "zh"), ("supervisor", "en"), ("arbitrator", "en")]
)
def test_staff_main_pages_fit_a_phone(db, screen, username, locale):
    tab = screen(username, locale=locale)
    for path in [*STAFF_PAGES[username], *case_pages(db)]:
        tab.assert_fits(path)
    assert tab.problems == []


def test_tables_become_cards_with_their_column_names(db, screen):
    tab = screen("clerk", locale="en")
    tab.go("/cases")
    first = tab.page.locator("table.grid tbody tr").first
    assert first.evaluate("row => getComputedStyle(row).display") == "block"
    assert not tab.page.locator("table.grid thead").first.is_visible()
    labels = first.locator("td").evaluate_all("cells => cells.map(c => c.dataset.label)")
    headers = tab.page.locator("table.grid thead th").evaluate_all("cells => cells.map(c => c.textContent.trim())")
    assert labels == headers[: len(labels)] and all(labels)


def test_the_desktop_keeps_its_menu_and_tables(db, screen):
    tab = screen("supervisor", viewport=DESKTOP)
    for path in ["/work", "/cases", "/deadlines", "/arbitration/calendar", *case_pages(db)]:
        tab.assert_fits(path)
        assert tab.page.locator("nav.mainnav").is_visible()
        assert not tab.page.locator("label.nav-button").is_visible()
    tab.go("/cases")
    assert tab.page.locator("table.grid thead").first.is_visible()
    assert re.match(
        r"table", tab.page.locator("table.grid tbody tr").first.evaluate("row => getComputedStyle(row).display")
    )
