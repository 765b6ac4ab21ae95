"""Migration 0011_award_life on data written under the old rules (revision 0010): per-party periods from the
recorded services, the awards' effect, closing acts, breaches kept at closure, and the statistics told to refold."""

from datetime import date

import sqlalchemy as sa

from disputes.extensions import db
from tests.db.test_migrations import flask_db, scratch_app  # noqa: F401  (the fixture)

CREATED = "2026-08-01 00:00:00"


def insert(conn, table: str, **values) -> None:
    columns = ", ".join(values)
    conn.execute(sa.text(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(':' + c for c in values)})"), values)


def rule_pk(conn, rule_id: str) -> int:
    return conn.scalar(sa.text("SELECT max(id) FROM sla_rules WHERE rule_id = :r"), {"r": rule_id})


def timer(conn, id, case_id, rule_id, status, started, due, completed=None, by=None, subject=None):
    insert(
        conn,
        "sla_timers",
        id=id,
        case_id=case_id,
        rule_pk=rule_pk(conn, rule_id),
        rule_id=rule_id,
        subject_id=subject,
        unit_id=1,
        status=status,
        started_on=started,
        period=0,
        unit="days",
        nominal_on=due,
        due_on=due,
        provisional=False,
        paused_days=0,
        extension_days=0,
        completed_on=completed,
        completed_by=by,
        created_at=CREATED,
    )


def old_data(conn) -> None:
    """Two cases as revision 0010 left them: a non-final award served (the award document reached the worker on
    09-17 and the employer on 09-25, the step recorded 09-25 for both), made effective by the old job on 10-03;
    a withdrawal decided on 09-01 and approved on 09-05, with a hearing notice never served."""
    insert(conn, "units", id=1, code="LGA", name="仲裁委", kind="arbitration_commission", path="/1/", active=True)
    insert(
        conn,
        "users",
        id=1,
        username="sup",
        display_name="主任",
        password_hash="x",
        unit_id=1,
        locale="zh_CN",
        active=True,
        failed_logins=0,
        created_at=CREATED,
    )
    for case_id, closed in ((1, "2026-10-03"), (2, "2026-09-05")):
        insert(
            conn,
            "cases",
            id=case_id,
            registry_no=f"N{case_id}",
            unit_id=1,
            registered_on="2026-08-10",
            cause="欠薪",
            facts="",
            stage="arbitration",
            status="closed",
            closed_on=closed,
            worker_count=1,
            migrant_wage=False,
            work_injury=False,
            green_channel=False,
            collective=False,
            limitation_warning=False,
            version_id=1,
            created_at=CREATED,
        )
        insert(
            conn,
            "parties",
            id=case_id * 10,
            case_id=case_id,
            position=0,
            side="applicant",
            kind="worker",
            name="张三",
            is_representative=False,
            migrant_worker=False,
        )
        insert(
            conn,
            "parties",
            id=case_id * 10 + 1,
            case_id=case_id,
            position=1,
            side="respondent",
            kind="employer",
            name="宏达公司",
            is_representative=False,
            migrant_worker=False,
        )
        insert(
            conn,
            "parties",
            id=case_id * 10 + 2,
            case_id=case_id,
            position=2,
            side="applicant",
            kind="agent",
            name="李律师",
            is_representative=False,
            migrant_worker=False,
        )
    insert(
        conn,
        "arbitrations",
        id=1,
        case_id=1,
        unit_id=1,
        number="A1",
        state="closed",
        received_on="2026-08-20",
        complete_on="2026-08-20",
        accepted_on="2026-08-20",
        simplified=False,
        closure_type="award",
        closure_requested_on="2026-09-09",
        closure_requested_by_id=1,
        closed_on="2026-09-12",
        closure_approved_by_id=1,
        award_effective_on="2026-10-03",
        created_at=CREATED,
    )
    insert(
        conn,
        "awards",
        id=1,
        arbitration_id=1,
        finality="non_final",
        number="A1",
        awarded_on="2026-09-09",
        partial=False,
        minimum_wage=2520,
        reasons="",
        served_on="2026-09-25",
        issued_by_id=1,
        created_at=CREATED,
    )
    insert(
        conn,
        "issued_documents",
        id=1,
        case_id=1,
        unit_id=1,
        kind="arb_award",
        subject_key="1-nonfinal",
        version=1,
        lang="zh_CN",
        code="C1",
        sha256="0" * 64,
        size=1,
        page_count=1,
        pdf=b"%",
        issued_at="2026-09-12 02:00:00",
    )
    for service_id, party, served_at in ((1, 10, "2026-09-17 02:00:00"), (2, 11, "2026-09-25 02:00:00")):
        insert(
            conn,
            "document_services",
            id=service_id,
            document_id=1,
            case_id=1,
            party_id=party,
            method="in_person",
            served_at=served_at,
            recipient="本人",
            officer_id=1,
            recorded_by_id=1,
            recorded_at=served_at,
        )
    timer(
        conn, 1, 1, "arbitration.award", "met", "2026-08-20", "2026-10-08", "2026-09-12", "arbitration.approve_closure"
    )
    timer(conn, 2, 1, "litigation.sue_nonfinal", "met", "2026-09-25", "2026-10-10", "2026-10-10", "sla.period_ended")
    insert(
        conn,
        "arbitrations",
        id=2,
        case_id=2,
        unit_id=1,
        number="A2",
        state="closed",
        received_on="2026-08-20",
        complete_on="2026-08-20",
        accepted_on="2026-08-20",
        simplified=False,
        closure_type="withdrawn",
        closure_note="撤回",
        closure_requested_on="2026-09-01",
        closure_requested_by_id=1,
        closed_on="2026-09-05",
        closure_approved_by_id=1,
        created_at=CREATED,
    )
    timer(
        conn, 3, 2, "arbitration.award", "met", "2026-08-20", "2026-10-08", "2026-09-05", "arbitration.approve_closure"
    )
    timer(
        conn,
        4,
        2,
        "arbitration.hearing_notice",
        "cancelled",
        "2026-09-04",
        "2026-08-30",
        "2026-09-05",
        "arbitration.approve_closure",
        subject=1,
    )
    conn.execute(sa.text("DELETE FROM metric_changes"))
    if conn.dialect.name == "postgresql":  # rows given their ids: the sequences carry on after them
        for table in (
            "units",
            "users",
            "cases",
            "parties",
            "arbitrations",
            "awards",
            "issued_documents",
            "document_services",
            "sla_timers",
        ):
            conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"))


