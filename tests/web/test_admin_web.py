"""The administrator's pages: users (create, edit, deactivate, reset) and units (create, move, numbering)."""

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from disputes.models import Case, NumberFormat, Role, Unit, User
from tests.conftest import PASSWORD
from tests.pages import classes, field_errors, flashes, parse, t, text

CREATED_WITH_PASSWORD = "User %(name)s created with the password %(pw)s — pass it on safely."
NEW_PASSWORD = "New password of %(name)s: %(pw)s — pass it on safely."
SELF_LOCKOUT = "You cannot deactivate yourself or drop your own admin role."


def password_in_flash(app, response, message, name) -> str:
    """Pull the generated password out of the (translated) flash message."""
    before, after = t(app, message, name=name, pw="\x00").split("\x00")
    for flash in flashes(response):
        match = re.fullmatch(re.escape(before.strip()) + r"\s*(\S+)\s*" + re.escape(after.strip()), flash)
        if match:
            return match.group(1)
    raise AssertionError(f"no password in {flashes(response)}")


def sign_in(app, username, password):
    """A second browser: its own client and cookie jar."""
    other = app.test_client()
    return other, other.post("/login", data={"username": username, "password": password})


def refreshed(db, model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


@pytest.fixture
def admin(org, login):
    return login(org.user(Role.ADMIN))


def with_changes(data: MultiDict, changes: dict) -> MultiDict:
    """A list sets every value of a field, None removes the field, anything else sets one value."""
    for key, value in changes.items():
        if isinstance(value, list):
            data.setlist(key, value)
        elif value is None:
            data.poplist(key)
        else:
            data[key] = value
    return data


def user_form(org, **changes) -> MultiDict:
    data = MultiDict(
        {
            "username": "wang.clerk",
            "display_name": "王书记员",
            "unit_id": str(org.centre.id),
            "locale": "zh_CN",
            "email": "",
            "phone": "",
            "password": "",
        }
    )
    data.setlist("roles", ["clerk", "mediator"])
    return with_changes(data, changes)


def edit_form(user, **changes) -> MultiDict:
    data = MultiDict(
        {
            "display_name": user.display_name,
            "unit_id": str(user.unit_id),
            "locale": user.locale,
            "email": user.email or "",
            "phone": user.phone or "",
            "active": "y",
        }
    )
    data.setlist("roles", [r.value for r in user.roles])
    return with_changes(data, changes)


# --- users ----------------------------------------------------------------------------


def test_users_page_lists_everyone_and_searches(org, admin):
    page = text(parse(admin.get("/admin/users")))
    for user in org.users.values():
        assert user.username in page
    found = parse(admin.get("/admin/users?q=lawyer"))
    names = [
        text(a)
        for a in found.iter("a")
        if (a.get("href") or "").startswith("/admin/users/") and a.get("href") != "/admin/users/new"
    ]
    assert names == ["lawyer"]


def test_create_user_with_generated_password(app, db, org, admin):
    response = admin.post("/admin/users/new", data=user_form(org, username="Wang.Clerk", locale="en"))
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/admin/users"
    listing = admin.get("/admin/users")
    password = password_in_flash(app, listing, CREATED_WITH_PASSWORD, "wang.clerk")
    assert len(password) >= 10

    user = db.session.scalar(sa.select(User).where(User.username == "wang.clerk"))
    assert user.roles == {Role.CLERK, Role.MEDIATOR}
    assert (user.unit_id, user.display_name, user.locale, user.active) == (org.centre.id, "王书记员", "en", True)
    assert user.check_password(password) and password not in user.password_hash

    other, response = sign_in(app, "wang.clerk", password)
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/work"  # a clerk: My work
    assert parse(other.get("/cases")).get("lang") == "en"  # the language chosen by the admin


def test_create_user_with_given_password(app, db, org, admin):
    response = admin.post("/admin/users/new", data=user_form(org, password="chosen-password-1"))
    assert response.status_code == 302
    page = admin.get("/admin/users")
    assert t(app, "User %(name)s created.", name="wang.clerk") in flashes(page)
    assert "chosen-password-1" not in page.get_data(as_text=True)
    assert sign_in(app, "wang.clerk", "chosen-password-1")[1].status_code == 302


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"username": "CLERK"}, "username", ("The username %(username)s is taken.", {"username": "clerk"})),
        ({"username": "wang clerk"}, "username", ("Letters, digits, . _ - only.", {})),
        ({"username": ""}, "username", None),
        ({"display_name": ""}, "display_name", None),
        ({"roles": []}, "roles", ("Choose at least one role.", {})),
        ({"roles": ["clerk", "emperor"]}, "roles", None),
        ({"password": "short"}, "password", None),
        ({"email": "not-an-address"}, "email", None),
        ({"unit_id": "999999"}, "unit_id", None),
    ],
)
def test_create_user_refusals(app, db, org, admin, changes, field, message):
    count = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    response = admin.post("/admin/users/new", data=user_form(org, **changes))
    assert response.status_code == 200
    errors = field_errors(response, field)
    assert errors
    if message:
        assert errors == [t(app, message[0], **message[1])]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == count
    # What was typed is kept (except the password).
    doc = parse(response)
    typed = {e.get("name"): e.get("value") for e in doc.iter("input") if e.get("name") == "display_name"}
    assert typed["display_name"] == user_form(org, **changes)["display_name"]


