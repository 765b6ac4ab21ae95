"""One validated ledger row → the rows of its case in every table, consistent with the workflow's CHECKs.

Plain dicts keyed by column, ids supplied by the caller (see write.allocate). Pure: no database, no clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from disputes import identity
from disputes.ledger.validate import AWARDS, Row
from disputes.models.enums import WORK_INJURY_CATEGORIES
from disputes.workflow.litigation import item_result_rows
from disputes.workflow.states import ItemRuling

COLLECTIVE_WORKERS = 10  # Rules Art 5: 10 or more workers with common claims
SUE_AFTER_REVOCATION_DAYS = 15
# Each party's periods from its receipt of the award (Law Art 48–50; the ledger's service date is the closing date):
# (rule, the party: the applicant worker or the respondent employer), by award kind.
PARTY_PERIODS = {
    "final": (("litigation.worker_sue_final", "applicant"), ("litigation.employer_revoke", "respondent")),
    "non_final": (("litigation.sue_nonfinal", "applicant"), ("litigation.sue_nonfinal", "respondent")),
}
FINALITIES = {"award_final": ("final",), "award_nonfinal": ("non_final",), "award_mixed": ("final", "non_final")}
LAWSUIT_OUTCOMES = {"judgment": "judgment", "court_mediation": "court_mediation", "withdrawn": "withdrawal"}


@dataclass
class Options:
    actor_id: int | None
    now: datetime
    today: date
    note: str  # "Imported from the ledger" in the importer's language: stored where a text is required
    causes: dict[str, str]  # claim category → the case's cause in the importer's language
    # rule id, start → the period's last day as the deadline engine computes it (set by the writer); None: no rule
    period_end: Callable[[str, date], date | None] | None = None
    source: str = ""  # which import: the file's name (and the web job's number), quoted on the cases' timelines

    @property
    def timeline_reason(self) -> str:
        return f"{self.note}: {self.source}" if self.source else self.note


def flags(row: Row) -> dict:
    categories = row["claim_categories"]
    migrant = bool(row["migrant_wage"]) and "wages" in categories
    injury = any(c in {w.value for w in WORK_INJURY_CATEGORIES} for c in categories)
    return {
        "migrant_wage": migrant,
        "work_injury": injury,
        "green_channel": migrant or injury,
        "collective": (row["workers"] or 1) >= COLLECTIVE_WORKERS,
        "limitation_warning": False,
    }


def arbitration_state(row: Row) -> str | None:
    if not row["arbitration_received_on"]:
        return None
    closure = row["arbitration_closure"]
    if closure == "refused":
        return "refused"
    if closure:
        return "closed"
    return "accepted" if row["arbitration_accepted_on"] else "received"


def party_periods(row: Row, opts: Options) -> list[tuple[str, str, str, date]]:
    """(rule, award finality, party side, last day) of each party's period to sue or apply for revocation, from the
    award's service on the closing date, as the live timers compute them (holidays rolled over)."""
    closure, closed = row["arbitration_closure"], row["arbitration_closed_on"]
    if closure not in AWARDS or opts.period_end is None:
        return []
    found = []
    for finality in FINALITIES[closure]:
        for rule_id, side in PARTY_PERIODS[finality]:
            due = opts.period_end(rule_id, closed)
            if due is not None:
                found.append((rule_id, finality, side, due))
    return found


def period_done(row: Row, rule_id: str, side: str) -> tuple[date, str] | None:
    """The lawsuit (or application to revoke) of `side` that ended its period, with the event: (filed on, event)."""
    filed, by = row["litigation_filed_on"], row["litigation_by"]
    if not filed or side != ("applicant" if by == "worker" else "respondent"):
        return None
    if is_revocation(row):
        return (filed, "litigation.apply_revocation") if rule_id == "litigation.employer_revoke" else None
    return None if rule_id == "litigation.employer_revoke" else (filed, "litigation.file")


def award_effective_on(row: Row, finality: str, opts: Options) -> date | None:
    """A final award is effective on the day it is made (Law Art 47); a non-final one the day after both parties'
    periods ran out with no lawsuit (Art 50), as `flask litigation effective` records it from the timers."""
    if finality == "final":
        return row["arbitration_closed_on"]
    if row["litigation_filed_on"] and not is_revocation(row):
        return None
    ends = [due for rule_id, kind, _side, due in party_periods(row, opts) if kind == "non_final"]
    effective = max(ends) + timedelta(days=1) if ends else None
    return effective if effective is not None and effective <= opts.today else None


