"""Simplified procedure and electronic service (issue 20): no deemed withdrawal or default award on a hearing notice
sent by link and never opened (no Flask; the rule in docs/decisions.md)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes.i18n import N_, DomainError
from disputes.models import DocumentService, ElectronicService, IssuedDocument
from disputes.workflow.states import ClosureType

HEARING_NOTICE = "arb_hearing_notice"


def unconfirmed_notice_problem(session: Session, arbitration, closure_type) -> DomainError | None:
    """Rules Art 56–61 (simplified procedure): a hearing notice sent by SMS or e-mail that the party did not confirm
    (never opened: no service recorded) supports neither a deemed withdrawal (the applicant absent) nor an award
    in the respondent's absence. The refusal names the party and says to serve the notice another way."""
    if not arbitration.simplified or closure_type not in (ClosureType.DEEMED_WITHDRAWN, ClosureType.AWARD):
        return None
    held = [h for h in arbitration.hearings if h.applicant_attended is not None]
    if not held:
        return None
    last = held[-1]
    case = arbitration.case
    absent = case.applicants if closure_type == ClosureType.DEEMED_WITHDRAWN else case.respondents
    if closure_type == ClosureType.DEEMED_WITHDRAWN and last.applicant_attended:
        return None
    if closure_type == ClosureType.AWARD and last.respondent_attended:
        return None
    for party in absent:
        pending = session.scalar(
            sa.select(ElectronicService.id)
            .join(IssuedDocument, IssuedDocument.id == ElectronicService.document_id)
            .where(
                ElectronicService.party_id == party.id,
                ElectronicService.opened_at.is_(None),
                IssuedDocument.kind == HEARING_NOTICE,
            )
            .limit(1)
        )
        served = session.scalar(
            sa.select(DocumentService.id)
            .join(IssuedDocument, IssuedDocument.id == DocumentService.document_id)
            .where(DocumentService.party_id == party.id, IssuedDocument.kind == HEARING_NOTICE)
            .limit(1)
        )
        if pending is not None and served is None:
            return DomainError(
                N_(
                    "Simplified procedure: the hearing notice sent electronically to %(name)s was never confirmed "
                    "(opened), so their absence supports neither a deemed withdrawal nor a default award (Rules Art "
                    "56–61). Serve the notice in person or by post and hold the hearing again."
                ),
                field="closure_type",
                name=party.name,
            )
    return None
