"""The supervisor's working reports — court outcomes (裁审衔接), workload, ageing — as sets of counted rows.

Each measure is a set of (case id, row key) pairs per group: its count is the set's size and its drill-down list is
the set itself, so a figure and its list cannot disagree. The rows come from a few small statements per report
(lawsuits, assignments, open cases of a unit subtree) grouped in Python; none of these reports reads the
million-case tables beyond the scope's open cases or the period's closures."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes.metrics.scope import Period, Scope
from disputes.models import (
    Absence,
    Arbitration,
    Award,
    Case,
    CaseAssignment,
    Claim,
    CourtItemResult,
    Extension,
    Hearing,
    Lawsuit,
    Mediation,
    MediationSession,
    Role,
    Suspension,
    TimelineEntry,
)
from disputes.workflow.states import (
    ARBITRATION_OPEN,
    DIFFERENT_RULINGS,
    MEDIATION_OPEN,
    Approval,
    CaseStatus,
    ClosureType,
    HearingState,
    ItemRuling,
    MediationState,
)

TOTAL = "total"
Row = tuple[int, str]  # (case id, what is counted: "case", "hearing-12", "award-3")
LOCAL = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Rate:
    key: str
    numerator: str
    denominator: str


@dataclass
class Report:
    """measure → group key → counted rows, per grouping; `values` holds what is not a count (days, dates)."""

    name: str
    measures: tuple[str, ...]
    rates: tuple[Rate, ...] = ()
    groups: dict[str, dict[object, dict[str, set[Row]]]] = field(default_factory=dict)
    values: dict[str, dict[object, dict[str, object]]] = field(default_factory=dict)

    def add(self, grouping: str, key, measure: str, row: Row) -> None:
        self.groups.setdefault(grouping, {}).setdefault(key, defaultdict(set))[measure].add(row)

    def rows(self, grouping: str, key, measure: str) -> set[Row]:
        return self.groups.get(grouping, {}).get(key, {}).get(measure, set())

    def count(self, grouping: str, key, measure: str) -> int:
        return len(self.rows(grouping, key, measure))

    def rate(self, grouping: str, key, rate: Rate) -> float | None:
        below = self.count(grouping, key, rate.denominator)
        return self.count(grouping, key, rate.numerator) / below if below else None

    def keys(self, grouping: str) -> list:
        return sorted((k for k in self.groups.get(grouping, {}) if k is not None), key=str)


def _local_bounds(period: Period) -> tuple[datetime, datetime]:
    start = datetime.combine(period.start, time.min, LOCAL)
    return start, datetime.combine(period.end + timedelta(days=1), time.min, LOCAL)


def _units(scope: Scope, column) -> list:
    return [column.in_(scope.unit_ids)] if scope.unit_ids is not None else []


def _arbitrators(session: Session, case_ids: set[int]) -> dict[int, set[int]]:
    """Each case's arbitrators (active or not: the one who decided the award counts after handing over)."""
    out: dict[int, set[int]] = defaultdict(set)
    if not case_ids:
        return out
    a = CaseAssignment
    for case_id, user_id in session.execute(
        sa.select(a.case_id, a.user_id).where(a.role == Role.ARBITRATOR, a.case_id.in_(sorted(case_ids)))
    ):
        out[case_id].add(user_id)
    return out


