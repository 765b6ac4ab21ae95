"""Issue 12, "the metrics follow the dates": a closure counts on the day of the act that ends the proceedings, the
due-date closure rate reads the award timer's deadline, finality waits for every party's right to sue, and the
mediation success rates count as metrics.md and 人社统MA1 do — live, from the summary's cells, and in the drill-down."""

from __future__ import annotations

from datetime import date, timedelta
from datetime import date as D

import sqlalchemy as sa

from disputes.metrics import figures as F
from disputes.metrics import summary as metrics_summary
from disputes.metrics.compute import ALL, compute, figure_set
from disputes.metrics.drill import rows as drill_rows
from disputes.metrics.scope import Period, Scope, month_period
from disputes.metrics.summary import fold as summary_fold
from disputes.metrics.summary import read as summary_read
from disputes.models.enums import PartyKind
from tests.metrics_data import Rows

AS_OF = D(2026, 11, 20)
QUARTER = Period(D(2026, 7, 1), D(2026, 9, 30))
AWARD = "arbitration.award"
EVERYWHERE = Scope()


def _parts(values: dict, key: str) -> tuple:
    return values[key].numerator, values[key].denominator


def _from_cells(session, period: Period, as_of: date = AS_OF, scope: Scope = EVERYWHERE) -> dict:
    assert metrics_summary.current(session, scope, [period], as_of)
    return figure_set(summary_read.counts(session, scope, [period], as_of)[ALL][0])


def _both(session, period: Period, as_of: date = AS_OF, scope: Scope = EVERYWHERE) -> list[dict]:
    """The figures counted live and read from the cells: the same numbers, or the test says which differ."""
    live, cells = compute(session, scope, period, as_of), _from_cells(session, period, as_of, scope)
    assert {k: _parts(live, k) for k in F.KEYS} == {k: _parts(cells, k) for k in F.KEYS}, period
    return [live, cells]


def _listed(session, key: str, part: str, period: Period, as_of: date = AS_OF) -> set[int]:
    return {row.case_id for row in session.execute(drill_rows(F.BY_KEY[key], part, Scope(), period, as_of).select())}


def _approve(session, arbitration, day) -> None:
    """The supervisor's approval of the closure, dated: the column `closure_approved_on` that the workflow helper
    adds (when the schema has it), and the approval date the award timer was completed with."""
    columns = {c["name"] for c in sa.inspect(session.connection()).get_columns("arbitrations")}
    if "closure_approved_on" in columns:
        session.execute(
            sa.text("UPDATE arbitrations SET closure_approved_on = :day WHERE id = :id"),
            {"day": day, "id": arbitration.id},
        )


def test_a_closure_counts_on_the_day_of_its_act_not_of_its_approval(db, org):
    """An award dated day 44 of a 45-day deadline, approved on day 47 (in the next month): closed on day 44, on
    time, and closed by its deadline — even though the timer, completed by the approval, says met late."""
    r = Rows(db.session, org)
    accepted = D(2026, 6, 16)
    act, due, approved = (accepted + timedelta(days=n) for n in (44, 45, 47))  # 07-30, 07-31, 08-02
    arbitration = r.arbitration(accepted, act, "award")
    r.award(arbitration, act, "final")
    r.timer(
        arbitration.case_id,
        AWARD,
        "met_late",
        completed_on=approved,
        breached_on=due + timedelta(days=1),
        due_on=due,
        started_on=accepted,
    )
    _approve(db.session, arbitration, approved)
    db.session.commit()
    july, august = month_period(2026, 7), month_period(2026, 8)
    for values in _both(db.session, july):
        assert values["arbitration.closed"].value == 1
        assert _parts(values, "arbitration.on_time_rate") == (1, 1)
        assert _parts(values, "arbitration.due_closure_rate") == (1, 1)
        assert values["arbitration.average_days"].value == 44
    for values in _both(db.session, august):
        assert values["arbitration.closed"].value == 0 and values["arbitration.on_time_rate"].value is None
    case = {arbitration.case_id}
    assert _listed(db.session, "arbitration.closed", "numerator", july) == case
    assert _listed(db.session, "arbitration.on_time_rate", "numerator", july) == case
    assert _listed(db.session, "arbitration.closed", "numerator", august) == set()


