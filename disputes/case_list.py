"""The case list: filters, search, sorting and pages as one SQL query (no Flask)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from disputes import identity
from disputes.models import Case, Claim, ClaimCategory, Party, PartyKind, Unit
from disputes.workflow.intake import FLAG_NAMES
from disputes.workflow.states import CaseStage, CaseStatus

COUNT_CAP = 10_000
SORTS = {
    "newest": (Case.registered_on.desc(), Case.id.desc()),
    "oldest": (Case.registered_on.asc(), Case.id.asc()),
    "number": (Case.registry_no.asc(),),
    "number_desc": (Case.registry_no.desc(),),
}
_ID_TAIL = re.compile(r"^\**(\d{3}[\dX])$")


@dataclass
class CaseFilter:
    q: str = ""
    stage: CaseStage | None = None
    status: CaseStatus | None = None
    unit_id: int | None = None
    category: ClaimCategory | None = None
    flags: list[str] = field(default_factory=list)
    registered_from: date | None = None
    registered_to: date | None = None
    sort: str = "newest"
    page: int = 1
    per_page: int = 50


@dataclass
class CasePage:
    cases: list[Case]
    total: int
    capped: bool
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def search_clause(text: str) -> sa.ColumnElement[bool] | None:
    """Registry number, party or employer name, credit code, full ID or a masked ID's tail."""
    term = identity.normalise(text)
    if not term:
        return None
    parties = sa.select(Party.case_id)
    if len(term) == 18 and identity.is_valid_credit_code(term):
        return Case.id.in_(parties.where(Party.credit_code == term))
    if len(term) == 18 and identity.is_valid_resident_id(term):
        return Case.id.in_(parties.where(Party.id_number == term))
    tail = _ID_TAIL.match(term)
    if tail and term.startswith("*"):
        return Case.id.in_(parties.where(Party.id_tail == tail.group(1)))
    pattern = f"%{text.strip()}%"
    clauses = [
        Case.registry_no.ilike(pattern, escape="\\"),
        Case.id.in_(parties.where(Party.name.ilike(pattern, escape="\\"))),
    ]
    if tail:
        clauses.append(Case.id.in_(parties.where(Party.id_tail == tail.group(1))))
    return sa.or_(*clauses)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def build_query(scope: sa.ColumnElement[bool], f: CaseFilter) -> sa.Select:
    query = sa.select(Case).where(scope)
    if f.q:
        clause = search_clause(_escape_like(f.q))
        if clause is not None:
            query = query.where(clause)
    if f.stage:
        query = query.where(Case.stage == f.stage)
    if f.status:
        query = query.where(Case.status == f.status)
    if f.unit_id:
        subtree = sa.select(Unit.id).where(
            Unit.path.startswith(sa.select(Unit.path).where(Unit.id == f.unit_id).scalar_subquery())
        )
        query = query.where(Case.unit_id.in_(subtree))
    if f.category:
        query = query.where(Case.id.in_(sa.select(Claim.case_id).where(Claim.category == f.category)))
    for flag in f.flags:
        if flag in FLAG_NAMES:
            query = query.where(getattr(Case, flag).is_(True))
    if f.registered_from:
        query = query.where(Case.registered_on >= f.registered_from)
    if f.registered_to:
        query = query.where(Case.registered_on <= f.registered_to)
    return query


def list_cases(session: Session, scope: sa.ColumnElement[bool], f: CaseFilter) -> CasePage:
    """One page of cases, with a total counted up to COUNT_CAP (beyond that: “10,000+”)."""
    query = build_query(scope, f)
    limited = query.with_only_columns(Case.id).order_by(None).limit(COUNT_CAP + 1).subquery()
    total = session.scalar(sa.select(sa.func.count()).select_from(limited))
    page = max(1, min(f.page, -(-min(total, COUNT_CAP) // f.per_page) or 1))
    rows = session.scalars(
        query.order_by(*SORTS.get(f.sort, SORTS["newest"]))
        .options(selectinload(Case.parties), selectinload(Case.claims), selectinload(Case.unit))
        .limit(f.per_page)
        .offset((page - 1) * f.per_page)
    ).all()
    return CasePage(list(rows), min(total, COUNT_CAP), total > COUNT_CAP, page, f.per_page)


def first_of(case: Case, kind: PartyKind) -> tuple[str, int]:
    """The first party of a kind and how many more there are, for one table cell."""
    people = [p.name for p in case.parties if p.kind == kind]
    return (people[0] if people else "—"), max(0, len(people) - 1)
