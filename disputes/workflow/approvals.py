"""Who may approve (no Flask): four-eyes on every approval (issue 14 item 9), and the commission's head for
extensions (Rules Art 45).

- Four-eyes: whoever took the act an approval is about — requested the suspension or the extension, requested
  the closure, recorded the award it closes with — may not approve it. Rejecting (sending back) is not guarded:
  it undoes nothing but one's own request.
- An extension is decided (approved or rejected) only by a head of the arbitration's commission: its director
  (仲裁委员会主任) or the head of its arbitration institute they delegated (仲裁院负责人), named per commission
  by the administrator (`Unit.heads`, `organisation.set_commission_heads`).

Each guard is its own small function on the actions (`actor_guards`), so the approval steps can change around
them. `approvers()` says the same for the pages: who may approve and who may not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from disputes.i18n import N_, DomainError
from disputes.models import Arbitration, Case, User
from disputes.workflow.states import Approval


def _pending(items):
    return next((i for i in items if i.state == Approval.REQUESTED), None)


def _names(users) -> str:
    return ", ".join(u.display_name for u in users)


def closure_authors(arbitration: Arbitration) -> list[User]:
    """Who took the acts a closure approval is about: who asked for it and who recorded its award."""
    people = [arbitration.closure_requested_by] if arbitration.closure_requested_by is not None else []
    people += [a.issued_by for a in arbitration.awards if not a.partial and a.issued_by is not None]
    return list(dict.fromkeys(people))


def not_own_closure(case: Case, actor: User, row: Arbitration) -> DomainError | None:
    if row is None:
        return None
    if row.closure_requested_by_id == actor.id:
        return DomainError(N_("You asked for this closure; another supervisor must approve it."))
    if any(a.issued_by_id == actor.id for a in row.awards if not a.partial):
        return DomainError(N_("You recorded the award of this closure; another supervisor must approve it."))
    return None


def not_own_suspension(case: Case, actor: User, row: Arbitration) -> DomainError | None:
    request = _pending(row.suspensions) if row is not None else None
    if request is not None and request.requested_by_id == actor.id:
        return DomainError(N_("You requested this suspension; another supervisor must approve it."))
    return None


def not_own_extension(case: Case, actor: User, row: Arbitration) -> DomainError | None:
    request = _pending(row.extensions) if row is not None else None
    if request is not None and request.requested_by_id == actor.id:
        return DomainError(N_("You requested this extension; another head of the commission must approve it."))
    return None


def commission_head(case: Case, actor: User, row: Arbitration) -> DomainError | None:
    """Rules Art 45: an extension needs the written approval of the commission's head."""
    if row is None:
        return None
    heads = row.unit.heads
    if not heads:
        return DomainError(
            N_("No head of %(unit)s is on record; an administrator must name one before an extension can be decided."),
            unit=row.unit.name,
        )
    if actor not in heads:
        return DomainError(
            N_("Only the head of the commission decides an extension (Rules Art 45): %(names)s."), names=_names(heads)
        )
    return None


@dataclass
class Approvers:
    """For a page: who may decide (`heads`, None meaning any supervisor who reads the case) and who may not."""

    heads: list[User] | None = None
    excluded: list[User] = field(default_factory=list)

    @property
    def nobody(self) -> bool:
        return self.heads is not None and not [u for u in self.heads if u not in self.excluded]


def approvers(arbitration: Arbitration, matter: str) -> Approvers:
    """Who may approve the pending `matter` ("closure", "suspension" or "extension") of an arbitration."""
    if matter == "closure":
        return Approvers(excluded=closure_authors(arbitration))
    request = _pending(arbitration.suspensions if matter == "suspension" else arbitration.extensions)
    excluded = [request.requested_by] if request is not None else []
    heads = list(arbitration.unit.heads) if matter == "extension" else None
    return Approvers(heads=heads, excluded=excluded)


@dataclass
class BulkOutcome:
    """One case of a bulk approval: approved, or why not (the other cases go on)."""

    case_id: int
    registry_no: str
    error: DomainError | None = None

    @property
    def approved(self) -> bool:
        return self.error is None


def approve_closures(session, actor: User, cases: list[Case], *, note: str = "") -> list[BulkOutcome]:
    """A supervisor approves several pending closures at once (issue 16): each through `approve_closure`, so each is
    checked (four-eyes, state) and audited as if approved on its own page; each in its own savepoint, so a refusal
    or a concurrent change undoes that case only and is reported with its reason."""
    from sqlalchemy.orm.exc import StaleDataError

    from disputes.workflow import arbitration as ops
    from disputes.workflow.actions import ConflictError

    outcomes = []
    for case in cases:
        outcome = BulkOutcome(case.id, case.registry_no)
        savepoint = session.begin_nested()
        try:
            ops.approve_closure(session, case, actor, note=note)
            session.flush()
        except DomainError as error:
            savepoint.rollback()
            outcome.error = error
        except StaleDataError:
            savepoint.rollback()
            outcome.error = ConflictError()
        else:
            savepoint.commit()
        outcomes.append(outcome)
    return outcomes


def not_pending() -> DomainError:
    return DomainError(N_("This closure is no longer awaiting approval."))
