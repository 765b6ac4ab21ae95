"""The database itself refuses rows that break the domain's invariants, whatever the caller.

Rows are written with raw SQL so that nothing in Python (enum validation, intake checks) gets a
chance to refuse first; every refusal is paired with a control insert that succeeds.
"""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from disputes.models import Case, Claim, ClaimCategory, Party, PartyKind, PartySide, TimelineEntry
from tests.conftest import EMPLOYER_CODE, WORKER_ID

CREATED = datetime(2026, 11, 20, 2, 0)


@pytest.fixture
def case(make_case):
    return make_case()


# A constraint says no: IntegrityError (DataError for an over-long value on PostgreSQL). Not a
# ProgrammingError/OperationalError, which would mean the test's own SQL is wrong.
REFUSAL = (sa.exc.IntegrityError, sa.exc.DataError)
# The timeline trigger: IntegrityError on SQLite, a RAISE EXCEPTION error on PostgreSQL.
APPEND_ONLY = "append-only"


def refused(db, sql: str, **params) -> None:
    """The statement fails in the database; the session is rolled back afterwards."""
    with pytest.raises(REFUSAL):
        db.session.execute(sa.text(sql), params)
        db.session.flush()
    db.session.rollback()


def accepted(db, sql: str, **params) -> None:
    db.session.execute(sa.text(sql), params)
    db.session.rollback()


# --- cases ----------------------------------------------------------------------------------------

CASE_COLUMNS = {
    "registry_no": "RAW-1",
    "registered_on": date(2026, 11, 20),
    "cause": "拖欠工资",
    "facts": "",
    "stage": "intake",
    "status": "open",
    "closed_on": None,
    "worker_count": 1,
    "migrant_wage": False,
    "work_injury": False,
    "green_channel": False,
    "collective": False,
    "limitation_warning": False,
    "version_id": 1,
    "created_at": CREATED,
}


def insert_case_sql(*extra_columns: str) -> str:
    columns = ["unit_id", *CASE_COLUMNS, *extra_columns]
    return f"INSERT INTO cases ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"


def case_row(org, **overrides) -> dict:
    return {"unit_id": org.centre.id, **CASE_COLUMNS, **overrides}


def test_a_well_formed_raw_case_row_is_accepted(db, org):
    db.session.execute(sa.text(insert_case_sql()), case_row(org))
    db.session.commit()
    assert db.session.scalar(sa.select(Case.registry_no)) == "RAW-1"


@pytest.mark.parametrize(
    "overrides",
    [
        {"stage": "appeal"},  # not a case stage
        {"stage": "INTAKE"},
        {"stage": ""},
        {"status": "done"},
        {"worker_count": 0},
        {"worker_count": -3},
        {"status": "closed"},  # closed without a closing date
        {"closed_on": date(2026, 11, 21)},  # a closing date on an open case
        {"status": "closed", "closed_on": date(2026, 11, 19)},  # closed before registration
        {"registry_no": None},
        {"cause": None},
        {"registered_on": None},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()),
)
def test_cases_refuse(db, org, overrides):
    refused(db, insert_case_sql(), **case_row(org, **overrides))


def test_a_closed_case_with_a_closing_date_is_accepted(db, org):
    accepted(db, insert_case_sql(), **case_row(org, status="closed", closed_on=date(2026, 11, 20)))


def test_duplicate_registry_no_is_refused(db, org, case):
    refused(db, insert_case_sql(), **case_row(org, registry_no=case.registry_no))


def test_duplicate_registry_no_is_refused_through_the_orm(db, org, case):
    twin = Case(
        registry_no=case.registry_no,
        unit=org.street,
        registered_on=date(2026, 11, 20),
        cause="x",
        facts="",
        created_by=org.user("clerk"),
    )
    db.session.add(twin)
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_case_unit_must_exist(db, org):
    """Foreign keys are enforced (on SQLite only with PRAGMA foreign_keys=ON on every connection)."""
    refused(db, insert_case_sql(), **case_row(org, unit_id=987654))


def test_case_creator_must_exist(db, org):
    accepted(db, insert_case_sql("created_by_id"), **case_row(org, created_by_id=org.user("clerk").id))
    refused(db, insert_case_sql("created_by_id"), **case_row(org, created_by_id=987654))


def test_a_unit_in_use_cannot_be_deleted(db, org, case):
    refused(db, "DELETE FROM units WHERE id = :id", id=org.centre.id)


def test_a_unit_with_children_cannot_be_deleted(db, org):
    refused(db, "DELETE FROM units WHERE id = :id", id=org.street.id)


def test_a_case_with_a_timeline_cannot_be_deleted(db, case):
    """Deleting a case would take its history with it; the RESTRICT key on timeline_entries refuses."""
    refused(db, "DELETE FROM cases WHERE id = :id", id=case.id)
    assert db.session.get(Case, case.id) is not None


