"""Administration through operations (issue 15): each change writes an admin_audit entry with its before and after;
the operations refuse what the pages refused (no self-demotion), without Flask; the log page lists the entries."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from disputes import reference
from disputes.administration import audit, people, settings
from disputes.i18n import DomainError
from disputes.models import AdminAudit, NumberFormat, Role, User
from tests.pages import parse, text
from tests.web.test_admin_web import edit_form, user_form


def entries(db, entity=None) -> list[AdminAudit]:
    query = sa.select(AdminAudit).order_by(AdminAudit.id)
    if entity:
        query = query.where(AdminAudit.entity == entity)
    return list(db.session.scalars(query))


@pytest.fixture
def admin(org, login):
    return login(org.user(Role.ADMIN))


def changes_of(user: User, **overrides) -> people.UserChanges:
    values = {
        "display_name": user.display_name,
        "unit": user.unit,
        "roles": [r.value for r in user.roles],
        "locale": user.locale,
        "email": user.email,
        "phone": user.phone,
        "active": user.active,
    }
    return people.UserChanges(**(values | overrides))


def test_edit_user_records_what_changed_only(db, org):
    me, clerk = org.user(Role.ADMIN), org.user(Role.CLERK)
    people.edit_user(db.session, me, clerk, changes_of(clerk, display_name="新名字", roles=["clerk", "mediator"]))
    [entry] = entries(db, "user")
    assert (entry.actor_id, entry.entity_id, entry.action) == (me.id, str(clerk.id), "edited")
    assert entry.before == {"display_name": "clerk", "roles": ["clerk"]}
    assert entry.after == {"display_name": "新名字", "roles": ["clerk", "mediator"]}
    people.edit_user(db.session, me, clerk, changes_of(clerk))  # nothing changed: no entry
    assert len(entries(db, "user")) == 1


@pytest.mark.parametrize("overrides", [{"active": False}, {"roles": ["supervisor"]}])
def test_nobody_demotes_or_deactivates_themselves_at_the_domain_level(db, org, overrides):
    me = org.user(Role.ADMIN)
    with pytest.raises(DomainError) as refused:
        people.edit_user(db.session, me, me, changes_of(me, display_name="改名", **overrides))
    assert refused.value.message == people.SELF_DEMOTION
    db.session.rollback()
    db.session.expire_all()
    me = db.session.get(User, me.id)
    assert me.active and me.roles == {Role.ADMIN} and me.display_name == "admin"
    assert entries(db) == []
    # Another administrator may.
    other = people.create_user(
        db.session, me, "second-admin", "二号管理员", ["admin"], org.district, "a-long-enough-password-7"
    )
    people.edit_user(db.session, other, me, changes_of(me, **overrides))
    assert [e.action for e in entries(db, "user")] == ["created", "edited"]


def test_password_reset_is_recorded_without_the_password(db, org):
    me, clerk = org.user(Role.ADMIN), org.user(Role.CLERK)
    people.reset_password(db.session, me, clerk, "another-long-password-3")
    [entry] = entries(db, "user")
    assert entry.action == "password_reset" and entry.before is None and entry.after is None


def test_units_and_settings_are_recorded(db, org):
    me = org.user(Role.ADMIN)
    unit = people.create_unit(
        db.session, me, "NEW", "新单位", "street", org.district, registry_pattern="{code}劳调〔{year}〕{seq}号"
    )
    edit = people.UnitChanges(name="新单位（改）", kind="street", parent=org.district, registry_pattern="")
    people.edit_unit(db.session, me, unit, edit)
    created, edited = entries(db, "unit")
    assert created.after["code"] == "NEW" and created.after["registry_pattern"] == "{code}劳调〔{year}〕{seq}号"
    assert edited.before == {"name": "新单位", "registry_pattern": "{code}劳调〔{year}〕{seq}号"}
    assert edited.after == {"name": "新单位（改）", "registry_pattern": None}

    row = settings.add_minimum_wage(
        db.session, me, reference.WageInput("440300", "深圳市", date(2026, 1, 1), Decimal("2520.00"))
    )
    settings.delete_minimum_wage(db.session, me, row)
    added, deleted = entries(db, "minimum_wage")
    assert added.after["monthly_amount"] == "2520.00" and added.after["effective_from"] == "2026-01-01"
    assert deleted.action == "deleted" and deleted.before == added.after and deleted.after is None

    settings.set_number_pattern(db.session, me, org.centre, "arbitration_doc", "{code}仲〔{year}〕{seq}号")
    [pattern] = entries(db, "number_pattern")
    assert pattern.before == {"pattern": None} and pattern.after == {"pattern": "{code}仲〔{year}〕{seq}号"}
    assert db.session.scalar(
        sa.select(NumberFormat.pattern).where(
            NumberFormat.unit_id == org.centre.id, NumberFormat.family == "arbitration_doc"
        )
    )


def test_a_refused_operation_writes_no_entry(db, org):
    me = org.user(Role.ADMIN)
    with pytest.raises(DomainError):
        people.create_user(db.session, me, "clerk", "重名", ["clerk"], org.centre, "a-long-enough-password-7")
    with pytest.raises(DomainError):
        settings.set_number_pattern(db.session, me, org.centre, "arbitration_doc", "no placeholders")
    db.session.rollback()
    assert entries(db) == []


def test_the_pages_write_through_the_operations(db, org, admin):
    clerk = org.user(Role.CLERK)
    assert admin.post("/admin/users/new", data=user_form(org, password="a-long-enough-password-7")).status_code == 302
    assert admin.post(f"/admin/users/{clerk.id}", data=edit_form(clerk, phone="0755-1234")).status_code == 302
    made, edited = entries(db, "user")
    assert (made.action, made.after["username"]) == ("created", "wang.clerk")
    assert edited.entity_id == str(clerk.id) and edited.after == {"phone": "0755-1234"}
    assert {e.actor_id for e in (made, edited)} == {org.user(Role.ADMIN).id}


def test_the_log_page_newest_first_by_entity_and_paged(db, org, admin, monkeypatch):
    me = org.user(Role.ADMIN)
    for n in range(3):
        people.reset_password(db.session, me, org.user(Role.CLERK), f"another-long-password-{n}x")
    settings.set_number_pattern(db.session, me, org.centre, "arbitration_doc", "{code}仲〔{year}〕{seq}号")
    db.session.commit()
    page = parse(admin.get("/admin/audit"))
    rows = [text(tr) for tr in page.iter("tr")][1:]
    assert len(rows) == 4 and "{code}仲〔{year}〕{seq}号" in rows[0]  # the newest first
    only_users = [text(tr) for tr in parse(admin.get("/admin/audit?entity=user")).iter("tr")][1:]
    assert len(only_users) == 3 and not any("{seq}" in row for row in only_users)
    assert admin.get("/admin/audit?entity=nothing").status_code == 404
    monkeypatch.setattr(audit, "PER_PAGE", 2)
    second = [text(tr) for tr in parse(admin.get("/admin/audit?page=2")).iter("tr")][1:]
    assert len(second) == 2
    assert admin.get("/admin/audit?page=3").status_code == 200