def test_the_migration_recomputes_old_cases_under_the_new_rules(scratch_app):  # noqa: F811
    flask_db(scratch_app, "upgrade", "0010")
    with scratch_app.app_context(), db.engine.begin() as conn:
        old_data(conn)
    flask_db(scratch_app, "upgrade")
    with scratch_app.app_context(), db.engine.connect() as conn:

        def row(sql: str, **params):
            return conn.execute(sa.text(sql), params).mappings().one()

        def day(value):
            return date.fromisoformat(value) if isinstance(value, str) else value

        # Finding 3: the closing act's date, the approval's beside it.
        award_case = row("SELECT closed_on, closure_approved_on, closure_act_on FROM arbitrations WHERE id = 1")
        assert [day(v) for v in award_case.values()] == [date(2026, 9, 9), date(2026, 9, 12), date(2026, 9, 9)]
        withdrawal = row("SELECT closed_on, closure_approved_on FROM arbitrations WHERE id = 2")
        assert [day(v) for v in withdrawal.values()] == [date(2026, 9, 1), date(2026, 9, 5)]
        assert day(row("SELECT closed_on FROM cases WHERE id = 2")["closed_on"]) == date(2026, 9, 1)
        award_timer = row("SELECT status, completed_on FROM sla_timers WHERE id = 1")
        assert (award_timer["status"], day(award_timer["completed_on"])) == ("met", date(2026, 9, 9))
        # Finding 1: each party's period from the day the award document reached it; the agent has none.
        services = conn.execute(sa.text("SELECT party_id, served_on FROM award_services ORDER BY party_id")).all()
        assert [(p, day(d)) for p, d in services] == [(10, date(2026, 9, 17)), (11, date(2026, 9, 25))]
        periods = conn.execute(
            sa.text(
                "SELECT subject_id, started_on, due_on, status, completed_by FROM sla_timers "
                "WHERE rule_id = 'litigation.sue_nonfinal' ORDER BY subject_id"
            )
        ).all()
        assert [(s, day(a), day(b), st, by) for s, a, b, st, by in periods] == [
            (10, date(2026, 9, 17), date(2026, 10, 8), "met", "sla.period_ended"),
            (11, date(2026, 9, 25), date(2026, 10, 10), "met", "sla.period_ended"),
        ]
        # Finding 2: the award took effect the day after the last period (not 2026-10-03); the case closed then.
        assert day(row("SELECT effective_on FROM awards WHERE id = 1")["effective_on"]) == date(2026, 10, 11)
        case = row("SELECT status, closed_on FROM cases WHERE id = 1")
        assert (case["status"], day(case["closed_on"])) == ("closed", date(2026, 10, 11))
        assert "award_effective_on" not in {c["name"] for c in sa.inspect(conn).get_columns("arbitrations")}
        # Finding 4: the notice never served is a breach, dated as the scan would, late until the act.
        notice = row("SELECT status, breached_on, days_late, completed_on FROM sla_timers WHERE id = 4")
        assert (notice["status"], day(notice["breached_on"]), notice["days_late"], day(notice["completed_on"])) == (
            "cancelled",
            date(2026, 8, 31),
            2,
            date(2026, 9, 1),
        )
        # The new rule version, and the summary told to refold both cases.
        completed_by = conn.execute(
            sa.text("SELECT completed_by FROM sla_rules WHERE rule_id = 'arbitration.award' ORDER BY version DESC")
        ).first()[0]
        assert "arbitration.record_award" in str(completed_by)
        logged = set(conn.scalars(sa.text("SELECT case_id FROM metric_changes WHERE case_id IS NOT NULL")))
        assert {1, 2} <= logged
