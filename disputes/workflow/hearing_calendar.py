"""The hearing calendar: a week of hearings (Mon–Sun, local time) by room or by arbitrator, as plain data.

Only hearings of cases the user may read, and only those scheduled or held (not postponed or cancelled).
Paged by rows (issue 18: a week of a busy commission holds thousands of hearings): the rows in a fixed order (the
user's rooms or arbitrators, then others a visible hearing uses, then the online hearings), and only the hearings
of the page's rows are read — a fixed number of statements, whatever the week holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from disputes import clock, policy
from disputes.models import (
    Arbitration,
    Case,
    Hearing,
    HearingRoom,
    Party,
    PartySide,
    Role,
    TribunalMember,
    Unit,
    User,
    UserRole,
)
from disputes.organisation import subtree
from disputes.paging import Paged, page_count
from disputes.workflow.states import HearingState

BY_ROOM, BY_ARBITRATOR = "room", "arbitrator"
SHOWN = (HearingState.SCHEDULED, HearingState.HELD)
PAGE_SIZE = 10  # rows (rooms or arbitrators) per page
CELL_LIMIT = 6  # hearings shown in one room-day cell (a room holds four to six a day); the rest: "+k more"
DAY_PAGE_SIZE = 20  # hearings per page of one room's day list (where "+k more" leads)


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
    parties: tuple[str, str] = ("", "")  # (applicant, respondent): the first of each side, "+n" for the others


@dataclass
class Row:
    key: int | None  # room or arbitrator id; None: the online hearings (by room)
    label: str
    unit: Unit | None = None
    days: list[list[Entry]] = field(default_factory=lambda: [[] for _ in range(7)])
    totals: list[int] | None = None  # by room: the visible hearings of each day, shown or not (None: all shown)

    @property
    def count(self) -> int:
        return sum(len(d) for d in self.days)

    def more(self, index: int) -> int:
        """How many hearings of weekday `index` the cell does not show (CELL_LIMIT)."""
        return self.totals[index] - len(self.days[index]) if self.totals else 0


@dataclass
class Week(Paged):
    monday: date
    by: str
    rows: list[Row]
    page: int = 1
    pages: int = 1

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
    return list(
        session.scalars(
            sa.select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.ARBITRATOR, User.active.is_(True), User.unit_id.in_(subtree(unit)))
            .order_by(User.display_name, User.id)
        ).unique()
    )


def rooms_of(session: Session, unit: Unit) -> list[HearingRoom]:
    """Active hearing rooms of a unit and the units below it."""
    return list(
        session.scalars(
            sa.select(HearingRoom)
            .join(Unit, Unit.id == HearingRoom.unit_id)
            .where(HearingRoom.active.is_(True), HearingRoom.unit_id.in_(subtree(unit)))
            .order_by(Unit.path, HearingRoom.name)
        )
    )


def _visible(user: User, monday: date) -> list:
    """The clauses on Hearing (joined to Arbitration and Case) of the hearings of the week the user may see."""
    start, end = _utc_bounds(monday)
    return [policy.case_scope(user), Hearing.state.in_(SHOWN), Hearing.starts_at >= start, Hearing.starts_at < end]


def _week_hearings() -> sa.Select:
    return (
        sa.select(Hearing)
        .join(Arbitration, Arbitration.id == Hearing.arbitration_id)
        .join(Case, Case.id == Arbitration.case_id)
    )


def _room_rows(session: Session, user: User, monday: date) -> list[Row]:
    """Every row of the week by room: the rooms of the user's units, the other rooms a visible hearing is in, then
    the online hearings if any (without their hearings, which only the page's rows read)."""
    rows = [Row(r.id, r.name, r.unit) for r in rooms_of(session, user.unit)]
    known = [row.key for row in rows]
    used = (
        _week_hearings()
        .where(*_visible(user, monday), Hearing.room_id.is_not(None), Hearing.room_id.not_in(known))
        .with_only_columns(Hearing.room_id)
        .distinct()
    )
    rows += [
        Row(r.id, r.name, r.unit)
        for r in session.scalars(
            sa.select(HearingRoom)
            .join(Unit, Unit.id == HearingRoom.unit_id)
            .where(HearingRoom.id.in_(used))
            .options(joinedload(HearingRoom.unit))
            .order_by(Unit.path, HearingRoom.name)
        )
    ]
    online = (
        _week_hearings()
        .where(*_visible(user, monday), Hearing.room_id.is_(None))
        .with_only_columns(Hearing.id)
        .limit(1)
    )
    if session.scalar(online) is not None:
        rows.append(Row(None, "", None))
    return rows


def _arbitrator_rows(session: Session, user: User, monday: date) -> list[Row]:
    """Every row of the week by arbitrator: the arbitrators of the user's units, then the others sitting on a
    visible hearing."""
    rows = [Row(p.id, p.display_name, p.unit) for p in arbitrators_of(session, user.unit)]
    known = [row.key for row in rows]
    sitting = (
        _week_hearings()
        .where(*_visible(user, monday))
        .join(TribunalMember, TribunalMember.arbitration_id == Arbitration.id)
        .where(TribunalMember.user_id.not_in(known))
        .with_only_columns(TribunalMember.user_id)
        .distinct()
    )
    rows += [
        Row(p.id, p.display_name, p.unit)
        for p in session.scalars(
            sa.select(User)
            .where(User.id.in_(sitting))
            .options(joinedload(User.unit))
            .order_by(User.display_name, User.id)
        )
    ]
    return rows


def _side(parties: list) -> str:
    return _names([p.name for p in parties])


def sides(case: Case) -> tuple[str, str]:
    """The parties of a hearing as the calendar shows them: the first applicant and the first respondent (the page
    joins them in the reader's language: 甲 诉 乙, A v B)."""
    return _side(case.applicants), _side(case.respondents)


def parties_line(case: Case) -> str:
    """The same as one line, for exports with no language of their own (iCalendar)."""
    return " v ".join(sides(case))


def _entry(hearing: Hearing) -> Entry:
    arbitration = hearing.arbitration
    return Entry(
        parties=sides(arbitration.case),
        hearing_id=hearing.id,
        case_id=arbitration.case_id,
        number=arbitration.number or arbitration.case.registry_no,
        starts=clock.to_local(hearing.starts_at),
        ends=clock.to_local(hearing.ends_at),
        state=hearing.state,
        room=hearing.room.name if hearing.room else None,
        online_link=hearing.online_link,
    )


def hearing_week(
    session: Session,
    user: User,
    day: date,
    by: str = BY_ROOM,
    *,
    room_id: int | None = None,
    arbitrator_id: int | None = None,
    page: int = 1,
) -> Week:
    """The week containing `day`: one row per room (or arbitrator) the user can see, hearings per weekday; the
    rows of `page` only (PAGE_SIZE a page)."""
    monday = monday_of(day)
    if not policy.can_read_cases(user):
        return Week(monday, by, [])
    rows = _arbitrator_rows(session, user, monday) if by == BY_ARBITRATOR else _room_rows(session, user, monday)
    wanted = arbitrator_id if by == BY_ARBITRATOR else room_id
    if wanted is not None:
        rows = [r for r in rows if r.key == wanted]
    pages = page_count(len(rows), PAGE_SIZE)
    page = min(max(page, 1), pages)
    rows = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    by_key = {row.key: row for row in rows}
    if not rows:
        return Week(monday, by, rows, page, pages)
    cells, key = _in_rows(user, monday, by, list(by_key))
    _cell_totals(session, monday, cells, key, by_key)
    for row_key, entry in entries_of(session, _first_of_cells(monday, cells, key, by), key):
        by_key[row_key].days[(entry.starts.date() - monday).days].append(entry)
    return Week(monday, by, rows, page, pages)


def entries_of(session: Session, hearings: sa.Select, key=Hearing.room_id) -> list[tuple[int | None, Entry]]:
    """(row key, Entry) of the selected hearings in time order, read as columns: two statements, no ORM objects
    (a page of a busy week shows hundreds of entries; loading their cases and parties as objects cost ~0.4 ms each).
    The key is the room's id, or the arbitrator's when `hearings` is joined to the tribunal (`_in_rows`)."""
    rows = session.execute(
        hearings.outerjoin(HearingRoom, HearingRoom.id == Hearing.room_id)
        .with_only_columns(
            Hearing.id,
            Arbitration.case_id,
            sa.func.coalesce(Arbitration.number, Case.registry_no),
            Hearing.starts_at,
            Hearing.ends_at,
            Hearing.state,
            HearingRoom.name,
            Hearing.online_link,
            key,
        )
        .order_by(Hearing.starts_at, Hearing.id, key)
    ).all()
    names: dict[tuple[int, str], list[str]] = {}
    if rows:
        parties = session.execute(
            sa.select(Party.case_id, Party.side, Party.name)
            .where(Party.case_id.in_({row[1] for row in rows}), Party.third_party.is_(False))
            .order_by(Party.case_id, Party.position)
        )
        for case_id, side, name in parties:
            names.setdefault((case_id, side), []).append(name)
    return [
        (
            row_key,
            Entry(
                hearing_id=hearing_id,
                case_id=case_id,
                number=number,
                starts=clock.to_local(starts_at),
                ends=clock.to_local(ends_at),
                state=HearingState(state),
                room=room,
                online_link=online_link,
                parties=(
                    _names(names.get((case_id, PartySide.APPLICANT), [])),
                    _names(names.get((case_id, PartySide.RESPONDENT), [])),
                ),
            ),
        )
        for hearing_id, case_id, number, starts_at, ends_at, state, room, online_link, row_key in rows
    ]


def _names(names: list[str]) -> str:
    """One side as the calendar shows it: the first name, "+n" for the others."""
    if not names:
        return "—"
    return names[0] + (f" +{len(names) - 1}" if len(names) > 1 else "")


def _day_index(monday: date) -> sa.ColumnElement:
    """The weekday (0–6, local time) of a hearing of the week, as SQL portable to SQLite and PostgreSQL."""
    starts = [datetime.combine(monday + timedelta(days=i), time(0), tzinfo=clock.LOCAL_TZ) for i in range(1, 7)]
    return sa.case(*[(Hearing.starts_at < at, i) for i, at in enumerate(starts)], else_=6)


def _in_rows(user: User, monday: date, by: str, keys: list) -> tuple[sa.Select, sa.ColumnElement]:
    """The week's visible hearings of the rows `keys`, and the column that says which row each is in: its room (None:
    online), or, by arbitrator, each seat of its tribunal (a panel's hearing is in each of its arbitrators' rows)."""
    hearings = _week_hearings().where(*_visible(user, monday))
    if by == BY_ARBITRATOR:
        hearings = hearings.join(TribunalMember, TribunalMember.arbitration_id == Arbitration.id)
        return hearings.where(TribunalMember.user_id.in_(keys)), TribunalMember.user_id
    ids = [key for key in keys if key is not None]
    online = Hearing.room_id.is_(None) if None in keys else sa.false()
    return hearings.where(sa.or_(Hearing.room_id.in_(ids), online)), Hearing.room_id


def _cell_totals(session: Session, monday: date, cells: sa.Select, key, by_key: dict) -> None:
    """Each row's visible hearings per weekday, in one grouped statement (the cells show at most CELL_LIMIT)."""
    day = _day_index(monday)
    for row in by_key.values():
        row.totals = [0] * 7
    for row_key, index, total in session.execute(cells.with_only_columns(key, day, sa.func.count()).group_by(key, day)):
        by_key[row_key].totals[index] = total


def _first_of_cells(monday: date, cells: sa.Select, key, by: str) -> sa.Select:
    """`cells` narrowed to the first CELL_LIMIT hearings (by start) of every row-day cell: the page is bounded by the
    cells it shows, whatever a room's or an arbitrator's day holds."""
    rank = sa.func.row_number().over(partition_by=(key, _day_index(monday)), order_by=(Hearing.starts_at, Hearing.id))
    ranked = cells.with_only_columns(Hearing.id.label("id"), key.label("key"), rank.label("n")).subquery()
    first = sa.select(ranked.c.id).where(ranked.c.n <= CELL_LIMIT)
    if by == BY_ARBITRATOR:  # a hearing may be among the first of one arbitrator's day and not of another's
        return cells.where(sa.tuple_(Hearing.id, key).in_(first.add_columns(ranked.c.key)))
    return cells.where(Hearing.id.in_(first))


@dataclass
class DayList(Paged):
    """One row's visible hearings of one day, paged: where a cell's "+k more" leads. The row: a room (None: the
    online hearings) or, by arbitrator, an arbitrator."""

    day: date
    by: str
    key: int | None
    entries: list[Entry]
    total: int
    page: int = 1
    pages: int = 1


def row_day(session: Session, user: User, by: str, key: int | None, day: date, page: int = 1) -> DayList:
    """The hearings of a row of the week (a room, None: the online ones; or an arbitrator) on a day that the user may
    see, DAY_PAGE_SIZE a page."""
    if not policy.can_read_cases(user) or (by == BY_ARBITRATOR and key is None):
        return DayList(day, by, key, [], 0)
    cells, column = _in_rows(user, monday_of(day), by, [key])
    lower = datetime.combine(day, time(0), tzinfo=clock.LOCAL_TZ)
    cells = cells.where(Hearing.starts_at >= lower, Hearing.starts_at < lower + timedelta(days=1))
    total = session.scalar(cells.with_only_columns(sa.func.count()))
    pages = page_count(total, DAY_PAGE_SIZE)
    page = min(max(page, 1), pages)
    listed = cells.order_by(Hearing.starts_at, Hearing.id).offset((page - 1) * DAY_PAGE_SIZE).limit(DAY_PAGE_SIZE)
    entries = [entry for _key, entry in entries_of(session, listed, column)]
    return DayList(day, by, key, entries, total, page, pages)


# --- the month ------------------------------------------------------------------------------------------------

MONTH_LIMIT = 300  # hearings listed in a month view; past it, each day says how many more its week view has


@dataclass
class MonthDay:
    day: date
    in_month: bool
    total: int = 0
    entries: list[Entry] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.total - len(self.entries)


@dataclass
class Month:
    first: date
    weeks: list[list[MonthDay]]

    @property
    def previous(self) -> date:
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return (self.first + timedelta(days=32)).replace(day=1)

    @property
    def busy_days(self) -> list[MonthDay]:
        return [d for week in self.weeks for d in week if d.in_month and d.total]


def hearing_month(session: Session, user: User, day: date) -> Month:
    """The month holding `day` as whole weeks (Mon–Sun): per day, how many visible hearings it has (one statement,
    a filtered count per day) and the first MONTH_LIMIT of the month's hearings in time order (one more)."""
    first = day.replace(day=1)
    start = monday_of(first)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    end = monday_of(last) + timedelta(days=7)
    days = [start + timedelta(days=i) for i in range((end - start).days)]
    weeks = [[MonthDay(d, d.month == first.month) for d in days[i : i + 7]] for i in range(0, len(days), 7)]
    if not policy.can_read_cases(user):
        return Month(first, weeks)
    by_day = {d.day: d for week in weeks for d in week}
    lower = datetime.combine(start, time(0), tzinfo=clock.LOCAL_TZ)
    upper = datetime.combine(end, time(0), tzinfo=clock.LOCAL_TZ)
    visible = [policy.case_scope(user), Hearing.state.in_(SHOWN), Hearing.starts_at >= lower, Hearing.starts_at < upper]
    bounds = [(d, datetime.combine(d, time(0), tzinfo=clock.LOCAL_TZ)) for d in days]
    columns = [
        sa.func.count().filter(sa.and_(Hearing.starts_at >= at, Hearing.starts_at < at + timedelta(days=1)))
        for _d, at in bounds
    ]
    counts = session.execute(_week_hearings().with_only_columns(*columns).where(*visible)).one()
    for (d, _at), total in zip(bounds, counts, strict=True):
        by_day[d].total = total
    if any(counts):
        rows = session.scalars(
            _week_hearings()
            .where(*visible)
            .options(
                selectinload(Hearing.room),
                selectinload(Hearing.arbitration).selectinload(Arbitration.case).selectinload(Case.parties),
            )
            .order_by(Hearing.starts_at, Hearing.id)
            .limit(MONTH_LIMIT)
        )
        for hearing in rows:
            entry = _entry(hearing)
            by_day[entry.starts.date()].entries.append(entry)
    return Month(first, weeks)


def free_rooms(session: Session, unit: Unit, starts_at: datetime, ends_at: datetime) -> list[HearingRoom]:
    """The active rooms of the unit (and below) with no scheduled hearing overlapping [starts_at, ends_at)."""
    taken = sa.select(Hearing.room_id).where(
        Hearing.state == HearingState.SCHEDULED,
        Hearing.room_id.is_not(None),
        Hearing.starts_at < ends_at,
        Hearing.ends_at > starts_at,
    )
    busy = set(session.scalars(taken))
    return [room for room in rooms_of(session, unit) if room.id not in busy]
