"""What each term of a figure means in SQL: per track table, the rows a set of periods needs (`base`), and a
condition per term (`conditions`); a term's count is SUM(CASE WHEN condition THEN 1 END) over those rows, its
drill-down the same rows WHERE condition — one definition for both, so the lists always match the counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from disputes.metrics.scope import Period, Scope
from disputes.models import (
    Arbitration,
    Award,
    Case,
    CaseAssignment,
    Claim,
    Lawsuit,
    LegalAidApplication,
    Mediation,
    Party,
    Role,
    SlaTimer,
    Suspension,
)
from disputes.models.enums import PartyKind
from disputes.sla.states import TimerStatus
from disputes.sql_dates import days_between
from disputes.workflow.states import (
    LEGAL_AID_DECIDED,
    Approval,
    CaseStatus,
    ClosureType,
    Finality,
    MediationState,
)

ARBITRATION, MEDIATION, CASES, LEGAL_AID, TIMERS = "arbitration", "mediation", "cases", "legal_aid", "timers"
AWARDS = "awards"  # arbitrations with an award in the period, selected from the awards' date index
DUE = "award_due"  # arbitrations whose award deadline falls in the period, selected from the timers' due dates
ARBITRATION_ROWS = (ARBITRATION, AWARDS, DUE)  # the sources whose rows are arbitrations
WITHDRAWALS = (ClosureType.MEDIATION_STATEMENT, ClosureType.WITHDRAWN, ClosureType.DEEMED_WITHDRAWN)
COMPLETED = (TimerStatus.MET, TimerStatus.MET_LATE)
AWARD_RULE = "arbitration.award"
# The periods in which a party may go to court against an award (deadlines.md), one per party and rule, each started
# when the award is served on that party (subject_id = the party); old data has one per case (subject_id NULL).
RIGHT_TO_SUE = ("litigation.worker_sue_final", "litigation.employer_revoke", "litigation.sue_nonfinal")
PRINCIPALS = (PartyKind.WORKER, PartyKind.EMPLOYER)  # the parties who have such a period (not agents)
FOREVER = "9999-12-31"  # the cells' last right-to-sue day of an award some party has not been served yet
# Aliases made once (an ORM alias costs more to build than the statements using it take to run on small data).
NEWER_TIMER = sa.orm.aliased(SlaTimer, name="newer_timer")
CLOSED = sa.orm.aliased(Arbitration, name="closed_arbitration")


def _within(column, period: Period) -> sa.ColumnElement[bool]:
    return column.between(period.start, period.end)


# The per-row facts below are uncorrelated IN (subquery) tests: PostgreSQL hashes the subquery once per statement
# (a "hashed SubPlan", given the work_mem compute.py sets) instead of probing an index for every row.


def _not_sued(case_id, as_of: date) -> sa.ColumnElement[bool]:
    """No lawsuit (nor revocation application) filed by `as_of`: a right to sue still running counts as not taken."""
    return case_id.not_in(sa.select(Lawsuit.case_id).where(Lawsuit.filed_on <= as_of))


def award_timer(timer) -> list[sa.ColumnElement[bool]]:
    """`timer` (SlaTimer or an alias) is its case's award deadline: the newest by id of its `arbitration.award`
    timers that are not cancelled (a restart cancels the old timer and starts a new one). Its due_on already counts
    suspensions and extensions; a paused timer has none."""
    newer = NEWER_TIMER
    return [
        timer.rule_id == AWARD_RULE,
        timer.status != TimerStatus.CANCELLED,
        ~sa.exists().where(
            newer.case_id == timer.case_id,
            newer.rule_id == AWARD_RULE,
            newer.status != TimerStatus.CANCELLED,
            newer.id > timer.id,
        ),
    ]


def closed_by_deadline(closed_on, timer) -> sa.ColumnElement[bool]:
    """Closed on or before the award deadline: the closing act's date (closed_on, never the approval's) against
    the timer's due date; a timer completed while paused had no deadline running, and ended `met`."""
    return sa.and_(closed_on.is_not(None), sa.or_(timer.status == TimerStatus.MET, closed_on <= timer.due_on))


def _on_time(period: Period) -> sa.ColumnElement[bool]:
    """Closed in the period by the case's award deadline (uncorrelated: the cases closed in the period that were)."""
    t, a = SlaTimer, CLOSED
    return Arbitration.case_id.in_(
        sa.select(t.case_id)
        .join(a, a.case_id == t.case_id)
        .where(*award_timer(t), _within(a.closed_on, period), closed_by_deadline(a.closed_on, t))
    )


