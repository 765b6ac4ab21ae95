"""All mapped classes, importable from one place."""

from disputes.models.admin_audit import AdminAudit
from disputes.models.allocation import (
    Absence,
    Allocation,
    AllocationMethod,
    AllocationRule,
    CaseConflict,
    CaseRoute,
    Route,
    SkillKind,
    StaffSkill,
)
from disputes.models.arbitration import (
    Arbitration,
    ArbitrationRestart,
    Extension,
    Hearing,
    HearingRoom,
    Suspension,
    TribunalMember,
)
from disputes.models.award import (
    CLAIMANT_EMPLOYER,
    CLAIMANT_WORKER,
    CLAIMANTS,
    Award,
    AwardItem,
    AwardService,
    FinalityRule,
    MinimumWage,
    StatementTerm,
)
from disputes.models.case import (
    Case,
    CaseAssignment,
    CaseReader,
    Claim,
    LimitationEvent,
    Party,
)
from disputes.models.document import IssuedDocument, UnitSeal
from disputes.models.document_service import DocumentService
from disputes.models.enums import (
    ClaimCategory,
    ImportStatus,
    PartyKind,
    PartySide,
    Role,
    ServiceMethod,
    Sex,
    UnitKind,
)
from disputes.models.ledger import LedgerImport
from disputes.models.legal_aid import LegalAidApplication
from disputes.models.litigation import Lawsuit, LawsuitExtension
from disputes.models.mediation import (
    AgreementTerm,
    Confirmation,
    Instalment,
    Mediation,
    MediationSession,
)
from disputes.models.metric_cell import MetricChange, MetricDay, MetricMonth
from disputes.models.portal import (
    ApplicationUpload,
    CollectiveMember,
    ElectronicService,
    OnlineApplication,
    OutboundMessage,
    PortalCode,
    ServiceConsent,
)
from disputes.models.queue_indexes import QUEUE_INDEXES  # noqa: F401  (declares them on their tables)
from disputes.models.sla import (
    CalendarDay,
    CalendarRecompute,
    CalendarYear,
    Notification,
    SlaAdjustment,
    SlaRule,
    SlaTimer,
)
from disputes.models.submission import FormSubmission
from disputes.models.target import MetricTarget
from disputes.models.timeline import TimelineEntry
from disputes.models.unit import NumberFormat, NumberSequence, Unit
from disputes.models.user import User, UserRole

__all__ = [
    "CLAIMANTS",
    "CLAIMANT_EMPLOYER",
    "CLAIMANT_WORKER",
    "Absence",
    "AdminAudit",
    "AgreementTerm",
    "Allocation",
    "AllocationMethod",
    "AllocationRule",
    "ApplicationUpload",
    "Arbitration",
    "ArbitrationRestart",
    "Award",
    "AwardItem",
    "AwardService",
    "CalendarDay",
    "CalendarRecompute",
    "CalendarYear",
    "Case",
    "CaseAssignment",
    "CaseConflict",
    "CaseReader",
    "CaseRoute",
    "Claim",
    "ClaimCategory",
    "CollectiveMember",
    "Confirmation",
    "DocumentService",
    "ElectronicService",
    "Extension",
    "FinalityRule",
    "FormSubmission",
    "Hearing",
    "HearingRoom",
    "ImportStatus",
    "Instalment",
    "IssuedDocument",
    "Lawsuit",
    "LawsuitExtension",
    "LedgerImport",
    "LegalAidApplication",
    "LimitationEvent",
    "Mediation",
    "MediationSession",
    "MetricChange",
    "MetricDay",
    "MetricMonth",
    "MetricTarget",
    "MinimumWage",
    "Notification",
    "NumberFormat",
    "NumberSequence",
    "OnlineApplication",
    "OutboundMessage",
    "Party",
    "PartyKind",
    "PartySide",
    "PortalCode",
    "Role",
    "Route",
    "ServiceConsent",
    "ServiceMethod",
    "Sex",
    "SkillKind",
    "SlaAdjustment",
    "SlaRule",
    "SlaTimer",
    "StaffSkill",
    "StatementTerm",
    "Suspension",
    "TimelineEntry",
    "TribunalMember",
    "Unit",
    "UnitKind",
    "UnitSeal",
    "User",
    "UserRole",
]
