"""Every figure of metrics.md on hand-built rows whose answers are worked out here by hand."""

import json
from datetime import date as D

import pytest

from disputes.metrics import figures as F
from disputes.metrics.compute import ALL, compute, counts, figure_set, total
from disputes.metrics.drill import count as drill_count
from disputes.metrics.drill import rows as drill_rows
from disputes.metrics.scope import Period, Scope, preset, unit_scope
from disputes.models import Role
from tests.metrics_data import Rows, build_quarter

QUARTER = Period(D(2026, 7, 1), D(2026, 9, 30))
AS_OF = D(2026, 11, 20)


@pytest.fixture
def data(db, org):
    return build_quarter(db.session, org)


EXPECTED = {
    "arbitration.accepted": (5, None),  # a3 a4 a5 a9 a10
    "arbitration.pending_start": (2, None),  # a1 a2
    "arbitration.closed": (4, None),  # a2 a3 a9 a10
    "arbitration.pending_end": (3, None),  # a1 a4 a5 = 2 + 5 − 4
    "arbitration.closure_rate": (4, 7),
    "arbitration.on_time_rate": (2, 4),  # a2 a9 met; a3 met late; a10 has no timer
    "arbitration.due_closure_rate": (2, 3),  # due in the quarter: a2 a3 a9; a3 closed after its deadline
    "arbitration.mediation_rate": (1, 4),  # a3
    "arbitration.mediation_withdrawal_rate": (2, 4),  # a3 a10
    "arbitration.final_award_share": (1, 2),  # a2 final, a9 non-final
    "arbitration.finality_rate": (3, 4),  # a9 sued; a3's lawsuit is after the as-of date; no party unserved
    "arbitration.finality_pending": (0, None),  # a2's parties (none recorded) have no period running
    "arbitration.average_days": (25 + 71 + 31 + 15, 4),
    "mediation.closed": (5, None),  # m1…m5
    "mediation.success_rate": (2, 5),  # m1 m2 / m1…m5, the withdrawn m4 included (MA1)
    "mediation.performance_rate": (1, 2),  # m1 performed, m2 pending
    "overall.mediation_rate": (1 + 2, 4 + 2),
    "overall.mediation_success_rate": (2 + 1, 5 + 4),  # m1 m2 + a3 / mediations ended + arbitrations closed
    "overall.pre_court_resolution_rate": (4, 5),  # a2 a3 a10 m1 / + a9 (sued)
    "legal_aid.decided_on_time_rate": (1, 2),
    "legal_aid.granted": (1, None),
    "sla.breaches": (3, None),  # a3's award, la2's decision, a4's notice
    "sla.on_time_rate": (3, 5),  # a2 a9 la1 / + a3 la2
}


def test_every_figure_by_hand(db, data):
    values = compute(db.session, Scope(), QUARTER, AS_OF)
    assert set(values) == set(EXPECTED) == set(F.KEYS)
    for key, (numerator, denominator) in EXPECTED.items():
        assert (values[key].numerator, values[key].denominator) == (numerator, denominator), key
    assert values["arbitration.average_days"].value == 35.5
    assert values["overall.mediation_rate"].value == 0.5


def test_drill_down_lists_match_the_counts(db, data):
    values = compute(db.session, Scope(), QUARTER, AS_OF)
    for figure in F.FIGURES:
        for part in ("numerator", "denominator"):
            subquery = drill_rows(figure, part, Scope(), QUARTER, AS_OF)
            expected = getattr(values[figure.key], part)
            if figure.kind == F.AVERAGE and part == "numerator":
                expected = values[figure.key].denominator  # the days are summed over the closed cases
            if expected is None:
                assert subquery is None, figure.key
                continue
            assert drill_count(db.session, subquery) == expected, (figure.key, part)


def test_drill_down_names_the_cases(db, data):
    figure = F.BY_KEY["arbitration.pending_end"]
    listed = {
        row.case_id for row in db.session.execute(drill_rows(figure, "numerator", Scope(), QUARTER, AS_OF).select())
    }
    assert listed == {data["a"][n].case_id for n in (1, 4, 5)}


def test_zero_denominators_are_none(db, data):
    values = compute(db.session, Scope(), Period(D(2025, 1, 1), D(2025, 1, 31)), AS_OF)
    for figure in F.FIGURES:
        if figure.kind == F.COUNT:
            assert values[figure.key].value == 0
        else:
            assert values[figure.key].denominator == 0 and values[figure.key].value is None, figure.key


def test_scope_by_unit_and_person(db, org, data):
    street = compute(db.session, unit_scope(db.session, org.street), QUARTER, AS_OF)
    assert street["mediation.closed"].value == 1 and street["mediation.success_rate"].value == 1.0
    assert street["arbitration.closure_rate"].value is None
    mine = compute(db.session, Scope(person_id=org.user(Role.ARBITRATOR).id), QUARTER, AS_OF)
    assert (mine["arbitration.pending_start"].value, mine["arbitration.closed"].value) == (2, 1)


