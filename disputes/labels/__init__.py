"""Translated labels for stored values (enum members, timeline kinds, flags)."""

from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from disputes.labels.portal import PORTAL_LABELS
from disputes.labels.service import SERVICE_LABELS, SERVICE_TIMELINE
from disputes.labels.sla import SLA_LABELS
from disputes.labels.tracks import TRACK_LABELS
from disputes.models import AllocationMethod, ClaimCategory, PartyKind, PartySide, Role, Route, Sex, SkillKind, UnitKind
from disputes.models.enums import ClaimOutcome, LimitationEventKind
from disputes.models.transfer import DelegationKind, DelegationResult, LinkKind, TransferStatus, TransferTrack
from disputes.workflow.states import CaseStage, CaseStatus
from disputes.workflow.tracks import ACTIONS

LABELS = {
    UnitKind: {
        UnitKind.DISTRICT: _l("District"),
        UnitKind.STREET: _l("Street"),
        UnitKind.COMMUNITY: _l("Community"),
        UnitKind.ENTERPRISE: _l("Enterprise / park"),
        UnitKind.CENTRE: _l("One-stop centre"),
        UnitKind.MEDIATION_COMMITTEE: _l("Mediation committee"),
        UnitKind.ARBITRATION_COMMISSION: _l("Arbitration commission"),
        UnitKind.LEGAL_AID_CENTRE: _l("Legal-aid centre"),
        UnitKind.COURT_LIAISON: _l("Court liaison office"),
    },
    Role: {
        Role.CLERK: _l("Clerk"),
        Role.MEDIATOR: _l("Mediator"),
        Role.LEGAL_AID_OFFICER: _l("Legal-aid officer"),
        Role.LAWYER: _l("Lawyer"),
        Role.ARBITRATOR: _l("Arbitrator"),
        Role.COURT_LIAISON: _l("Court liaison"),
        Role.SUPERVISOR: _l("Supervisor"),
        Role.ADMIN: _l("Administrator"),
    },
    PartySide: {PartySide.APPLICANT: _l("Applicant"), PartySide.RESPONDENT: _l("Respondent")},
    PartyKind: {
        PartyKind.WORKER: _l("Worker"),
        PartyKind.EMPLOYER: _l("Employer"),
        PartyKind.AGENT: _l("Agent"),
        PartyKind.REPRESENTATIVE: _l("Representative"),
    },
    Sex: {Sex.MALE: _l("Male"), Sex.FEMALE: _l("Female")},
    ClaimCategory: {
        ClaimCategory.WAGES: _l("Unpaid wages"),
        ClaimCategory.OVERTIME: _l("Overtime pay"),
        ClaimCategory.ECONOMIC_COMPENSATION: _l("Economic compensation"),
        ClaimCategory.DAMAGES: _l("Damages"),
        ClaimCategory.WORK_INJURY_MEDICAL: _l("Work-injury medical costs"),
        ClaimCategory.WORK_INJURY_BENEFITS: _l("Work-injury benefits"),
        ClaimCategory.SOCIAL_INSURANCE: _l("Social insurance"),
        ClaimCategory.WORKING_TIME_LEAVE: _l("Working time and leave"),
        ClaimCategory.CONFIRM_EMPLOYMENT: _l("Confirm employment relationship"),
        ClaimCategory.CONTRACT_TERMINATION: _l("Contract termination"),
        ClaimCategory.OTHER: _l("Other"),
    },
    ClaimOutcome: {
        ClaimOutcome.SUPPORTED: _l("Supported"),
        ClaimOutcome.PARTLY_SUPPORTED: _l("Partly supported"),
        ClaimOutcome.REJECTED: _l("Rejected"),
        ClaimOutcome.MEDIATED: _l("Mediated"),
        ClaimOutcome.WITHDRAWN: _l("Withdrawn"),
    },
    LimitationEventKind: {
        LimitationEventKind.DEMAND: _l("Demand on the other party"),
        LimitationEventKind.COMPLAINT: _l("Complaint to an authority"),
        LimitationEventKind.MEDIATION: _l("Mediation application"),
        LimitationEventKind.AGREED_TO_PERFORM: _l("Other party agreed to perform"),
        LimitationEventKind.SUSPENSION: _l("Suspension (force majeure or other good reason)"),
    },
    CaseStage: {
        CaseStage.INTAKE: _l("Intake"),
        CaseStage.MEDIATION: _l("Mediation"),
        CaseStage.ARBITRATION: _l("Arbitration"),
        CaseStage.LITIGATION: _l("Litigation"),
    },
    CaseStatus: {CaseStatus.OPEN: _l("Open"), CaseStatus.CLOSED: _l("Closed")},
    Route: {
        Route.MEDIATION: _l("Mediation committee"),
        Route.LEGAL_AID: _l("Legal aid"),
        Route.ARBITRATION: _l("Straight to arbitration"),
        Route.ADVICE: _l("Advice only, no case"),
    },
    AllocationMethod: {
        AllocationMethod.ROTATION: _l("Rotation"),
        AllocationMethod.LEAST_LOAD: _l("Least open load"),
        AllocationMethod.CATEGORY: _l("By dispute category"),
        AllocationMethod.LANGUAGE: _l("By language"),
        AllocationMethod.MANUAL: _l("By hand"),
    },
    SkillKind: {SkillKind.CATEGORY: _l("Dispute category"), SkillKind.LANGUAGE: _l("Language")},
    TransferTrack: {TransferTrack.MEDIATION: _l("Mediation"), TransferTrack.ARBITRATION: _l("Arbitration")},
    TransferStatus: {
        TransferStatus.PENDING: _l("Awaiting acceptance"),
        TransferStatus.ACCEPTED: _l("Accepted by the receiving unit"),
        TransferStatus.RETURNED: _l("Returned"),
    },
    DelegationKind: {
        DelegationKind.DELEGATED: _l("Delegated mediation (before filing)"),
        DelegationKind.ENTRUSTED: _l("Entrusted mediation (after filing)"),
    },
    DelegationResult: {
        DelegationResult.AGREEMENT: _l("Agreement reached"),
        DelegationResult.NO_AGREEMENT: _l("No agreement"),
    },
    LinkKind: {
        LinkKind.SAME_EMPLOYER: _l("Same employer"),
        LinkKind.COUNTER_CLAIM: _l("Counter-claim"),
        LinkKind.SAME_WORKER: _l("Same worker"),
        LinkKind.CONSOLIDATED: _l("Consolidated hearing"),
    },
    **TRACK_LABELS,
    **SLA_LABELS,
    **SERVICE_LABELS,
    **PORTAL_LABELS,
}

