"""The case list: filters, search, sorting and pages as one SQL query (no Flask)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session, aliased, lazyload, load_only, selectinload

from disputes import identity
from disputes.models import Case, CaseAssignment, Claim, ClaimCategory, Party, PartyKind, Role, Unit
from disputes.paging import Paged, page_count
from disputes.workflow.intake import FLAG_NAMES
from disputes.workflow.states import CaseStage, CaseStatus

COUNT_CAP = 10_000
SEARCH_COUNT_CAP = 1_000  # a search is refined, not paged through: its count stops at 1,000 matches (issue 18)
SORTS = {
    "newest": (Case.registered_on.desc(), Case.id.desc()),
    "oldest": (Case.registered_on.asc(), Case.id.asc()),
    "number": (Case.registry_no.asc(),),
    "number_desc": (Case.registry_no.desc(),),
}
_ID_TAIL = re.compile(r"^\**(\d{3}[\dX])$")
_MASKED_ID = re.compile(r"^(\d{6})\*+(\d{3}[\dX])$")  # as the case page shows it: 110105********002X
_WORD = re.compile(r"[^\W_]+")
_UNESCAPE = re.compile(r"\\(.)")


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
    holder_id: int | None = None  # 承办人: an active mediator or arbitrator of the case
    sort: str = "newest"
    page: int = 1
    per_page: int = 50


@dataclass
class CasePage(Paged):
    cases: list[Case]
    total: int
    capped: bool
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


def search_clause(text: str, bigrams: bool = False) -> sa.ColumnElement[bool] | None:
    """Registry number, party or employer name, credit code, full ID or a masked ID's tail.

    `text` comes escaped for LIKE (see `_escape_like`). The substring matches are one
    `id IN (… UNION …)`: each branch can use its own trigram index, and PostgreSQL
    joins the few matching ids to `cases` instead of testing every case against an OR.
    With `bigrams` (PostgreSQL, migration 0002) a two-character term such as 王伟 is first
    looked up in the bigram indexes, since trigrams need three characters.
    """
    term = identity.normalise(text)
    if not term:
        return None
    parties = sa.select(Party.case_id)
    if len(term) == 18 and identity.is_valid_credit_code(term):
        return Case.id.in_(parties.where(Party.credit_code == term))
    if len(term) == 18 and identity.is_valid_resident_id(term):
        return Case.id.in_(parties.where(Party.id_number == term))
    masked = _MASKED_ID.match(term)
    if masked:
        return Case.id.in_(parties.where(Party.id_tail == masked.group(2), Party.id_number.startswith(masked.group(1))))
    tail = _ID_TAIL.match(term)
    if tail and term.startswith("*"):
        return Case.id.in_(parties.where(Party.id_tail == tail.group(1)))
    pattern = f"%{text.strip()}%"
    numbered = aliased(Case)
    registry_no, name = numbered.registry_no, Party.name
    raw = _UNESCAPE.sub(r"\1", text.strip())
    if len(raw) == 1:
        # One character (a surname) would match a tenth of all parties anywhere in a name: take it as a prefix.
        return Case.id.in_(parties.where(Party.name.startswith(raw, autoescape=True)))
    if bigrams and len(raw) == 2:
        return Case.id.in_(
            sa.union(
                sa.select(numbered.id).where(_has_bigram(registry_no, raw), registry_no.ilike(pattern, escape="\\")),
                parties.where(_has_bigram(name, raw), name.ilike(pattern, escape="\\")),
            )
        )
    if not _trigram_searchable(text):
        # Fewer than three word characters in a row give pg_trgm nothing to look up: it would read
        # the whole index and recheck every row, slower than a plain scan. `|| ''` keeps the
        # (identical) match off the index.
        registry_no, name = registry_no.concat(""), name.concat("")
    matches = [
        sa.select(numbered.id).where(registry_no.ilike(pattern, escape="\\")),
        parties.where(name.ilike(pattern, escape="\\")),
    ]
    if tail:
        matches.append(parties.where(Party.id_tail == tail.group(1)))
    return Case.id.in_(sa.union(*matches))


def _has_bigram(column, term: str) -> sa.ColumnElement[bool]:
    return sa.func.text_bigrams(column).op("@>")(sa.literal([term.lower()], postgresql.ARRAY(sa.Text)))


def _trigram_searchable(escaped: str) -> bool:
    """Whether `%escaped%` has a run of three word characters, the least a trigram index can use."""
    return any(len(word) >= 3 for word in _WORD.findall(_UNESCAPE.sub(r"\1", escaped)))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def build_query(scope: sa.ColumnElement[bool], f: CaseFilter, bigrams: bool = False) -> sa.Select:
    query = sa.select(Case).where(scope)
    if f.q:
        clause = search_clause(_escape_like(f.q), bigrams)
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
    if f.holder_id:
        query = query.where(
            Case.id.in_(
                sa.select(CaseAssignment.case_id).where(
                    CaseAssignment.user_id == f.holder_id,
                    CaseAssignment.active.is_(True),
                    CaseAssignment.role.in_((Role.MEDIATOR, Role.ARBITRATOR)),
                )
            )
        )
    return query


def count_cap(f: CaseFilter) -> int:
    """Where the list's count stops: 10,000 cases, or 1,000 matches of a search (a one-character search matches
    one case in a hundred: counting 10,000 of them cost 0.2–0.5 s at a million cases)."""
    return SEARCH_COUNT_CAP if f.q.strip() else COUNT_CAP


def unfiltered(f: CaseFilter) -> bool:
    """No filter narrows the scope (sorting and paging aside)."""
    return not (
        f.q.strip()
        or f.stage
        or f.status
        or f.unit_id
        or f.category
        or f.flags
        or f.registered_from
        or f.registered_to
        or f.holder_id
    )


def _a_reader_over(session: Session, readers: list[int], cap: int) -> bool:
    """Whether one of the `readers` keys alone reads more than `cap` cases: then the scope does too. One statement,
    a UNION ALL of one capped index range of `ix_case_readers_reader_case` per key, stopped at the first key
    over the cap (LIMIT 1): a street mediator's 72,000 readable cases cost 10,001 index entries, not a hash of
    all of them walked against `cases`."""
    keys = {f"key_{i}": key for i, key in enumerate(readers)}
    found = session.execute(_readers_over_statement(len(readers)), {"cap": cap, "cap_1": cap + 1, **keys})
    return found.first() is not None


@functools.lru_cache(maxsize=64)
def _readers_over_statement(keys: int) -> sa.TextClause:
    """`_a_reader_over`'s statement for `keys` keys, built once per number of keys: as SQLAlchemy constructs (one
    sub-select per key) it cost a district supervisor's list 5 ms of Python a request (issue 18), for SQL that
    stays the same. Plain SQL both dialects read; the keys are bound by position."""
    parts = [
        f"SELECT n FROM (SELECT count(*) AS n FROM (SELECT case_id FROM case_readers WHERE reader = :key_{i} "
        f"LIMIT :cap_1) AS capped_{i}) AS counted_{i} WHERE n > :cap"
        for i in range(keys)
    ]
    return sa.text("SELECT n FROM (" + " UNION ALL ".join(parts) + ") AS over LIMIT 1")


def list_cases(
    session: Session, scope: sa.ColumnElement[bool], f: CaseFilter, readers: list[int] | None = None
) -> CasePage:
    """One page of cases, with a total counted up to `count_cap` (beyond that: “more than 10,000”). `readers`:
    the `case_readers` keys `scope` is exactly the semi-join over (`policy.scope_readers`), for the unfiltered
    count's shortcut."""
    query = build_query(scope, f, bigrams=session.get_bind().dialect.name == "postgresql")
    cap = count_cap(f)
    if readers and unfiltered(f) and _a_reader_over(session, readers, cap):
        total = cap + 1
    else:
        limited = query.with_only_columns(Case.id).order_by(None).limit(cap + 1).subquery()
        total = session.scalar(sa.select(sa.func.count()).select_from(limited))
    page = max(1, min(f.page, -(-min(total, cap) // f.per_page) or 1))
    rows = session.scalars(
        query.order_by(*SORTS.get(f.sort, SORTS["newest"]))
        # The cases' timers (a selectin relationship: every timer of the 50 cases) are not shown in the list; of the
        # cases, parties and claims only what a row shows (`first_of`, the claims' tags and total): the facts, ID
        # numbers, phones and addresses would be read and built into objects for nothing. `raiseload`: a template
        # that starts showing another column fails its tests instead of loading it row by row.
        .options(
            load_only(*LISTED_COLUMNS, raiseload=True),
            selectinload(Case.parties).load_only(Party.position, Party.kind, Party.name, raiseload=True),
            selectinload(Case.claims).load_only(Claim.position, Claim.category, Claim.amount, raiseload=True),
            selectinload(Case.unit),
            lazyload(Case.timers),
        )
        .limit(f.per_page)
        .offset((page - 1) * f.per_page)
    ).all()
    return CasePage(list(rows), min(total, cap), total > cap, page, f.per_page)


# The case columns a list row shows.
LISTED_COLUMNS = (
    Case.registry_no,
    Case.unit_id,
    Case.registered_on,
    Case.stage,
    Case.status,
    Case.worker_count,
    *(getattr(Case, name) for name in FLAG_NAMES),
)


def first_of(case: Case, kind: PartyKind) -> tuple[str, int]:
    """The first party of a kind and how many more there are, for one table cell."""
    people = [p.name for p in case.parties if p.kind == kind]
    return (people[0] if people else "—"), max(0, len(people) - 1)
