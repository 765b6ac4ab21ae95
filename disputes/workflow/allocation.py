"""Allocation by rule: which mediator or arbitrator of a unit gets a new case, and why (no Flask).

A unit's rule (`AllocationRule`, rotation when none) picks among its active staff of the role, never anyone
with a recorded conflict on the case (回避) or away today. Every allocation is stored with its reasons
(`Allocation.detail`), so the case page and the person who got it can read why: "rotation: next after 王振华;
李建华 skipped: away until 12-10". Manual assignment stays, with a reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock
from disputes.i18n import N_, DomainError
from disputes.models import (
    Absence,
    Allocation,
    AllocationMethod,
    AllocationRule,
    Case,
    CaseAssignment,
    CaseConflict,
    Role,
    SkillKind,
    StaffSkill,
    Unit,
    UnitKind,
    User,
    UserRole,
)
from disputes.sla import owners
from disputes.workflow import timeline
from disputes.workflow.actions import assign, release
from disputes.workflow.states import CaseStatus

M = AllocationMethod
COLLECTIVE_WEIGHT = 3  # a collective case (10 workers or more) counts as three ordinary ones in a person's load
ROLE_OF_UNIT = {UnitKind.MEDIATION_COMMITTEE: Role.MEDIATOR, UnitKind.ARBITRATION_COMMISSION: Role.ARBITRATOR}
RULES = (M.ROTATION, M.LEAST_LOAD, M.CATEGORY, M.LANGUAGE)


@dataclass
class Choice:
    user: User
    method: AllocationMethod
    detail: dict = field(default_factory=dict)


def case_weight(case: Case) -> int:
    return COLLECTIVE_WEIGHT if case.collective else 1


def role_for(unit: Unit) -> Role:
    role = ROLE_OF_UNIT.get(unit.kind)
    if role is None:
        raise DomainError(
            N_("Only a mediation committee or an arbitration commission allocates cases."), field="unit_id"
        )
    return role


def rule_of(session: Session, unit: Unit) -> AllocationMethod:
    row = session.get(AllocationRule, unit.id)
    return row.method if row is not None else M.ROTATION


def set_rule(session: Session, actor: User, unit: Unit, method: AllocationMethod | str) -> None:
    method = AllocationMethod(method)
    if method not in RULES:
        raise DomainError(N_("Choose rotation, least open load, dispute category or language."), field="method")
    role_for(unit)
    row = session.get(AllocationRule, unit.id)
    if row is None:
        row = AllocationRule(unit_id=unit.id, method=method)
        session.add(row)
    row.method, row.updated_at, row.updated_by_id = method, clock.now_utc(), actor.id
    session.flush()


def staff_of(session: Session, unit: Unit, role: Role) -> list[User]:
    """The unit's active people of the role, in the unit's order (the order of their accounts)."""
    stmt = (
        sa.select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.unit_id == unit.id, User.active.is_(True), UserRole.role == role)
        .order_by(User.id)
    )
    return list(session.scalars(stmt))


def away(session: Session, user_ids: Iterable[int], on: date) -> dict[int, date]:
    """Who is away on `on`, and until which day (the latest end of the absences covering it)."""
    ids = list(user_ids)
    if not ids:
        return {}
    rows = session.execute(
        sa.select(Absence.user_id, sa.func.max(Absence.ends_on))
        .where(Absence.user_id.in_(ids), Absence.starts_on <= on, Absence.ends_on >= on)
        .group_by(Absence.user_id)
    )
    return dict(rows.all())


def conflicts(session: Session, case: Case) -> dict[int, str]:
    rows = session.execute(sa.select(CaseConflict.user_id, CaseConflict.reason).where(CaseConflict.case_id == case.id))
    return dict(rows.all())


def open_loads(session: Session, user_ids: Iterable[int], role: Role) -> dict[int, int]:
    """Each person's open cases in the role, a collective case counting COLLECTIVE_WEIGHT."""
    ids = list(user_ids)
    weight = sa.case((Case.collective.is_(True), COLLECTIVE_WEIGHT), else_=1)
    rows = session.execute(
        sa.select(CaseAssignment.user_id, sa.func.sum(weight))
        .join(Case, Case.id == CaseAssignment.case_id)
        .where(
            CaseAssignment.user_id.in_(ids),
            CaseAssignment.role == role,
            CaseAssignment.active.is_(True),
            Case.status == CaseStatus.OPEN,
        )
        .group_by(CaseAssignment.user_id)
    )
    loads = dict.fromkeys(ids, 0)
    loads.update({user_id: int(total) for user_id, total in rows.all()})
    return loads