def status(row: Row, opts: Options) -> tuple[str, str, date | None]:
    """(stage, status, closed_on) the way workflow.progress derives them, dated by the ledger's last event."""
    today = opts.today
    existing, opened, ends = [], [], []
    if row["mediation_received_on"]:
        existing.append("mediation")
        if row["mediation_outcome"]:
            ends.append(row["mediation_ended_on"])
        else:
            opened.append("mediation")
    state = arbitration_state(row)
    if state:
        existing.append("arbitration")
        periods = [due for *_rule, due in party_periods(row, opts)]
        unsued = row["arbitration_closure"] in AWARDS and not row["litigation_filed_on"]
        if state in ("received", "accepted") or (unsued and any(due >= today for due in periods)):
            opened.append("arbitration")
        else:
            # An award no one sued against ends the day after the last party's period ran out.
            ends.append(max(periods) + timedelta(days=1) if unsued and periods else row["arbitration_closed_on"])
    if row["litigation_filed_on"]:
        existing.append("litigation")
        closed = row["litigation_closed_on"]
        revoked_recently = (
            row["litigation_outcome"] == "revoked"
            and closed
            and today <= closed + timedelta(days=SUE_AFTER_REVOCATION_DAYS)
        )
        if not closed or revoked_recently:
            opened.append("litigation")
        else:
            ends.append(closed)
    aid_open = bool(row["legal_aid_applied_on"]) and row["legal_aid_decision"] != "refused"
    if row["legal_aid_decision"] == "refused":
        ends.append(row["legal_aid_decided_on"])
    stage = (opened or existing or ["intake"])[-1]
    if existing and not opened and not aid_open:
        return stage, "closed", max([row["registered_on"], *ends])
    return stage, "open", None


def case_rows(row: Row, case_id: int, units: dict[str, int], opts: Options) -> dict[str, list[dict]]:
    """Every row of the case except timers, keyed by table; ids of children are filled in by the caller."""
    v = row.values
    stage, state, closed_on = status(row, opts)
    categories = v["claim_categories"]
    case = {
        "id": case_id,
        "registry_no": v["registry_no"],
        "unit_id": row.unit.id,
        "registered_on": v["registered_on"],
        "dispute_known_on": None,
        "cause": opts.causes.get(categories[0], categories[0]),
        "facts": "",
        "stage": stage,
        "status": state,
        "closed_on": closed_on,
        "worker_count": v["workers"] or 1,
        **flags(row),
        "created_by_id": opts.actor_id,
        "version_id": 1,
        "created_at": opts.now,
        "updated_at": opts.now,
    }
    id_no = v["applicant_id_no"]
    applicant = {
        "case_id": case_id,
        "position": 0,
        "side": "applicant",
        "kind": "worker",
        "name": v["applicant_name"],
        "sex": identity.resident_id_sex(id_no) if id_no else None,
        "birth_date": identity.resident_id_birth_date(id_no) if id_no else None,
        "id_number": id_no,
        "id_tail": id_no[14:18] if id_no else None,
        "credit_code": None,
        "legal_representative": None,
        "phone": None,
        "address": None,
        "is_representative": False,
        "migrant_worker": bool(v["migrant_wage"]),
    }
    respondent = {
        "case_id": case_id,
        "position": 1,
        "side": "respondent",
        "kind": "employer",
        "name": v["respondent_name"],
        "sex": None,
        "birth_date": None,
        "id_number": None,
        "id_tail": None,
        "credit_code": v["respondent_credit_code"],
        "legal_representative": None,
        "phone": None,
        "address": None,
        "is_representative": False,
        "migrant_worker": False,
    }
    claims = [
        {
            "case_id": case_id,
            "position": i,
            "category": c,
            "amount": v["claim_amount"] if i == 0 else None,
            "description": "",
            "resolved_amount": v["resolved_amount"] if i == 0 else None,
            "recovered_amount": v["recovered_amount"] if i == 0 else None,
            "dispute_cause": v["claim_causes"][i] if v["claim_causes"] else None,
            "outcome": v["claim_outcomes"][i] if v["claim_outcomes"] else None,
        }
        for i, c in enumerate(categories)
    ]
    out: dict[str, list[dict]] = {
        "cases": [case],
        "parties": [applicant, respondent],
        "claims": claims,
        "mediations": [],
        "legal_aid_applications": [],
        "arbitrations": [],
        "case_assignments": [],
        "lawsuits": [],
    }
    if v["mediation_received_on"]:
        outcome = v["mediation_outcome"]
        mediator = row.mediator.id if row.mediator else None
        out["mediations"].append(
            {
                "case_id": case_id,
                "unit_id": units["mediation"],
                "number": None,
                "state": outcome or ("accepted" if mediator else "applied"),
                "applied_on": v["mediation_received_on"],
                # An agreement was accepted at some point even when the ledger does not name its mediator.
                "accepted_on": v["mediation_received_on"] if mediator or outcome == "agreement" else None,
                "mediator_id": mediator,
                "ended_on": v["mediation_ended_on"],
                "end_reason": opts.note if outcome and outcome != "agreement" else None,
                "agreement_signed_on": v["mediation_ended_on"] if outcome == "agreement" else None,
                "agreement_summary": opts.note if outcome == "agreement" else None,
                "performance": "pending" if outcome == "agreement" else None,
                "performance_noted_on": None,
                "performance_note": None,
                "created_at": opts.now,
            }
        )
    if v["legal_aid_applied_on"]:
        decision = v["legal_aid_decision"]
        green = case["green_channel"]
        out["legal_aid_applications"].append(
            {
                "case_id": case_id,
                "unit_id": units["legal_aid"],
                "number": None,
                "state": decision or "applied",
                "applied_on": v["legal_aid_applied_on"],
                "matter": opts.note,
                "hardship_waived": green,
                "hardship_statement": None if green else opts.note,
                "materials_requested_on": None,
                "materials_note": None,
                "complete_on": v["legal_aid_applied_on"],
                "decided_on": v["legal_aid_decided_on"],
                "decided_by_id": None,
                "decision_reason": opts.note if decision == "refused" else None,
                "review_later": False,
                "lawyer_id": None,
                "law_firm": None,
                "assigned_on": None,
                "objection_on": None,
                "objection_reason": None,
                "objection_decided_on": None,
                "closure": None,
                "closed_on": None,
                "closure_note": None,
                "created_at": opts.now,
            }
        )
    state = arbitration_state(row)
    if state:
        out["arbitrations"].append(_arbitration(row, case_id, units, opts, state))
    for user, role in ((row.mediator, "mediator"), (row.arbitrator, "arbitrator")):
        if user is not None and not any(a["user_id"] == user.id for a in out["case_assignments"]):
            out["case_assignments"].append(
                {"case_id": case_id, "user_id": user.id, "role": role, "assigned_at": opts.now, "active": True}
            )
    if v["litigation_filed_on"]:
        out["lawsuits"].append(_lawsuit(row, case_id, opts))
    return out


