"""Court outcomes (裁审衔接), workload and ageing: recorded by the court liaison, counted per group, and every count
lists exactly its cases (and downloads them)."""

import csv
import io
from datetime import date

import pytest

from disputes import clock
from disputes.i18n import DomainError
from disputes.metrics import casesets
from disputes.metrics.scope import Period, unit_scope
from disputes.models import Absence, Role, TimelineEntry
from disputes.workflow import litigation
from disputes.workflow.states import ArbitrationState, ItemRuling, LawsuitState
from tests.drive import Driver
from tests.metrics_data import build_quarter
from tests.pages import parse, text


@pytest.fixture
def judged(db, org, make_case):
    """Two litigated awards: one the court changed in part, one it upheld; a third award not taken to court."""
    cases = []
    for n in range(3):
        case = make_case()
        driver = Driver(db.session, org, case)
        if n < 2:
            suit = driver.lawsuit(LawsuitState.JUDGED)
        else:
            driver.arbitration(ArbitrationState.CLOSED)
            suit = None
        cases.append((case, suit))
    db.session.commit()
    return cases


def _record(db, org, case, suit, rulings):
    items = litigation.result_items(suit)
    litigation.record_item_results(
        db.session,
        case,
        org.user(Role.COURT_LIAISON),
        suit,
        decided_on=clock.today_local(),
        rulings={key: ruling for (key, _item), ruling in zip(items, rulings, strict=False)},
        court_case_no="（2026）粤0307民初88号",
    )


def test_the_court_liaison_records_a_result_per_item(db, org, judged):
    case, suit = judged[0]
    items = litigation.result_items(suit)
    assert items and all(key.startswith("item-") for key, _item in items)
    with pytest.raises(DomainError, match="every item"):
        litigation.record_item_results(
            db.session, case, org.user(Role.COURT_LIAISON), suit, decided_on=clock.today_local(), rulings={}
        )
    with pytest.raises(DomainError):  # the arbitrator whose award the court judged does not record the result
        litigation.record_item_results(
            db.session,
            case,
            org.user(Role.ARBITRATOR),
            suit,
            decided_on=clock.today_local(),
            rulings={k: ItemRuling.UPHELD for k, _i in items},
        )
    _record(db, org, case, suit, [ItemRuling.CHANGED] + [ItemRuling.UPHELD] * (len(items) - 1))
    assert suit.item_results[0].ruling == ItemRuling.CHANGED
    assert suit.court_case_no == "（2026）粤0307民初88号"
    assert case.timeline.first().kind == "litigation.record_item_results"
    _record(db, org, case, suit, [ItemRuling.UPHELD] * len(items))  # a second recording replaces the first
    assert {r.ruling for r in suit.item_results} == {ItemRuling.UPHELD}


def test_court_report_counts_and_lists_the_same_cases(db, org, judged, login):
    (changed, suit1), (upheld, suit2), (not_sued, _none) = judged
    _record(db, org, changed, suit1, [ItemRuling.REVOKED] * len(litigation.result_items(suit1)))
    _record(db, org, upheld, suit2, [ItemRuling.UPHELD] * len(litigation.result_items(suit2)))
    db.session.commit()
    today = clock.today_local()
    period = Period(date(today.year, 1, 1), date(today.year, 12, 31))
    report = casesets.court(db.session, unit_scope(db.session, org.centre), period, today)
    ids = lambda m: {case_id for case_id, _w in report.rows("total", "total", m)}
    assert ids("awards") == {changed.id, upheld.id, not_sued.id}
    assert ids("sued") == {changed.id, upheld.id}
    assert ids("decided") == {changed.id, upheld.id}
    assert ids("different") == {changed.id} and ids("upheld") == {upheld.id}
    arbitrator = org.user(Role.ARBITRATOR).id
    assert report.rate("arbitrator", arbitrator, casesets.COURT_RATES[1]) == 0.5
    client = login(org.user(Role.SUPERVISOR))
    doc = parse(client.get(f"/reports/court?preset=year&on={today.isoformat()}&unit={org.centre.id}"))
    links = [a for a in doc.iter("a") if "drill" in (a.get("class") or "").split()]
    assert len(links) > 10
    for link in links:
        listed = parse(client.get(link.get("href")))
        total = next(e for e in listed.iter("span") if e.get("id") == "drill-total")
        assert text(total) == text(link), link.get("href")
    different = next(s for s in doc.iter("section") if s.get("id") == "decided-differently")
    assert changed.registry_no in text(different) and upheld.registry_no not in text(different)
    export = client.get(
        f"/reports/court/cases.csv?measure=different&grouping=total&key=total&preset=year&on={today.isoformat()}"
    )
    lines = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    assert [line[0] for line in lines[1:]] == [changed.registry_no]


