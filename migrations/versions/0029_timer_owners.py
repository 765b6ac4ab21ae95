"""Every open deadline has an owner (issue 16): open timers nobody answered for get their track's holder, else
the supervisor of their unit or the nearest unit above (the decision of `disputes.sla.owners`; its statement copied
here, as a migration must not import the application). Data only; the downgrade keeps the owners.

Revision ID: 0028_h16d_timer_owners
Revises: 0019_allocation
"""

import sqlalchemy as sa
from alembic import op

revision = "0028_h16d_timer_owners"
down_revision = "0026_h16t_transfers"
branch_labels = None
depends_on = None

FILL_MISSING_SQL = """UPDATE sla_timers SET responsible_id = COALESCE(
  CASE WHEN rule_id LIKE 'mediation.%' OR rule_id LIKE 'limitation.%' THEN
    (SELECT m.mediator_id FROM mediations m WHERE m.case_id = sla_timers.case_id AND m.mediator_id IS NOT NULL
     ORDER BY m.id DESC LIMIT 1)
  WHEN rule_id LIKE 'legal_aid.%' THEN
    COALESCE(
      (SELECT la.decided_by_id FROM legal_aid_applications la
       WHERE la.case_id = sla_timers.case_id AND la.decided_by_id IS NOT NULL ORDER BY la.id DESC LIMIT 1),
      (SELECT ca.user_id FROM case_assignments ca
       WHERE ca.case_id = sla_timers.case_id AND ca.active AND ca.role = 'legal_aid_officer' ORDER BY ca.id LIMIT 1))
  END,
  CASE WHEN rule_id LIKE 'arbitration.%' OR rule_id LIKE 'green.%' OR rule_id LIKE 'collective.%'
    OR rule_id LIKE 'limitation.%' THEN
    COALESCE(
      (SELECT tm.user_id FROM tribunal_members tm JOIN arbitrations a ON a.id = tm.arbitration_id
       WHERE a.case_id = sla_timers.case_id AND tm.seat IN ('sole', 'presiding') ORDER BY tm.id LIMIT 1),
      (SELECT ca.user_id FROM case_assignments ca
       WHERE ca.case_id = sla_timers.case_id AND ca.active AND ca.role = 'arbitrator' ORDER BY ca.id LIMIT 1))
  END,
  (SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id JOIN units su ON su.id = u.unit_id
   JOIN units tu ON tu.id = sla_timers.unit_id
   WHERE r.role = 'supervisor' AND u.active AND tu.path LIKE su.path || '%'
   ORDER BY length(su.path) DESC, u.id LIMIT 1))
WHERE responsible_id IS NULL AND status IN ('running', 'paused', 'breached')
"""


def upgrade():
    op.execute(sa.text(FILL_MISSING_SQL))


def downgrade():
    pass  # an owner given is not taken back: which were missing is not recorded
