"""Who may do what on which case: one function per question.

Every view and CLI command asks here; nothing else decides access.
Reading scope (domain.md, “Who may do what”):
- supervisors, clerks, legal-aid officers, arbitrators and court liaison
  officers read the cases held by their unit and every unit below it;
- mediators read the cases of their own unit;
- court liaison officers also read the cases of the centre hosting their office once
  arbitration has ended (closed or refused): what the court may hear;
- the units holding a case's tracks (committee, commission, legal-aid centre) read it too;
- anyone also reads the cases they are assigned to (lawyers only those);
- an admin manages users and units but reads no case file unless they
  also hold a case role.
"""

import sqlalchemy as sa
from sqlalchemy.orm import object_session

from disputes.models import (
    Arbitration,
    Case,
    CaseAssignment,
    CaseReader,
    Role,
    SlaTimer,
    Unit,
    User,
)
from disputes.organisation import subtree, unit_tree
from disputes.workflow.states import ArbitrationState

CASE_ROLES = frozenset(Role) - {Role.ADMIN}
SUBTREE_READERS = frozenset({Role.SUPERVISOR, Role.CLERK, Role.LEGAL_AID_OFFICER, Role.ARBITRATOR, Role.COURT_LIAISON})
REGISTRARS = frozenset({Role.CLERK, Role.MEDIATOR, Role.ARBITRATOR, Role.SUPERVISOR})
ID_READERS = frozenset({Role.CLERK, Role.MEDIATOR, Role.ARBITRATOR, Role.SUPERVISOR, Role.LEGAL_AID_OFFICER})


def visible_units(
    session, user: User, *, whole_subtree: bool | None = None, tree: list[tuple[Unit, int]] | None = None
) -> list[tuple[Unit, int]]:
    """The units (with their depth, for a picker) whose cases or timers the user may filter by: their unit's subtree
    for those who read it (SUBTREE_READERS; always for the reports' supervisors, `whole_subtree=True`), else their
    own unit (a mediator's). `tree`: `unit_tree(session)` when the caller has read it already."""
    if whole_subtree is None:
        whole_subtree = user.has_role(*SUBTREE_READERS)
    if tree is None:
        tree = unit_tree(session)
    if whole_subtree:
        return [(u, d) for u, d in tree if u.path.startswith(user.unit.path)]
    return [(u, d) for u, d in tree if u.id == user.unit_id]


def _assigned_case_ids(user: User) -> sa.Select:
    return sa.select(CaseAssignment.case_id).where(CaseAssignment.user_id == user.id, CaseAssignment.active.is_(True))


def can_read_cases(user: User) -> bool:
    return user.is_authenticated and user.has_role(*CASE_ROLES)


COURT_VISIBLE = (ArbitrationState.CLOSED, ArbitrationState.REFUSED)


def _unit_ids(user: User, root: Unit) -> list[int] | sa.Select:
    """The ids of `root`'s subtree as a literal list (a few dozen units), taken from the transaction's unit tree:
    the planner then reads the statistics of `case_readers.reader` for exactly those keys instead of guessing the
    size of a LIKE on paths. A detached user (no session) gets the sub-select."""
    session = object_session(user) or object_session(root)
    if session is None:
        return subtree(root)
    units = [(depth, unit.id) for unit, depth in unit_tree(session) if unit.path.startswith(root.path)]
    return [unit_id for _depth, unit_id in sorted(units, key=lambda pair: pair[0])]  # breadth first: see readers


def _court_units(user: User) -> list[int] | sa.Select | None:
    """A court liaison officer's second scope: the centre hosting the office (decided cases only)."""
    if user.has_role(Role.COURT_LIAISON) and user.unit.parent is not None:
        return _unit_ids(user, user.unit.parent)
    return None


def readers(user: User) -> list[int] | None:
    """The `case_readers.reader` keys of `user`: the units read wholesale (ids > 0; breadth first, the units that
    register and hold the most cases before the committees below them, for the case list's count), and −id for
    the user's own active assignments. None: a detached user whose units are a sub-select (see `_unit_ids`)."""
    units = reading_units(user)
    if isinstance(units, sa.Select):
        return None
    return [*(units or []), -user.id]


def scope_readers(user: User) -> list[int] | None:
    """The `case_readers` keys when `case_scope(user)` is exactly the semi-join over them (not for a court liaison
    officer, whose scope adds the hosting centre's decided cases), else None: what the case list's count may
    read instead of the cases."""
    if not can_read_cases(user) or user.has_role(Role.COURT_LIAISON):
        return None
    return readers(user)


