"""Four-eyes (issue 14 item 9) and the commission's head (Rules Art 45, Law Art 43).

Whoever took an act — recorded the award, asked for the closure, requested the suspension or extension — may not
approve it; an extension is decided only by a head of the commission named by the administrator.
"""

from datetime import date

import pytest

from disputes import organisation
from disputes.i18n import DomainError
from disputes.models import Role
from disputes.workflow import arbitration as arb
from disputes.workflow import awards, interruptions
from disputes.workflow.actions import ACTIONS, available, refusal
from disputes.workflow.approvals import approvers
from disputes.workflow.states import Approval, ArbitrationState, ClosureType, SuspensionGround, Track
from tests.conftest import PASSWORD
from tests.drive import Driver
from tests.sla.test_timers import at, timer


def supervisor(db, org, name: str):
    return organisation.add_user(db.session, name, name, [Role.SUPERVISOR], org.centre, PASSWORD)


@pytest.fixture
def heard(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.HEARD)
    return case


def record_and_request(db, case, recorder, requester):
    items = [awards.ItemInput(claim_id=c.id, amount=c.amount, text="支持") for c in case.claims]
    awards.record_award(db.session, case, recorder, items=items)
    arb.request_closure(db.session, case, requester, closure_type=ClosureType.AWARD)


def test_a_supervisor_cannot_approve_a_closure_they_asked_for_or_whose_award_they_recorded(db, org, heard):
    case = heard
    one, two, three = org.user(Role.SUPERVISOR), org.colleague(Role.SUPERVISOR), supervisor(db, org, "sup3")
    record_and_request(db, case, two, one)
    approve = ACTIONS["arbitration.approve_closure"]
    assert (
        refusal(case, one, approve, case.arbitration).message
        == "You asked for this closure; another supervisor must approve it."
    )
    assert (
        refusal(case, two, approve, case.arbitration).message
        == "You recorded the award of this closure; another supervisor must approve it."
    )
    with pytest.raises(DomainError, match="You asked for this closure"):
        arb.approve_closure(db.session, case, one)
    assert approve not in available(case, one, Track.ARBITRATION, case.arbitration)
    assert [u.display_name for u in approvers(case.arbitration, "closure").excluded] == [
        one.display_name,
        two.display_name,
    ]
    arb.approve_closure(db.session, case, three)
    assert case.arbitration.state == ArbitrationState.CLOSED and case.arbitration.closure_approved_by == three


def test_one_supervisor_alone_can_no_longer_close_a_case(db, org, heard):
    """The defect: record the award, ask for closure and approve it, all by one supervisor."""
    case, sup = heard, org.user(Role.SUPERVISOR)
    record_and_request(db, case, sup, sup)
    with pytest.raises(DomainError):
        arb.approve_closure(db.session, case, sup)
    # Sending it back is not an approval: the one who asked may withdraw it that way.
    arb.reject_closure(db.session, case, sup, note="撤回结案申请")
    assert case.arbitration.state == ArbitrationState.HEARD


def test_a_suspension_is_approved_by_someone_other_than_who_requested_it(db, org, heard):
    case, sup, other = heard, org.user(Role.SUPERVISOR), org.colleague(Role.SUPERVISOR)
    interruptions.request_suspension(db.session, case, sup, ground=SuspensionGround.FORCE_MAJEURE, reason="台风")
    with pytest.raises(DomainError, match="You requested this suspension"):
        interruptions.decide_suspension(db.session, case, sup, approve=True)
    interruptions.decide_suspension(db.session, case, other, approve=True)
    assert case.arbitration.suspensions[0].decided_by == other


