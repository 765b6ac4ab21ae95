"""The hearing calendar: a week of hearings (Mon–Sun, local time) by room or by arbitrator, as plain data.

Only hearings of cases the user may read, and only those scheduled or held (not postponed or cancelled).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from disputes import clock, policy
from disputes.models import Arbitration, Case, Hearing, HearingRoom, Role, TribunalMember, Unit, User, UserRole
from disputes.organisation import subtree
from disputes.workflow.states import HearingState

BY_ROOM, BY_ARBITRATOR = "room", "arbitrator"
SHOWN = (HearingState.SCHEDULED, HearingState.HELD)


@dataclass(frozen=True)
class Entry:
    hearing_id: int
    case_id: int
    number: str  # the arbitration number, or the registry number before acceptance
    starts: datetime  # local time
    ends: datetime
    state: HearingState
    room: str | None
    online_link: str | None


@dataclass
class Row:
    key: int | None  # room or arbitrator id; None: the online hearings (by room)
    label: str
    unit: Unit | None = None
    days: list[list[Entry]] = field(default_factory=lambda: [[] for _ in range(7)])

    @property
    def count(self) -> int:
        return sum(len(d) for d in self.days)


@dataclass
class Week:
    monday: date
    by: str
    rows: list[Row]

    @property
    def days(self) -> list[date]:
        return [self.monday + timedelta(days=i) for i in range(7)]

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next(self) -> date:
        return self.monday + timedelta(days=7)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _utc_bounds(monday: date) -> tuple[datetime, datetime]:
    start = datetime.combine(monday, time(0), tzinfo=clock.LOCAL_TZ)
    return start, start + timedelta(days=7)


def arbitrators_of(session: Session, unit: Unit) -> list[User]:
    """Active arbitrators of a unit and the units below it, by name."""
    return list(session.scalars(
        sa.select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.ARBITRATOR, User.active.is_(True), User.unit_id.in_(subtree(unit)))
        .order_by(User.display_name, User.id)
    ).unique())


def rooms_of(session: Session, unit: Unit) -> list[HearingRoom]:
    """Active hearing rooms of a unit and the units below it."""
    return list(session.scalars(
        sa.select(HearingRoom).join(Unit, Unit.id == HearingRoom.unit_id)
        .where(HearingRoom.active.is_(True), HearingRoom.unit_id.in_(subtree(unit)))
        .order_by(Unit.path, HearingRoom.name)
    ))


def hearings_in_week(session: Session, user: User, monday: date) -> list[Hearing]:
    start, end = _utc_bounds(monday)
    return list(session.scalars(
        sa.select(Hearing).join(Arbitration, Arbitration.id == Hearing.arbitration_id)
        .join(Case, Case.id == Arbitration.case_id)
        .where(policy.case_scope(user), Hearing.state.in_(SHOWN), Hearing.starts_at >= start, Hearing.starts_at < end)
        .options(joinedload(Hearing.room), joinedload(Hearing.arbitration).joinedload(Arbitration.case),
                 joinedload(Hearing.arbitration).selectinload(Arbitration.tribunal).joinedload(TribunalMember.user))
        .order_by(Hearing.starts_at, Hearing.id)
    ).unique())


def _entry(hearing: Hearing) -> Entry:
    arbitration = hearing.arbitration
    return Entry(
        hearing_id=hearing.id, case_id=arbitration.case_id, number=arbitration.number or arbitration.case.registry_no,
        starts=clock.to_local(hearing.starts_at), ends=clock.to_local(hearing.ends_at), state=hearing.state,
        room=hearing.room.name if hearing.room else None, online_link=hearing.online_link,
    )


def hearing_week(session: Session, user: User, day: date, by: str = BY_ROOM, *, room_id: int | None = None,
                 arbitrator_id: int | None = None) -> Week:
    """The week containing `day`: one row per room (or arbitrator) the user can see, hearings per weekday."""
    monday = monday_of(day)
    if not policy.can_read_cases(user):
        return Week(monday, by, [])
    found = hearings_in_week(session, user, monday)
    rows: dict[int | None, Row] = {}
    if by == BY_ARBITRATOR:
        for person in arbitrators_of(session, user.unit):
            rows[person.id] = Row(person.id, person.display_name, person.unit)
        for hearing in found:
            for member in hearing.arbitration.tribunal:
                row = rows.setdefault(member.user_id, Row(member.user_id, member.user.display_name, member.user.unit))
                _place(row, hearing, monday)
        wanted = arbitrator_id
    else:
        for room in rooms_of(session, user.unit):
            rows[room.id] = Row(room.id, room.name, room.unit)
        for hearing in found:
            key = hearing.room_id
            row = rows.get(key) or rows.setdefault(
                key, Row(key, hearing.room.name, hearing.room.unit) if hearing.room else Row(None, "", None))
            _place(row, hearing, monday)
        wanted = room_id
    shown = list(rows.values())
    if wanted is not None:
        shown = [r for r in shown if r.key == wanted]
    return Week(monday, by, shown)


def _place(row: Row, hearing: Hearing, monday: date) -> None:
    entry = _entry(hearing)
    row.days[(entry.starts.date() - monday).days].append(entry)
