"""The official tables 人社统MA1/MA2: every cell equals its drill-down list (count, workers or amount), over the
demo changed at random (hypothesis), on SQLite and PostgreSQL; the form's own identities hold (by cause, by
method and by result add up to their totals; pending + accepted − closed = pending at the end)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disputes.demo.centre import DEMO_PASSWORD
from disputes.metrics import tables
from disputes.metrics.scope import Period, unit_scope
from disputes.models import Claim, Unit
from disputes.models.enums import ClaimOutcome, DisputeCause
from disputes.workflow.claim_items import awarded_outcome
from disputes.workflow.states import ClosureType
from tests.pages import parse


@pytest.fixture
def demo(db, demo_database):
    return db.session


def _check_every_cell(session, form, scope, period) -> tables.Table:
    table = tables.compute(session, form, scope, period)
    for row in form.rows:
        for column in form.columns:
            rows = tables.cell_rows(session, form, row.key, column.key, scope, period)
            listed = session.scalar(sa.select(sa.func.count()).select_from(rows))
            if row.measure == tables.COUNT:
                assert table.value(row.key, column.key) == listed, (form.key, row.key, column.key)
            assert tables.cell_total(session, rows) == table.value(row.key, column.key), (row.key, column.key)
    return table


def _check_identities(table: tables.Table) -> None:
    form = table.form
    for column in form.columns:
        v = {row.key: table.value(row.key, column.key) for row in form.rows}
        assert sum(v[f"cause_{c.value}"] for c in DisputeCause) == v["accepted"] == v["by_cause"]
        assert v["collective"] <= v["accepted"] and v["collective_workers"] <= v["workers"]
        assert v["pending_start"] + v["accepted"] - v["closed"] == v["pending_end"], column.key
        if form.key == "MA1":
            assert v["agreement"] + v["settlement"] + v["no_agreement"] + v["withdrawn"] <= v["closed"]
        else:
            assert v["method_mediation"] + v["method_award"] + v["method_other"] == v["closed"]
            assert v["result_employer"] + v["result_worker"] + v["result_partly"] == v["closed"]
    if len(form.columns) > 1:  # the organisations partition the total
        for row in form.rows:
            assert sum(table.value(row.key, c.key) for c in form.columns[1:]) == table.value(row.key, tables.TOTAL)


ONE = "WHERE id IN (SELECT id FROM {table} ORDER BY id LIMIT 1 OFFSET :n)"
MUTATIONS = {
    "claim cause": "UPDATE claims SET dispute_cause = :cause " + ONE.format(table="claims"),
    "claim outcome": "UPDATE claims SET outcome = :outcome " + ONE.format(table="claims"),
    "claim recovered": "UPDATE claims SET recovered_amount = :amount " + ONE.format(table="claims"),
    "claim gone": "DELETE FROM claims " + ONE.format(table="claims"),
    "collective": "UPDATE cases SET collective = NOT collective, worker_count = worker_count + 10 "
    + ONE.format(table="cases"),
    "closure type": "UPDATE arbitrations SET closure_type = :closure WHERE closure_type IS NOT NULL AND id IN "
    "(SELECT id FROM arbitrations ORDER BY id LIMIT 1 OFFSET :n)",
    "mediation unit": "UPDATE mediations SET unit_id = :unit " + ONE.format(table="mediations"),
}
mutation = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(sorted(MUTATIONS)),
        "n": st.integers(0, 300),
        "cause": st.sampled_from([c.value for c in DisputeCause]),
        "outcome": st.sampled_from([o.value for o in ClaimOutcome]),
        "amount": st.decimals(0, 99999, places=2),
        "closure": st.sampled_from([c.value for c in ClosureType]),
        "unit": st.integers(0, 30),
    }
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=6, deadline=None)
@given(
    changes=st.lists(mutation, max_size=6),
    year=st.sampled_from([2025, 2026]),
    months=st.sampled_from([(1, 12), (1, 6), (7, 9), (11, 11)]),
    unit_code=st.sampled_from(["LG", "LGC", "BJ", "BT"]),
)
def test_every_cell_equals_its_list(demo, changes, year, months, unit_code):
    units = list(demo.scalars(sa.select(Unit.id).order_by(Unit.id)))
    try:
        with demo.begin_nested():
            for change in changes:
                params = {**change, "amount": str(change["amount"]), "unit": units[change["unit"] % len(units)]}
                demo.execute(sa.text(MUTATIONS[change["kind"]]), params)
        start = date(year, months[0], 1)
        end = (date(year, months[1], 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        unit = demo.scalar(sa.select(Unit).where(Unit.code == unit_code))
        scope, period = unit_scope(demo, unit), Period(start, end)
        for form in (tables.MA1, tables.MA2):
            _check_identities(_check_every_cell(demo, form, scope, period))
    finally:
        demo.rollback()


def test_the_demo_year_has_cases_in_both_tables(demo):
    unit = demo.scalar(sa.select(Unit).where(Unit.code == "LG"))
    period = Period(date(2026, 1, 1), date(2026, 12, 31))
    for form in (tables.MA1, tables.MA2):
        table = _check_every_cell(demo, form, unit_scope(demo, unit), period)
        assert table.value("accepted") > 0 and table.value("closed") > 0
        assert table.value("amount_claimed") > 0


def test_a_claim_s_own_cause_beats_its_category(demo):
    unit = demo.scalar(sa.select(Unit).where(Unit.code == "LG"))
    scope, period = unit_scope(demo, unit), Period(date(2026, 1, 1), date(2026, 12, 31))
    before = tables.compute(demo, tables.MA2, scope, period)
    assert before.value("cause_working_time") == 0
    demo.execute(sa.update(Claim).values(dispute_cause=DisputeCause.WORKING_TIME.value))
    after = tables.compute(demo, tables.MA2, scope, period)
    claimed = after.value("accepted") - after.value("cause_working_time")
    assert after.value("cause_working_time") > 0 and claimed >= 0
    assert after.value("cause_working_time") == before.value("accepted") - before.value("cause_other")


@pytest.mark.parametrize(
    ("claimed", "awarded", "granted", "outcome"),
    [
        (Decimal(100), Decimal(100), True, ClaimOutcome.SUPPORTED),
        (Decimal(100), Decimal(40), True, ClaimOutcome.PARTLY_SUPPORTED),
        (Decimal(100), Decimal(0), True, ClaimOutcome.REJECTED),
        (None, None, True, ClaimOutcome.SUPPORTED),
        (Decimal(100), None, False, ClaimOutcome.REJECTED),
    ],
)
def test_an_award_line_s_outcome(claimed, awarded, granted, outcome):
    assert awarded_outcome(claimed, awarded, granted) == outcome


def test_the_cli_prints_the_documented_keys(demo, runner):
    args = ["metrics", "table", "--form", "MA1", "--from", "2026-01-01", "--to", "2026-12-31", "--unit", "LG"]
    result = runner.invoke(args=[*args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == [r.key for r in tables.MA1.rows]
    assert set(data["accepted"]) == {"total", "enterprise", "street", "arbitration", "other"}
    unit = demo.scalar(sa.select(Unit).where(Unit.code == "LG"))
    table = tables.compute(demo, tables.MA1, unit_scope(demo, unit), Period(date(2026, 1, 1), date(2026, 12, 31)))
    assert data["accepted"]["total"] == table.value("accepted")


def test_the_cli_writes_xlsx_and_pdf(demo, runner, tmp_path):
    from openpyxl import load_workbook

    xlsx, pdf = tmp_path / "ma2.xlsx", tmp_path / "ma2.pdf"
    args = ["metrics", "table", "--form", "MA2", "--from", "2026-01-01", "--to", "2026-12-31", "--unit", "LG"]
    result = runner.invoke(args=[*args, "--xlsx", str(xlsx), "--pdf", str(pdf)])
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF")
    sheet = load_workbook(xlsx).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "人社统MA2" in cells and any(str(c).startswith("填报人") for c in cells)
    unit = demo.scalar(sa.select(Unit).where(Unit.code == "LG"))
    table = tables.compute(demo, tables.MA2, unit_scope(demo, unit), Period(date(2026, 1, 1), date(2026, 12, 31)))
    rows = {row[1]: row[2] for row in sheet.iter_rows(values_only=True) if isinstance(row[1], int)}
    assert rows[2] == table.value("accepted")  # row 2 of the form: 当期受理


def test_each_cell_of_the_page_links_to_its_cases(demo, login):
    client = login("director", DEMO_PASSWORD)
    page = client.get("/reports/tables/MA2?from=2026-01-01&to=2026-12-31").get_data(as_text=True)
    assert 'data-cell="accepted.total"' in page
    unit = demo.scalar(sa.select(Unit).where(Unit.code == "LGA"))
    listed = client.get(
        f"/reports/tables/MA2/cases?row=closed&column=total&from=2026-01-01&to=2026-12-31&unit={unit.id}"
    ).get_data(as_text=True)
    table = tables.compute(demo, tables.MA2, unit_scope(demo, unit), Period(date(2026, 1, 1), date(2026, 12, 31)))
    assert f'<span class="count" id="drill-total">{table.value("closed"):,}</span>' in listed
    assert client.get("/reports/tables/MA9").status_code == 404
    assert client.get("/reports/tables/MA1/cases?row=nothing").status_code == 404


def test_an_annual_target_is_compared_pro_rata():
    from disputes.metrics.targets import meets_count, pro_rata

    january, year = Period(date(2026, 1, 1), date(2026, 1, 31)), Period(date(2026, 1, 1), date(2026, 12, 31))
    assert pro_rata(Decimal(365), january) == Decimal(31)
    assert pro_rata(Decimal(1200), year) == Decimal(1200)
    assert meets_count(110, Decimal(1200), january) is True  # 1200 × 31/365 ≈ 101.92
    assert meets_count(110, Decimal(1200), year) is False
    assert meets_count(5, None, january) is None


def test_a_cell_s_list_downloads_with_masked_ids_and_no_formulas(demo, login):
    """The CSV and XLSX of a cell's list carry its cases (one line each, the amount per case for a money cell, adding
    up to the cell), ID numbers masked, and a name a spreadsheet would run kept as text."""
    import csv
    import io

    from openpyxl import load_workbook

    from disputes.models import Arbitration, Case

    year = Period(date(2026, 1, 1), date(2026, 12, 31))
    unit = demo.scalar(sa.select(Unit).where(Unit.code == "LGA"))
    table = tables.compute(demo, tables.MA2, unit_scope(demo, unit), year)
    rows = tables.cell_rows(demo, tables.MA2, "accepted", tables.TOTAL, unit_scope(demo, unit), year)
    case_id = demo.scalar(sa.select(rows.c.case_id).order_by(rows.c.case_id).limit(1))
    case = demo.get(Case, case_id)
    party = case.applicants[0]
    party.name = "=HYPERLINK(1)"
    raw, masked = party.id_number, party.masked_id
    assert raw and masked and raw != masked
    demo.commit()
    assert demo.scalar(sa.select(Arbitration.id).where(Arbitration.case_id == case_id)) is not None
    client = login("director", DEMO_PASSWORD)
    period = f"from=2026-01-01&to=2026-12-31&unit={unit.id}"
    query = f"row=accepted&column=total&{period}"
    page = parse(client.get(f"/reports/tables/MA2/cases?{query}"))
    links = {a.get("href").split("?")[0] for a in page.iter("a") if "export" in (a.get("class") or "")}
    assert links == {"/reports/tables/MA2/cases.csv", "/reports/tables/MA2/cases.xlsx"}
    response = client.get(f"/reports/tables/MA2/cases.csv?{query}")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    lines = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(lines) == 1 + table.value("accepted")
    assert raw not in body and masked in body
    assert any("'=HYPERLINK(1)" in line for line in lines)
    sheet = load_workbook(io.BytesIO(client.get(f"/reports/tables/MA2/cases.xlsx?{query}").data)).active
    formula_cell = next(c for r in sheet.iter_rows() for c in r if c.value == "=HYPERLINK(1)")
    assert formula_cell.data_type == "s"  # text, never a formula
    money = client.get(f"/reports/tables/MA2/cases.xlsx?row=amount_claimed&column=total&{period}")
    values = list(load_workbook(io.BytesIO(money.data)).active.iter_rows(values_only=True))
    assert sum(Decimal(str(v[3])) for v in values[1:]) == table.value("amount_claimed") > 0


def test_a_count_is_judged_against_its_share_of_the_year_and_a_rate_as_it_is():
    from disputes.metrics import figures as F
    from disputes.metrics.targets import judge

    january, year = Period(date(2026, 1, 1), date(2026, 1, 31)), Period(date(2026, 1, 1), date(2026, 12, 31))
    closed = F.Value(F.BY_KEY["arbitration.closed"], 110, None)
    assert judge(closed, Decimal(1200), january) == (Decimal("101.92"), Decimal(1200), True)
    assert judge(closed, Decimal(1200), year).ok is False
    rate = F.Value(F.BY_KEY["arbitration.closure_rate"], 9, 10)
    assert judge(rate, Decimal("0.95"), january) == (Decimal("0.95"), None, False)
    assert judge(rate, None, january) == (None, None, None)


def _stored_and_live_facts(session) -> tuple[list, list]:
    from disputes.metrics import facts
    from disputes.models import StatisticalFact

    table = StatisticalFact.__table__
    stored = [tuple(r) for r in session.execute(sa.select(*(table.c[k] for k in facts.COLUMNS)))]
    live = [tuple(r) for source in facts.SOURCES for r in session.execute(facts.select_facts(source))]

    def normal(rows):  # booleans and amounts as either database returns them, in (source, row) order
        cents = Decimal("0.01")
        out = [
            (
                *r[:8],
                bool(r[8]),
                int(r[9]),
                r[10],
                *(Decimal(str(v)).quantize(cents) for v in r[11:14]),
                *map(bool, r[14:]),
            )
            for r in rows
        ]
        return sorted(out, key=lambda r: (r[0], r[1]))

    return normal(stored), normal(live)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=6, deadline=None)
@given(changes=st.lists(mutation, min_size=1, max_size=8))
def test_the_facts_rows_follow_every_change_through_the_fold(demo, changes):
    """After any changes to claims, cases and tracks, the fold leaves the facts rows exactly as read live from the
    tracks, and a table from the facts equals the same table read live."""
    from disputes.metrics.summary import fold

    units = list(demo.scalars(sa.select(Unit.id).order_by(Unit.id)))
    unit = demo.scalar(sa.select(Unit).where(Unit.code == "LG"))
    scope, period = unit_scope(demo, unit), Period(date(2026, 1, 1), date(2026, 12, 31))
    try:
        with demo.begin_nested():
            fold.fold(demo)
            stored, live = _stored_and_live_facts(demo)
            assert stored == live and stored
            for change in changes:
                params = {**change, "amount": str(change["amount"]), "unit": units[change["unit"] % len(units)]}
                demo.execute(sa.text(MUTATIONS[change["kind"]]), params)
            fold.fold(demo)
            stored, live = _stored_and_live_facts(demo)
            assert stored == live
            for form in (tables.MA1, tables.MA2):
                assert tables.compute(demo, form, scope, period).values == (
                    tables.compute(demo, form, scope, period, live=True).values
                )
    finally:
        demo.rollback()


def test_a_long_change_log_sends_the_table_to_the_live_facts(demo, monkeypatch):
    """A log longer than a reader folds (an import) leaves the facts behind: the table and its lists then read the
    tracks live, and still agree with each other and with the tracks."""
    from disputes.metrics import summary
    from disputes.metrics.summary import fold

    fold.fold(demo)
    unit = demo.scalar(sa.select(Unit).where(Unit.code == "LG"))
    scope, period = unit_scope(demo, unit), Period(date(2026, 1, 1), date(2026, 12, 31))
    before = tables.compute(demo, tables.MA2, scope, period)
    demo.execute(sa.text("UPDATE claims SET dispute_cause = 'working_time'"))
    monkeypatch.setattr(summary, "FOLD_LIMIT", 0)
    after = _check_every_cell(demo, tables.MA2, scope, period)
    assert fold.pending(demo) > 0  # nothing folded: read live
    assert after.value("cause_working_time") == before.value("accepted") > 0
    monkeypatch.setattr(summary, "FOLD_LIMIT", 20_000)
    assert tables.compute(demo, tables.MA2, scope, period).values == after.values
    assert fold.pending(demo) == 0
