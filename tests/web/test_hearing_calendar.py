"""The hearing calendar: the week query as plain data, and the page."""

from datetime import date, timedelta

import pytest

from disputes import clock, organisation
from disputes.i18n import DomainError
from disputes.models import HearingRoom, Role
from disputes.workflow import arbitration as arb
from disputes.workflow import hearings
from disputes.workflow.hearing_calendar import (
    BY_ARBITRATOR,
    BY_ROOM,
    free_rooms,
    hearing_month,
    hearing_week,
    monday_of,
)
from disputes.workflow.states import ArbitrationState, HearingState, TribunalKind
from tests.conftest import PASSWORD
from tests.drive import Driver, at_local
from tests.pages import parse, text

WEDNESDAY = date(2026, 11, 25)  # in the week after the frozen clock's (Friday 20 November 2026)


def _schedule(db, org, case, day: date, hour: int, room=None, **extra):
    driver = Driver(db.session, org, case)
    return hearings.schedule_hearing(
        db.session,
        case,
        org.user(Role.CLERK),
        starts_at=at_local(day, hour),
        ends_at=at_local(day, hour + 2),
        room_id=(room or driver.room()).id,
        **{"short_notice_agreed": True, **extra},  # the calendar's weeks are nearer than the notice period
    )


@pytest.fixture
def world(db, org, make_case):
    """A centre case heard on Wednesday 09:00, a street case heard Thursday 14:00, both in the commission's room.

    A clerk of the street reads the street case but not the centre case."""
    district_supervisor = organisation.add_user(
        db.session, "district-sup", "区级主管", [Role.SUPERVISOR], org.district, PASSWORD
    )
    street_clerk = organisation.add_user(db.session, "street-clerk", "街道书记员", [Role.CLERK], org.street, PASSWORD)
    centre_case = make_case()
    street_case = make_case(org.street, actor=district_supervisor)
    Driver(db.session, org, centre_case).arbitration(ArbitrationState.TRIBUNAL_FORMED)
    # The centre's staff see the street case only once the commission holds it: the district receives it.
    arb.receive_application(
        db.session, street_case, district_supervisor, unit_id=org.arbitration.id, received_on=clock.today_local()
    )
    clerk = org.user(Role.CLERK)
    arb.accept(db.session, street_case, clerk)
    arb.serve_respondent(db.session, street_case, clerk, served_on=clock.today_local())
    arb.form_tribunal(
        db.session, street_case, clerk, kind=TribunalKind.SOLE, arbitrator_ids=[org.user(Role.ARBITRATOR).id]
    )
    centre_hearing = _schedule(db, org, centre_case, WEDNESDAY, 9)
    street_hearing = _schedule(db, org, street_case, WEDNESDAY + timedelta(days=1), 14)
    db.session.commit()
    return {
        "centre": centre_case,
        "street": street_case,
        "street_clerk": street_clerk,
        "centre_hearing": centre_hearing,
        "street_hearing": street_hearing,
    }


def test_monday_of():
    assert monday_of(WEDNESDAY) == date(2026, 11, 23)
    assert monday_of(date(2026, 11, 23)) == date(2026, 11, 23)
    assert monday_of(date(2026, 11, 29)) == date(2026, 11, 23)


def test_week_by_room_puts_each_hearing_in_its_day(db, org, world):
    week = hearing_week(db.session, org.user(Role.CLERK), WEDNESDAY, BY_ROOM)
    assert week.monday == date(2026, 11, 23) and week.days[-1] == date(2026, 11, 29)
    (row,) = week.rows
    assert row.label == "第一仲裁庭"
    numbers = [[e.number for e in day] for day in row.days]
    assert numbers == [[], [], [world["centre"].arbitration.number], [world["street"].arbitration.number], [], [], []]
    (entry,) = row.days[2]
    assert (entry.starts.hour, entry.ends.hour, entry.state) == (9, 11, HearingState.SCHEDULED)
    assert entry.case_id == world["centre"].id
    next_week = hearing_week(db.session, org.user(Role.CLERK), week.next, BY_ROOM)
    assert [r.count for r in next_week.rows] == [0]


def test_week_by_arbitrator(db, org, world):
    week = hearing_week(db.session, org.user(Role.SUPERVISOR), date(2026, 11, 29), BY_ARBITRATOR)
    (row,) = [r for r in week.rows if r.key == org.user(Role.ARBITRATOR).id]
    assert [len(day) for day in row.days] == [0, 0, 1, 1, 0, 0, 0]
    filtered = hearing_week(
        db.session, org.user(Role.SUPERVISOR), WEDNESDAY, BY_ARBITRATOR, arbitrator_id=org.user(Role.ARBITRATOR).id
    )
    assert [r.key for r in filtered.rows] == [org.user(Role.ARBITRATOR).id]


