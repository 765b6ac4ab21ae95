"""Indexes for the work queues, the hearing calendar and a calendar change (issue 18).

Each on the state or date a queue filters by, most of them partial (only the rows still waiting): see
disputes/models/queue_indexes.py, which declares the same ones on the models. Plain CREATE INDEX on both
dialects (no table rebuild, so the statistics triggers of migration 0010 stay).

Revision ID: 0019_queue_indexes
Revises: 0019_case_readers
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_queue_indexes"
down_revision = "0019_case_readers"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_hearings_notice_unserved": ("hearings", ["starts_at"], "state = 'scheduled' AND notice_served_on IS NULL"),
    "ix_arbitrations_suspended": ("arbitrations", ["suspended_since"], "suspended_since IS NOT NULL"),
    "ix_awards_unserved": ("awards", ["arbitration_id"], "served_on IS NULL"),
    "ix_suspensions_requested": ("suspensions", ["requested_on"], "state = 'requested'"),
    "ix_extensions_requested": ("extensions", ["requested_on"], "state = 'requested'"),
    "ix_timeline_entries_rejected_closure": ("timeline_entries", ["case_id"], "kind = 'arbitration.reject_closure'"),
    "ix_mediations_mediator_state": ("mediations", ["mediator_id", "state"], None),
    "ix_legal_aid_applications_lawyer_state": ("legal_aid_applications", ["lawyer_id", "state"], None),
    "ix_mediation_sessions_mediation_held": ("mediation_sessions", ["mediation_id", "held_at"], None),
}


def upgrade() -> None:
    for name, (table, columns, where) in INDEXES.items():
        kwargs = {"postgresql_where": sa.text(where), "sqlite_where": sa.text(where)} if where else {}
        op.create_index(name, table, columns, **kwargs)


def downgrade() -> None:
    for name, (table, _columns, _where) in reversed(INDEXES.items()):
        op.drop_index(name, table_name=table)
