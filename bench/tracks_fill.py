"""Every track of a generated centre, made in SQL from the cases `generate.py` loaded (PostgreSQL only).

First `metrics_fill.fill`: arbitrations, awards, suspensions, lawsuits, mediations, legal aid and their timers. Then
what a centre's queues, calendars and boards read besides: the mediators' `mediation.resolve` timers (running,
breached, met), hearing rooms and hearings (held ones behind, a calendar of scheduled ones from three weeks back to
six weeks ahead, each day's within the rooms' capacity: ROOMS × SLOTS, the rest of that day's arbitrations wait
unscheduled, as at a real commission), and for every hearing a notice issued and served on both parties — by post,
or by public notice still pending for a few — so the documents and the service queue have their rows. Outcomes are
spread by id, as in `metrics_fill`. `case_readers` is filled by migration 0021's triggers as the rows go in."""

from __future__ import annotations

import time

import sqlalchemy as sa
from metrics_fill import fill as fill_metrics

ROOMS = 20
SLOTS = 4  # hearings a room holds a day (09:00, 10:45, 14:00, 15:45, 90 minutes each)

STATEMENTS = {
    "mediation timers": """
INSERT INTO sla_timers (case_id, rule_pk, rule_id, subject_id, unit_id, responsible_id, status, started_on, period,
  unit, nominal_on, due_on, provisional, paused_days, extension_days, warn_on, completed_on, completed_by,
  breached_on, created_at)
SELECT m.case_id, :resolve_rule, 'mediation.resolve', m.id, m.unit_id, m.mediator_id,
  CASE WHEN m.ended_on IS NOT NULL THEN CASE WHEN m.ended_on <= s.started_on + 15 THEN 'met' ELSE 'met_late' END
       WHEN s.started_on + 15 < :today THEN 'breached' ELSE 'running' END,
  s.started_on, 15, 'days', s.started_on + 15, s.started_on + 15, false, 0, 0, s.started_on + 12,
  m.ended_on, CASE WHEN m.ended_on IS NOT NULL THEN 'mediation.agreement' END,
  CASE WHEN (m.ended_on IS NOT NULL AND m.ended_on > s.started_on + 15)
         OR (m.ended_on IS NULL AND s.started_on + 15 < :today) THEN s.started_on + 16 END,
  now()
FROM mediations m CROSS JOIN LATERAL (SELECT COALESCE(m.accepted_on, m.applied_on) AS started_on) s""",
    "hearing rooms": """
INSERT INTO hearing_rooms (unit_id, name, active)
SELECT :lga, '第' || n || '仲裁庭', true FROM generate_series(1, :rooms) n""",
    "hearings": """
INSERT INTO hearings (arbitration_id, starts_at, ends_at, room_id, state, notice_served_on, applicant_attended,
  respondent_attended, created_at)
SELECT s.id, t.starts_at, t.starts_at + interval '90 minutes', r.ids[s.n %% :rooms + 1],
  CASE WHEN t.starts_at < now() THEN 'held' ELSE 'scheduled' END, s.day - 7,
  CASE WHEN t.starts_at < now() THEN true END, CASE WHEN t.starts_at < now() THEN s.id %% 9 <> 0 END, now()
FROM (SELECT w.id, w.day, row_number() OVER (PARTITION BY w.day ORDER BY w.id) - 1 AS n
      FROM (SELECT a.id, CASE WHEN a.state = 'closed' THEN a.accepted_on + 20
                              ELSE CAST(:today AS date) + (a.id %% 63 - 21) END AS day
            FROM arbitrations a
            WHERE a.accepted_on IS NOT NULL AND (a.state <> 'closed' OR a.id %% 3 = 0)) w) s
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM hearing_rooms WHERE unit_id = :lga) r
CROSS JOIN LATERAL (SELECT s.day::timestamp AT TIME ZONE 'Asia/Shanghai'
    + make_interval(mins => CAST(540 + (s.n / :rooms %% 2) * 105 + (s.n / :rooms / 2) * 300 AS integer)) AS starts_at) t
WHERE s.n < :rooms * :slots""",
    "hearing notices": """
INSERT INTO issued_documents (case_id, unit_id, kind, subject_key, version, lang, number, code, sha256, size,
  page_count, pdf, issued_by_id, issued_at)
SELECT a.case_id, a.unit_id, 'arb_hearing_notice', h.id::text, 1, 'zh_CN', NULL, 'B' || lpad(h.id::text, 12, '0'),
  repeat('0', 64), 9, 1, '\\x255044462d'::bytea, :clerk, h.created_at
FROM hearings h JOIN arbitrations a ON a.id = h.arbitration_id""",
    "notices served": """
INSERT INTO document_services (document_id, case_id, party_id, method, served_at, tracking_number, published_on,
  publication, officer_id, recorded_by_id, recorded_at)
SELECT d.id, d.case_id, p.id,
  CASE WHEN p.side = 'respondent' AND d.id %% 40 = 0 THEN 'public_notice' ELSE 'post' END,
  CASE WHEN p.side = 'respondent' AND d.id %% 40 = 0 THEN NULL ELSE d.issued_at + interval '2 days' END,
  CASE WHEN p.side = 'respondent' AND d.id %% 40 = 0 THEN NULL ELSE 'EMS' || lpad(d.id::text, 11, '0') END,
  CASE WHEN p.side = 'respondent' AND d.id %% 40 = 0 THEN (d.issued_at AT TIME ZONE 'Asia/Shanghai')::date END,
  CASE WHEN p.side = 'respondent' AND d.id %% 40 = 0 THEN '人民法院公告网' END,
  :clerk, :clerk, d.issued_at
FROM issued_documents d
CROSS JOIN LATERAL (SELECT DISTINCT ON (side) id, side FROM parties WHERE case_id = d.case_id
                    AND kind IN ('worker', 'employer') ORDER BY side, position) p
WHERE d.kind = 'arb_hearing_notice'""",
}


def fill(conn, today) -> None:
    """The metrics' tracks, then the rest; each statement once (when the database has no hearings yet)."""
    fill_metrics(conn, today)
    if conn.scalar(sa.text("SELECT count(*) FROM hearings")):
        return
    one = lambda sql: conn.scalar(sa.text(sql))
    params = {
        "lga": one("SELECT id FROM units WHERE code = 'LGA'"),
        "clerk": one("SELECT id FROM users WHERE username = 'bench-clerk'"),
        "resolve_rule": one("SELECT max(id) FROM sla_rules WHERE rule_id = 'mediation.resolve'"),
        "today": today,
        "rooms": ROOMS,
        "slots": SLOTS,
    }
    # The commission's daily limit per arbitrator (part 4 of issue 18); no tribunal is seated here, so none is near it.
    conn.execute(
        sa.text("UPDATE units SET hearings_per_arbitrator_day = :slots WHERE id = :lga"),
        {"slots": SLOTS, "lga": params["lga"]},
    )
    for name, sql in STATEMENTS.items():
        started = time.perf_counter()
        used = {k: v for k, v in params.items() if f":{k}" in sql}
        rows = conn.execute(sa.text(sql.replace("%%", "%")), used).rowcount
        print(f"  {name:<16} {rows:>9,} rows  {time.perf_counter() - started:6.1f} s", flush=True)
