"""The documents that end an arbitration on the merits: the mediation statement and the award(s).

A mixed award is two Award rows (awards.py), so it yields two documents, 之一 and 之二,
each with its own items and its own wording on finality and the right to sue (Law Art 47–50).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from disputes.documents.catalogue import Subject, document
from disputes.documents.context import msgid
from disputes.documents.kinds.arbitration import arbitration_context, case_number
from disputes.i18n import N_, DomainError
from disputes.models import Award, Case, PartySide
from disputes.sla.rules import current_rules
from disputes.workflow.arbitration import chinese_ordinal
from disputes.workflow.states import ArbitrationState, ClosureType, Finality

ENDING = (ArbitrationState.CLOSING, ArbitrationState.CLOSED)
TITLES = {
    (False, 0): N_("Arbitration award"),
    (False, 1): N_("Arbitration award (part one)"),
    (False, 2): N_("Arbitration award (part two)"),
    (True, 0): N_("Partial arbitration award"),
    (True, 1): N_("Partial arbitration award (part one)"),
    (True, 2): N_("Partial arbitration award (part two)"),
}


def numbered(lines: list[str]) -> list[dict[str, Any]]:
    return [{"n": i, "n_zh": chinese_ordinal(i), "text": line} for i, line in enumerate(lines, start=1)]


def _statement(session, case: Case) -> list[Subject]:
    arbitration = getattr(case, "arbitration", None)
    if arbitration is None or arbitration.closure_type != ClosureType.MEDIATION_STATEMENT:
        return []
    return [Subject()] if arbitration.state in ENDING else []


@document(
    "arb_mediation_statement",
    N_("Arbitration mediation statement"),
    family=None,
    track="arbitration",
    subjects=_statement,
    order=390,
    number=case_number,
    dated=lambda s, case, subject: case.arbitration.closure_act_on or case.arbitration.closure_requested_on,
)
def mediation_statement(session, case: Case, subject: Subject) -> dict:
    """仲裁调解书 (Law Art 42): the agreed terms, each with who pays whom, how much and by when, so the statement
    can be enforced (Art 51); other agreed matters (and statements recorded before terms were kept) as lines."""
    arbitration = case.arbitration
    lines = [line.strip() for line in (arbitration.closure_note or "").splitlines() if line.strip()]
    terms = [term_context(t) for t in arbitration.statement_terms]
    numbered_terms = [{**t, "n": n, "n_zh": chinese_ordinal(n)} for n, t in enumerate(terms, start=1)]
    others = [
        {**line, "n": line["n"] + len(terms), "n_zh": chinese_ordinal(line["n"] + len(terms))}
        for line in numbered(lines)
    ]
    return {
        "arbitration": arbitration_context(arbitration),
        "terms": numbered_terms,
        "other_terms": others,
        "total": sum((t["amount"] for t in terms if t["amount"] is not None), Decimal(0)),
    }


def decision_of(award: Award) -> list[Award]:
    """The awards made together with this one: the final and non-final halves of one decision."""
    return [a for a in award.arbitration.awards if a.partial == award.partial and a.awarded_on == award.awarded_on]


def part_of(award: Award) -> int:
    """0 for a whole award, 1 (之一) or 2 (之二) for the halves of a mixed one, final first."""
    together = decision_of(award)
    if len(together) < 2:
        return 0
    return 1 + sorted(together, key=lambda a: (a.finality != Finality.FINAL, a.id)).index(award)


def award_key(award: Award) -> str:
    return f"{award.id}-{'final' if award.finality == Finality.FINAL else 'nonfinal'}"


def _awards(session, case: Case) -> list[Subject]:
    """A partial award as soon as it is made; the closing award once the closure with it is requested."""
    arbitration = getattr(case, "arbitration", None)
    if arbitration is None:
        return []
    closing = arbitration.closure_type == ClosureType.AWARD and arbitration.state in ENDING
    return [
        Subject(award_key(a), TITLES[(a.partial, part_of(a))], {}, a)
        for a in arbitration.awards
        if a.partial or closing
    ]


def _period(session, rule_id: str) -> int:
    return current_rules(session)[rule_id].period


ROLES = {PartySide.APPLICANT: N_("Applicant"), PartySide.RESPONDENT: N_("Respondent")}


def party_context(party) -> dict[str, str] | None:
    """A party as an obligor or obligee: its role (申请人/被申请人) and name; never an agent (templates print the
    agents under the party they act for)."""
    if party is None or party.is_agent:
        return None
    return {"role": ROLES[party.side], "name": party.name}


def days_words(days: int | None) -> str:
    return chinese_ordinal(days) if days else ""


def item_context(item) -> dict[str, Any]:
    """One awarded item with its enforceable term: who pays whom, how much, within how many days of effect."""
    return {
        "category": msgid(item.category),
        "text": item.text,
        "amount": item.amount,
        "claim": item.claim.description if item.claim else "",
        "obligor": party_context(item.obligor),
        "obligee": party_context(item.obligee),
        "due_days": item.due_days,
        "due_days_zh": days_words(item.due_days),
    }


def term_context(term) -> dict[str, Any]:
    """One mediation statement term: what, how much, who pays whom, by which date."""
    return {
        "category": msgid(term.claim.category) if term.claim else "",
        "description": term.description,
        "amount": term.amount,
        "obligor": party_context(term.obligor),
        "obligee": party_context(term.obligee),
        "due_on": term.due_on,
    }


def award_number(session, case: Case, subject: Subject) -> str:
    """The award's own number (the case number, 之一/之二 for the halves of a mixed award), given at approval."""
    if not subject.obj.number:
        raise DomainError(N_("The award is numbered when the closure is approved; issue it after the approval."))
    return subject.obj.number


@document(
    "arb_award",
    N_("Arbitration award"),
    family=None,
    track="arbitration",
    subjects=_awards,
    order=400,
    number=award_number,
    dated=lambda s, case, subject: subject.obj.awarded_on,
)
def award(session, case: Case, subject: Subject) -> dict:
    award = subject.obj
    items = [item_context(i) for i in award.items]
    claim_ids = [i.claim_id for i in award.items if i.claim_id is not None]
    claims = [c for c in case.claims if c.id in claim_ids] or list(case.claims)
    return {
        "title": TITLES[(award.partial, part_of(award))],
        "arbitration": arbitration_context(award.arbitration),
        "award": {
            "number": award.number or "",
            "final": award.finality == Finality.FINAL,
            "partial": award.partial,
            "part": part_of(award),
            "awarded_on": award.awarded_on,
            "reasons": award.reasons or "",
            "total": award.total,
            "with_amounts": any(i["amount"] is not None for i in items),
            "lines": [{**item, "n": n, "n_zh": chinese_ordinal(n)} for n, item in enumerate(items, start=1)],
        },
        "award_claims": [
            {"category": msgid(c.category), "amount": c.amount, "description": c.description} for c in claims
        ],
        # The periods as the deadline rules hold them (Law Art 48–50), the ones the parties' timers run.
        "worker_sue_days": _period(
            session,
            "litigation.sue_nonfinal" if award.finality == Finality.NON_FINAL else "litigation.worker_sue_final",
        ),
        "employer_revoke_days": _period(session, "litigation.employer_revoke"),
    }
