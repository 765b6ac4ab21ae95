"""The ledger carries the court's outcome per claim item (issue 17, 裁审衔接): the court's case number, the date of
the judgment and one result per claim, imported into the rows the court-liaison officer's form writes, counted by
the court report and written back by the export."""

import io
from datetime import date

import pytest
import sqlalchemy as sa

from disputes.ledger import export, parse
from disputes.ledger.columns import COLUMNS
from disputes.ledger.errors import LedgerInvalid
from disputes.ledger.importer import import_ledger
from disputes.metrics import casesets
from disputes.metrics.scope import Period, unit_scope
from disputes.models import Case, CourtItemResult, Role
from disputes.workflow import litigation
from disputes.workflow.states import ItemRuling
from tests.ledger_rows import GOOD, csv_text
from tests.pages import parse as parse_page
from tests.pages import text

NEW = ("litigation_judged_on", "litigation_item_results")
# A non-final award the worker took to court; the judgment of 06-15 changed the wages item and upheld overtime.
JUDGED = {
    **GOOD[3],
    "registry_no": "L-0201",
    "claim_categories": "wages;overtime",
    "litigation_closed_on": "2026-06-30",
    "litigation_outcome": "judgment",
    "litigation_case_no": "（2026）粤0307民初201号",
    "litigation_judged_on": "2026-06-15",
    "litigation_item_results": "changed;upheld",
}
# A final award the employer applied to revoke: the court set it aside (ruling on the closing date).
REVOKED = {
    **GOOD[0],
    "registry_no": "L-0202",
    "litigation_filed_on": "2026-05-25",
    "litigation_by": "employer",
    "litigation_closed_on": "2026-07-01",
    "litigation_outcome": "revoked",
    "litigation_item_results": "revoked;revoked",
}
UPHELD = {**JUDGED, "registry_no": "L-0203", "litigation_item_results": "upheld;upheld", "litigation_case_no": ""}


def run(db, rows, actor=None, columns=COLUMNS, **kw):
    sheet = parse.read(io.BytesIO(csv_text(rows, columns=columns).encode("utf-8")), "ledger.csv")
    result = import_ledger(db.session, sheet, actor, note="imported", causes={}, **kw)
    db.session.commit()
    return result


def case_of(db, registry_no) -> Case:
    return db.session.scalar(sa.select(Case).where(Case.registry_no == registry_no))


def results_of(case: Case) -> list[tuple]:
    suit = case.lawsuits[0]
    return [(r.claim.category, r.ruling, r.decided_on, r.award_item_id is not None) for r in suit.item_results]


def test_results_are_imported_per_claim_in_order(db, org):
    clerk = org.user(Role.CLERK)
    run(db, [JUDGED, REVOKED], clerk)
    judged = case_of(db, "L-0201")
    suit = judged.lawsuits[0]
    assert (suit.court_case_no, suit.judged_on, suit.closed_on) == (
        "（2026）粤0307民初201号",
        date(2026, 6, 15),
        date(2026, 6, 30),
    )
    assert results_of(judged) == [
        ("wages", ItemRuling.CHANGED, date(2026, 6, 15), False),
        ("overtime", ItemRuling.UPHELD, date(2026, 6, 15), False),
    ]
    assert {r.recorded_by_id for r in suit.item_results} == {clerk.id}
    # The officer's form offers the same items (the case's claims: this suit names no award) with these results.
    assert [f"claim-{r.claim_id}" for r in suit.item_results] == [k for k, _c in litigation.result_items(suit)]
    revoked = case_of(db, "L-0202")
    # Dated by the closing when no judgment date is given; the revoked award's item (on the first claim) is named,
    # as the form keys it.
    assert results_of(revoked) == [
        ("wages", ItemRuling.REVOKED, date(2026, 7, 1), True),
        ("overtime", ItemRuling.REVOKED, date(2026, 7, 1), False),
    ]
    item = revoked.lawsuits[0].item_results[0].award_item
    assert item.award_id == revoked.lawsuits[0].award_id and item.claim_id == revoked.claims[0].id


def test_a_ledger_without_the_columns_imports_as_before(db, org):
    old = [c for c in COLUMNS if c not in NEW]
    row = {k: v for k, v in JUDGED.items() if k not in NEW}
    assert run(db, [row], columns=old).created == 1
    suit = case_of(db, "L-0201").lawsuits[0]
    assert suit.item_results == [] and suit.judged_on == date(2026, 6, 30)  # the closing date, as before


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({"litigation_item_results": "changed;kept"}, "litigation_item_results", "“kept” is not one of"),
        ({"litigation_item_results": "changed"}, "litigation_item_results", "for every claim category"),
        ({"litigation_item_results": "changed;"}, "litigation_item_results", "for every claim category"),
        ({"litigation_judged_on": "2026-07-05"}, "litigation_closed_on", "before litigation_judged_on"),
        ({"litigation_judged_on": "2026-03-01"}, "litigation_judged_on", "before litigation_filed_on"),
        ({"litigation_judged_on": "15/06/2026"}, "litigation_judged_on", "is not a date"),
        (
            {"litigation_closed_on": "", "litigation_outcome": "", "litigation_judged_on": ""},
            "litigation_closed_on",
            "needed when litigation_item_results is given",
        ),
        (
            {"litigation_filed_on": "", "litigation_by": "", "litigation_closed_on": "", "litigation_outcome": ""},
            "litigation_item_results",
            "needs litigation_filed_on",
        ),
    ],
)
def test_bad_results_are_row_errors_and_nothing_is_written(db, org, change, column, words):
    """Every row is checked first: a bad cell names its row and column, and the good rows are not written either."""
    with pytest.raises(LedgerInvalid) as caught:
        run(db, [REVOKED, {**JUDGED, **change}])
    db.session.rollback()
    found = [(e.row, e.column, e.text(lambda m: m)) for e in caught.value.errors]
    assert any(r == 3 and c == column and words in t for r, c, t in found), found
    assert all(r == 3 for r, _c, _t in found)
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(CourtItemResult.id))) == 0


