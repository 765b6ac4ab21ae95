"""The mediation session calendar and a person's iCalendar export (issue 16)."""

from datetime import UTC, datetime, timedelta

import pytest

from disputes import clock, organisation
from disputes.models import Role
from disputes.web import ical
from disputes.workflow import mediation
from disputes.workflow.session_calendar import own_events, session_span
from disputes.workflow.states import ArbitrationState, MediationState, SessionOutcome
from tests.conftest import PASSWORD
from tests.drive import Driver
from tests.pages import parse, text


def _log(db, case, who, held_at, next_at=None):
    row = mediation.log_session(
        db.session,
        case,
        who,
        mediation.SessionInput(
            held_at=held_at,
            attendees="张三；公司人事",
            summary="双方陈述",
            outcome=SessionOutcome.CONTINUE,
            place="调解室一",
            next_at=next_at,
        ),
    )
    db.session.commit()
    return row


@pytest.fixture
def sessions(db, org, make_case):
    """A case accepted for the mediator, a session held now with the next planned in three days."""
    case = make_case()
    Driver(db.session, org, case).mediation(MediationState.ACCEPTED)
    mediator = org.user(Role.MEDIATOR)
    now = clock.now_utc()
    held = _log(db, case, mediator, now - timedelta(hours=1), now + timedelta(days=3))
    return case, mediator, held


def test_held_and_planned_sessions_fall_on_their_days(db, org, sessions):
    case, mediator, held = sessions
    span = session_span(db.session, mediator, clock.today_local(), "month", mediator_id=mediator.id)
    found = {(e.key, e.at.date(), e.planned) for w in span.weeks for d in w for e in d.entries}
    assert found == {
        (f"session-{held.id}", clock.to_local(held.held_at).date(), False),
        (f"plan-{held.id}", clock.to_local(held.next_at).date(), True),
    }
    # A later session replaces the plan; the plan of the latest is shown instead.
    later = _log(db, case, mediator, clock.now_utc(), clock.now_utc() + timedelta(days=5))
    span = session_span(db.session, mediator, clock.today_local(), "month")
    keys = {e.key for w in span.weeks for d in w for e in d.entries}
    assert f"plan-{held.id}" not in keys and {f"plan-{later.id}", f"session-{later.id}"} <= keys


def test_other_mediators_and_unreadable_cases_are_left_out(db, org, sessions):
    _case, mediator, _held = sessions
    other = organisation.add_user(db.session, "m2", "李建华", [Role.MEDIATOR], org.mediation, PASSWORD)
    street_clerk = organisation.add_user(db.session, "street-clerk", "街道书记员", [Role.CLERK], org.street, PASSWORD)
    db.session.commit()
    today = clock.today_local()
    assert not session_span(db.session, mediator, today, "month", mediator_id=other.id).count
    assert not session_span(db.session, street_clerk, today, "month").count
    assert session_span(db.session, org.user(Role.CLERK), today, "month").count == 2


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_the_session_calendar_page(db, org, sessions, login, client, locale):
    case, mediator, held = sessions
    login(mediator)
    client.post("/language", data={"locale": locale, "next": "/account"})
    page = parse(client.get("/mediation/calendar?view=month"))
    entries = [d for d in page.iter("div") if d.get("data-entry")]
    assert {e.get("data-entry") for e in entries} == {f"session-{held.id}", f"plan-{held.id}"}
    assert all(case.applicants[0].name in text(e) for e in entries)
    week = client.get("/mediation/calendar")
    assert week.status_code == 200


def test_ical_text_is_escaped_and_folded():
    assert ical.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = ical.fold("SUMMARY:" + "调" * 40)
    lines = folded.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines) and all(line.startswith(" ") for line in lines[1:])
    assert "".join(line[1:] if i else line for i, line in enumerate(lines)) == "SUMMARY:" + "调" * 40
    body = ical.calendar(
        "王, 五",
        [
            {
                "uid": "x-1",
                "starts": datetime(2026, 11, 25, 1, tzinfo=UTC),
                "ends": datetime(2026, 11, 25, 2, tzinfo=UTC),
                "summary": "案; 一",
            }
        ],
        datetime(2026, 11, 20, tzinfo=UTC),
        "example.org",
    )
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "X-WR-CALNAME:王\\, 五\r\n" in body and "SUMMARY:案\\; 一\r\n" in body
    assert "DTSTART:20261125T010000Z\r\n" in body and "UID:x-1@example.org\r\n" in body


def test_the_export_holds_the_users_own_sessions_and_hearings(db, org, sessions, login, client, make_case):
    case, mediator, held = sessions
    arbitrated = make_case()
    Driver(db.session, org, arbitrated).arbitration(ArbitrationState.HEARD)
    db.session.commit()
    today = clock.today_local()
    uids = {e.uid for e in own_events(db.session, mediator, today - timedelta(days=30), today + timedelta(days=30))}
    assert uids == {f"session-{held.id}", f"plan-{held.id}"}
    arbitrator = org.user(Role.ARBITRATOR)
    (hearing,) = arbitrated.arbitration.hearings
    theirs = own_events(db.session, arbitrator, today - timedelta(days=30), today + timedelta(days=30))
    assert [e.uid for e in theirs] == [f"hearing-{hearing.id}"]
    login(mediator)
    response = client.get("/work/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert body.count("BEGIN:VEVENT") == 2 and f"UID:plan-{held.id}@" in body and "hearing-" not in body
    assert f"/cases/{case.id}" in body


def test_the_export_needs_a_case_reader(org, client, login):
    assert client.get("/work/calendar.ics").status_code == 302
    assert login(org.user(Role.ADMIN)).get("/work/calendar.ics").status_code == 403