def test_only_cases_the_user_reads_and_only_live_hearings(db, org, world):
    week = hearing_week(db.session, world["street_clerk"], WEDNESDAY, BY_ROOM)
    shown = [e.case_id for r in week.rows for day in r.days for e in day]
    assert shown == [world["street"].id]
    assert hearing_week(db.session, org.user(Role.ADMIN), WEDNESDAY, BY_ROOM).rows == []
    hearings.postpone_hearing(
        db.session,
        world["centre"],
        org.user(Role.CLERK),
        hearing_id=world["centre_hearing"].id,
        reason="当事人申请延期",
    )
    db.session.commit()
    week = hearing_week(db.session, org.user(Role.CLERK), WEDNESDAY, BY_ROOM)
    assert [e.case_id for r in week.rows for day in r.days for e in day] == [world["street"].id]


def test_online_hearings_have_their_own_row(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.TRIBUNAL_FORMED)
    hearings.schedule_hearing(
        db.session,
        case,
        org.user(Role.CLERK),
        starts_at=at_local(WEDNESDAY, 15),
        ends_at=at_local(WEDNESDAY, 16),
        online_link="https://meeting.example.cn/1",
        short_notice_agreed=True,
    )
    db.session.commit()
    rows = hearing_week(db.session, org.user(Role.CLERK), WEDNESDAY, BY_ROOM).rows
    online = [r for r in rows if r.key is None]
    assert len(online) == 1 and online[0].days[2][0].online_link == "https://meeting.example.cn/1"


def _cell(page, row_label: str, weekday: int) -> str:
    """The text of the calendar cell in the row headed `row_label`, on `weekday` (0 = Monday)."""
    table = parse(page).find(".//table")
    for tr in table.iter("tr"):
        header = tr.find("th")
        if header is not None and row_label in text(header):
            return text(tr.findall("td")[weekday])
    raise AssertionError(f"no row {row_label}")


def test_calendar_page_by_room_and_by_arbitrator(db, org, world, login):
    number = world["centre"].arbitration.number
    client = login(org.user(Role.CLERK))
    page = client.get("/arbitration/calendar?week=2026-11-26&by=room")
    assert page.status_code == 200
    assert number in _cell(page, "第一仲裁庭", 2) and "09:00–11:00" in _cell(page, "第一仲裁庭", 2)
    assert number not in _cell(page, "第一仲裁庭", 3)
    assert f"/cases/{world['centre'].id}#arbitration" in page.get_data(as_text=True)
    assert "scheduled" not in text(parse(page).find(".//table"))
    assert number not in client.get("/arbitration/calendar?week=2026-12-02&by=room").get_data(as_text=True)
    by_person = client.get("/arbitration/calendar?week=2026-11-23&by=arbitrator")
    assert number in _cell(by_person, org.user(Role.ARBITRATOR).display_name, 2)
    clock.freeze(at_local(date(2026, 11, 24), 8))
    default = client.get("/arbitration/calendar")  # this week, by room
    assert number in _cell(default, "第一仲裁庭", 2)
    assert "week=2026-11-16" in default.get_data(as_text=True) and "week=2026-11-30" in default.get_data(as_text=True)


def test_calendar_page_hides_cases_the_user_cannot_read(db, org, world, login):
    page = login(world["street_clerk"]).get("/arbitration/calendar?week=2026-11-25")
    body = page.get_data(as_text=True)
    assert world["street"].arbitration.number in body
    assert world["centre"].arbitration.number not in body


def test_calendar_needs_a_case_reader(org, client, login):
    assert client.get("/arbitration/calendar").status_code == 302
    assert login(org.user(Role.ADMIN)).get("/arbitration/calendar").status_code == 403


def _rooms(db, org, count):
    from disputes.models import HearingRoom

    rooms = [HearingRoom(unit_id=org.arbitration.id, name=f"第{n:02d}庭", active=True) for n in range(count)]
    db.session.add_all(rooms)
    db.session.flush()
    return rooms


