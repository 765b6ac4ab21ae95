"""Case stage and status, and the states of the four tracks (domain.md, “Stage tracks”).

Each track's state enum carries its named groups as frozensets beside it, so
queries, guards and the database check constraints read the same sets.
"""

from enum import StrEnum


class CaseStage(StrEnum):
    """The most advanced open track; `intake` until a track is opened."""

    INTAKE = "intake"
    MEDIATION = "mediation"
    ARBITRATION = "arbitration"
    LITIGATION = "litigation"


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Track(StrEnum):
    MEDIATION = "mediation"
    LEGAL_AID = "legal_aid"
    ARBITRATION = "arbitration"
    LITIGATION = "litigation"


class MediationState(StrEnum):
    APPLIED = "applied"
    ACCEPTED = "accepted"
    IN_SESSION = "in_session"
    AGREEMENT = "agreement"
    FAILED = "failed"
    WITHDRAWN = "withdrawn"
    LAPSED = "lapsed"


MEDIATION_OPEN = frozenset({MediationState.APPLIED, MediationState.ACCEPTED, MediationState.IN_SESSION})
MEDIATION_WITH_MEDIATOR = frozenset({MediationState.ACCEPTED, MediationState.IN_SESSION, MediationState.AGREEMENT})
MEDIATION_ENDED = frozenset(MediationState) - MEDIATION_OPEN
MEDIATION_WITHOUT_AGREEMENT = frozenset({MediationState.FAILED, MediationState.WITHDRAWN, MediationState.LAPSED})


class SessionOutcome(StrEnum):
    CONTINUE = "continue"
    AGREEMENT = "agreement"
    PARTIAL = "partial"
    FAILED = "failed"


class Performance(StrEnum):
    PENDING = "pending"
    PERFORMED = "performed"
    PARTLY_PERFORMED = "partly_performed"
    DEFAULTED = "defaulted"


class ConfirmationKind(StrEnum):
    """After an agreement: arbitral review (15 days) or court confirmation (30 days)."""

    ARBITRAL_REVIEW = "arbitral_review"
    COURT_CONFIRMATION = "court_confirmation"


