"""Stored PDFs and seals may live in the document store instead of their rows (issue 19): with DOCUMENT_STORE set
to fs:/path or s3://bucket a row holds only the hash of its bytes, so the bytes columns become nullable. With the
`db` store nothing changes: the rows hold their bytes as before.

Downgrading needs every row to hold its bytes again (`flask documents migrate-store --from <store> --to db`
first); otherwise the database refuses the NOT NULL column ("contains null values"), and nothing is lost.

Revision ID: 0037_h19_stored_bytes_nullable
Revises: 0036_h17c_count_targets
"""

import sqlalchemy as sa
from alembic import op

revision = "0037_h19_stored_bytes_nullable"
down_revision = "0037_h20c_message_failed_at"
branch_labels = None
depends_on = None

COLUMNS = (("issued_documents", "pdf"), ("unit_seals", "png"))


def upgrade() -> None:
    for table, column in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, existing_type=sa.LargeBinary(), nullable=True)


def downgrade() -> None:
    for table, column in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, existing_type=sa.LargeBinary(), nullable=False)
