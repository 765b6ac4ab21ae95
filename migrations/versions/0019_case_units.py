"""The reading scope as one indexed table: case_units, kept by triggers (issue 18).

`case_units(case_id, unit_id)` holds, per case, the units that read it wholesale: the case's own unit and every
unit holding one of its tracks (mediation, arbitration, legal aid). Triggers on `cases` and the three track
tables keep it current whoever writes (the web, the ledger's COPY, the demo loader, raw SQL); a pair goes only
when neither the case nor any of its tracks names that unit any more. PostgreSQL gets statement-level triggers
over transition tables (one INSERT … SELECT per COPY statement), SQLite row-level ones. Existing cases are
backfilled. The assignments get an index (user_id, active, case_id) for the scope's "assigned to me" branch.

Revision ID: 0019_case_units
Revises: 0011_amounts_unknown_people
"""
import sqlalchemy as sa
from alembic import op

revision = "0019_case_units"
down_revision = "0011_amounts_unknown_people"
branch_labels = None
depends_on = None

# table: the column naming the case (cases: its id)
SOURCES = {"cases": "id", "mediations": "case_id", "arbitrations": "case_id", "legal_aid_applications": "case_id"}
TRACKS = ("mediations", "arbitrations", "legal_aid_applications")


def _still_held(alias: str) -> str:
    """No row of `cases` or a track table names the pair (`alias`.case_id, `alias`.unit_id) any more."""
    checks = [f"NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = {alias}.case_id AND c.unit_id = {alias}.unit_id)"]
    checks += [f"NOT EXISTS (SELECT 1 FROM {t} t WHERE t.case_id = {alias}.case_id AND t.unit_id = {alias}.unit_id)"
               for t in TRACKS]
    return " AND ".join(checks)


def _postgres(table: str) -> list[str]:
    case = SOURCES[table]
    added = "INSERT INTO case_units (case_id, unit_id) SELECT DISTINCT {case}, unit_id FROM {rows} ON CONFLICT DO NOTHING;"
    changed = (f"(SELECT n.{case} AS case_id, n.unit_id FROM new_rows n JOIN old_rows o ON o.id = n.id "
               f"WHERE n.unit_id IS DISTINCT FROM o.unit_id OR n.{case} IS DISTINCT FROM o.{case})")
    moved = (f"(SELECT o.{case} AS case_id, o.unit_id FROM old_rows o JOIN new_rows n ON n.id = o.id "
             f"WHERE n.unit_id IS DISTINCT FROM o.unit_id OR n.{case} IS DISTINCT FROM o.{case})")
    gone = ("DELETE FROM case_units cu USING {rows} g WHERE cu.case_id = g.case_id AND cu.unit_id = g.unit_id AND "
            + _still_held("cu") + ";")
    bodies = {
        "insert": ("NEW TABLE AS new_rows", added.format(case=case, rows="new_rows")),
        "update": ("OLD TABLE AS old_rows NEW TABLE AS new_rows",
                   added.format(case="case_id", rows=changed + " ch") + " " + gone.format(rows=moved)),
    }
    if table != "cases":  # a deleted case takes its pairs with it (ON DELETE CASCADE)
        bodies["delete"] = ("OLD TABLE AS old_rows",
                            gone.format(rows=f"(SELECT DISTINCT {case} AS case_id, unit_id FROM old_rows)"))
    statements = []
    for event, (referencing, body) in bodies.items():
        name = f"case_units_{table}_{event}"
        statements += [
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NULL; END $$",
            (f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} REFERENCING {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"),
        ]
    return statements


def _sqlite(table: str) -> list[str]:
    case = SOURCES[table]
    add = f"INSERT OR IGNORE INTO case_units (case_id, unit_id) VALUES (NEW.{case}, NEW.unit_id);"
    drop = ("DELETE FROM case_units WHERE case_id = OLD.{case} AND unit_id = OLD.unit_id AND "
            + _still_held("case_units") + ";").format(case=case)
    triggers = {
        "insert": ("INSERT", add),
        "update": (f"UPDATE OF {case}, unit_id", add + " " + drop),
    }
    triggers["delete"] = ("DELETE", drop if table != "cases" else "DELETE FROM case_units WHERE case_id = OLD.id;")
    return [f"CREATE TRIGGER case_units_{table}_{event} AFTER {when} ON {table} FOR EACH ROW BEGIN {body} END"
            for event, (when, body) in triggers.items()]


def _names(table: str, postgres: bool) -> list[str]:
    events = ("insert", "update", "delete") if table != "cases" or not postgres else ("insert", "update")
    return [f"case_units_{table}_{event}" for event in events]


def upgrade() -> None:
    op.create_table(
        "case_units",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_units_case_id_cases"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_case_units_unit_id_units"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", "unit_id", name=op.f("pk_case_units")),
    )
    op.create_index("ix_case_units_unit_case", "case_units", ["unit_id", "case_id"], unique=True)
    parts = [f"SELECT {case}, unit_id FROM {table}" for table, case in SOURCES.items()]
    op.execute("INSERT INTO case_units (case_id, unit_id) " + " UNION ".join(parts))
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in SOURCES:
        for statement in (_postgres if postgres else _sqlite)(table):
            op.execute(statement)
    op.create_index("ix_case_assignments_user_active_case", "case_assignments", ["user_id", "active", "case_id"])
    op.drop_index("ix_case_assignments_user_id", table_name="case_assignments")
    if postgres:
        op.execute("ANALYZE case_units")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_index("ix_case_assignments_user_id", "case_assignments", ["user_id"])
    op.drop_index("ix_case_assignments_user_active_case", table_name="case_assignments")
    for table in SOURCES:
        for name in _names(table, postgres):
            op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))
            if postgres:
                op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_index("ix_case_units_unit_case", table_name="case_units")
    op.drop_table("case_units")
