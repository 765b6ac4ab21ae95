"""Routing and allocation through the pages: registration ends with the route, the route step of an unrouted case,
the allocation's reasons on the case page and in the holder's queue, "my cases", the holder filter, bulk reassign
and move, and the allocation page's absences."""

from datetime import timedelta

import sqlalchemy as sa

from disputes import clock, organisation
from disputes.models import Allocation, Case, CaseRoute, Role, Route, TimelineEntry
from disputes.workflow import allocation, routing
from disputes.workflow.states import MediationState
from tests.conftest import PASSWORD
from tests.pages import classes, parse, t, text
from tests.web.test_intake_web import form_values, intake_data, intake_form


def _second_mediator(db, org, name="孙秀英"):
    user = organisation.add_user(db.session, "mediator-b", name, [Role.MEDIATOR], org.mediation, PASSWORD)
    db.session.commit()
    return user


def _options(response, name: str) -> list[tuple[str, str]]:
    for select in parse(response).iter("select"):
        if select.get("name") == name:
            return [(o.get("value"), text(o)) for o in select.iter("option")]
    raise AssertionError(f"no select {name}")


def _section(response, key: str):
    found = [s for s in parse(response).iter("section") if s.get("id") == key]
    return found[0] if found else None


def test_registration_ends_with_the_route_and_the_mediator_gets_it(app, db, org, login):
    client = login(org.user(Role.CLERK))
    review = client.post("/cases/new", data=intake_data(org.centre))
    options = _options(review, "destination")
    # the worker's street first (the address says 布吉街道), then the centre's own committee
    assert options[0][0] == ""
    assert options[1][0] == f"mediation-{org.street_mediation.id}"
    assert t(app, "the worker's street") in options[1][1]
    assert options[2][0] == f"mediation-{org.mediation.id}" and t(app, "the centre's own") in options[2][1]
    values = form_values(intake_form(review))
    values["destination"] = f"mediation-{org.mediation.id}"
    response = client.post("/cases/new", data=values)
    assert response.status_code == 302
    case = db.session.scalar(sa.select(Case))
    assert case.route.route == Route.MEDIATION and case.mediation.state == MediationState.ACCEPTED
    mediator = org.user(Role.MEDIATOR)
    assert case.mediation.mediator == mediator
    page = client.get(response.headers["Location"])
    explanation = t(app, "rotation: first in the unit's order")
    assert explanation in text(parse(page).find(".//section[@id='allocation']"))
    # the mediator sees it at once: in their queue with the reason, and in "my cases"
    mine = login(mediator)
    queue = _section(mine.get("/work"), "mediator-given")
    assert case.registry_no in text(queue) and explanation in text(queue)
    listed = mine.get("/work/mine")
    assert listed.status_code == 200 and case.registry_no in text(parse(listed).find(".//table"))


def test_an_unrouted_case_waits_in_the_clerks_queue_then_is_routed_on_its_page(app, db, org, login, make_case):
    case = make_case()
    clock.freeze(clock.now_utc() + timedelta(days=3))
    client = login(org.user(Role.CLERK))
    queue = _section(client.get("/work"), "clerk-route")
    assert case.registry_no in text(queue)
    assert t(app, "Route the case: waiting %(days)s days", days=3) in text(queue)
    page = client.get(f"/cases/{case.id}")
    (form,) = [f for f in parse(page).iter("form") if f.get("action") == f"/cases/{case.id}/route"]
    values = form_values(form)
    values["destination"] = f"arbitration-{org.arbitration.id}"
    response = client.post(f"/cases/{case.id}/route", data=values)
    assert response.status_code == 302
    db.session.expire_all()
    assert case.arbitration is not None and db.session.get(CaseRoute, case.id).route == Route.ARBITRATION
    assert routing.is_unrouted(case) is False
    assert case.registry_no not in text(_section(client.get("/work"), "clerk-route"))
    # the arbitrator given it sees it in "my cases" the same day
    listed = login(org.user(Role.ARBITRATOR)).get("/work/mine")
    assert case.registry_no in text(parse(listed).find(".//table"))


def test_a_stale_route_form_routes_nothing(db, org, login, make_case):
    case = make_case()
    client = login(org.user(Role.CLERK))
    response = client.post(f"/cases/{case.id}/route", data={"destination": "advice", "version": "0"})
    assert response.status_code == 302
    assert db.session.get(CaseRoute, case.id) is None


def test_absence_recorded_on_the_allocation_page_is_skipped_and_explained(app, db, org, login, make_case):
    first = org.user(Role.MEDIATOR)
    second = _second_mediator(db, org)
    admin = login(org.user(Role.SUPERVISOR))
    today = clock.today_local()
    response = admin.post(
        "/admin/allocation/absences",
        data={
            "user_id": str(first.id),
            "starts_on": str(today),
            "ends_on": str(today + timedelta(days=20)),
            "note": "年假",
        },
    )
    assert response.status_code == 302
    case = make_case()
    routed = routing.route_case(db.session, case, org.user(Role.CLERK), Route.MEDIATION, org.mediation.id)
    db.session.commit()
    assert routed.allocation.user == second
    page = login(org.user(Role.CLERK)).get(f"/cases/{case.id}")
    card = text(parse(page).find(".//section[@id='allocation']"))
    until = (today + timedelta(days=20)).isoformat()[5:]
    assert t(app, "%(name)s skipped: away until %(until)s", name=first.display_name, until=until) in card


