"""Routing and allocation in the browser (issue 16): a clerk registers a case and routes it, the mediator holds it
with the reason; under rotation the next case goes to the next mediator, saying after whom; a supervisor records an
absence and sets the rule to least load, and the next case skips the absent
mediator and says so; a supervisor reassigns cases in bulk from the list; a mediator logs a session, which the
session calendar shows."""

from datetime import timedelta

import sqlalchemy as sa

from disputes import clock
from disputes.models import Case, Mediation, Role, User, UserRole
from disputes.workflow.states import MediationState
from tests.browser.conftest import DESKTOP


def _mediators(db) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.MEDIATOR, User.active.is_(True))
            .order_by(User.id)
        )
    )


def _register(page, cause: str, destination: str | None = None) -> str:
    """Fill the intake form with one worker, one employer and one claim, check it, then route it (to the first
    mediation committee offered, or `destination`) and register."""
    page.fill("input[name=cause]", cause)
    page.fill("input[name='workers-0-name']", "浏览器测试工人")
    page.fill("input[name='employers-0-name']", "深圳市浏览器测试有限公司")
    page.select_option("select[name='claims-0-category']", "wages")
    page.fill("input[name='claims-0-amount']", "8000")
    page.locator("form.intake .actions .btn-primary").click()
    page.wait_for_load_state()
    options = page.locator("select[name=destination] option")
    values = [options.nth(i).get_attribute("value") for i in range(options.count())]
    chosen = destination or next(v for v in values if v and v.startswith("mediation-"))
    page.select_option("select[name=destination]", chosen)
    page.locator("form.intake fieldset .btn-primary").click()
    page.wait_for_load_state()
    return page.url


def test_a_clerk_registers_and_routes_a_case_and_the_mediator_has_it(db, screen):
    tab = screen("clerk", DESKTOP)
    page = tab.page
    tab.go("/cases/new")
    url = _register(page, "浏览器登记分流")
    assert "/cases/" in url and "/new" not in url, page.content()[:2000]
    allocation = page.locator("section#allocation")
    assert allocation.is_visible()
    case = db.session.scalar(sa.select(Case).where(Case.cause == "浏览器登记分流"))
    assert case is not None and case.mediation is not None and case.mediation.mediator is not None
    holder = case.mediation.mediator
    assert holder.display_name in allocation.inner_text()
    mediator = screen(holder.username, DESKTOP)
    mediator.go("/work")
    assert case.registry_no in mediator.page.locator("main").inner_text()
    assert not tab.problems and not mediator.problems


def test_least_load_skips_an_absent_mediator_and_says_so(db, screen):
    by_unit: dict[int, list[User]] = {}
    for person in _mediators(db):
        by_unit.setdefault(person.unit_id, []).append(person)
    people = next(p for p in by_unit.values() if len(p) >= 2)  # a committee of two mediators or more
    unit, away = people[0].unit, people[0]
    boss = screen("supervisor", DESKTOP)
    page = boss.page
    boss.go("/admin/allocation")
    row = page.locator("table.allocation-rules tr", has_text=unit.name).first
    row.locator("select[name=method]").select_option("least_load")
    row.locator("button").click()
    page.wait_for_load_state()
    today = clock.today_local()
    form = page.locator("section#absences form.inline-form").last
    form.locator("select[name=user_id]").select_option(str(away.id))
    form.locator("input[name=starts_on]").fill(today.isoformat())
    form.locator("input[name=ends_on]").fill((today + timedelta(days=10)).isoformat())
    form.locator("input[name=note]").fill("休假")
    form.locator("button").click()
    page.wait_for_load_state()
    assert away.display_name in page.locator("section#absences table").inner_text()

    clerk = screen("clerk", DESKTOP)
    clerk.go("/cases/new")
    _register(clerk.page, "浏览器按负荷分配", destination=f"mediation-{unit.id}")
    case = db.session.scalar(sa.select(Case).where(Case.cause == "浏览器按负荷分配"))
    assert case.mediation.unit_id == unit.id and case.mediation.mediator_id not in (None, away.id)
    explanation = clerk.page.locator("section#allocation").inner_text()
    assert away.display_name in explanation  # skipped, and said so
    assert not boss.problems and not clerk.problems