def _arbitration(row: Row, case_id: int, units: dict[str, int], opts: Options, state: str) -> dict:
    v = row.values
    closure = v["arbitration_closure"]
    accepted = v["arbitration_accepted_on"]
    closed = state == "closed"
    return {
        "case_id": case_id,
        "unit_id": units["arbitration"],
        "number": v["registry_no"] if accepted else None,
        "state": state,
        "received_on": v["arbitration_received_on"],
        "correction_requested_on": None,
        "correction_note": None,
        "complete_on": v["arbitration_received_on"],
        "accepted_on": accepted,
        "refused_on": v["arbitration_closed_on"] if state == "refused" else None,
        "refusal_reason": opts.note if state == "refused" else None,
        "served_on": None,
        "defence_received_on": None,
        "defence_served_on": None,
        "tribunal_kind": "sole" if row.arbitrator else None,
        "tribunal_formed_on": None,
        "tribunal_notified_on": None,
        "simplified": False,
        "simplified_ground": None,
        "pre_hearing_mediation_on": None,
        "pre_hearing_mediation_note": None,
        "advance_execution_on": None,
        "advance_execution_note": None,
        "suspended_since": None,
        "closure_type": ("award" if closure in AWARDS else closure) if closed else None,
        "closure_note": opts.note if closed else None,
        "closure_requested_on": v["arbitration_closed_on"] if closed else None,
        "closure_requested_by_id": row.approver_id if closed else None,
        # The ledger's closing date is the closing act's (Law Art 43) and, for want of another, the approval's.
        "closure_act_on": v["arbitration_closed_on"] if closed else None,
        "closed_on": v["arbitration_closed_on"] if closed else None,
        "closure_approved_on": v["arbitration_closed_on"] if closed else None,
        "closure_approved_by_id": row.approver_id if closed else None,
        "created_at": opts.now,
    }