def _due(start: date, end: date, closed: bool = False) -> sa.ColumnElement[bool]:
    """The case's award deadline falls in [start, end] (and, with `closed`, the case was closed by it)."""
    t = SlaTimer
    stmt = sa.select(t.case_id).where(*award_timer(t), t.due_on.between(start, end))
    if closed:
        a = CLOSED
        stmt = stmt.join(a, a.case_id == t.case_id).where(closed_by_deadline(a.closed_on, t))
    return Arbitration.case_id.in_(stmt)


def right_to_sue_open(case_id, as_of: date, award_closed: sa.Select) -> sa.ColumnElement[bool]:
    """Some party may still go to court on `as_of`: a right-to-sue period of the case runs until then or later, or a
    principal party has none yet (not served; a period without a subject covers every party). `award_closed`: the
    cases closed by award that are asked about, to bound the parties read."""
    t, p = SlaTimer, Party
    running = sa.select(t.case_id).where(
        t.rule_id.in_(RIGHT_TO_SUE), t.status != TimerStatus.CANCELLED, t.due_on >= as_of
    )
    covered = sa.exists().where(
        t.case_id == p.case_id, t.rule_id.in_(RIGHT_TO_SUE), sa.or_(t.subject_id.is_(None), t.subject_id == p.id)
    )
    unserved = sa.select(p.case_id).where(p.kind.in_(PRINCIPALS), p.case_id.in_(award_closed), ~covered)
    return sa.or_(case_id.in_(running), case_id.in_(unserved))


def _timer_met(rule_id: str, column, by_subject: bool = False) -> sa.ColumnElement[bool]:
    """The row's timer of `rule_id` ended on time (`met`): by case, or by the row it is about (`subject_id`)."""
    key = SlaTimer.subject_id if by_subject else SlaTimer.case_id
    return column.in_(
        sa.select(key).where(SlaTimer.rule_id == rule_id, SlaTimer.status == TimerStatus.MET, key.is_not(None))
    )


def case_categories(case_id, postgres: bool, cases: sa.Select | None = None):
    """(from, on, category): a counted row's case's distinct claim categories to join, so a case with two claims of
    one category counts once in it. PostgreSQL gets them per row through LATERAL (index probes by case); SQLite,
    which has no LATERAL, (case, category) pairs made distinct — of `cases` only, when given."""
    if postgres:
        pairs = sa.select(Claim.category).where(Claim.case_id == case_id).distinct().lateral("claim_categories")
        return pairs, sa.true(), pairs.c.category
    among = [Claim.case_id.in_(cases)] if cases is not None else []
    pairs = sa.select(Claim.case_id, Claim.category).where(*among).distinct().subquery("claim_categories")
    return pairs, pairs.c.case_id == case_id, pairs.c.category


def suspended_days() -> sa.Subquery:
    """Approved suspensions per arbitration: the days of those that ended, and the start of one that has not (it
    counts up to the closure, which the outer query knows); read from the small suspensions table alone."""
    ended = Suspension.ended_on.is_not(None)
    return (
        sa.select(
            Suspension.arbitration_id,
            sa.func.sum(sa.case((ended, days_between(Suspension.started_on, Suspension.ended_on)), else_=0)).label(
                "days"
            ),
            sa.func.min(sa.case((~ended, Suspension.started_on))).label("open_since"),
        )
        .where(Suspension.state == Approval.APPROVED, Suspension.started_on.is_not(None))
        .group_by(Suspension.arbitration_id)
        .subquery("suspended")
    )


@dataclass(frozen=True)
class Source:
    name: str
    model: type
    unit_col: sa.ColumnElement
    case_col: sa.ColumnElement
    row_col: sa.ColumnElement

    def base(self, start: date, end: date) -> sa.ColumnElement[bool]:
        return BASES[self.name](start, end)

    def conditions(self, period: Period, as_of: date) -> dict[str, sa.ColumnElement[bool]]:
        return CONDITIONS[self.name](period, as_of)

    def scope_clauses(self, scope: Scope) -> list[sa.ColumnElement[bool]]:
        clauses = []
        if scope.unit_ids is not None:
            clauses.append(self.unit_col.in_(scope.unit_ids))
        if scope.person_id is not None:
            clauses.append(person_clause(self.name, scope.person_id))
        if scope.category:
            clauses.append(self.case_col.in_(sa.select(Claim.case_id).where(Claim.category == scope.category)))
        flags = [getattr(Case, flag).is_(True) for flag in ("green_channel", "collective") if getattr(scope, flag)]
        if flags:
            clauses.append(
                sa.and_(*flags) if self.name == CASES else self.case_col.in_(sa.select(Case.id).where(*flags))
            )
        return clauses