def test_edit_roles_and_unit(app, db, org, admin, make_case):
    centre_case = make_case(org.centre)
    mediation_case = make_case(org.mediation)
    clerk = org.user(Role.CLERK)
    page = admin.get(f"/admin/users/{clerk.id}")
    checked = [
        e.get("value") for e in parse(page).iter("input") if e.get("name") == "roles" and e.get("checked") is not None
    ]
    assert checked == ["clerk"]

    response = admin.post(
        f"/admin/users/{clerk.id}",
        data=edit_form(
            clerk, roles=["mediator"], unit_id=str(org.mediation.id), display_name="改任调解员", phone="13900000000"
        ),
    )
    assert response.status_code == 302
    assert t(app, "User %(name)s saved.", name="clerk") in flashes(admin.get("/admin/users"))
    user = refreshed(db, User, clerk.id)
    assert user.roles == {Role.MEDIATOR}
    assert (user.unit_id, user.display_name, user.phone) == (org.mediation.id, "改任调解员", "13900000000")

    # The new roles and unit take effect: now a mediator of the committee.
    other, _ = sign_in(app, "clerk", PASSWORD)
    assert other.get(f"/cases/{centre_case.id}").status_code == 403
    assert other.get(f"/cases/{mediation_case.id}").status_code == 200


def test_role_change_applies_to_an_open_session(app, db, org, admin, make_case):
    case = make_case(org.centre)
    clerk = org.user(Role.CLERK)
    other, _ = sign_in(app, "clerk", PASSWORD)
    assert other.get(f"/cases/{case.id}").status_code == 200
    admin.post(f"/admin/users/{clerk.id}", data=edit_form(clerk, roles=["admin"]))
    # A role change ends the open session (issue 14); signed in again, the new rights apply.
    assert urlsplit(other.get(f"/cases/{case.id}").headers["Location"]).path == "/login"
    other, _ = sign_in(app, "clerk", PASSWORD)
    assert other.get(f"/cases/{case.id}").status_code == 403
    assert other.get("/admin/users").status_code == 200


