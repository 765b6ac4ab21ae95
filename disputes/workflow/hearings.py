"""Hearings: scheduling with room and arbitrator clash detection, notice, postponement, attendance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock
from disputes.i18n import N_, DomainError, Notice
from disputes.models import Arbitration, Case, Hearing, HearingRoom, Role, TribunalMember, User
from disputes.sla.rules import current_rules
from disputes.sla.states import OPEN_STATUSES
from disputes.workflow import appointments
from disputes.workflow.actions import action, begin, finish, recording_day
from disputes.workflow.arbitration import not_suspended
from disputes.workflow.states import ArbitrationState, HearingState, Track

S = ArbitrationState
R = Role
HEARING_STATES = {S.TRIBUNAL_FORMED, S.HEARD}
NOTICE_RULE = "arbitration.hearing_notice"


def _has_scheduled(case: Case, row: Arbitration) -> DomainError | None:
    if not any(h.state == HearingState.SCHEDULED for h in row.hearings):
        return DomainError(N_("No hearing is scheduled."))
    return None


def _hearing_day(_row, hearing: Hearing) -> date:
    """Law Art 35's notice runs back from the hearing's own (local) day."""
    return clock.to_local(hearing.starts_at).date()


def _notice_served(_row, hearing: Hearing) -> date | None:
    return hearing.notice_served_on


SCHEDULE = action(
    "arbitration.schedule_hearing",
    Track.ARBITRATION,
    HEARING_STATES,
    None,
    (R.CLERK, R.SUPERVISOR),
    assigned=(R.ARBITRATOR,),
    guards=(not_suspended,),
    required=("starts_at", "ends_at"),
    dated_by=_hearing_day,
    label=N_("Schedule a hearing"),
)
NOTICE = action(
    "arbitration.hearing_notice",
    Track.ARBITRATION,
    HEARING_STATES,
    None,
    (R.CLERK, R.SUPERVISOR),
    assigned=(R.ARBITRATOR,),
    guards=(_has_scheduled,),
    required=("hearing_id", "served_on"),
    dated_by=_notice_served,
    label=N_("Record the hearing notice served"),
)
POSTPONE = action(
    "arbitration.postpone_hearing",
    Track.ARBITRATION,
    HEARING_STATES,
    None,
    (R.CLERK, R.SUPERVISOR),
    assigned=(R.ARBITRATOR,),
    guards=(_has_scheduled,),
    required=("hearing_id", "reason"),
    dated_by=recording_day,
    label=N_("Postpone a hearing"),
)
HOLD = action(
    "arbitration.hold_hearing",
    Track.ARBITRATION,
    HEARING_STATES,
    S.HEARD,
    (R.CLERK, R.SUPERVISOR),
    assigned=(R.ARBITRATOR,),
    guards=(not_suspended,),  # a scheduled hearing, or one held on the spot and recorded after the fact (issue 16)
    label=N_("Record a hearing held"),
)


def notice_days(session: Session) -> int:
    """The notice period (Law Art 35, Rules Art 38: 仲裁庭应当在开庭五日前…书面通知双方当事人), read from the rule the
    hearing-notice timer runs on, so one number rules both; no such rule in force, no period to keep."""
    rule = current_rules(session).get(NOTICE_RULE)
    return rule.period if rule is not None else 0


def earliest_hearing_day(session: Session, today: date | None = None) -> date:
    """The first day a hearing can lawfully be held if its notice is served today: the notice timer's reverse
    deadline (the hearing's day less the period) must not lie before today."""
    return (today or clock.today_local()) + timedelta(days=notice_days(session))


def _check_notice_period(session: Session, starts_at: datetime, short_notice_agreed: bool) -> None:
    earliest = earliest_hearing_day(session)
    if clock.to_local(starts_at).date() < earliest and not short_notice_agreed:
        raise DomainError(
            N_(
                "The earliest lawful hearing date is %(date)s: the hearing notice must reach the parties at least "
                "%(days)s days before the hearing (Law Art 35). Choose a later date, or record that the parties "
                "accept a shorter notice."
            ),
            field="day",
            date=earliest,
            days=notice_days(session),
        )


@dataclass
class Clash:
    hearing: Hearing
    reason: str  # "room" or "arbitrator"
    who: str | None = None


def clashes(
    session: Session,
    arbitration: Arbitration,
    starts_at: datetime,
    ends_at: datetime,
    room_id: int | None,
    exclude_id: int | None = None,
    together_with: frozenset[int] = frozenset(),
) -> list[Clash]:
    """Scheduled hearings overlapping [starts_at, ends_at) in the same room or with one of the same arbitrators;
    the hearings of the arbitrations in `together_with` (a linked group heard together) are no clash."""
    member_ids = [m.user_id for m in arbitration.tribunal]
    overlap = sa.and_(Hearing.state == HearingState.SCHEDULED, Hearing.starts_at < ends_at, Hearing.ends_at > starts_at)
    if together_with:
        overlap = sa.and_(overlap, Hearing.arbitration_id.not_in(together_with))
    if exclude_id is not None:
        overlap = sa.and_(overlap, Hearing.id != exclude_id)
    found: list[Clash] = []
    if room_id is not None:
        found += [
            Clash(h, "room") for h in session.scalars(sa.select(Hearing).where(overlap, Hearing.room_id == room_id))
        ]
    if member_ids:
        rows = session.execute(
            sa.select(Hearing, User.display_name)
            .join(TribunalMember, TribunalMember.arbitration_id == Hearing.arbitration_id)
            .join(User, User.id == TribunalMember.user_id)
            .where(overlap, TribunalMember.user_id.in_(member_ids))
        )
        found += [Clash(h, "arbitrator", name) for h, name in rows]
    return found


def over_daily_limit(session: Session, arbitration: Arbitration, starts_at: datetime) -> tuple[str, int, date] | None:
    """A member of the tribunal who already sits in as many hearings (scheduled or held) on that local day as the
    commission allows an arbitrator a day (`Unit.hearings_per_arbitrator_day`): (name, count, day); else None."""
    limit = arbitration.unit.hearings_per_arbitrator_day
    member_ids = [m.user_id for m in arbitration.tribunal]
    if not limit or not member_ids:
        return None
    day = clock.to_local(starts_at).date()
    begin_at = datetime.combine(day, time(), clock.LOCAL_TZ).astimezone(UTC)
    sits = sa.func.count(sa.distinct(Hearing.id))
    row = session.execute(
        sa.select(User.display_name, sits)
        .select_from(TribunalMember)
        .join(Hearing, Hearing.arbitration_id == TribunalMember.arbitration_id)
        .join(User, User.id == TribunalMember.user_id)
        .where(
            TribunalMember.user_id.in_(member_ids),
            Hearing.state.in_([HearingState.SCHEDULED, HearingState.HELD]),
            Hearing.starts_at >= begin_at,
            Hearing.starts_at < begin_at + timedelta(days=1),
        )
        .group_by(TribunalMember.user_id, User.display_name)
        .having(sits >= limit)
        .order_by(sits.desc(), User.display_name)
        .limit(1)
    ).first()
    return (row[0], row[1], day) if row else None


def schedule_hearing(
    session: Session,
    case: Case,
    actor: User,
    *,
    starts_at: datetime | None,
    ends_at: datetime | None,
    room_id: int | None = None,
    online_link: str = "",
    expected_version: int | None = None,
    together_with: frozenset[int] = frozenset(),
    short_notice_agreed: bool = False,
) -> Hearing:
    """Refused before the earliest lawful day (the notice period) unless the parties accept a shorter notice, which
    is recorded; then the warning of `notice_warnings` still says the rule cannot be met. `together_with`: the
    arbitrations of a linked group heard at the same time and place (links.py)."""
    arbitration = case.arbitration
    begin(
        case, actor, SCHEDULE.name, arbitration, expected_version=expected_version, starts_at=starts_at, ends_at=ends_at
    )
    if ends_at <= starts_at:
        raise DomainError(N_("The hearing must end after it starts."), field="ends_at")
    if starts_at <= clock.now_utc():
        raise DomainError(N_("A hearing is scheduled in the future."), field="starts_at")
    room = session.get(HearingRoom, room_id) if room_id else None
    if room_id and (room is None or not room.active or room.unit_id != arbitration.unit_id):
        raise DomainError(N_("Choose an active hearing room of this commission."), field="room_id")
    if room is None and not online_link.strip():
        raise DomainError(N_("Choose a room or give the online hearing link."), field="room_id")
    _check_notice_period(session, starts_at, short_notice_agreed)
    found = clashes(session, arbitration, starts_at, ends_at, room_id, together_with=together_with)
    if found:
        first = found[0]
        local = clock.to_local(first.hearing.starts_at).strftime("%Y-%m-%d %H:%M")
        number = first.hearing.arbitration.number
        if first.reason == "room":
            raise DomainError(
                N_("The room is taken by case %(number)s at %(time)s."), field="room_id", number=number, time=local
            )
        raise DomainError(
            N_("%(name)s sits in case %(number)s at %(time)s."),
            field="starts_at",
            name=first.who,
            number=number,
            time=local,
        )
    full = over_daily_limit(session, arbitration, starts_at)
    if full:
        name, count, day = full
        raise DomainError(
            N_("%(name)s already sits in %(count)s hearings on %(day)s: the most this commission allows a day."),
            field="starts_at",
            name=name,
            count=count,
            day=day.isoformat(),
        )
    hearing = Hearing(starts_at=starts_at, ends_at=ends_at, room=room, online_link=online_link.strip() or None)
    arbitration.hearings.append(hearing)
    session.flush()  # the hearing's id names its notice timer
    finish(
        session,
        case,
        actor,
        SCHEDULE,
        arbitration,
        subject=hearing,
        after={
            "starts_at": clock.to_local(starts_at).isoformat(timespec="minutes"),
            "room": room.name if room else None,
            "online": bool(hearing.online_link),
            **({"short_notice_agreed": True} if short_notice_agreed else {}),
        },
    )
    hearing.notices = notice_warnings(case, hearing)
    appointments.hearing_changed(session, hearing)  # every party and agent is told at once
    return hearing


def notice_warnings(case: Case, hearing: Hearing) -> list[Notice]:
    """A hearing scheduled fewer days ahead than the notice rule asks: its notice timer is due before today, so
    the notice cannot be served in time. Said at once (it does not block: the parties may agree, or the hearing
    may be moved); the timer records the breach if the notice is still unserved when it ends."""
    timer = next(
        (
            t
            for t in case.timers
            if t.rule_id == NOTICE_RULE and t.subject_id == hearing.id and t.status in OPEN_STATUSES
        ),
        None,
    )
    if timer is None or timer.due_on is None or timer.due_on >= clock.today_local():
        return []
    return [
        Notice(
            N_(
                "The hearing is fewer than %(days)s days away: “%(rule)s” (%(basis)s) cannot be met, the "
                "notice was due by %(date)s."
            ),
            days=timer.period,
            rule=timer.rule,
            basis=timer.rule.legal_basis,
            date=timer.due_on,
        )
    ]


def _scheduled(arbitration: Arbitration, hearing_id: int | None) -> Hearing:
    hearing = next((h for h in arbitration.hearings if h.id == hearing_id), None)
    if hearing is None or hearing.state != HearingState.SCHEDULED:
        raise DomainError(N_("Choose a scheduled hearing of this case."), field="hearing_id")
    return hearing


def serve_hearing_notice(
    session, case, actor, *, hearing_id: int | None, served_on: date | None, expected_version=None
) -> Hearing:
    arbitration = case.arbitration
    begin(
        case,
        actor,
        NOTICE.name,
        arbitration,
        expected_version=expected_version,
        hearing_id=hearing_id,
        served_on=served_on,
    )
    hearing = _scheduled(arbitration, hearing_id)
    if served_on > clock.today_local():
        raise DomainError(N_("This date is in the future."), field="served_on")
    hearing.notice_served_on = served_on
    finish(
        session,
        case,
        actor,
        NOTICE,
        arbitration,
        subject=hearing,
        after={
            "hearing": clock.to_local(hearing.starts_at).isoformat(timespec="minutes"),
            "served_on": served_on.isoformat(),
        },
    )
    return hearing


def postpone_hearing(session, case, actor, *, hearing_id: int | None, reason: str, expected_version=None) -> Hearing:
    arbitration = case.arbitration
    begin(
        case, actor, POSTPONE.name, arbitration, expected_version=expected_version, hearing_id=hearing_id, reason=reason
    )
    hearing = _scheduled(arbitration, hearing_id)
    hearing.state, hearing.postponement_reason = HearingState.POSTPONED, reason.strip()
    finish(
        session,
        case,
        actor,
        POSTPONE,
        arbitration,
        subject=hearing,
        reason=hearing.postponement_reason,
        after={"hearing": clock.to_local(hearing.starts_at).isoformat(timespec="minutes")},
    )
    appointments.hearing_changed(session, hearing)
    return hearing


def hold_hearing(
    session,
    case,
    actor,
    *,
    hearing_id: int | None,
    applicant_attended: bool,
    respondent_attended: bool,
    record: str = "",
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    room_id: int | None = None,
    online_link: str = "",
    expected_version=None,
) -> Hearing:
    """A scheduled hearing held (`hearing_id`), or, without one, a hearing held on the spot that was never
    scheduled, recorded after the fact with its time and place (issue 16)."""
    arbitration = case.arbitration
    begin(case, actor, HOLD.name, arbitration, expected_version=expected_version)
    if hearing_id is not None:
        hearing = _scheduled(arbitration, hearing_id)
        if hearing.starts_at > clock.now_utc():
            raise DomainError(N_("The hearing has not started yet."), field="hearing_id")
    else:
        hearing = _held_unscheduled(session, arbitration, starts_at, ends_at, room_id, online_link)
    hearing.state = HearingState.HELD
    hearing.applicant_attended, hearing.respondent_attended = applicant_attended, respondent_attended
    hearing.record = record.strip() or None
    if hearing.id is None:
        arbitration.hearings.append(hearing)
        session.flush()  # the hearing's id is the timeline entry's subject
    finish(
        session,
        case,
        actor,
        HOLD,
        arbitration,
        subject=hearing,
        after={
            "hearing": clock.to_local(hearing.starts_at).isoformat(timespec="minutes"),
            "applicant_attended": applicant_attended,
            "respondent_attended": respondent_attended,
            "scheduled": hearing_id is not None,
        },
    )
    return hearing


def _held_unscheduled(session, arbitration, starts_at, ends_at, room_id, online_link) -> Hearing:
    """The hearing held on the spot, checked field by field: when, until when, where."""
    if starts_at is None:
        raise DomainError(N_("Choose the scheduled hearing, or give the time of the hearing held."), field="starts_at")
    if starts_at > clock.now_utc():
        raise DomainError(N_("A hearing recorded as held has already started."), field="starts_at")
    if ends_at is None:
        raise DomainError(N_("This field is required."), field="ends_at")
    if ends_at <= starts_at:
        raise DomainError(N_("The hearing must end after it starts."), field="ends_at")
    room = session.get(HearingRoom, room_id) if room_id else None
    if room_id and (room is None or room.unit_id != arbitration.unit_id):
        raise DomainError(N_("Choose an active hearing room of this commission."), field="room_id")
    if room is None and not online_link.strip():
        raise DomainError(N_("Choose a room or give the online hearing link."), field="room_id")
    return Hearing(starts_at=starts_at, ends_at=ends_at, room=room, online_link=online_link.strip() or None)
