"""Linked and consolidated cases (no Flask): a group of cases, each keeping its number, that can be scheduled,
served and closed together. Each joint step calls the one-case operation for every case of the group on its own
savepoint, so one case's refusal leaves the others done and is reported with its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock, identity, policy
from disputes.i18n import N_, DomainError
from disputes.models import (
    Case,
    CaseGroup,
    CaseGroupMember,
    IssuedDocument,
    LinkKind,
    Party,
    PartyKind,
    PartySide,
    Role,
    User,
)
from disputes.workflow import timeline
from disputes.workflow.states import ARBITRATION_RUNNING, CaseStatus, ClosureType

LINKED, UNLINKED = "case.linked", "case.unlinked"
LINKERS = (Role.CLERK, Role.SUPERVISOR, Role.ARBITRATOR, Role.MEDIATOR)


def can_link(user: User, case: Case) -> bool:
    return user.is_authenticated and user.has_role(*LINKERS) and policy.can_view_case(user, case)


def group_of(session: Session, case: Case) -> CaseGroup | None:
    return session.scalar(
        sa.select(CaseGroup)
        .join(CaseGroupMember, CaseGroupMember.group_id == CaseGroup.id)
        .where(CaseGroupMember.case_id == case.id)
    )


def members(group: CaseGroup | None) -> list[Case]:
    return [m.case for m in group.members] if group is not None else []


def link(session: Session, actor: User, case: Case, other: Case | None, kind: LinkKind | str | None) -> CaseGroup:
    """Link `other` to `case`: into the group of either, or a new group of the two with `kind`."""
    if other is None:
        raise DomainError(N_("No case has this number."), field="registry_no")
    if other.id == case.id:
        raise DomainError(N_("A case cannot be linked to itself."), field="registry_no")
    if not (can_link(actor, case) and can_link(actor, other)):
        raise DomainError(N_("You cannot link these cases."), field="registry_no")
    if kind not in LinkKind._value2member_map_:
        raise DomainError(N_("Choose how the cases are linked."), field="kind")
    mine, theirs = group_of(session, case), group_of(session, other)
    if mine is not None and theirs is not None:
        if mine.id == theirs.id:
            raise DomainError(N_("These cases are already linked."), field="registry_no")
        raise DomainError(N_("%(case)s is already in another group."), field="registry_no", case=other.registry_no)
    group = mine or theirs
    if group is None:
        group = CaseGroup(kind=LinkKind(kind), created_at=clock.now_utc(), created_by_id=actor.id)
        session.add(group)
    for joining in (case, other):
        if joining not in members(group):
            group.members.append(CaseGroupMember(case=joining, added_at=clock.now_utc(), added_by_id=actor.id))
    session.flush()
    for one, two in ((case, other), (other, case)):
        timeline.record(session, one, actor, LINKED, after={"with": two.registry_no, "kind": group.kind.value})
    session.flush()
    return group


def unlink(session: Session, actor: User, case: Case) -> None:
    """Take the case out of its group; a group left with one case is dissolved."""
    if not can_link(actor, case):
        raise DomainError(N_("You cannot link these cases."))
    group = group_of(session, case)
    if group is None:
        raise DomainError(N_("This case is not linked."))
    for member in list(group.members):
        if member.case_id == case.id:
            group.members.remove(member)
    timeline.record(session, case, actor, UNLINKED, after={"kind": group.kind.value})
    if len(group.members) < 2:
        session.delete(group)
    session.flush()


@dataclass
class Suggestion:
    case: Case
    kind: LinkKind
    why: str  # the shared employer's name or the worker's masked ID


def suggestions(session: Session, user: User, case: Case, limit: int = 10) -> list[Suggestion]:
    """Open cases the user can read against the same employer (by credit code, else name) or of the same worker
    (by ID number), not yet in this case's group."""
    linked = {c.id for c in members(group_of(session, case))} | {case.id}
    found: dict[int, Suggestion] = {}

    def add(where, kind: LinkKind, why: str) -> None:
        rows = session.scalars(
            sa.select(Case)
            .join(Party, Party.case_id == Case.id)
            .where(where, Case.status == CaseStatus.OPEN, Case.id.not_in(linked), policy.case_scope(user))
            .order_by(Case.registered_on.desc(), Case.id.desc())
            .limit(limit)
        ).unique()
        for other in rows:
            found.setdefault(other.id, Suggestion(other, kind, why))

    for party in case.parties:
        if party.kind == PartyKind.EMPLOYER and party.side == PartySide.RESPONDENT:
            if party.credit_code:
                where = sa.and_(Party.kind == PartyKind.EMPLOYER, Party.credit_code == party.credit_code)
            else:
                where = sa.and_(Party.kind == PartyKind.EMPLOYER, Party.name == party.name)
            add(where, LinkKind.SAME_EMPLOYER, party.name)
        elif party.kind == PartyKind.WORKER and party.id_number:
            add(
                sa.and_(Party.kind == PartyKind.WORKER, Party.id_number == party.id_number),
                LinkKind.SAME_WORKER,
                identity.mask_resident_id(party.id_number) or party.name,
            )
    return list(found.values())[:limit]