def test_deactivate_user(app, db, org, admin):
    clerk = org.user(Role.CLERK)
    other, _ = sign_in(app, "clerk", PASSWORD)
    assert other.get("/cases").status_code == 200

    response = admin.post(f"/admin/users/{clerk.id}", data=edit_form(clerk, active=None))
    assert response.status_code == 302
    assert refreshed(db, User, clerk.id).active is False
    rows = [r for r in parse(admin.get("/admin/users")).iter("tr") if "clerk" in text(r).split()]
    assert t(app, "Deactivated") in text(rows[0]) and "closed" in classes(rows[0])

    # The open session ends, and signing in again is refused with a reason.
    assert urlsplit(other.get("/cases").headers["Location"]).path == "/login"
    _, response = sign_in(app, "clerk", PASSWORD)
    assert response.status_code == 200
    assert field_errors(response, "password") == [t(app, "This account has been deactivated.")]

    # Reactivating lets them back in.
    admin.post(f"/admin/users/{clerk.id}", data=edit_form(refreshed(db, User, clerk.id), active="y"))
    assert sign_in(app, "clerk", PASSWORD)[1].status_code == 302


def test_admin_cannot_deactivate_self_or_drop_own_admin_role(app, db, org, admin):
    me = org.user(Role.ADMIN)
    for changes in ({"active": None}, {"roles": ["supervisor"]}):
        response = admin.post(f"/admin/users/{me.id}", data=edit_form(me, display_name="改名", **changes))
        assert response.status_code == 200
        assert t(app, SELF_LOCKOUT) in flashes(response)
        user = refreshed(db, User, me.id)
        assert user.active and user.roles == {Role.ADMIN} and user.display_name == "admin"
    assert admin.get("/admin/users").status_code == 200
    # Other edits of one's own account are fine.
    assert admin.post(f"/admin/users/{me.id}", data=edit_form(me, roles=["admin", "supervisor"])).status_code == 302
    assert refreshed(db, User, me.id).roles == {Role.ADMIN, Role.SUPERVISOR}


def test_reset_password_unlocks_a_locked_user(app, db, org, admin):
    clerk = org.user(Role.CLERK)
    for _ in range(5):
        sign_in(app, "clerk", "wrong-password")
    assert refreshed(db, User, clerk.id).locked_until is not None
    rows = [r for r in parse(admin.get("/admin/users")).iter("tr") if "clerk" in text(r).split()]
    assert t(app, "Locked") in text(rows[0])

    response = admin.post(f"/admin/users/{clerk.id}/password", data={"password": "fresh-password-9"})
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == f"/admin/users/{clerk.id}"
    page = admin.get(response.headers["Location"])
    assert t(app, "Password of %(name)s reset; the account is unlocked.", name="clerk") in flashes(page)
    user = refreshed(db, User, clerk.id)
    assert (user.locked_until, user.failed_logins) == (None, 0)
    assert sign_in(app, "clerk", PASSWORD)[1].status_code == 200
    assert sign_in(app, "clerk", "fresh-password-9")[1].status_code == 302


def test_reset_password_generated(app, db, org, admin):
    lawyer = org.user(Role.LAWYER)
    response = admin.post(f"/admin/users/{lawyer.id}/password", data={"password": ""})
    password = password_in_flash(app, admin.get(response.headers["Location"]), NEW_PASSWORD, "lawyer")
    assert sign_in(app, "lawyer", password)[1].status_code == 302


def test_reset_password_too_short_is_refused(app, db, org, admin):
    lawyer = org.user(Role.LAWYER)
    response = admin.post(f"/admin/users/{lawyer.id}/password", data={"password": "short"})
    assert response.status_code == 302
    assert len(flashes(admin.get(response.headers["Location"]))) == 1
    assert sign_in(app, "lawyer", PASSWORD)[1].status_code == 302


def test_unknown_user_is_404(admin):
    assert admin.get("/admin/users/999999").status_code == 404
    assert admin.post("/admin/users/999999/password", data={"password": "fresh-password-9"}).status_code == 404


# --- units ----------------------------------------------------------------------------


