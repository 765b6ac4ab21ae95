"""Importing a ledger: all or nothing, every error by row and column, tracks and timers from the dates."""

import io
from datetime import date

import pytest
import sqlalchemy as sa

from disputes.ledger import parse
from disputes.ledger.errors import LedgerInvalid
from disputes.ledger.importer import import_ledger
from disputes.models import Arbitration, Case, LegalAidApplication, Mediation, Role, SlaTimer, TimelineEntry
from tests.ledger_rows import GOOD, csv_text


def run(db, text, actor=None, **kw):
    sheet = parse.read(io.BytesIO(text.encode("utf-8")), "ledger.csv")
    result = import_ledger(db.session, sheet, actor, note="imported", causes={}, **kw)
    db.session.commit()
    return result


def errors_of(db, rows, **kw):
    with pytest.raises(LedgerInvalid) as caught:
        run(db, csv_text(rows), **kw)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0, "nothing may be written"
    return [(e.row, e.column, e.text(lambda m: m)) for e in caught.value.errors]


def timer(db, registry_no, rule_id):
    case = db.session.scalar(sa.select(Case).where(Case.registry_no == registry_no))
    return next(t for t in case.timers if t.rule_id == rule_id)


def test_good_import_creates_tracks_and_timers(db, org):
    result = run(db, csv_text(GOOD), org.user(Role.CLERK))
    assert (result.created, result.updated) == (len(GOOD), 0)
    first = db.session.scalar(sa.select(Case).where(Case.registry_no == "L-0001"))
    assert first.migrant_wage and first.green_channel and [c.category for c in first.claims] == ["wages", "overtime"]
    assert first.arbitration.state == "closed" and first.arbitration.closure_type == "award"
    assert [a.finality for a in first.arbitration.awards] == ["final"]
    award = timer(db, "L-0001", "arbitration.award")
    assert (award.due_on, award.status, award.breached_on, award.days_late) == (
        date(2026, 4, 16),
        "met_late",
        date(2026, 4, 17),
        34,
    )
    assert timer(db, "L-0001", "green.close").status == "met_late"
    # Suspended 30 days and extended 15: 2026-01-28 + 45 = 03-14, + 30 + 15 = 04-28 (a Tuesday): met.
    statement = timer(db, "L-0003", "arbitration.award")
    assert (statement.due_on, statement.status, statement.paused_days, statement.extension_days) == (
        date(2026, 4, 28),
        "met",
        30,
        15,
    )
    assert {a.kind for a in statement.adjustments} == {"suspension", "extension"}
    third = db.session.scalar(sa.select(Case).where(Case.registry_no == "L-0003"))
    assert third.collective and third.arbitration.suspensions[0].days == 30
    assert third.arbitration.approved_extension_days == 15
    assert third.mediation.state == "lapsed" and third.legal_aid[0].state == "granted"
    assert timer(db, "L-0003", "legal_aid.decide").status == "met_late"  # 15 days for a 7-day decision
    assert timer(db, "L-0002", "mediation.resolve").status == "met"
    assert db.session.scalar(sa.select(Mediation.state).join(Case).where(Case.registry_no == "L-0002")) == "agreement"
    refused = db.session.scalar(sa.select(Arbitration).join(Case).where(Case.registry_no == "L-0005"))
    assert refused.state == "refused" and refused.refused_on == date(2026, 2, 4)
    open_one = timer(db, "L-0006", "arbitration.award")
    assert open_one.status == "running" and open_one.due_on == date(2026, 11, 23)
    sued = db.session.scalar(sa.select(Case).where(Case.registry_no == "L-0004"))
    assert sued.stage == "litigation" and sued.status == "open" and sued.lawsuits[0].state == "filed"
    assert db.session.scalar(sa.select(Case.status).where(Case.registry_no == "L-0005")) == "closed"
    assert db.session.scalar(
        sa.select(sa.func.count(TimelineEntry.id)).where(TimelineEntry.kind == "ledger_imported")
    ) == len(GOOD)