def case_scope(user: User, per_row: bool = False) -> sa.ColumnElement[bool]:
    """A WHERE clause on `Case` selecting exactly the cases `user` may read: one semi-join,
    `cases.id IN (SELECT case_id FROM case_readers WHERE reader = ANY(…))`, shared by every list, search, queue,
    board, calendar and export; a court liaison officer adds the decided cases of the hosting centre. It selects
    what `can_view_case` allows (tests/workflow/test_case_scope.py keeps the former OR of sub-queries as the
    oracle). `per_row`: the same cases, checked by one index probe per row — for statements over a user's own
    few rows (a mediator's mediations), where the planner would otherwise hash every case the user's unit reads."""
    if not can_read_cases(user):
        return sa.false()
    keys = readers(user)
    if keys is None:  # detached: the units as a sub-select, the assignments as their key
        keys = sa.union_all(sa.select(Unit.id).where(Unit.id.in_(reading_units(user))), sa.select(sa.literal(-user.id)))
    if per_row:
        # OFFSET 0 keeps PostgreSQL from pulling the EXISTS up into a join (it drops a LIMIT 1, not an OFFSET):
        # a correlated probe of pk_case_readers per row.
        probe = sa.select(sa.literal(1)).where(CaseReader.case_id == Case.id, CaseReader.reader.in_(keys)).offset(0)
        scope = probe.exists()
    else:
        scope = Case.id.in_(sa.select(CaseReader.case_id).where(CaseReader.reader.in_(keys)))
    court = _court_units(user)
    if court is None:
        return scope
    decided = (
        sa.select(CaseReader.case_id)
        .join(Arbitration, Arbitration.case_id == CaseReader.case_id)
        .where(CaseReader.reader.in_(court), Arbitration.state.in_(COURT_VISIBLE))
    )
    return sa.or_(scope, Case.id.in_(decided))


def reading_units(user: User) -> list[int] | sa.Select | None:
    """The units whose cases, and cases with a track there, `user` reads wholesale (case_scope's unit keys)."""
    if not can_read_cases(user):
        return None
    if user.has_role(*SUBTREE_READERS):
        return _unit_ids(user, user.unit)
    if user.has_role(Role.MEDIATOR):
        return [user.unit_id]
    return None


def deadline_scope(user: User) -> sa.ColumnElement[bool]:
    """The timers on a user's deadline board, a clause on `sla_timers`' own indexed columns.

    A deadline belongs to the unit handling its track: the board shows the deadlines of the units the user
    reads wholesale, those the user answers for, and those of cases assigned to the user; a court liaison
    officer also sees the litigation deadlines of the centre hosting the office. Every one of them is of a
    case the user may read; a case readable through another unit's track shows its deadlines on its page.
    """
    if not can_read_cases(user):
        return sa.false()
    clauses = [SlaTimer.responsible_id == user.id, SlaTimer.case_id.in_(_assigned_case_ids(user))]
    units = reading_units(user)
    if units is not None:
        clauses.append(SlaTimer.unit_id.in_(units))
    court = _court_units(user)
    if court is not None:
        clauses.append(sa.and_(SlaTimer.rule_id.startswith("litigation."), SlaTimer.unit_id.in_(court)))
    return sa.or_(*clauses)


def deadline_scope_parts(user: User, session) -> tuple[sa.ColumnElement[bool], ...]:
    """`deadline_scope` as disjoint parts (the user's units as a literal list; timers they answer for; their
    assigned cases), so each count reads one index instead of OR-ing several."""
    if not can_read_cases(user):
        return (sa.false(),)
    units = reading_units(user)
    unit_ids = list(session.scalars(units)) if isinstance(units, sa.Select) else list(units or [])
    if user.has_role(Role.COURT_LIAISON) and user.unit.parent is not None:
        court = list(session.scalars(subtree(user.unit.parent)))
    else:
        court = []
    # The assigned cases as a sub-select of the reader key, not a literal list: an arbitrator may have tens of
    # thousands (binding them cost seconds a statement at 1,000,000 cases, issue 18).
    assigned = sa.select(CaseReader.case_id).where(CaseReader.reader == -user.id)
    own = SlaTimer.unit_id.in_(unit_ids)
    mine = sa.and_(sa.not_(own), SlaTimer.responsible_id == user.id)
    not_mine = sa.or_(SlaTimer.responsible_id.is_(None), SlaTimer.responsible_id != user.id)
    rest = sa.and_(
        sa.not_(own),
        not_mine,
        sa.or_(
            SlaTimer.case_id.in_(assigned),
            sa.and_(SlaTimer.rule_id.startswith("litigation."), SlaTimer.unit_id.in_(court)),
        ),
    )
    return own, mine, rest


def _track_units(case: Case) -> list[Unit]:
    tracks = [case.mediation, case.arbitration, *case.legal_aid]
    return [t.unit for t in tracks if t is not None]


def _in_subtree(unit: Unit, root: Unit) -> bool:
    return unit.path.startswith(root.path)


