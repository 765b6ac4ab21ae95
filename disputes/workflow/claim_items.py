"""Claim items as data: each claim's outcome (支持/部分支持/驳回/调解/撤回) and amounts, filled by the operations
that decide them (an award, a mediation agreement or statement, a withdrawal), read by the statistical tables."""

from __future__ import annotations

from decimal import Decimal

from disputes.i18n import N_, DomainError
from disputes.metrics.causes import cause_of_category
from disputes.models.enums import ClaimOutcome, DisputeCause
from disputes.workflow.states import ClosureType

WITHDRAWALS = (ClosureType.WITHDRAWN, ClosureType.DEEMED_WITHDRAWN)


def cause_of(claim) -> str:
    """The claim's dispute cause: its own, else its category's through the mapping (statistical_codes.json)."""
    return claim.dispute_cause or cause_of_category(claim.category).value


def check_cause(value: str | None) -> str | None:
    if value is not None and value not in {c.value for c in DisputeCause}:
        raise DomainError(N_("Choose a dispute cause from the list."), field="dispute_cause")
    return value


def awarded_outcome(claimed: Decimal | None, awarded: Decimal | None, granted: bool) -> ClaimOutcome:
    """An award line's outcome for its claim: all of a money claim's amount (or a non-money claim granted) is
    supported, part of it partly supported, nothing rejected."""
    if awarded is None:
        return ClaimOutcome.SUPPORTED if granted else ClaimOutcome.REJECTED
    if awarded <= 0:
        return ClaimOutcome.REJECTED
    if claimed is None or awarded >= claimed:
        return ClaimOutcome.SUPPORTED
    return ClaimOutcome.PARTLY_SUPPORTED


def after_award(claims, lines: dict[int, tuple[Decimal | None, bool]]) -> None:
    """`lines`: per claim id, (the amount its award lines give, whether any line was written for it); a claim no
    line speaks of is rejected (Rules: the award decides every claim)."""
    for claim in claims:
        total, written = lines.get(claim.id, (None, False))
        claim.outcome = awarded_outcome(claim.amount, total, written).value


def after_mediation(claims, settled_ids: set[int]) -> None:
    """An agreement or a mediation statement: the claims it settles are mediated; with no term naming a claim, all."""
    for claim in claims:
        if not settled_ids or claim.id in settled_ids:
            claim.outcome = ClaimOutcome.MEDIATED.value


def after_closure(claims, closure_type: ClosureType | None) -> None:
    """A withdrawal withdraws every claim still undecided."""
    if closure_type in WITHDRAWALS:
        for claim in claims:
            if claim.outcome is None:
                claim.outcome = ClaimOutcome.WITHDRAWN.value


def undo(claims) -> None:
    """A rejected closure: what it decided is undecided again (an earlier agreement's terms stay mediated)."""
    for claim in claims:
        if claim.outcome != ClaimOutcome.MEDIATED.value or claim.resolved_amount is None:
            claim.outcome = None


def after_performance(claims, paid_total: Decimal, fully: bool) -> None:
    """An agreement's performance recorded: a performed agreement recovered what each claim was agreed; otherwise
    what the paid instalments add up to, shared among the agreed claims pro rata to their agreed amounts."""
    agreed = [c for c in claims if c.resolved_amount]
    total = sum((c.resolved_amount for c in agreed), Decimal(0))
    for claim in agreed:
        if fully:
            claim.recovered_amount = claim.resolved_amount
        elif total > 0:
            claim.recovered_amount = min(claim.resolved_amount, paid_total * claim.resolved_amount / total).quantize(
                Decimal("0.01")
            )


def record_facts(session, actor, claim, dispute_cause: str | None, recovered: Decimal | None) -> bool:
    """A claim's dispute cause (None: its category's) and the amount actually recovered, entered by hand (the
    performance records of an award are kept outside the system; an agreement's fill it by `after_performance`).
    Recovered is at most what was agreed or awarded, else what was claimed. True when something changed."""
    from disputes import policy
    from disputes.workflow import timeline

    case = claim.case
    if not policy.can_edit_parties(actor, case):
        raise DomainError(N_("Your role does not allow this step."))
    check_cause(dispute_cause)
    if recovered is not None:
        ceiling = claim.resolved_amount if claim.resolved_amount is not None else claim.amount
        if recovered < 0 or (ceiling is not None and recovered > ceiling):
            raise DomainError(
                N_("The amount recovered cannot exceed what was agreed or awarded (or claimed)."),
                field="recovered_amount",
            )
    before = {"dispute_cause": claim.dispute_cause, "recovered_amount": _text(claim.recovered_amount)}
    after = {"dispute_cause": dispute_cause, "recovered_amount": _text(recovered)}
    if before == after:
        return False
    claim.dispute_cause, claim.recovered_amount = dispute_cause, recovered
    timeline.record(session, case, actor, "claim_facts_changed", before={"claim": claim.id, **before}, after=after)
    session.flush()
    return True


def _text(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.2f}"