def skills(session: Session, user_ids: Iterable[int], kind: SkillKind) -> dict[int, set[str]]:
    ids = list(user_ids)
    found: dict[int, set[str]] = {i: set() for i in ids}
    for user_id, value in session.execute(
        sa.select(StaffSkill.user_id, StaffSkill.value).where(StaffSkill.user_id.in_(ids), StaffSkill.kind == kind)
    ):
        found[user_id].add(value)
    return found


def last_allocated(session: Session, unit: Unit, role: Role) -> User | None:
    """Who the unit's rotation gave its last case to (manual allocations do not move the rotation)."""
    row = session.scalars(
        sa.select(Allocation)
        .where(Allocation.unit_id == unit.id, Allocation.role == role, Allocation.method != M.MANUAL)
        .order_by(Allocation.at.desc(), Allocation.id.desc())
        .limit(1)
    ).first()
    return row.user if row is not None else None


def _rotation(order: list[User], eligible: list[User], last: User | None) -> tuple[User, dict]:
    if last is None or last not in order:
        return eligible[0], {}
    start = order.index(last)
    for step in range(1, len(order) + 1):
        candidate = order[(start + step) % len(order)]
        if candidate in eligible:
            return candidate, {"after": last.display_name, **({"only": True} if candidate == last else {})}
    raise AssertionError("eligible is a non-empty subset of order")


def _least_load(session: Session, eligible: list[User], role: Role) -> tuple[User, dict]:
    loads = open_loads(session, [u.id for u in eligible], role)
    chosen = min(eligible, key=lambda u: (loads[u.id], eligible.index(u)))
    return chosen, {"load": loads[chosen.id], "loads": {u.display_name: loads[u.id] for u in eligible}}


def choose(session: Session, case: Case, unit: Unit, *, language: str | None = None, on: date | None = None) -> Choice:
    """The person the unit's rule gives `case` to today, with the reasons; refused when nobody can take it."""
    on = on or clock.today_local()
    role = role_for(unit)
    order = staff_of(session, unit, role)
    if not order:
        raise DomainError(N_("%(unit)s has nobody to give cases to."), field="unit_id", unit=unit.name)
    standing_aside = conflicts(session, case)
    away_until = away(session, [u.id for u in order], on)
    skipped = []
    for person in order:
        if person.id in standing_aside:
            skipped.append({"name": person.display_name, "why": "conflict", "reason": standing_aside[person.id]})
        elif person.id in away_until:
            skipped.append({"name": person.display_name, "why": "away", "until": away_until[person.id].isoformat()})
    eligible = [u for u in order if u.id not in standing_aside and u.id not in away_until]
    if not eligible:
        raise DomainError(
            N_("Everyone in %(unit)s is away or stands aside on this case: assign someone by hand."),
            field="unit_id",
            unit=unit.name,
        )
    method = rule_of(session, unit)
    detail: dict = {}
    if method in (M.CATEGORY, M.LANGUAGE):
        kind = SkillKind.CATEGORY if method == M.CATEGORY else SkillKind.LANGUAGE
        wanted = (
            [c.category.value for c in case.claims] if kind == SkillKind.CATEGORY else [language] if language else []
        )
        taken = skills(session, [u.id for u in eligible], kind)
        matching = [u for u in eligible if taken[u.id].intersection(wanted)]
        if matching:
            chosen, detail = _least_load(session, matching, role)
            detail["match"] = next(w for w in wanted if w in taken[chosen.id])
        else:
            chosen, detail = _least_load(session, eligible, role)
            detail["no_match"] = True
    elif method == M.LEAST_LOAD:
        chosen, detail = _least_load(session, eligible, role)
    else:
        chosen, detail = _rotation(order, eligible, last_allocated(session, unit, role))
    detail["skipped"] = skipped
    return Choice(chosen, method, detail)


def hand_over(session: Session, case: Case, actor: User, person: User, role: Role) -> None:
    """Make `person` the case's holder in `role`: the mediator of its mediation (accepting it if still applied
    for), or its arbitrator (承办仲裁员) until the tribunal is formed."""
    if role == Role.MEDIATOR:
        mediation = case.mediation
        if mediation is None:
            raise DomainError(N_("This case has no mediation."))
        if mediation.accepted_on is None:
            from disputes.workflow.mediation import accept_mediation  # the step numbers and assigns

            accept_mediation(session, case, actor, mediator_id=person.id)
            owners.refresh(session, case)
            return
        mediation.mediator = person
    elif case.arbitration is None:
        raise DomainError(N_("This case has no arbitration."))
    release(case, role, keep=[person])
    assign(case, person, role)
    case.updated_at = clock.now_utc()
    owners.refresh(session, case)  # the deadlines follow the case to its new holder
    session.flush()


