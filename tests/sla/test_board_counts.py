"""The board's one-statement counts (`board.counts`, `board.counts_by_person`) against a plain Python count over
the same timers, for random timers, scopes and filters; and the "by person" table on the board page."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disputes import clock, policy
from disputes.models import CaseAssignment, Role
from disputes.models.sla import SlaRule, SlaTimer
from disputes.sla import board as sla_board
from disputes.sla.states import PeriodUnit, RuleKind, TimerStatus
from tests.pages import parse, t, text

TODAY = date(2026, 11, 20)  # the frozen clock's day in Shanghai
OPEN = (TimerStatus.RUNNING, TimerStatus.PAUSED, TimerStatus.BREACHED)

timer_specs = st.lists(
    st.fixed_dictionaries(
        {
            "status": st.sampled_from(list(TimerStatus)),
            "due": st.integers(-6, 8),  # days from today
            "warning": st.integers(0, 5),
            "rule": st.integers(0, 10**6),
            "unit": st.integers(0, 10**6),
            "person": st.integers(0, 10**6),
            "case": st.integers(0, 2),
        }
    ),
    max_size=40,
)
filter_specs = st.fixed_dictionaries(
    {"unit": st.integers(-1, 20), "person": st.integers(-1, 20), "rule": st.integers(-1, 30)}
)


@pytest.fixture
def world(db, org, make_case):
    """Three cases, one assigned to the arbitrator (the assigned-case part of a scope), every rule and unit."""
    cases = [make_case(), make_case(), make_case()]
    db.session.add(CaseAssignment(case_id=cases[2].id, user_id=org.user(Role.ARBITRATOR).id, role=Role.ARBITRATOR))
    db.session.execute(sa.delete(SlaTimer))  # whatever intake started: the examples bring their own
    db.session.commit()
    rules = list(db.session.scalars(sa.select(SlaRule).order_by(SlaRule.id)))
    kinds = {rule.rule_id for rule in rules if rule.kind == RuleKind.PERIOD}
    assert kinds and len(kinds) < len({r.rule_id for r in rules})  # both tasks and periods to choose from
    units = [org.district, org.centre, org.mediation, org.arbitration, org.legal_aid, org.street, org.street_mediation]
    people = [None, *org.users.values()]
    return {"cases": cases, "rules": rules, "period_rules": kinds, "units": units, "people": people}


def load(db, world, specs) -> list[SlaTimer]:
    db.session.execute(sa.delete(SlaTimer))
    timers = []
    for spec in specs:
        rule = world["rules"][spec["rule"] % len(world["rules"])]
        person = world["people"][spec["person"] % len(world["people"])]
        status = spec["status"]
        due = TODAY + timedelta(days=spec["due"])
        done = status in (TimerStatus.MET, TimerStatus.MET_LATE, TimerStatus.CANCELLED)
        paused = status == TimerStatus.PAUSED
        timers.append(
            SlaTimer(
                case_id=world["cases"][spec["case"]].id,
                rule_pk=rule.id,
                rule_id=rule.rule_id,
                unit_id=world["units"][spec["unit"] % len(world["units"])].id,
                responsible_id=person.id if person else None,
                status=status,
                started_on=due - timedelta(days=15),
                period=15,
                unit=PeriodUnit.DAYS,
                nominal_on=due,
                due_on=None if paused else due,
                paused_since=TODAY - timedelta(days=2) if paused else None,
                # as timers.recompute sets it: the rule's warning days before the deadline
                warn_on=None if paused else due - timedelta(days=spec["warning"]),
                completed_on=TODAY if done else None,
                completed_by="x" if done else None,
                breached_on=due + timedelta(days=1) if status in (TimerStatus.BREACHED, TimerStatus.MET_LATE) else None,
            )
        )
    db.session.add_all(timers)
    db.session.flush()
    return timers


def python_groups(timer: SlaTimer, period_rules: set[str]) -> dict[str, bool]:
    s, due = timer.status, timer.due_on
    running = s == TimerStatus.RUNNING
    overdue = s in (TimerStatus.RUNNING, TimerStatus.BREACHED) and due < TODAY and timer.rule_id not in period_rules
    return {
        "today": running and due == TODAY,
        "soon": running and timer.warn_on <= TODAY < due,
        "overdue": overdue,
        "paused": s == TimerStatus.PAUSED,
        "within": running and TODAY < due <= TODAY + timedelta(days=sla_board.WITHIN_DAYS),
    }


def scopes(db, org):
    """Every way the board is asked: everything, and each user's scope whole and in its disjoint parts."""
    yield "everything", sa.true()
    for role, user in org.users.items():
        yield f"{role.value} whole", policy.deadline_scope(user)
        yield f"{role.value} parts", policy.deadline_scope_parts(user, db.session)


def board_filter(world, spec) -> sla_board.BoardFilter:
    def pick(items, i):
        return items[i % len(items)] if i >= 0 else None

    person = pick(world["people"], spec["person"])
    rule = pick(world["rules"], spec["rule"])
    return sla_board.BoardFilter(
        unit=pick(world["units"], spec["unit"]),
        responsible_id=person.id if person else None,
        rule_id=rule.rule_id if rule else None,
    )


def selected(db, timers, scope, filters: sla_board.BoardFilter) -> list[SlaTimer]:
    """The timers a scope selects (the database evaluates the clause, over the table, no index needed), then
    the filters applied in Python."""
    ids = set(db.session.scalars(sa.select(SlaTimer.id).where(sa.or_(*scope) if isinstance(scope, tuple) else scope)))
    return [
        t
        for t in timers
        if t.id in ids
        and t.status in OPEN
        and (filters.unit is None or t.unit_id in {u.id for u in units_under(db, filters.unit)})
        and (filters.responsible_id is None or t.responsible_id == filters.responsible_id)
        and (filters.rule_id is None or t.rule_id == filters.rule_id)
    ]


