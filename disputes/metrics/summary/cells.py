"""What a cell holds: for each track table, its rows grouped by unit, day of an event and the attributes the
figures test, as INSERT … SELECT statements into metric_days over the dirty cells (or everything); then the same
summed per month into metric_months. summary/read.py turns the attributes back into the terms of figures.py, the
same conditions as sources.py."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from disputes.metrics.sources import (
    ARBITRATION,
    AWARDS,
    CASES,
    COMPLETED,
    DUE,
    FOREVER,
    LEGAL_AID,
    MEDIATION,
    PRINCIPALS,
    RIGHT_TO_SUE,
    TIMERS,
    award_timer,
    case_categories,
    closed_by_deadline,
    closure_days,
    suspended_days,
)
from disputes.models import (
    Arbitration,
    Award,
    Case,
    CaseAssignment,
    Lawsuit,
    LegalAidApplication,
    Mediation,
    MetricDay,
    MetricMonth,
    Party,
    Role,
    SlaTimer,
)
from disputes.models.metric_cell import MONTH_KEY
from disputes.sla.states import TimerStatus
from disputes.sql_dates import date_text, later_of, month_start
from disputes.workflow.states import LEGAL_AID_DECIDED, CaseStatus, ClosureType, Finality

UNIT, PERSON, CATEGORY = "unit", "person", "category"


def _flag(condition) -> sa.ColumnElement[int]:
    return sa.case((condition, 1), else_=0)


def _sued(case_id) -> sa.ColumnElement[bool]:
    """Ever sued: the summary is read only for an as-of date on or after the latest filing (read.py)."""
    return sa.exists().where(Lawsuit.case_id == case_id)


def _met(rule_id: str, case_id, subject_id=None) -> sa.ColumnElement[bool]:
    t = SlaTimer
    return sa.exists().where(
        t.rule_id == rule_id,
        t.status == TimerStatus.MET,
        t.case_id == case_id,
        *([t.subject_id == subject_id] if subject_id is not None else []),
    )


AWARD_TIMER = sa.orm.aliased(SlaTimer, name="award_timer")
TIMER, COVERING = sa.orm.aliased(SlaTimer, name="right_to_sue"), sa.orm.aliased(SlaTimer, name="covering")


def _on_time(arbitration) -> sa.ColumnElement[bool]:
    """Closed by the case's award deadline (sources.closed_by_deadline)."""
    t = AWARD_TIMER
    return sa.exists().where(
        t.case_id == arbitration.case_id, *award_timer(t), closed_by_deadline(arbitration.closed_on, t)
    )


def _last_day_to_sue(case_id) -> sa.ColumnElement[str]:
    """The last day on which some party may still go to court against the award, as 'YYYY-MM-DD': the latest due
    date of the case's right-to-sue periods, FOREVER while a principal party has none (not served yet), '' when
    there is none at all. A case closed by award and not sued is pending as of D exactly when this is ≥ D, which is
    how the cells answer the finality figures for any as-of date (summary/read.py)."""
    t, covering, p = TIMER, COVERING, Party
    last = (
        sa.select(sa.func.max(t.due_on))
        .where(t.case_id == case_id, t.rule_id.in_(RIGHT_TO_SUE), t.status != TimerStatus.CANCELLED)
        .scalar_subquery()
    )
    covered = sa.exists().where(
        covering.case_id == p.case_id,
        covering.rule_id.in_(RIGHT_TO_SUE),
        sa.or_(covering.subject_id.is_(None), covering.subject_id == p.id),
    )
    unserved = sa.exists().where(p.case_id == case_id, p.kind.in_(PRINCIPALS), ~covered)
    return sa.case((unserved, FOREVER), else_=sa.func.coalesce(date_text(last), ""))


@dataclass
class Event:
    """Rows of `model` counted in the cell of (`unit`, `day`), with their attributes; `anchors`: date columns one
    of which equals `day` (indexed, to find a dirty cell's rows), when `day` is not a column itself."""

    source: str
    name: str
    model: type
    unit: sa.ColumnElement
    day: sa.ColumnElement
    where: tuple = ()
    kind: sa.ColumnElement | str = ""
    flag1: sa.ColumnElement | int = 0
    flag2: sa.ColumnElement | int = 0
    days: sa.ColumnElement | int = 0
    # Counted per person too: the person column, or for an arbitration its case (whose arbitrators are joined).
    person: sa.ColumnElement | None = None
    case: sa.ColumnElement | None = None  # the case, when the event is also counted per claim category
    joins: tuple = field(default=())  # (selectable, on) outer joins the attributes need
    anchors: tuple = ()
    through: tuple = ()  # (selectable, on) inner joins the day itself comes from


