"""The award's life and the closing act (issue 12, findings 1–4).

Schema: `award_services` (the day each award document reached each party), `awards.effective_on` (each award
document's own effectiveness, moved from `arbitrations.award_effective_on`, which goes), and on `arbitrations`
`closure_act_on` (the date of the act that ends the proceedings) and `closure_approved_on` (the approval's date).

Data, recomputed under the new rules:
- `arbitration.award` and `green.close` get a new version completed by the closing act (the award, or the act
  recorded with the closure request), the approval staying as a fallback for timers of the old version;
- closed arbitrations: `closure_approved_on` = the old `closed_on`, `closed_on` = the act's date (the closing
  award's date; for the other closures the request's date, the nearest recorded date of the act); the award
  timers of closed and closing arbitrations are met (or late) on that date;
- each principal party's service of each closing award, from the documents served on it (else the award's
  recorded service date); the single right-to-sue timers are replaced by one per party from those dates;
- final awards are effective on their date; non-final ones the day after every party's period ran out with no
  lawsuit against them (holidays rolled over), as the new timers say;
- a task timer that ended (cancelled) after its deadline without being met now carries its breach;
- cases the old `flask litigation effective` closed on the old day are dated by the new periods (or reopened while
  one still runs), cases closed by an approval on the approval's day are dated by the act;
- every case touched is logged in `metric_changes`, so the statistics' summary refolds it.

Revision ID: 0011_award_life
Revises: 0010
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0011_award_life"
down_revision = "0011_agents_and_refusal_ground"
branch_labels = None
depends_on = None

CLOSING_ACT = ["arbitration.record_award", "arbitration.request_closure", "arbitration.approve_closure"]
NEW_VERSIONS = {"arbitration.award": {"completed_by": CLOSING_ACT}, "green.close": {"completed_by": CLOSING_ACT}}
AWARD_RULES = ("arbitration.award", "green.close")
# rule → (party kinds, award finality, the lawsuit kind and event that end it)
PARTY_RULES = {
    "litigation.worker_sue_final": (("worker",), "final", "lawsuit", "litigation.file"),
    "litigation.employer_revoke": (("employer",), "final", "revocation", "litigation.apply_revocation"),
    "litigation.sue_nonfinal": (("worker", "employer"), "non_final", "lawsuit", "litigation.file"),
}
PERIOD_ENDED = "sla.period_ended"
OPEN = ("running", "paused", "breached")

rules_t = sa.table(
    "sla_rules",
    sa.column("id", sa.Integer),
    sa.column("rule_id", sa.String),
    sa.column("version", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("title", sa.String),
    sa.column("title_en", sa.String),
    sa.column("period", sa.Integer),
    sa.column("unit", sa.String),
    sa.column("variants", sa.JSON),
    sa.column("triggers", sa.JSON),
    sa.column("completed_by", sa.JSON),
    sa.column("cancelled_by", sa.JSON),
    sa.column("pausable", sa.Boolean),
    sa.column("max_extension_days", sa.Integer),
    sa.column("warning_days", sa.Integer),
    sa.column("legal_basis", sa.String),
    sa.column("note", sa.Text),
    sa.column("active", sa.Boolean),
    sa.column("created_by_id", sa.Integer),
    sa.column("created_at", sa.DateTime),
)
timers_t = sa.table(
    "sla_timers",
    *[
        sa.column(c, sa.Integer)
        for c in (
            "id",
            "case_id",
            "rule_pk",
            "subject_id",
            "unit_id",
            "responsible_id",
            "period",
            "paused_days",
            "extension_days",
            "days_late",
        )
    ],
    sa.column("rule_id", sa.String),
    sa.column("status", sa.String),
    sa.column("unit", sa.String),
    *[
        sa.column(c, sa.Date)
        for c in ("started_on", "nominal_on", "due_on", "paused_since", "warn_on", "completed_on", "breached_on")
    ],
    sa.column("provisional", sa.Boolean),
    sa.column("warned_at", sa.DateTime),
    sa.column("completed_by", sa.String),
    sa.column("created_at", sa.DateTime),
)
arbitrations_t = sa.table(
    "arbitrations",
    sa.column("id", sa.Integer),
    sa.column("case_id", sa.Integer),
    sa.column("unit_id", sa.Integer),
    sa.column("state", sa.String),
    sa.column("closure_type", sa.String),
    sa.column("accepted_on", sa.Date),
    sa.column("closure_requested_on", sa.Date),
    sa.column("closure_act_on", sa.Date),
    sa.column("closed_on", sa.Date),
    sa.column("closure_approved_on", sa.Date),
    sa.column("closure_approved_by_id", sa.Integer),
    sa.column("award_effective_on", sa.Date),
)
awards_t = sa.table(
    "awards",
    sa.column("id", sa.Integer),
    sa.column("arbitration_id", sa.Integer),
    sa.column("finality", sa.String),
    sa.column("partial", sa.Boolean),
    sa.column("awarded_on", sa.Date),
    sa.column("served_on", sa.Date),
    sa.column("effective_on", sa.Date),
)
services_t = sa.table(
    "award_services",
    sa.column("id", sa.Integer),
    sa.column("award_id", sa.Integer),
    sa.column("party_id", sa.Integer),
    sa.column("served_on", sa.Date),
)
cases_t = sa.table(
    "cases",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("stage", sa.String),
    sa.column("closed_on", sa.Date),
    sa.column("registered_on", sa.Date),
)
changes_t = sa.table("metric_changes", sa.column("case_id", sa.Integer))


def upgrade() -> None:
    op.create_table(
        "award_services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("award_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("served_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["award_id"], ["awards.id"], name=op.f("fk_award_services_award_id_awards"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_award_services_party_id_parties"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award_services")),
        sa.UniqueConstraint("award_id", "party_id", name="uq_award_services_award_party"),
    )
    op.create_index(op.f("ix_award_services_award_id"), "award_services", ["award_id"])
    op.create_index(op.f("ix_award_services_party_id"), "award_services", ["party_id"])
    # Plain ADD/DROP COLUMN (no table rebuild): migration 0010's triggers on these tables stay in place.
    op.add_column("awards", sa.Column("effective_on", sa.Date(), nullable=True))
    op.add_column("arbitrations", sa.Column("closure_act_on", sa.Date(), nullable=True))
    op.add_column("arbitrations", sa.Column("closure_approved_on", sa.Date(), nullable=True))
    bind = op.get_bind()
    _add_rule_versions(bind)
    touched = Recompute(bind).run()
    op.drop_column("arbitrations", "award_effective_on")
    if touched:
        bind.execute(sa.insert(changes_t), [{"case_id": case_id} for case_id in sorted(touched)])


def _now(bind) -> datetime:
    from disputes import clock

    now = clock.now_utc()
    return now.replace(tzinfo=None) if bind.dialect.name == "sqlite" else now


def _latest_rules(bind) -> dict[str, dict]:
    rows = bind.execute(sa.select(rules_t).order_by(rules_t.c.rule_id, rules_t.c.version)).mappings()
    return {row["rule_id"]: dict(row) for row in rows}


def _add_rule_versions(bind) -> None:
    """A new version of each changed rule (its running timers keep theirs), unless the current one already says
    it (a database created from the updated rules.json)."""
    latest = _latest_rules(bind)
    for rule_id, changes in NEW_VERSIONS.items():
        current = latest.get(rule_id)
        if current is None or all(current[k] == v for k, v in changes.items()):
            continue
        row = {k: v for k, v in current.items() if k != "id"} | changes
        row.update(version=current["version"] + 1, created_by_id=None, created_at=_now(bind))
        bind.execute(sa.insert(rules_t), [row])


def _local_day(moment: datetime) -> date:
    from disputes import clock

    return clock.to_local(moment if moment.tzinfo else moment.replace(tzinfo=UTC)).date()


def _principals(parties: list[dict]) -> list[dict]:
    out = []
    for side in ("applicant", "respondent"):
        own = [p for p in parties if p["side"] == side and p["kind"] in ("worker", "employer")]
        representatives = [p for p in own if p["is_representative"]]
        out += representatives or own
    return out


class Recompute:
    def __init__(self, bind):
        from disputes import clock
        from disputes.sla import settings
        from disputes.sla.calendar import DayInfo, WorkCalendar

        self.bind = bind
        self.today = clock.today_local()
        self.now = _now(bind)
        days = {
            row.day: DayInfo(row.kind, row.name)
            for row in bind.execute(sa.text("SELECT day, kind, name FROM calendar_days"))
        }
        days = {(date.fromisoformat(d) if isinstance(d, str) else d): info for d, info in days.items()}
        years = [row[0] for row in bind.execute(sa.text("SELECT year FROM calendar_years"))]
        self.calendar = WorkCalendar(days, years, makeup_workday_ends_period=settings.MAKEUP_WORKDAY_ENDS_PERIOD)
        self.rules = _latest_rules(bind)
        self.kinds = {row.id: row.kind for row in bind.execute(sa.select(rules_t.c.id, rules_t.c.kind))}
        self.touched: set[int] = set()

    def run(self) -> set[int]:
        arbitrations = [
            dict(r)
            for r in self.bind.execute(
                sa.select(arbitrations_t).where(arbitrations_t.c.state.in_(("closing", "closed")))
            ).mappings()
        ]
        self.arbitrations = {a["id"]: a for a in arbitrations}
        self.by_case = {a["case_id"]: a for a in arbitrations}
        self.awards = defaultdict(list)
        ids = list(self.arbitrations) or [0]
        for row in self.bind.execute(sa.select(awards_t).where(awards_t.c.arbitration_id.in_(ids))).mappings():
            self.awards[row["arbitration_id"]].append(dict(row))
        self._closing_acts()
        self._award_timers()
        self._cancelled_breaches()
        self._party_periods()
        return self.touched

    # Finding 3: the closing act's date ------------------------------------------------------------------------
    def _act(self, a: dict) -> date | None:
        closing = [w["awarded_on"] for w in self.awards[a["id"]] if not w["partial"]]
        if a["closure_type"] == "award" and closing:
            return max(closing)
        return a["closure_requested_on"] or a["closed_on"]

    def _closing_acts(self) -> None:
        for a in self.arbitrations.values():
            act = self._act(a)
            a["old_closed_on"] = a["closed_on"]
            values = {"closure_act_on": act}
            if a["state"] == "closed" and a["closure_approved_by_id"] is not None and a["accepted_on"] is not None:
                values |= {"closure_approved_on": a["closed_on"], "closed_on": act}
            self.bind.execute(sa.update(arbitrations_t).where(arbitrations_t.c.id == a["id"]).values(**values))
            a.update(values)
            if values.get("closed_on") != a["old_closed_on"] and "closed_on" in values:
                self.touched.add(a["case_id"])
                self._case_closed_by_approval(a)

    def _case_closed_by_approval(self, a: dict) -> None:
        """A case the approval closed (on the approval's day) ends on the act's day; award cases: see below."""
        if a["closure_type"] == "award":
            return
        case = self.bind.execute(sa.select(cases_t).where(cases_t.c.id == a["case_id"])).mappings().one()
        if case["status"] == "closed" and case["closed_on"] == a["old_closed_on"]:
            self.bind.execute(
                sa.update(cases_t)
                .where(cases_t.c.id == case["id"])
                .values(closed_on=max(a["closed_on"], case["registered_on"]))
            )

    def _award_timers(self) -> None:
        """The award timers (and green channel's) are met or late on the act's date, not the approval's."""
        for a in self.arbitrations.values():
            if a["accepted_on"] is None or a["closure_act_on"] is None:
                continue
            act = a["closure_act_on"]
            rows = (
                self.bind.execute(
                    sa.select(timers_t).where(timers_t.c.case_id == a["case_id"], timers_t.c.rule_id.in_(AWARD_RULES))
                )
                .mappings()
                .all()
            )
            for t in rows:
                if (
                    a["state"] == "closed"
                    and t["status"] in ("met", "met_late")
                    and t["completed_by"] == "arbitration.approve_closure"
                ):
                    event = t["completed_by"]
                elif a["state"] == "closing" and t["status"] in ("running", "breached"):
                    event = (
                        "arbitration.record_award" if a["closure_type"] == "award" else "arbitration.request_closure"
                    )
                else:
                    continue
                late = t["due_on"] is not None and act > t["due_on"]
                values = {
                    "completed_on": act,
                    "completed_by": event,
                    "status": "met_late" if late else "met",
                    "breached_on": (t["breached_on"] or t["due_on"] + timedelta(days=1)) if late else None,
                    "days_late": (act - t["due_on"]).days if late else None,
                }
                if any(values[k] != t[k] for k in values):
                    self.bind.execute(sa.update(timers_t).where(timers_t.c.id == t["id"]).values(**values))
                    self.touched.add(a["case_id"])

    # Finding 4: a task ended unmet after its deadline is a breach ----------------------------------------------
    def _cancelled_breaches(self) -> None:
        rows = (
            self.bind.execute(
                sa.select(timers_t).where(
                    timers_t.c.status == "cancelled",
                    timers_t.c.breached_on.is_(None),
                    timers_t.c.completed_by != "arbitration.correction_lapsed",
                )
            )
            .mappings()
            .all()
        )
        for t in rows:
            if self.kinds.get(t["rule_pk"]) != "task" or t["due_on"] is None:
                continue
            ended = t["completed_on"]
            arbitration = self.by_case.get(t["case_id"])
            if t["completed_by"] == "arbitration.approve_closure" and arbitration and arbitration["closure_act_on"]:
                ended = min(ended, arbitration["closure_act_on"])
            values = {"completed_on": ended}
            if ended > t["due_on"]:
                values |= {"breached_on": t["due_on"] + timedelta(days=1), "days_late": (ended - t["due_on"]).days}
            if any(values[k] != t[k] for k in values):
                self.bind.execute(sa.update(timers_t).where(timers_t.c.id == t["id"]).values(**values))
                self.touched.add(t["case_id"])

    # Findings 1 and 2: each party's periods, the awards' effect, the cases they kept open --------------------------
    def _party_periods(self) -> None:
        from disputes.sla.compute import compute_deadline

        award_cases = {
            a["case_id"]: a
            for a in self.arbitrations.values()
            if a["state"] == "closed" and a["closure_type"] == "award"
        }
        old = self.bind.execute(sa.select(timers_t).where(timers_t.c.rule_id.in_(tuple(PARTY_RULES)))).mappings().all()
        warned = {(t["case_id"], t["rule_id"]): t["warned_at"] for t in old}
        if old:
            ids = [t["id"] for t in old]
            for table in ("notifications", "sla_adjustments"):
                self.bind.execute(
                    sa.text(f"DELETE FROM {table} WHERE timer_id IN :ids").bindparams(
                        sa.bindparam("ids", expanding=True)
                    ),
                    {"ids": ids},
                )
            self.bind.execute(sa.delete(timers_t).where(timers_t.c.id.in_(ids)))
            self.touched |= {t["case_id"] for t in old}
        if not award_cases:
            return
        case_ids = list(award_cases)
        parties = defaultdict(list)
        for row in self.bind.execute(
            sa.text("SELECT id, case_id, side, kind, is_representative FROM parties WHERE case_id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)
            ),
            {"ids": case_ids},
        ).mappings():
            parties[row["case_id"]].append(dict(row))
        served_docs: dict[tuple[str, int, int], date] = {}
        for row in self.bind.execute(
            sa.text(
                "SELECT d.case_id, d.subject_key, s.party_id, s.served_at FROM document_services s "
                "JOIN issued_documents d ON d.id = s.document_id "
                "WHERE d.kind = 'arb_award' AND s.served_at IS NOT NULL AND d.case_id IN :ids"
            ).bindparams(sa.bindparam("ids", expanding=True)),
            {"ids": case_ids},
        ):
            served_at = datetime.fromisoformat(row[3]) if isinstance(row[3], str) else row[3]
            key = (row[1].split("-", 1)[0], row[0], row[2])
            day = _local_day(served_at)
            served_docs[key] = min(served_docs.get(key, day), day)
        lawsuits = defaultdict(list)
        for row in self.bind.execute(
            sa.text(
                "SELECT case_id, kind, plaintiff, award_id, filed_on FROM lawsuits WHERE case_id IN :ids"
            ).bindparams(sa.bindparam("ids", expanding=True)),
            {"ids": case_ids},
        ).mappings():
            filed = row["filed_on"]
            lawsuits[row["case_id"]].append(
                dict(row) | {"filed_on": date.fromisoformat(filed) if isinstance(filed, str) else filed}
            )
        cases = {
            row["id"]: dict(row)
            for row in self.bind.execute(sa.select(cases_t).where(cases_t.c.id.in_(case_ids))).mappings()
        }
        for case_id, a in award_cases.items():
            self._case_periods(
                a,
                _principals(parties[case_id]),
                served_docs,
                lawsuits[case_id],
                cases[case_id],
                warned,
                compute_deadline,
            )

    def _case_periods(self, a, principals, served_docs, suits, case, warned, compute_deadline) -> None:
        closing = [w for w in self.awards[a["id"]] if not w["partial"]]
        finality_of = {w["id"]: w["finality"] for w in self.awards[a["id"]]}
        timers = []
        unserved = not principals
        for award in closing:
            dates = {}
            for party in principals:
                day = served_docs.get((str(award["id"]), a["case_id"], party["id"])) or award["served_on"]
                if day is not None:
                    dates[party["id"]] = day
                    self.bind.execute(
                        sa.insert(services_t), [{"award_id": award["id"], "party_id": party["id"], "served_on": day}]
                    )
            unserved = unserved or len(dates) < len(principals)
            served_on = max(dates.values()) if principals and len(dates) == len(principals) else award["served_on"]
            values = {"served_on": served_on}
            if award["finality"] == "final":
                values["effective_on"] = award["awarded_on"]
            self.bind.execute(sa.update(awards_t).where(awards_t.c.id == award["id"]).values(**values))
            award.update(values)
            for party in principals:
                if party["id"] not in dates:
                    continue
                for rule_id, (kinds, finality, suit_kind, event) in PARTY_RULES.items():
                    if party["kind"] in kinds and award["finality"] == finality and rule_id in self.rules:
                        timers.append(
                            self._party_timer(
                                a,
                                award,
                                party,
                                dates[party["id"]],
                                rule_id,
                                suit_kind,
                                event,
                                suits,
                                finality_of,
                                warned,
                                compute_deadline,
                            )
                        )
        self.touched.add(a["case_id"])
        for award in closing:  # Law Art 50: a non-final award takes effect when every party's period ran out
            if award["finality"] != "non_final":
                continue
            own = [t for t in timers if t["rule_id"] == "litigation.sue_nonfinal"]
            sued = any(
                s["award_id"] == award["id"] or (s["award_id"] is None and s["kind"] == "lawsuit") for s in suits
            )
            if (
                principals
                and len(own) == len(principals)
                and not sued
                and all(t["completed_by"] == PERIOD_ENDED for t in own)
            ):
                effective = max(t["due_on"] for t in own) + timedelta(days=1)
                self.bind.execute(
                    sa.update(awards_t).where(awards_t.c.id == award["id"]).values(effective_on=effective)
                )
        if suits or case["status"] != "closed" or case["closed_on"] != a["award_effective_on"]:
            return  # not closed by the old effectiveness job: nothing of that date to correct
        running = any(t["status"] == "running" for t in timers)
        if unserved or running or not timers:
            values = {"status": "open", "closed_on": None, "stage": "arbitration"}
        else:
            ends = max(t["due_on"] for t in timers) + timedelta(days=1)
            values = {"closed_on": max(ends, case["registered_on"])}
        self.bind.execute(sa.update(cases_t).where(cases_t.c.id == case["id"]).values(**values))

    def _party_timer(
        self, a, award, party, started, rule_id, suit_kind, event, suits, finality_of, warned, compute_deadline
    ) -> dict:
        rule = self.rules[rule_id]
        deadline = compute_deadline(start=started, period=rule["period"], unit=rule["unit"], calendar=self.calendar)
        due = deadline.due
        ended = sorted(
            s["filed_on"]
            for s in suits
            if s["kind"] == suit_kind
            and s["plaintiff"] == party["kind"]
            and s["filed_on"] >= started
            and (s["award_id"] is None or finality_of.get(s["award_id"]) == award["finality"])
        )
        row = {
            "case_id": a["case_id"],
            "rule_pk": rule["id"],
            "rule_id": rule_id,
            "subject_id": party["id"],
            "unit_id": a["unit_id"],
            "responsible_id": None,
            "status": "running",
            "started_on": started,
            "period": rule["period"],
            "unit": rule["unit"],
            "nominal_on": deadline.nominal,
            "due_on": due,
            "provisional": deadline.provisional,
            "paused_since": None,
            "paused_days": 0,
            "extension_days": 0,
            "warn_on": due - timedelta(days=rule["warning_days"]),
            "warned_at": None,
            "completed_on": None,
            "completed_by": None,
            "breached_on": None,
            "days_late": None,
            "created_at": self.now,
        }
        if ended:
            row |= {"status": "met", "completed_on": ended[0], "completed_by": event}
        elif due < self.today:
            row |= {"status": "met", "completed_on": due, "completed_by": PERIOD_ENDED}
        else:
            row["warned_at"] = warned.get((a["case_id"], rule_id))
        self.bind.execute(sa.insert(timers_t), [row])
        return row


def downgrade() -> None:
    bind = op.get_bind()
    op.add_column("arbitrations", sa.Column("award_effective_on", sa.Date(), nullable=True))
    bind.execute(
        sa.text(
            "UPDATE arbitrations SET award_effective_on = (SELECT max(w.effective_on) FROM awards w "
            "WHERE w.arbitration_id = arbitrations.id AND NOT w.partial) WHERE closure_type = 'award' AND NOT EXISTS "
            "(SELECT 1 FROM awards w WHERE w.arbitration_id = arbitrations.id AND NOT w.partial "
            "AND w.effective_on IS NULL)"
        )
    )
    bind.execute(
        sa.text("UPDATE arbitrations SET closed_on = closure_approved_on WHERE closure_approved_on IS NOT NULL")
    )
    op.drop_column("arbitrations", "closure_approved_on")
    op.drop_column("arbitrations", "closure_act_on")
    op.drop_column("awards", "effective_on")
    op.drop_index(op.f("ix_award_services_party_id"), table_name="award_services")
    op.drop_index(op.f("ix_award_services_award_id"), table_name="award_services")
    op.drop_table("award_services")