def _due_cases(db, org) -> dict:
    r = Rows(db.session, org)
    d = {}

    def closed(n, accepted, closed_on, closure, status, due, completed=None):
        d[n] = r.arbitration(accepted, closed_on, closure)
        late = status == "met_late"
        r.timer(
            d[n].case_id,
            AWARD,
            status,
            completed_on=completed or closed_on,
            due_on=due,
            started_on=accepted,
            breached_on=due + timedelta(days=1) if late or status == "breached" else None,
        )

    closed(1, D(2026, 6, 1), D(2026, 7, 10), "award", "met", D(2026, 7, 16))  # due in July, closed before
    closed(2, D(2026, 6, 5), D(2026, 7, 25), "award", "met_late", D(2026, 7, 20))  # due in July, closed late
    closed(3, D(2026, 6, 10), None, None, "breached", D(2026, 7, 27))  # due in July, still open
    closed(4, D(2026, 5, 1), D(2026, 5, 20), "withdrawn", "met", D(2026, 6, 15))  # due in June
    closed(7, D(2026, 6, 10), D(2026, 6, 20), "withdrawn", "met", D(2026, 7, 25))  # closed in June, due in July
    closed(8, D(2026, 6, 1), D(2026, 7, 28), "award", "met", D(2026, 7, 31))  # extended by 15 days
    # Restarted: the old timer cancelled (due in July), the new one due in August.
    d[5] = r.arbitration(D(2026, 6, 20))
    r.timer(
        d[5].case_id, AWARD, "cancelled", completed_on=D(2026, 7, 1), due_on=D(2026, 7, 5), started_on=D(2026, 6, 20)
    )
    r.timer(d[5].case_id, AWARD, "running", due_on=D(2026, 8, 20), started_on=D(2026, 7, 6))
    # Suspended: no deadline, in no period.
    d[6] = r.arbitration(D(2026, 6, 3))
    r.timer(d[6].case_id, AWARD, "paused", due_on=None, started_on=D(2026, 6, 3))
    # Two timers not cancelled (old data): the newest by id is the case's deadline.
    d[9] = r.arbitration(D(2026, 6, 25))
    r.timer(d[9].case_id, AWARD, "running", due_on=D(2026, 7, 2), started_on=D(2026, 5, 18))
    r.timer(d[9].case_id, AWARD, "running", due_on=D(2026, 8, 10), started_on=D(2026, 6, 25))
    db.session.commit()
    return d


def test_due_closure_rate_reads_each_cases_award_deadline(db, org):
    d = _due_cases(db, org)
    july, august, june = month_period(2026, 7), month_period(2026, 8), month_period(2026, 6)
    for values in _both(db.session, july):
        assert _parts(values, "arbitration.due_closure_rate") == (3, 5)
        assert _parts(values, "arbitration.on_time_rate") == (2, 3)  # d1 d8 / d1 d2 d8
    for values in _both(db.session, august):
        assert _parts(values, "arbitration.due_closure_rate") == (0, 2)
    for values in _both(db.session, june):
        assert _parts(values, "arbitration.due_closure_rate") == (1, 1)
    for values in _both(db.session, QUARTER) + _both(db.session, QUARTER, scope=Scope(unit_ids=(org.arbitration.id,))):
        assert _parts(values, "arbitration.due_closure_rate") == (3, 7)
    assert (
        _both(db.session, july, scope=Scope(unit_ids=(org.street.id,)))[0]["arbitration.due_closure_rate"].value is None
    )
    cases = {n: a.case_id for n, a in d.items()}
    assert _listed(db.session, "arbitration.due_closure_rate", "numerator", july) == {cases[n] for n in (1, 7, 8)}
    assert _listed(db.session, "arbitration.due_closure_rate", "denominator", july) == {
        cases[n] for n in (1, 2, 3, 7, 8)
    }
    assert _listed(db.session, "arbitration.due_closure_rate", "denominator", august) == {cases[5], cases[9]}


