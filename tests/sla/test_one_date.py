"""Issue 12: every date anyone sees comes from one place, the case's timers.

A property test over random case histories (arbitrations accepted on random days, around the holidays, taken to
different stages; awards final, non-final or mixed, served on the two parties on different days, sometimes sued
against by one party): for every open timer, the date the case page, the deadline board, the “My work” queues,
`flask cases timers --json` and the documents show is the timer's own due date, and the ledger export's closing date
is the day the award timer was completed (the closing act, Law Art 43).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disputes import clock
from disputes.documents.kinds.arbitration import timer_due
from disputes.models import ClaimCategory, Role
from disputes.queues import build_queues
from disputes.sla.states import OPEN_STATUSES, TimerStatus
from disputes.workflow import awards, litigation
from disputes.workflow.intake import ClaimInput
from disputes.workflow.states import ArbitrationState, Litigant
from tests.drive import Driver, at_local
from tests.pages import parse, text

CLAIMS = {
    "final": [ClaimInput(ClaimCategory.WAGES, Decimal("12000.00"), "拖欠工资")],
    "non_final": [ClaimInput(ClaimCategory.ECONOMIC_COMPENSATION, Decimal("80000.00"), "经济补偿")],
    "mixed": [
        ClaimInput(ClaimCategory.WAGES, Decimal("12000.00"), "拖欠工资"),
        ClaimInput(ClaimCategory.ECONOMIC_COMPENSATION, Decimal("80000.00"), "经济补偿"),
    ],
}
STAGES = (ArbitrationState.ACCEPTED, ArbitrationState.SERVED, ArbitrationState.TRIBUNAL_FORMED, ArbitrationState.CLOSED)
PARTY_RULES = ("litigation.worker_sue_final", "litigation.employer_revoke", "litigation.sue_nonfinal")
QUEUE_OF = {  # rule → (role, queue section, the stage it lists) whose item is dated by that rule's open timer
    "arbitration.serve_respondent": (Role.CLERK, "clerk.serve", ArbitrationState.ACCEPTED),
    "arbitration.tribunal_notice": (Role.CLERK, "clerk.tribunal", ArbitrationState.SERVED),
}

history = st.fixed_dictionaries(
    {
        # Around New Year, the Spring Festival, May Day and National Day 2026 (and 2027's provisional New Year).
        "start": st.sampled_from(
            [
                date(2025, 12, 20),
                date(2026, 1, 30),
                date(2026, 2, 10),
                date(2026, 4, 20),
                date(2026, 9, 8),
                date(2026, 9, 16),
                date(2026, 11, 20),
            ]
        ),
        "shift": st.integers(0, 6),
        "stage": st.sampled_from(STAGES),
        "award": st.sampled_from(sorted(CLAIMS)),
        "worker_served_after": st.integers(0, 20),
        "employer_served_after": st.integers(0, 20),
        "worker_sues": st.booleans(),
    }
)


def freeze(day: date) -> None:
    clock.freeze(at_local(day, 10).astimezone(UTC))


def shown(day: date) -> str:
    """A date as the pages print it in Chinese (the default language)."""
    return f"{day.year}年{day.month}月{day.day}日"


def build(db, org, make_case, h) -> object:
    start = h["start"] + timedelta(days=h["shift"])
    freeze(start)
    case = make_case(registered_on=start, dispute_known_on=start - timedelta(days=30), claims=CLAIMS[h["award"]])
    Driver(db.session, org, case).arbitration(h["stage"])
    if h["stage"] == ArbitrationState.CLOSED:
        closed_on = case.arbitration.closed_on
        worker, employer = case.applicants[0], case.respondents[0]
        clerk = org.user(Role.CLERK)
        served = {
            worker: closed_on + timedelta(days=h["worker_served_after"]),
            employer: closed_on + timedelta(days=h["employer_served_after"]),
        }
        for party, day in sorted(served.items(), key=lambda item: item[1]):
            freeze(max(day, clock.today_local()))
            awards.serve_award_on(db.session, case, clerk, party_id=party.id, served_on=day)
        if h["worker_sues"]:
            award = case.arbitration.awards[-1]
            litigation.file_lawsuit(
                db.session,
                case,
                org.user(Role.COURT_LIAISON),
                plaintiff=Litigant.WORKER,
                court="深圳市龙岗区人民法院",
                filed_on=clock.today_local(),
                award_id=award.id,
            )
    db.session.commit()
    return case


def queue_items(db, user, key: str) -> list:
    return [
        i for q in build_queues(db.session, user, clock.now_utc()) for s in q.sections if s.key == key for i in s.items
    ]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(h=history)
def test_every_reader_shows_the_timer_s_date(db, org, make_case, login, runner, h):
    case = build(db, org, make_case, h)
    open_timers = [t for t in case.timers if t.status in OPEN_STATUSES and t.due_on is not None]
    assert open_timers or h["worker_sues"] or h["stage"] == ArbitrationState.CLOSED

    # The CLI: the same data as the case page's panel.
    result = runner.invoke(args=["cases", "timers", "--case", case.registry_no, "--json"])
    assert result.exit_code == 0, result.output
    listed = {t["id"]: t for t in json.loads(result.output)["timers"]}
    assert set(listed) == {t.id for t in case.timers}
    for timer in case.timers:
        assert listed[timer.id]["due_on"] == (timer.due_on.isoformat() if timer.due_on else None)
        assert listed[timer.id]["status"] == timer.status.value
        if timer.rule_id in PARTY_RULES:
            assert listed[timer.id]["subject"] == {
                "kind": "party",
                "id": timer.subject_id,
                "name": next(p.name for p in case.parties if p.id == timer.subject_id),
            }

    client = login(org.user(Role.SUPERVISOR))
    panel = parse(client.get(f"/cases/{case.id}"))
    items = {li.get("id"): text(li) for li in panel.iter("li") if (li.get("id") or "").startswith("timer-")}
    board = parse(client.get("/deadlines?view=all"))
    rows = {r.get("data-timer"): text(r) for r in board.iter("tr") if r.get("data-timer")}
    for timer in open_timers:
        assert shown(timer.due_on) in items[f"timer-{timer.id}"], (timer.rule_id, timer.due_on)
        if str(timer.id) in rows:
            assert shown(timer.due_on) in rows[str(timer.id)], (timer.rule_id, timer.due_on)
        if timer.rule_id in QUEUE_OF and QUEUE_OF[timer.rule_id][2] == case.arbitration.state:
            role, key, _stage = QUEUE_OF[timer.rule_id]
            found = [i.due for i in queue_items(db, org.user(role), key) if i.case.id == case.id]
            assert found == [timer.due_on], (timer.rule_id, case.arbitration.state, found)
        assert timer_due(case, timer.rule_id, timer.subject_id) == timer.due_on  # what the documents print

    # The court liaison's right-to-sue item: the last of the parties' open periods.
    periods = [t.due_on for t in open_timers if t.rule_id in PARTY_RULES and t.due_on >= clock.today_local()]
    items = [i for i in queue_items(db, org.user(Role.COURT_LIAISON), "court.right_to_sue") if i.case.id == case.id]
    assert [i.due for i in items if i.what.startswith("Right to sue or")] == ([max(periods)] if periods else [])

    # The ledger's closing date is the day the award timer was completed: the closing act's.
    if h["stage"] == ArbitrationState.CLOSED:
        award_timer = next(
            t
            for t in case.timers
            if t.rule_id == "arbitration.award" and t.status in (TimerStatus.MET, TimerStatus.MET_LATE)
        )
        exported = client.get("/ledger/export?format=csv")
        assert exported.status_code == 200
        rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
        [row] = [r for r in rows if r["registry_no"] == case.registry_no]
        assert (
            row["arbitration_closed_on"]
            == award_timer.completed_on.isoformat()
            == case.arbitration.closed_on.isoformat()
        )
