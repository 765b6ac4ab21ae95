"""Every figure of metrics.md as numerator and denominator terms (source, condition) — the spec's table as data."""

from __future__ import annotations

from dataclasses import dataclass

from disputes.i18n import N_
from disputes.metrics.sources import ARBITRATION, AWARDS, CASES, DUE, LEGAL_AID, MEDIATION, TIMERS

COUNT, RATE, AVERAGE = "count", "rate", "average"
DAYS = "days"  # the one summed measure that is not a count: arbitration days, suspended days excluded


@dataclass(frozen=True)
class Term:
    source: str
    condition: str


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    kind: str
    numerator: tuple[Term, ...]
    denominator: tuple[Term, ...] = ()


def _t(source: str, *conditions: str) -> tuple[Term, ...]:
    return tuple(Term(source, c) for c in conditions)


A, M = ARBITRATION, MEDIATION
FIGURES: tuple[Figure, ...] = (
    Figure("arbitration.accepted", N_("Arbitration cases accepted"), COUNT, _t(A, "accepted")),
    Figure("arbitration.pending_start", N_("Pending from the previous period"), COUNT, _t(A, "pending_start")),
    Figure("arbitration.closed", N_("Arbitration cases closed"), COUNT, _t(A, "closed")),
    Figure("arbitration.pending_end", N_("Pending at the end of the period"), COUNT, _t(A, "pending_end")),
    Figure(
        "arbitration.closure_rate",
        N_("Arbitration closure rate"),
        RATE,
        _t(A, "closed"),
        _t(A, "pending_start", "accepted"),
    ),
    Figure("arbitration.on_time_rate", N_("Closed on time"), RATE, _t(A, "on_time"), _t(A, "closed")),
    Figure("arbitration.due_closure_rate", N_("Due-date closure rate"), RATE, _t(DUE, "due_closed"), _t(DUE, "due")),
    Figure("arbitration.mediation_rate", N_("Arbitral mediation rate"), RATE, _t(A, "by_statement"), _t(A, "closed")),
    Figure(
        "arbitration.mediation_withdrawal_rate",
        N_("Mediation and withdrawal rate"),
        RATE,
        _t(A, "statement_or_withdrawal"),
        _t(A, "closed"),
    ),
    Figure(
        "arbitration.final_award_share", N_("Final award rate"), RATE, _t(AWARDS, "final_award"), _t(AWARDS, "awarded")
    ),
    Figure("arbitration.finality_rate", N_("Arbitration finality rate"), RATE, _t(A, "final"), _t(A, "not_pending")),
    Figure("arbitration.finality_pending", N_("Right to sue still running"), COUNT, _t(A, "finality_pending")),
    Figure("arbitration.average_days", N_("Average days to closure"), AVERAGE, _t(A, DAYS), _t(A, "closed")),
    Figure("mediation.closed", N_("Mediations ended"), COUNT, _t(M, "ended")),
    Figure("mediation.success_rate", N_("Mediation success rate"), RATE, _t(M, "agreement"), _t(M, "ended")),
    Figure("mediation.performance_rate", N_("Agreement performance rate"), RATE, _t(M, "performed"), _t(M, "signed")),
    Figure(
        "overall.mediation_rate",
        N_("Overall mediation rate"),
        RATE,
        (Term(A, "by_statement"), Term(M, "agreement")),
        (Term(A, "closed"), Term(M, "agreement")),
    ),
    Figure(
        "overall.mediation_success_rate",
        N_("Mediation success rate (all-inclusive)"),
        RATE,
        (Term(M, "agreement"), Term(A, "by_statement")),
        (Term(M, "ended"), Term(A, "closed")),
    ),
    Figure(
        "overall.pre_court_resolution_rate",
        N_("Resolved before court"),
        RATE,
        _t(CASES, "ended_without_suit"),
        _t(CASES, "ended"),
    ),
    Figure(
        "legal_aid.decided_on_time_rate",
        N_("Legal-aid decisions on time"),
        RATE,
        _t(LEGAL_AID, "decided_on_time"),
        _t(LEGAL_AID, "decided"),
    ),
    Figure("legal_aid.granted", N_("Legal aid granted"), COUNT, _t(LEGAL_AID, "granted")),
    Figure("sla.breaches", N_("Deadlines breached"), COUNT, _t(TIMERS, "breached")),
    Figure(
        "sla.on_time_rate", N_("Deadlines met on time"), RATE, _t(TIMERS, "completed_on_time"), _t(TIMERS, "completed")
    ),
)
BY_KEY = {f.key: f for f in FIGURES}
KEYS = tuple(f.key for f in FIGURES)


@dataclass(frozen=True)
class Value:
    """A figure's numerator and denominator (None for a count); `value` is None when the denominator is 0."""

    figure: Figure
    numerator: int | float
    denominator: int | None

    @property
    def key(self) -> str:
        return self.figure.key

    @property
    def value(self) -> int | float | None:
        if self.figure.kind == COUNT:
            return self.numerator
        if not self.denominator:
            return None
        return self.numerator / self.denominator


def evaluate(figure: Figure, counts: dict[Term, int | float]) -> Value:
    numerator = sum(counts.get(t, 0) for t in figure.numerator)
    denominator = sum(counts.get(t, 0) for t in figure.denominator) if figure.kind != COUNT else None
    return Value(figure, numerator, denominator)


def terms_of(source: str) -> list[str]:
    """The conditions of `source` that some figure uses (and so must be counted)."""
    seen = []
    for figure in FIGURES:
        for term in (*figure.numerator, *figure.denominator):
            if term.source == source and term.condition not in seen:
                seen.append(term.condition)
    return seen
