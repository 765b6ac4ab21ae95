"""The limitation period for applying to arbitration (rule `limitation.claim`, Law Art 27): one function,
`assess`, gives the intake warning, the case page's explanation and the `limitation.claim` timer.

Art 27 as applied (docs/decisions.md, Deadlines):
- (1) One year (the rule's period) from the day the dispute became known.
- (2) An interruption — a demand on the other party, a complaint to an authority, a mediation application, the
  other party agreeing to perform — restarts the period in full from its day, provided it happens while the
  period runs (an interruption after the period ended revives nothing). A mediation interrupts until it ends:
  the period runs again from the day it ended (the failure notice tells the parties it runs again from receipt;
  an agreement is the other party agreeing to perform, Art 27(2)). The latest such restart counts.
- (3) A suspension adds its calendar days (deadlines.md rule 6), counted only inside the running period (from
  the last restart, and beginning before the period ended); overlapping suspensions count once; one not yet
  ended leaves the period open.
- (4) Labour remuneration claims (wages, overtime pay) arising during the employment: not limited while the
  employment lasts; one year from its end once it has ended, restarted by interruptions after that end. When
  the case does not record whether the employment has ended, they count from the known day like the rest.
- A case mixing remuneration with other claims has two runs: the remuneration claims (27(4)) and the other
  claims (from the known day). The run ending first governs the warning and the timer — while the employment
  lasts, that is the other claims'.

Pure: `assess(facts, period=, unit=, calendar=)`. `assess_case` and `assess_facts` read the rule's current
version and the stored calendar from a session (without one: the rule as shipped and the bundled calendar).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Session, object_session

from disputes.i18n import N_
from disputes.models.enums import (
    LIMITATION_INTERRUPTIONS,
    REMUNERATION_CATEGORIES,
    ClaimCategory,
    LimitationEventKind,
)
from disputes.models.sla import SlaRule
from disputes.sla import settings
from disputes.sla.calendar import WorkCalendar, bundled_calendar
from disputes.sla.calendar_store import load_calendar
from disputes.sla.compute import Deadline, Step, compute_deadline
from disputes.sla.rules import seed_rows
from disputes.sla.states import PeriodUnit

RULE_ID = "limitation.claim"
RESTART_STEPS = frozenset({"interruption", "mediation", "mediation_ended"})
MEDIATION_ENDS = frozenset({"agreement", "failed", "withdrawn", "lapsed"})  # MediationState values that end it

KIND_MESSAGES = {
    LimitationEventKind.DEMAND: N_("a demand on the other party"),
    LimitationEventKind.COMPLAINT: N_("a complaint to an authority"),
    LimitationEventKind.MEDIATION: N_("a mediation application"),
    LimitationEventKind.AGREED_TO_PERFORM: N_("the other party agreed to perform"),
}


class Claims(StrEnum):
    ALL = "all"  # one run for every claim of the case
    REMUNERATION = "remuneration"  # wages and overtime pay under Art 27(4)
    OTHER = "other"  # the other claims of a case that also has remuneration claims under 27(4)


@dataclass(frozen=True)
class Event:
    kind: LimitationEventKind
    start_on: date
    end_on: date | None = None  # a mediation's or a suspension's end


@dataclass(frozen=True)
class Facts:
    known_on: date | None
    categories: frozenset[ClaimCategory] = frozenset()
    still_employed: bool = False
    employment_ended_on: date | None = None
    events: tuple[Event, ...] = ()


@dataclass(frozen=True)
class Run:
    """The limitation of one group of claims."""

    claims: Claims
    start: date | None  # the day the period (re)started; None: not limited (27(4), still employed)
    suspensions: tuple[tuple[date, date | None], ...] = ()  # those counted, clipped to the period
    deadline: Deadline | None = None
    steps: tuple[Step, ...] = ()


@dataclass(frozen=True)
class Assessment:
    runs: tuple[Run, ...]
    governing: Run | None  # the run ending first; None when nothing is limited or nothing is known
    steps: tuple[Step, ...] = field(default=())  # the governing run's, for a one-line explanation

    @property
    def start(self) -> date | None:
        return self.governing.start if self.governing else None

    @property
    def deadline(self) -> Deadline | None:
        return self.governing.deadline if self.governing else None

    @property
    def due(self) -> date | None:
        return self.deadline.due if self.deadline else None

    @property
    def provisional(self) -> bool:
        return bool(self.deadline and self.deadline.provisional)

    @property
    def suspended_since(self) -> date | None:
        return self.deadline.suspended_since if self.deadline else None

    @property
    def suspensions(self) -> tuple[tuple[date, date | None], ...]:
        return self.governing.suspensions if self.governing else ()

    def ended_before(self, on: date) -> date | None:
        """The period's last day, when `on` (a registration, an application) comes after it; else None."""
        return self.due if self.due is not None and on > self.due else None

    @property
    def from_known_day(self) -> bool:
        """Every claim counted from the day the dispute became known, never restarted (Art 27(1))."""
        return (
            self.governing is not None
            and self.governing.claims == Claims.ALL
            and not any(step.code in RESTART_STEPS for step in self.governing.steps)
        )

    @property
    def is_plain(self) -> bool:
        """Art 27(1) alone: nothing else to say (no interruption, suspension or 27(4) note)."""
        return self.from_known_day and len(self.runs) == 1 and len(self.governing.steps) == 1


