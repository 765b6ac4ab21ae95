"""Every work queue is bounded by what it shows (issue 18): a fixed number of statements whatever the queue's
length, the first LIMIT items in the same order as the whole queue sorted by urgency, and a count of them all."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from disputes import clock, organisation
from disputes.models import Role, Route
from disputes.queues import base, build_queues
from disputes.workflow import interruptions, routing, transfers
from disputes.workflow.states import ArbitrationState as A
from disputes.workflow.states import LawsuitState, LegalAidState, MediationState, SuspensionGround
from tests.conftest import PASSWORD
from tests.drive import Driver

SHOWN = 3  # the sections' page size in these tests


def suspended(db, org, case):
    Driver(db.session, org, case).arbitration(A.HEARD)
    interruptions.request_suspension(
        db.session,
        case,
        org.user(Role.ARBITRATOR),
        ground=SuspensionGround.AWAITING_DETERMINATION,
        reason="等待工伤认定结论",
    )
    interruptions.decide_suspension(db.session, case, org.user(Role.SUPERVISOR), approve=True)


def awaiting_suspension(db, org, case):
    Driver(db.session, org, case).arbitration(A.HEARD)
    interruptions.request_suspension(
        db.session,
        case,
        org.user(Role.ARBITRATOR),
        ground=SuspensionGround.AWAITING_DETERMINATION,
        reason="等待工伤认定结论",
    )


# role: (how one case joins its queue, the section it joins)
QUEUES = {
    "clerk": (Role.CLERK, lambda db, org, case: Driver(db.session, org, case).arbitration(A.RECEIVED), "clerk.accept"),
    "clerk-serve": (
        Role.CLERK,
        lambda db, org, case: Driver(db.session, org, case).arbitration(A.ACCEPTED),
        "clerk.serve",
    ),
    "arbitrator": (
        Role.ARBITRATOR,
        lambda db, org, case: Driver(db.session, org, case).arbitration(A.HEARD),
        "arbitrator.awards",
    ),
    "suspended": (Role.SUPERVISOR, suspended, "supervisor.suspended"),
    "approvals": (Role.SUPERVISOR, awaiting_suspension, "supervisor.approvals"),
    "legal-aid": (
        Role.LEGAL_AID_OFFICER,
        lambda db, org, case: Driver(db.session, org, case).legal_aid(LegalAidState.APPLIED),
        "legal_aid.decide",
    ),
    "court": (
        Role.COURT_LIAISON,
        lambda db, org, case: Driver(db.session, org, case).lawsuit(LawsuitState.FILED),
        "court.lawsuits",
    ),
    "mediator": (
        Role.MEDIATOR,
        lambda db, org, case: Driver(db.session, org, case).mediation(MediationState.IN_SESSION),
        "mediator.period",
    ),
}


def count_statements(db, run):
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        result = run()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return result, len(seen)


@pytest.mark.parametrize("queue", sorted(QUEUES))
def test_a_queue_reads_the_same_number_of_statements_however_long_it_is(db, org, make_case, monkeypatch, queue):
    role, join, key = QUEUES[queue]
    user = org.user(role)

    def fill(count):
        for _ in range(count):
            join(db, org, make_case())
            clock.freeze(clock.now_utc() + timedelta(hours=7))  # different dates and times to order by
        db.session.commit()

    def sections(limit):
        monkeypatch.setattr(base, "LIMIT", limit)
        db.session.expire_all()
        return count_statements(
            db, lambda: {s.key: s for q in build_queues(db.session, user, clock.now_utc()) for s in q.sections}
        )

    fill(2)
    few, few_statements = sections(SHOWN)
    assert few[key].total == 2 and len(few[key].items) == 2
    fill(5)
    many, many_statements = sections(SHOWN)
    assert many_statements == few_statements
    assert many[key].total == 7 and len(many[key].items) == SHOWN
    everything, _ = sections(1000)
    assert len(everything[key].items) == 7
    # The page is the head of the whole queue in urgency order (the database's order is the queue's).
    assert [(i.case.id, i.what, i.due, i.since) for i in many[key].items] == [
        (i.case.id, i.what, i.due, i.since) for i in everything[key].items[:SHOWN]
    ]
    assert everything[key].items == sorted(everything[key].items, key=lambda i: base.urgency(i, clock.now_utc()))
    for section in many.values():  # every other section also counts all and shows at most SHOWN
        assert section.total == everything[section.key].total
        assert len(section.items) == min(SHOWN, section.total)


def test_the_suspended_queue_reads_the_suspensions_in_one_statement(db, org, make_case, monkeypatch):
    """The suspended cases' current suspensions are loaded with the page, not one statement per case."""
    supervisor = org.user(Role.SUPERVISOR)
    for _ in range(3):
        suspended(db, org, make_case())
    db.session.commit()
    db.session.expire_all()
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        found = {s.key: s for q in build_queues(db.session, supervisor, clock.now_utc()) for s in q.sections}
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    items = found["supervisor.suspended"].items
    assert len(items) == 3 and all(i.state == SuspensionGround.AWAITING_DETERMINATION for i in items)
    assert all(i.note == "等待工伤认定结论" for i in items)
    assert sum("FROM suspensions" in s for s in seen) <= 2  # the approvals' statement, and the page's loader


