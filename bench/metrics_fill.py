"""Track rows for the metrics benchmark, made in SQL from the cases `generate.py` loaded (which has no tracks):
arbitrations for the arbitration and litigation cases, awards, suspensions, lawsuits, mediations for the
mediation cases, legal-aid applications for 5 % of the cases, and the `arbitration.award` / `legal_aid.decide`
timers, with outcomes spread by id so that every figure has something to count. PostgreSQL only."""

from __future__ import annotations

import sqlalchemy as sa

CLOSURES = (
    "'award'",
    "'award'",
    "'award'",
    "'award'",
    "'mediation_statement'",
    "'mediation_statement'",
    "'withdrawn'",
    "'withdrawn'",
    "'deemed_withdrawn'",
    "'terminated'",
)

STATEMENTS = {
    "arbitrations": """
INSERT INTO arbitrations (case_id, unit_id, number, state, received_on, complete_on, accepted_on, refused_on,
  refusal_reason, closure_type, closed_on, closure_approved_by_id, simplified, created_at)
SELECT c.id, :lga, CASE WHEN c.id % 50 = 0 THEN NULL ELSE 'B' || c.id END,
  CASE WHEN c.id % 50 = 0 THEN 'refused' WHEN c.status = 'closed' THEN 'closed' ELSE 'accepted' END,
  c.registered_on, c.registered_on,
  CASE WHEN c.id % 50 = 0 THEN NULL ELSE c.registered_on + (c.id % 5)::int END,
  CASE WHEN c.id % 50 = 0 THEN c.registered_on END,
  CASE WHEN c.id % 50 = 0 THEN '不属于受理范围' END,
  CASE WHEN c.id % 50 = 0 OR c.status <> 'closed' THEN NULL ELSE (ARRAY[%s])[c.id %% 10 + 1] END,
  CASE WHEN c.id % 50 = 0 OR c.status <> 'closed' THEN NULL
       ELSE GREATEST(c.closed_on, c.registered_on + (c.id % 5)::int) END,
  CASE WHEN c.id % 50 = 0 OR c.status <> 'closed' THEN NULL ELSE :supervisor END, false, now()
FROM cases c WHERE c.stage IN ('arbitration', 'litigation')""".replace("%s", ", ".join(CLOSURES)).replace("%%", "%"),
    "awards": """
INSERT INTO awards (arbitration_id, finality, number, awarded_on, partial, minimum_wage, reasons, issued_by_id,
  created_at)
SELECT a.id, CASE WHEN a.id % 3 = 0 THEN 'final' ELSE 'non_final' END, 'AW' || a.id, a.closed_on, false, 2360, '',
  :arbitrator, now()
FROM arbitrations a WHERE a.closure_type = 'award'""",
    "suspensions": """
INSERT INTO suspensions (arbitration_id, ground, reason, requested_on, requested_by_id, state, decided_on,
  decided_by_id, started_on, ended_on, created_at)
SELECT a.id, 'awaiting_determination', '等待鉴定', a.accepted_on, :arbitrator, 'approved', a.accepted_on, :supervisor,
  a.accepted_on, LEAST(a.accepted_on + 15, a.closed_on), now()
FROM arbitrations a WHERE a.state = 'closed' AND a.accepted_on IS NOT NULL AND a.id % 20 = 0""",
    "lawsuits": """
INSERT INTO lawsuits (case_id, kind, state, plaintiff, court, filed_on, created_at)
SELECT a.case_id, 'lawsuit', 'filed', 'employer', '龙岗区人民法院', LEAST(a.closed_on + 10, :today), now()
FROM arbitrations a WHERE a.closure_type = 'award' AND a.id % 5 = 0""",
    "award timers": """
INSERT INTO sla_timers (case_id, rule_pk, rule_id, unit_id, status, started_on, period, unit, nominal_on, due_on,
  provisional, paused_days, extension_days, warn_on, completed_on, completed_by, breached_on, created_at)
SELECT a.case_id, :award_rule, 'arbitration.award', a.unit_id,
  CASE WHEN a.state = 'closed' THEN CASE WHEN a.closed_on <= a.accepted_on + 45 THEN 'met' ELSE 'met_late' END
       WHEN a.accepted_on + 45 < :today THEN 'breached' ELSE 'running' END,
  a.accepted_on, 45, 'days', a.accepted_on + 45, a.accepted_on + 45, false, 0, 0, a.accepted_on + 42,
  CASE WHEN a.state = 'closed' THEN a.closed_on END,
  CASE WHEN a.state = 'closed' THEN 'arbitration.approve_closure' END,
  CASE WHEN (a.state = 'closed' AND a.closed_on > a.accepted_on + 45)
         OR (a.state <> 'closed' AND a.accepted_on + 45 < :today) THEN a.accepted_on + 46 END,
  now()
FROM arbitrations a WHERE a.accepted_on IS NOT NULL""",
    "mediations": """
INSERT INTO mediations (case_id, unit_id, number, state, applied_on, accepted_on, mediator_id, ended_on,
  agreement_signed_on, performance, performance_noted_on, created_at)
SELECT c.id, CASE WHEN u.kind = 'mediation_committee' THEN c.unit_id ELSE :lgm END, 'M' || c.id, s.state,
  c.registered_on, CASE WHEN m.user_id IS NOT NULL THEN c.registered_on END, m.user_id,
  CASE WHEN c.status = 'closed' THEN c.closed_on END,
  CASE WHEN s.state = 'agreement' THEN c.closed_on END,
  CASE WHEN s.state = 'agreement' THEN CASE WHEN c.id % 10 < 7 THEN 'performed' ELSE 'pending' END END,
  CASE WHEN s.state = 'agreement' AND c.id % 10 < 7 THEN LEAST(c.closed_on + 20, :today) END, now()
FROM cases c JOIN units u ON u.id = c.unit_id
LEFT JOIN (SELECT case_id, min(user_id) AS user_id FROM case_assignments WHERE role = 'mediator' GROUP BY case_id) m
  ON m.case_id = c.id
CROSS JOIN LATERAL (SELECT CASE
  WHEN c.status = 'closed' AND m.user_id IS NOT NULL THEN
    CASE WHEN c.id % 20 < 12 THEN 'agreement' WHEN c.id % 20 < 17 THEN 'failed' ELSE 'withdrawn' END
  WHEN c.status = 'closed' THEN CASE WHEN c.id % 2 = 0 THEN 'lapsed' ELSE 'withdrawn' END
  WHEN m.user_id IS NOT NULL THEN 'in_session' ELSE 'applied' END AS state) s
WHERE c.stage = 'mediation'""",
    "legal aid": """
INSERT INTO legal_aid_applications (case_id, party_id, unit_id, number, state, applied_on, matter, hardship_waived,
  complete_on, decided_on, decided_by_id, decision_reason, review_later, created_at)
SELECT c.id, p.party_id, :lgl, 'L' || c.id, CASE WHEN c.id % 100 < 80 THEN 'granted' ELSE 'refused' END,
  c.registered_on, '仲裁代理', true, c.registered_on, c.registered_on + (c.id % 10)::int, :officer,
  CASE WHEN c.id % 100 >= 80 THEN '不符合经济困难标准' END, false, now()
FROM cases c CROSS JOIN LATERAL (SELECT min(id) AS party_id FROM parties WHERE case_id = c.id) p
WHERE c.id % 20 = 3 AND p.party_id IS NOT NULL""",
    "decision timers": """
INSERT INTO sla_timers (case_id, rule_pk, rule_id, subject_id, unit_id, status, started_on, period, unit,
  nominal_on, due_on, provisional, paused_days, extension_days, warn_on, completed_on, completed_by, breached_on,
  created_at)
SELECT l.case_id, :decide_rule, 'legal_aid.decide', l.id, l.unit_id,
  CASE WHEN l.decided_on <= l.complete_on + 7 THEN 'met' ELSE 'met_late' END,
  l.complete_on, 7, 'days', l.complete_on + 7, l.complete_on + 7, false, 0, 0, l.complete_on + 4, l.decided_on,
  'legal_aid.grant', CASE WHEN l.decided_on > l.complete_on + 7 THEN l.complete_on + 8 END, now()
FROM legal_aid_applications l""",
}


