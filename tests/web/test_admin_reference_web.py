"""The administrator's reference data pages: minimum wages and hearing rooms."""

from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, ngettext

from disputes import organisation
from disputes.models import ClaimCategory, HearingRoom, MinimumWage, Role, UnitKind
from disputes.workflow import awards
from disputes.workflow.intake import ClaimInput
from disputes.workflow.states import ArbitrationState, Finality
from tests.drive import Driver
from tests.pages import classes, field_errors, flashes, parse, t, text

DUPLICATE = "Region %(code)s already has a minimum wage from %(date)s."
NOT_A_COMMISSION = "Hearing rooms belong to an arbitration commission."
ROOM_TAKEN = "%(unit)s already has a hearing room called %(name)s."


@pytest.fixture
def admin(org, login):
    return login(org.user(Role.ADMIN))


def wage_form(**changes) -> dict:
    return {
        "region_code": "440307",
        "region_name": "龙岗区",
        "effective_from": "2026-11-01",
        "monthly_amount": "1000.00",
    } | changes


def wage(db, code, on) -> MinimumWage | None:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(MinimumWage).where(MinimumWage.region_code == code, MinimumWage.effective_from == on)
    )


def typed(response) -> dict:
    """What the form shows in its fields (an input without a name, such as the menu's toggle, is never sent)."""
    return {
        e.get("name"): e.get("value")
        for e in parse(response).iter("input")
        if e.get("type") != "hidden" and e.get("name")
    }


def path_of(response) -> str:
    return urlsplit(response.headers["Location"]).path


# --- minimum wages --------------------------------------------------------------------------


def test_list_groups_by_region_and_highlights_the_figure_in_force(app, db, admin):
    db.session.add(
        MinimumWage(
            region_code="440300",
            region_name="深圳市",
            effective_from=date(2027, 1, 1),
            monthly_amount=Decimal("2700.00"),
        )
    )
    db.session.commit()
    doc = parse(admin.get("/admin/minimum-wages"))
    sections = {text(s.find(".//h2")): s for s in doc.iter("section")}
    assert set(sections) == {"深圳市 440300", "广州市 440100", "北京市 110000", "上海市 310000"}
    rows = [r for r in sections["深圳市 440300"].iter("tr") if r.find("td") is not None]
    assert [text(r.find("td")) for r in rows] == ["2027年1月1日", "2025年3月1日", "2022年7月1日"]
    highlighted = [r for r in rows if "in-force" in classes(r)]
    assert highlighted == [rows[1]]
    assert "¥2,520.00" in text(rows[1]) and "¥30,240.00" in text(rows[1])
    assert t(app, "In force today") in text(rows[1])
    assert t(app, "Not yet in force") in text(rows[0])
    nav = [text(a) for a in doc.iter("a") if "active" in classes(a)]
    assert nav == [t(app, "Minimum wages")]


