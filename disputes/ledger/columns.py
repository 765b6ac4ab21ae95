"""The ledger's columns (ledger.md, “Format”): names, which are required, and the values the enums allow."""

from disputes.models.enums import ClaimCategory, ClaimOutcome, DisputeCause
from disputes.workflow.states import ItemRuling

REQUIRED = ("registry_no", "unit_code", "registered_on", "applicant_name", "respondent_name", "claim_categories")
COLUMNS = (
    "registry_no",
    "unit_code",
    "registered_on",
    "applicant_name",
    "applicant_id_no",
    "respondent_name",
    "respondent_credit_code",
    "workers",
    "claim_categories",
    "claim_amount",
    "migrant_wage",
    "mediation_received_on",
    "mediation_ended_on",
    "mediation_outcome",
    "mediator",
    "legal_aid_applied_on",
    "legal_aid_decided_on",
    "legal_aid_decision",
    "arbitration_received_on",
    "arbitration_accepted_on",
    "arbitration_closed_on",
    "arbitration_closure",
    "suspended_days",
    "extension_days",
    "arbitrator",
    "litigation_filed_on",
    "litigation_closed_on",
    "litigation_by",
    "litigation_outcome",
    "litigation_case_no",  # optional (issue 17): the court's case number (裁审衔接)
    # Optional (issue 17): the date of the judgment (or ruling) and the court's result per claim item, `;`-separated
    # in the order of claim_categories (维持/改判/撤销/调解/撤诉), as the court-liaison officer records them.
    "litigation_judged_on",
    "litigation_item_results",
    # Claim items as data (issue 17), optional so older ledgers import as before: per claim category, in its order,
    # the statistical dispute cause and the outcome (`;`-separated, or empty); the amounts agreed or awarded and
    # recovered, in total (kept on the first claim, like `claim_amount`).
    "claim_causes",
    "claim_outcomes",
    "resolved_amount",
    "recovered_amount",
)
DATES = tuple(c for c in COLUMNS if c.endswith("_on"))
ENUMS = {
    "mediation_outcome": ("agreement", "failed", "withdrawn", "lapsed"),
    "legal_aid_decision": ("granted", "refused"),
    "arbitration_closure": (
        "mediation_statement",
        "award_final",
        "award_nonfinal",
        "award_mixed",
        "withdrawn",
        "deemed_withdrawn",
        "terminated",
        "transferred",
        "refused",
    ),
    "litigation_by": ("worker", "employer"),
    "litigation_outcome": ("judgment", "court_mediation", "withdrawn", "revoked", "upheld"),
}
CATEGORIES = tuple(c.value for c in ClaimCategory)
CLAIM_LISTS = {
    "claim_causes": tuple(c.value for c in DisputeCause),
    "claim_outcomes": tuple(o.value for o in ClaimOutcome),
}
ITEM_RULINGS = tuple(r.value for r in ItemRuling)
MAX_EXTENSION_DAYS = 15  # Law Art 43
LIST_SEPARATOR = ";"

# Dates in order within each track: (earlier, later). A later date needs its earlier one (a closure needs its start).
ORDER = (
    ("registered_on", "mediation_received_on"),
    ("mediation_received_on", "mediation_ended_on"),
    ("legal_aid_applied_on", "legal_aid_decided_on"),
    ("arbitration_received_on", "arbitration_accepted_on"),
    ("arbitration_received_on", "arbitration_closed_on"),
    ("arbitration_accepted_on", "arbitration_closed_on"),
    ("litigation_filed_on", "litigation_closed_on"),
    ("litigation_filed_on", "litigation_judged_on"),
    ("litigation_judged_on", "litigation_closed_on"),
)
# A track's closing value needs its closing date and the other way round.
PAIRS = (
    ("mediation_ended_on", "mediation_outcome"),
    ("legal_aid_decided_on", "legal_aid_decision"),
    ("arbitration_closed_on", "arbitration_closure"),
)
STARTS = {
    "mediation": "mediation_received_on",
    "legal_aid": "legal_aid_applied_on",
    "arbitration": "arbitration_received_on",
    "litigation": "litigation_filed_on",
}
TRACK_COLUMNS = {
    "mediation": ("mediation_ended_on", "mediation_outcome", "mediator"),
    "legal_aid": ("legal_aid_decided_on", "legal_aid_decision"),
    "arbitration": (
        "arbitration_accepted_on",
        "arbitration_closed_on",
        "arbitration_closure",
        "suspended_days",
        "extension_days",
        "arbitrator",
    ),
    "litigation": (
        "litigation_closed_on",
        "litigation_by",
        "litigation_outcome",
        "litigation_case_no",
        "litigation_judged_on",
        "litigation_item_results",
    ),
}
