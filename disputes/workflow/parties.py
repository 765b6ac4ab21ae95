"""Whom a side's papers must reach (送达): the parties an award, a notice or a period is about."""

from __future__ import annotations

from disputes.models import Case, Party, PartyKind

PRINCIPAL_KINDS = frozenset({PartyKind.WORKER, PartyKind.EMPLOYER})


def principals_of(parties: list[Party]) -> list[Party]:
    """The workers and employers themselves (an agent may sign for them, which is recorded as service on the
    party), and only the elected representatives of a collective side (Rules Art 5)."""
    own = [p for p in parties if p.kind in PRINCIPAL_KINDS]
    representatives = [p for p in own if p.is_representative]
    return representatives or own


def principals(case: Case) -> list[Party]:
    """Both sides' principal parties, applicants first."""
    return principals_of(case.applicants) + principals_of(case.respondents)