def test_add_edit_and_delete_a_minimum_wage(app, db, admin):
    response = admin.post("/admin/minimum-wages/new", data=wage_form())
    assert response.status_code == 302 and path_of(response) == "/admin/minimum-wages"
    added = t(app, "Minimum wage of %(region)s from %(date)s added.", region="龙岗区", date="2026年11月1日")
    assert added in flashes(admin.get("/admin/minimum-wages"))
    row = wage(db, "440307", date(2026, 11, 1))
    assert (row.region_name, row.monthly_amount) == ("龙岗区", Decimal("1000.00"))

    page = admin.get(f"/admin/minimum-wages/{row.id}")
    assert typed(page)["monthly_amount"] == "1000.00" and typed(page)["effective_from"] == "2026-11-01"
    response = admin.post(
        f"/admin/minimum-wages/{row.id}", data=wage_form(monthly_amount="2600.5", effective_from="2026-12-01")
    )
    assert response.status_code == 302
    assert wage(db, "440307", date(2026, 11, 1)) is None
    row = wage(db, "440307", date(2026, 12, 1))
    assert row.monthly_amount == Decimal("2600.50")

    response = admin.post(f"/admin/minimum-wages/{row.id}/delete")
    assert response.status_code == 302 and path_of(response) == "/admin/minimum-wages"
    deleted = t(app, "Minimum wage of %(region)s from %(date)s deleted.", region="龙岗区", date="2026年12月1日")
    assert deleted in flashes(admin.get("/admin/minimum-wages"))
    assert wage(db, "440307", date(2026, 12, 1)) is None
    assert admin.get(f"/admin/minimum-wages/{row.id}").status_code == 404


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"region_code": "44030"}, "region_code"),
        ({"region_code": "abcdef"}, "region_code"),
        ({"region_name": ""}, "region_name"),
        ({"effective_from": "2026-13-01"}, "effective_from"),
        ({"monthly_amount": ""}, "monthly_amount"),
        ({"monthly_amount": "0"}, "monthly_amount"),
        ({"monthly_amount": "-5"}, "monthly_amount"),
        ({"monthly_amount": "1000.001"}, "monthly_amount"),
        ({"monthly_amount": "1e20"}, "monthly_amount"),
    ],
)
def test_add_refusals_keep_the_input(db, admin, changes, field):
    count = db.session.scalar(sa.select(sa.func.count()).select_from(MinimumWage))
    response = admin.post("/admin/minimum-wages/new", data=wage_form(**changes))
    assert response.status_code == 200
    assert field_errors(response, field)
    assert typed(response)["region_name"] == wage_form(**changes)["region_name"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MinimumWage)) == count


def test_duplicate_region_and_date_is_refused_next_to_the_date(app, db, admin):
    data = wage_form(
        region_code="440300", region_name="深圳市（重复）", effective_from="2025-03-01", monthly_amount="2999.00"
    )
    response = admin.post("/admin/minimum-wages/new", data=data)
    assert response.status_code == 200
    assert field_errors(response, "effective_from") == [t(app, DUPLICATE, code="440300", date="2025年3月1日")]
    assert typed(response) == data
    assert wage(db, "440300", date(2025, 3, 1)).monthly_amount == Decimal("2520.00")

    # Editing the older figure onto the newer one's date is refused the same way.
    older = wage(db, "440300", date(2022, 7, 1))
    response = admin.post(f"/admin/minimum-wages/{older.id}", data=data)
    assert field_errors(response, "effective_from") == [t(app, DUPLICATE, code="440300", date="2025年3月1日")]
    assert typed(response)["monthly_amount"] == "2999.00"
    assert wage(db, "440300", date(2022, 7, 1)).monthly_amount == Decimal("2360.00")


def heard_case(db, org, make_case, claims):
    case = make_case(claims=claims)
    Driver(db.session, org, case).arbitration(ArbitrationState.HEARD)  # the award date becomes 2026-11-28
    db.session.commit()
    return case


def test_delete_confirmation_says_awards_used_the_figure(app, db, org, make_case, admin):
    case = heard_case(db, org, make_case, [ClaimInput(ClaimCategory.WAGES, Decimal("5000.00"), "工资")])
    awards.record_award(
        db.session,
        case,
        org.user(Role.ARBITRATOR),
        items=[awards.ItemInput(claim_id=case.claims[0].id, amount=Decimal("5000.00"), text="支持")],
    )
    db.session.commit()
    used, unused = wage(db, "440300", date(2025, 3, 1)), wage(db, "440300", date(2022, 7, 1))
    keep = t(
        app,
        "Awards already made keep the minimum wage they were measured against; deleting this figure "
        "only changes awards recorded from now on.",
    )
    page = text(parse(admin.get(f"/admin/minimum-wages/{used.id}")))
    with app.test_request_context(), force_locale("zh_CN"):
        one = ngettext(
            "%(num)s award was measured against this figure.", "%(num)s awards were measured against this figure.", 1
        )
    assert keep in page and one in page
    page = text(parse(admin.get(f"/admin/minimum-wages/{unused.id}")))
    assert keep in page and t(app, "No award has been measured against this figure.") in page

    assert admin.post(f"/admin/minimum-wages/{used.id}/delete").status_code == 302
    assert wage(db, "440300", date(2025, 3, 1)) is None
    (award,) = case.arbitration.awards
    assert award.minimum_wage == Decimal("2520.00")  # the award keeps the figure it was measured against


