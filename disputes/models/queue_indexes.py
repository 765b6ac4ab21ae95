"""The indexes the work queues, the calendar and a calendar change read (issue 18; migration 0019): each on the
state or date a queue filters by, most of them partial (only the rows still waiting), so they stay small.

Declared here, beside the tables they index, so that the models match the migrations."""

import sqlalchemy as sa

from disputes.models.arbitration import Arbitration, Extension, Hearing, Suspension
from disputes.models.award import Award
from disputes.models.case import Case
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
    # The clerk's awards to serve, walked in the section's order (oldest closure first) and stopped at its page
    # (migration 0035): without it every closed award arbitration is sorted to show 25.
    "ix_arbitrations_closed_award": (
        Arbitration,
        ("closed_on", "case_id", "id"),
        "state = 'closed' AND closure_type = 'award'",
    ),
    # The clerk's unrouted cases: the open cases in the section's order (migration 0035).
    "ix_cases_open_registered": (Case, ("registered_on", "id"), "status = 'open'"),
}

for _name, (_model, _columns, _where) in QUEUE_INDEXES.items():
    _where_args = {"postgresql_where": sa.text(_where), "sqlite_where": sa.text(_where)} if _where else {}
    sa.Index(_name, *(_model.__table__.c[c] for c in _columns), **_where_args)