# --- claims ---------------------------------------------------------------------------------------

CLAIM_SQL = (
    "INSERT INTO claims (case_id, position, category, amount, description, resolved_amount) "
    "VALUES (:case_id, 9, :category, :amount, '', :resolved)"
)


def test_a_well_formed_raw_claim_is_accepted(db, case):
    db.session.execute(sa.text(CLAIM_SQL), {"case_id": case.id, "category": "overtime", "amount": 0, "resolved": None})
    db.session.commit()
    assert {c.category for c in db.session.get(Case, case.id).claims} == {ClaimCategory.WAGES, ClaimCategory.OVERTIME}


@pytest.mark.parametrize(
    ("category", "amount", "resolved"),
    [
        ("bonus", 100, None),  # not a claim category
        ("Wages", 100, None),
        ("wages", -1, None),
        ("wages", -0.01, None),
        ("wages", 100, -5),
    ],
)
def test_claims_refuse(db, case, category, amount, resolved):
    refused(db, CLAIM_SQL, case_id=case.id, category=category, amount=amount, resolved=resolved)


def test_claim_case_must_exist(db, case):
    refused(db, CLAIM_SQL, case_id=987654, category="wages", amount=1, resolved=None)


def test_negative_amount_is_refused_through_the_orm(db, case):
    case.claims.append(Claim(position=5, category=ClaimCategory.OVERTIME, amount=-100, description=""))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


# --- parties --------------------------------------------------------------------------------------

PARTY_SQL = (
    "INSERT INTO parties (case_id, position, side, kind, name, sex, id_number, id_tail, credit_code, "
    "is_representative, migrant_worker) "
    "VALUES (:case_id, 9, :side, :kind, '李四', :sex, :id_number, :id_tail, :credit_code, false, false)"
)


def party_row(case, **overrides) -> dict:
    row = {
        "case_id": case.id,
        "side": "applicant",
        "kind": "worker",
        "sex": None,
        "id_number": WORKER_ID,
        "id_tail": WORKER_ID[-4:],
        "credit_code": None,
    }
    return {**row, **overrides}


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"id_number": None, "id_tail": None},
        {"kind": "employer", "side": "respondent", "id_number": None, "id_tail": None, "credit_code": EMPLOYER_CODE},
        {"kind": "agent", "id_number": None, "id_tail": None, "sex": "male"},
    ],
)
def test_well_formed_raw_parties_are_accepted(db, case, overrides):
    accepted(db, PARTY_SQL, **party_row(case, **overrides))


@pytest.mark.parametrize(
    "overrides",
    [
        {"kind": "employer", "side": "respondent"},  # an employer with a resident ID number
        {"kind": "employer", "credit_code": EMPLOYER_CODE},
        {"credit_code": EMPLOYER_CODE},  # a worker with a credit code
        {"id_tail": "0000"},  # tail does not match the number
        {"id_tail": None},  # number without its tail
        {"id_number": None},  # tail without a number
        {"id_number": WORKER_ID[:17], "id_tail": WORKER_ID[13:17]},  # 17 characters
        {"id_number": None, "id_tail": None, "kind": "employer", "credit_code": EMPLOYER_CODE[:17]},
        {"side": "witness"},
        {"kind": "company"},
        {"sex": "x"},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()),
)
def test_parties_refuse(db, case, overrides):
    refused(db, PARTY_SQL, **party_row(case, **overrides))


def test_id_tail_mismatch_is_refused_through_the_orm(db, case):
    case.parties.append(
        Party(
            position=7,
            side=PartySide.APPLICANT,
            kind=PartyKind.WORKER,
            name="王五",
            id_number=WORKER_ID,
            id_tail="1234",
        )
    )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


