"""Importing a ledger: validate every row, then write all cases in bulk, or nothing (ledger.md, “Rules”).

Checks → context from the database → validation of every row → (nothing when any error) → ids taken in
bulk → each table's rows written at once → the timeline. The caller commits (or, for a dry run, rolls
back: nothing is written at all). `progress(done, total)` is called as rows are validated and written.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock, policy
from disputes.ledger import build
from disputes.ledger.errors import LedgerInvalid
from disputes.ledger.parse import Sheet
from disputes.ledger.validate import Context, UnitInfo, UserInfo, validate
from disputes.ledger.writer import Writer
from disputes.models import Case, MinimumWage, Party, PartyKind, PartySide, Unit, User, UserRole
from disputes.workflow.awards import region_candidates

CHUNK = 5000  # rows written per round: bounds memory and gives the progress bar its steps
Progress = Callable[[int, int], None]


@dataclass
class Result:
    rows: int
    created: int = 0
    updated: int = 0
    timers: int = 0
    dry_run: bool = False
    seconds: dict[str, float] = field(default_factory=dict)


def load_context(session: Session, sheet: Sheet, actor: User | None, update: bool, today: date) -> Context:
    units = {
        u.code: UnitInfo(u.id, u.code, str(u.kind), u.path, u.parent_id, u.active)
        for u in session.execute(sa.select(Unit.id, Unit.code, Unit.kind, Unit.path, Unit.parent_id, Unit.active))
    }
    names = {cells.get(c, "") for _n, cells in sheet.rows for c in ("mediator", "arbitrator")} - {""}
    users: dict[str, UserInfo] = {}
    for first in range(0, len(names), 1000):
        chunk = sorted(names)[first : first + 1000]
        roles: dict[int, set[str]] = {}
        found = session.execute(
            sa.select(User.id, User.username, User.unit_id, UserRole.role)
            .outerjoin(UserRole, UserRole.user_id == User.id)
            .where(User.username.in_(chunk), User.active.is_(True))
        ).all()
        for user_id, _name, _unit, role in found:
            roles.setdefault(user_id, set()).add(str(role) if role else "")
        users.update({name: UserInfo(uid, name, unit, frozenset(roles[uid])) for uid, name, unit, _r in found})
    numbers = sorted({cells.get("registry_no", "") for _n, cells in sheet.rows} - {""})
    existing: dict[str, int] = {}
    existing_units: dict[int, UnitInfo] = {}
    editable: set[int] | None = None if actor is None else set()
    by_id = {u.id: u for u in units.values()}
    for first in range(0, len(numbers), 1000):
        chunk = numbers[first : first + 1000]
        for number, case_id, unit_id in session.execute(
            sa.select(Case.registry_no, Case.id, Case.unit_id).where(Case.registry_no.in_(chunk))
        ):
            existing[number], existing_units[case_id] = case_id, by_id[unit_id]
        if editable is not None and update:
            editable.update(
                session.scalars(sa.select(Case.id).where(Case.registry_no.in_(chunk), policy.editable_cases(actor)))
            )
    allowed = None
    if actor is not None:
        all_units = list(session.scalars(sa.select(Unit)))
        allowed = {u.id for u in policy.registration_units(actor, all_units)}
    masked = (
        sorted(
            {cells.get("registry_no", "") for _n, cells in sheet.rows if "*" in cells.get("applicant_id_no", "")}
            & set(existing)
        )
        if update
        else []
    )
    return Context(
        units,
        users,
        existing,
        today,
        update,
        allowed,
        existing_units,
        editable,
        _ids_on_record(session, masked),
        _minimum_wages(session, units),
    )


def _ids_on_record(session: Session, numbers: list[str]) -> dict[str, str]:
    """The ID number of each case's first applicant worker (the one the ledger exports), by registry number."""
    found: dict[str, str] = {}
    for first in range(0, len(numbers), 1000):
        for number, id_number in session.execute(
            sa.select(Case.registry_no, Party.id_number)
            .join(Party, Party.case_id == Case.id)
            .where(
                Case.registry_no.in_(numbers[first : first + 1000]),
                Party.side == PartySide.APPLICANT,
                Party.kind == PartyKind.WORKER,
            )
            .order_by(Party.position.desc())
        ):
            if id_number:
                found[number] = id_number
            else:
                found.pop(number, None)
    return found


def _minimum_wages(session: Session, units: dict[str, UnitInfo]) -> Callable[[int, date], Decimal | None]:
    """awards.minimum_wage_on for many rows: the table read once, regions resolved once per unit."""
    table: dict[str, list[tuple[date, Decimal]]] = {}
    for code, since, amount in session.execute(
        sa.select(MinimumWage.region_code, MinimumWage.effective_from, MinimumWage.monthly_amount).order_by(
            MinimumWage.effective_from.desc()
        )
    ):
        table.setdefault(code, []).append((since, amount))
    regions = {unit_id: code for unit_id, code in session.execute(sa.select(Unit.id, Unit.region_code))}
    parents = {u.id: u.parent_id for u in units.values()}

    def region(unit_id: int | None) -> str | None:
        while unit_id is not None:
            if regions.get(unit_id):
                return regions[unit_id]
            unit_id = parents.get(unit_id)
        return None

    def lookup(unit_id: int, on: date) -> Decimal | None:
        code = region(unit_id)
        for candidate in region_candidates(code) if code else []:
            for since, amount in table.get(candidate, []):
                if since <= on:
                    return amount
        return None

    return lookup


def import_ledger(
    session: Session,
    sheet: Sheet,
    actor: User | None,
    *,
    update: bool = False,
    dry_run: bool = False,
    note: str,
    causes: dict[str, str],
    progress: Progress | None = None,
    source: str = "",
) -> Result:
    """Raises LedgerInvalid (nothing written) when any row is wrong; else writes every case and returns counts.
    `source` names the import (file, job) on the timeline entry of every case written."""
    started = time.perf_counter()
    total = len(sheet.rows)
    today = clock.today_local()
    ctx = load_context(session, sheet, actor, update, today)
    step = (lambda done: progress(done, total * 2)) if progress else None
    rows, errors = validate(sheet.rows, ctx, step)
    result = Result(rows=total, dry_run=dry_run)
    result.seconds["validate"] = time.perf_counter() - started
    if errors.total:
        raise LedgerInvalid(list(errors), errors.total)
    if progress:
        progress(total, total * 2)
    opts = build.Options(actor.id if actor else None, clock.now_utc(), today, note, causes, source=source)
    writer = Writer(session, opts, actor)
    try:
        for first in range(0, len(rows), CHUNK):
            chunk = rows[first : first + CHUNK]
            writer.write(chunk)
            if progress:
                progress(total + first + len(chunk), total * 2)
        writer.pipe.close()
    finally:
        writer.pipe.close(raise_errors=False)
    result.created, result.updated, result.timers = writer.created, writer.updated, writer.timers
    result.seconds["total"] = time.perf_counter() - started
    return result