def record(
    session: Session,
    case: Case,
    actor: User | None,
    unit: Unit,
    person: User,
    role: Role,
    method: AllocationMethod,
    detail: dict,
    reason: str | None = None,
) -> Allocation:
    row = Allocation(
        case=case,
        unit=unit,
        user=person,
        role=role,
        method=method,
        detail=detail,
        reason=reason,
        at=clock.now_utc(),
        actor_id=actor.id if actor else None,
    )
    session.add(row)
    timeline.record(
        session,
        case,
        actor,
        "case.allocated",
        reason=reason,
        after={
            "to": person.display_name,
            "unit": unit.code,
            "role": role.value,
            "method": method.value,
            "explanation": detail,
        },
    )
    session.flush()
    return row


def allocate(session: Session, case: Case, actor: User, unit: Unit, *, language: str | None = None) -> Allocation:
    """Give the case to whoever the unit's rule chooses, hand it over and record why."""
    choice = choose(session, case, unit, language=language)
    role = role_for(unit)
    hand_over(session, case, actor, choice.user, role)
    return record(session, case, actor, unit, choice.user, role, choice.method, choice.detail)


def assign_by_hand(session: Session, case: Case, actor: User, person: User | None, reason: str) -> Allocation:
    """A manual allocation: to anyone of the track's unit with the role, never to someone standing aside; the
    reason is required and shown with it."""
    if not actor.has_role(Role.SUPERVISOR, Role.CLERK):
        raise DomainError(N_("Only a clerk or a supervisor assigns cases by hand."))
    if not (reason or "").strip():
        raise DomainError(N_("Say why you assign the case by hand."), field="reason")
    if person is None or not person.active:
        raise DomainError(N_("Choose an active person."), field="user_id")
    track = _track_for(case, person)
    if person.id in conflicts(session, case):
        raise DomainError(N_("%(name)s stands aside on this case (回避)."), field="user_id", name=person.display_name)
    role = role_for(track.unit)
    detail = {"skipped": []}
    until = away(session, [person.id], clock.today_local()).get(person.id)
    if until is not None:
        detail["away_until"] = until.isoformat()
    hand_over(session, case, actor, person, role)
    return record(session, case, actor, track.unit, person, role, M.MANUAL, detail, reason.strip())


def _track_for(case: Case, person: User):
    """The open track `person` can hold: a mediator the mediation, an arbitrator the arbitration."""
    if person.has_role(Role.MEDIATOR) and case.mediation is not None:
        track = case.mediation
    elif person.has_role(Role.ARBITRATOR) and case.arbitration is not None:
        track = case.arbitration
    else:
        raise DomainError(
            N_("%(name)s cannot hold this case: no track of theirs is open."), field="user_id", name=person.display_name
        )
    if track.unit_id != person.unit_id:
        raise DomainError(
            N_("%(name)s does not belong to %(unit)s, where the case is."),
            field="user_id",
            name=person.display_name,
            unit=track.unit.name,
        )
    return track


def record_absence(
    session: Session, actor: User, person: User, starts_on: date | None, ends_on: date | None, note: str = ""
) -> Absence:
    if starts_on is None or ends_on is None:
        raise DomainError(N_("Give the first and the last day away."), field="starts_on")
    if ends_on < starts_on:
        raise DomainError(N_("The last day away cannot come before the first."), field="ends_on")
    row = Absence(user_id=person.id, starts_on=starts_on, ends_on=ends_on, note=note.strip(), recorded_by_id=actor.id)
    session.add(row)
    session.flush()
    return row


def record_conflict(session: Session, case: Case, actor: User, person: User | None, reason: str) -> CaseConflict:
    """A ground for `person` to stand aside on `case` (Law Art 33): they are never allocated it; if they hold it,
    it must be reassigned by hand."""
    if person is None:
        raise DomainError(N_("Choose a person."), field="user_id")
    if not (reason or "").strip():
        raise DomainError(N_("Give the ground for standing aside."), field="reason")
    if person.id in conflicts(session, case):
        raise DomainError(N_("%(name)s stands aside on this case (回避)."), field="user_id", name=person.display_name)
    row = CaseConflict(case_id=case.id, user_id=person.id, reason=reason.strip(), recorded_by_id=actor.id)
    session.add(row)
    timeline.record(session, case, actor, "case.conflict", reason=reason.strip(), after={"person": person.display_name})
    session.flush()
    return row


