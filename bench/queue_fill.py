"""Queue, calendar and timer rows for the issue 18 benchmarks (`queues.py`), made in SQL on a `generate.py` database.

On top of `metrics_fill.py` (arbitrations, awards, lawsuits, mediations, legal aid, the award timers) it serves all
but 2 % of the awards, spreads the open arbitrations over the states the clerk's and the arbitrators' queues show
(received, accepted, served, heard, suspended), seats a tribunal, opens 40 hearing rooms at the commission,
schedules a hearing for every open arbitration in the coming two weeks (a third of their notices unserved; the
closed ones' hearings held in the past), adds the open timers those states run (accept, serve, tribunal notice,
hearing notice), and `--timers N` extra running timers over two years around today (what a calendar change has to
look at). PostgreSQL only; run once on a database without hearings.
"""

from __future__ import annotations

import time

import sqlalchemy as sa

STATES = """
UPDATE arbitrations a SET
  state = s.state,
  accepted_on = CASE WHEN s.state = 'received' THEN NULL ELSE a.accepted_on END,
  number = CASE WHEN s.state = 'received' THEN NULL ELSE a.number END,
  served_on = CASE WHEN s.state IN ('served', 'heard') THEN a.accepted_on + 3 END,
  tribunal_kind = CASE WHEN s.state = 'heard' THEN 'sole' END,
  suspended_since = CASE WHEN a.id % 10 = 9 THEN a.accepted_on + 10 END
FROM (SELECT id, CASE WHEN id % 10 < 2 THEN 'received' WHEN id % 10 < 4 OR id % 10 = 9 THEN 'accepted'
                      WHEN id % 10 < 6 THEN 'served' ELSE 'heard' END AS state
      FROM arbitrations WHERE state = 'accepted') s
WHERE a.id = s.id"""