def test_a_deadline_moved_by_an_extension_moves_the_case_between_periods(db, org):
    """The cells follow a timer's due_on (an approved extension, a suspension): the timers' trigger logs it."""
    d = _due_cases(db, org)
    _both(db.session, month_period(2026, 8))
    db.session.commit()
    db.session.execute(
        sa.text(
            "UPDATE sla_timers SET due_on = :day, extension_days = 15 WHERE case_id = :case AND status = 'running'"
        ),
        {"day": D(2026, 9, 4), "case": d[5].case_id},
    )
    assert summary_fold.pending(db.session) > 0
    for values in _both(db.session, month_period(2026, 8)):
        assert _parts(values, "arbitration.due_closure_rate") == (0, 1)
    for values in _both(db.session, month_period(2026, 9)):
        assert _parts(values, "arbitration.due_closure_rate") == (0, 1)


def _finality_cases(db, org) -> dict:
    r = Rows(db.session, org)
    W, E = PartyKind.WORKER, PartyKind.EMPLOYER
    f, parties = {}, {}

    def case(n, closed_on, closure, *kinds):
        f[n] = r.arbitration(D(2026, 6, 1), closed_on, closure)
        parties[n] = {kind: r.party(f[n].case_id, kind) for kind in kinds}

    def period(n, rule, due, subject=None, status="met"):
        r.timer(
            f[n].case_id,
            rule,
            status,
            completed_on=due if status == "met" else None,
            due_on=due,
            started_on=due - timedelta(days=15),
            unit=org.arbitration,
            subject_id=parties[n][subject].id if subject else None,
        )

    # f1: old data, one timer per rule for the whole case (subject NULL): lapsed on 08-01 and 08-15.
    case(1, D(2026, 7, 15), "award", W, E)
    period(1, "litigation.worker_sue_final", D(2026, 8, 1))
    period(1, "litigation.employer_revoke", D(2026, 8, 15))
    # f2: the worker's period lapsed; the employer has not been served yet (no timer): pending.
    case(2, D(2026, 8, 1), "award", W, E)
    period(2, "litigation.worker_sue_final", D(2026, 8, 20), W)
    # f3: non-final; the employer's period runs to 11-25, after the as-of date: pending.
    case(3, D(2026, 9, 1), "award", W, E)
    period(3, "litigation.sue_nonfinal", D(2026, 9, 20), W)
    period(3, "litigation.sue_nonfinal", D(2026, 11, 25), E, status="running")
    # f4: both periods lapsed; the agent has none of its own: final.
    case(4, D(2026, 7, 20), "award", W, E, PartyKind.AGENT)
    period(4, "litigation.sue_nonfinal", D(2026, 8, 10), W)
    period(4, "litigation.sue_nonfinal", D(2026, 8, 5), E)
    # f5: sued on 08-05.
    case(5, D(2026, 7, 25), "award", W, E)
    period(5, "litigation.sue_nonfinal", D(2026, 8, 12), W)
    period(5, "litigation.sue_nonfinal", D(2026, 8, 12), E)
    r.lawsuit(f[5].case_id, D(2026, 8, 5))
    # f6: withdrawn, nobody went to court: final without any period.
    case(6, D(2026, 8, 15), "withdrawn", W, E)
    # f7: a mediation statement, and yet a party went to court on 09-20.
    case(7, D(2026, 9, 10), "mediation_statement", W, E)
    r.lawsuit(f[7].case_id, D(2026, 9, 20))
    # f8: an award not served on anybody yet: pending.
    case(8, D(2026, 7, 10), "award", W, E)
    db.session.commit()
    return {"f": f, "parties": parties}