class ConfirmationResult(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REFUSED = "refused"


class LegalAidState(StrEnum):
    APPLIED = "applied"
    MATERIALS_REQUESTED = "materials_requested"
    GRANTED = "granted"
    REFUSED = "refused"
    OBJECTION = "objection"
    REFUSAL_UPHELD = "refusal_upheld"
    ASSIGNED = "assigned"
    CLOSED = "closed"


LEGAL_AID_OPEN = frozenset(
    {
        LegalAidState.APPLIED,
        LegalAidState.MATERIALS_REQUESTED,
        LegalAidState.GRANTED,
        LegalAidState.OBJECTION,
        LegalAidState.ASSIGNED,
    }
)
LEGAL_AID_DECIDED = frozenset({LegalAidState.GRANTED, LegalAidState.ASSIGNED, LegalAidState.CLOSED})
LEGAL_AID_PENDING_DECISION = frozenset({LegalAidState.APPLIED, LegalAidState.MATERIALS_REQUESTED})


class LegalAidClosure(StrEnum):
    COMPLETED = "completed"
    TERMINATED = "terminated"


class ArbitrationState(StrEnum):
    RECEIVED = "received"
    CORRECTION_REQUESTED = "correction_requested"
    REFUSED = "refused"
    ACCEPTED = "accepted"
    SERVED = "served"
    TRIBUNAL_FORMED = "tribunal_formed"
    HEARD = "heard"
    CLOSING = "closing"
    CLOSED = "closed"


ARBITRATION_BEFORE_ACCEPTANCE = frozenset({ArbitrationState.RECEIVED, ArbitrationState.CORRECTION_REQUESTED})
ARBITRATION_RUNNING = frozenset(
    {ArbitrationState.ACCEPTED, ArbitrationState.SERVED, ArbitrationState.TRIBUNAL_FORMED, ArbitrationState.HEARD}
)
ARBITRATION_ACCEPTED = ARBITRATION_RUNNING | {ArbitrationState.CLOSING, ArbitrationState.CLOSED}
ARBITRATION_SERVED = frozenset({ArbitrationState.SERVED, ArbitrationState.TRIBUNAL_FORMED, ArbitrationState.HEARD})
ARBITRATION_WITH_TRIBUNAL = frozenset({ArbitrationState.TRIBUNAL_FORMED, ArbitrationState.HEARD})
ARBITRATION_OPEN = ARBITRATION_BEFORE_ACCEPTANCE | ARBITRATION_RUNNING | {ArbitrationState.CLOSING}


class ClosureType(StrEnum):
    MEDIATION_STATEMENT = "mediation_statement"
    AWARD = "award"
    WITHDRAWN = "withdrawn"
    DEEMED_WITHDRAWN = "deemed_withdrawn"
    TERMINATED = "terminated"
    TRANSFERRED = "transferred"


CLOSURES_WITH_DOCUMENT = frozenset({ClosureType.MEDIATION_STATEMENT, ClosureType.AWARD})


class TribunalKind(StrEnum):
    SOLE = "sole"
    THREE_MEMBER = "three_member"


class TribunalSeat(StrEnum):
    SOLE = "sole"
    PRESIDING = "presiding"
    MEMBER = "member"


class SuspensionGround(StrEnum):
    PARTY_DIED = "party_died"
    LOST_CAPACITY = "lost_capacity"
    EMPLOYER_DISSOLVED = "employer_dissolved"
    FORCE_MAJEURE = "force_majeure"
    DEPENDS_ON_OTHER_CASE = "depends_on_other_case"
    AWAITING_DETERMINATION = "awaiting_determination"
    OTHER = "other"


class RefusalGround(StrEnum):
    """Why an arbitration application is not accepted: Rules Art 30 lists the conditions; a commission
    without jurisdiction directs the applicant to the competent one (Rules Art 31, Interp-I Art 5),
    every other refusal leaves the way to the court open (Law Art 29)."""

    NOT_LABOUR_DISPUTE = "not_labour_dispute"
    IMPROPER_PARTY = "improper_party"
    NO_CLEAR_CLAIM = "no_clear_claim"
    NO_JURISDICTION = "no_jurisdiction"
    OTHER = "other"


class Approval(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"


class RestartKind(StrEnum):
    """Events after acceptance that restart the award period (Rules Art 46 items 1, 3, 4, 5)."""

    ADD_PARTY = "add_party"  # 追加当事人或者第三人: from the decision to add
    CHANGE_CLAIMS = "change_claims"  # 受理增加、变更仲裁请求: from accepting the change
    COUNTER_CLAIM = "counter_claim"  # 反申请合并处理: from accepting the counter-claim
    TRANSFER_IN = "transfer_in"  # 接受移送: from receiving the transferred case


class JoinCapacity(StrEnum):
    """As what an added party joins the arbitration."""

    APPLICANT = "applicant"  # a co-applicant
    RESPONDENT = "respondent"  # a co-respondent (e.g. the user unit of a dispatched worker)
    THIRD_PARTY = "third_party"  # 第三人 with an interest in the outcome


class HearingState(StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"


class Finality(StrEnum):
    FINAL = "final"
    NON_FINAL = "non_final"


class LawsuitKind(StrEnum):
    LAWSUIT = "lawsuit"
    REVOCATION = "revocation"


class Litigant(StrEnum):
    WORKER = "worker"
    EMPLOYER = "employer"


class LawsuitState(StrEnum):
    FILED = "filed"
    FIRST_INSTANCE = "first_instance"
    JUDGED = "judged"
    APPEAL = "appeal"
    SECOND_INSTANCE = "second_instance"
    CLOSED = "closed"
    REVOCATION_APPLIED = "revocation_applied"
    UPHELD = "upheld"
    REVOKED = "revoked"


LAWSUIT_STATES = frozenset(
    {
        LawsuitState.FILED,
        LawsuitState.FIRST_INSTANCE,
        LawsuitState.JUDGED,
        LawsuitState.APPEAL,
        LawsuitState.SECOND_INSTANCE,
        LawsuitState.CLOSED,
    }
)
REVOCATION_STATES = frozenset({LawsuitState.REVOCATION_APPLIED, LawsuitState.UPHELD, LawsuitState.REVOKED})
LITIGATION_OPEN = frozenset(
    {
        LawsuitState.FILED,
        LawsuitState.FIRST_INSTANCE,
        LawsuitState.JUDGED,
        LawsuitState.APPEAL,
        LawsuitState.SECOND_INSTANCE,
        LawsuitState.REVOCATION_APPLIED,
    }
)


class CourtOutcome(StrEnum):
    JUDGMENT = "judgment"
    COURT_MEDIATION = "court_mediation"
    WITHDRAWAL = "withdrawal"


class ItemRuling(StrEnum):
    """What the court made of one item of the award (裁审衔接): kept (维持), changed (改判), set aside (撤销), settled
    in court (调解), or the suit withdrawn (撤诉)."""

    UPHELD = "upheld"
    CHANGED = "changed"
    REVOKED = "revoked"
    MEDIATED = "mediated"
    WITHDRAWN = "withdrawn"


DIFFERENT_RULINGS = frozenset({ItemRuling.CHANGED, ItemRuling.REVOKED})  # the court decided otherwise (撤裁改裁)


class CourtProcedure(StrEnum):
    ORDINARY = "ordinary"
    SIMPLIFIED = "simplified"
    SMALL_CLAIMS = "small_claims"


def sql_in(column: str, states) -> str:
    """`column IN ('a', 'b')` for a check constraint over a group of states."""
    return f"{column} IN ({', '.join(repr(s.value) for s in sorted(states))})"
