"""`flask sla scan`: record breaches, close periods that ran out, send each warning once. No Flask.

Every step is one UPDATE … RETURNING that claims its rows (on PostgreSQL through a sub-select
`FOR UPDATE SKIP LOCKED`; SQLite serialises writers), so two scans running at once never claim the
same timer, and notifications are inserted with ON CONFLICT DO NOTHING on (timer, user, kind) besides.
The WHERE clauses are those of the partial indexes `ix_sla_timers_to_breach` and `ix_sla_timers_to_warn`:
with nothing to do the scan is a few index range scans that find nothing, whatever the number of timers.
The scan commits its own transactions (a claim must be visible to the other scan before e-mail goes out).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from disputes.models import Case, Role, TimelineEntry, Unit, User
from disputes.models.sla import Notification, SlaRule, SlaTimer
from disputes.models.user import UserRole
from disputes.ops import telemetry
from disputes.sla import mailer
from disputes.sla.states import NoticeKind, RuleKind, TimerStatus
from disputes.sla.timers import BREACH_ENTRY

log = logging.getLogger(__name__)

T = SlaTimer.__table__
N = Notification.__table__
PERIOD_ENDED = "sla.period_ended"  # `completed_by` of a period closed by the scan
EMAIL_RETRY_DAYS = 3  # unsent e-mails older than this are given up (the in-app notification stays)


@dataclass
class ScanResult:
    breached: int = 0
    warned: int = 0
    notifications: int = 0
    emails: int = 0
    closed: int = 0  # periods (RuleKind.PERIOD) that ran out, closed as met
    email_failures: int = 0


@telemetry.timed(telemetry.SCAN_DURATION)
def scan(session: Session, today: date, now: datetime, mail: mailer.SmtpSettings | None = None) -> ScanResult:
    result = ScanResult()
    breached = _claim(
        session,
        _overdue(today, RuleKind.TASK),
        {
            "status": TimerStatus.BREACHED,
            "breached_on": sa.func.coalesce(T.c.breached_on, _plus_one_day(session, T.c.due_on)),
            "days_late": _days_between(session, today, T.c.due_on),
        },
    )
    result.breached = len(breached)
    result.notifications += _notify(session, breached, NoticeKind.BREACHED, now)
    _record_breaches(session, breached, now)
    result.closed = len(
        _claim(
            session,
            _overdue(today, RuleKind.PERIOD),
            {
                "status": TimerStatus.MET,
                "completed_on": T.c.due_on,
                "completed_by": PERIOD_ENDED,
            },
        )
    )
    _refresh_days_late(session, today)
    session.commit()  # job (flask sla scan): breaches and closures kept before the warnings

    warned = _claim(
        session,
        [T.c.status == TimerStatus.RUNNING, T.c.warned_at.is_(None), T.c.warn_on <= today, T.c.due_on >= today],
        {"warned_at": now},
    )
    result.warned = len(warned)
    result.notifications += _notify(session, warned, NoticeKind.DUE_SOON, now)
    session.commit()  # job: warnings kept before any e-mail goes out

    if mail is not None:
        result.emails, result.email_failures = send_pending(session, now, mail)
    return result


def _overdue(today: date, kind: RuleKind) -> list:
    rules = sa.select(SlaRule.id).where(SlaRule.kind == kind)
    return [T.c.status == TimerStatus.RUNNING, T.c.due_on < today, T.c.rule_pk.in_(rules)]


def _claim(session: Session, where: list, values: dict) -> list[sa.Row]:
    """UPDATE the timers matching `where` that no concurrent scan holds; the claimed rows."""
    locked = sa.select(T.c.id).where(*where).with_for_update(skip_locked=True)  # SQLite ignores FOR UPDATE
    stmt = (
        sa.update(T)
        .where(T.c.id.in_(locked), *where)
        .values(values)
        .returning(T.c.id, T.c.case_id, T.c.unit_id, T.c.responsible_id, T.c.rule_id, T.c.due_on, T.c.days_late)
    )
    return list(session.execute(stmt))


def _plus_one_day(session: Session, column):
    if session.get_bind().dialect.name == "sqlite":
        return sa.func.date(column, "+1 day")
    return column + 1


def _days_between(session: Session, today: date, column):
    if session.get_bind().dialect.name == "sqlite":
        return sa.cast(sa.func.julianday(sa.literal(today.isoformat())) - sa.func.julianday(column), sa.Integer)
    return sa.literal(today, sa.Date) - column


def _refresh_days_late(session: Session, today: date) -> None:
    """Breached timers still open are one more day late each day. Whether any is behind is asked first from
    ix_sla_timers_late alone (an index-only scan; the claim's FOR UPDATE would read every breached row), so a
    scan with nothing to refresh reads no timer."""
    late = _days_between(session, today, T.c.due_on)
    where = [
        T.c.status == TimerStatus.BREACHED,
        T.c.due_on < today,
        sa.or_(T.c.days_late.is_(None), T.c.days_late != late),
    ]
    if session.scalar(sa.select(sa.exists().where(*where))):
        _claim(session, where, {"days_late": late})


def recipients(session: Session, timers: list[sa.Row]) -> dict[int, list[int]]:
    """Timer id → user ids: the responsible person if active, else the supervisors of its unit and above."""
    wanted = {t.responsible_id for t in timers if t.responsible_id is not None}
    active = (
        set(session.scalars(sa.select(User.id).where(User.id.in_(wanted), User.active.is_(True)))) if wanted else set()
    )
    orphan_units = {t.unit_id for t in timers if t.responsible_id not in active}
    supervisors: dict[int, list[int]] = {}
    if orphan_units:
        paths = dict(session.execute(sa.select(Unit.id, Unit.path).where(Unit.id.in_(orphan_units))).all())
        staff = session.execute(
            sa.select(User.id, Unit.path)
            .join(Unit, User.unit_id == Unit.id)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.SUPERVISOR, User.active.is_(True))
            .order_by(User.id)
        ).all()
        supervisors = {unit: [uid for uid, path in staff if paths[unit].startswith(path)] for unit in orphan_units}
    return {t.id: [t.responsible_id] if t.responsible_id in active else supervisors[t.unit_id] for t in timers}


def _insert_ignoring_duplicates(session: Session, table, index_elements: list[str]):
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing(index_elements=index_elements)


def _notify(session: Session, timers: list[sa.Row], kind: NoticeKind, now: datetime) -> int:
    if not timers:
        return 0
    to = recipients(session, timers)
    rows = [
        {
            "user_id": user_id,
            "case_id": t.case_id,
            "timer_id": t.id,
            "kind": kind,
            "due_on": t.due_on,
            "created_at": now,
        }
        for t in timers
        for user_id in to[t.id]
    ]
    for timer in timers:
        if not to[timer.id]:
            log.warning("timer %s (case %s, %s): nobody to notify", timer.id, timer.case_id, timer.rule_id)
    if not rows:
        return 0
    stmt = _insert_ignoring_duplicates(session, N, ["timer_id", "user_id", "kind"]).returning(N.c.id)
    return len(session.execute(stmt, rows).all())


def _record_breaches(session: Session, timers: list[sa.Row], now: datetime) -> None:
    """One timeline entry per breach, as `workflow.timeline.record` writes them (no actor: the system)."""
    if timers:
        session.execute(
            sa.insert(TimelineEntry.__table__),
            [
                {
                    "case_id": t.case_id,
                    "at": now,
                    "actor_id": None,
                    "kind": BREACH_ENTRY,
                    "reason": None,
                    "before": None,
                    "after": {"rule": t.rule_id, "due_on": t.due_on.isoformat(), "days_late": t.days_late},
                }
                for t in timers
            ],
        )


def send_pending(session: Session, now: datetime, settings: mailer.SmtpSettings) -> tuple[int, int]:
    """E-mail the notifications not yet e-mailed (new ones and earlier failures); returns (sent, failed).

    The rows are claimed first (`emailed_at` set and committed), so a concurrent scan skips them; a failed
    send puts `emailed_at` back to NULL for the next scan. Users without an e-mail address are not mailed.
    """
    mailable = sa.select(User.id).where(User.email.is_not(None), User.email != "", User.active.is_(True))
    where = [
        N.c.emailed_at.is_(None),
        N.c.read_at.is_(None),
        N.c.user_id.in_(mailable),
        N.c.created_at >= now - timedelta(days=EMAIL_RETRY_DAYS),
    ]
    locked = sa.select(N.c.id).where(*where).with_for_update(skip_locked=True)
    claimed = session.scalars(
        sa.update(N).where(N.c.id.in_(locked), *where).values(emailed_at=now).returning(N.c.id)
    ).all()
    if not claimed:
        session.commit()  # job: releases the row locks of the claim
        return 0, 0
    notices = [
        mailer.Notice(
            key=row.id,
            to=row.email,
            name=row.display_name,
            kind=row.kind,
            registry_no=row.registry_no,
            rule_title=row.title,
            due_on=row.due_on,
            days_late=row.days_late,
        )
        for row in session.execute(
            sa.select(
                Notification.id,
                Notification.kind,
                Notification.due_on,
                User.email,
                User.display_name,
                Case.registry_no,
                SlaRule.title,
                SlaTimer.days_late,
            )
            .join(User, Notification.user_id == User.id)
            .join(Case, Notification.case_id == Case.id)
            .join(SlaTimer, Notification.timer_id == SlaTimer.id)
            .join(SlaRule, SlaTimer.rule_pk == SlaRule.id)
            .where(Notification.id.in_(claimed))
            .order_by(Notification.id)
        )
    ]
    session.commit()  # job: the claim is committed before sending, so a concurrent scan skips these
    sent, failed = mailer.send_all(settings, notices)
    if failed:
        session.execute(sa.update(N).where(N.c.id.in_(failed)).values(emailed_at=None))
        session.commit()  # job: failed sends go back for the next scan
    return len(sent), len(failed)
