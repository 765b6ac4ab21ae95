"""The mediation session calendar (issue 16): sessions held and the next one planned, per day, for a unit or a
mediator, as plain data; and a person's own hearings and sessions for the iCalendar export.

Only the cases the user may read. A planned session is the `next_at` of a mediation's latest session while the
mediation is still open (a later session replaces the plan). Bounded: at most LIMIT entries a range, in time order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, selectinload

from disputes import clock, policy
from disputes.models import Arbitration, Case, Hearing, Mediation, MediationSession, TribunalMember, Unit, User
from disputes.organisation import subtree
from disputes.workflow.hearing_calendar import SHOWN, monday_of, parties_line, sides
from disputes.workflow.states import MediationState

LIMIT = 300
OPEN = (MediationState.ACCEPTED, MediationState.IN_SESSION)


@dataclass(frozen=True)
class SessionEntry:
    key: str  # stable across exports: "session-<id>" held, "plan-<id>" planned (the session that planned it)
    case_id: int
    number: str
    at: datetime  # local time
    planned: bool
    place: str | None
    mediator: str
    parties: tuple[str, str]  # (applicant, respondent), as on the hearing calendar


@dataclass
class Day:
    day: date
    in_range: bool
    entries: list[SessionEntry] = field(default_factory=list)


@dataclass
class Span:
    first: date
    view: str  # "week" or "month"
    weeks: list[list[Day]]
    truncated: bool = False

    @property
    def previous(self) -> date:
        if self.view == "week":
            return self.first - timedelta(days=7)
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        if self.view == "week":
            return self.first + timedelta(days=7)
        return (self.first + timedelta(days=32)).replace(day=1)

    @property
    def count(self) -> int:
        return sum(len(d.entries) for w in self.weeks for d in w)


def _bounds(day: date, view: str) -> tuple[date, date, date, date]:
    """(first day shown in range, last in range, grid start, grid end exclusive)."""
    if view == "week":
        monday = monday_of(day)
        return monday, monday + timedelta(days=6), monday, monday + timedelta(days=7)
    first = day.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last, monday_of(first), monday_of(last) + timedelta(days=7)


def _local(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=clock.LOCAL_TZ)


def sessions_between(
    session: Session,
    user: User,
    start: datetime,
    end: datetime,
    *,
    unit: Unit | None = None,
    mediator_id: int | None = None,
    limit: int = LIMIT,
) -> tuple[list[SessionEntry], bool]:
    """The sessions held and planned in [start, end) of the cases `user` reads; whether more were left out."""
    held = (
        sa.select(MediationSession)
        .join(Mediation, Mediation.id == MediationSession.mediation_id)
        .join(Case, Case.id == Mediation.case_id)
        .where(policy.case_scope(user), MediationSession.held_at >= start, MediationSession.held_at < end)
    )
    later = aliased(MediationSession)
    planned = (
        sa.select(MediationSession)
        .join(Mediation, Mediation.id == MediationSession.mediation_id)
        .join(Case, Case.id == Mediation.case_id)
        .where(
            policy.case_scope(user),
            Mediation.state.in_(OPEN),
            MediationSession.next_at >= start,
            MediationSession.next_at < end,
            ~sa.exists().where(
                later.mediation_id == MediationSession.mediation_id, later.held_at > MediationSession.held_at
            ),
        )
    )
    if unit is not None:
        held = held.where(Mediation.unit_id.in_(subtree(unit)))
        planned = planned.where(Mediation.unit_id.in_(subtree(unit)))
    if mediator_id is not None:
        held = held.where(MediationSession.mediator_id == mediator_id)
        planned = planned.where(Mediation.mediator_id == mediator_id)
    load = (
        selectinload(MediationSession.mediation).selectinload(Mediation.case).selectinload(Case.parties),
        selectinload(MediationSession.mediation).selectinload(Mediation.mediator),
        selectinload(MediationSession.mediator),
    )
    rows_held = list(session.scalars(held.options(*load).order_by(MediationSession.held_at).limit(limit + 1)))
    rows_planned = list(session.scalars(planned.options(*load).order_by(MediationSession.next_at).limit(limit + 1)))
    entries = [_entry(s, planned=False) for s in rows_held] + [_entry(s, planned=True) for s in rows_planned]
    entries.sort(key=lambda e: (e.at, e.key))
    return entries[:limit], len(entries) > limit


def _entry(row: MediationSession, planned: bool) -> SessionEntry:
    mediation = row.mediation
    who = mediation.mediator if planned and mediation.mediator is not None else row.mediator
    return SessionEntry(
        key=f"{'plan' if planned else 'session'}-{row.id}",
        case_id=mediation.case_id,
        number=mediation.number or mediation.case.registry_no,
        at=clock.to_local(row.next_at if planned else row.held_at),
        planned=planned,
        place=row.place or row.online_link,
        mediator=who.display_name,
        parties=sides(mediation.case),
    )


def session_span(
    session: Session, user: User, day: date, view: str = "week", *, unit: Unit | None = None, mediator_id=None
) -> Span:
    """A week (Mon–Sun) or a month (whole weeks) of sessions, per day."""
    view = "month" if view == "month" else "week"
    first, last, grid_start, grid_end = _bounds(day, view)
    days = [grid_start + timedelta(days=i) for i in range((grid_end - grid_start).days)]
    by_day = {d: Day(d, first <= d <= last) for d in days}
    weeks = [[by_day[d] for d in days[i : i + 7]] for i in range(0, len(days), 7)]
    if not policy.can_read_cases(user):
        return Span(first, view, weeks)
    entries, truncated = sessions_between(
        session, user, _local(grid_start), _local(grid_end), unit=unit, mediator_id=mediator_id
    )
    for entry in entries:
        by_day[entry.at.date()].entries.append(entry)
    return Span(first, view, weeks, truncated)


# --- a person's own calendar (iCalendar export) -------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    uid: str
    starts: datetime  # aware
    ends: datetime
    summary: str
    location: str | None
    description: str
    url_case_id: int


SESSION_HOURS = 1  # a session has no recorded end: shown as an hour


def own_events(session: Session, user: User, since: date, until: date, limit: int = 1000) -> list[Event]:
    """The hearings the user sits on and the sessions the user holds (held or planned) in [since, until)."""
    start, end = _local(since), _local(until)
    hearings = session.scalars(
        sa.select(Hearing)
        .join(Arbitration, Arbitration.id == Hearing.arbitration_id)
        .join(Case, Case.id == Arbitration.case_id)
        .join(TribunalMember, TribunalMember.arbitration_id == Arbitration.id)
        .where(
            TribunalMember.user_id == user.id,
            policy.case_scope(user),
            Hearing.state.in_(SHOWN),
            Hearing.starts_at >= start,
            Hearing.starts_at < end,
        )
        .options(
            selectinload(Hearing.room),
            selectinload(Hearing.arbitration).selectinload(Arbitration.case).selectinload(Case.parties),
        )
        .order_by(Hearing.starts_at, Hearing.id)
        .limit(limit)
    ).unique()
    events = [
        Event(
            uid=f"hearing-{h.id}",
            starts=h.starts_at,
            ends=h.ends_at,
            summary=f"{h.arbitration.number or h.arbitration.case.registry_no} {parties_line(h.arbitration.case)}",
            location=h.room.name if h.room else h.online_link,
            description=parties_line(h.arbitration.case),
            url_case_id=h.arbitration.case_id,
        )
        for h in hearings
    ]
    sessions, _more = sessions_between(session, user, start, end, mediator_id=user.id, limit=limit)
    events += [
        Event(
            uid=s.key,
            starts=s.at,
            ends=s.at + timedelta(hours=SESSION_HOURS),
            summary=f"{s.number} {' v '.join(s.parties)}",
            location=s.place,
            description=" v ".join(s.parties),
            url_case_id=s.case_id,
        )
        for s in sessions
    ]
    return sorted(events, key=lambda e: (e.starts, e.uid))[:limit]
