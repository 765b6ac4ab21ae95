"""The documents that end an arbitration on the merits: the mediation statement and the award(s).

A mixed award is two Award rows (awards.py), so it yields two documents, 之一 and 之二,
each with its own items and its own wording on finality and the right to sue (Law Art 47–50).
"""
from __future__ import annotations

from typing import Any

from disputes.documents.catalogue import Subject, document
from disputes.documents.context import msgid
from disputes.documents.kinds.arbitration import arbitration_context, case_number
from disputes.i18n import N_, DomainError
from disputes.models import Award, Case
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


@document("arb_mediation_statement", N_("Arbitration mediation statement"), family=None,
          track="arbitration", subjects=_statement, order=390, number=case_number,
          dated=lambda s, case, subject: case.arbitration.closure_act_on or case.arbitration.closure_requested_on)
def mediation_statement(session, case: Case, subject: Subject) -> dict:
    """仲裁调解书: the agreed result as recorded at closure, one paragraph per line (Law Art 42)."""
    arbitration = case.arbitration
    lines = [line.strip() for line in (arbitration.closure_note or "").splitlines() if line.strip()]
    return {"arbitration": arbitration_context(arbitration), "terms": numbered(lines)}


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
        for a in arbitration.awards if a.partial or closing
    ]


def _period(session, rule_id: str) -> int:
    return current_rules(session)[rule_id].period


def item_context(item) -> dict[str, Any]:
    return {"category": msgid(item.category), "text": item.text, "amount": item.amount,
            "claim": item.claim.description if item.claim else ""}


def award_number(session, case: Case, subject: Subject) -> str:
    """The award's own number (the case number, 之一/之二 for the halves of a mixed award), given at approval."""
    if not subject.obj.number:
        raise DomainError(N_("The award is numbered when the closure is approved; issue it after the approval."))
    return subject.obj.number


@document("arb_award", N_("Arbitration award"), family=None, track="arbitration", subjects=_awards,
          order=400, number=award_number, dated=lambda s, case, subject: subject.obj.awarded_on)
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
        "award_claims": [{"category": msgid(c.category), "amount": c.amount, "description": c.description}
                         for c in claims],
        # The periods as the deadline rules hold them (Law Art 48–50), the ones the parties' timers run.
        "worker_sue_days": _period(session, "litigation.sue_nonfinal" if award.finality == Finality.NON_FINAL
                                   else "litigation.worker_sue_final"),
        "employer_revoke_days": _period(session, "litigation.employer_revoke"),
    }