def test_finality_waits_for_every_partys_right_to_sue(db, org):
    built = _finality_cases(db, org)
    cases = {n: a.case_id for n, a in built["f"].items()}
    for values in _both(db.session, QUARTER):
        assert values["arbitration.closed"].value == 8
        assert values["arbitration.finality_pending"].value == 3  # f2 f3 f8
        assert _parts(values, "arbitration.finality_rate") == (3, 5)  # f1 f4 f6 / 8 − 3
    assert _listed(db.session, "arbitration.finality_pending", "numerator", QUARTER) == {cases[n] for n in (2, 3, 8)}
    assert _listed(db.session, "arbitration.finality_rate", "numerator", QUARTER) == {cases[n] for n in (1, 4, 6)}
    assert _listed(db.session, "arbitration.finality_rate", "denominator", QUARTER) == {
        cases[n] for n in (1, 4, 5, 6, 7)
    }
    # Later, f3's employer's period has lapsed too.
    for values in _both(db.session, QUARTER, as_of=D(2027, 1, 4)):
        assert values["arbitration.finality_pending"].value == 2
        assert _parts(values, "arbitration.finality_rate") == (4, 6)
    # Earlier, as of 08-10 (before f7's lawsuit, so counted live): f1's and f4's periods still run on their last day.
    early = D(2026, 8, 10)
    assert not metrics_summary.current(db.session, Scope(), [QUARTER], early)
    values = metrics_summary.figures(db.session, Scope(), QUARTER, early)
    assert values["arbitration.finality_pending"].value == 5  # f1 f2 f3 f4 f8
    assert _parts(values, "arbitration.finality_rate") == (2, 3)  # f6 f7 / f5 f6 f7
    assert _listed(db.session, "arbitration.finality_rate", "denominator", QUARTER, early) == {
        cases[n] for n in (5, 6, 7)
    }


def test_a_party_or_a_period_that_changes_after_the_closure_is_followed_by_the_cells(db, org):
    built = _finality_cases(db, org)
    f = built["f"]
    _both(db.session, QUARTER)
    db.session.commit()
    Rows(db.session, org).party(f[4].case_id, PartyKind.EMPLOYER)  # a second employer, not served yet
    db.session.commit()
    assert summary_fold.pending(db.session) > 0
    for values in _both(db.session, QUARTER):
        assert values["arbitration.finality_pending"].value == 4
    db.session.execute(
        sa.text(
            "UPDATE sla_timers SET due_on = :day, status = 'met', completed_on = :day "
            "WHERE case_id = :case AND status = 'running'"
        ),
        {"day": D(2026, 11, 10), "case": f[3].case_id},
    )
    db.session.commit()
    for values in _both(db.session, QUARTER):
        assert values["arbitration.finality_pending"].value == 3  # f2 f4 f8
        assert _parts(values, "arbitration.finality_rate") == (3, 5)  # f1 f3 f6
    db.session.execute(
        sa.text("UPDATE parties SET kind = 'agent' WHERE case_id = :case AND kind = 'employer'"), {"case": f[2].case_id}
    )
    db.session.commit()
    for values in _both(db.session, QUARTER):
        assert values["arbitration.finality_pending"].value == 2  # f2's employer is no party now


def test_mediation_success_counts_withdrawals_and_the_all_inclusive_rate_adds_arbitration(db, org):
    r = Rows(db.session, org)
    for state in ("agreement", "agreement", "agreement", "failed", "withdrawn", "lapsed"):
        r.mediation(state, D(2026, 8, 3))
    for closure in ("mediation_statement", "mediation_statement", "award", "withdrawn"):
        r.arbitration(D(2026, 6, 1), D(2026, 8, 20), closure)
    db.session.commit()
    august = month_period(2026, 8)
    for values in _both(db.session, august):
        assert _parts(values, "mediation.success_rate") == (3, 6)  # 调解结案数 includes withdrawals
        assert _parts(values, "overall.mediation_success_rate") == (3 + 2, 6 + 4)
    listed = {
        row.source
        for row in db.session.execute(
            drill_rows(F.BY_KEY["overall.mediation_success_rate"], "denominator", Scope(), august, AS_OF).select()
        )
    }
    assert listed == {"mediation", "arbitration"}
    assert len(_listed(db.session, "overall.mediation_success_rate", "numerator", august)) == 5
