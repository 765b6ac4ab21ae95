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


class DisputeCause(StrEnum):
    """The dispute causes of the statistical forms 人社统MA1/MA2 (docs/statistical_tables.md); a claim's cause
    defaults from its category through disputes/metrics/statistical_codes.json."""

    REMUNERATION = "remuneration"  # 劳动报酬
    SOCIAL_INSURANCE = "social_insurance"  # 社会保险
    CONTRACT = "contract"  # 订立/变更/解除/终止劳动合同
    WORKING_TIME = "working_time"  # 工作时间及休假
    EMPLOYMENT_RELATION = "employment_relation"  # 确认劳动关系
    WORK_INJURY = "work_injury"  # 工伤
    OTHER = "other"  # 其他


class ClaimOutcome(StrEnum):
    """What became of one claim: 支持 / 部分支持 / 驳回 / 调解 / 撤回."""

    SUPPORTED = "supported"
    PARTLY_SUPPORTED = "partly_supported"
    REJECTED = "rejected"
    MEDIATED = "mediated"
    WITHDRAWN = "withdrawn"


WORK_INJURY_CATEGORIES = frozenset({ClaimCategory.WORK_INJURY_MEDICAL, ClaimCategory.WORK_INJURY_BENEFITS})


class LimitationEventKind(StrEnum):
    """What interrupts or suspends the limitation period of Law Art 27."""

    DEMAND = "demand"  # 27(2): a party demanded its right from the other party
    COMPLAINT = "complaint"  # 27(2): a request for relief to an authority
    MEDIATION = "mediation"  # 27(2): an application for mediation (a request for relief); interrupts until it ends
    AGREED_TO_PERFORM = "agreed_to_perform"  # 27(2): the other party agreed to perform
    SUSPENSION = "suspension"  # 27(3): force majeure or another good reason; the days add to the period


LIMITATION_INTERRUPTIONS = frozenset(LimitationEventKind) - {LimitationEventKind.SUSPENSION}
# Kinds that may have an end date: a mediation (the period runs again from its end) and a suspension.
LIMITATION_SPANS = frozenset({LimitationEventKind.MEDIATION, LimitationEventKind.SUSPENSION})
# 劳动报酬 (Law Art 27(4)): wages and overtime pay (Labour Law Art 44), as for the final-award categories.
REMUNERATION_CATEGORIES = frozenset({ClaimCategory.WAGES, ClaimCategory.OVERTIME})


class ServiceMethod(StrEnum):
    IN_PERSON = "in_person"  # 直接送达 (and 留置送达 when refused: the refusal note says so)
    POST = "post"  # 邮寄送达, with the tracking number
    ELECTRONIC = "electronic"  # 电子送达: an e-mail or SMS link
    PUBLIC_NOTICE = "public_notice"  # 公告送达: deemed served 30 days after publication (CPL Art 95)


class ImportStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"  # written (or, for a dry run, checked without errors)
    INVALID = "invalid"  # the ledger has errors: nothing was written
    FAILED = "failed"  # an unexpected failure: nothing was written


class MessageChannel(StrEnum):
    """How an outbound message travels (issue 20)."""

    SMS = "sms"
    EMAIL = "email"


class MessageStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"  # the gateway took it
    DELIVERED = "delivered"  # the gateway reported delivery
    FAILED = "failed"  # every attempt failed: a clerk resends or serves another way


class ApplicationStatus(StrEnum):
    """An online application in the clerk's check queue: 待审查 / 补正 / 受理 / 不予受理."""

    SUBMITTED = "submitted"
    CORRECTION = "correction"
    ACCEPTED = "accepted"
    REFUSED = "refused"
