"""Writing validated rows: each chunk's cases built, ids taken in bulk, every table written at once.

`Writer.write(rows)` handles one chunk: for --update rows the case's imported parts are removed first (see
`_clear`); then the rows of every table are built (build.py, timers.py) and handed to the CopyPipe.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import identity
from disputes.ledger import build, export, timers, write
from disputes.ledger.pipe import CopyPipe
from disputes.ledger.validate import Row, UnitInfo
from disputes.models import Unit, User
from disputes.sla.calendar_store import load_calendar
from disputes.sla.compute import compute_deadline
from disputes.sla.rules import current_rules


class _Handlers:
    """The unit handling a track: the named person's unit, else the nearest unit of that kind around the case's."""

    KINDS = {
        "mediation": "mediation_committee",
        "legal_aid": "legal_aid_centre",
        "arbitration": "arbitration_commission",
    }

    def __init__(self, units: dict[str, UnitInfo]):
        self.by_id = {u.id: u for u in units.values()}
        self.children: dict[int | None, list[UnitInfo]] = {}
        for unit in sorted(units.values(), key=lambda u: u.code):
            self.children.setdefault(unit.parent_id, []).append(unit)
        self.cache: dict[tuple[int, str], int] = {}

    def of(self, unit: UnitInfo, track: str) -> int:
        key = (unit.id, track)
        if key not in self.cache:
            self.cache[key] = self._find(unit, self.KINDS[track])
        return self.cache[key]

    def _find(self, unit: UnitInfo, kind: str) -> int:
        node: UnitInfo | None = unit
        while node is not None:
            queue = [node]
            while queue:
                current = queue.pop(0)
                if current.kind == kind and current.active:
                    return current.id
                queue += self.children.get(current.id, [])
            node = self.by_id.get(node.parent_id) if node.parent_id else None
        return unit.id

    def units(self, row: Row) -> dict[str, int]:
        return {
            "mediation": row.mediator.unit_id if row.mediator else self.of(row.unit, "mediation"),
            "legal_aid": self.of(row.unit, "legal_aid"),
            "arbitration": row.arbitrator.unit_id if row.arbitrator else self.of(row.unit, "arbitration"),
        }


class Writer:
    def __init__(self, session: Session, opts: build.Options, actor: User | None):
        self.session, self.opts, self.actor = session, opts, actor
        rules = current_rules(session)
        self.rules = {
            r.rule_id: timers.RuleInfo(
                r.id, r.rule_id, str(r.kind), r.period, str(r.unit), r.warning_days, r.pausable, r.max_extension_days
            )
            for r in rules.values()
            if r.active
        }
        self.calendar = load_calendar(session)
        self.deadlines: dict = {}
        opts.period_end = self.period_end
        self.pipe = CopyPipe(session)
        self.handlers: _Handlers | None = None
        self.taken: dict[str, int] = {}
        self.created = self.updated = self.timers = 0

    def period_end(self, rule_id: str, start: date) -> date | None:
        """The last day of a rule's period from `start`, as the live timer computes it (memoised per import)."""
        rule = self.rules.get(rule_id)
        if rule is None:
            return None
        key = (start, rule.period, rule.unit, (), 0)
        if key not in self.deadlines:
            self.deadlines[key] = compute_deadline(
                start=start, period=rule.period, unit=rule.unit, calendar=self.calendar
            )
        return self.deadlines[key].due

    def ids(self, table: str, count: int) -> list[int]:
        return write.allocate(self.session, table, count, self.taken)

    def write(self, rows: list[Row]) -> None:
        session = self.session
        if self.handlers is None:
            self.handlers = _Handlers({u.code: u for u in _all_units(session)})
        replaced = [r for r in rows if r.case_id is not None]
        if replaced:
            self.pipe.sync()  # the session is used directly below: the writer thread must be idle
        before = self._clear(replaced)
        fresh = [r for r in rows if r.case_id is None]
        for row, case_id in zip(fresh, self.ids("cases", len(fresh)), strict=True):
            row.case_id = case_id
        out: dict[str, list[dict]] = {}
        per_row = []
        for row in rows:
            built = build.case_rows(row, row.case_id, self.handlers.units(row), self.opts)
            per_row.append(built)
            for name, items in built.items():
                out.setdefault(name, []).extend(items)
        kept_parties = self._existing_parties(out["parties"], before)
        self._give_ids(out, ("parties", "claims", "arbitrations", "legal_aid_applications", "lawsuits"))
        updated_cases = [c for c in out["cases"] if c["id"] in before]
        out["cases"] = [c for c in out["cases"] if c["id"] not in before]
        children: dict[str, list[dict]] = {"tribunal_members": [], "suspensions": [], "extensions": [], "awards": []}
        timer_rows, adjustments, award_items = [], [], []
        for row, built in zip(rows, per_row, strict=True):
            arbitration = built["arbitrations"][0] if built["arbitrations"] else None
            if arbitration:
                for name, items in build.arbitration_children(
                    row, arbitration["id"], built["claims"][0]["id"], self.opts
                ).items():
                    for item in items if name == "awards" else ():
                        item["_parties"] = [party["id"] for party in built["parties"][:2]]
                    children[name].extend(items)
            aid_id = built["legal_aid_applications"][0]["id"] if built["legal_aid_applications"] else None
            if aid_id:
                built["legal_aid_applications"][0]["party_id"] = built["parties"][0]["id"]
            case = built["cases"][0]
            for plan in timers.plans(row, self.handlers.units(row), case["green_channel"], case["collective"]):
                rule = self.rules.get(plan.rule_id)
                if rule is None:
                    continue
                timer, adjusted = timers.build(plan, rule, self.calendar, self.opts.today, self.deadlines)
                subjects = {
                    "legal_aid": aid_id,
                    "applicant": built["parties"][0]["id"],
                    "respondent": built["parties"][1]["id"],
                }
                timer.update(case_id=row.case_id, subject_id=subjects.get(plan.subject), created_at=self.opts.now)
                timer_rows.append(timer)
                adjustments.append(adjusted)
        awards = children.pop("awards")
        services = []
        for award, award_id, item_id in zip(
            awards, self.ids("awards", len(awards)), self.ids("award_items", len(awards)), strict=True
        ):
            award["id"] = award_id
            award_items.append({"id": item_id, "award_id": award_id, **award.pop("_item")})
            # Served on both parties on the closing date, the day their periods start.
            services += [
                {"award_id": award_id, "party_id": party, "served_on": award["served_on"]}
                for party in award.pop("_parties")
            ]
        self._link_revocations(rows, per_row, awards)
        item_results = self._court_results(rows, per_row, award_items)
        for timer, timer_id in zip(timer_rows, self.ids("sla_timers", len(timer_rows)), strict=True):
            timer["id"] = timer_id
        adjustment_rows = [
            {"timer_id": t["id"], **a} for t, items in zip(timer_rows, adjustments, strict=True) for a in items
        ]
        self._update_cases(updated_cases, before)
        kept = {id(p) for p in kept_parties}
        out["parties"] = [p for p in out["parties"] if id(p) not in kept]
        for name in (
            "cases",
            "parties",
            "claims",
            "mediations",
            "legal_aid_applications",
            "arbitrations",
            "case_assignments",
        ):
            self.pipe.insert(name, out[name])
        for name in ("tribunal_members", "suspensions", "extensions"):
            self.pipe.insert(name, children[name])
        self.pipe.insert("awards", awards)
        self.pipe.insert("award_items", award_items)
        self.pipe.insert("award_services", services)
        self.pipe.insert("lawsuits", out["lawsuits"])
        self.pipe.insert("court_item_results", item_results)
        self.pipe.insert("sla_timers", timer_rows)
        self.pipe.insert("sla_adjustments", adjustment_rows)
        self.pipe.insert("timeline_entries", self._timeline(rows, before))
        self.created += len(fresh)
        self.updated += len(replaced)
        self.timers += len(timer_rows)

    def _give_ids(self, out: dict[str, list[dict]], names) -> None:
        for name in names:
            missing = [item for item in out[name] if "id" not in item]
            for item, new_id in zip(missing, self.ids(name, len(missing)), strict=True):
                item["id"] = new_id

    def _existing_parties(self, parties: list[dict], before: dict) -> list[dict]:
        """--update edits the first applicant worker and first respondent in place (their other parties stay)."""
        if not before:
            return []
        table = write.table("parties")
        found: dict[tuple[int, str], int] = {}
        for party_id, case_id, side, kind in self.session.execute(
            sa.select(table.c.id, table.c.case_id, table.c.side, table.c.kind)
            .where(table.c.case_id.in_(list(before)))
            .order_by(table.c.position.desc())
        ):
            if side == "respondent" or kind == "worker":
                found[case_id, side] = party_id
        kept = []
        for party in parties:
            existing = found.get((party["case_id"], party["side"]))
            if party["case_id"] in before and existing is not None:
                party["id"] = existing
                kept.append(party)
        for party in kept:
            values = {
                k: party[k]
                for k in ("name", "sex", "birth_date", "id_number", "id_tail", "credit_code", "migrant_worker")
            }
            self.session.execute(sa.update(table).where(table.c.id == party["id"]).values(**values))
        return kept

    def _link_revocations(self, rows, per_row, awards) -> None:
        final = {a["arbitration_id"]: a["id"] for a in awards if a["finality"] == "final"}
        for row, built in zip(rows, per_row, strict=True):
            for suit in built["lawsuits"]:
                if build.is_revocation(row):
                    suit["award_id"] = final.get(built["arbitrations"][0]["id"])

    def _court_results(self, rows, per_row, award_items: list[dict]) -> list[dict]:
        """Each lawsuit's results per claim; an application to revoke names the revoked award's item on a claim."""
        items_of: dict[int, dict[int, int]] = {}
        for item in award_items:
            items_of.setdefault(item["award_id"], {})[item["claim_id"]] = item["id"]
        found = []
        for row, built in zip(rows, per_row, strict=True):
            for suit in built["lawsuits"]:
                claims = [claim["id"] for claim in built["claims"]]
                on_award = items_of.get(suit["award_id"], {}) if suit["award_id"] is not None else {}
                found += build.court_item_results(row, suit["id"], claims, on_award, self.opts)
        return found

    def _clear(self, replaced: list[Row]) -> dict[int, dict[str, str]]:
        """--update: the old ledger view of each case (for the timeline), then its imported parts removed."""
        if not replaced:
            return {}
        session = self.session
        ids = [r.case_id for r in replaced]
        before = dict(export.rows_for(session, ids, export.Unmask()))  # compared in full, stored masked
        arbitrations = list(
            session.scalars(
                sa.select(write.table("arbitrations").c.id).where(write.table("arbitrations").c.case_id.in_(ids))
            )
        )
        mediations = list(
            session.scalars(
                sa.select(write.table("mediations").c.id).where(write.table("mediations").c.case_id.in_(ids))
            )
        )
        timer_ids = list(
            session.scalars(
                sa.select(write.table("sla_timers").c.id).where(write.table("sla_timers").c.case_id.in_(ids))
            )
        )
        awards = list(
            session.scalars(
                sa.select(write.table("awards").c.id).where(
                    write.table("awards").c.arbitration_id.in_(arbitrations or [0])
                )
            )
        )
        lawsuits = list(
            session.scalars(sa.select(write.table("lawsuits").c.id).where(write.table("lawsuits").c.case_id.in_(ids)))
        )
        write.delete_where(session, "court_item_results", "lawsuit_id", lawsuits)
        write.delete_where(session, "lawsuits", "case_id", ids)
        write.delete_where(session, "award_items", "award_id", awards)
        write.delete_where(session, "award_services", "award_id", awards)
        for name in ("awards", "tribunal_members", "hearings", "suspensions", "extensions"):
            write.delete_where(session, name, "arbitration_id", arbitrations)
        for name in ("mediation_sessions", "agreement_terms", "instalments", "confirmations"):
            write.delete_where(session, name, "mediation_id", mediations)
        write.delete_where(session, "notifications", "timer_id", timer_ids)
        write.delete_where(session, "sla_adjustments", "timer_id", timer_ids)
        for name in ("sla_timers", "arbitrations", "mediations", "legal_aid_applications", "claims"):
            write.delete_where(session, name, "case_id", ids)
        assignments = write.table("case_assignments")
        session.execute(
            sa.delete(assignments).where(
                assignments.c.case_id.in_(ids), assignments.c.role.in_(["mediator", "arbitrator"])
            )
        )
        return before

    def _update_cases(self, cases: list[dict], before: dict) -> None:
        """Replace the imported fields of existing cases; the first applicant and respondent are edited in place."""
        session = self.session
        table, _parties = write.table("cases"), write.table("parties")
        for case in cases:
            values = {k: v for k, v in case.items() if k not in ("id", "created_by_id", "created_at", "version_id")}
            session.execute(
                sa.update(table).where(table.c.id == case["id"]).values(**values, version_id=table.c.version_id + 1)
            )

    def _timeline(self, rows: list[Row], before: dict[int, dict[str, str]]) -> list[dict]:
        entries = []
        actor = self.actor.id if self.actor else None
        for row in rows:
            if row.case_id in before:
                new = {c: export.text(row.values.get(c)) for c in row.raw if c != "__extra__"}
                new["registry_no"], new["unit_code"] = row["registry_no"], row.unit.code
                old = before[row.case_id]
                changed = sorted(c for c in new if old.get(c, "") != new[c])
                entries.append(
                    {
                        "case_id": row.case_id,
                        "at": self.opts.now,
                        "actor_id": actor,
                        "kind": "ledger_updated",
                        "reason": self.opts.timeline_reason,
                        "before": {c: _shown(c, old.get(c, "")) for c in changed},
                        "after": {c: _shown(c, new[c]) for c in changed},
                    }
                )
            else:
                entries.append(
                    {
                        "case_id": row.case_id,
                        "at": self.opts.now,
                        "actor_id": actor,
                        "kind": "ledger_imported",
                        "reason": self.opts.timeline_reason,
                        "before": None,
                        "after": {"row": row.number},
                    }
                )
        return entries


def _shown(column: str, value: str) -> str:
    """The timeline keeps ID numbers masked, like every page that shows it."""
    return (identity.mask_resident_id(value) or "") if column == "applicant_id_no" else value


def _all_units(session: Session) -> list[UnitInfo]:
    return [
        UnitInfo(u.id, u.code, str(u.kind), u.path, u.parent_id, u.active)
        for u in session.execute(sa.select(Unit.id, Unit.code, Unit.kind, Unit.path, Unit.parent_id, Unit.active))
    ]