def test_rule_set_on_the_allocation_page(db, org, login):
    client = login(org.user(Role.ADMIN))
    assert client.get("/admin/allocation").status_code == 200
    response = client.post("/admin/allocation/rule", data={"unit_id": str(org.mediation.id), "method": "least_load"})
    assert response.status_code == 302
    assert allocation.rule_of(db.session, org.mediation).value == "least_load"


def test_holder_filter_and_bulk_reassign(app, db, org, login, make_case):
    first = org.user(Role.MEDIATOR)
    second = _second_mediator(db, org)
    cases = [make_case() for _ in range(3)]
    for case in cases:
        routing.route_case(db.session, case, org.user(Role.CLERK), Route.MEDIATION, org.mediation.id)
    db.session.commit()
    held_by_first = [c for c in cases if c.mediation.mediator == first]
    assert len(held_by_first) == 2
    client = login(org.user(Role.SUPERVISOR))
    listing = client.get(f"/cases?holder={first.id}")
    rows = parse(listing).find(".//table[@class='grid cases']").find("tbody").findall("tr")
    assert sorted(text(r.find("td")) for r in rows) == sorted(c.registry_no for c in held_by_first)
    response = client.post(
        "/cases/bulk",
        data={
            "case_ids": [str(c.id) for c in held_by_first],
            "action": "reassign",
            "user_id": str(second.id),
            "unit_id": "",
            "reason": "李建华调岗",
            "next": "/cases",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert all(c.mediation.mediator == second for c in cases)
    for case in held_by_first:
        moved = db.session.scalars(
            sa.select(TimelineEntry).where(TimelineEntry.case_id == case.id, TimelineEntry.kind == "case.allocated")
        ).all()
        assert moved[-1].reason == "李建华调岗" and moved[-1].after["to"] == second.display_name
    # the new holder is told: the cases are in their queue, with the reason
    queue = text(_section(login(second).get("/work"), "mediator-given"))
    assert all(c.registry_no in queue for c in cases)
    assert t(app, "assigned by hand: %(reason)s", reason="李建华调岗") in queue


def test_bulk_move_to_another_committee(db, org, login, make_case):
    street_mediator = organisation.add_user(
        db.session, "bj-mediator", "郭丽娟", [Role.MEDIATOR], org.street_mediation, PASSWORD
    )
    db.session.commit()
    case = make_case()
    routing.route_case(db.session, case, org.user(Role.CLERK), Route.MEDIATION, org.mediation.id)
    db.session.commit()
    number = case.mediation.number
    client = login(org.user(Role.SUPERVISOR))
    response = client.post(
        "/cases/bulk",
        data={
            "case_ids": [str(case.id)],
            "action": "move",
            "unit_id": str(org.street_mediation.id),
            "user_id": "",
            "reason": "工作地在布吉街道",
            "next": "/cases",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert case.mediation.unit == org.street_mediation and case.mediation.mediator == street_mediator
    assert case.mediation.number == number  # the case keeps its number and history
    kinds = [e.kind for e in case.timeline]
    assert "case.moved" in kinds
    last = db.session.scalars(
        sa.select(Allocation).where(Allocation.case_id == case.id).order_by(Allocation.id.desc())
    ).first()
    assert last.user == street_mediator and last.unit == org.street_mediation


def test_bulk_is_for_supervisors_only(db, org, login, make_case):
    case = make_case()
    response = login(org.user(Role.CLERK)).post(
        "/cases/bulk",
        data={
            "case_ids": [str(case.id)],
            "action": "reassign",
            "user_id": str(org.user(Role.MEDIATOR).id),
            "reason": "x",
        },
    )
    assert response.status_code == 403
    assert "bulk-form" not in login(org.user(Role.CLERK)).get("/cases").get_data(as_text=True)


def test_conflict_recorded_on_the_case_page_blocks_a_hand_assignment(app, db, org, login, make_case):
    first = org.user(Role.MEDIATOR)
    second = _second_mediator(db, org)
    case = make_case()
    routing.route_case(db.session, case, org.user(Role.CLERK), Route.MEDIATION, org.mediation.id)
    db.session.commit()
    client = login(org.user(Role.SUPERVISOR))
    assert (
        client.post(f"/cases/{case.id}/conflict", data={"user_id": str(second.id), "reason": "申请人之兄"}).status_code
        == 302
    )
    page = client.get(f"/cases/{case.id}")
    (form,) = [f for f in parse(page).iter("form") if f.get("action") == f"/cases/{case.id}/assign"]
    values = form_values(form)
    values.update({"user_id": str(second.id), "reason": "熟悉该企业"})
    refused = client.post(f"/cases/{case.id}/assign", data=values)
    assert refused.status_code == 400
    assert any("error" in classes(e) for e in parse(refused).iter())
    db.session.expire_all()
    assert case.mediation.mediator == first
