"""A claim's dispute cause and amount recovered entered on the web (issue 17): the case page links to the claims
page; a save changes the claim, writes the timeline, and moves the claim between the statistical tables' rows."""

from decimal import Decimal

from disputes.models import Claim, Role, TimelineEntry
from tests.pages import parse, text


def test_the_case_page_links_to_the_claims_page(db, org, make_case, login):
    case = make_case()
    client = login(org.user(Role.CLERK))
    doc = parse(client.get(f"/cases/{case.id}"))
    link = next(a for a in doc.iter("a") if a.get("id") == "claim-facts-link")
    assert link.get("href") == f"/cases/{case.id}/claims"
    page = parse(client.get(link.get("href")))
    row = next(tr for tr in page.iter("tr") if tr.get("id") == f"claim-{case.claims[0].id}")
    assert "劳动报酬" in text(row) and "按类别" in text(row)  # wages: remuneration, through the mapping


def test_saving_a_claim_s_cause_and_recovered_amount(db, org, make_case, login):
    case = make_case()
    claim = case.claims[0]
    client = login(org.user(Role.CLERK))
    url = f"/cases/{case.id}/claims/{claim.id}"
    saved = client.post(url, data={"dispute_cause": "social_insurance", "recovered_amount": "3000.00"})
    assert saved.status_code == 302
    db.session.expire_all()
    claim = db.session.get(Claim, claim.id)
    assert (claim.dispute_cause, claim.recovered_amount) == ("social_insurance", Decimal("3000.00"))
    entry = db.session.query(TimelineEntry).filter_by(case_id=case.id, kind="claim_facts_changed").one()
    assert entry.before["dispute_cause"] is None and entry.after == {
        "dispute_cause": "social_insurance",
        "recovered_amount": "3000.00",
    }
    page = parse(client.get(f"/cases/{case.id}/claims"))
    assert "社会保险" in text(next(tr for tr in page.iter("tr") if tr.get("id") == f"claim-{claim.id}"))
    again = client.post(url, data={"dispute_cause": "social_insurance", "recovered_amount": "3000.00"})
    assert again.status_code == 302
    assert db.session.query(TimelineEntry).filter_by(case_id=case.id, kind="claim_facts_changed").count() == 1


def test_refusals_keep_the_claim(db, org, make_case, login):
    case = make_case()
    claim = case.claims[0]
    client = login(org.user(Role.CLERK))
    url = f"/cases/{case.id}/claims/{claim.id}"
    too_much = client.post(url, data={"dispute_cause": "", "recovered_amount": "12000.01"})  # claimed 12,000
    assert too_much.status_code == 400 and "不能超过" in too_much.get_data(as_text=True)
    unknown = client.post(url, data={"dispute_cause": "bribery", "recovered_amount": ""})
    assert unknown.status_code == 400
    assert client.post(url, data={"dispute_cause": "", "recovered_amount": "-1"}).status_code == 400
    assert client.post(f"/cases/{case.id}/claims/999999", data={"dispute_cause": ""}).status_code == 404
    db.session.expire_all()
    claim = db.session.get(Claim, claim.id)
    assert (claim.dispute_cause, claim.recovered_amount) == (None, None)