def test_breached_open_timer(db, org):
    row = dict(
        GOOD[5], registered_on="2026-07-30", arbitration_received_on="2026-07-30", arbitration_accepted_on="2026-08-01"
    )
    run(db, csv_text([row]), org.user(Role.CLERK))
    award = timer(db, "L-0006", "arbitration.award")
    assert award.status == "breached" and award.breached_on == date(2026, 9, 16) and award.days_late > 0


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"registered_on": "2026-13-01"}, (2, "registered_on", "“2026-13-01” is not a date (YYYY-MM-DD)")),
        ({"arbitration_closed_on": "2026-03-01"}, (2, "arbitration_closed_on", "before arbitration_accepted_on")),
        ({"unit_code": "NOPE"}, (2, "unit_code", "unknown unit “NOPE”")),
        (
            {"applicant_id_no": "110105194912310021"},
            (2, "applicant_id_no", "not a valid resident ID number (check digit)"),
        ),
        ({"arbitrator": "nobody"}, (2, "arbitrator", "unknown user “nobody”")),
        ({"extension_days": "16"}, (2, "extension_days", "more than 15 days")),
        (
            {"arbitration_closure": "award"},
            (
                2,
                "arbitration_closure",
                (
                    "“award” is not one of mediation_statement, "
                    "award_final, award_nonfinal, award_mixed, withdrawn, deemed_withdrawn, "
                    "terminated, transferred, refused"
                ),
            ),
        ),
    ],
)
def test_each_error_names_row_and_column(db, org, change, expected):
    rows = [dict(GOOD[0], **change), GOOD[1]]
    assert expected in errors_of(db, rows, actor=org.user(Role.CLERK))


def test_closure_needs_its_start(db, org):
    row = {k: v for k, v in GOOD[0].items() if k != "arbitration_received_on"}
    errors = errors_of(db, [row])
    assert (2, "arbitration_accepted_on", "needs arbitration_received_on") in errors


def test_duplicate_registry_numbers(db, org):
    assert (3, "registry_no", "“L-0001” also on row 2") in errors_of(db, [GOOD[0], GOOD[0]])
    run(db, csv_text([GOOD[0]]))
    with pytest.raises(LedgerInvalid) as caught:
        run(db, csv_text([GOOD[0], GOOD[1]]))
    db.session.rollback()
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "registry_no")]
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 1


def test_unknown_column_is_an_error(db, org):
    with pytest.raises(LedgerInvalid) as caught:
        run(db, csv_text([GOOD[1]], columns=[*GOOD[1].keys(), "remarks"]))
    assert [(e.row, e.column, e.message) for e in caught.value.errors] == [(1, "remarks", "unknown column")]


def test_dry_run_writes_nothing(db, org):
    result = run(db, csv_text(GOOD), dry_run=True)
    db.session.rollback()
    assert result.created == len(GOOD)


def test_update_replaces_and_records(db, org):
    run(db, csv_text(GOOD))
    changed = dict(
        GOOD[5],
        arbitration_closed_on="2026-11-01",
        arbitration_closure="withdrawn",
        applicant_name="孙八八",
        arbitrator="arbitrator",
    )
    result = run(db, csv_text([changed]), update=True)
    assert (result.created, result.updated) == (0, 1)
    case = db.session.scalar(sa.select(Case).where(Case.registry_no == "L-0006"))
    db.session.refresh(case)
    assert case.arbitration.state == "closed" and case.arbitration.closure_type == "withdrawn"
    assert case.applicants[0].name == "孙八八" and len(case.parties) == 2
    assert timer(db, "L-0006", "arbitration.award").status == "met"
    entry = db.session.scalar(sa.select(TimelineEntry).where(TimelineEntry.kind == "ledger_updated"))
    assert entry.before["arbitration_closure"] == "" and entry.after["arbitration_closure"] == "withdrawn"
    assert db.session.scalar(sa.select(sa.func.count(SlaTimer.id)).where(SlaTimer.case_id == case.id)) == 2
    assert db.session.scalar(sa.select(sa.func.count(LegalAidApplication.id))) == 1


