"""The deadline board is bounded by what it shows (issue 18): a page of each group, a fixed number of statements
whatever the groups hold, and a pager through each group."""

import os
from datetime import date

import pytest
import sqlalchemy as sa

from disputes import clock, policy
from disputes.models import Role
from disputes.models.sla import SlaRule, SlaTimer
from disputes.sla import board as sla_board
from tests.pages import parse

TIMERS = SlaTimer.__table__
ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgres")


def overdue(db, case, count: int, group: str = "overdue") -> None:
    """`count` running timers due before the frozen clock's today (20 November 2026), a day apart; or, for
    `group` "today", "soon" or "paused", timers of that board group."""
    due = {"overdue": lambda n: date(2026, 10, 10 + n), "today": lambda n: date(2026, 11, 20)}
    due["soon"] = due["paused"] = lambda n: date(2026, 11, 21 + n)
    rule = db.session.scalar(sa.select(SlaRule).where(SlaRule.rule_id == "arbitration.accept").limit(1))
    with db.engine.begin() as conn:
        conn.execute(
            TIMERS.insert(),
            [
                {
                    "case_id": case.id,
                    "rule_pk": rule.id,
                    "rule_id": rule.rule_id,
                    "unit_id": case.unit_id,
                    "status": "paused" if group == "paused" else "running",
                    "paused_since": date(2026, 11, 1 + n) if group == "paused" else None,
                    "started_on": date(2026, 10, 1),
                    "period": 5,
                    "unit": "days",
                    "nominal_on": due[group](n),
                    "due_on": due[group](n),
                    "provisional": False,
                    "paused_days": 0,
                    "extension_days": 0,
                    "warn_on": date(2026, 10, 7 + n) if group != "soon" else date(2026, 11, 19),
                }
                for n in range(count)
            ],
        )


def statements(db, run):
    seen = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        return run(), len(seen)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


def test_a_group_is_paged_in_a_fixed_number_of_statements(db, org, make_case):
    clerk = org.user(Role.CLERK)
    cases = [make_case() for _ in range(3)]

    def board(page=1):
        db.session.expire_all()
        return statements(
            db,
            lambda: {
                g.key: g
                for g in sla_board.board(
                    db.session,
                    policy.deadline_scope_parts(clerk, db.session),
                    sla_board.BoardFilter(),
                    clock.today_local(),
                    limit=3,
                    pages={"overdue": page},
                )
            },
        )

    for case in cases:
        overdue(db, case, 1)
    _few, few_statements = board()
    for case in cases:
        overdue(db, case, 3)
    many, many_statements = board()
    assert many_statements == few_statements
    group = many["overdue"]
    assert (group.total, group.pages, len(group.timers)) == (12, 4, 3)
    pages = [board(n)[0]["overdue"].timers for n in range(1, 5)]
    ids = [t.id for page in pages for t in page]
    assert len(ids) == len(set(ids)) == 12
    dues = [(t.due_on, t.id) for page in pages for t in page]
    assert dues == sorted(dues)  # soonest (most overdue) first, across pages
    assert board(9)[0]["overdue"].page == 4  # past the end: the last page


def test_the_board_reads_the_same_number_of_statements_however_many_groups_it_shows(db, org, make_case):
    """Each group's page is not a statement of its own plus a load per relationship (41–49 statements a board at
    a million cases): the groups' ids come in one statement and their timers in one load."""
    clerk = org.user(Role.CLERK)

    def board():
        db.session.expire_all()
        found, count = statements(
            db,
            lambda: sla_board.board(
                db.session, policy.deadline_scope_parts(clerk, db.session), sla_board.BoardFilter(), clock.today_local()
            ),
        )
        return {g.key: [t.id for t in g.timers] for g in found}, count

    overdue(db, make_case(), 2, "overdue")
    one, one_statements = board()
    assert [len(one[key]) for key in sla_board.GROUPS] == [0, 0, 2, 0]
    for group in ("today", "soon", "paused"):
        overdue(db, make_case(), 3, group)
    every, every_statements = board()
    assert {key: len(ids) for key, ids in every.items()} == {"today": 3, "soon": 3, "overdue": 2, "paused": 3}
    assert every_statements == one_statements
    timers = {t.id: t for t in db.session.scalars(sa.select(SlaTimer))}
    assert every["soon"] == sorted(every["soon"], key=lambda i: (timers[i].due_on, i))
    assert every["paused"] == sorted(every["paused"], key=lambda i: (timers[i].paused_since, i))


def test_the_board_page_shows_a_pager_per_group(client, login, db, org, make_case, monkeypatch):
    monkeypatch.setattr(sla_board, "LIMIT", 2)
    overdue(db, make_case(), 5)
    login(org.user(Role.SUPERVISOR))
    page = parse(client.get("/deadlines?view=all&group=overdue&page=2"))
    pager = page.find(".//nav[@id='pager-overdue']")
    assert pager is not None
    links = [a.get("href") for a in pager.findall("a")]
    assert any("page=1" in link for link in links) and any("page=3" in link for link in links)
    rows = page.findall(".//section[@id='board-overdue']//tr[@class='timer-row overdue']")
    assert len(rows) == 2


def test_the_board_page_reads_the_same_number_of_statements_however_many_people_and_units_it_lists(
    client, login, db, org, make_case
):
    """The page's names and units come with the timers or from what the request read already (the unit tree, the
    people picker): no statement per person, per unit or per role list (issue 18 part 8)."""
    login(org.user(Role.SUPERVISOR))

    def page():
        return statements(db, lambda: client.get("/deadlines?view=all"))

    overdue(db, make_case(), 1)
    first, few = page()
    assert first.status_code == 200
    for case in [make_case() for _ in range(4)]:
        overdue(db, case, 2)
        overdue(db, case, 1, "today")
    people = [org.user(role) for role in (Role.ARBITRATOR, Role.MEDIATOR, Role.LEGAL_AID_OFFICER)]
    units = [org.arbitration, org.mediation, org.legal_aid, org.street_mediation]
    ids = list(db.session.scalars(sa.select(SlaTimer.id).order_by(SlaTimer.id)))
    with db.engine.begin() as conn:
        for n, timer_id in enumerate(ids):
            person = people[n % len(people)]
            conn.execute(
                TIMERS.update()
                .where(TIMERS.c.id == timer_id)
                .values(responsible_id=person.id, unit_id=units[n % len(units)].id)
            )
    second, many = page()
    doc = parse(second)
    lines = [tr.get("data-person") for tr in doc.iter("tr") if tr.get("data-person") is not None]
    assert sorted(lines) == sorted(str(p.id) for p in people)  # everyone listed, by name
    assert many == few


@pytest.mark.skipif(not ON_POSTGRES, reason="JIT is a PostgreSQL setting")
def test_the_board_turns_jit_off_for_its_statements_and_back_as_it_was(db):
    """`without_jit` reads the setting and turns it off in one statement: what it restores is what was set before."""
    for before in ("on", "off", "on"):
        db.session.execute(sa.text("SELECT set_config('jit', :value, true)"), {"value": before})
        with sla_board.without_jit(db.session):
            assert db.session.scalar(sa.text("SHOW jit")) == "off"
            with sla_board.without_jit(db.session):  # nested: one switch
                pass
            assert db.session.scalar(sa.text("SHOW jit")) == "off"
        assert db.session.scalar(sa.text("SHOW jit")) == before
    db.session.rollback()
