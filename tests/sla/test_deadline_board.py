"""The deadline board (/deadlines): its four groups, filters and scope, straight from `sla.board` and on the page."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from flask_babel import force_locale, ngettext

from disputes import clock, organisation, policy
from disputes.models import Role
from disputes.models.sla import Notification
from disputes.sla import board as sla_board
from disputes.sla import owners
from disputes.sla.states import NoticeKind, RuleKind, TimerStatus
from disputes.workflow import interruptions, mediation
from disputes.workflow.states import ArbitrationState, SuspensionGround
from tests.conftest import PASSWORD
from tests.drive import Driver
from tests.pages import classes, parse, t, text

BOARD_DAY = date(2026, 11, 24)  # a Tuesday


def nt(app, singular, plural, num, locale) -> str:
    """A plural message as the app shows it in `locale`."""
    with app.test_request_context(), force_locale(locale):
        return ngettext(singular, plural, num)


def at(day: date) -> None:
    clock.freeze(datetime(day.year, day.month, day.day, 2, tzinfo=UTC))  # 10:00 in Shanghai


@pytest.fixture
def scenario(db, org, make_case):
    """Cases driven on their own dates so that, on BOARD_DAY, each group holds known timers:
    - soon:    accepted 10-12, award due 11-26 (warned from 11-23); tribunal formed, so the arbitrator answers;
               its tribunal notice (due 10-19) was never served: overdue;
    - paused:  accepted 11-02 and suspended 11-03: the award timer is paused; service and tribunal notice overdue;
    - street:  mediation opened 11-09 at the street committee: due 11-24 (today), another unit;
    - today:   accepted 11-19: service on the respondent and the tribunal notice are due 11-24.
    """

    def case_on(day: date, **kwargs):
        at(day)
        return make_case(registered_on=day, dispute_known_on=date(2026, 10, 1), **kwargs)

    soon = case_on(date(2026, 10, 12))
    Driver(db.session, org, soon).arbitration(ArbitrationState.TRIBUNAL_FORMED)
    paused = case_on(date(2026, 11, 2))
    Driver(db.session, org, paused).arbitration(ArbitrationState.ACCEPTED)
    at(date(2026, 11, 3))
    supervisor = org.user(Role.SUPERVISOR)
    interruptions.request_suspension(
        db.session,
        paused,
        org.colleague(Role.SUPERVISOR),
        ground=SuspensionGround.AWAITING_DETERMINATION,
        reason="等待工伤认定",
    )
    interruptions.decide_suspension(db.session, paused, supervisor, approve=True)
    street_mediator = organisation.add_user(
        db.session, "bj-mediator", "布吉调解员", [Role.MEDIATOR], org.street_mediation, PASSWORD
    )
    street = case_on(date(2026, 11, 9), unit=org.street_mediation, actor=street_mediator)
    mediation.open_mediation(
        db.session, street, street_mediator, unit_id=org.street_mediation.id, applied_on=clock.today_local()
    )
    today = case_on(date(2026, 11, 19))
    Driver(db.session, org, today).arbitration(ArbitrationState.ACCEPTED)
    db.session.commit()
    at(BOARD_DAY)
    return SimpleNamespace(soon=soon, paused=paused, street=street, today=today, street_mediator=street_mediator)


def expected(s) -> dict[str, set]:
    return {
        "today": {
            (s.today.id, "arbitration.serve_respondent"),
            (s.today.id, "arbitration.tribunal_notice"),
            (s.street.id, "mediation.resolve"),
        },
        "soon": {(s.soon.id, "arbitration.award")},
        "overdue": {
            (s.soon.id, "arbitration.tribunal_notice"),
            (s.paused.id, "arbitration.serve_respondent"),
            (s.paused.id, "arbitration.tribunal_notice"),
        },
        "paused": {(s.paused.id, "arbitration.award")},
    }


def groups_of(db, user, filters=None, limit=sla_board.LIMIT):
    found = sla_board.board(
        db.session,
        policy.deadline_scope_parts(user, db.session),
        filters or sla_board.BoardFilter(),
        clock.today_local(),
        limit,
    )
    whole = sla_board.counts(
        db.session, policy.deadline_scope(user), filters or sla_board.BoardFilter(), clock.today_local()
    )
    assert whole == {g.key: g.total for g in found}  # the parts are disjoint and cover the whole scope
    for group in found:  # never a deadline of a case the user may not read
        assert all(policy.can_view_case(user, timer.case) for timer in group.timers), group.key
    return {g.key: g for g in found}


def keys(group) -> set:
    return {(timer.case_id, timer.rule_id) for timer in group.timers}


def test_each_group_holds_its_timers(db, org, scenario):
    groups = groups_of(db, org.user(Role.SUPERVISOR))
    centre_expected = {
        key: {k for k in value if k[0] != scenario.street.id} for key, value in expected(scenario).items()
    }
    assert {key: keys(group) for key, group in groups.items()} == centre_expected  # the street is not the centre's
    assert {key: group.total for key, group in groups.items()} == {k: len(v) for k, v in centre_expected.items()}
    (soon,) = groups["soon"].timers
    assert soon.warn_on <= BOARD_DAY < soon.due_on == date(2026, 11, 26)
    assert all(timer.status == TimerStatus.PAUSED for timer in groups["paused"].timers)
    # The defence period (10-13 + 10 days) ran out: a period, never overdue work.
    assert not any(timer.rule_id == "arbitration.defence" for group in groups.values() for timer in group.timers)


def test_counts_match_the_lists_and_the_lists_stop_at_the_limit(db, org, scenario):
    groups = groups_of(db, org.user(Role.SUPERVISOR), limit=1)
    assert groups["overdue"].total == 3 and len(groups["overdue"].timers) == 1
    assert groups["overdue"].timers[0].due_on == min(
        t.due_on for t in groups_of(db, org.user(Role.SUPERVISOR))["overdue"].timers
    )


def test_filters_by_unit_person_and_rule(db, org, scenario):
    district_admin_view = organisation.add_user(
        db.session, "district-sup", "区督导", [Role.SUPERVISOR], org.district, PASSWORD
    )
    everything = expected(scenario)
    by_unit = groups_of(db, district_admin_view, sla_board.BoardFilter(unit=org.street))
    assert {k: keys(g) for k, g in by_unit.items()} == {
        "today": {(scenario.street.id, "mediation.resolve")},
        "soon": set(),
        "overdue": set(),
        "paused": set(),
    }
    by_centre = groups_of(db, district_admin_view, sla_board.BoardFilter(unit=org.centre))  # the subtree: LGA
    assert keys(by_centre["today"]) == everything["today"] - {(scenario.street.id, "mediation.resolve")}

    arbitrator = org.user(Role.ARBITRATOR)
    mine = groups_of(db, district_admin_view, sla_board.BoardFilter(responsible_id=arbitrator.id))
    assert {k: keys(g) for k, g in mine.items()} == {
        "today": set(),
        "soon": {(scenario.soon.id, "arbitration.award")},
        "overdue": {(scenario.soon.id, "arbitration.tribunal_notice")},
        "paused": set(),
    }

    notices = groups_of(db, district_admin_view, sla_board.BoardFilter(rule_id="arbitration.tribunal_notice"))
    assert keys(notices["today"]) == {(scenario.today.id, "arbitration.tribunal_notice")}
    assert keys(notices["overdue"]) == {
        (scenario.soon.id, "arbitration.tribunal_notice"),
        (scenario.paused.id, "arbitration.tribunal_notice"),
    }
    assert notices["soon"].total == notices["paused"].total == 0


def test_a_deadline_shows_on_the_board_of_the_unit_handling_it(db, org, scenario):
    """The centre's supervisor reads the street case (its mediation is not the centre's) but its deadline
    belongs to the street committee's board; the case page still shows it."""
    supervisor = org.user(Role.SUPERVISOR)
    board = groups_of(db, supervisor)
    assert all(timer.unit_id != org.street_mediation.id for g in board.values() for timer in g.timers)