def test_rotation_gives_the_next_case_to_the_next_mediator_and_says_after_whom(db, screen):
    by_unit: dict[int, list[User]] = {}
    for person in _mediators(db):
        by_unit.setdefault(person.unit_id, []).append(person)
    unit = next(p for p in by_unit.values() if len(p) >= 2)[0].unit  # a committee of two mediators or more
    boss = screen("supervisor", DESKTOP)
    boss.go("/admin/allocation")
    row = boss.page.locator("table.allocation-rules tr", has_text=unit.name).first
    row.locator("select[name=method]").select_option("rotation")
    row.locator("button").click()
    boss.page.wait_for_load_state()

    clerk = screen("clerk", DESKTOP)
    holders = []
    for cause in ("浏览器轮流分配一", "浏览器轮流分配二"):
        clerk.go("/cases/new")
        _register(clerk.page, cause, destination=f"mediation-{unit.id}")
        case = db.session.scalar(sa.select(Case).where(Case.cause == cause))
        db.session.refresh(case.mediation)
        assert case.mediation.unit_id == unit.id and case.mediation.mediator is not None
        holders.append(case.mediation.mediator)
    assert holders[0].id != holders[1].id  # the rotation moved on
    explanation = clerk.page.locator("section#allocation").inner_text()
    assert holders[0].display_name in explanation and holders[1].display_name in explanation  # "next after …"
    assert not boss.problems and not clerk.problems


def test_a_supervisor_reassigns_cases_in_bulk(db, screen):
    held = list(
        db.session.scalars(
            sa.select(Mediation)
            .where(Mediation.state.in_([MediationState.ACCEPTED, MediationState.IN_SESSION]))
            .order_by(Mediation.case_id)
            .limit(2)
        )
    )
    assert len(held) == 2
    target = next(u for u in _mediators(db) if u.unit_id == held[0].unit_id and u.id != held[0].mediator_id)
    tab = screen("supervisor", DESKTOP)
    page = tab.page
    tab.go("/cases?q=" + held[0].case.registry_no)
    page.locator(f"input[name=case_ids][value='{held[0].case_id}']").check()
    page.select_option("#bulk-form select[name=action]", "reassign")
    page.select_option("#bulk-form select[name=user_id]", str(target.id))
    page.fill("#bulk-form input[name=reason]", "均衡工作量")
    page.locator("#bulk-form button").click()
    page.wait_for_load_state()
    db.session.expire_all()
    assert db.session.get(Mediation, held[0].id).mediator_id == target.id
    assert not tab.problems


def test_a_mediator_logs_a_session_and_the_calendar_shows_it(db, screen):
    mediation = db.session.scalar(
        sa.select(Mediation)
        .where(
            Mediation.state.in_([MediationState.ACCEPTED, MediationState.IN_SESSION]),
            Mediation.mediator_id.is_not(None),
        )
        .order_by(Mediation.case_id)
    )
    case_id, mediator = mediation.case_id, mediation.mediator
    tab = screen(mediator.username, DESKTOP)
    page = tab.page
    tab.go(f"/cases/{case_id}/mediation/log-session")
    page.fill("input[name=held_at]", clock.to_local(clock.now_utc()).strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=place]", "浏览器调解室")
    page.fill("input[name=attendees]", "双方当事人")
    page.fill("textarea[name=summary]", "双方就工资数额协商")
    page.select_option("select[name=outcome]", "continue")
    page.locator(".step-form .btn-primary").click()
    page.wait_for_url(f"**/cases/{case_id}#*")
    tab.go("/mediation/calendar")
    assert "浏览器调解室" in page.locator("#session-grid").inner_text()
    assert not tab.problems