def test_the_court_report_counts_the_imported_results(db, org, login):
    run(db, [JUDGED, REVOKED, UPHELD, GOOD[3]], org.user(Role.CLERK))
    ids = {no: case_of(db, no).id for no in ("L-0201", "L-0202", "L-0203", "L-0004")}
    year = Period(date(2026, 1, 1), date(2026, 12, 31))
    report = casesets.court(db.session, unit_scope(db.session, org.centre), year, date(2026, 11, 20))
    counted = lambda measure: {case_id for case_id, _w in report.rows("total", "total", measure)}
    assert counted("sued") == set(ids.values())
    assert counted("decided") == {ids["L-0201"], ids["L-0202"], ids["L-0203"]}
    assert counted("different") == {ids["L-0201"], ids["L-0202"]} and counted("upheld") == {ids["L-0203"]}
    arbitrator = org.user(Role.ARBITRATOR).id
    assert report.rate("arbitrator", arbitrator, casesets.COURT_RATES[1]) == pytest.approx(2 / 3)
    client = login(org.user(Role.SUPERVISOR))
    doc = parse_page(client.get(f"/reports/court?preset=year&on=2026-06-01&unit={org.centre.id}"))
    different = next(s for s in doc.iter("section") if s.get("id") == "decided-differently")
    assert "L-0201" in text(different) and "（2026）粤0307民初201号" in text(different)
    assert "L-0203" not in text(different)
    links = [a for a in doc.iter("a") if "drill" in (a.get("class") or "").split()]
    assert links
    for link in links:
        listed = parse_page(client.get(link.get("href")))
        total = next(e for e in listed.iter("span") if e.get("id") == "drill-total")
        assert text(total) == text(link), link.get("href")


def test_export_writes_the_results_back_and_update_replaces_them(db, org):
    run(db, [JUDGED, REVOKED, GOOD[3]], org.user(Role.CLERK))
    ids = [case_of(db, no).id for no in ("L-0201", "L-0202", "L-0004")]
    rows = {row["registry_no"]: row for _id, row in export.rows_for(db.session, ids, export.Unmask())}
    assert {c: rows["L-0201"][c] for c in ("litigation_case_no", *NEW)} == {
        "litigation_case_no": JUDGED["litigation_case_no"],
        "litigation_judged_on": "2026-06-15",
        "litigation_item_results": "changed;upheld",
    }
    assert (rows["L-0202"]["litigation_judged_on"], rows["L-0202"]["litigation_item_results"]) == (
        "2026-07-01",
        "revoked;revoked",
    )
    assert (rows["L-0004"]["litigation_judged_on"], rows["L-0004"]["litigation_item_results"]) == ("", "")
    # The exported row imported again (--update) gives the same results; a changed cell replaces them.
    run(db, [rows["L-0201"]], update=True)
    assert [r[1] for r in results_of(case_of(db, "L-0201"))] == [ItemRuling.CHANGED, ItemRuling.UPHELD]
    run(db, [{**rows["L-0201"], "litigation_item_results": "upheld;upheld"}], update=True)
    db.session.expire_all()
    assert [r[1] for r in results_of(case_of(db, "L-0201"))] == [ItemRuling.UPHELD, ItemRuling.UPHELD]
    assert db.session.scalar(sa.select(sa.func.count(CourtItemResult.id))) == 4  # 2 replaced, 2 of L-0202


def test_results_the_officer_recorded_are_exported(db, org):
    """A case whose results came from the officer's form exports them in the claims' order."""
    run(db, [{**JUDGED, "litigation_judged_on": "", "litigation_item_results": ""}], org.user(Role.CLERK))
    case = case_of(db, "L-0201")
    suit = case.lawsuits[0]
    keys = [k for k, _c in litigation.result_items(suit)]
    litigation.record_item_results(
        db.session,
        case,
        org.user(Role.COURT_LIAISON),
        suit,
        decided_on=date(2026, 6, 20),
        rulings=dict(zip(keys, (ItemRuling.MEDIATED, ItemRuling.WITHDRAWN), strict=True)),
    )
    db.session.commit()
    (row,) = [row for _id, row in export.rows_for(db.session, [case.id], export.Unmask())]
    assert (row["litigation_judged_on"], row["litigation_item_results"]) == ("2026-06-20", "mediated;withdrawn")
