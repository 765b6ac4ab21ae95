"""Arbitration documents from service to the hearings, and the commission's decisions (决定书).

Also the small context helpers the other arbitration kinds share (tribunal, timers, the arbitration itself).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from disputes import clock
from disputes.documents.catalogue import Subject, document, once_when
from disputes.documents.context import msgid
from disputes.i18n import N_
from disputes.models import Arbitration, Case
from disputes.workflow.states import Approval, ArbitrationState, ClosureType, HearingState

DEFENCE_DAYS = 10  # Law Art 30: the defence within ten days of receiving the application copy
HEARING_NOTICE_DAYS = 5  # Law Art 35
POSTPONE_REQUEST_DAYS = 3  # Law Art 35
# Closures the commission records in a 决定书, by the subject key of the decision.
DECIDED_CLOSURES = {
    ClosureType.WITHDRAWN: "withdrawal",
    ClosureType.DEEMED_WITHDRAWN: "deemed_withdrawal",
    ClosureType.TERMINATED: "termination",
}


def arbitration_context(arbitration: Arbitration) -> dict[str, Any]:
    return {
        "number": arbitration.number or "",
        "received_on": arbitration.received_on,
        "accepted_on": arbitration.accepted_on,
        "served_on": arbitration.served_on,
        "tribunal_kind": msgid(arbitration.tribunal_kind) if arbitration.tribunal_kind else "",
        "tribunal_formed_on": arbitration.tribunal_formed_on,
        "tribunal": tribunal_context(arbitration),
        "simplified": arbitration.simplified,
        "closure_type": msgid(arbitration.closure_type) if arbitration.closure_type else "",
        "closure_note": arbitration.closure_note or "",
        "closure_requested_on": arbitration.closure_requested_on,
        "closed_on": arbitration.closed_on,
        "hearing_days": [h.starts_at for h in arbitration.hearings if h.state == HearingState.HELD],
    }


def tribunal_context(arbitration: Arbitration) -> list[dict[str, str]]:
    return [{"name": m.user.display_name, "seat": msgid(m.seat)} for m in arbitration.tribunal]


def timer_due(case: Case, rule_id: str, subject_id: int | None = None) -> date | None:
    """The last day of a statutory period as the deadline engine computed it (holidays and pauses included)."""
    timers = [t for t in getattr(case, "timers", []) if t.rule_id == rule_id and t.subject_id == subject_id]
    return timers[-1].due_on if timers else None


def user_name(user) -> str:
    return user.display_name if user is not None else ""


def _accepted(session, case: Case) -> bool:
    arbitration = getattr(case, "arbitration", None)
    return arbitration is not None and arbitration.accepted_on is not None


def _with_tribunal(session, case: Case) -> bool:
    arbitration = getattr(case, "arbitration", None)
    return arbitration is not None and bool(arbitration.tribunal)


@document(
    "arb_respondent_notice",
    N_("Notice to respond to arbitration"),
    family="arbitration_doc",
    track="arbitration",
    subjects=once_when(_accepted),
    order=320,
    dated=lambda s, case, subject: case.arbitration.accepted_on,
)
def respondent_notice(session, case: Case, subject: Subject) -> dict:
    """应诉通知书 with the 举证通知: defence, evidence, counter-claim and jurisdiction objection end together."""
    arbitration = case.arbitration
    return {
        "arbitration": arbitration_context(arbitration),
        "defence_days": DEFENCE_DAYS,
        "defence_due": timer_due(case, "arbitration.defence"),  # no timer (not served yet): "from receipt", no date
    }


@document(
    "arb_tribunal_notice",
    N_("Notice of the composition of the tribunal"),
    family="arbitration_doc",
    track="arbitration",
    subjects=once_when(_with_tribunal),
    order=330,
    dated=lambda s, case, subject: case.arbitration.tribunal_formed_on,
)
def tribunal_notice(session, case: Case, subject: Subject) -> dict:
    return {"arbitration": arbitration_context(case.arbitration)}


def _hearings(session, case: Case) -> list[Subject]:
    """One notice per hearing still to be held; a postponed or cancelled hearing has none to give."""
    arbitration = getattr(case, "arbitration", None)
    if arbitration is None:
        return []
    return [
        Subject(
            str(h.id), N_("Hearing of %(time)s"), {"time": clock.to_local(h.starts_at).strftime("%Y-%m-%d %H:%M")}, h
        )
        for h in arbitration.hearings
        if h.state == HearingState.SCHEDULED
    ]


@document(
    "arb_hearing_notice",
    N_("Notice of hearing"),
    family="arbitration_doc",
    track="arbitration",
    subjects=_hearings,
    order=340,
)
def hearing_notice(session, case: Case, subject: Subject) -> dict:
    hearing = subject.obj
    return {
        "arbitration": arbitration_context(case.arbitration),
        "hearing": {
            "starts_at": hearing.starts_at,
            "ends_at": hearing.ends_at,
            "room": hearing.room.name if hearing.room else "",
            "address": case.arbitration.unit.address or "",
            "online_link": hearing.online_link or "",
        },
        "postpone_days": POSTPONE_REQUEST_DAYS,
    }


def _decisions(session, case: Case) -> list[Subject]:
    """Every decision the case has: each approved suspension, and a withdrawal or termination once closed."""
    arbitration = getattr(case, "arbitration", None)
    if arbitration is None:
        return []
    found = [
        Subject(f"suspension-{s.id}", N_("Suspension from %(date)s"), {"date": s.started_on.isoformat()}, s)
        for s in arbitration.suspensions
        if s.state == Approval.APPROVED
    ]
    matter = DECIDED_CLOSURES.get(arbitration.closure_type)
    if matter and arbitration.state == ArbitrationState.CLOSED:
        found.append(Subject(matter, msgid(arbitration.closure_type), {}, arbitration))
    return found


DECISION_TITLES = {
    "suspension": N_("Decision to suspend the proceedings"),
    "withdrawal": N_("Decision permitting withdrawal of the application"),
    "deemed_withdrawal": N_("Decision to treat the application as withdrawn"),
    "termination": N_("Decision to terminate the proceedings"),
}


def case_number(session, case: Case, subject: Subject) -> str | None:
    """The case number (案号) the commission's acts in the case carry: decisions, the mediation statement."""
    return case.arbitration.number