def _categories(session: Session, case_ids: set[int]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    if not case_ids:
        return out
    for case_id, category in session.execute(
        sa.select(Claim.case_id, Claim.category).where(Claim.case_id.in_(sorted(case_ids))).distinct()
    ):
        out[case_id].add(category.value if hasattr(category, "value") else category)
    return out


# --- court outcomes (裁审衔接) ----------------------------------------------------------------------------------

COURT_MEASURES = ("awards", "sued", "decided", "different", "upheld")
COURT_RATES = (
    Rate("suit_rate", "sued", "awards"),  # 仲裁后起诉率
    Rate("changed_rate", "different", "decided"),  # 撤裁改裁率
    Rate("upheld_rate", "upheld", "decided"),  # 维持率
)
COURT_GROUPINGS = ("arbitrator", "category", "unit")


def court(session: Session, scope: Scope, period: Period, as_of: date) -> Report:
    """Awards closed in the period and those taken to court by `as_of` (起诉率); the court decisions dated in the
    period, by whether the court changed or set aside any item (撤裁改裁) or upheld every one (维持). Grouped by the
    case's arbitrators, its claims' categories and the arbitration's unit (docs/decisions.md, "Court outcomes")."""
    report = Report("court", COURT_MEASURES, COURT_RATES)
    a = Arbitration
    awards = dict(
        session.execute(
            sa.select(a.case_id, a.unit_id).where(
                a.closure_type == ClosureType.AWARD,
                a.closed_on.between(period.start, period.end),
                *_units(scope, a.unit_id),
            )
        ).all()
    )
    sued = (
        set(
            session.scalars(
                sa.select(Lawsuit.case_id)
                .where(Lawsuit.case_id.in_(sorted(awards)), Lawsuit.filed_on <= as_of)
                .distinct()
            )
        )
        if awards
        else set()
    )
    rulings: dict[int, list[ItemRuling]] = defaultdict(list)
    units: dict[int, int] = {}
    r = CourtItemResult
    for case_id, unit_id, ruling in session.execute(
        sa.select(Lawsuit.case_id, a.unit_id, r.ruling)
        .join(Lawsuit, Lawsuit.id == r.lawsuit_id)
        .join(a, a.case_id == Lawsuit.case_id)
        .where(r.decided_on.between(period.start, period.end), r.decided_on <= as_of, *_units(scope, a.unit_id))
    ):
        rulings[case_id].append(ItemRuling(ruling))
        units[case_id] = unit_id
    units.update(awards)
    cases = set(awards) | set(rulings)
    by = {"arbitrator": _arbitrators(session, cases), "category": _categories(session, cases)}
    by["unit"] = {case_id: {unit_id} for case_id, unit_id in units.items()}

    def count(case_id: int, measure: str) -> None:
        row = (case_id, "case")
        report.add(TOTAL, TOTAL, measure, row)
        for grouping in COURT_GROUPINGS:
            for key in by[grouping].get(case_id, ()):
                report.add(grouping, key, measure, row)

    for case_id in awards:
        count(case_id, "awards")
        if case_id in sued:
            count(case_id, "sued")
    for case_id, found in rulings.items():
        count(case_id, "decided")
        if any(x in DIFFERENT_RULINGS for x in found):
            count(case_id, "different")
        elif all(x == ItemRuling.UPHELD for x in found):
            count(case_id, "upheld")
    return report


def decided_differently(session: Session, scope: Scope, period: Period, as_of: date) -> list[CourtItemResult]:
    """The items the court changed or set aside in the period, for the 裁审比对 meeting, by case."""
    r = CourtItemResult
    return list(
        session.scalars(
            sa.select(r)
            .join(Lawsuit, Lawsuit.id == r.lawsuit_id)
            .join(Arbitration, Arbitration.case_id == Lawsuit.case_id)
            .where(
                r.ruling.in_(sorted(DIFFERENT_RULINGS)),
                r.decided_on.between(period.start, period.end),
                r.decided_on <= as_of,
                *_units(scope, Arbitration.unit_id),
            )
            .order_by(Lawsuit.case_id, r.id)
        )
    )


# --- workload -----------------------------------------------------------------------------------------------

WORKLOAD_MEASURES = (
    "received",
    "closed",
    "by_award",
    "by_statement",
    "by_other",
    "mediation_ended",
    "mediation_agreement",
    "sessions",
    "hearings",
    "awards_written",
    "awards_changed",
    "open",
)
WORKLOAD_RATES = (Rate("mediation_rate", "mediated", "concluded"),)


def workload(session: Session, scope: Scope, period: Period, as_of: date) -> Report:
    """Per person: arbitrations (as arbitrator) and mediations (as mediator) received and closed in the period, by
    method; mediation sessions and hearings held; awards signed and those the court changed or set aside; the open
    caseload and its oldest case on `as_of`; average days to closure; days absent in the period."""
    report = Report("workload", (*WORKLOAD_MEASURES, "mediated", "concluded"), WORKLOAD_RATES)
    a, m, ca = Arbitration, Mediation, CaseAssignment
    arbitrators = sa.select(ca.case_id, ca.user_id).where(ca.role == Role.ARBITRATOR).subquery()
    days: dict[int, list[int]] = defaultdict(list)
    for case_id, person, accepted_on, closed_on, closure in session.execute(
        sa.select(a.case_id, arbitrators.c.user_id, a.accepted_on, a.closed_on, a.closure_type)
        .join(arbitrators, arbitrators.c.case_id == a.case_id)
        .where(
            a.accepted_on.is_not(None),
            sa.or_(a.accepted_on.between(period.start, period.end), a.closed_on.between(period.start, period.end)),
            *_units(scope, a.unit_id),
        )
    ):
        row = (case_id, "arbitration")
        if period.start <= accepted_on <= period.end:
            report.add("person", person, "received", row)
        if closed_on is not None and period.start <= closed_on <= period.end:
            report.add("person", person, "closed", row)
            report.add("person", person, "concluded", row)
            method = {ClosureType.AWARD: "by_award", ClosureType.MEDIATION_STATEMENT: "by_statement"}.get(
                closure, "by_other"
            )
            report.add("person", person, method, row)
            if method == "by_statement":
                report.add("person", person, "mediated", row)
            days[person].append((closed_on - accepted_on).days)
    for case_id, person, accepted_on, ended_on, state in session.execute(
        sa.select(m.case_id, m.mediator_id, m.accepted_on, m.ended_on, m.state).where(
            m.mediator_id.is_not(None),
            sa.or_(m.accepted_on.between(period.start, period.end), m.ended_on.between(period.start, period.end)),
            *_units(scope, m.unit_id),
        )
    ):
        row = (case_id, "mediation")
        if accepted_on is not None and period.start <= accepted_on <= period.end:
            report.add("person", person, "received", row)
        if ended_on is not None and period.start <= ended_on <= period.end:
            report.add("person", person, "mediation_ended", row)
            report.add("person", person, "concluded", row)
            if state == MediationState.AGREEMENT:
                report.add("person", person, "mediation_agreement", row)
                report.add("person", person, "mediated", row)
    start, end = _local_bounds(period)
    s = MediationSession
    for session_id, case_id, person in session.execute(
        sa.select(s.id, m.case_id, s.mediator_id)
        .join(m, m.id == s.mediation_id)
        .where(s.held_at >= start, s.held_at < end, *_units(scope, m.unit_id))
    ):
        report.add("person", person, "sessions", (case_id, f"session-{session_id}"))
    h = Hearing
    for hearing_id, case_id, person in session.execute(
        sa.select(h.id, a.case_id, arbitrators.c.user_id)
        .join(a, a.id == h.arbitration_id)
        .join(arbitrators, arbitrators.c.case_id == a.case_id)
        .where(h.state == HearingState.HELD, h.starts_at >= start, h.starts_at < end, *_units(scope, a.unit_id))
    ):
        report.add("person", person, "hearings", (case_id, f"hearing-{hearing_id}"))
    w = Award
    for award_id, case_id, person in session.execute(
        sa.select(w.id, a.case_id, w.issued_by_id)
        .join(a, a.id == w.arbitration_id)
        .where(w.awarded_on.between(period.start, period.end), w.issued_by_id.is_not(None), *_units(scope, a.unit_id))
    ):
        report.add("person", person, "awards_written", (case_id, f"award-{award_id}"))
    r = CourtItemResult
    for award_id, case_id, person in session.execute(
        sa.select(w.id, a.case_id, w.issued_by_id)
        .join(Lawsuit, Lawsuit.award_id == w.id)
        .join(r, r.lawsuit_id == Lawsuit.id)
        .join(a, a.id == w.arbitration_id)
        .where(
            r.ruling.in_(sorted(DIFFERENT_RULINGS)),
            r.decided_on.between(period.start, period.end),
            w.issued_by_id.is_not(None),
            *_units(scope, a.unit_id),
        )
        .distinct()
    ):
        report.add("person", person, "awards_changed", (case_id, f"award-{award_id}"))
    oldest: dict[int, date] = {}
    for case_id, person, registered_on in _open_assigned(session, scope):
        report.add("person", person, "open", (case_id, "case"))
        oldest[person] = min(registered_on, oldest.get(person, registered_on))
    absent = _absent_days(session, period)
    people = set(report.groups.get("person", {})) | set(absent)
    report.values["person"] = {
        person: {
            "average_days": (sum(days[person]) / len(days[person])) if days.get(person) else None,
            "oldest_open": oldest.get(person),
            "absent_days": absent.get(person, 0),
        }
        for person in people
    }
    for person in people:
        report.groups.setdefault("person", {}).setdefault(person, defaultdict(set))
    return report


def _open_assigned(session: Session, scope: Scope) -> list[tuple[int, int, date]]:
    """(case, person, registered on) for each open case and its active arbitrator or mediator, in the scope, whose
    arbitration or mediation is still running."""
    ca, a, m = CaseAssignment, Arbitration, Mediation
    running = sa.or_(
        Case.id.in_(sa.select(a.case_id).where(a.state.in_(sorted(ARBITRATION_OPEN)))),
        Case.id.in_(sa.select(m.case_id).where(m.state.in_(sorted(MEDIATION_OPEN)))),
    )
    return list(
        session.execute(
            sa.select(Case.id, ca.user_id, Case.registered_on)
            .join(ca, ca.case_id == Case.id)
            .where(
                Case.status == CaseStatus.OPEN,
                ca.active.is_(True),
                ca.role.in_([Role.ARBITRATOR, Role.MEDIATOR]),
                running,
                *_units(scope, Case.unit_id),
            )
            .distinct()
        ).all()
    )


def _absent_days(session: Session, period: Period) -> dict[int, int]:
    out: dict[int, int] = defaultdict(int)
    for user_id, starts_on, ends_on in session.execute(
        sa.select(Absence.user_id, Absence.starts_on, Absence.ends_on).where(
            Absence.starts_on <= period.end, Absence.ends_on >= period.start
        )
    ):
        out[user_id] += (min(ends_on, period.end) - max(starts_on, period.start)).days + 1
    return out


# --- ageing -------------------------------------------------------------------------------------------------

BANDS = (("age_15", 15), ("age_30", 30), ("age_45", 45), ("age_60", 60), ("age_over", None))
AGEING_MEASURES = (*(name for name, _limit in BANDS), "open", "stale")
STALE_DAYS = 30


def band_of(age: int) -> str:
    """≤15, 16–30, 31–45, 46–60, >60 days since registration."""
    for name, limit in BANDS:
        if limit is None or age <= limit:
            return name
    raise AssertionError(age)


def ageing(session: Session, scope: Scope, as_of: date, stale_days: int = STALE_DAYS) -> Report:
    """Open cases on `as_of` by days since registration, per unit and per active arbitrator or mediator; those with
    no recorded action (timeline entry) for `stale_days`; suspensions, extensions and postponements by reason."""
    report = Report("ageing", AGEING_MEASURES)
    open_cases = dict(
        session.execute(
            sa.select(Case.id, Case.registered_on).where(
                Case.status == CaseStatus.OPEN, Case.registered_on <= as_of, *_units(scope, Case.unit_id)
            )
        ).all()
    )
    units = dict(session.execute(sa.select(Case.id, Case.unit_id).where(Case.id.in_(sorted(open_cases)))).all())
    people: dict[int, set[int]] = defaultdict(set)
    for case_id, person, _registered in _open_assigned(session, scope):
        people[case_id].add(person)
    cutoff = datetime.combine(as_of - timedelta(days=stale_days), time.max, LOCAL)
    active = (
        set(
            session.scalars(
                sa.select(TimelineEntry.case_id)
                .where(TimelineEntry.case_id.in_(sorted(open_cases)), TimelineEntry.at > cutoff)
                .distinct()
            )
        )
        if open_cases
        else set()
    )
    for case_id, registered_on in open_cases.items():
        row = (case_id, "case")
        measures = [band_of((as_of - registered_on).days), "open"]
        if case_id not in active and (as_of - registered_on).days > stale_days:
            measures.append("stale")
        for measure in measures:
            report.add(TOTAL, TOTAL, measure, row)
            report.add("unit", units[case_id], measure, row)
            for person in people.get(case_id, ()):
                report.add("person", person, measure, row)
    return report


INTERRUPTIONS = ("suspension", "extension", "postponement")


def interruptions(session: Session, scope: Scope, period: Period) -> Report:
    """Suspensions (by ground) and extensions requested in the period and not rejected, and hearings postponed that
    were set for the period; grouped by
    kind and reason (an extension's and a postponement's reason is free text, counted as written)."""
    report = Report("interruptions", INTERRUPTIONS)
    a = Arbitration
    s, e, h = Suspension, Extension, Hearing
    for row_id, case_id, ground in session.execute(
        sa.select(s.id, a.case_id, s.ground)
        .join(a, a.id == s.arbitration_id)
        .where(
            s.requested_on.between(period.start, period.end), s.state != Approval.REJECTED, *_units(scope, a.unit_id)
        )
    ):
        report.add(
            "reason",
            f"suspension:{ground.value if hasattr(ground, 'value') else ground}",
            "suspension",
            (case_id, f"suspension-{row_id}"),
        )
    for row_id, case_id, reason in session.execute(
        sa.select(e.id, a.case_id, e.reason)
        .join(a, a.id == e.arbitration_id)
        .where(
            e.requested_on.between(period.start, period.end), e.state != Approval.REJECTED, *_units(scope, a.unit_id)
        )
    ):
        report.add("reason", f"extension:{(reason or '').strip()[:60]}", "extension", (case_id, f"extension-{row_id}"))
    start, end = _local_bounds(period)
    for row_id, case_id, reason in session.execute(
        sa.select(h.id, a.case_id, h.postponement_reason)
        .join(a, a.id == h.arbitration_id)
        .where(h.state == HearingState.POSTPONED, h.starts_at >= start, h.starts_at < end, *_units(scope, a.unit_id))
    ):
        report.add(
            "reason", f"postponement:{(reason or '').strip()[:60]}", "postponement", (case_id, f"hearing-{row_id}")
        )
    return report
