"""Indexes for the case list at a million cases: rare-flag partial indexes, two-character search.

pg_trgm needs three characters in a row, but two-character Chinese names (王伟, 李娜) are
common; on PostgreSQL a GIN index over each value's two-character substrings answers them.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

RARE_FLAGS = ("collective", "work_injury", "limitation_warning")


def upgrade():
    for flag in RARE_FLAGS:
        op.create_index(
            f"ix_cases_{flag}",
            "cases",
            ["registered_on", "id", "unit_id"],
            postgresql_where=sa.text(f"{flag} IS TRUE"),
            sqlite_where=sa.text(f"{flag} IS TRUE"),
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION text_bigrams(value text) RETURNS text[]
                LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                AS $$ SELECT coalesce(array_agg(DISTINCT substr(lower(value), i, 2)), '{}')
                      FROM generate_series(1, char_length(value) - 1) AS i $$
            """
        )
        op.execute("CREATE INDEX ix_parties_name_bigrams ON parties USING gin (text_bigrams(name))")
        op.execute("CREATE INDEX ix_cases_registry_no_bigrams ON cases USING gin (text_bigrams(registry_no))")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_cases_registry_no_bigrams")
        op.execute("DROP INDEX IF EXISTS ix_parties_name_bigrams")
        op.execute("DROP FUNCTION IF EXISTS text_bigrams(text)")
    for flag in RARE_FLAGS:
        op.drop_index(f"ix_cases_{flag}", table_name="cases")