def units_under(db, unit):
    from disputes.models import Unit

    return db.session.scalars(sa.select(Unit).where(Unit.path.startswith(unit.path)))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40, deadline=None)
@given(specs=timer_specs, filters=filter_specs)
def test_counts_equal_a_python_count_over_the_same_timers(db, org, world, specs, filters):
    assert clock.today_local() == TODAY
    timers = load(db, world, specs)
    chosen = board_filter(world, filters)
    for name, scope in scopes(db, org):
        for f in (sla_board.BoardFilter(), chosen):
            mine = selected(db, timers, scope, f)
            flags = [python_groups(t, world["period_rules"]) for t in mine]
            expected = {key: sum(fl[key] for fl in flags) for key in sla_board.GROUPS}
            assert sla_board.counts(db.session, scope, f, TODAY) == expected, (name, f)

            people: dict = {}
            for timer, fl in zip(mine, flags, strict=True):
                line = people.setdefault(timer.responsible_id, [0, 0, 0])
                for i, key in enumerate(("today", "within", "overdue")):
                    line[i] += fl[key]
            lines = sla_board.counts_by_person(db.session, scope, f, TODAY)
            assert {p.responsible_id: [p.today, p.within, p.overdue] for p in lines} == {
                k: v for k, v in people.items() if any(v)
            }, (name, f)
    db.session.rollback()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=30, deadline=None)
@given(specs=timer_specs, filters=filter_specs)
def test_one_tally_gives_the_totals_and_people_that_sum_to_them(db, org, world, specs, filters):
    """`tally` (one statement for the board page and the dashboard): its totals are those of a naive count over the
    same timers, whether or not the people are asked for, and each group total is the sum of the people's lines
    (every timer counted for exactly one person, nobody included)."""
    timers = load(db, world, specs)
    chosen = board_filter(world, filters)
    for name, scope in scopes(db, org):
        for f in (sla_board.BoardFilter(), chosen):
            flags = [python_groups(t, world["period_rules"]) for t in selected(db, timers, scope, f)]
            naive = {key: sum(fl[key] for fl in flags) for key in (*sla_board.GROUPS, "within")}
            whole = sla_board.tally(db.session, scope, f, TODAY)
            alone = sla_board.tally(db.session, scope, f, TODAY, by_person=False)
            assert whole.totals == alone.totals == {key: naive[key] for key in sla_board.GROUPS}, (name, f)
            assert alone.people == []
            for key in sla_board.PERSON_GROUPS:
                assert sum(getattr(line, key) for line in whole.people) == naive[key], (name, f, key)
            assert all(line.total for line in whole.people)
    db.session.rollback()


def test_by_person_lines_are_ordered_most_overdue_first_nobody_last(db, org, world):
    arbitrator, mediator = org.user(Role.ARBITRATOR), org.user(Role.MEDIATOR)
    task = next(i for i, r in enumerate(world["rules"]) if r.rule_id not in world["period_rules"])
    person = {p.id if p else None: i for i, p in enumerate(world["people"])}

    def spec(status, due, who):
        return {"status": status, "due": due, "warning": 3, "rule": task, "unit": 1, "person": person[who], "case": 0}

    load(
        db,
        world,
        [
            spec(TimerStatus.RUNNING, 0, mediator.id),
            spec(TimerStatus.RUNNING, 2, mediator.id),
            spec(TimerStatus.BREACHED, -3, arbitrator.id),
            spec(TimerStatus.RUNNING, 1, None),
            spec(TimerStatus.RUNNING, 4, arbitrator.id),  # beyond three days: counted nowhere
            spec(TimerStatus.PAUSED, 0, arbitrator.id),  # suspended: not in the by-person counts
        ],
    )
    lines = sla_board.counts_by_person(db.session, sa.true(), sla_board.BoardFilter(), TODAY)
    assert [(p.responsible_id, p.today, p.within, p.overdue, p.total) for p in lines] == [
        (arbitrator.id, 0, 0, 1, 1),
        (mediator.id, 1, 1, 0, 2),
        (None, 0, 1, 0, 1),
    ]


def test_the_board_page_shows_counts_by_person(app, client, db, org, world, login):
    supervisor, arbitrator = org.user(Role.SUPERVISOR), org.user(Role.ARBITRATOR)
    task = next(i for i, r in enumerate(world["rules"]) if r.rule_id not in world["period_rules"])
    who = [p.id if p else None for p in world["people"]].index(arbitrator.id)
    load(
        db,
        world,
        [
            {"status": TimerStatus.RUNNING, "due": d, "warning": 3, "rule": task, "unit": 3, "person": who, "case": 0}
            for d in (0, 0, 3, -1)
        ],
    )
    db.session.commit()
    login(supervisor)
    for locale in ("en", "zh_CN"):
        supervisor.locale = locale
        db.session.commit()
        doc = parse(client.get("/deadlines", query_string={"view": "all"}))
        (table,) = [x for x in doc.iter("table") if x.get("id") == "by-person"]
        assert t(app, "By person", locale) in [text(h) for h in doc.iter("h2")]
        (row,) = [tr for tr in table.iter("tr") if tr.get("data-person") == str(arbitrator.id)]
        assert [text(td) for td in row.iter("td")] == ["2", "1", "1"]
        (link,) = row.iter("a")
        assert text(link) == arbitrator.display_name and f"person={arbitrator.id}" in link.get("href")
    mine = parse(client.get("/deadlines", query_string={"view": "mine"}))
    assert not [x for x in mine.iter("table") if x.get("id") == "by-person"]  # one's own: the counts say it