def assess(
    facts: Facts, *, period: int = 12, unit: PeriodUnit = PeriodUnit.MONTHS, calendar: WorkCalendar | None = None
) -> Assessment:
    """Art 27(1)–(4) applied to the facts of a case (see the module's docstring)."""
    calendar = calendar or bundled_calendar(settings.MAKEUP_WORKDAY_ENDS_PERIOD)
    remuneration = not facts.categories.isdisjoint(REMUNERATION_CATEGORIES)
    others = bool(facts.categories - REMUNERATION_CATEGORIES)
    employment_known = facts.still_employed or facts.employment_ended_on is not None
    runs: list[Run] = []
    if remuneration and employment_known:
        if facts.still_employed:
            runs.append(
                Run(
                    Claims.REMUNERATION,
                    None,
                    steps=(
                        Step(
                            "still_employed",
                            N_("Labour remuneration claims: not limited while the employment lasts (Art 27(4))"),
                        ),
                    ),
                )
            )
        else:
            runs.append(
                _run(
                    Claims.REMUNERATION,
                    facts.employment_ended_on,
                    [
                        Step(
                            "employment_ended",
                            N_(
                                "Labour remuneration claims: the period runs from %(date)s, the end of the "
                                "employment (Art 27(4))"
                            ),
                            {"date": facts.employment_ended_on},
                        )
                    ],
                    facts.events,
                    period,
                    unit,
                    calendar,
                )
            )
        if others and facts.known_on is not None:
            runs.append(
                _run(
                    Claims.OTHER,
                    facts.known_on,
                    [
                        Step(
                            "known",
                            N_(
                                "The other claims: the period runs from %(date)s, the day the dispute became known "
                                "(Art 27(1))"
                            ),
                            {"date": facts.known_on},
                        )
                    ],
                    facts.events,
                    period,
                    unit,
                    calendar,
                )
            )
    elif facts.known_on is not None:
        first = [
            Step(
                "known",
                N_("The period runs from %(date)s, the day the dispute became known (Art 27(1))"),
                {"date": facts.known_on},
            )
        ]
        if remuneration:
            first.append(
                Step(
                    "employment_unknown",
                    N_(
                        "Whether the employment has ended is not recorded: labour remuneration claims are counted "
                        "from that "
                        "day too (Art 27(4) not applied)"
                    ),
                )
            )
        runs.append(_run(Claims.ALL, facts.known_on, first, facts.events, period, unit, calendar))
    limited = [run for run in runs if run.start is not None]
    governing = min(limited, key=lambda run: run.deadline.due or date.max, default=None)
    return Assessment(tuple(runs), governing, governing.steps if governing else ())


def _run(
    claims: Claims,
    base: date,
    steps: list[Step],
    events: Iterable[Event],
    period: int,
    unit: PeriodUnit,
    calendar: WorkCalendar,
) -> Run:
    start = base
    events = tuple(events)
    restarts = sorted(
        (e for e in events if e.kind in LIMITATION_INTERRUPTIONS), key=lambda e: (e.start_on, _restart(e))
    )
    for event in restarts:
        restart = _restart(event)
        if restart <= start:
            continue  # before the period (re)started: nothing to interrupt
        if event.start_on > start:
            so_far = _deadline(start, events, period, unit, calendar)[0]
            if so_far.due is not None and event.start_on > so_far.due:
                steps.append(
                    Step(
                        "interruption_late",
                        N_(
                            "The interruption of %(date)s (%(kind)s) came after the period had ended on %(ended)s: "
                            "it does "
                            "not interrupt it"
                        ),
                        {"date": event.start_on, "kind": KIND_MESSAGES[event.kind], "ended": so_far.due},
                    )
                )
                continue
        start = restart
        if event.kind == LimitationEventKind.MEDIATION and event.end_on is not None:
            steps.append(
                Step(
                    "mediation_ended",
                    N_(
                        "Mediation applied for on %(start)s ended on %(date)s: the period runs again in full from "
                        "the end "
                        "(Art 27(2); Law Art 14)"
                    ),
                    {"start": event.start_on, "date": event.end_on},
                )
            )
        elif event.kind == LimitationEventKind.MEDIATION:
            steps.append(
                Step(
                    "mediation",
                    N_(
                        "Mediation applied for on %(date)s: the period runs again from that day, and in full from "
                        "the end of "
                        "the mediation (Art 27(2); Law Art 14)"
                    ),
                    {"date": event.start_on},
                )
            )
        else:
            steps.append(
                Step(
                    "interruption",
                    N_("Interrupted on %(date)s (%(kind)s): the period runs again in full from that day (Art 27(2))"),
                    {"date": event.start_on, "kind": KIND_MESSAGES[event.kind]},
                )
            )
    deadline, suspensions, suspension_steps = _deadline(start, events, period, unit, calendar)
    return Run(claims, start, tuple(suspensions), deadline, tuple(steps + suspension_steps))