FLAG_LABELS = {
    "migrant_wage": _l("Migrant worker wages"),
    "work_injury": _l("Work injury"),
    "green_channel": _l("Green channel"),
    "collective": _l("Collective dispute"),
    "limitation_warning": _l("Limitation warning"),
}

TIMELINE_KINDS = {
    "case_registered": _l("Case registered"),
    "flags_changed": _l("Flags changed"),
    "case.routed": _l("Case routed"),
    "case.allocated": _l("Case allocated"),
    "case.conflict": _l("Conflict recorded (standing aside)"),
    "case.moved": _l("Case moved to another unit"),
    "transfer.requested": _l("Transfer requested"),
    "transfer.accepted": _l("Transfer accepted"),
    "transfer.returned": _l("Transfer returned"),
    "delegation.received": _l("Court-delegated mediation received"),
    "delegation.returned": _l("Mediation result sent back to the court"),
    "case.linked": _l("Case linked"),
    "case.unlinked": _l("Case unlinked"),
    "limitation_changed": _l("Limitation facts changed"),
    "claim_facts_changed": _l("A claim's dispute cause or amount recovered changed"),
    "ids_revealed": _l("Full ID numbers viewed"),
    "ledger_imported": _l("Imported from the ledger"),
    "ledger_updated": _l("Updated from the ledger"),
    "sla.breached": _l("Deadline missed"),
    "sla.calendar_recomputed": _l("Deadlines recomputed after a calendar change"),
    **SERVICE_TIMELINE,
    "document_issued": _l("Document issued"),
    "document_reissued": _l("Document reissued"),
}


# Where full ID numbers were shown when not on the case page (an `ids_revealed` entry's `after["via"]`).
REVEALED_VIA = {
    "ledger_export": _l("In a ledger export"),
    "document_preview": _l("In a document preview"),
}


def claim_outcome_label(value: str | None) -> str:
    """A claim's stored outcome (a plain string column) as its label; '—' while undecided."""
    return label(ClaimOutcome(value)) if value in {o.value for o in ClaimOutcome} else "—"


def label(value) -> str:
    """The translated label of an enum member, a flag name or a timeline kind. Remembered per language: a list page
    asks for some 200 labels, and each lookup through Flask-Babel's request context costs more than the rest of the
    cell (issue 18); the catalogues do not change while the process runs, and the language is part of the key, so a
    document rendered under `force_locale` still gets its own language."""
    try:
        key = (str(get_locale()), type(value), value)  # the type too: two enums may share a value ("closed")
        return _remembered[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable value is no known label
        return str(value)
    text = _translate(value)
    if text is not None:
        _remembered[key] = text
        return text
    return str(value)


_remembered: dict[tuple[str, type, object], str] = {}  # bounded: the known values, once per language


def _translate(value) -> str | None:
    for enum_cls, labels in LABELS.items():
        if isinstance(value, enum_cls):
            return str(labels[value])
    if value in FLAG_LABELS:
        return str(FLAG_LABELS[value])
    if value in TIMELINE_KINDS:
        return str(TIMELINE_KINDS[value])
    if value in ACTIONS:
        return gettext(ACTIONS[value].label)
    if value in REVEALED_VIA:
        return str(REVEALED_VIA[value])
    return None


def choices(enum_cls) -> list[SelectChoice]:
    """Select choices whose labels stay lazy, so they render in the language of each request."""
    return [SelectChoice(member.value, LABELS[enum_cls][member]) for member in enum_cls]


NONE_CHOSEN = SelectChoice("", "—")
LANGUAGE_CHOICES = [SelectChoice("zh_CN", "中文"), SelectChoice("en", "English")]