@dataclass
class GroupResult:
    done: list[Case] = field(default_factory=list)
    refused: list[tuple[Case, DomainError]] = field(default_factory=list)


def _each(session: Session, cases: list[Case], step: Callable[[Case], object]) -> GroupResult:
    result = GroupResult()
    for case in cases:
        savepoint = session.begin_nested()
        try:
            step(case)
        except DomainError as error:
            savepoint.rollback()
            result.refused.append((case, error))
        else:
            savepoint.commit()
            result.done.append(case)
    return result


def _arbitrations(group: CaseGroup) -> list[Case]:
    return [c for c in members(group) if c.arbitration is not None]


def schedule_together(
    session: Session,
    actor: User,
    group: CaseGroup,
    *,
    starts_at: datetime | None,
    ends_at: datetime | None,
    room_id: int | None = None,
    online_link: str = "",
) -> GroupResult:
    """One hearing date and room for every arbitration of the group that can take it (`hearings.schedule_hearing`
    per case); the group's own hearings at that time do not clash with each other."""
    from disputes.workflow.hearings import schedule_hearing

    cases = [c for c in _arbitrations(group) if c.arbitration.state in ARBITRATION_RUNNING]
    if not cases:
        raise DomainError(N_("No arbitration of the group can take a hearing now."))
    together = frozenset(c.arbitration.id for c in cases)
    return _each(
        session,
        cases,
        lambda case: schedule_hearing(
            session,
            case,
            actor,
            starts_at=starts_at,
            ends_at=ends_at,
            room_id=room_id,
            online_link=online_link,
            together_with=together,
        ),
    )


def latest_document(session: Session, case: Case, kind: str) -> IssuedDocument | None:
    return session.scalar(
        sa.select(IssuedDocument)
        .where(IssuedDocument.case_id == case.id, IssuedDocument.kind == kind)
        .order_by(IssuedDocument.issued_at.desc(), IssuedDocument.version.desc())
        .limit(1)
    )


def document_kinds(session: Session, group: CaseGroup) -> list[str]:
    """The document kinds issued in the group's cases, for the joint service form."""
    ids = [c.id for c in members(group)]
    return list(
        session.scalars(
            sa.select(IssuedDocument.kind)
            .where(IssuedDocument.case_id.in_(ids))
            .distinct()
            .order_by(IssuedDocument.kind)
        )
    )


def serve_together(
    session: Session, actor: User, group: CaseGroup, *, kind: str, side: PartySide | str | None, data
) -> GroupResult:
    """One service for a document kind across the group: the latest issued document of that kind of each case, on
    each of its parties of `side` not yet served (`documents.service.record_service` per party)."""
    from disputes.documents.service import record_service

    if side not in PartySide._value2member_map_:
        raise DomainError(N_("Choose whom the document was served on."), field="side")
    side = PartySide(side)

    def serve(case: Case) -> None:
        document = latest_document(session, case, kind)
        if document is None:
            raise DomainError(N_("No such document has been issued in this case."))
        parties = [p for p in case.parties_of(side) if not p.is_agent]
        served = 0
        for party in parties:
            try:
                record_service(session, case, actor, document, party, data)
            except DomainError as error:
                if error.field == "party_id":
                    continue  # already served on this party: the joint step does not count it twice
                raise
            served += 1
        if not served:
            raise DomainError(N_("Already served on every such party."))

    return _each(session, members(group), serve)


def close_together(
    session: Session,
    actor: User,
    group: CaseGroup,
    *,
    closure_type: ClosureType | str | None,
    note: str = "",
    act_on: date | None = None,
) -> GroupResult:
    """Ask for the closure of every open arbitration of the group (`arbitration.request_closure` per case): each
    still goes to its own approval."""
    from disputes.workflow.arbitration import request_closure

    if closure_type not in ClosureType._value2member_map_:
        raise DomainError(N_("Choose how the cases close."), field="closure_type")
    cases = [c for c in _arbitrations(group) if c.arbitration.state in ARBITRATION_RUNNING]
    if not cases:
        raise DomainError(N_("No arbitration of the group can be closed now."))
    return _each(
        session,
        cases,
        lambda case: request_closure(
            session, case, actor, closure_type=ClosureType(closure_type), note=note, act_on=act_on
        ),
    )
