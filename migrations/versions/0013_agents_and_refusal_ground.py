"""Agents know whom they act for; a refusal to accept records its ground (issue 13).

`parties.represents_id` links an agent (委托代理人) to the party of its side it acts for and
`parties.capacity` says as what (a law firm's lawyer, the employer's HR officer); existing agents
are linked to the first party of their side. `arbitrations.refusal_ground` is the structured ground
of a refusal to accept (old refusals keep none and are printed as "other").

Plain ADD COLUMN on both databases (the reference has no ON DELETE action: SQLite reflects none for
a column-level one, and the ORM clears a deleted party's agents' links): on SQLite a batch rebuild of
`arbitrations` would drop the statistics triggers of migration 0010 (SQLite accepts a REFERENCES or CHECK
clause in ADD COLUMN).

Revision ID: 0011_agents_and_refusal_ground
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_agents_and_refusal_ground"
down_revision = "0011_limitation_facts"
branch_labels = None
depends_on = None

GROUNDS = ("not_labour_dispute", "improper_party", "no_clear_claim", "no_jurisdiction", "other")
GROUND_CHECK = "refusal_ground IN (" + ", ".join(f"'{g}'" for g in GROUNDS) + ")"

# Existing agents act for the first party (by position) of their own side.
LINK_AGENTS = """
UPDATE parties SET represents_id = (
    SELECT p.id FROM parties p
    WHERE p.case_id = parties.case_id AND p.side = parties.side AND p.kind IN ('worker', 'employer')
    ORDER BY p.position, p.id LIMIT 1)
WHERE kind IN ('agent', 'representative') AND represents_id IS NULL
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE parties ADD COLUMN represents_id INTEGER "
            "CONSTRAINT fk_parties_represents_id_parties REFERENCES parties (id)"
        )
        op.execute("ALTER TABLE parties ADD COLUMN capacity VARCHAR(120)")
        op.execute(
            "ALTER TABLE arbitrations ADD COLUMN refusal_ground VARCHAR(18) "
            f"CONSTRAINT ck_arbitrations_refusal_ground CHECK ({GROUND_CHECK})"
        )
    else:
        op.add_column("parties", sa.Column("represents_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f("fk_parties_represents_id_parties"), "parties", "parties", ["represents_id"], ["id"])
        op.add_column("parties", sa.Column("capacity", sa.String(length=120), nullable=True))
        op.add_column("arbitrations", sa.Column("refusal_ground", sa.String(length=18), nullable=True))
        op.create_check_constraint(op.f("ck_arbitrations_refusal_ground"), "arbitrations", GROUND_CHECK)
    op.execute(LINK_AGENTS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite 3.35+ drops a column with its own CHECK in place (arbitrations keeps 0010's triggers);
        # a column in a foreign key needs the table rebuilt (parties has no triggers).
        with op.batch_alter_table("parties") as batch:
            batch.drop_column("capacity")
            batch.drop_column("represents_id")
        _drop_ground_on_sqlite()
    else:
        op.drop_constraint(op.f("ck_arbitrations_refusal_ground"), "arbitrations", type_="check")
        op.drop_column("arbitrations", "refusal_ground")
        op.drop_column("parties", "capacity")
        op.drop_constraint(op.f("fk_parties_represents_id_parties"), "parties", type_="foreignkey")
        op.drop_column("parties", "represents_id")


def _drop_ground_on_sqlite() -> None:
    """In place when the column still carries its own CHECK; after a later migration rebuilt `arbitrations` (the
    CHECK is then the table's), rebuilt again, with every trigger set aside meanwhile and put back as it was."""
    conn = op.get_bind()
    table_sql = conn.execute(sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'arbitrations'"))
    if "refusal_ground VARCHAR(18) CONSTRAINT" in (table_sql.scalar() or ""):
        op.execute("ALTER TABLE arbitrations DROP COLUMN refusal_ground")
        return
    triggers = conn.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
    for name, _sql in triggers:
        op.execute(f'DROP TRIGGER "{name}"')
    with op.batch_alter_table("arbitrations", recreate="always") as batch:
        batch.drop_constraint(op.f("ck_arbitrations_refusal_ground"), type_="check")
        batch.drop_column("refusal_ground")
    for _name, sql in triggers:
        op.execute(sql)