def test_only_a_head_of_the_commission_decides_an_extension(db, org, heard):
    case, head, other = heard, org.user(Role.SUPERVISOR), org.colleague(Role.SUPERVISOR)
    interruptions.request_extension(db.session, case, org.user(Role.ARBITRATOR), days=10, reason="案情复杂")
    for decide in (True, False):
        with pytest.raises(DomainError) as refused:
            interruptions.decide_extension(db.session, case, other, approve=decide, note="x")
        assert (
            refused.value.message == "Only the head of the commission decides an extension (Rules Art 45): %(names)s."
            and refused.value.params == {"names": head.display_name}
        )
    assert [u for u in approvers(case.arbitration, "extension").heads] == [head]
    interruptions.decide_extension(db.session, case, head, approve=True)
    assert case.arbitration.extensions[0].decided_by == head


def test_a_head_who_requested_an_extension_needs_another_head(db, org, heard):
    case, head, deputy = heard, org.user(Role.SUPERVISOR), org.colleague(Role.SUPERVISOR)
    interruptions.request_extension(db.session, case, head, days=5, reason="需要鉴定")
    with pytest.raises(DomainError, match="You requested this extension"):
        interruptions.decide_extension(db.session, case, head, approve=True)
    assert approvers(case.arbitration, "extension").nobody
    organisation.set_commission_heads(db.session, org.arbitration, [head, deputy])
    assert not approvers(case.arbitration, "extension").nobody
    interruptions.decide_extension(db.session, case, deputy, approve=True)
    assert case.arbitration.extensions[0].state == Approval.APPROVED


def test_without_a_named_head_no_extension_can_be_decided(db, org, heard):
    case = heard
    organisation.set_commission_heads(db.session, org.arbitration, [])
    interruptions.request_extension(db.session, case, org.user(Role.ARBITRATOR), days=5, reason="需要鉴定")
    with pytest.raises(DomainError, match="No head of 龙岗区劳动人事争议仲裁委员会 is on record"):
        interruptions.decide_extension(db.session, case, org.user(Role.SUPERVISOR), approve=True)


def test_heads_are_supervisors_of_the_commission_or_above(db, org):
    with pytest.raises(DomainError, match="not an active supervisor"):
        organisation.set_commission_heads(db.session, org.arbitration, [org.user(Role.ARBITRATOR)])
    street_supervisor = organisation.add_user(db.session, "bj-sup", "布吉主管", [Role.SUPERVISOR], org.street, PASSWORD)
    with pytest.raises(DomainError, match="not an active supervisor"):
        organisation.set_commission_heads(db.session, org.arbitration, [street_supervisor])
    with pytest.raises(DomainError, match="Only an arbitration commission"):
        organisation.set_commission_heads(db.session, org.mediation, [org.user(Role.SUPERVISOR)])
    district = organisation.add_user(db.session, "lg-sup", "区主管", [Role.SUPERVISOR], org.district, PASSWORD)
    organisation.set_commission_heads(db.session, org.arbitration, [district])
    assert org.arbitration.heads == [district]


def test_the_decision_keeps_the_deadline_before_and_after(db, org, make_case):
    at(date(2026, 9, 1))
    case = make_case(registered_on=date(2026, 9, 1), dispute_known_on=date(2026, 8, 1))
    Driver(db.session, org, case).arbitration(ArbitrationState.ACCEPTED)
    head, deputy = org.user(Role.SUPERVISOR), org.colleague(Role.SUPERVISOR)
    interruptions.request_extension(db.session, case, deputy, days=5, reason="补充调查")
    rejected = interruptions.decide_extension(db.session, case, head, approve=False, note="无必要")
    assert (rejected.due_before, rejected.due_after) == (date(2026, 10, 16), date(2026, 10, 16))
    interruptions.request_extension(db.session, case, deputy, days=15, reason="案情复杂")
    at(date(2026, 9, 20))
    approved = interruptions.decide_extension(db.session, case, head, approve=True)
    # 10-16 + 15 = Saturday 10-31 → Monday 11-02 (deadlines.md rule 7: added before the roll-over).
    assert (approved.due_before, approved.due_after) == (date(2026, 10, 16), date(2026, 11, 2))
    assert timer(case, "arbitration.award").due_on == date(2026, 11, 2)