# --- units, users, sequences, assignments ---------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO units (code, name, kind, path, active) VALUES ('X1', 'x', 'planet', '/', true)",
        "INSERT INTO units (code, name, kind, path, active) VALUES ('LGC', 'x', 'street', '/', true)",
        "INSERT INTO units (code, name, kind, parent_id, path, active) VALUES ('X2', 'x', 'street', 987654, '/', true)",
        "UPDATE units SET parent_id = id WHERE code = 'LGC'",
        "UPDATE users SET locale = 'fr' WHERE username = 'clerk'",
        "UPDATE users SET failed_logins = -1 WHERE username = 'clerk'",
        "UPDATE users SET username = 'mediator' WHERE username = 'clerk'",
        "UPDATE users SET unit_id = 987654 WHERE username = 'clerk'",
        "INSERT INTO user_roles (user_id, role) SELECT id, 'superuser' FROM users WHERE username = 'clerk'",
        "INSERT INTO user_roles (user_id, role) SELECT id, 'clerk' FROM users WHERE username = 'clerk'",
        "INSERT INTO user_roles (user_id, role) VALUES (987654, 'clerk')",
        "INSERT INTO number_sequences (unit_id, family, year, last_value) VALUES (987654, 'registry', 2026, 1)",
        "INSERT INTO number_formats (unit_id, family, pattern) VALUES (987654, 'registry', '{year}{seq}')",
    ],
    ids=[
        "unit-kind",
        "unit-code-taken",
        "unit-parent-missing",
        "unit-own-parent",
        "user-locale",
        "user-failed-logins",
        "username-taken",
        "user-unit-missing",
        "role-unknown",
        "role-twice",
        "role-user-missing",
        "sequence-unit-missing",
        "format-unit-missing",
    ],
)
def test_organisation_tables_refuse(db, org, sql):
    refused(db, sql)


def test_number_sequences_refuse_negative_and_duplicate_rows(db, org):
    insert = "INSERT INTO number_sequences (unit_id, family, year, last_value) VALUES (:unit, 'registry', 2026, :v)"
    refused(db, insert, unit=org.centre.id, v=-1)
    db.session.execute(sa.text(insert), {"unit": org.centre.id, "v": 3})
    db.session.commit()
    refused(db, insert, unit=org.centre.id, v=4)


def test_assignments_are_unique_per_case_user_and_role(db, org, case):
    insert = (
        "INSERT INTO case_assignments (case_id, user_id, role, assigned_at, active) "
        "VALUES (:case, :user, :role, :at, true)"
    )
    params = {"case": case.id, "user": org.user("mediator").id, "role": "mediator", "at": CREATED}
    db.session.execute(sa.text(insert), params)
    db.session.commit()
    refused(db, insert, **params)
    refused(db, insert, **{**params, "role": "boss"})
    refused(db, insert, **{**params, "user": 987654})


# --- the append-only timeline ---------------------------------------------------------------------


def test_timeline_accepts_inserts(db, case, org):
    db.session.execute(
        sa.text("INSERT INTO timeline_entries (case_id, at, actor_id, kind) VALUES (:case, :at, :actor, 'note')"),
        {"case": case.id, "at": CREATED, "actor": org.user("clerk").id},
    )
    db.session.commit()
    kinds = db.session.scalars(sa.select(TimelineEntry.kind).where(TimelineEntry.case_id == case.id)).all()
    assert sorted(kinds) == ["case_registered", "note"]


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE timeline_entries SET kind = 'forged' WHERE case_id = :case",
        "UPDATE timeline_entries SET reason = 'rewritten' WHERE case_id = :case",
        "UPDATE timeline_entries SET at = at WHERE case_id = :case",  # even a no-op update
        "DELETE FROM timeline_entries WHERE case_id = :case",
        "DELETE FROM timeline_entries",
    ],
)
def test_timeline_refuses_update_and_delete(db, case, sql):
    with pytest.raises(sa.exc.DBAPIError, match=APPEND_ONLY):
        db.session.execute(sa.text(sql), {"case": case.id})
    db.session.rollback()
    entries = db.session.scalars(sa.select(TimelineEntry).where(TimelineEntry.case_id == case.id)).all()
    assert [e.kind for e in entries] == ["case_registered"]
    assert entries[0].reason is None


def test_timeline_refuses_orm_changes(db, case):
    entry = db.session.scalars(sa.select(TimelineEntry).where(TimelineEntry.case_id == case.id)).one()
    entry.reason = "tidied up"
    with pytest.raises(sa.exc.DBAPIError, match=APPEND_ONLY):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(TimelineEntry, entry.id))
    with pytest.raises(sa.exc.DBAPIError, match=APPEND_ONLY):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(TimelineEntry, entry.id).reason is None


def test_timeline_entry_needs_an_existing_case_and_actor(db, case):
    insert = "INSERT INTO timeline_entries (case_id, at, actor_id, kind) VALUES (:case, :at, :actor, 'note')"
    refused(db, insert, case=987654, at=CREATED, actor=None)
    refused(db, insert, case=case.id, at=CREATED, actor=987654)


def test_utc_column_refuses_naive_datetimes(db, case):
    """Timestamps must carry a zone: a naive one is a programming error, caught before the database."""
    db.session.add(TimelineEntry(case=case, at=datetime(2026, 11, 20, 10, 0), kind="note"))
    with pytest.raises(sa.exc.StatementError):
        db.session.flush()
    db.session.rollback()
    db.session.add(TimelineEntry(case=case, at=datetime(2026, 11, 20, 10, 0, tzinfo=UTC), kind="note"))
    db.session.commit()