def unit_form(**changes) -> dict:
    data = {
        "code": "BJSQ",
        "name": "布吉社区",
        "name_en": "Buji Community",
        "kind": "community",
        "parent_id": "0",
        "region_code": "",
        "address": "",
        "phone": "",
        "registry_pattern": "",
        "active": "y",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def edit_unit_form(unit, **changes) -> dict:
    data = {
        "name": unit.name,
        "name_en": unit.name_en or "",
        "kind": unit.kind.value,
        "parent_id": str(unit.parent_id or 0),
        "region_code": unit.region_code or "",
        "address": "",
        "phone": "",
        "registry_pattern": "",
        "active": "y" if unit.active else None,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_units_page_shows_the_tree(org, admin):
    doc = parse(admin.get("/admin/units"))
    names = [text(row.find("td/a")) for row in doc.iter("tr") if row.find("td/a") is not None]
    assert names.index(org.district.name) < names.index(org.centre.name) < names.index(org.mediation.name)
    assert names.index(org.street.name) < names.index(org.street_mediation.name)


def test_create_unit_under_a_parent(app, db, org, admin):
    form = parse(admin.get(f"/admin/units/new?parent={org.street.id}"))
    (select,) = [s for s in form.iter("select") if s.get("name") == "parent_id"]
    assert [o.get("value") for o in select.iter("option") if o.get("selected") is not None] == [str(org.street.id)]

    response = admin.post("/admin/units/new", data=unit_form(parent_id=str(org.street.id)))
    assert response.status_code == 302
    assert t(app, "Unit %(name)s created.", name="布吉社区") in flashes(admin.get("/admin/units"))
    unit = db.session.scalar(sa.select(Unit).where(Unit.code == "BJSQ"))
    assert unit.parent_id == org.street.id
    assert unit.path == f"{org.street.path}{unit.id}/"
    assert (unit.kind.value, unit.name_en, unit.active) == ("community", "Buji Community", True)


def test_create_top_level_unit(db, org, admin):
    assert admin.post("/admin/units/new", data=unit_form(code="FT", name="福田区", kind="district")).status_code == 302
    unit = db.session.scalar(sa.select(Unit).where(Unit.code == "FT"))
    assert unit.parent_id is None and unit.path == f"/{unit.id}/"


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"code": "LGC"}, "code", ("The unit code %(code)s is taken.", {"code": "LGC"})),
        ({"code": "布吉"}, "code", ("Letters, digits, _ - only.", {})),
        ({"name": ""}, "name", None),
        ({"kind": "empire"}, "kind", None),
        ({"parent_id": "999999"}, "parent_id", None),
        (
            {"registry_pattern": "布吉〔{year}〕号"},
            "registry_pattern",
            ("The pattern must contain {year} and {seq}.", {}),
        ),
        (
            {"registry_pattern": "{unit}〔{year}〕{seq}号"},
            "registry_pattern",
            ("Only {code}, {year} and {seq} (or {seq:05d}) may appear in braces.", {}),
        ),
        ({"region_code": "44030"}, "region_code", ("Six digits, for example 440307.", {})),
        ({"region_code": "深圳"}, "region_code", ("Six digits, for example 440307.", {})),
    ],
)
def test_create_unit_refusals(app, db, org, admin, changes, field, message):
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Unit))
    response = admin.post("/admin/units/new", data=unit_form(**{"parent_id": str(org.street.id), **changes}))
    assert response.status_code == 200
    errors = field_errors(response, field)
    assert errors
    if message:
        assert errors == [t(app, message[0], **message[1])]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Unit)) == count
    values = {e.get("name"): e.get("value") for e in parse(response).iter("input")}
    assert values["name"] == unit_form(**changes)["name"]
    assert values["registry_pattern"] == unit_form(**changes)["registry_pattern"]