def decision_date(session, case: Case, subject: Subject) -> date | None:
    """A suspension is decided on its approval; a withdrawal, deemed withdrawal or termination on its act's date."""
    if subject.key.startswith("suspension-"):
        return subject.obj.decided_on
    return case.arbitration.closure_act_on or case.arbitration.closed_on


# An application that lapsed before acceptance has no case number: its decision takes a 文号.
@document(
    "arb_decision",
    N_("Arbitration decision"),
    family="arbitration_doc",
    track="arbitration",
    subjects=_decisions,
    order=380,
    number=case_number,
    dated=decision_date,
)
def decision(session, case: Case, subject: Subject) -> dict:
    arbitration = case.arbitration
    body: dict[str, Any] = {"arbitration": arbitration_context(arbitration), "matter": subject.key}
    if subject.key.startswith("suspension-"):
        suspension = subject.obj
        body["matter"] = "suspension"
        body["suspension"] = {
            "ground": msgid(suspension.ground),
            "reason": suspension.reason,
            "started_on": suspension.started_on,
            "ended_on": suspension.ended_on,
        }
    elif subject.key == "deemed_withdrawal":
        # Before acceptance only an uncorrected application lapses (Rules Art 29); after it, absence (Law Art 36).
        body["lapsed_before_acceptance"] = arbitration.accepted_on is None
    body["title"] = DECISION_TITLES[body["matter"]]
    return body