def test_a_failed_write_surfaces_and_writes_nothing(db, org):
    """On PostgreSQL the COPYs run in a writer thread: its error reaches the importer at the latest on close();
    on SQLite the insert fails where it runs. Either way the transaction is lost and nothing is written."""
    from disputes.ledger.pipe import CopyPipe

    pipe = CopyPipe(db.session)
    row = {
        "id": 1,
        "code": "X1",
        "name": "x",
        "name_en": None,
        "kind": "centre",
        "parent_id": None,
        "path": "/1/",
        "region_code": None,
        "address": None,
        "phone": None,
        "active": True,
    }
    with pytest.raises(Exception, match="pk_units|duplicate|UNIQUE constraint failed"):
        pipe.insert("units", [row, dict(row, code="X2")])  # the same id twice
        pipe.close()
    pipe.close(raise_errors=False)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(sa.text("units"))) == 8  # the conftest org


def test_history_without_people_or_minimum_wage_is_imported_as_given(app, db, org, login):
    """ledger.md: mediator and arbitrator are optional, and an old ledger names people without an account. The
    approver, the award's issuer, the suspension's and extension's people and an agreement's mediator are then
    unknown — not the clerk who imported the file — and an award in a unit without a region keeps no minimum wage
    (the row gives its finality). Pages and documents say “not recorded”. (Issue 14.)"""
    from decimal import Decimal

    from disputes import organisation
    from disputes.models import Award, UnitKind
    from tests.pages import t

    organisation.add_unit(db.session, "OLD", "某旧中心", UnitKind.CENTRE)  # no region code up its tree
    db.session.commit()
    rows = [dict(GOOD[0], arbitrator="", suspended_days="5", extension_days="10"), dict(GOOD[1], mediator="")]
    run(db, csv_text(rows), org.user(Role.CLERK))
    run(db, csv_text([dict(GOOD[0], registry_no="L-OLD", unit_code="OLD", arbitrator="")]))  # the CLI, no --user
    award_case = db.session.scalar(sa.select(Case).where(Case.registry_no == "L-0001"))
    arbitration = award_case.arbitration
    assert (arbitration.state, arbitration.closure_requested_by_id, arbitration.closure_approved_by_id) == (
        "closed",
        None,
        None,
    )
    (award,) = arbitration.awards
    assert award.issued_by_id is None and award.finality == "final" and award.minimum_wage > 0
    (suspension,) = arbitration.suspensions
    (extension,) = arbitration.extensions
    assert (suspension.requested_by_id, suspension.decided_by_id, suspension.ended_by_id, suspension.days) == (
        None,
        None,
        None,
        5,
    )
    assert (extension.requested_by_id, extension.decided_by_id, extension.days) == (None, None, 10)
    assert timer(db, "L-0001", "arbitration.award").status == "met_late"
    old = db.session.scalar(sa.select(Award).join(Arbitration).join(Case).where(Case.registry_no == "L-OLD"))
    assert old.minimum_wage is None and old.finality == "final"
    agreement = db.session.scalar(sa.select(Mediation).join(Case).where(Case.registry_no == "L-0002"))
    assert (agreement.state, agreement.mediator_id, agreement.accepted_on) == ("agreement", None, date(2026, 6, 1))
    assert agreement.performance == "pending" and Decimal(0) == sum(t.amount or 0 for t in agreement.terms)

    client = login(org.user(Role.CLERK))
    not_recorded = t(app, "Not recorded")
    page = client.get(f"/cases/{award_case.id}").get_data(as_text=True)
    assert page.count(not_recorded) >= 5  # suspension and extension requesters and deciders, issuer, approver
    mediated = db.session.scalar(sa.select(Case).where(Case.registry_no == "L-0002"))
    assert not_recorded in client.get(f"/cases/{mediated.id}").get_data(as_text=True)
    for case, kind, key in (
        (award_case, "arb_closure_approval", ""),
        (award_case, "arb_suspension_approval", str(suspension.id)),
        (mediated, "med_agreement", ""),
    ):
        preview = client.get(f"/cases/{case.id}/documents/{kind}/preview", query_string={"key": key})
        assert preview.status_code == 200 and not_recorded in preview.get_data(as_text=True), kind
    english = client.get(f"/cases/{award_case.id}/documents/arb_closure_approval/preview?lang=en")
    assert "Not recorded" in english.get_data(as_text=True)