def test_move_a_unit_updates_the_subtree(app, db, org, admin, make_case):
    community = Unit(code="BJSQ", name="布吉社区", kind="community", parent=org.street_mediation)
    db.session.add(community)
    db.session.flush()
    community.path = f"{org.street_mediation.path}{community.id}/"
    db.session.commit()
    street_id, street_mediation_id, community_id = org.street.id, org.street_mediation.id, community.id

    response = admin.post(f"/admin/units/{street_id}", data=edit_unit_form(org.street, parent_id=str(org.centre.id)))
    assert response.status_code == 302
    assert t(app, "Unit %(name)s saved.", name=org.street.name) in flashes(admin.get("/admin/units"))
    street = refreshed(db, Unit, street_id)
    centre = db.session.get(Unit, org.centre.id)
    assert street.parent_id == centre.id
    assert street.path == f"{centre.path}{street_id}/"
    assert db.session.get(Unit, street_mediation_id).path == f"{street.path}{street_mediation_id}/"
    assert db.session.get(Unit, community_id).path == f"{street.path}{street_mediation_id}/{community_id}/"


def test_moving_changes_who_sees_the_cases(app, db, org, admin, login, make_case):
    from disputes import organisation

    district_supervisor = organisation.add_user(
        db.session, "district-sup", "区级主管", [Role.SUPERVISOR], org.district, PASSWORD
    )
    db.session.commit()
    case = make_case(org.street_mediation, actor=district_supervisor)
    supervisor, _ = sign_in(app, "supervisor", PASSWORD)
    assert supervisor.get(f"/cases/{case.id}").status_code == 403
    admin.post(f"/admin/units/{org.street.id}", data=edit_unit_form(org.street, parent_id=str(org.centre.id)))
    assert supervisor.get(f"/cases/{case.id}").status_code == 200


@pytest.mark.parametrize("target", ["street", "street_mediation"])
def test_unit_cannot_move_below_itself(app, db, org, admin, target):
    street_id = org.street.id
    paths = {u.id: u.path for u in db.session.scalars(sa.select(Unit))}
    form = parse(admin.get(f"/admin/units/{street_id}"))
    (select,) = [s for s in form.iter("select") if s.get("name") == "parent_id"]
    offered = {o.get("value") for o in select.iter("option")}
    assert str(org.street.id) not in offered and str(org.street_mediation.id) not in offered

    response = admin.post(
        f"/admin/units/{street_id}",
        data=edit_unit_form(org.street, parent_id=str(getattr(org, target).id), name="改名"),
    )
    assert response.status_code == 200
    assert field_errors(response, "parent_id")
    db.session.expire_all()
    assert {u.id: u.path for u in db.session.scalars(sa.select(Unit))} == paths
    assert db.session.get(Unit, street_id).name == "布吉街道"


def test_registry_pattern_set_used_and_inherited(app, db, org, admin, make_case):
    pattern = "深龙调援〔{year}〕第{seq:05d}号"
    response = admin.post(f"/admin/units/{org.centre.id}", data=edit_unit_form(org.centre, registry_pattern=pattern))
    assert response.status_code == 302
    assert pattern in text(parse(admin.get("/admin/units")))
    form = parse(admin.get(f"/admin/units/{org.centre.id}"))
    assert [e.get("value") for e in form.iter("input") if e.get("name") == "registry_pattern"] == [pattern]

    assert make_case(org.centre).registry_no == "深龙调援〔2026〕第00001号"
    assert make_case(org.mediation).registry_no == "深龙调援〔2026〕第00002号"  # inherited: one shared counter

    # Emptying the field goes back to inheriting (here: the default pattern); the centre's counter
    # goes on, so no number is ever issued twice.
    admin.post(f"/admin/units/{org.centre.id}", data=edit_unit_form(refreshed(db, Unit, org.centre.id)))
    assert db.session.scalars(sa.select(NumberFormat)).all() == []
    assert make_case(org.centre, registered_on=date(2026, 11, 20)).registry_no == "LGC〔2026〕3号"


