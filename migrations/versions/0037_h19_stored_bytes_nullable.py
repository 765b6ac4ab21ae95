"""Stored PDFs and seals may live in the document store instead of their rows (issue 19): with DOCUMENT_STORE set
to fs:/path or s3://bucket a row holds only the hash of its bytes, so the bytes columns become nullable. With the
`db` store nothing changes: the rows hold their bytes as before.

Downgrading needs every row to hold its bytes again (`flask documents migrate-store --to db` first); it refuses
otherwise rather than lose the link to files it cannot see.

Revision ID: 0037_h19_stored_bytes_nullable
Revises: 0036_h17c_count_targets
"""

import sqlalchemy as sa
from alembic import op

revision = "0037_h19_stored_bytes_nullable"
down_revision = "0036_h17c_count_targets"
branch_labels = None
depends_on = None

COLUMNS = (("issued_documents", "pdf"), ("unit_seals", "png"))


def upgrade() -> None:
    for table, column in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, existing_type=sa.LargeBinary(), nullable=True)


def downgrade() -> None:
    conn = op.get_bind()
    for table, column in COLUMNS:
        empty = conn.scalar(sa.text(f"SELECT count(*) FROM {table} WHERE {column} IS NULL"))
        if empty:
            raise RuntimeError(
                f"{empty} row(s) of {table} hold only the hash of their bytes: run "
                "`flask documents migrate-store --to db` before downgrading"
            )
    for table, column in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, existing_type=sa.LargeBinary(), nullable=False)