def fill(conn, today) -> None:
    """Runs every INSERT … SELECT once, when the database has no arbitrations yet."""
    if conn.scalar(sa.text("SELECT count(*) FROM arbitrations")):
        return
    one = lambda sql, **p: conn.scalar(sa.text(sql), p)
    params = {
        "lga": one("SELECT id FROM units WHERE code = 'LGA'"),
        "lgm": one("SELECT id FROM units WHERE code = 'LGM'"),
        "lgl": one("SELECT id FROM units WHERE code = 'LGL'"),
        "supervisor": one("SELECT id FROM users WHERE username = 'bench-supervisor'"),
        "arbitrator": one("SELECT id FROM users WHERE username = 'arb-lga-01'"),
        "officer": one("SELECT id FROM users WHERE username = 'lao-lgl-01'"),
        "award_rule": one("SELECT max(id) FROM sla_rules WHERE rule_id = 'arbitration.award'"),
        "decide_rule": one("SELECT max(id) FROM sla_rules WHERE rule_id = 'legal_aid.decide'"),
        "today": today,
    }
    import time

    for name, sql in STATEMENTS.items():
        started = time.perf_counter()
        used = {k: v for k, v in params.items() if f":{k}" in sql}
        rows = conn.execute(sa.text(sql), used).rowcount
        print(f"  {name:<16} {rows:>9,} rows  {time.perf_counter() - started:6.1f} s", flush=True)