def events() -> list[Event]:
    a, m, la, t = Arbitration, Mediation, LegalAidApplication, SlaTimer
    suspended = suspended_days()
    closed_days = closure_days(suspended)
    deadline = AWARD_TIMER
    return [
        Event(ARBITRATION, "accepted", a, a.unit_id, a.accepted_on, person=a.case_id, case=a.case_id),
        Event(
            ARBITRATION,
            "left",
            a,
            a.unit_id,
            later_of(a.accepted_on, a.closed_on),
            (a.accepted_on.is_not(None), a.closed_on.is_not(None)),
            person=a.case_id,
            case=a.case_id,
            anchors=(a.accepted_on, a.closed_on),
        ),
        Event(
            ARBITRATION,
            "closed",
            a,
            a.unit_id,
            a.closed_on,
            (a.accepted_on.is_not(None),),
            kind=sa.func.coalesce(a.closure_type, ""),
            flag1=_flag(_on_time(a)),
            flag2=_flag(_sued(a.case_id)),
            days=closed_days,
            person=a.case_id,
            case=a.case_id,
            joins=((suspended, suspended.c.arbitration_id == a.id),),
        ),
        # Closed by award, per unit only: the last day a party may still sue (finality pending as of any date).
        Event(
            ARBITRATION,
            "finality",
            a,
            a.unit_id,
            a.closed_on,
            (a.accepted_on.is_not(None), a.closure_type == ClosureType.AWARD),
            kind=_last_day_to_sue(a.case_id),
            flag2=_flag(_sued(a.case_id)),
        ),
        # The case's award deadline, per unit only: closed by it or not.
        Event(
            DUE,
            "due",
            a,
            a.unit_id,
            deadline.due_on,
            (deadline.due_on.is_not(None),),
            flag1=_flag(closed_by_deadline(a.closed_on, deadline)),
            through=((deadline, sa.and_(deadline.case_id == a.case_id, *award_timer(deadline))),),
        ),
        Event(MEDIATION, "ended", m, m.unit_id, m.ended_on, kind=m.state, person=m.mediator_id, case=m.case_id),
        Event(MEDIATION, "signed", m, m.unit_id, m.agreement_signed_on, flag1=_flag(m.performance == "performed")),
        Event(
            CASES,
            "ended",
            Case,
            Case.unit_id,
            Case.closed_on,
            (Case.status == CaseStatus.CLOSED,),
            flag2=_flag(_sued(Case.id)),
        ),
        Event(
            LEGAL_AID,
            "decided",
            la,
            la.unit_id,
            la.decided_on,
            flag1=_flag(_met("legal_aid.decide", la.case_id, la.id)),
            flag2=_flag(la.state.in_(sorted(LEGAL_AID_DECIDED))),
        ),
        Event(TIMERS, "breached", t, t.unit_id, t.breached_on, kind=t.rule_id),
        Event(TIMERS, "completed", t, t.unit_id, t.completed_on, (t.status.in_(COMPLETED),), kind=t.status),
    ]


def _restricted(stmt: sa.Select, unit, day, dirty: sa.Table | None, anchors=()) -> sa.Select:
    if dirty is None:
        return stmt
    found = sa.or_(*(anchor == dirty.c.day for anchor in anchors)) if anchors else day == dirty.c.day
    return stmt.join(dirty, sa.and_(dirty.c.unit_id == unit, found)).where(day == dirty.c.day)


def _event_selects(event: Event, dirty: sa.Table | None, postgres: bool) -> list[sa.Select]:
    attributes = [sa.literal(x) if isinstance(x, (str, int)) else x for x in (event.kind, event.flag1, event.flag2)]
    days = event.days if not isinstance(event.days, int) else sa.literal(event.days)
    grains: list[tuple[str, sa.ColumnElement, list]] = [(UNIT, sa.literal(""), [])]
    if event.person is not None:
        if event.source == ARBITRATION:
            people = CaseAssignment
            grains.append(
                (
                    PERSON,
                    sa.cast(people.user_id, sa.String(32)),
                    [(people, sa.and_(people.case_id == event.person, people.role == Role.ARBITRATOR))],
                )
            )
        else:
            grains.append((PERSON, sa.cast(event.person, sa.String(32)), []))
    if event.case is not None:
        pairs, on, category = case_categories(event.case, postgres)
        grains.append((CATEGORY, category, [(pairs, on)]))
    out = []
    for grain, key, inner_joins in grains:
        columns = [
            event.unit.label("unit_id"),
            event.day.label("day"),
            event.day.label("day2"),
            sa.literal(grain).label("grain"),
            key.label("group_key"),
            sa.literal(event.source).label("source"),
            sa.literal(event.name).label("event"),
            attributes[0].label("kind"),
            attributes[1].label("flag1"),
            attributes[2].label("flag2"),
            sa.func.count().label("n"),
            sa.func.coalesce(sa.func.sum(days), 0).label("days"),
        ]
        stmt = sa.select(*columns).select_from(event.model)
        for target, on in event.through:
            stmt = stmt.join(target, on)
        stmt = _restricted(stmt, event.unit, event.day, dirty, event.anchors)
        for target, on in inner_joins:
            stmt = stmt.join(target, on)
        for target, on in event.joins:
            stmt = stmt.outerjoin(target, on)
        where = [*event.where, event.day.is_not(None)]
        if grain == PERSON and event.source != ARBITRATION:
            where.append(event.person.is_not(None))
        out.append(stmt.where(*where).group_by(event.unit, event.day, key, *attributes))
    return out


