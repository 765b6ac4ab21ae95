"""The demo's claim items as the statistics read them (issue 17): the operations of the replay have filled each
decided claim's outcome and agreed or awarded amount; here what the demo's people would have recorded besides —
the amounts recovered on awards (no performance record exists for them), a cause recorded against its category's
default, and in multi-worker cases the worker each claim belongs to (issue 16)."""

from __future__ import annotations

import random
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes.metrics.causes import cause_of_category
from disputes.models import Arbitration, Case, Claim
from disputes.models.enums import ClaimCategory, ClaimOutcome, DisputeCause, PartyKind
from disputes.workflow.states import ClosureType

DECIDED = (ClaimOutcome.SUPPORTED.value, ClaimOutcome.PARTLY_SUPPORTED.value, ClaimOutcome.MEDIATED.value)


def record_claim_items(session: Session, seed: int) -> None:
    rng = random.Random(seed + 17)
    awarded = session.scalars(
        sa.select(Claim)
        .join(Arbitration, Arbitration.case_id == Claim.case_id)
        .where(
            Arbitration.closure_type.in_([ClosureType.AWARD, ClosureType.MEDIATION_STATEMENT]),
            Claim.outcome.in_(DECIDED),
            Claim.resolved_amount.is_not(None),
            Claim.recovered_amount.is_(None),
        )
        .order_by(Claim.id)
    ).all()
    for claim in awarded:  # most paid in full, some in part, some not yet
        share = rng.choice((Decimal(1), Decimal(1), Decimal(1), Decimal("0.5"), Decimal(0)))
        claim.recovered_amount = (claim.resolved_amount * share).quantize(Decimal("0.01"))
    # The clerk records each claim's cause as the form counts it: its category's, except some overtime claims that
    # are about rest days and leave (休息休假) rather than pay.
    for claim in session.scalars(sa.select(Claim).order_by(Claim.id)):
        overtime = claim.category == ClaimCategory.OVERTIME
        claim.dispute_cause = (
            DisputeCause.WORKING_TIME.value
            if overtime and rng.random() < 0.3
            else cause_of_category(claim.category).value
        )
    for case in session.scalars(sa.select(Case).where(Case.worker_count > 1).order_by(Case.id)):
        workers = [p for p in case.applicants if p.kind == PartyKind.WORKER]
        if len(workers) > 1:
            for index, claim in enumerate(case.claims):
                claim.party = workers[index % len(workers)]
    session.flush()
