"""The domain's vocabulary: values stored in the database and checked there."""
from enum import StrEnum


class UnitKind(StrEnum):
    DISTRICT = "district"
    STREET = "street"
    COMMUNITY = "community"
    ENTERPRISE = "enterprise"
    CENTRE = "centre"
    MEDIATION_COMMITTEE = "mediation_committee"
    ARBITRATION_COMMISSION = "arbitration_commission"
    LEGAL_AID_CENTRE = "legal_aid_centre"
    COURT_LIAISON = "court_liaison"


class Role(StrEnum):
    CLERK = "clerk"
    MEDIATOR = "mediator"
    LEGAL_AID_OFFICER = "legal_aid_officer"
    LAWYER = "lawyer"
    ARBITRATOR = "arbitrator"
    COURT_LIAISON = "court_liaison"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class PartySide(StrEnum):
    APPLICANT = "applicant"
    RESPONDENT = "respondent"


class PartyKind(StrEnum):
    WORKER = "worker"
    EMPLOYER = "employer"
    AGENT = "agent"
    REPRESENTATIVE = "representative"


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class ClaimCategory(StrEnum):
    WAGES = "wages"
    OVERTIME = "overtime"
    ECONOMIC_COMPENSATION = "economic_compensation"
    DAMAGES = "damages"
    WORK_INJURY_MEDICAL = "work_injury_medical"
    WORK_INJURY_BENEFITS = "work_injury_benefits"
    SOCIAL_INSURANCE = "social_insurance"
    WORKING_TIME_LEAVE = "working_time_leave"
    CONFIRM_EMPLOYMENT = "confirm_employment"
    CONTRACT_TERMINATION = "contract_termination"
    OTHER = "other"


WORK_INJURY_CATEGORIES = frozenset({ClaimCategory.WORK_INJURY_MEDICAL, ClaimCategory.WORK_INJURY_BENEFITS})