def _restart(event: Event) -> date:
    """The day the period runs again: a mediation's end once it has ended, else the interruption's day."""
    return event.end_on if event.kind == LimitationEventKind.MEDIATION and event.end_on else event.start_on


def _deadline(start: date, events: tuple[Event, ...], period: int, unit: PeriodUnit, calendar: WorkCalendar):
    """The period from `start` with the suspensions that count (Art 27(3)), and the steps saying which."""
    kept: list[tuple[date, date | None]] = []
    steps: list[Step] = []
    for since, until in _merged(e for e in events if e.kind == LimitationEventKind.SUSPENSION):
        if until is not None and until <= start:
            continue  # ended before the period (re)started
        since = max(since, start)
        so_far = compute_deadline(start=start, period=period, unit=unit, calendar=calendar, suspensions=kept)
        if so_far.due is not None and since > so_far.due:
            steps.append(
                Step(
                    "suspension_late",
                    N_(
                        "A suspension from %(start)s came after the period had ended on %(ended)s: it does not "
                        "suspend it"
                    ),
                    {"start": since, "ended": so_far.due},
                )
            )
            continue
        kept.append((since, until))
        if until is None:
            steps.append(
                Step(
                    "suspended",
                    N_("Suspended since %(start)s: the period does not run until the cause is removed (Art 27(3))"),
                    {"start": since},
                )
            )
        else:
            steps.append(
                Step(
                    "suspension",
                    N_("Suspended %(start)s–%(end)s: %(days)s days added (Art 27(3))"),
                    {"start": since, "end": until, "days": (until - since).days},
                )
            )
    deadline = compute_deadline(start=start, period=period, unit=unit, calendar=calendar, suspensions=kept)
    return deadline, kept, steps


def _merged(events: Iterable[Event]) -> list[tuple[date, date | None]]:
    """Suspensions as disjoint spans, in order (an open one absorbs every later one)."""
    spans: list[tuple[date, date | None]] = []
    for event in sorted(events, key=lambda e: e.start_on):
        if spans and (spans[-1][1] is None or event.start_on <= spans[-1][1]):
            since, until = spans[-1]
            spans[-1] = (since, None if until is None or event.end_on is None else max(until, event.end_on))
        else:
            spans.append((event.start_on, event.end_on))
    return spans


# --- with a session: the rule's current version, the stored calendar, a case's facts --------------------------


def _rule(session: Session | None) -> tuple[bool, int, PeriodUnit, WorkCalendar]:
    if session is None:
        rule = next(r for r in seed_rows() if r["rule_id"] == RULE_ID)
        return (
            rule.get("active", True),
            rule["period"],
            PeriodUnit(rule["unit"]),
            bundled_calendar(settings.MAKEUP_WORKDAY_ENDS_PERIOD),
        )
    stored = session.scalar(
        sa.select(SlaRule).where(SlaRule.rule_id == RULE_ID).order_by(SlaRule.version.desc()).limit(1)
    )
    if stored is None:
        return False, 0, PeriodUnit.MONTHS, load_calendar(session)
    return stored.active, stored.period, PeriodUnit(stored.unit), load_calendar(session)


def assess_facts(facts: Facts, session: Session | None = None) -> Assessment | None:
    """`assess` with the rule's current version and the stored calendar; None when the rule is switched off."""
    active, period, unit, calendar = _rule(session)
    return assess(facts, period=period, unit=unit, calendar=calendar) if active else None


def case_facts(case) -> Facts:
    """What the case records for Art 27, with its own mediation track as an interruption (Art 27(2))."""
    events = [Event(e.kind, e.start_on, e.end_on) for e in case.limitation_events]
    mediation = getattr(case, "mediation", None)
    if mediation is not None:
        ended = mediation.ended_on if mediation.state.value in MEDIATION_ENDS else None
        events.append(Event(LimitationEventKind.MEDIATION, mediation.applied_on, ended))
    return Facts(
        known_on=case.dispute_known_on,
        categories=frozenset(c.category for c in case.claims),
        still_employed=case.still_employed,
        employment_ended_on=case.employment_ended_on,
        events=tuple(events),
    )


def assess_case(case, session: Session | None = None) -> Assessment | None:
    session = session or object_session(case)
    if session is None:
        return assess_facts(case_facts(case))
    with session.no_autoflush:  # called while a timer is being built (sla.timers.start)
        return assess_facts(case_facts(case), session)


def limitation_ends(known_on: date, session: Session | None = None) -> date | None:
    """The last day of the period of a dispute known on `known_on` under Art 27(1) alone; None when the rule is
    off. Without a session (pure callers, tests) the rule as shipped and the bundled calendar stand in."""
    assessment = assess_facts(Facts(known_on=known_on), session)
    return assessment.due if assessment is not None else None


def limitation_ended(known_on: date | None, on: date, session: Session | None = None) -> date | None:
    """The day the Art 27(1) period ended, when a registration on `on` comes after it; else None."""
    if known_on is None:
        return None
    ends = limitation_ends(known_on, session)
    return ends if ends is not None and on > ends else None
