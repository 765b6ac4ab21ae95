"""What a supervisor reads and hands on: no internal keys on screen, the same period last year, charts drawn by
pygal, drill-down lists as CSV/XLSX under the export rules, and the status of an award awaiting its period to sue."""

import base64
import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from disputes.metrics.scope import Period
from disputes.models import Case, Party, Role
from disputes.models.enums import PartyKind, PartySide
from disputes.workflow.states import CaseStatus
from tests.metrics_data import Rows, build_quarter
from tests.pages import parse, text

QUARTER = "from=2026-07-01&to=2026-09-30"


@pytest.fixture
def data(db, org):
    return build_quarter(db.session, org)


def test_period_a_year_before():
    assert Period(date(2024, 2, 1), date(2024, 2, 29)).year_before() == Period(date(2023, 2, 1), date(2023, 2, 28))
    assert Period(date(2026, 7, 1), date(2026, 9, 30)).year_before() == Period(date(2025, 7, 1), date(2025, 9, 30))


def test_dashboard_shows_no_keys_and_compares_with_last_year(db, org, data, login):
    client = login(org.user(Role.SUPERVISOR))
    doc = parse(client.get(f"/reports?{QUARTER}&lang=en"))
    main = text(doc.find(".//main"))
    assert "arbitration.closure_rate" not in main and "numerator" not in main and "denominator" not in main
    row = next(tr for tr in doc.iter("tr") if tr.get("id") == "figure-arbitration-accepted")
    assert row.findall("td")[0].get("title") == "arbitration.accepted"  # the key stays, as a tooltip
    cells = [text(td) for td in row.findall("td")]
    assert cells[5] == "0" and cells[6] == "+5"  # nothing accepted in July–September 2025
    year_on_year = next(s for s in doc.iter("section") if s.get("id") == "year-on-year")
    images = [e for e in doc.iter("img") if "chart-image" in (e.get("class") or "")]
    assert len(images) == 2 and any(e in images for e in year_on_year.iter("img"))
    for image in images:
        svg = base64.b64decode(image.get("src").removeprefix("data:image/svg+xml;base64,")).decode()
        assert "pygal-chart" in svg and "<script" not in svg and image.get("alt")


def test_the_year_before_counts_what_happened_a_year_earlier(db, org, data, login):
    r = Rows(db.session, org)
    r.n = 900  # registry numbers after build_quarter's
    r.arbitration(date(2025, 8, 3), None)
    db.session.commit()
    client = login(org.user(Role.SUPERVISOR))
    doc = parse(client.get(f"/reports?{QUARTER}"))
    row = next(tr for tr in doc.iter("tr") if tr.get("id") == "figure-arbitration-accepted")
    assert [text(td) for td in row.findall("td")][5:7] == ["1", "+4"]


def test_drill_down_exports_csv_and_xlsx_with_the_export_rules(db, org, data, login):
    case_id = data["a"][5].case_id
    db.session.add(
        Party(
            case_id=case_id,
            side=PartySide.APPLICANT,
            kind=PartyKind.WORKER,
            name="=HYPERLINK(1)",
            id_number="110105194912310021",
            id_tail="0021",
        )
    )
    db.session.commit()
    client = login(org.user(Role.SUPERVISOR))
    query = f"figure=arbitration.pending_end&part=numerator&{QUARTER}"
    page = parse(client.get(f"/reports/cases?{query}"))
    assert {a.get("href").split("?")[0] for a in page.iter("a") if "export" in (a.get("class") or "")} == {
        "/reports/cases.csv",
        "/reports/cases.xlsx",
    }
    response = client.get(f"/reports/cases.csv?{query}")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(lines) == 1 + 3  # a1 a4 a5, as the list counts
    row = next(line for line in lines if "'=HYPERLINK(1)" in line)
    assert "110105194912310021" not in response.get_data(as_text=True) and "110105********0021" in row
    book = load_workbook(io.BytesIO(client.get(f"/reports/cases.xlsx?{query}").data))
    sheet = book.active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert len(values) == 4
    formula_cell = next(c for r in sheet.iter_rows() for c in r if c.value == "=HYPERLINK(1)")
    assert formula_cell.data_type == "s"  # text, never a formula


def _row_of(doc, case_id):
    return next(tr for tr in doc.iter("tr") if f"/cases/{case_id}" in [a.get("href") for a in tr.iter("a")])


def test_award_awaiting_its_period_to_sue_reads_arbitration_closed(db, org, data, login):
    """A case closed by award whose parties have not all been served stays open: its header and the closed list say
    so, with the closing date."""
    a2 = data["a"][2]
    db.session.add(Party(case_id=a2.case_id, side=PartySide.APPLICANT, kind=PartyKind.WORKER, name="李四"))
    case = db.session.get(Case, a2.case_id)
    case.status, case.closed_on = CaseStatus.OPEN, None  # the award waits for its service: the case is open
    db.session.commit()
    client = login(org.user(Role.SUPERVISOR))
    header = text(parse(client.get(f"/cases/{a2.case_id}")).find(".//section[@id='now']"))
    assert "仲裁已结案 · 起诉期内" in header and "2026年7月15日" in header
    doc = parse(client.get(f"/reports/cases?figure=arbitration.closed&part=numerator&{QUARTER}"))
    row = _row_of(doc, a2.case_id)
    assert "仲裁已结案 · 起诉期内" in text(row) and "2026年7月15日" in text(row)
    other = _row_of(doc, data["a"][9].case_id)
    assert "已结案" in text(other) and "起诉期内" not in text(other)