# The web: who may approve is said on the page, and the admin names the heads. ------------------------------------
def test_the_approval_page_and_the_panel_say_who_may_approve(app, db, org, heard, login):
    from tests.arb_web import Web
    from tests.pages import flashes, parse, t, text

    case = heard
    web = Web(db, org, login, case)
    arbitrator = org.user(Role.ARBITRATOR)
    web.as_(Role.ARBITRATOR).step("request-extension", {"days": "10", "reason": "案情复杂"})
    panel = text(parse(web.client.get(f"/cases/{case.id}")).find(".//section[@id='arbitration']"))
    assert (
        t(
            app,
            "Who decides: a head of the commission (Rules Art 45): %(names)s.",
            names=org.user(Role.SUPERVISOR).display_name,
        )
        in panel
    )
    assert t(app, "Not %(names)s, who took the act being approved (four-eyes).", names=arbitrator.display_name) in panel
    web.as_(org.colleague(Role.SUPERVISOR))
    refused = web.open("approve-extension")
    assert refused.status_code == 302
    assert t(
        app,
        "Only the head of the commission decides an extension (Rules Art 45): %(names)s.",
        names=org.user(Role.SUPERVISOR).display_name,
    ) in flashes(web.client.get(f"/cases/{case.id}"))
    page = web.as_(Role.SUPERVISOR).open("approve-extension")
    assert page.status_code == 200
    assert t(
        app,
        "Who decides: a head of the commission (Rules Art 45): %(names)s.",
        names=org.user(Role.SUPERVISOR).display_name,
    ) in text(parse(page))
    web.step("approve-extension")

    web.as_(Role.ARBITRATOR)
    record_and_request(db, case, arbitrator, arbitrator)
    db.session.commit()
    page = web.as_(Role.SUPERVISOR).open("approve-closure")
    assert t(app, "Not %(names)s, who took the act being approved (four-eyes).", names=arbitrator.display_name) in text(
        parse(page)
    )


def test_the_requester_does_not_find_their_own_request_in_their_queue(db, org, heard):
    from disputes.queues import build_queues

    case, head, other = heard, org.user(Role.SUPERVISOR), org.colleague(Role.SUPERVISOR)
    interruptions.request_extension(db.session, case, head, days=5, reason="需要鉴定")

    def approvals_of(user):
        sections = {s.key: s for q in build_queues(db.session, user) for s in q.sections}
        return [i.case for i in sections["supervisor.approvals"].items]

    assert approvals_of(head) == []  # their own request
    assert approvals_of(other) == []  # not a head of the commission
    organisation.set_commission_heads(db.session, org.arbitration, [head, other])
    assert approvals_of(other) == [case]


def test_the_admin_names_the_heads_on_the_commission_page(app, db, org, login):
    from tests.pages import field_errors, parse

    client = login(org.user(Role.ADMIN))
    page = parse(client.get(f"/admin/units/{org.arbitration.id}"))
    boxes = {e.get("value"): e.get("checked") is not None for e in page.iter("input") if e.get("name") == "heads"}
    assert boxes == {str(org.user(Role.SUPERVISOR).id): True}
    assert not [e for e in parse(client.get(f"/admin/units/{org.street.id}")).iter("input") if e.get("name") == "heads"]
    other = org.colleague(Role.SUPERVISOR)
    db.session.commit()
    data = {
        "name": org.arbitration.name,
        "kind": "arbitration_commission",
        "parent_id": org.centre.id,
        "active": "y",
        "heads": [str(other.id)],
    }
    assert client.post(f"/admin/units/{org.arbitration.id}", data=data).status_code == 302
    db.session.expire_all()
    assert org.arbitration.heads == [other]
    bad = client.post(f"/admin/units/{org.arbitration.id}", data=data | {"heads": [str(org.user(Role.CLERK).id)]})
    assert bad.status_code == 200 and field_errors(bad, "heads")