def test_an_added_figure_changes_the_classification_of_a_later_award(db, org, make_case, admin):
    response = admin.post("/admin/minimum-wages/new", data=wage_form())  # 440307, 1000.00 from 2026-11-01
    assert response.status_code == 302
    case = heard_case(
        db,
        org,
        make_case,
        [
            ClaimInput(ClaimCategory.WAGES, Decimal("12000.01"), "8月工资"),
            ClaimInput(ClaimCategory.WAGES, Decimal("12000.00"), "9月工资"),
        ],
    )
    awards.record_award(
        db.session,
        case,
        org.user(Role.ARBITRATOR),
        items=[awards.ItemInput(claim_id=c.id, amount=c.amount, text="支持") for c in case.claims],
    )
    db.session.commit()
    by_finality = {a.finality: a for a in case.arbitration.awards}
    assert [i.amount for i in by_finality[Finality.FINAL].items] == [Decimal("12000.00")]
    assert [i.amount for i in by_finality[Finality.NON_FINAL].items] == [Decimal("12000.01")]
    assert {a.minimum_wage for a in by_finality.values()} == {Decimal("1000.00")}


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_non_admins_are_refused(db, org, login, role):
    client = login(org.user(role))
    row = wage(db, "440300", date(2025, 3, 1))
    assert client.get("/admin/minimum-wages").status_code == 403
    assert client.get("/admin/minimum-wages/new").status_code == 403
    assert client.post("/admin/minimum-wages/new", data=wage_form()).status_code == 403
    assert client.post(f"/admin/minimum-wages/{row.id}", data=wage_form()).status_code == 403
    assert client.post(f"/admin/minimum-wages/{row.id}/delete").status_code == 403
    assert client.get("/admin/hearing-rooms").status_code == 403
    assert client.post("/admin/hearing-rooms/new", data={"unit_id": org.arbitration.id, "name": "X"}).status_code == 403
    assert wage(db, "440300", date(2025, 3, 1)) is not None and wage(db, "440307", date(2026, 11, 1)) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HearingRoom)) == 0
    assert "/admin/minimum-wages" not in client.get("/cases").get_data(as_text=True)


def test_anonymous_is_sent_to_sign_in(client, org):
    for path in ("/admin/minimum-wages", "/admin/hearing-rooms", "/admin/hearing-rooms/new"):
        response = client.get(path)
        assert response.status_code == 302 and path_of(response) == "/login"


# --- hearing rooms --------------------------------------------------------------------------


def rooms(db):
    db.session.expire_all()
    return [(r.unit_id, r.name, r.active) for r in db.session.scalars(sa.select(HearingRoom).order_by(HearingRoom.id))]