SOURCES = {
    ARBITRATION: Source(ARBITRATION, Arbitration, Arbitration.unit_id, Arbitration.case_id, Arbitration.id),
    AWARDS: Source(AWARDS, Arbitration, Arbitration.unit_id, Arbitration.case_id, Arbitration.id),
    DUE: Source(DUE, Arbitration, Arbitration.unit_id, Arbitration.case_id, Arbitration.id),
    MEDIATION: Source(MEDIATION, Mediation, Mediation.unit_id, Mediation.case_id, Mediation.id),
    CASES: Source(CASES, Case, Case.unit_id, Case.id, Case.id),
    LEGAL_AID: Source(
        LEGAL_AID, LegalAidApplication, LegalAidApplication.unit_id, LegalAidApplication.case_id, LegalAidApplication.id
    ),
    TIMERS: Source(TIMERS, SlaTimer, SlaTimer.unit_id, SlaTimer.case_id, SlaTimer.id),
}


def _arbitrators_of(person_id: int) -> sa.Select:
    return sa.select(CaseAssignment.case_id).where(
        CaseAssignment.user_id == person_id, CaseAssignment.role == Role.ARBITRATOR
    )


def person_clause(source: str, person_id: int) -> sa.ColumnElement[bool]:
    """Whose figure a row is: the arbitrator(s) assigned to the case, the mediator, the legal-aid officer who
    decided, the person a timer holds responsible; for a case, anyone assigned to it."""
    if source in ARBITRATION_ROWS:
        return Arbitration.case_id.in_(_arbitrators_of(person_id))
    if source == MEDIATION:
        return Mediation.mediator_id == person_id
    if source == LEGAL_AID:
        return LegalAidApplication.decided_by_id == person_id
    if source == TIMERS:
        return SlaTimer.responsible_id == person_id
    return Case.id.in_(sa.select(CaseAssignment.case_id).where(CaseAssignment.user_id == person_id))


def _arbitration_base(start, end):
    a = Arbitration
    return sa.and_(
        a.accepted_on.is_not(None), a.accepted_on <= end, sa.or_(a.closed_on.is_(None), a.closed_on >= start)
    )


def _arbitration(period: Period, as_of: date) -> dict:
    a = Arbitration
    closed = sa.and_(a.accepted_on.is_not(None), _within(a.closed_on, period))
    not_sued = _not_sued(a.case_id, as_of)
    by_award = sa.and_(a.closure_type.is_not(None), a.closure_type == ClosureType.AWARD)
    other = CLOSED
    closed_by_award = sa.select(other.case_id).where(
        other.closure_type == ClosureType.AWARD, _within(other.closed_on, period)
    )
    # Closed by award, nobody has gone to court yet, and somebody still may (metrics.md: 起诉期未满).
    pending = sa.and_(closed, by_award, not_sued, right_to_sue_open(a.case_id, as_of, closed_by_award))
    return {
        "accepted": _within(a.accepted_on, period),
        "pending_start": sa.and_(
            a.accepted_on < period.start, sa.or_(a.closed_on.is_(None), a.closed_on >= period.start)
        ),
        "closed": closed,
        "pending_end": sa.and_(a.accepted_on <= period.end, sa.or_(a.closed_on.is_(None), a.closed_on > period.end)),
        "opened": a.accepted_on <= period.end,  # pending_start + accepted, as one condition for the drill-down
        "on_time": sa.and_(closed, _on_time(period)),
        "by_statement": sa.and_(closed, a.closure_type == ClosureType.MEDIATION_STATEMENT),
        "by_award": sa.and_(closed, a.closure_type == ClosureType.AWARD),
        "by_other": sa.and_(closed, a.closure_type.not_in([ClosureType.MEDIATION_STATEMENT, ClosureType.AWARD])),
        "statement_or_withdrawal": sa.and_(closed, a.closure_type.in_(WITHDRAWALS)),
        # Final: nobody went to court and nobody still may — an award whose every period has lapsed, or a closure
        # without an award; the finality rate is over the closures less those still pending.
        "final": sa.and_(closed, not_sued, sa.not_(pending)),
        "not_pending": sa.and_(closed, sa.not_(pending)),
        "finality_pending": pending,
    }