def test_workload_and_ageing_count_what_their_lists_show(db, org, login):
    data = build_quarter(db.session, org)
    arbitrator = org.user(Role.ARBITRATOR)
    db.session.add(Absence(user_id=arbitrator.id, starts_on=date(2026, 8, 3), ends_on=date(2026, 8, 7), note="年假"))
    db.session.commit()
    scope = unit_scope(db.session, org.centre)
    report = casesets.workload(db.session, scope, Period(date(2026, 7, 1), date(2026, 9, 30)), date(2026, 11, 20))
    rows = report.rows("person", arbitrator.id, "closed")
    assert {case_id for case_id, _w in rows} == {data["a"][2].case_id}  # a2 only has an arbitrator and closed here
    assert report.values["person"][arbitrator.id]["absent_days"] == 5
    assert report.values["person"][arbitrator.id]["average_days"] == 25
    client = login(org.user(Role.SUPERVISOR))
    quarter = "preset=quarter&on=2026-08-01"
    for path in (f"/reports/workload?{quarter}", f"/reports/ageing?{quarter}&stale=10"):
        doc = parse(client.get(path))
        links = [a for a in doc.iter("a") if "drill" in (a.get("class") or "").split()]
        assert links, path
        for link in links:
            listed = parse(client.get(link.get("href")))
            total = next(e for e in listed.iter("span") if e.get("id") == "drill-total")
            assert text(total) == text(link), link.get("href")
    assert client.get(f"/reports/ageing?{quarter}&stale=0").status_code == 400
    assert client.get(f"/reports/workload/cases?measure=nope&{quarter}").status_code == 404


def test_age_bands_and_stale_cases(db, org, make_case):
    assert [casesets.band_of(d) for d in (0, 15, 16, 30, 31, 45, 46, 60, 61)] == [
        "age_15", "age_15", "age_30", "age_30", "age_45", "age_45", "age_60", "age_60", "age_over",
    ]  # fmt: skip
    case = make_case(registered_on=date(2026, 9, 1), dispute_known_on=date(2026, 8, 1))
    today = clock.today_local()
    scope = unit_scope(db.session, org.centre)
    report = casesets.ageing(db.session, scope, today, stale_days=10)
    age = (today - case.registered_on).days
    assert (case.id, "case") in report.rows("total", "total", casesets.band_of(age))
    recent = db.session.query(TimelineEntry).filter_by(case_id=case.id).count()
    assert recent  # registering the case is an action: it is not stale until 10 days after it
    stale = {c for c, _w in report.rows("total", "total", "stale")}
    assert case.id not in stale
    later = casesets.ageing(db.session, scope, date(today.year + 1, 1, 1), stale_days=10)
    assert case.id in {c for c, _w in later.rows("total", "total", "stale")}


def test_the_result_form_lists_every_item_and_records_them(db, org, judged, login):
    case, suit = judged[0]
    items = litigation.result_items(suit)
    url = f"/cases/{case.id}/litigation/{suit.id}/record-item-results"
    client = login(org.user(Role.COURT_LIAISON))
    page = client.get(url)
    assert page.status_code == 200
    inputs = {e.get("name"): e.get("value") for e in parse(page).iter("input")}
    keys = [inputs[f"items-{n}-key"] for n in range(len(items))]
    assert keys == [key for key, _item in items]
    selects = [e for e in parse(page).iter("select") if (e.get("name") or "").endswith("-ruling")]
    assert len(selects) == len(items)
    hidden = {name: value for name, value in inputs.items() if name in ("version", "submission", "csrf_token")}
    data = {**hidden, "court_case_no": "（2026）粤0307民初5号", "decided_on": clock.today_local().isoformat()}
    data |= {f"items-{n}-key": key for n, key in enumerate(keys)}
    refused = client.post(url, data={**data, **{f"items-{n}-ruling": "" for n in range(len(keys))}})
    assert refused.status_code == 400 and not suit.item_results  # every item needs its result
    data |= {f"items-{n}-ruling": "changed" if n == 0 else "upheld" for n in range(len(keys))}
    data["submission"] = {e.get("name"): e.get("value") for e in parse(refused).iter("input")}["submission"]
    done = client.post(url, data=data)
    assert done.status_code == 302, done.get_data(as_text=True)[:1500]
    db.session.expire_all()
    results = db.session.get(type(suit), suit.id).item_results
    assert [r.ruling for r in results] == [ItemRuling.CHANGED] + [ItemRuling.UPHELD] * (len(keys) - 1)
    shown = text(parse(client.get(f"/cases/{case.id}")).find(f".//section[@id='lawsuit-{suit.id}']"))
    assert "改判" in shown and "（2026）粤0307民初5号" in shown
    assert login(org.user(Role.ARBITRATOR)).get(url).status_code == 403