def _award_selects(dirty: sa.Table | None) -> list[sa.Select]:
    """Per arbitration, +1 on each distinct day with an award and −1 for each pair of consecutive such days
    (day, day2): over any run of whole days the sum is 1 if the arbitration had an award in it, else 0."""
    a, w = Arbitration, Award
    out = []
    for name, only in (("award", ()), ("final", (w.finality == Finality.FINAL,))):
        days = sa.select(w.arbitration_id, w.awarded_on.label("d")).where(*only).distinct()
        if dirty is not None:
            touched = _restricted(
                sa.select(w.arbitration_id).join(a, a.id == w.arbitration_id), a.unit_id, w.awarded_on, dirty
            )
            days = days.where(w.arbitration_id.in_(touched))
        days = days.subquery("award_days")
        paired = sa.select(
            days.c.arbitration_id,
            days.c.d,
            sa.func.lead(days.c.d).over(partition_by=days.c.arbitration_id, order_by=days.c.d).label("next"),
        ).subquery("paired")
        for event, day2, n, where in (
            (name, paired.c.d, 1, ()),
            (f"{name}_pair", paired.c.next, -1, (paired.c.next.is_not(None),)),
        ):
            stmt = (
                sa.select(
                    a.unit_id,
                    paired.c.d,
                    day2,
                    sa.literal(UNIT),
                    sa.literal(""),
                    sa.literal(AWARDS),
                    sa.literal(event),
                    sa.literal(""),
                    sa.literal(0),
                    sa.literal(0),
                    sa.func.sum(sa.literal(n)),
                    sa.literal(0),
                )
                .select_from(paired)
                .join(a, a.id == paired.c.arbitration_id)
                .where(*where)
            )
            if dirty is not None:
                stmt = stmt.join(dirty, sa.and_(dirty.c.unit_id == a.unit_id, dirty.c.day == paired.c.d))
            out.append(stmt.group_by(a.unit_id, paired.c.d, day2))
    return out


COLUMNS = ("unit_id", "day", "day2", "grain", "group_key", "source", "event", "kind", "flag1", "flag2", "n", "days")
KEYS = ("grain", "group_key", "source", "event", "kind", "flag1", "flag2")


def fill(session: Session, dirty: sa.Table | None) -> None:
    """Insert the day cells of `dirty` ((unit_id, day) rows; None: every cell) from the track tables."""
    table = MetricDay.__table__
    postgres = session.get_bind().dialect.name == "postgresql"
    for stmt in [s for e in events() for s in _event_selects(e, dirty, postgres)] + _award_selects(dirty):
        session.execute(table.insert().from_select(COLUMNS, stmt))


def _by_month(dirty: sa.Table | None, sign: int = 1) -> sa.Select:
    d = MetricDay.__table__
    month, month2 = month_start(d.c.day), month_start(d.c.day2)
    keys = [d.c[k] for k in KEYS]
    stmt = sa.select(d.c.unit_id, month, month2, *keys, sign * sa.func.sum(d.c.n), sign * sa.func.sum(d.c.days))
    if dirty is not None:
        stmt = stmt.join(dirty, sa.and_(dirty.c.unit_id == d.c.unit_id, dirty.c.day == d.c.day))
    return stmt.where(sa.true()).group_by(d.c.unit_id, month, month2, *keys)


def roll_up(session: Session, dirty: sa.Table | None = None, sign: int = 1) -> None:
    """Sum day cells into metric_months: all of them into an empty table (`dirty` None), or — with `sign` −1
    before a fold deletes the dirty days and +1 after it refills them — the dirty days' differences added to
    the month rows they belong to (an upsert on the month key), so a fold reads only the days it redoes."""
    columns = ["unit_id", "month", "month2", *KEYS, "n", "days"]
    table = MetricMonth.__table__
    if dirty is None:
        session.execute(table.insert().from_select(columns, _by_month(None)))
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(table).from_select(columns, _by_month(dirty, sign))
    session.execute(
        insert.on_conflict_do_update(
            index_elements=list(MONTH_KEY),
            set_={"n": table.c.n + insert.excluded.n, "days": table.c.days + insert.excluded.days},
        )
    )