def explain(row: Allocation) -> list[tuple[str, dict]]:
    """The allocation's reasons as message ids with their values, in order; the caller translates and joins them."""
    detail = row.detail or {}
    parts: list[tuple[str, dict]] = []
    if row.method == M.MANUAL:
        parts.append((N_("assigned by hand: %(reason)s"), {"reason": row.reason or ""}))
        if detail.get("away_until"):
            parts.append((N_("away until %(until)s"), {"until": short_day(detail["away_until"])}))
    elif row.method == M.ROTATION:
        if detail.get("only"):
            parts.append((N_("rotation: the only one free in the unit"), {}))
        elif detail.get("after"):
            parts.append((N_("rotation: next after %(name)s"), {"name": detail["after"]}))
        else:
            parts.append((N_("rotation: first in the unit's order"), {}))
    else:
        if row.method in (M.CATEGORY, M.LANGUAGE) and detail.get("match"):
            message = (
                N_("by dispute category: takes %(value)s")
                if row.method == M.CATEGORY
                else N_("by language: speaks %(value)s")
            )
            parts.append((message, {"value": detail["match"], "category": row.method == M.CATEGORY}))
        elif row.method in (M.CATEGORY, M.LANGUAGE):
            parts.append((N_("nobody takes this case's category or language"), {}))
        parts.append(
            (
                N_("least open load: %(load)s (a collective case counts %(weight)s)"),
                {"load": detail.get("load", 0), "weight": COLLECTIVE_WEIGHT},
            )
        )
    for skipped in detail.get("skipped", []):
        if skipped["why"] == "away":
            parts.append(
                (
                    N_("%(name)s skipped: away until %(until)s"),
                    {"name": skipped["name"], "until": short_day(skipped["until"])},
                )
            )
        else:
            parts.append(
                (
                    N_("%(name)s skipped: stands aside (%(reason)s)"),
                    {"name": skipped["name"], "reason": skipped.get("reason", "")},
                )
            )
    return parts


def short_day(iso: str) -> str:
    """12-10: the month and day, as the explanations write a near date."""
    return iso[5:10]


def move(session: Session, case: Case, actor: User, unit: Unit | None, reason: str) -> Allocation | None:
    """Move the case's open mediation or arbitration to another unit of the district (keeping its number, history
    and timers) and give it to someone there by that unit's rule; None when nobody there can take it yet."""
    if not actor.has_role(Role.SUPERVISOR):
        raise DomainError(N_("Only a supervisor moves cases between units."))
    if not (reason or "").strip():
        raise DomainError(N_("Say why the cases move."), field="reason")
    if unit is None or not unit.active:
        raise DomainError(N_("Choose a unit."), field="unit_id")
    from disputes.workflow.routing import district_of  # routing imports this module

    if not unit.path.startswith(district_of(actor.unit).path):
        raise DomainError(N_("Choose a unit of this district for the route."), field="unit_id")
    role = role_for(unit)
    track = case.mediation if role == Role.MEDIATOR else case.arbitration
    if track is None:
        raise DomainError(N_("%(case)s has no track that %(unit)s can take."), case=case.registry_no, unit=unit.name)
    if track.unit_id == unit.id:
        raise DomainError(N_("%(case)s is already at %(unit)s."), case=case.registry_no, unit=unit.name)
    before = track.unit.code
    track.unit = unit
    timeline.record(
        session, case, actor, "case.moved", reason=reason.strip(), before={"unit": before}, after={"unit": unit.code}
    )
    session.flush()
    try:
        choice = choose(session, case, unit)
    except DomainError:
        return None  # nobody there can take it now: the holder stays until someone is assigned by hand
    hand_over(session, case, actor, choice.user, role)
    return record(session, case, actor, unit, choice.user, role, choice.method, choice.detail, reason.strip())


@dataclass
class BulkResult:
    done: list[Case] = field(default_factory=list)
    refused: list[tuple[Case, DomainError]] = field(default_factory=list)


def bulk(
    session: Session,
    actor: User,
    cases: list[Case],
    *,
    person: User | None = None,
    unit: Unit | None = None,
    reason: str,
) -> BulkResult:
    """Reassign each case to `person` or move it to `unit`; each case on its own (a refusal leaves the others
    done), each audited on its timeline, the new holder told through their queue (the allocation)."""
    if not actor.has_role(Role.SUPERVISOR):
        raise DomainError(N_("Only a supervisor reassigns or moves cases in bulk."))
    if not (reason or "").strip():
        raise DomainError(N_("Say why the cases move."), field="reason")
    if (person is None) == (unit is None):
        raise DomainError(N_("Choose a person or a unit."), field="user_id")
    result = BulkResult()
    for case in cases:
        savepoint = session.begin_nested()
        try:
            if person is not None:
                assign_by_hand(session, case, actor, person, reason)
            else:
                move(session, case, actor, unit, reason)
        except DomainError as error:
            savepoint.rollback()
            result.refused.append((case, error))
        else:
            savepoint.commit()
            result.done.append(case)
    return result