STATEMENTS = {
    "awards served (all but 2 %)": """
UPDATE awards SET served_on = awarded_on + 5 WHERE id % 50 <> 0 AND served_on IS NULL""",
    "received timers: award timer removed": """
DELETE FROM sla_timers t USING arbitrations a
WHERE t.case_id = a.case_id AND a.state = 'received' AND t.rule_id = 'arbitration.award'""",
    "suspended award timers": """
UPDATE sla_timers t SET status = 'paused', paused_since = a.suspended_since, due_on = NULL, warn_on = NULL,
  breached_on = NULL
FROM arbitrations a WHERE t.case_id = a.case_id AND a.suspended_since IS NOT NULL
  AND t.rule_id = 'arbitration.award' AND t.status IN ('running', 'breached')""",
    "suspensions": """
INSERT INTO suspensions (arbitration_id, ground, reason, requested_on, requested_by_id, state, decided_on,
  decided_by_id, started_on, created_at)
SELECT a.id, 'awaiting_determination', '等待工伤认定结论', a.suspended_since, :arbitrator, 'approved',
  a.suspended_since, :supervisor, a.suspended_since, now()
FROM arbitrations a WHERE a.suspended_since IS NOT NULL""",
    "tribunals": """
INSERT INTO tribunal_members (arbitration_id, user_id, seat)
SELECT a.id, (SELECT id FROM users WHERE username = 'arb-lga-' || lpad((a.id % 10 + 1)::text, 2, '0')), 'sole'
FROM arbitrations a WHERE a.state IN ('heard', 'served', 'accepted', 'closed') AND a.accepted_on IS NOT NULL""",
    "rooms": """
INSERT INTO hearing_rooms (unit_id, name, active)
SELECT :lga, '仲裁庭' || lpad(n::text, 2, '0'), true FROM generate_series(1, 40) n""",
    "held hearings": """
INSERT INTO hearings (arbitration_id, starts_at, ends_at, room_id, online_link, state, notice_served_on,
  applicant_attended, respondent_attended, created_at)
SELECT a.id, h.starts_at, h.starts_at + interval '2 hours', r.id, NULL, 'held', a.accepted_on + 5, true, true, now()
FROM arbitrations a
CROSS JOIN LATERAL (SELECT ((LEAST(a.accepted_on + 20, a.closed_on - 1))::timestamp + interval '1 hour'
  * (a.id % 8)) AT TIME ZONE 'Asia/Shanghai' + interval '9 hours' AS starts_at) h
JOIN hearing_rooms r ON r.unit_id = :lga AND r.name = '仲裁庭' || lpad((a.id % 40 + 1)::text, 2, '0')
WHERE a.state = 'closed' AND a.accepted_on IS NOT NULL AND a.closed_on > a.accepted_on + 1""",
    "scheduled hearings": """
INSERT INTO hearings (arbitration_id, starts_at, ends_at, room_id, online_link, state, notice_served_on, created_at)
SELECT a.id, h.starts_at, h.starts_at + interval '2 hours',
  CASE WHEN a.id % 10 = 0 THEN NULL ELSE r.id END,
  CASE WHEN a.id % 10 = 0 THEN 'https://meet.example/' || a.id END, 'scheduled',
  CASE WHEN a.id % 3 <> 0 THEN :today END, now()
FROM arbitrations a
CROSS JOIN LATERAL (SELECT ((:today + (a.id % 14)::int)::timestamp + interval '9 hours'
  + interval '1 hour' * (a.id % 7)) AT TIME ZONE 'Asia/Shanghai' AS starts_at) h
JOIN hearing_rooms r ON r.unit_id = :lga AND r.name = '仲裁庭' || lpad((a.id % 40 + 1)::text, 2, '0')
WHERE a.state IN ('served', 'heard', 'accepted')""",
    "queue timers": """
INSERT INTO sla_timers (case_id, rule_pk, rule_id, subject_id, unit_id, responsible_id, status, started_on, period,
  unit, nominal_on, due_on, provisional, paused_days, extension_days, warn_on, created_at)
SELECT a.case_id, r.id, r.rule_id, NULL, a.unit_id, NULL, 'running', a.received_on, 5, 'days',
  a.received_on + 5 + (a.id % 9)::int, a.received_on + 5 + (a.id % 9)::int, false, 0, 0, a.received_on + 3, now()
FROM arbitrations a JOIN (SELECT rule_id, max(id) AS id FROM sla_rules GROUP BY rule_id) r
  ON r.rule_id = CASE a.state WHEN 'received' THEN 'arbitration.accept' WHEN 'accepted' THEN
  'arbitration.serve_respondent' WHEN 'served' THEN 'arbitration.tribunal_notice' END
WHERE a.state IN ('received', 'accepted', 'served') AND a.suspended_since IS NULL""",
    "hearing notice timers": """
INSERT INTO sla_timers (case_id, rule_pk, rule_id, subject_id, unit_id, status, started_on, period, unit,
  nominal_on, due_on, provisional, paused_days, extension_days, warn_on, created_at)
SELECT a.case_id, (SELECT max(id) FROM sla_rules WHERE rule_id = 'arbitration.hearing_notice'),
  'arbitration.hearing_notice', h.id, a.unit_id, 'running', :today, 3, 'days', (h.starts_at AT TIME ZONE
  'Asia/Shanghai')::date - 3, (h.starts_at AT TIME ZONE 'Asia/Shanghai')::date - 3, false, 0, 0, :today, now()
FROM hearings h JOIN arbitrations a ON a.id = h.arbitration_id
WHERE h.state = 'scheduled' AND h.notice_served_on IS NULL""",
    "extra running timers": """
INSERT INTO sla_timers (case_id, rule_pk, rule_id, unit_id, status, started_on, period, unit, nominal_on, due_on,
  provisional, paused_days, extension_days, warn_on, created_at)
SELECT c.id, r.id, 'mediation.resolve', c.unit_id, 'running', s.started_on, 15, 'days', s.started_on + 15,
  s.started_on + 15 + (n % 5)::int, false, 0, 0, s.started_on + 12, now()
FROM generate_series(1, :extra) n
JOIN cases c ON c.id = 1 + (n * 7919) % :cases
CROSS JOIN (SELECT max(id) AS id FROM sla_rules WHERE rule_id = 'mediation.resolve') r
CROSS JOIN LATERAL (SELECT (:today - 365 + (n % 730)::int) AS started_on) s""",
}


def fill(conn, today, extra_timers: int = 0) -> None:
    """Runs metrics_fill, then every statement above once (nothing when the database has hearings already)."""
    from metrics_fill import fill as metrics_fill

    if conn.scalar(sa.text("SELECT count(*) FROM hearings")):
        return
    metrics_fill(conn, today)
    one = lambda sql: conn.scalar(sa.text(sql))
    params = {
        "lga": one("SELECT id FROM units WHERE code = 'LGA'"),
        "supervisor": one("SELECT id FROM users WHERE username = 'bench-supervisor'"),
        "arbitrator": one("SELECT id FROM users WHERE username = 'arb-lga-01'"),
        "today": today,
        "extra": extra_timers,
        "cases": one("SELECT max(id) FROM cases"),
    }
    started = time.perf_counter()
    rows = conn.execute(sa.text(STATES)).rowcount
    print(f"  {'open arbitrations':<38} {rows:>9,} rows  {time.perf_counter() - started:6.1f} s", flush=True)
    for name, sql in STATEMENTS.items():
        started = time.perf_counter()
        used = {k: v for k, v in params.items() if f":{k}" in sql}
        rows = conn.execute(sa.text(sql), used).rowcount
        print(f"  {name:<38} {rows:>9,} rows  {time.perf_counter() - started:6.1f} s", flush=True)
    conn.execute(sa.text("ANALYZE"))