def arbitration_children(row: Row, arbitration_id: int, claim_id: int, opts: Options) -> dict[str, list[dict]]:
    """Tribunal, suspension, extension and award rows of an arbitration (awards without ids: see award_items)."""
    v = row.values
    out: dict[str, list[dict]] = {"tribunal_members": [], "suspensions": [], "extensions": [], "awards": []}
    if row.arbitrator:
        out["tribunal_members"].append({"arbitration_id": arbitration_id, "user_id": row.arbitrator.id, "seat": "sole"})
    accepted, who = v["arbitration_accepted_on"], row.approver_id
    if v["suspended_days"] and accepted:
        out["suspensions"].append(
            {
                "arbitration_id": arbitration_id,
                "ground": "other",
                "reason": opts.note,
                "requested_on": accepted,
                "requested_by_id": who,
                "state": "approved",
                "decided_on": accepted,
                "decided_by_id": who,
                "decision_note": None,
                "started_on": accepted,
                "ended_on": accepted + timedelta(days=v["suspended_days"]),
                "ended_by_id": who,
                "created_at": opts.now,
            }
        )
    if v["extension_days"] and accepted:
        out["extensions"].append(
            {
                "arbitration_id": arbitration_id,
                "days": v["extension_days"],
                "reason": opts.note,
                "requested_on": accepted,
                "requested_by_id": who,
                "state": "approved",
                "decided_on": accepted,
                "decided_by_id": who,
                "decision_note": None,
                "created_at": opts.now,
            }
        )
    closure = v["arbitration_closure"]
    if closure in AWARDS:
        for finality in FINALITIES[closure]:
            out["awards"].append(
                {
                    "arbitration_id": arbitration_id,
                    "finality": finality,
                    "number": None,
                    "awarded_on": v["arbitration_closed_on"],
                    "partial": False,
                    "minimum_wage": row.minimum_wage,
                    "reasons": "",
                    "served_on": v["arbitration_closed_on"],
                    "effective_on": award_effective_on(row, finality, opts),
                    "issued_by_id": who,
                    "created_at": opts.now,
                    "_item": {
                        "position": 0,
                        "claim_id": claim_id,
                        "category": v["claim_categories"][0],
                        "amount": None,
                        "text": opts.note,
                        "finality": finality,
                    },
                }
            )
    return out


def is_revocation(row: Row) -> bool:
    """An employer's action against a final award is an application to revoke it (Law Art 49)."""
    return row["litigation_outcome"] in ("revoked", "upheld") or (
        row["litigation_by"] == "employer" and row["arbitration_closure"] == "award_final"
    )


def _lawsuit(row: Row, case_id: int, opts: Options) -> dict:
    v = row.values
    outcome, closed = v["litigation_outcome"], v["litigation_closed_on"]
    revocation = is_revocation(row)
    if revocation:
        state = outcome if closed else "revocation_applied"
    else:
        state = "closed" if closed else "filed"
    return {
        "case_id": case_id,
        "kind": "revocation" if revocation else "lawsuit",
        "state": state,
        "plaintiff": v["litigation_by"],
        "court": "",
        "court_case_no": v.get("litigation_case_no"),
        "award_id": None,
        "filed_on": v["litigation_filed_on"],
        "procedure": None,
        "docketed_on": None,
        "outcome": LAWSUIT_OUTCOMES.get(outcome),
        "judged_on": v["litigation_judged_on"] or closed,
        "judgment_summary": None,
        "appellant": None,
        "appealed_on": None,
        "appeal_court": None,
        "appeal_case_no": None,
        "second_outcome": None,
        "closed_on": closed,
        "note": opts.note,
        "created_at": opts.now,
    }


def court_item_results(
    row: Row, lawsuit_id: int, claim_ids: list[int], award_items: dict[int, int], opts: Options
) -> list[dict]:
    """The court's result per claim (`litigation_item_results`, in the claims' order), dated by the judgment (else
    the lawsuit's closing), as the court-liaison officer's form records them (workflow.litigation.item_result_rows);
    `award_items`: claim id → the item on it of the award the lawsuit is against (an application to revoke)."""
    v = row.values
    if not v["litigation_item_results"]:
        return []
    decided_on = v["litigation_judged_on"] or v["litigation_closed_on"]
    targets = [(award_items.get(claim_id), claim_id) for claim_id in claim_ids]
    rulings = [ItemRuling(name) for name in v["litigation_item_results"]]
    return [
        {"lawsuit_id": lawsuit_id, **values, "created_at": opts.now}
        for values in item_result_rows(targets, rulings, decided_on, opts.actor_id)
    ]
