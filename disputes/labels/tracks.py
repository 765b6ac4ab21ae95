"""Translated labels for the tracks' stored values; merged into `labels.LABELS`."""
from flask_babel import lazy_gettext as _l

from disputes.workflow.states import (
    Approval,
    ArbitrationState,
    ClosureType,
    ConfirmationKind,
    ConfirmationResult,
    CourtOutcome,
    CourtProcedure,
    Finality,
    HearingState,
    JoinCapacity,
    LawsuitKind,
    LawsuitState,
    LegalAidClosure,
    LegalAidState,
    Litigant,
    MediationState,
    Performance,
    RefusalGround,
    RestartKind,
    SessionOutcome,
    SuspensionGround,
    Track,
    TribunalKind,
    TribunalSeat,
)

TRACK_LABELS = {
    Track: {
        Track.MEDIATION: _l("Mediation"), Track.LEGAL_AID: _l("Legal aid"),
        Track.ARBITRATION: _l("Arbitration"), Track.LITIGATION: _l("Litigation"),
    },
    MediationState: {
        MediationState.APPLIED: _l("Applied"), MediationState.ACCEPTED: _l("Accepted"),
        MediationState.IN_SESSION: _l("In session"), MediationState.AGREEMENT: _l("Agreement reached"),
        MediationState.FAILED: _l("Failed"), MediationState.WITHDRAWN: _l("Withdrawn"),
        MediationState.LAPSED: _l("Lapsed"),
    },
    SessionOutcome: {
        SessionOutcome.CONTINUE: _l("Continue"), SessionOutcome.AGREEMENT: _l("Agreement"),
        SessionOutcome.PARTIAL: _l("Partial agreement"), SessionOutcome.FAILED: _l("Failed"),
    },
    Performance: {
        Performance.PENDING: _l("Not yet due"), Performance.PERFORMED: _l("Performed"),
        Performance.PARTLY_PERFORMED: _l("Partly performed"), Performance.DEFAULTED: _l("Defaulted"),
    },
    ConfirmationKind: {
        ConfirmationKind.ARBITRAL_REVIEW: _l("Arbitral review"),
        ConfirmationKind.COURT_CONFIRMATION: _l("Court confirmation"),
    },
    ConfirmationResult: {
        ConfirmationResult.PENDING: _l("Pending"), ConfirmationResult.CONFIRMED: _l("Confirmed"),
        ConfirmationResult.REFUSED: _l("Not confirmed"),
    },
    LegalAidState: {
        LegalAidState.APPLIED: _l("Applied"), LegalAidState.MATERIALS_REQUESTED: _l("Materials requested"),
        LegalAidState.GRANTED: _l("Granted"), LegalAidState.REFUSED: _l("Aid refused"),
        LegalAidState.OBJECTION: _l("Objection lodged"), LegalAidState.REFUSAL_UPHELD: _l("Refusal upheld"),
        LegalAidState.ASSIGNED: _l("Lawyer assigned"), LegalAidState.CLOSED: _l("Closed"),
    },
    LegalAidClosure: {LegalAidClosure.COMPLETED: _l("Completed"), LegalAidClosure.TERMINATED: _l("Aid terminated")},
    ArbitrationState: {
        ArbitrationState.RECEIVED: _l("Application received"), ArbitrationState.CORRECTION_REQUESTED: _l("Correction requested"),
        ArbitrationState.REFUSED: _l("Not accepted"), ArbitrationState.ACCEPTED: _l("Accepted"),
        ArbitrationState.SERVED: _l("Respondent served"), ArbitrationState.TRIBUNAL_FORMED: _l("Tribunal formed"),
        ArbitrationState.HEARD: _l("Heard"), ArbitrationState.CLOSING: _l("Closure awaiting approval"),
        ArbitrationState.CLOSED: _l("Closed"),
    },
    ClosureType: {
        ClosureType.MEDIATION_STATEMENT: _l("Mediation statement"), ClosureType.AWARD: _l("Award"),
        ClosureType.WITHDRAWN: _l("Withdrawn"), ClosureType.DEEMED_WITHDRAWN: _l("Deemed withdrawn"),
        ClosureType.TERMINATED: _l("Terminated"), ClosureType.TRANSFERRED: _l("Transferred"),
    },
    TribunalKind: {TribunalKind.SOLE: _l("Sole arbitrator"), TribunalKind.THREE_MEMBER: _l("Three-member tribunal")},
    TribunalSeat: {
        TribunalSeat.SOLE: _l("Sole arbitrator"), TribunalSeat.PRESIDING: _l("Presiding arbitrator"),
        TribunalSeat.MEMBER: _l("Arbitrator"),
    },
    SuspensionGround: {
        SuspensionGround.PARTY_DIED: _l("A party died"),
        SuspensionGround.LOST_CAPACITY: _l("A party lost legal capacity"),
        SuspensionGround.EMPLOYER_DISSOLVED: _l("Employer dissolved without a successor"),
        SuspensionGround.FORCE_MAJEURE: _l("Force majeure"),
        SuspensionGround.DEPENDS_ON_OTHER_CASE: _l("Depends on the outcome of another case"),
        SuspensionGround.AWAITING_DETERMINATION: _l("Awaiting a work-injury or disability determination or appraisal"),
        SuspensionGround.OTHER: _l("Other"),
    },
    RefusalGround: {
        RefusalGround.NOT_LABOUR_DISPUTE: _l("Not a labour or personnel dispute"),
        RefusalGround.IMPROPER_PARTY: _l("The applicant is not a proper party, or no definite respondent"),
        RefusalGround.NO_CLEAR_CLAIM: _l("No definite claim with facts and reasons"),
        RefusalGround.NO_JURISDICTION: _l("Outside this commission's jurisdiction"),
        RefusalGround.OTHER: _l("Other"),
    },
    Approval: {Approval.REQUESTED: _l("Awaiting approval"), Approval.APPROVED: _l("Approved"),
               Approval.REJECTED: _l("Rejected")},
    HearingState: {
        HearingState.SCHEDULED: _l("Scheduled"), HearingState.HELD: _l("Held"),
        HearingState.POSTPONED: _l("Postponed"), HearingState.CANCELLED: _l("Cancelled"),
    },
    Finality: {Finality.FINAL: _l("Final"), Finality.NON_FINAL: _l("Non-final")},
    LawsuitKind: {LawsuitKind.LAWSUIT: _l("Lawsuit"), LawsuitKind.REVOCATION: _l("Application to revoke an award")},
    Litigant: {Litigant.WORKER: _l("Worker"), Litigant.EMPLOYER: _l("Employer")},
    LawsuitState: {
        LawsuitState.FILED: _l("Filed"), LawsuitState.FIRST_INSTANCE: _l("First instance"),
        LawsuitState.JUDGED: _l("Decided at first instance"), LawsuitState.APPEAL: _l("Appealed"),
        LawsuitState.SECOND_INSTANCE: _l("Second instance"), LawsuitState.CLOSED: _l("Closed"),
        LawsuitState.REVOCATION_APPLIED: _l("Revocation applied for"), LawsuitState.UPHELD: _l("Award upheld"),
        LawsuitState.REVOKED: _l("Award revoked"),
    },
    CourtOutcome: {
        CourtOutcome.JUDGMENT: _l("Judgment"), CourtOutcome.COURT_MEDIATION: _l("Court mediation"),
        CourtOutcome.WITHDRAWAL: _l("Withdrawal"),
    },
    CourtProcedure: {
        CourtProcedure.ORDINARY: _l("Court: ordinary procedure"),
        CourtProcedure.SIMPLIFIED: _l("Court: simplified procedure"),
        CourtProcedure.SMALL_CLAIMS: _l("Court: small claims"),
    },
    RestartKind: {
        RestartKind.ADD_PARTY: _l("Party added"), RestartKind.CHANGE_CLAIMS: _l("Claims added or changed"),
        RestartKind.COUNTER_CLAIM: _l("Counter-claim heard together"),
        RestartKind.TRANSFER_IN: _l("Received by transfer"),
    },
    JoinCapacity: {
        JoinCapacity.APPLICANT: _l("Co-applicant"), JoinCapacity.RESPONDENT: _l("Co-respondent"),
        JoinCapacity.THIRD_PARTY: _l("Third party"),
    },
}