def test_imported_cases_are_in_the_reading_scope(db, org):
    """The COPY writer's cases and tracks reach case_readers (migration 0019's triggers), a re-import included."""
    from disputes import policy
    from tests.workflow.test_case_scope import expected_pairs, former_case_scope, kept_pairs

    run(db, csv_text(GOOD), org.user(Role.CLERK))
    run(db, csv_text([dict(GOOD[5], arbitrator="arbitrator")]), update=True)
    assert kept_pairs(db.session) == expected_pairs(db.session)
    for role in (Role.CLERK, Role.MEDIATOR, Role.ARBITRATOR, Role.LEGAL_AID_OFFICER, Role.COURT_LIAISON):
        user = org.user(role)
        scoped = set(db.session.scalars(sa.select(Case.id).where(policy.case_scope(user))))
        assert scoped == set(db.session.scalars(sa.select(Case.id).where(former_case_scope(user)))), role


def test_the_court_case_number_is_imported(db, org):
    """Issue 17: `litigation_case_no`, an optional column, gives the lawsuit its court case number."""
    rows = [dict(row) for row in GOOD]
    next(row for row in rows if row["registry_no"] == "L-0004")["litigation_case_no"] = "（2026）粤0307民初77号"
    run(db, csv_text(rows), org.user(Role.CLERK))
    case = db.session.scalar(sa.select(Case).where(Case.registry_no == "L-0004"))
    assert case.lawsuits[0].court_case_no == "（2026）粤0307民初77号"


def test_a_ledger_without_the_court_case_number_still_imports(db, org):
    from disputes.ledger.columns import COLUMNS

    old = [c for c in COLUMNS if c != "litigation_case_no"]
    result = run(db, csv_text(GOOD, columns=old), org.user(Role.CLERK))
    assert result.created == len(GOOD)
    case = db.session.scalar(sa.select(Case).where(Case.registry_no == "L-0004"))
    assert case.lawsuits[0].court_case_no is None


def test_claim_items_columns_are_optional_and_imported(db, org):
    """A ledger without the claim-item columns imports as before; with them, each claim gets its cause and outcome
    and the first claim the amounts agreed or awarded and recovered (issue 17)."""
    from disputes.ledger.columns import COLUMNS
    from disputes.models import Claim

    new = ("claim_causes", "claim_outcomes", "resolved_amount", "recovered_amount")
    old_columns = [c for c in COLUMNS if c not in new]
    run(db, csv_text([GOOD[1]], columns=old_columns))
    assert db.session.scalar(sa.select(sa.func.count(Claim.id)).where(Claim.outcome.is_not(None))) == 0
    row = {
        **GOOD[0],
        "registry_no": "L-0100",
        "claim_causes": "remuneration;working_time",
        "claim_outcomes": "supported;rejected",
        "resolved_amount": "8000",
        "recovered_amount": "5000.50",
    }
    run(db, csv_text([row]))
    case = db.session.scalar(sa.select(Case).where(Case.registry_no == "L-0100"))
    claims = sorted(case.claims, key=lambda c: c.position)
    assert [(c.category, c.dispute_cause, c.outcome) for c in claims] == [
        ("wages", "remuneration", "supported"),
        ("overtime", "working_time", "rejected"),
    ]
    assert (str(claims[0].resolved_amount), str(claims[0].recovered_amount)) == ("8000.00", "5000.50")


@pytest.mark.parametrize(
    ("change", "column"),
    [({"claim_causes": "wages"}, "claim_causes"), ({"claim_outcomes": "supported"}, "claim_outcomes")],
)
def test_claim_item_lists_are_checked(db, org, change, column):
    errors = errors_of(db, [{**GOOD[0], **change}])
    assert [c for _r, c, _t in errors] == [column]