def is_assigned(user: User, case: Case, *roles: Role) -> bool:
    return any(a.user_id == user.id and a.active and (not roles or a.role in roles) for a in case.assignments)


def can_view_case(user: User, case: Case) -> bool:
    if not can_read_cases(user):
        return False
    if is_assigned(user, case):
        return True
    units = [case.unit, *_track_units(case)]
    if user.has_role(*SUBTREE_READERS) and any(_in_subtree(unit, user.unit) for unit in units):
        return True
    if user.has_role(Role.MEDIATOR) and any(unit.id == user.unit_id for unit in units):
        return True
    if user.has_role(Role.COURT_LIAISON) and user.unit.parent is not None:
        decided = case.arbitration is not None and case.arbitration.state in COURT_VISIBLE
        return decided and any(_in_subtree(unit, user.unit.parent) for unit in units)
    return False


def can_register_cases(user: User) -> bool:
    return user.is_authenticated and user.has_role(*REGISTRARS)


def registration_units(user: User, all_units: list[Unit]) -> list[Unit]:
    """Units a user may register a case into: a mediator's own, the others' subtree."""
    if not can_register_cases(user):
        return []
    if user.has_role(Role.CLERK, Role.ARBITRATOR, Role.SUPERVISOR):
        return [u for u in all_units if u.active and _in_subtree(u, user.unit)]
    return [u for u in all_units if u.active and u.id == user.unit_id]


def can_edit_parties(user: User, case: Case) -> bool:
    if not (can_register_cases(user) and can_view_case(user, case)):
        return False
    if user.has_role(Role.CLERK, Role.ARBITRATOR, Role.SUPERVISOR):
        return True
    return case.unit_id == user.unit_id or is_assigned(user, case, Role.MEDIATOR)


def editable_cases(user: User) -> sa.ColumnElement[bool]:
    """`can_edit_parties` as a WHERE clause on `Case`, to ask it of many cases at once.

    A ledger import with “update” replaces only such cases, and only those held by one of the importer's
    `registration_units` (the same test as a new case's unit: an update may not move a case out of a unit the
    importer does not hold)."""
    if not can_register_cases(user):
        return sa.false()
    if user.has_role(Role.CLERK, Role.ARBITRATOR, Role.SUPERVISOR):
        return case_scope(user)
    mediated = sa.select(CaseAssignment.case_id).where(
        CaseAssignment.user_id == user.id, CaseAssignment.active.is_(True), CaseAssignment.role == Role.MEDIATOR
    )
    return sa.and_(case_scope(user), sa.or_(Case.unit_id == user.unit_id, Case.id.in_(mediated)))


def can_reveal_ids(user: User, case: Case) -> bool:
    """Unmasking an ID number is for roles that need it, needs a stated reason and is always audited: on the case
    page, in an export (`reveal_scope`) and in a document preview."""
    if not can_view_case(user, case):
        return False
    return user.has_role(*ID_READERS) or is_assigned(user, case, Role.LAWYER)


def reveal_scope(user: User) -> sa.ColumnElement[bool]:
    """`can_reveal_ids` as a WHERE clause on `Case`: the cases of an export whose ID numbers may be written in full."""
    if not can_read_cases(user):
        return sa.false()
    if user.has_role(*ID_READERS):
        return case_scope(user)
    as_lawyer = sa.select(CaseAssignment.case_id).where(
        CaseAssignment.user_id == user.id, CaseAssignment.active.is_(True), CaseAssignment.role == Role.LAWYER
    )
    return sa.and_(case_scope(user), Case.id.in_(as_lawyer))


def may_reveal_any_ids(user: User) -> bool:
    """Whether to offer full ID numbers at all (an export's form): the ID roles, and lawyers for their cases."""
    return user.is_authenticated and user.has_role(*ID_READERS, Role.LAWYER)


def can_administer(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.ADMIN)


def can_manage_allocation(user: User) -> bool:
    """A unit's allocation rule, its people's skills and absences: the administrator, and supervisors for the
    units of their district."""
    return user.is_authenticated and user.has_role(Role.ADMIN, Role.SUPERVISOR)


SERVICE_RECORDERS = frozenset({Role.CLERK, Role.SUPERVISOR, Role.LEGAL_AID_OFFICER})
ARCHIVISTS = frozenset({Role.CLERK, Role.SUPERVISOR})
HEARING_DAY_PRINTERS = frozenset({Role.CLERK, Role.SUPERVISOR, Role.ARBITRATOR})


def can_record_service(user: User, case: Case) -> bool:
    """Serving documents (送达) is the clerks' work, and the assigned arbitrator's or mediator's."""
    if not can_view_case(user, case):
        return False
    return user.has_role(*SERVICE_RECORDERS) or is_assigned(user, case, Role.ARBITRATOR, Role.MEDIATOR)