def test_only_timers_of_cases_the_user_may_read(db, org, scenario):
    street_only = groups_of(db, scenario.street_mediator)
    assert {k: keys(g) for k, g in street_only.items()} == {
        "today": {(scenario.street.id, "mediation.resolve")},
        "soon": set(),
        "overdue": set(),
        "paused": set(),
    }
    arbitrator = groups_of(db, org.user(Role.ARBITRATOR))
    assert all(case_id != scenario.street.id for g in arbitrator.values() for case_id, _ in keys(g))
    assert sum(g.total for g in groups_of(db, org.user(Role.LAWYER)).values()) == 0


# The page ---------------------------------------------------------------------------------------------------------


def board_page(client, db, user, locale="en", **args):
    user.locale = locale
    db.session.commit()
    response = client.get("/deadlines", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return parse(response)


def count_of(doc, key) -> int:
    (link,) = [a for a in doc.iter("a") if a.get("id") == f"count-{key}"]
    return int(text(link.find("strong")).replace(",", ""))


def rows_in(doc, key) -> list:
    (section,) = [s for s in doc.iter("section") if s.get("id") == f"board-{key}"]
    return [tr for tr in section.iter("tr") if "timer-row" in classes(tr)]


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_supervisor_sees_the_groups_and_the_calendar_warning(app, client, db, org, login, scenario, locale):
    login(org.user(Role.SUPERVISOR))
    doc = board_page(client, db, org.user(Role.SUPERVISOR), locale)
    assert {key: count_of(doc, key) for key in sla_board.GROUPS} == {
        "today": 2,
        "soon": 1,
        "overdue": 2 + 1,
        "paused": 1,
    }
    (row,) = rows_in(doc, "soon")
    (link,) = [a for a in row.iter("a")]
    assert link.get("href") == f"/cases/{scenario.soon.id}#timers" and text(link) == scenario.soon.registry_no
    assert "张三" in text(row) and org.user(Role.ARBITRATOR).display_name in text(row)
    assert nt(app, "%(num)d day left", "%(num)d days left", 2, locale) in text(row)
    overdue = nt(app, "%(num)d day overdue", "%(num)d days overdue", 36, locale)
    assert any(overdue in text(tr) for tr in rows_in(doc, "overdue"))
    (paused_row,) = rows_in(doc, "paused")
    since = "2026年11月3日" if locale == "zh_CN" else "Nov 3, 2026"
    assert t(app, "suspended since %(date)s", locale, date=since) in text(paused_row)
    (warning,) = [d for d in doc.iter("div") if "calendar-warning" in classes(d)]
    end = "2026年12月31日" if locale == "zh_CN" else "Dec 31, 2026"
    assert text(warning) == t(
        app, "The official calendar on record ends on %(date)s: add next year's days.", locale, date=end
    )
    assert t(app, "Deadlines", locale) in [text(a) for a in doc.iter("a") if "active" in classes(a)]


def test_arbitrator_sees_their_own_by_default_and_can_see_the_unit(client, db, org, login, scenario):
    arbitrator = org.user(Role.ARBITRATOR)
    login(arbitrator)
    mine = board_page(client, db, arbitrator)
    assert {key: count_of(mine, key) for key in sla_board.GROUPS} == {"today": 0, "soon": 1, "overdue": 1, "paused": 0}
    assert "active" in classes(next(a for a in mine.iter("a") if a.get("id") == "view-mine"))
    assert not [d for d in mine.iter("div") if "calendar-warning" in classes(d)]  # supervisors only
    unit = board_page(client, db, arbitrator, view="all")
    assert {key: count_of(unit, key) for key in sla_board.GROUPS} == {"today": 2, "soon": 1, "overdue": 3, "paused": 1}
    filtered = board_page(client, db, arbitrator, view="all", rule="arbitration.serve_respondent")
    assert {key: count_of(filtered, key) for key in sla_board.GROUPS} == {
        "today": 1,
        "soon": 0,
        "overdue": 1,
        "paused": 0,
    }
    person = board_page(client, db, arbitrator, view="all", person=arbitrator.id)
    assert count_of(person, "overdue") == 1


def test_a_unit_filter_outside_the_users_units_is_ignored(client, db, org, login, scenario):
    mediator = scenario.street_mediator
    login(mediator)
    doc = board_page(client, db, mediator, view="all", unit=org.arbitration.id)
    assert count_of(doc, "today") == 1


def test_admin_has_no_board(client, org, login):
    login(org.user(Role.ADMIN))
    assert client.get("/deadlines").status_code == 403
    assert client.get("/notifications").status_code == 403


# The notification inbox -------------------------------------------------------------------------------------------


@pytest.fixture
def notices(db, org, scenario):
    arbitrator, supervisor = org.user(Role.ARBITRATOR), org.user(Role.SUPERVISOR)
    (award,) = [t for t in scenario.soon.timers if t.rule_id == "arbitration.award"]
    (notice,) = [t for t in scenario.soon.timers if t.rule_id == "arbitration.tribunal_notice"]
    rows = {
        "soon": Notification(
            user_id=arbitrator.id,
            case_id=scenario.soon.id,
            timer_id=award.id,
            kind=NoticeKind.DUE_SOON,
            due_on=award.due_on,
            created_at=datetime(2026, 11, 23, 1, tzinfo=UTC),
        ),
        "late": Notification(
            user_id=arbitrator.id,
            case_id=scenario.soon.id,
            timer_id=notice.id,
            kind=NoticeKind.BREACHED,
            due_on=notice.due_on,
            created_at=datetime(2026, 10, 20, 1, tzinfo=UTC),
        ),
        "other": Notification(
            user_id=supervisor.id,
            case_id=scenario.soon.id,
            timer_id=notice.id,
            kind=NoticeKind.BREACHED,
            due_on=notice.due_on,
            created_at=datetime(2026, 10, 20, 1, tzinfo=UTC),
        ),
    }
    db.session.add_all(rows.values())
    db.session.commit()
    return rows


def inbox(client, db, user, locale="en"):
    user.locale = locale
    db.session.commit()
    response = client.get("/notifications")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return parse(response)


def notice_rows(doc) -> list:
    return [tr for tr in doc.iter("tr") if "notice" in classes(tr)]


def badge(doc) -> str | None:
    found = [a for a in doc.iter("a") if a.get("id") == "unread-badge"]
    return text(found[0]) if found else None


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_the_inbox_lists_the_users_notifications_newest_first(app, client, db, org, login, notices, locale):
    arbitrator = org.user(Role.ARBITRATOR)
    login(arbitrator)
    doc = inbox(client, db, arbitrator, locale)
    rows = notice_rows(doc)
    assert [int(tr.get("data-notice")) for tr in rows] == [notices["soon"].id, notices["late"].id]  # not "other"
    assert all("unread" in classes(tr) for tr in rows)
    assert t(app, "Due soon", locale) in text(rows[0]) and t(app, "Deadline missed", locale) in text(rows[1])
    link = next(a for a in rows[0].iter("a"))
    assert link.get("href") == f"/cases/{notices['soon'].case_id}#timers"
    title = notices["soon"].timer.rule.title if locale == "zh_CN" else notices["soon"].timer.rule.title_en
    assert title in text(rows[0])
    assert badge(doc) == "2"


def test_marking_one_then_all_read(client, db, org, login, notices):
    arbitrator = org.user(Role.ARBITRATOR)
    login(arbitrator)
    response = client.post("/notifications/read", data={"id": notices["late"].id})
    assert response.status_code == 302 and response.headers["Location"].endswith("/notifications")
    doc = inbox(client, db, arbitrator)
    assert {tr.get("data-notice"): "unread" in classes(tr) for tr in notice_rows(doc)} == {
        str(notices["soon"].id): True,
        str(notices["late"].id): False,
    }
    assert badge(doc) == "1"
    assert client.post("/notifications/read", data={"id": notices["other"].id}).status_code == 404
    client.post("/notifications/read")
    doc = inbox(client, db, arbitrator)
    assert not any("unread" in classes(tr) for tr in notice_rows(doc)) and badge(doc) is None
    db.session.expire_all()
    assert db.session.get(Notification, notices["other"].id).read_at is None  # someone else's stays unread


def test_this_week_keeps_what_is_due_monday_to_sunday(db, org, scenario):
    """Issue 16: the week of BOARD_DAY (Tue 11-24) is 11-23 … 11-29: today's and the award due 11-26; not the
    tribunal notices overdue since October, nor the suspended award (no deadline while suspended)."""
    week = groups_of(db, org.user(Role.SUPERVISOR), sla_board.BoardFilter(week_of=BOARD_DAY))
    centre = {key: {k for k in v if k[0] != scenario.street.id} for key, v in expected(scenario).items()}
    assert {k: keys(g) for k, g in week.items()} == {
        "today": centre["today"],
        "soon": centre["soon"],
        "overdue": set(),
        "paused": set(),
    }
    assert sla_board.week_bounds(BOARD_DAY) == (date(2026, 11, 23), date(2026, 11, 29))


def served_on_the_15th(db, org, make_case):
    """A case whose respondent was served on 11-15: its defence period (a party's own) runs to 11-25, due soon."""
    at(date(2026, 11, 15))
    case = make_case(registered_on=date(2026, 11, 15), dispute_known_on=date(2026, 10, 1))
    Driver(db.session, org, case).arbitration(ArbitrationState.SERVED)
    db.session.commit()
    at(BOARD_DAY)
    return case


def test_staff_tasks_and_parties_periods_are_apart(db, org, scenario, make_case):
    served = served_on_the_15th(db, org, make_case)
    supervisor = org.user(Role.SUPERVISOR)
    everything = groups_of(db, supervisor)
    tasks = groups_of(db, supervisor, sla_board.BoardFilter(kind=RuleKind.TASK))
    periods = groups_of(db, supervisor, sla_board.BoardFilter(kind=RuleKind.PERIOD))
    for key in sla_board.GROUPS:
        assert keys(tasks[key]) | keys(periods[key]) == keys(everything[key])
        assert not keys(tasks[key]) & keys(periods[key])
        assert all(t.rule.kind == RuleKind.TASK for t in tasks[key].timers)
        assert all(t.rule.kind == RuleKind.PERIOD for t in periods[key].timers)
    # The respondent's defence runs for the respondent (the party is its owner), followed by a staff member.
    (defence,) = [t for g in periods.values() for t in g.timers]
    assert (defence.case_id, defence.rule_id) == (served.id, "arbitration.defence")
    assert owners.period_party(defence) == served.respondents[0]
    assert all(owners.period_party(t) is None for g in tasks.values() for t in g.timers)
    assert all(t.responsible_id is not None for g in everything.values() for t in g.timers)


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_the_board_page_filters_the_week_and_the_parties_periods(
    app, client, db, org, login, scenario, make_case, locale
):
    served = served_on_the_15th(db, org, make_case)
    login(org.user(Role.SUPERVISOR))
    client.post("/language", data={"locale": locale, "next": "/account"})
    doc = parse(client.get("/deadlines?view=all&kind=period&when=week"))
    active = {a.get("id") for a in doc.iter("a") if "active" in classes(a)}
    assert {"kind-period", "when-week"} <= active
    (row,) = [tr for key in sla_board.GROUPS for tr in rows_in(doc, key)]
    assert t(app, "party's period", locale) in text(row)
    (party,) = [s for s in row.iter("span") if "timer-party" in classes(s)]
    assert text(party) == served.respondents[0].name
    tasks = parse(client.get("/deadlines?view=all&kind=task"))
    assert all(
        t(app, "party's period", locale) not in text(tr) for key in sla_board.GROUPS for tr in rows_in(tasks, key)
    )
