"""The statistics' summary (metric_days, metric_months) against the live counts of compute.py: after a full build,
after folds of changes of every kind, through the dashboard page, and for what it must refuse to answer."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from disputes import jobs
from disputes.demo.centre import DEMO_PASSWORD
from disputes.ledger import job as ledger_job
from disputes.metrics import compute as live
from disputes.metrics import figures as F
from disputes.metrics import summary as metrics_summary
from disputes.metrics.dashboard import BREAKDOWN_SOURCES, BREAKDOWN_TERMS
from disputes.metrics.scope import Period, Scope, month_period, preset
from disputes.metrics.summary import fold as summary_fold
from disputes.metrics.summary import read as summary
from disputes.models import (
    Arbitration,
    Case,
    ClaimCategory,
    ImportStatus,
    Lawsuit,
    LedgerImport,
    MetricDay,
    Role,
    Unit,
    User,
)
from disputes.workflow.states import ClosureType, Finality
from tests.ledger_rows import GOOD, csv_text

TODAY = date(2026, 11, 20)  # conftest.FROZEN_AT in Shanghai
GROUPINGS = ("all", "unit", "person", "category")


def _periods() -> list[list[Period]]:
    months = [month_period(2025 + (m - 1) // 12, (m - 1) % 12 + 1) for m in range(1, 24)]
    quarters = [preset("quarter", date(2026, m, 1)) for m in (1, 4, 7, 10)]
    years = [preset("year", date(y, 6, 1)) for y in (2025, 2026)]
    return [[p, p.previous()] for p in months[::6] + quarters[1:3] + years] + [
        [Period(date(2024, 1, 1), date(2026, 12, 31))]
    ]


def _nonzero(groups: dict) -> dict:
    """The counts without zeros: a term or group missing counts as 0 for figures.evaluate."""
    out = {key: [{t: n for t, n in terms.items() if n} for terms in per] for key, per in groups.items()}
    return {key: per for key, per in out.items() if any(per)}


def assert_summary_matches(session, scopes=None, period_sets=None):
    units = tuple(session.scalars(sa.select(Unit.id).order_by(Unit.id)))
    scopes = scopes or [Scope(), Scope(unit_ids=units[1:])] + [Scope(unit_ids=(u,)) for u in units[:4]]
    for periods in period_sets or _periods():
        for scope in scopes:
            assert summary.usable(session, scope, periods, TODAY), periods
            for grouping in GROUPINGS:
                only = {} if grouping in ("all", "unit") else {"sources": BREAKDOWN_SOURCES, "only": BREAKDOWN_TERMS}
                got = summary.counts(session, scope, periods, TODAY, grouping=grouping, **only)
                want = live.counts(session, scope, periods, TODAY, grouping=grouping, **only)
                assert _nonzero(got) == _nonzero(want), (periods[0], scope, grouping)


SHORT = [
    [preset("year", date(2026, 6, 1)), preset("year", date(2025, 6, 1))],
    [month_period(2026, 3), month_period(2026, 2)],
    [preset("quarter", date(2025, 10, 1))],
]


@pytest.fixture
def demo(db, demo_database):
    return db.session


def test_the_demo_leaves_the_cells_current(demo):
    assert summary_fold.pending(demo) == 0
    cells = demo.scalar(sa.select(sa.func.count()).select_from(MetricDay))
    assert cells > 0 and summary_fold.fold(demo).changes == 0


def test_a_full_build_matches_the_live_counts(demo):
    result = summary_fold.rebuild(demo)
    assert result.rebuilt and result.changes == 1
    assert demo.scalar(sa.select(sa.func.count()).select_from(MetricDay)) > 0
    assert summary_fold.pending(demo) == 0
    assert_summary_matches(demo)


def _shift(session, table: str, columns: tuple[str, ...], rng) -> None:
    """Move some dates of a random row of `table` by the same number of days (the row's own order is kept)."""
    t = sa.table(table, sa.column("id"), *(sa.column(c, sa.Date) for c in columns))
    row_id = _pick(session, t, rng)
    if row_id is None:
        return
    row = session.execute(sa.select(t).where(t.c.id == row_id)).one()
    delta = timedelta(days=rng.choice((-70, -31, -9, 12, 40, 95) if table != "lawsuits" else (-60, -20)))
    values = {c: getattr(row, c) + delta for c in columns if getattr(row, c) is not None}
    if values:
        session.execute(t.update().where(t.c.id == row.id).values(**values))


def _pick(session, t, rng) -> int | None:
    ids = list(session.scalars(sa.select(t.c.id).order_by(t.c.id)))
    return rng.choice(ids) if ids else None


def _set(session, table: str, column: str, choices, rng) -> None:
    t = sa.table(table, sa.column("id"), sa.column(column))
    row_id = _pick(session, t, rng)
    if row_id is not None:
        session.execute(t.update().where(t.c.id == row_id).values({column: choices()}))


def _timer(session, rng, values) -> None:
    """A random timer changed by plain SQL, as the scan and the ledger write (`values`: the row → the new values)."""
    t = sa.table(
        "sla_timers",
        sa.column("id"),
        sa.column("case_id"),
        sa.column("status"),
        sa.column("started_on"),
        sa.column("due_on"),
        sa.column("nominal_on"),
        sa.column("rule_id"),
        sa.column("subject_id"),
        sa.column("completed_on"),
        sa.column("paused_since"),
    )
    row_id = _pick(session, t, rng)
    if row_id is not None:
        row = session.execute(sa.select(t).where(t.c.id == row_id)).one()
        session.execute(t.update().where(t.c.id == row_id).values(**values(row)))


def _cancelled(row) -> dict:
    return {
        "status": "cancelled",
        "completed_on": row.completed_on or row.started_on,
        "paused_since": None,
        "due_on": row.due_on or row.nominal_on,
    }


def _subject(session, rng):
    def values(row) -> dict:
        parties = list(
            session.scalars(sa.text("SELECT id FROM parties WHERE case_id = :case ORDER BY id"), {"case": row.case_id})
        )
        return {"subject_id": rng.choice([None, *parties])}

    return values


def _add_party(session, rng, ids) -> None:
    session.execute(
        sa.text(
            "INSERT INTO parties (case_id, position, side, kind, name, is_representative, "
            "migrant_worker) VALUES (:case, 9, 'respondent', :kind, '第二被申请人', false, false)"
        ),
        {"case": rng.choice(ids["cases"]), "kind": rng.choice(["employer", "worker", "agent"])},
    )


RIGHT_TO_SUE = ["litigation.worker_sue_final", "litigation.employer_revoke", "litigation.sue_nonfinal"]


def _delete(session, table: str, rng) -> None:
    t = sa.table(table, sa.column("id"))
    row_id = _pick(session, t, rng)
    if row_id is not None:
        session.execute(t.delete().where(t.c.id == row_id))


MUTATIONS = {
    "arbitration dates": lambda s, r, ids: _shift(s, "arbitrations", ("received_on", "accepted_on", "closed_on"), r),
    "arbitration unit": lambda s, r, ids: _set(s, "arbitrations", "unit_id", lambda: r.choice(ids["units"]), r),
    "closure type": lambda s, r, ids: _set(
        s, "arbitrations", "closure_type", lambda: r.choice([c.value for c in ClosureType]), r
    ),
    "award dates": lambda s, r, ids: _shift(s, "awards", ("awarded_on", "served_on"), r),
    "award finality": lambda s, r, ids: _set(s, "awards", "finality", lambda: r.choice([f.value for f in Finality]), r),
    "award gone": lambda s, r, ids: _delete(s, "awards", r),
    "suspension gone": lambda s, r, ids: _delete(s, "suspensions", r),
    "suspension dates": lambda s, r, ids: _shift(s, "suspensions", ("started_on", "ended_on"), r),
    "lawsuit moves": lambda s, r, ids: _set(s, "lawsuits", "case_id", lambda: r.choice(ids["cases"]), r),
    "lawsuit dates": lambda s, r, ids: _shift(s, "lawsuits", ("filed_on",), r),
    "claim category": lambda s, r, ids: _set(
        s, "claims", "category", lambda: r.choice([c.value for c in ClaimCategory]), r
    ),
    "arbitrator": lambda s, r, ids: _set(s, "case_assignments", "user_id", lambda: r.choice(ids["users"]), r),
    "mediation dates": lambda s, r, ids: _shift(
        s, "mediations", ("applied_on", "accepted_on", "ended_on", "agreement_signed_on"), r
    ),
    "mediation unit": lambda s, r, ids: _set(s, "mediations", "unit_id", lambda: r.choice(ids["units"]), r),
    "mediator": lambda s, r, ids: _set(s, "mediations", "mediator_id", lambda: r.choice(ids["users"]), r),
    "case closed on": lambda s, r, ids: _shift(s, "cases", ("registered_on", "closed_on"), r),
    "legal aid dates": lambda s, r, ids: _shift(s, "legal_aid_applications", ("applied_on", "decided_on"), r),
    "timer met": lambda s, r, ids: _set(
        s, "sla_timers", "status", lambda: r.choice(["met", "met_late", "breached"]), r
    ),
    "timer dates": lambda s, r, ids: _shift(s, "sla_timers", ("breached_on", "completed_on"), r),
    "timer unit": lambda s, r, ids: _set(s, "sla_timers", "unit_id", lambda: r.choice(ids["units"]), r),
    "mediation gone": lambda s, r, ids: _delete(s, "mediations", r),
    "timer due": lambda s, r, ids: _shift(s, "sla_timers", ("due_on",), r),
    "timer cancelled": lambda s, r, ids: _timer(s, r, _cancelled),
    "timer rule": lambda s, r, ids: _timer(
        s, r, lambda row: {"rule_id": r.choice(["arbitration.award", *RIGHT_TO_SUE])}
    ),
    "timer subject": lambda s, r, ids: _timer(s, r, _subject(s, r)),
    "party kind": lambda s, r, ids: _set(s, "parties", "kind", lambda: r.choice(["worker", "employer", "agent"]), r),
    "party added": lambda s, r, ids: _add_party(s, r, ids),
    "party gone": lambda s, r, ids: _delete(s, "parties", r),
}


@pytest.mark.parametrize("seed", range(3))
def test_folds_after_changes_match_the_live_counts(demo, seed):
    """Random changes of every kind the figures read, by plain SQL as the scan and the ledger write, folded in
    batches: the cells equal the live counts every time, and a fold redoes only a few cells."""
    summary_fold.fold(demo)
    demo.commit()
    rng = random.Random(seed)
    ids = {
        "units": list(demo.scalars(sa.select(Unit.id))),
        "cases": list(demo.scalars(sa.select(Case.id))),
        "users": list(demo.scalars(sa.select(User.id))),
    }
    cells = demo.scalar(sa.select(sa.func.count()).select_from(MetricDay))
    applied = []
    for step in range(24):
        name = rng.choice(sorted(MUTATIONS))
        try:
            with demo.begin_nested():
                MUTATIONS[name](demo, rng, ids)
            applied.append(name)
        except sa.exc.IntegrityError:
            continue
        if step % 6 == 5:
            result = summary_fold.fold(demo)
            assert not result.rebuilt and result.cells < cells, applied
            demo.commit()
            assert_summary_matches(demo, period_sets=SHORT)


def _dashboard(client, monkeypatch, from_cells: bool) -> str:
    if not from_cells:
        monkeypatch.setattr(metrics_summary, "current", lambda *args, **kwargs: False)
    response = client.get("/reports?preset=year&on=2026-06-01")
    monkeypatch.undo()
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_dashboard_page_is_the_same_from_the_cells(demo, login, monkeypatch):
    client = login("supervisor", DEMO_PASSWORD)
    arbitration = demo.scalars(
        sa.select(Arbitration).where(Arbitration.closed_on.is_not(None)).order_by(Arbitration.id)
    ).first()
    arbitration.closed_on = arbitration.accepted_on + timedelta(days=3)  # into another month, most likely
    demo.commit()
    assert summary_fold.pending(demo) > 0
    from_cells = _dashboard(client, monkeypatch, True)
    assert summary_fold.pending(demo) == 0  # the jobs path folded it (inline: no broker here), not the page
    assert from_cells == _dashboard(client, monkeypatch, False)


def test_a_long_log_is_folded_in_the_background_and_counted_live_meanwhile(demo, login, monkeypatch):
    client = login("supervisor", DEMO_PASSWORD)
    summary_fold.rebuild(demo)
    demo.execute(sa.text("UPDATE claims SET category = category"))  # every case's cells to redo
    demo.commit()
    monkeypatch.setattr(metrics_summary, "FOLD_LIMIT", 3)
    scope, periods = Scope(), [preset("year", date(2026, 1, 1))]
    assert not metrics_summary.current(demo, scope, periods, TODAY)
    demo.rollback()
    queued = []
    monkeypatch.setattr(jobs, "run_metrics_fold", lambda: queued.append(True))
    assert client.get("/reports?preset=year&on=2026-06-01").status_code == 200
    assert queued == [True]  # no broker in tests: the jobs path runs the fold (stubbed here) before the page reads
    monkeypatch.undo()
    jobs.run_metrics_fold()
    assert summary_fold.pending(demo) == 0
    assert metrics_summary.current(demo, scope, periods, TODAY)


def test_what_the_cells_cannot_answer_is_counted_live(demo):
    year = [preset("year", date(2026, 1, 1))]
    assert metrics_summary.current(demo, Scope(), year, TODAY)
    assert not metrics_summary.current(demo, Scope(), [Period(date(2026, 1, 2), date(2026, 3, 31))], TODAY)
    assert not metrics_summary.current(demo, Scope(person_id=1), year, TODAY)
    assert not metrics_summary.current(demo, Scope(category="wages"), year, TODAY)
    assert not metrics_summary.current(demo, Scope(collective=True), year, TODAY)
    latest = demo.scalar(sa.select(sa.func.max(Lawsuit.filed_on)))
    assert not metrics_summary.current(demo, Scope(), year, latest - timedelta(days=1))  # a filing after the as-of
    with pytest.raises(ValueError):
        summary.counts(demo, Scope(), year, TODAY, grouping="person")  # per person: what the breakdowns show


def test_the_new_figures_are_the_same_from_the_cells_whatever_the_as_of_date(demo):
    """Finality pending or lapsed depends on the as-of date: the cells keep each award closure's last right-to-sue
    day, so they answer it exactly; the demo has figures of every new kind to compare."""
    keys = (
        "arbitration.due_closure_rate",
        "arbitration.finality_rate",
        "arbitration.finality_pending",
        "arbitration.on_time_rate",
        "mediation.success_rate",
        "overall.mediation_success_rate",
    )
    seen = {key: 0 for key in keys}
    units = tuple(demo.scalars(sa.select(Unit.id).order_by(Unit.id)))
    for as_of in (TODAY, TODAY + timedelta(days=9), TODAY + timedelta(days=40), date(2028, 1, 1)):
        for period in (preset("year", date(2026, 1, 1)), preset("quarter", date(2026, 10, 1)), month_period(2026, 9)):
            for scope in (Scope(), Scope(unit_ids=units[1:])):
                live_values = live.compute(demo, scope, period, as_of)
                assert metrics_summary.current(demo, scope, [period], as_of)
                cells = live.figure_set(summary.counts(demo, scope, [period], as_of)[live.ALL][0])
                for key in F.KEYS:
                    got, want = cells[key], live_values[key]
                    assert (got.numerator, got.denominator) == (want.numerator, want.denominator), (key, period, as_of)
                for key in keys:
                    seen[key] += live_values[key].numerator
    assert all(seen.values()), seen


def test_a_timer_aging_is_not_a_change(demo):
    """The scan's daily days_late update (and its warnings) touch no figure, so they log nothing; a status change
    and a deadline moved do."""
    demo.execute(sa.text("UPDATE sla_timers SET days_late = days_late + 1 WHERE status = 'breached'"))
    demo.execute(sa.text("UPDATE sla_timers SET warned_at = CURRENT_TIMESTAMP WHERE status = 'running'"))
    assert summary_fold.pending(demo) == 0
    demo.execute(
        sa.text(
            "UPDATE sla_timers SET due_on = due_on + 1 WHERE id = (SELECT min(id) FROM sla_timers "
            "WHERE rule_id = 'arbitration.award' AND status = 'running')"
        )
    )
    assert summary_fold.pending(demo) > 0
    summary_fold.fold(demo)
    assert summary_fold.pending(demo) == 0
    demo.execute(
        sa.text(
            "UPDATE sla_timers SET breached_on = breached_on - 1 WHERE id = (SELECT min(id) FROM sla_timers "
            "WHERE status = 'breached')"
        )
    )
    assert summary_fold.pending(demo) > 0


def test_the_cli_folds_and_rebuilds(demo, runner):
    for lawsuit in demo.scalars(sa.select(Lawsuit)):
        lawsuit.filed_on -= timedelta(days=1)
    demo.commit()
    result = runner.invoke(args=["metrics", "summary"])
    assert result.exit_code == 0 and "changes folded" in result.output and "every cell" not in result.output
    assert summary_fold.pending(demo) == 0
    result = runner.invoke(args=["metrics", "summary", "--rebuild"])
    assert result.exit_code == 0 and "every cell" in result.output
    assert_summary_matches(demo, period_sets=SHORT[:1])


def test_an_import_whose_fold_fails_still_finishes(db, org, monkeypatch):
    """The ledger job folds after its import commits; a failing fold leaves the log for the next one."""

    def broken(session):
        raise RuntimeError("fold failed")

    monkeypatch.setattr(ledger_job.fold, "fold", broken)
    record = LedgerImport(file_name="台账.csv", content=csv_text(GOOD).encode(), created_by=org.user(Role.CLERK))
    db.session.add(record)
    db.session.commit()
    done = ledger_job.run(db.session, record.id, note="导入", causes={})
    assert done.status == ImportStatus.DONE and done.created_count == len(GOOD)
    assert summary_fold.pending(db.session) > 0
