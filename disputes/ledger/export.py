"""The ledger format out of the database: any set of cases as rows of strings, then CSV or XLSX.

Read in chunks of case ids, one query per table and chunk, so a 100,000-case export stays a few hundred
queries. What the ledger cannot say is left out: only the first applicant worker and first respondent,
the claims' categories and total, and each track's start, end and outcome (ledger.md).

ID numbers are written masked (first 6 and last 4) unless an `Unmask` names the cases whose numbers may be
written in full; it then collects which numbers were, for the caller to record (workflow.intake.record_reveals).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import identity
from disputes.ledger import formula
from disputes.ledger.columns import COLUMNS, LIST_SEPARATOR
from disputes.models import (
    Arbitration,
    Award,
    Case,
    Claim,
    CourtItemResult,
    Extension,
    Lawsuit,
    LegalAidApplication,
    Mediation,
    Party,
    Suspension,
    TribunalMember,
    Unit,
    User,
)
from disputes.sql_dates import days_between
from disputes.workflow.states import Approval, ArbitrationState, Finality, TribunalSeat

CHUNK = 2000


@dataclass
class Unmask:
    """Write full ID numbers for these cases (None: every case); `revealed` collects case id → party ids written."""

    case_ids: Container[int] | None = None
    revealed: dict[int, list[int]] = field(default_factory=dict)

    def shows(self, case_id: int) -> bool:
        return self.case_ids is None or case_id in self.case_ids


LAWSUIT_OUTCOMES = {"judgment": "judgment", "court_mediation": "court_mediation", "withdrawal": "withdrawn"}


def text(value) -> str:
    """A value as the ledger writes it."""
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value.is_finite() else ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return str(value)


def _by_case(session: Session, query, ids: list[int]) -> dict[int, list]:
    found = defaultdict(list)
    for row in session.execute(query.where(query.selected_columns[0].in_(ids))):
        found[row[0]].append(row)
    return found


def rows_for(
    session: Session,
    case_ids: list[int],
    unmask: Unmask | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """(case id, ledger row) for the given cases, in the order given; ID numbers masked but where `unmask` says."""
    for first in range(0, len(case_ids), CHUNK):
        ids = case_ids[first : first + CHUNK]
        yield from _chunk(session, ids, unmask)


def _chunk(session: Session, ids: list[int], unmask: Unmask | None) -> Iterator[tuple[int, dict[str, str]]]:
    cases = {
        r.id: r
        for r in session.execute(
            sa.select(Case.id, Case.registry_no, Unit.code, Case.registered_on, Case.worker_count, Case.migrant_wage)
            .join(Unit, Unit.id == Case.unit_id)
            .where(Case.id.in_(ids))
        )
    }
    parties = _by_case(
        session,
        sa.select(
            Party.case_id,
            Party.side,
            Party.kind,
            Party.name,
            Party.id_number,
            Party.credit_code,
            Party.position,
            Party.id,
        ).order_by(Party.position),
        ids,
    )
    claims = _by_case(
        session,
        sa.select(
            Claim.case_id,
            Claim.id,
            Claim.category,
            Claim.amount,
            Claim.dispute_cause,
            Claim.outcome,
            Claim.resolved_amount,
            Claim.recovered_amount,
        ).order_by(Claim.position, Claim.id),
        ids,
    )
    mediations = _by_case(
        session,
        sa.select(
            Mediation.case_id, Mediation.applied_on, Mediation.ended_on, Mediation.state, User.username
        ).outerjoin(User, User.id == Mediation.mediator_id),
        ids,
    )
    aid = _by_case(
        session,
        sa.select(
            LegalAidApplication.case_id,
            LegalAidApplication.applied_on,
            LegalAidApplication.decided_on,
            LegalAidApplication.state,
        ).order_by(LegalAidApplication.id),
        ids,
    )
    arbitrations = _by_case(
        session,
        sa.select(
            Arbitration.case_id,
            Arbitration.id,
            Arbitration.received_on,
            Arbitration.accepted_on,
            Arbitration.closed_on,
            Arbitration.refused_on,
            Arbitration.state,
            Arbitration.closure_type,
        ),
        ids,
    )
    arb_ids = [r[0].id for r in arbitrations.values()]
    extra = _arbitration_extras(session, arb_ids)
    lawsuits = _by_case(
        session,
        sa.select(
            Lawsuit.case_id,
            Lawsuit.kind,
            Lawsuit.state,
            Lawsuit.plaintiff,
            Lawsuit.filed_on,
            Lawsuit.closed_on,
            Lawsuit.outcome,
            Lawsuit.court_case_no,
            Lawsuit.judged_on,
            Lawsuit.id,
        ).order_by(Lawsuit.id),
        ids,
    )
    results = _court_results(session, [suits[0].id for suits in lawsuits.values()])
    for case_id in ids:
        case = cases.get(case_id)
        if case is None:
            continue
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            registry_no=case.registry_no,
            unit_code=case.code,
            registered_on=text(case.registered_on),
            workers=text(case.worker_count),
            migrant_wage=text(case.migrant_wage),
        )
        people = parties.get(case_id, [])
        worker = next((p for p in people if p.side == "applicant" and p.kind == "worker"), None) or next(
            (p for p in people if p.side == "applicant"), None
        )
        employer = next((p for p in people if p.side == "respondent"), None)
        if worker:
            number = worker.id_number
            if number and unmask is not None and unmask.shows(case_id):
                unmask.revealed.setdefault(case_id, []).append(worker.id)
            else:
                number = identity.mask_resident_id(number)
            row.update(applicant_name=worker.name, applicant_id_no=text(number))
        if employer:
            row.update(respondent_name=employer.name, respondent_credit_code=text(employer.credit_code))
        found = claims.get(case_id, [])
        row["claim_categories"] = text(list(dict.fromkeys(str(c.category) for c in found)))
        amounts = [c.amount for c in found if c.amount is not None]
        row["claim_amount"] = text(sum(amounts, Decimal(0)) if amounts else None)
        firsts: dict[str, object] = {}
        for claim in found:  # each category's first claim, in the order of claim_categories
            firsts.setdefault(str(claim.category), claim)
        distinct = list(firsts.values())
        for column, attribute in (("claim_causes", "dispute_cause"), ("claim_outcomes", "outcome")):
            values = [getattr(c, attribute) or "" for c in distinct]
            row[column] = LIST_SEPARATOR.join(values) if any(values) else ""
        for column in ("resolved_amount", "recovered_amount"):
            given = [getattr(c, column) for c in found if getattr(c, column) is not None]
            row[column] = text(sum(given, Decimal(0)) if given else None)
        for m in mediations.get(case_id, [])[:1]:
            ended = m.state in ("agreement", "failed", "withdrawn", "lapsed")
            row.update(
                mediation_received_on=text(m.applied_on),
                mediation_ended_on=text(m.ended_on),
                mediation_outcome=str(m.state) if ended else "",
                mediator=text(m.username),
            )
        for a in aid.get(case_id, [])[:1]:
            decision = (
                "refused"
                if a.state in ("refused", "objection", "refusal_upheld")
                else ("granted" if a.decided_on else "")
            )
            row.update(
                legal_aid_applied_on=text(a.applied_on),
                legal_aid_decided_on=text(a.decided_on),
                legal_aid_decision=decision,
            )
        for a in arbitrations.get(case_id, [])[:1]:
            row.update(_arbitration_columns(a, extra.get(a.id, {})))
        for s in lawsuits.get(case_id, [])[:1]:
            row.update(_lawsuit_columns(s, distinct, results.get(s.id, {})))
        yield case_id, row


def _arbitration_extras(session: Session, arb_ids: list[int]) -> dict[int, dict]:
    extra: dict[int, dict] = defaultdict(dict)
    if not arb_ids:
        return extra
    for arb_id, days in session.execute(
        sa.select(Suspension.arbitration_id, sa.func.sum(days_between(Suspension.started_on, Suspension.ended_on)))
        .where(
            Suspension.arbitration_id.in_(arb_ids),
            Suspension.state == Approval.APPROVED,
            Suspension.ended_on.is_not(None),
        )
        .group_by(Suspension.arbitration_id)
    ):
        extra[arb_id]["suspended_days"] = int(days or 0)
    for arb_id, days in session.execute(
        sa.select(Extension.arbitration_id, sa.func.sum(Extension.days))
        .where(Extension.arbitration_id.in_(arb_ids), Extension.state == Approval.APPROVED)
        .group_by(Extension.arbitration_id)
    ):
        extra[arb_id]["extension_days"] = int(days or 0)
    for arb_id, username, seat in session.execute(
        sa.select(TribunalMember.arbitration_id, User.username, TribunalMember.seat)
        .join(User, User.id == TribunalMember.user_id)
        .where(TribunalMember.arbitration_id.in_(arb_ids))
    ):
        if seat in (TribunalSeat.SOLE, TribunalSeat.PRESIDING):
            extra[arb_id]["arbitrator"] = username
    for arb_id, finality in session.execute(
        sa.select(Award.arbitration_id, Award.finality).where(
            Award.arbitration_id.in_(arb_ids), Award.partial.is_(False)
        )
    ):
        extra[arb_id].setdefault("finalities", set()).add(finality)
    return extra


def _arbitration_columns(a, extra: dict) -> dict[str, str]:
    closure = ""
    if a.state == ArbitrationState.REFUSED:
        closure = "refused"
    elif a.state == ArbitrationState.CLOSED and a.closure_type:
        closure = str(a.closure_type)
        if closure == "award":
            kinds = extra.get("finalities", set())
            closure = (
                "award_mixed" if len(kinds) > 1 else ("award_final" if Finality.FINAL in kinds else "award_nonfinal")
            )
    closed_on = a.refused_on if a.state == ArbitrationState.REFUSED else a.closed_on
    return {
        "arbitration_received_on": text(a.received_on),
        "arbitration_accepted_on": text(a.accepted_on),
        "arbitration_closed_on": text(closed_on),
        "arbitration_closure": closure,
        "suspended_days": text(extra.get("suspended_days") or None),
        "extension_days": text(extra.get("extension_days") or None),
        "arbitrator": extra.get("arbitrator", ""),
    }


def _court_results(session: Session, lawsuit_ids: list[int]) -> dict[int, dict[int, tuple[str, date]]]:
    """lawsuit id → claim id → (the court's result, its date): the first recorded on each claim."""
    found: dict[int, dict[int, tuple[str, date]]] = defaultdict(dict)
    r = CourtItemResult
    for first in range(0, len(lawsuit_ids), CHUNK):
        for lawsuit_id, claim_id, ruling, decided_on in session.execute(
            sa.select(r.lawsuit_id, r.claim_id, r.ruling, r.decided_on)
            .where(r.lawsuit_id.in_(lawsuit_ids[first : first + CHUNK]), r.claim_id.is_not(None))
            .order_by(r.id)
        ):
            found[lawsuit_id].setdefault(claim_id, (str(ruling), decided_on))
    return found


def _lawsuit_columns(s, claims: list, results: dict[int, tuple[str, date]]) -> dict[str, str]:
    """The lawsuit's columns; its per-item results only when the lawsuit is decided and every claim written (each
    category's first) has one, as the import wants them, dated by the judgment they come from."""
    if s.kind == "revocation":
        outcome = str(s.state) if s.state in ("revoked", "upheld") else ""
    else:
        outcome = LAWSUIT_OUTCOMES.get(str(s.outcome), "") if s.closed_on and s.outcome else ""
    found = [results.get(claim.id) for claim in claims]
    complete = bool(outcome) and bool(found) and all(found)
    judged_on = max(day for _ruling, day in found) if complete else s.judged_on
    return {
        "litigation_filed_on": text(s.filed_on),
        "litigation_closed_on": text(s.closed_on if outcome else None),
        "litigation_by": str(s.plaintiff),
        "litigation_outcome": outcome,
        "litigation_case_no": s.court_case_no or "",
        "litigation_judged_on": text(judged_on if outcome and judged_on and judged_on <= s.closed_on else None),
        "litigation_item_results": LIST_SEPARATOR.join(ruling for ruling, _day in found) if complete else "",
    }


def case_ids(session: Session, query: sa.Select) -> list[int]:
    """The ids of a case query (e.g. the case list's filtered query), oldest first."""
    ids = query.with_only_columns(Case.id).order_by(None).subquery()
    return list(
        session.scalars(
            sa.select(Case.id).where(Case.id.in_(sa.select(ids.c.id))).order_by(Case.registered_on, Case.id)
        )
    )


def to_csv(rows: Iterable[dict[str, str]], stream: io.TextIOBase) -> int:
    """Write the header and rows (UTF-8 with a BOM, as spreadsheet programs expect); return the row count.
    A cell a spreadsheet would take for a formula gets a leading quote (formula.py; the import removes it)."""
    stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    escape = formula.escape
    for row in rows:
        writer.writerow([escape(row[c]) for c in COLUMNS])
        count += 1
    return count


def to_xlsx(rows: Iterable[dict[str, str]], path_or_stream) -> int:
    """One sheet, every cell a string (dates too: the import reads them back as written). openpyxl takes a
    string beginning with “=” for a formula: such cells are written with the string type instead."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("ledger")
    sheet.append(list(COLUMNS))
    count = 0

    def cell(value: str):
        if not formula.is_formula(value):
            return value
        written = WriteOnlyCell(sheet, value=value)
        written.data_type = "s"
        return written

    for row in rows:
        sheet.append([cell(row[c]) for c in COLUMNS])
        count += 1
    book.save(path_or_stream)
    return count