def can_build_case_file(user: User, case: Case) -> bool:
    """The complete file (案卷) is put together by the clerks and supervisors, and the assigned arbitrator."""
    if not can_view_case(user, case):
        return False
    return user.has_role(*ARCHIVISTS) or is_assigned(user, case, Role.ARBITRATOR)


def can_print_hearing_day(user: User) -> bool:
    """A day's hearing schedule with its notices, for the cases the user reads."""
    return user.is_authenticated and user.has_role(*HEARING_DAY_PRINTERS)


# Documents (documents.md, domain.md “print documents of a case”): clerks, legal-aid officers and supervisors
# print the documents of the cases they read; mediators, arbitrators and lawyers only those of the cases they
# are assigned to. Issuing is further limited to the roles that produce a track's papers.
DOCUMENT_ISSUERS = {
    "mediation": frozenset({Role.MEDIATOR, Role.CLERK, Role.SUPERVISOR}),
    "legal_aid": frozenset({Role.LEGAL_AID_OFFICER, Role.CLERK, Role.SUPERVISOR}),
    "arbitration": frozenset({Role.CLERK, Role.ARBITRATOR, Role.SUPERVISOR}),
    "litigation": frozenset({Role.CLERK, Role.ARBITRATOR, Role.SUPERVISOR}),
    "file": frozenset({Role.CLERK, Role.MEDIATOR, Role.ARBITRATOR, Role.LEGAL_AID_OFFICER, Role.SUPERVISOR}),
}
ALL_DOCUMENT_ISSUERS = frozenset().union(*DOCUMENT_ISSUERS.values())


DOCUMENT_READERS = frozenset({Role.CLERK, Role.LEGAL_AID_OFFICER, Role.SUPERVISOR})
ASSIGNED_DOCUMENT_READERS = (Role.MEDIATOR, Role.ARBITRATOR, Role.LAWYER)


def can_issue_documents(user: User, case: Case | None, track: str | None = None, unit: Unit | None = None) -> bool:
    """Issue (and reissue) documents of a case, of one track when `track` is given.

    A case-less document (a hearing day's batch) is issued within the user's unit subtree.
    """
    if not user.is_authenticated:
        return False
    roles = DOCUMENT_ISSUERS.get(track, ALL_DOCUMENT_ISSUERS) if track else ALL_DOCUMENT_ISSUERS
    if not user.has_role(*roles):
        return False
    if case is None:
        return unit is not None and _in_subtree(unit, user.unit)
    return can_read_documents(user, case)


def can_read_documents(user: User, case: Case | None, unit: Unit | None = None) -> bool:
    """Preview and download a case's documents — the one rule every documents view reads (issuing adds its roles):
    clerks, legal-aid officers and supervisors for the cases they read, mediators, arbitrators and lawyers for
    the cases they are assigned to. A case-less one (a hearing day's batch) is read by the issuing roles in its
    unit's subtree. Previews show ID numbers masked; the full ones need `can_reveal_ids` and a reason."""
    if case is None:
        return can_issue_documents(user, None, unit=unit)
    if not can_view_case(user, case):
        return False
    if user.has_role(Role.COURT_LIAISON):
        return True  # domain.md, "print documents of a case": court liaison ✓ (the cases the court may hear)
    return user.has_role(*DOCUMENT_READERS) or is_assigned(user, case, *ASSIGNED_DOCUMENT_READERS)


def can_manage_seals(user: User) -> bool:
    return can_administer(user)


def can_import_ledger(user: User) -> bool:
    """Those who may register cases may import a ledger; each row is checked against their registration units."""
    return can_register_cases(user)


def can_view_ledger_import(user: User, job) -> bool:
    """An import job and its error report are its author's (the file holds personal data)."""
    return user.is_authenticated and job.created_by_id == user.id


def can_view_reports(user: User) -> bool:
    """The statistics dashboard: supervisors, over their unit's subtree (issue 6)."""
    return user.is_authenticated and user.has_role(Role.SUPERVISOR)


def can_view_own_figures(user: User) -> bool:
    """A mediator's or an arbitrator's own figures on the work page."""
    return user.is_authenticated and user.has_role(Role.MEDIATOR, Role.ARBITRATOR)


def can_check_applications(user: User) -> bool:
    """The clerk's check of online applications (issue 20): whoever registers cases at the counter."""
    return can_register_cases(user)


def can_check_application(user: User, application) -> bool:
    """An online application filed with a unit the user may register cases into."""
    return can_check_applications(user) and any(
        u.id == application.unit_id for u in registration_units(user, [application.unit])
    )


def can_resend_messages(user: User) -> bool:
    return can_register_cases(user)


def can_approve_closures(user: User) -> bool:
    """The bulk closure approval page (issue 16): supervisors; each case is still checked by its approval step."""
    return user.is_authenticated and user.active and user.has_role(Role.SUPERVISOR)