def test_groupings_add_up_to_the_totals(db, org, data):
    periods = [QUARTER, QUARTER.previous()]
    by_unit = counts(db.session, Scope(), periods, AS_OF, grouping="unit")
    whole = counts(db.session, Scope(), periods, AS_OF)[ALL]
    assert total(by_unit, 2) == [{k: v for k, v in t.items()} for t in whole]
    mediation = figure_set(by_unit[org.mediation.id][0])
    assert (mediation["mediation.success_rate"].numerator, mediation["mediation.success_rate"].denominator) == (1, 4)
    by_person = counts(db.session, Scope(), [QUARTER], AS_OF, grouping="person", sources=("arbitration",))
    assert figure_set(by_person[org.user(Role.ARBITRATOR).id][0])["arbitration.closed"].value == 1


def test_previous_period_and_presets():
    assert QUARTER.previous() == Period(D(2026, 4, 1), D(2026, 6, 30))
    assert preset("quarter", D(2026, 8, 9)) == QUARTER
    assert preset("month", D(2024, 2, 9)) == Period(D(2024, 2, 1), D(2024, 2, 29))
    assert QUARTER.months() == ["2026-07", "2026-08", "2026-09"]


def test_published_overall_mediation_rate(db, org):
    """53 arbitral mediation statements, 65 awards, 19 other closures, 111 successful out-of-case mediations:
    (53 + 111) / (137 + 111) = 66.1 %, as the published report states."""
    r = Rows(db.session, org)
    for closure, n in (("mediation_statement", 53), ("award", 65), ("withdrawn", 19)):
        for _ in range(n):
            r.arbitration(D(2026, 3, 1), D(2026, 8, 1), closure)
    for _ in range(111):
        r.mediation("agreement", D(2026, 8, 2))
    db.session.commit()
    value = compute(db.session, Scope(), QUARTER, AS_OF)["overall.mediation_rate"]
    assert (value.numerator, value.denominator) == (164, 248)
    assert f"{100 * value.value:.1f}" == "66.1"


def test_cli_json_has_every_key(runner, data):
    result = runner.invoke(
        args=["metrics", "--from", "2026-07-01", "--to", "2026-09-30", "--as-of", "2026-11-20", "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert list(out) == list(F.KEYS)
    assert out["arbitration.accepted"] == 5 and out["arbitration.closure_rate"] == 4 / 7
    assert out["arbitration.average_days"] == 35.5
    assert out["arbitration.due_closure_rate"] == 2 / 3 and out["arbitration.finality_pending"] == 0
    assert out["overall.mediation_success_rate"] == 3 / 9 and out["mediation.success_rate"] == 2 / 5
    empty = json.loads(runner.invoke(args=["metrics", "--from", "2020-01-01", "--to", "2020-01-31", "--json"]).output)
    assert empty["arbitration.closure_rate"] is None and empty["arbitration.closed"] == 0
    assert empty["arbitration.due_closure_rate"] is None and empty["overall.mediation_success_rate"] is None
    assert empty["arbitration.finality_pending"] == 0


def test_cli_text_and_unit(runner, org, data):
    result = runner.invoke(args=["metrics", "--from", "2026-07-01", "--to", "2026-09-30", "--unit", "BJ"])
    assert result.exit_code == 0, result.output
    assert "mediation.success_rate" in result.output and "100.0 %" in result.output
    assert "—" in result.output  # no arbitration under the street
    bad = runner.invoke(args=["metrics", "--from", "2026-07-01", "--to", "2026-09-30", "--unit", "NOPE"])
    assert bad.exit_code != 0


def test_a_case_counts_once_per_category(db, org):
    from disputes.models import Claim

    r = Rows(db.session, org)
    arbitration = r.arbitration(D(2026, 7, 2), D(2026, 8, 1), "award")
    for category in ("wages", "wages", "overtime"):
        db.session.add(Claim(case_id=arbitration.case_id, category=category, amount=100))
    db.session.commit()
    groups = counts(db.session, Scope(), [QUARTER], AS_OF, grouping="category", sources=("arbitration",))
    closed = {str(key): figure_set(per[0])["arbitration.closed"].value for key, per in groups.items()}
    assert closed == {"wages": 1, "overtime": 1}
    wages = compute(db.session, Scope(category="wages"), QUARTER, AS_OF)["arbitration.closed"]
    assert wages.value == 1


def test_a_suspension_without_an_end_counts_up_to_the_closure(db, org):
    r = Rows(db.session, org)
    arbitration = r.arbitration(D(2026, 7, 1), D(2026, 7, 31), "award")  # 30 days
    r.suspension(arbitration, D(2026, 7, 11), None)  # 20 days suspended at closure
    r.suspension(arbitration, D(2026, 7, 2), D(2026, 7, 5))  # 3 more
    db.session.commit()
    value = compute(db.session, Scope(), QUARTER, AS_OF)["arbitration.average_days"]
    assert (value.numerator, value.denominator) == (30 - 20 - 3, 1)