def test_add_edit_and_deactivate_a_hearing_room(app, db, org, admin):
    other = organisation.add_unit(db.session, "FTA", "福田区劳动人事争议仲裁委员会", UnitKind.ARBITRATION_COMMISSION)
    db.session.commit()
    options = [text(o) for o in parse(admin.get("/admin/hearing-rooms/new")).iter("option")]
    assert options == ["福田区劳动人事争议仲裁委员会", "龙岗区劳动人事争议仲裁委员会"]  # commissions only, by code

    response = admin.post(
        "/admin/hearing-rooms/new", data={"unit_id": org.arbitration.id, "name": "第一仲裁庭", "active": "y"}
    )
    assert response.status_code == 302 and path_of(response) == "/admin/hearing-rooms"
    assert t(app, "Hearing room %(name)s added.", name="第一仲裁庭") in flashes(admin.get("/admin/hearing-rooms"))
    # The same name in another commission is fine.
    admin.post("/admin/hearing-rooms/new", data={"unit_id": other.id, "name": "第一仲裁庭", "active": "y"})
    assert rooms(db) == [(org.arbitration.id, "第一仲裁庭", True), (other.id, "第一仲裁庭", True)]

    room_id = db.session.scalar(sa.select(HearingRoom.id).where(HearingRoom.unit_id == org.arbitration.id))
    response = admin.post(f"/admin/hearing-rooms/{room_id}", data={"name": "大仲裁庭", "active": "y"})
    assert response.status_code == 302
    response = admin.post(f"/admin/hearing-rooms/{room_id}", data={"name": "大仲裁庭"})  # unticked: deactivated
    assert response.status_code == 302
    assert rooms(db)[0] == (org.arbitration.id, "大仲裁庭", False)

    doc = parse(admin.get("/admin/hearing-rooms"))
    sections = {text(s.find(".//h2")): s for s in doc.iter("section")}
    assert set(sections) == {"龙岗区劳动人事争议仲裁委员会", "福田区劳动人事争议仲裁委员会"}
    (row,) = [r for r in sections["龙岗区劳动人事争议仲裁委员会"].iter("tr") if r.find("td") is not None]
    assert "closed" in classes(row) and t(app, "Deactivated") in text(row)
    assert text(parse(admin.get(f"/admin/hearing-rooms/{room_id}")).find(".//h1")) == "大仲裁庭"


def test_duplicate_room_name_in_the_same_unit_is_refused(app, db, org, admin):
    admin.post("/admin/hearing-rooms/new", data={"unit_id": org.arbitration.id, "name": "第一仲裁庭"})
    admin.post("/admin/hearing-rooms/new", data={"unit_id": org.arbitration.id, "name": "第二仲裁庭"})
    response = admin.post("/admin/hearing-rooms/new", data={"unit_id": org.arbitration.id, "name": " 第一仲裁庭 "})
    assert response.status_code == 200
    message = t(app, ROOM_TAKEN, unit=org.arbitration.name, name="第一仲裁庭")
    assert field_errors(response, "name") == [message]
    assert typed(response)["name"] == " 第一仲裁庭 "
    second = db.session.scalar(sa.select(HearingRoom.id).where(HearingRoom.name == "第二仲裁庭"))
    response = admin.post(f"/admin/hearing-rooms/{second}", data={"name": "第一仲裁庭", "active": "y"})
    assert field_errors(response, "name") == [message]
    assert [name for _, name, _ in rooms(db)] == ["第一仲裁庭", "第二仲裁庭"]


@pytest.mark.parametrize("unit", ["centre", "mediation", "court"])
def test_room_for_a_unit_other_than_a_commission_is_refused(app, db, org, admin, unit):
    response = admin.post("/admin/hearing-rooms/new", data={"unit_id": getattr(org, unit).id, "name": "调解室"})
    assert response.status_code == 200
    assert field_errors(response, "unit_id") == [t(app, NOT_A_COMMISSION)]
    assert rooms(db) == []


def test_pages_render_in_english_without_raw_values(app, db, org, admin):
    org.user(Role.ADMIN).locale = "en"
    db.session.commit()
    admin.post("/admin/hearing-rooms/new", data={"unit_id": org.arbitration.id, "name": "Room 1", "active": "y"})
    for path in (
        "/admin/minimum-wages",
        "/admin/minimum-wages/new",
        "/admin/minimum-wages/1",
        "/admin/hearing-rooms",
        "/admin/hearing-rooms/new",
    ):
        response = admin.get(path)
        assert response.status_code == 200, path
        page = text(parse(response))
        for raw in ("arbitration_commission", "None", "True", "False", "_id", "{{", "%("):
            assert raw not in page, (path, raw)
