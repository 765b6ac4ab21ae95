"""Amounts bounded in the database; people a ledger does not name (issue 14).

Every money column gets a CHECK: 0 (or more than 0) to 999,999,999.99, which NaN fails too (PostgreSQL's NUMERIC
holds NaN; SQLite keeps 1e30 as given). Rows already out of range: a nullable amount is set to NULL (such a value
broke every page that showed it), a required one stops the migration with the rows to correct.

A ledger's history may not name the mediator, the arbitrator or the approver: an award's issuer and minimum wage,
suspension and extension requesters become nullable; a closure someone asked for still needs its approver, and an
agreement its acceptance date, but an imported agreement need not name its mediator.

SQLite cannot alter a constraint: the tables are rebuilt (batch mode, with foreign keys off: migrations/env.py),
and the triggers (the statistics' of migration 0010, the timeline's) are set aside meanwhile and put back as they were.

Revision ID: 0011_amounts_unknown_people
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_amounts_unknown_people"
down_revision = "0011_security_hardening"
branch_labels = None
depends_on = None

MAX = "999999999.99"


def _bounded(column: str, positive: bool = False, nullable: bool = True) -> str:
    bound = f"{column} {'>' if positive else '>='} 0 AND {column} <= {MAX}"
    return f"{column} IS NULL OR ({bound})" if nullable else bound


# table: [(old constraint, new constraint, new SQL, old SQL)]
CHECKS = {
    "claims": [
        ("amount_non_negative", "amount_in_range", _bounded("amount"), "amount IS NULL OR amount >= 0"),
        (
            "resolved_non_negative",
            "resolved_in_range",
            _bounded("resolved_amount"),
            "resolved_amount IS NULL OR resolved_amount >= 0",
        ),
    ],
    "agreement_terms": [
        ("term_amount_non_negative", "term_amount_in_range", _bounded("amount"), "amount IS NULL OR amount >= 0"),
    ],
    "instalments": [
        ("instalment_amount_positive", "instalment_amount_in_range", _bounded("amount", True, False), "amount > 0"),
    ],
    "awards": [
        ("minimum_wage_positive", "minimum_wage_in_range", _bounded("minimum_wage", True), "minimum_wage > 0"),
    ],
    "award_items": [
        ("item_amount_non_negative", "item_amount_in_range", _bounded("amount"), "amount IS NULL OR amount >= 0"),
    ],
    "minimum_wages": [
        (
            "monthly_amount_positive",
            "monthly_amount_in_range",
            _bounded("monthly_amount", True, False),
            "monthly_amount > 0",
        ),
    ],
    "arbitrations": [
        (
            "closure_approved",
            "closure_approved",
            (
                "state <> 'closed' OR accepted_on IS NULL OR closure_approved_by_id IS NOT NULL "
                "OR closure_requested_by_id IS NULL"
            ),
            "state <> 'closed' OR accepted_on IS NULL OR closure_approved_by_id IS NOT NULL",
        ),
    ],
    "mediations": [
        (
            "accepted_has_mediator",
            "accepted_has_mediator",
            "NOT (state IN ('accepted', 'in_session')) OR (mediator_id IS NOT NULL AND accepted_on IS NOT NULL)",
            (
                "NOT (state IN ('accepted', 'agreement', 'in_session')) "
                "OR (mediator_id IS NOT NULL AND accepted_on IS NOT NULL)"
            ),
        ),
        (None, "agreement_accepted", "state <> 'agreement' OR accepted_on IS NOT NULL", None),
    ],
}
# table: columns that become nullable (a person or figure the ledger does not give)
NULLABLE = {
    "awards": [("minimum_wage", sa.Numeric(14, 2)), ("issued_by_id", sa.Integer())],
    "suspensions": [("requested_by_id", sa.Integer())],
    "extensions": [("requested_by_id", sa.Integer())],
}
# Amounts out of range are cleared where the column allows it; elsewhere the migration stops.
CLEARED = {
    "claims": ["amount", "resolved_amount"],
    "agreement_terms": ["amount"],
    "award_items": ["amount"],
    "awards": ["minimum_wage"],
}
REQUIRED = {"instalments": ("amount", False), "minimum_wages": ("monthly_amount", True)}


def _out_of_range(column: str, positive: bool = False) -> str:
    return f"{column} IS NOT NULL AND NOT ({column} {'>' if positive else '>='} 0 AND {column} <= {MAX})"


def _fix_amounts(conn) -> None:
    problems = []
    for table, (column, positive) in REQUIRED.items():
        rows = conn.execute(sa.text(f"SELECT id, {column} FROM {table} WHERE {_out_of_range(column, positive)}")).all()
        problems += [f"{table}.{column} id {row_id}: {value}" for row_id, value in rows]
    if problems:
        raise RuntimeError(
            "Amounts out of range (0 to 999,999,999.99) must be corrected before this migration:\n"
            + "\n".join(problems[:50])
        )
    for table, columns in CLEARED.items():
        for column in columns:
            cleared = conn.execute(
                sa.text(f"UPDATE {table} SET {column} = NULL WHERE {_out_of_range(column, table == 'awards')}")
            ).rowcount
            if cleared:
                print(f"0011: {cleared} {table}.{column} value(s) out of range cleared")


def _change(table: str, down: bool) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table(table, recreate="always" if sqlite else "auto") as batch:
        for old, new, new_sql, old_sql in CHECKS.get(table, []):
            drop, create, sql = (new, old, old_sql) if down else (old, new, new_sql)
            if drop:
                batch.drop_constraint(op.f(f"ck_{table}_{drop}"), type_="check")
            if create:
                batch.create_check_constraint(op.f(f"ck_{table}_{create}"), sa.text(sql))
        for column, kind in NULLABLE.get(table, []):
            batch.alter_column(column, existing_type=kind, nullable=not down)


def _rebuild(down: bool) -> None:
    """Each table changed; on SQLite every trigger is set aside meanwhile (a rebuilt table loses its own, and
    renaming it back fails while another table's trigger names it) and put back as it was."""
    conn = op.get_bind()
    triggers = []
    if conn.dialect.name == "sqlite":
        triggers = conn.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
        for name, _sql in triggers:
            op.execute(f'DROP TRIGGER "{name}"')
    for table in dict.fromkeys([*CHECKS, *NULLABLE]):
        _change(table, down)
    for _name, sql in triggers:
        op.execute(sql)


def upgrade() -> None:
    _fix_amounts(op.get_bind())
    _rebuild(down=False)


def downgrade() -> None:
    conn = op.get_bind()
    for table, columns in NULLABLE.items():
        for column, _kind in columns:
            if conn.execute(sa.text(f"SELECT 1 FROM {table} WHERE {column} IS NULL LIMIT 1")).first():
                raise RuntimeError(f"{table}.{column} holds unknown values (imported history): cannot downgrade")
    _rebuild(down=True)
