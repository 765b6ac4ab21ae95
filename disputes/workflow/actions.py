"""Transitions as data: who may take which step from which states, and why a step is refused.

Every track operation starts with `begin()` (check the actor, the state, the guards and
the required fields) and ends with `finish()` (set the target state, write the timeline,
refresh the case's stage and status, flush). The caller commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from disputes import clock, policy
from disputes.i18n import N_, DomainError
from disputes.models import Case, CaseAssignment, Role, User
from disputes.sla import timers
from disputes.workflow import timeline
from disputes.workflow.progress import refresh_case
from disputes.workflow.states import Track

Guard = Callable[[Case, Any], DomainError | None]
# The date a step records: a field of its row, or a function of (row, subject) for a date kept elsewhere.
DatedBy = str | Callable[[Any, Any], date | None] | None
# A guard that depends on who acts (the commission's head, four-eyes): (case, actor, row) -> refusal or None.
ActorGuard = Callable[[Case, User, Any], DomainError | None]


class ConflictError(DomainError):
    """The case changed after the form was opened: nothing is saved, the form is shown again."""

    def __init__(self):
        super().__init__(N_("Someone else changed this case meanwhile; nothing was saved. Please check and try again."))


@dataclass(frozen=True)
class Action:
    name: str  # stable id, also the timeline kind: "arbitration.accept"
    track: Track
    sources: frozenset | None  # None: the step opens the track (no row yet)
    target: StrEnum | None  # None: the state does not change
    roles: frozenset[Role]
    assigned: frozenset[Role] = frozenset()  # roles that count only when assigned to the case
    guards: tuple[Guard, ...] = ()
    required: tuple[str, ...] = ()
    label: str = ""
    # The day the step happened, as recorded (the day the respondent was served, not the day it was typed
    # in): timers start on it and a completion counts on it. Every step a deadline rule names declares one.
    dated_by: DatedBy = None
    actor_guards: tuple[ActorGuard, ...] = ()

    @property
    def all_roles(self) -> frozenset[Role]:
        return self.roles | self.assigned

    def date_of(self, row, subject=None) -> date | None:
        """The date this step recorded on `row` (or on `subject`, the row it is about), None if it declares none."""
        if self.dated_by is None or row is None:
            return None
        if isinstance(self.dated_by, str):
            return getattr(row, self.dated_by)
        return self.dated_by(row, subject)


ACTIONS: dict[str, Action] = {}


def recording_day(_row, _subject) -> date:
    """The date of a step that keeps none of its own (a postponement): the day it is recorded."""
    return clock.today_local()


def action(
    name: str,
    track: Track,
    sources: Iterable | None,
    target: StrEnum | None,
    roles: Iterable[Role],
    *,
    assigned: Iterable[Role] = (),
    guards: tuple[Guard, ...] = (),
    required: tuple[str, ...] = (),
    label: str,
    dated_by: DatedBy = None,
    actor_guards: tuple[ActorGuard, ...] = (),
) -> Action:
    act = Action(
        name=name,
        track=track,
        sources=None if sources is None else frozenset(sources),
        target=target,
        roles=frozenset(roles),
        assigned=frozenset(assigned),
        guards=guards,
        required=required,
        label=label,
        dated_by=dated_by,
        actor_guards=actor_guards,
    )
    if name in ACTIONS:
        raise ValueError(f"action {name} declared twice")
    ACTIONS[name] = act
    return act


@dataclass(frozen=True)
class TrackRules:
    """How a track explains a state that does not allow a step."""

    rank: dict  # state → position along the track; equal ranks are alternatives
    not_yet: dict  # state → message when a step needs that state and the track is not there yet
    ended: dict  # state → message when the track has moved on to it and the step is no longer possible
    absent: str  # the step needs the track and the case has none
    present: str  # the step opens the track and the case already has one


TRACK_RULES: dict[Track, TrackRules] = {}

DONE_ALREADY = N_("This step has already been taken.")
NOT_NOW = N_("This step is not possible while the %(track)s is “%(state)s”.")


def state_refusal(act: Action, row) -> DomainError | None:
    rules = TRACK_RULES[act.track]
    if act.sources is None:
        return DomainError(rules.present) if row is not None else None
    if row is None:
        return DomainError(rules.absent)
    state = row.state
    if state in act.sources:
        return None
    if state in rules.ended:
        return DomainError(rules.ended[state])
    earliest = min(act.sources, key=lambda s: rules.rank[s])
    if rules.rank[state] < rules.rank[earliest] and earliest in rules.not_yet:
        return DomainError(rules.not_yet[earliest])
    if rules.rank[state] > max(rules.rank[s] for s in act.sources):
        return DomainError(DONE_ALREADY)
    return DomainError(NOT_NOW, track=act.track, state=state)


def role_refusal(case: Case, actor: User, act: Action) -> DomainError | None:
    if not policy.can_view_case(actor, case):
        return DomainError(N_("You cannot see this case."))
    if actor.has_role(*act.roles):
        return None
    if any(policy.is_assigned(actor, case, role) for role in act.assigned if actor.has_role(role)):
        return None
    if act.assigned and actor.has_role(*act.assigned):
        return DomainError(N_("Only someone assigned to this case may do this."))
    return DomainError(N_("Your role does not allow this step."))


def refusal(case: Case, actor: User, act: Action, row=None) -> DomainError | None:
    """Why `actor` may not take `act` now, or None when they may. Roles first, then state, then guards, then the
    guards on who acts (who may approve)."""
    error = role_refusal(case, actor, act) or state_refusal(act, row)
    if error:
        return error
    for guard in act.guards:
        error = guard(case, row)
        if error:
            return error
    for actor_guard in act.actor_guards:
        error = actor_guard(case, actor, row)
        if error:
            return error
    return None


def available(case: Case, actor: User, track: Track, row=None) -> list[Action]:
    """The steps of a track this actor may take now: what the case page offers."""
    return [a for a in ACTIONS.values() if a.track == track and refusal(case, actor, a, row) is None]


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def begin(case: Case, actor: User, name: str, row=None, *, expected_version: int | None = None, **fields) -> Action:
    act = ACTIONS[name]
    error = refusal(case, actor, act, row)
    if error:
        raise error
    if expected_version is not None and expected_version != case.version_id:
        raise ConflictError()
    for field_name in act.required:
        if _blank(fields.get(field_name)):
            raise DomainError(N_("This field is required."), field=field_name)
    return act


def finish(
    session: Session,
    case: Case,
    actor: User | None,
    act: Action,
    row=None,
    *,
    reason: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
    on: date | None = None,
    subject=None,
) -> None:
    """Set the target state, log, move the deadline timers, and re-derive the case's stage and status as of
    `on` (default today). `subject` is the row the event is about when it is not the track's (a hearing)."""
    if act.target is not None and row is not None:
        if row.state is not None:  # a row the step has just created has no state before it
            before = {"state": row.state.value, **(before or {})}
        row.state = act.target
        after = {"state": act.target.value, **(after or {})}
    timeline.record(session, case, actor, act.name, reason=reason, before=before, after=after)
    timers.handle(session, case, act.name, row, on or clock.today_local(), subject=subject, after=after)
    refresh_case(case, on or clock.today_local())
    case.updated_at = clock.now_utc()
    # Always an UPDATE of the case row (even at an unchanged time), so its version check runs.
    flag_modified(case, "updated_at")
    session.flush()


def checked_date(
    value: date | None,
    field: str,
    *,
    not_before: date | None = None,
    before_message: str = N_("This date comes before the previous step (%(date)s)."),
) -> date:
    """The date a step records: today when left empty, never in the future, never before `not_before`."""
    value = value or clock.today_local()
    if value > clock.today_local():
        raise DomainError(N_("This date is in the future."), field=field)
    if not_before is not None and value < not_before:
        raise DomainError(before_message, field=field, date=not_before)
    return value


def assign(case: Case, user: User, role: Role) -> None:
    """Make `user` an active assignee of the case in `role` (re-activating an old assignment)."""
    for existing in case.assignments:
        if existing.user_id == user.id and existing.role == role:
            existing.active = True
            return
    case.assignments.append(CaseAssignment(user=user, role=role))


def release(case: Case, role: Role, keep: Iterable[User] = ()) -> None:
    keep_ids = {u.id for u in keep}
    for existing in case.assignments:
        if existing.role == role and existing.user_id not in keep_ids:
            existing.active = False