def test_the_calendar_is_paged_by_rows_and_reads_a_fixed_number_of_statements(db, org, make_case, monkeypatch):
    """A busy week: only the page's rooms' hearings are read, in the same statements however many there are."""
    import sqlalchemy as sa

    from disputes.workflow import hearing_calendar

    monkeypatch.setattr(hearing_calendar, "PAGE_SIZE", 2)
    rooms = _rooms(db, org, 5)
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.TRIBUNAL_FORMED)
    clerk = org.user(Role.CLERK)

    def week(page, by=BY_ROOM):
        db.session.expire_all()
        seen = []

        def record(conn, cursor, statement, *args):
            seen.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            found = hearing_week(db.session, clerk, WEDNESDAY, by, page=page)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)
        return found, len(seen)

    for n, room in enumerate(rooms[:2]):
        _schedule(db, org, case, WEDNESDAY - timedelta(days=1), 8 + 3 * n, room=room)
    db.session.commit()
    first, few = week(1)
    _, few_by_arbitrator = week(1, BY_ARBITRATOR)
    for n, room in enumerate(rooms * 2):
        _schedule(db, org, case, WEDNESDAY + timedelta(days=n // 4), 8 + 3 * (n % 4), room=room)
    db.session.commit()
    first, many = week(1)
    assert many == few and week(1, BY_ARBITRATOR)[1] == few_by_arbitrator
    pages = [week(p)[0] for p in range(1, first.pages + 1)]
    keys = [row.key for page in pages for row in page.rows]
    every = Driver(db.session, org, case).room()  # the driver's own room, also the commission's
    assert len(keys) == len(set(keys)) and {r.id for r in rooms} | {every.id} <= set(keys)
    assert all(len(page.rows) <= 2 for page in pages) and first.pages == -(-len(keys) // 2)
    assert sum(row.count for page in pages for row in page.rows) == 2 + 10
    assert week(99)[0].page == first.pages  # a page past the end shows the last one
    by_arbitrator, _ = week(1, BY_ARBITRATOR)
    assert by_arbitrator.rows and sum(row.count for row in by_arbitrator.rows) <= 12


def test_the_calendar_page_shows_a_pager(client, login, db, org, make_case, monkeypatch):
    from disputes.workflow import hearing_calendar

    monkeypatch.setattr(hearing_calendar, "PAGE_SIZE", 1)
    rooms = _rooms(db, org, 2)
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.TRIBUNAL_FORMED)
    for room in rooms:
        _schedule(db, org, case, WEDNESDAY, 9 if room is rooms[0] else 13, room=room)
    db.session.commit()
    login(org.user(Role.CLERK))
    page = parse(client.get(f"/arbitration/calendar?week={WEDNESDAY.isoformat()}&page=2"))
    pager = page.find(".//nav[@class='pager']")
    assert pager is not None and "page=1" in pager.find("a").get("href")
    rows = page.findall(".//table[@class='grid calendar']/tbody/tr")
    assert len(rows) == 1 and rooms[1].name in text(rows[0])


# --- issue 16: parties, the month, free rooms, the earliest lawful hearing date -------------------------------


def test_each_hearing_shows_its_parties(db, org, world):
    week = hearing_week(db.session, org.user(Role.CLERK), WEDNESDAY, BY_ROOM)
    (entry,) = week.rows[0].days[2]
    case = world["centre"]
    assert entry.parties == (case.applicants[0].name, case.respondents[0].name)


def test_the_month_counts_every_day_and_lists_the_hearings(db, org, world, monkeypatch):
    month = hearing_month(db.session, org.user(Role.CLERK), WEDNESDAY)
    assert month.first == date(2026, 11, 1)
    assert month.weeks[0][0].day == date(2026, 10, 26) and month.weeks[-1][-1].day == date(2026, 12, 6)
    busy = {d.day: [e.number for e in d.entries] for d in month.busy_days}
    assert busy == {
        WEDNESDAY: [world["centre"].arbitration.number],
        WEDNESDAY + timedelta(days=1): [world["street"].arbitration.number],
    }
    # The street clerk reads only the street case; past the limit a day says how many more it has.
    street = hearing_month(db.session, world["street_clerk"], WEDNESDAY)
    assert [d.day for d in street.busy_days] == [WEDNESDAY + timedelta(days=1)]
    monkeypatch.setattr("disputes.workflow.hearing_calendar.MONTH_LIMIT", 1)
    bounded = hearing_month(db.session, org.user(Role.CLERK), WEDNESDAY)
    assert [(d.total, len(d.entries), d.more) for d in bounded.busy_days] == [(1, 1, 0), (1, 0, 1)]


def test_free_rooms_leave_out_a_room_taken_then(db, org, world):
    room = Driver(db.session, org, world["centre"]).room()
    other = HearingRoom(unit_id=room.unit_id, name="第二仲裁庭", active=True)
    db.session.add(other)
    db.session.commit()
    taken = free_rooms(db.session, org.centre, at_local(WEDNESDAY, 10), at_local(WEDNESDAY, 12))
    assert [r.name for r in taken] == ["第二仲裁庭"]  # the first room holds the centre case 09:00–11:00
    later = free_rooms(db.session, org.centre, at_local(WEDNESDAY, 11), at_local(WEDNESDAY, 13))
    assert sorted(r.name for r in later) == ["第一仲裁庭", "第二仲裁庭"]


def test_a_hearing_before_the_earliest_lawful_date_is_refused(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.TRIBUNAL_FORMED)
    today = clock.today_local()
    earliest = hearings.earliest_hearing_day(db.session)
    assert earliest == today + timedelta(days=5)  # Law Art 35: notice five days before the hearing
    with pytest.raises(DomainError) as refused:
        _schedule(db, org, case, earliest - timedelta(days=1), 9, short_notice_agreed=False)
    assert refused.value.field == "day" and refused.value.params["date"] == earliest
    hearing = _schedule(db, org, case, earliest, 9, short_notice_agreed=False)
    assert hearing.notices == []  # on the earliest day the notice can still be served in time
    # The parties may accept a shorter notice: recorded, and the warning still says the rule cannot be met.
    hearings.postpone_hearing(db.session, case, org.user(Role.CLERK), hearing_id=hearing.id, reason="当事人申请")
    sooner = _schedule(db, org, case, today + timedelta(days=2), 9, short_notice_agreed=True)
    scheduled = [e for e in case.timeline if e.kind == "arbitration.schedule_hearing"]
    assert sooner.notices
    assert sorted(str(e.after.get("short_notice_agreed")) for e in scheduled) == ["None", "True"]


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_the_month_page_and_the_free_rooms(db, org, world, login, client, locale):
    login(org.user(Role.CLERK))
    client.post("/language", data={"locale": locale, "next": "/account"})
    slot = "free=2026-11-25&from=10:00&to=12:00"
    page = parse(client.get(f"/arbitration/calendar?view=month&week={WEDNESDAY.isoformat()}&{slot}"))
    cells = {td.get("data-day"): text(td) for td in page.iter("td") if td.get("data-day")}
    assert world["centre"].arbitration.number in cells["2026-11-25"]
    assert world["centre"].applicants[0].name in cells["2026-11-25"]
    (earliest,) = [p for p in page.iter("p") if p.get("id") == "earliest-hearing"]
    day = clock.today_local() + timedelta(days=5)
    assert (f"{day.year}年{day.month}月{day.day}日" if locale == "zh_CN" else f"Nov {day.day}, 2026") in text(earliest)
    (free,) = [d for d in page.iter("div") if d.get("id") == "free-rooms"]
    assert not [li for li in free.iter("li")]  # the only room is taken 09:00–11:00
    week = parse(client.get(f"/arbitration/calendar?week={WEDNESDAY.isoformat()}&free=2026-11-25&from=13:00&to=15:00"))
    (free,) = [d for d in week.iter("div") if d.get("id") == "free-rooms"]
    assert [text(li).split()[0] for li in free.iter("li")] == ["第一仲裁庭"]


# --- issue 18: a room-day cell shows at most CELL_LIMIT hearings, "+k more" leads to the day's paged list --------


def test_a_busy_room_day_shows_its_first_hearings_and_how_many_more(db, org, make_case, monkeypatch, login, client):
    from disputes.workflow import hearing_calendar

    monkeypatch.setattr(hearing_calendar, "CELL_LIMIT", 2)
    monkeypatch.setattr(hearing_calendar, "DAY_PAGE_SIZE", 2)
    (room,) = _rooms(db, org, 1)
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.TRIBUNAL_FORMED)
    for hour in (16, 8, 12, 10, 14):  # five on Wednesday, out of order
        _schedule(db, org, case, WEDNESDAY, hour, room=room)
    _schedule(db, org, case, WEDNESDAY + timedelta(days=1), 9, room=room)
    db.session.commit()
    clerk = org.user(Role.CLERK)

    (row,) = [r for r in hearing_week(db.session, clerk, WEDNESDAY, BY_ROOM).rows if r.key == room.id]
    assert [e.starts.hour for e in row.days[2]] == [8, 10] and row.more(2) == 3
    assert [e.starts.hour for e in row.days[3]] == [9] and row.more(3) == 0 and row.more(0) == 0

    pages = [hearing_calendar.row_day(db.session, clerk, BY_ROOM, room.id, WEDNESDAY, p) for p in (1, 2, 3, 4)]
    assert [[e.starts.hour for e in p.entries] for p in pages] == [[8, 10], [12, 14], [16], [16]]
    assert {p.total for p in pages} == {5} and pages[0].pages == 3 and pages[3].page == 3
    assert hearing_calendar.row_day(db.session, clerk, BY_ROOM, None, WEDNESDAY).total == 0  # no online hearing

    login(clerk)
    page = client.get(f"/arbitration/calendar?week={WEDNESDAY.isoformat()}&room={room.id}")
    assert "另有 3 场" in _cell(page, room.name, 2) and "另有" not in _cell(page, room.name, 3)
    (more,) = [a.get("href") for a in parse(page).iter("a") if a.get("class") == "cal-more"]
    assert f"day={WEDNESDAY.isoformat()}" in more and f"day_room={room.id}" in more
    listed = parse(client.get(more.replace("#day-list", "") + "&dpage=3"))
    section = listed.find(".//section[@id='day-list']")
    assert section is not None and "16:00" in text(section) and "08:00" not in text(section)
    assert len(section.findall(".//div")) == 1 and "3" in text(section.find(".//nav"))


def test_a_busy_arbitrator_day_shows_the_first_hearings_of_each_arbitrator(
    db, org, make_case, monkeypatch, login, client
):
    """By arbitrator the cells are capped the same way, each arbitrator's day on its own: a panel's hearing that is
    past the cap of one member's day is still among the first of another's."""
    from disputes.workflow import hearing_calendar

    monkeypatch.setattr(hearing_calendar, "CELL_LIMIT", 2)
    monkeypatch.setattr(hearing_calendar, "DAY_PAGE_SIZE", 2)
    sole_room, panel_room = _rooms(db, org, 2)
    sole, panel = make_case(), make_case()
    Driver(db.session, org, sole).arbitration(ArbitrationState.TRIBUNAL_FORMED)
    driver = Driver(db.session, org, panel)
    driver.arbitration(ArbitrationState.SERVED)
    members = driver.three_arbitrators()  # the sole arbitrator and two more
    arb.form_tribunal(db.session, panel, org.user(Role.CLERK), kind=TribunalKind.THREE_MEMBER, arbitrator_ids=members)
    for hour in (16, 8, 10):
        _schedule(db, org, sole, WEDNESDAY, hour, room=sole_room)
    _schedule(db, org, sole, WEDNESDAY + timedelta(days=1), 9, room=sole_room)
    for hour in (14, 12):
        _schedule(db, org, panel, WEDNESDAY, hour, room=panel_room)
    db.session.commit()
    clerk, sole_arbitrator, other = org.user(Role.CLERK), members[0], members[1]

    rows = {r.key: r for r in hearing_week(db.session, clerk, WEDNESDAY, BY_ARBITRATOR).rows}
    busy, panel_only = rows[sole_arbitrator], rows[other]
    assert [e.starts.hour for e in busy.days[2]] == [8, 10] and busy.more(2) == 3
    assert [e.starts.hour for e in busy.days[3]] == [9] and busy.more(3) == 0 and busy.more(0) == 0
    assert [e.starts.hour for e in panel_only.days[2]] == [12, 14] and panel_only.more(2) == 0
    assert [e.room for e in panel_only.days[2]] == [panel_room.name] * 2

    pages = [
        hearing_calendar.row_day(db.session, clerk, BY_ARBITRATOR, sole_arbitrator, WEDNESDAY, p) for p in (1, 2, 3, 4)
    ]
    assert [[e.starts.hour for e in p.entries] for p in pages] == [[8, 10], [12, 14], [16], [16]]
    assert {p.total for p in pages} == {5} and pages[0].pages == 3 and pages[3].page == 3
    assert hearing_calendar.row_day(db.session, clerk, BY_ARBITRATOR, other, WEDNESDAY).total == 2
    assert hearing_calendar.row_day(db.session, org.user(Role.ADMIN), BY_ARBITRATOR, other, WEDNESDAY).total == 0

    login(clerk)
    name = rows[sole_arbitrator].label
    page = client.get(f"/arbitration/calendar?week={WEDNESDAY.isoformat()}&by=arbitrator")
    assert "另有 3 场" in _cell(page, name, 2) and "另有" not in _cell(page, name, 3)
    assert "另有" not in _cell(page, rows[other].label, 2)
    (more,) = [a.get("href") for a in parse(page).iter("a") if a.get("class") == "cal-more"]
    assert f"day={WEDNESDAY.isoformat()}" in more and f"day_arbitrator={sole_arbitrator}" in more
    listed = parse(client.get(more.replace("#day-list", "") + "&dpage=3"))
    section = listed.find(".//section[@id='day-list']")
    assert section is not None and name in text(section.find("h2"))
    assert "16:00" in text(section) and "08:00" not in text(section) and sole_room.name in text(section)
    assert len(section.findall(".//div")) == 1 and "3" in text(section.find(".//nav"))
