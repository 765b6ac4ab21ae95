"""The indexes the work queues, the calendar and a calendar change read (issue 18; migration 0019): each on the
state or date a queue filters by, most of them partial (only the rows still waiting), so they stay small.

Declared here, beside the tables they index, so that the models match the migrations."""

import sqlalchemy as sa

from disputes.models.arbitration import Arbitration, Extension, Hearing, Suspension
from disputes.models.award import Award
from disputes.models.legal_aid import LegalAidApplication
from disputes.models.mediation import Mediation, MediationSession
from disputes.models.timeline import TimelineEntry

# name: (table, columns, WHERE or None)
QUEUE_INDEXES = {
    # The clerk's hearing notices to serve.
    "ix_hearings_notice_unserved": (Hearing, ("starts_at",), "state = 'scheduled' AND notice_served_on IS NULL"),
    # The suspended cases (arbitrator, supervisor).
    "ix_arbitrations_suspended": (Arbitration, ("suspended_since",), "suspended_since IS NOT NULL"),
    # The clerk's awards to serve.
    "ix_awards_unserved": (Award, ("arbitration_id",), "served_on IS NULL"),
    # The supervisor's approvals.
    "ix_suspensions_requested": (Suspension, ("requested_on",), "state = 'requested'"),
    "ix_extensions_requested": (Extension, ("requested_on",), "state = 'requested'"),
    # The arbitrator's closures sent back.
    "ix_timeline_entries_rejected_closure": (TimelineEntry, ("case_id",), "kind = 'arbitration.reject_closure'"),
    # The mediator's and the lawyer's own cases by state; a mediation's latest session.
    "ix_mediations_mediator_state": (Mediation, ("mediator_id", "state"), None),
    "ix_legal_aid_applications_lawyer_state": (LegalAidApplication, ("lawyer_id", "state"), None),
    "ix_mediation_sessions_mediation_held": (MediationSession, ("mediation_id", "held_at"), None),
}

for _name, (_model, _columns, _where) in QUEUE_INDEXES.items():
    _where_args = {"postgresql_where": sa.text(_where), "sqlite_where": sa.text(_where)} if _where else {}
    sa.Index(_name, *(_model.__table__.c[c] for c in _columns), **_where_args)