@pytest.mark.parametrize(
    "pattern, message",
    [
        ("{year}年第号", "The pattern must contain {year} and {seq}."),
        ("第{seq}号", "The pattern must contain {year} and {seq}."),
        ("{name}〔{year}〕{seq}号", "Only {code}, {year} and {seq} (or {seq:05d}) may appear in braces."),
        ("〔{year}〕{seq:5}号", "Only {code}, {year} and {seq} (or {seq:05d}) may appear in braces."),
        ("〔{year}〕{seq}号}", "Only {code}, {year} and {seq} (or {seq:05d}) may appear in braces."),
    ],
)
def test_invalid_registry_pattern_is_refused_next_to_the_field(app, db, org, admin, pattern, message):
    response = admin.post(
        f"/admin/units/{org.centre.id}", data=edit_unit_form(org.centre, registry_pattern=pattern, name="改名")
    )
    assert response.status_code == 200
    assert field_errors(response, "registry_pattern") == [t(app, message)]
    values = {e.get("name"): e.get("value") for e in parse(response).iter("input")}
    assert values["registry_pattern"] == pattern
    db.session.expire_all()
    assert db.session.scalars(sa.select(NumberFormat)).all() == []
    assert db.session.get(Unit, org.centre.id).name == "龙岗区调援裁诉中心"  # nothing of the edit was saved


def test_deactivated_unit_is_not_offered_for_registration(db, org, admin, login):
    admin.post(f"/admin/units/{org.arbitration.id}", data=edit_unit_form(org.arbitration, active=None))
    assert refreshed(db, Unit, org.arbitration.id).active is False
    clerk = login(org.user(Role.CLERK))
    doc = parse(clerk.get("/cases/new"))
    (select,) = [s for s in doc.iter("select") if s.get("name") == "unit_id"]
    assert str(org.arbitration.id) not in {o.get("value") for o in select.iter("option")}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0


def test_unknown_unit_is_404(admin):
    assert admin.get("/admin/units/999999").status_code == 404


def test_editing_a_user_keeps_the_signed_in_admin_in_the_top_bar(org, admin):
    mediator = org.user(Role.MEDIATOR)
    page = admin.get(f"/admin/users/{mediator.id}").get_data(as_text=True)
    top_bar = page.split("<header", 1)[1].split("<main", 1)[0]
    assert org.user(Role.ADMIN).display_name in top_bar
    assert mediator.display_name not in top_bar
    assert "/cases/new" not in top_bar  # the admin holds no case role


def test_a_units_region_code_is_taken_and_checked(app, db, org, admin):
    """The minimum wage an award is judged against is looked up by it (issue 14)."""
    assert admin.post("/admin/units/new", data=unit_form(region_code="440307")).status_code == 302
    assert db.session.scalar(sa.select(Unit.region_code).where(Unit.code == "BJSQ")) == "440307"
    response = admin.post(f"/admin/units/{org.street.id}", data=edit_unit_form(org.street, region_code="4403"))
    assert response.status_code == 200 and field_errors(response, "region_code") == [
        t(app, "Six digits, for example 440307.")
    ]
    assert (
        admin.post(f"/admin/units/{org.street.id}", data=edit_unit_form(org.street, region_code="440300")).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(Unit, org.street.id).region_code == "440300"


def test_the_admin_sets_a_commissions_daily_hearing_limit_and_only_a_commissions(db, org, admin):
    commission = org.arbitration
    data = edit_unit_form(commission, hearings_per_arbitrator_day="3")
    response = admin.post(f"/admin/units/{commission.id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    db.session.expire_all()
    assert db.session.get(type(commission), commission.id).hearings_per_arbitrator_day == 3
    refused = admin.post(f"/admin/units/{commission.id}", data={**data, "hearings_per_arbitrator_day": "0"})
    assert refused.status_code == 200  # below 1: the form shows the error
    assert 'name="hearings_per_arbitrator_day"' not in admin.get(f"/admin/units/{org.street.id}").get_data(as_text=True)