def _awards_base(start, end):
    return Arbitration.id.in_(sa.select(Award.arbitration_id).where(Award.awarded_on.between(start, end)))


def _awards(period: Period, as_of: date) -> dict:
    """Per arbitration, so a mixed award (a final and a non-final document) is one award with a final item."""
    awards = sa.select(Award.arbitration_id).where(_within(Award.awarded_on, period))
    return {
        "awarded": Arbitration.id.in_(awards),
        "final_award": Arbitration.id.in_(awards.where(Award.finality == Finality.FINAL)),
    }


def closure_days(suspended: sa.Subquery) -> sa.ColumnElement:
    """Days from acceptance to closure less suspended days; `suspended` is `suspended_days()`, outer-joined."""
    a = Arbitration
    still_suspended = sa.func.coalesce(days_between(suspended.c.open_since, a.closed_on), 0)
    return days_between(a.accepted_on, a.closed_on) - sa.func.coalesce(suspended.c.days, 0) - still_suspended


def arbitration_days(period: Period, suspended: sa.Subquery) -> sa.ColumnElement:
    """`closure_days` for the rows closed in the period, 0 for the others."""
    a = Arbitration
    closed = sa.and_(a.accepted_on.is_not(None), _within(a.closed_on, period))
    return sa.case((closed, closure_days(suspended)), else_=0)


def _due_base(start, end):
    return _due(start, end)


def _award_due(period: Period, as_of: date) -> dict:
    """Per arbitration whose award deadline falls in the period, closed or open: closed by it or not. Closures are
    taken as recorded, like every other figure's (the as-of date judges lawsuits, periods and performance only)."""
    return {"due": _due(period.start, period.end), "due_closed": _due(period.start, period.end, closed=True)}


def _mediation_base(start, end):
    m = Mediation
    return sa.or_(m.ended_on.between(start, end), m.agreement_signed_on.between(start, end))


def _mediation(period: Period, as_of: date) -> dict:
    m = Mediation
    ended = _within(m.ended_on, period)
    signed = _within(m.agreement_signed_on, period)
    return {
        "ended": ended,
        "agreement": sa.and_(ended, m.state == MediationState.AGREEMENT),
        "signed": signed,
        "performed": sa.and_(
            signed,
            m.performance == "performed",
            sa.or_(m.performance_noted_on.is_(None), m.performance_noted_on <= as_of),
        ),
    }


def _cases_base(start, end):
    return sa.and_(Case.status == CaseStatus.CLOSED, Case.closed_on.between(start, end))


def _cases(period: Period, as_of: date) -> dict:
    ended = sa.and_(Case.status == CaseStatus.CLOSED, _within(Case.closed_on, period))
    return {"ended": ended, "ended_without_suit": sa.and_(ended, _not_sued(Case.id, as_of))}


def _legal_aid_base(start, end):
    return LegalAidApplication.decided_on.between(start, end)


def _legal_aid(period: Period, as_of: date) -> dict:
    la = LegalAidApplication
    decided = _within(la.decided_on, period)
    return {
        "decided": decided,
        "decided_on_time": sa.and_(decided, _timer_met("legal_aid.decide", la.id, by_subject=True)),
        "granted": sa.and_(decided, la.state.in_(sorted(LEGAL_AID_DECIDED))),
    }


def _timers_base(start, end):
    t = SlaTimer
    return sa.or_(
        t.breached_on.between(start, end), sa.and_(t.completed_on.between(start, end), t.status.in_(COMPLETED))
    )


def _timers(period: Period, as_of: date) -> dict:
    t = SlaTimer
    completed = sa.and_(t.status.in_(COMPLETED), _within(t.completed_on, period))
    return {
        "breached": _within(t.breached_on, period),
        "completed": completed,
        "completed_on_time": sa.and_(completed, t.status == TimerStatus.MET),
    }


BASES = {
    ARBITRATION: _arbitration_base,
    AWARDS: _awards_base,
    DUE: _due_base,
    MEDIATION: _mediation_base,
    CASES: _cases_base,
    LEGAL_AID: _legal_aid_base,
    TIMERS: _timers_base,
}
CONDITIONS = {
    ARBITRATION: _arbitration,
    AWARDS: _awards,
    DUE: _award_due,
    MEDIATION: _mediation,
    CASES: _cases,
    LEGAL_AID: _legal_aid,
    TIMERS: _timers,
}