def test_a_section_counts_to_the_cap_and_says_more_than(db, org, make_case, monkeypatch, login):
    """The count stops at COUNT_CAP + 1 rows: a longer queue is "more than COUNT_CAP", with the same statements."""
    clerk = org.user(Role.CLERK)
    for _ in range(4):
        Driver(db.session, org, make_case()).arbitration(A.RECEIVED)
    db.session.commit()

    def accept():
        db.session.expire_all()
        found = {s.key: s for q in build_queues(db.session, clerk, clock.now_utc()) for s in q.sections}
        return found["clerk.accept"]

    whole, whole_statements = count_statements(db, accept)
    assert (whole.total, whole.capped) == (4, False)
    monkeypatch.setattr(base, "COUNT_CAP", 2)
    capped, capped_statements = count_statements(db, accept)
    assert (capped.total, capped.capped) == (3, True) and capped_statements == whole_statements
    assert len(capped.items) == 4  # the page (LIMIT) is not cut by the count
    monkeypatch.setattr("disputes.queues_web.views.COUNT_CAP", 2)
    page = login(clerk).get("/work").get_data(as_text=True)
    assert "超过 2" in page or "more than 2" in page


def test_a_roles_section_counts_are_one_statement(db, org, make_case):
    """The clerk's six section counts (issue 18 part 8) are the columns of one statement, and each is what its
    section says: the cases to route, the applications to accept, the accepted cases to serve."""
    clerk = org.user(Role.CLERK)
    make_case()  # registered, routed nowhere
    for state in (A.RECEIVED, A.RECEIVED, A.ACCEPTED):
        Driver(db.session, org, make_case()).arbitration(state)
    db.session.commit()
    db.session.expire_all()
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement.lower())

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        found = {s.key: s for q in build_queues(db.session, clerk, clock.now_utc()) for s in q.sections}
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert (found["clerk.route"].total, found["clerk.accept"].total, found["clerk.serve"].total) == (1, 2, 1)
    assert (found["clerk.tribunal"].total, found["clerk.notices"].total, found["clerk.awards"].total) == (0, 0, 0)
    assert sum("count(" in s for s in seen) == 1
    # the rows' cases come with the rows: no statement of their own (only the parties' and the timers' loaders)
    assert not any(s.lstrip().startswith("select cases.") and "from cases where cases.id in" in s for s in seen)


def mediation_to_transfer(db, org, make_case):
    case = make_case()
    routing.route_case(db.session, case, org.user(Role.CLERK), Route.MEDIATION, org.mediation.id)
    transfers.request(db.session, case, org.user(Role.SUPERVISOR), "mediation", org.street_mediation, "在街道调解")
    db.session.commit()
    return case


def test_transfers_are_listed_with_their_cases_and_counted_once(db, org, make_case, login):
    """The transfers section reads its transfers with their cases, parties and units (the same statements for one
    or three), and the navigation's badge takes its count from the section instead of counting again."""
    mediator = organisation.add_user(db.session, "bj-m", "郭丽娟", [Role.MEDIATOR], org.street_mediation, PASSWORD)
    db.session.commit()

    def queue():
        db.session.expire_all()
        found = {s.key: s for q in build_queues(db.session, mediator, clock.now_utc()) for s in q.sections}
        return found["mediator.transfers"]

    mediation_to_transfer(db, org, make_case)
    one, one_statements = count_statements(db, queue)
    for _ in range(2):
        mediation_to_transfer(db, org, make_case)
    three, three_statements = count_statements(db, queue)
    assert (one.total, three.total, three_statements) == (1, 3, one_statements)
    assert {i.params["unit"] for i in three.items} == {org.mediation.name}
    client = login(mediator)
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.lower().split()))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        page = client.get("/work").get_data(as_text=True)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    badge = re.search(r'id="transfers-link"[^>]*>[^<]*<span class="nav-badge">(\d+)</span>', page)
    assert badge and badge.group(1) == "3"
    assert not any(s.startswith("select count(*) as count_1 from case_transfers") for s in seen)
    other = client.get("/cases").get_data(as_text=True)  # any other page counts them for its badge
    assert re.search(r'id="transfers-link"[^>]*>[^<]*<span class="nav-badge">3</span>', other)
