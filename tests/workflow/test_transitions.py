"""The transition table, exhaustively: every state of every track × every step of that track.

Each row below says, for one step and each state of its track (columns in the order given),
what happens when a supervisor (who holds every non-opening step) tries it on a case
driven to that state through the real operations:
  ok  allowed
  Y   refused: the track has not got there yet (the step's own "not yet" message)
  E   refused: the state ends or blocks the track (the state's own message)
  D   refused: already done
  G   refused by a guard (the step's guard message in that situation)
  N   refused: not possible in this state (the generic message)
The roles are checked separately below, from the table in domain.md.
"""

import pytest

from disputes import organisation
from disputes.i18n import DomainError
from disputes.models import CaseAssignment, Role
from disputes.workflow.actions import DONE_ALREADY, NOT_NOW, refusal, role_refusal
from disputes.workflow.states import ArbitrationState as A
from disputes.workflow.states import LawsuitState as L
from disputes.workflow.states import LegalAidState as LA
from disputes.workflow.states import MediationState as M
from disputes.workflow.states import Track
from disputes.workflow.tracks import ACTIONS, TRACK_RULES
from tests.drive import Driver

MEDIATION_STATES = [M.APPLIED, M.ACCEPTED, M.IN_SESSION, M.AGREEMENT, M.FAILED, M.WITHDRAWN, M.LAPSED]
LEGAL_AID_STATES = [
    LA.APPLIED,
    LA.MATERIALS_REQUESTED,
    LA.GRANTED,
    LA.REFUSED,
    LA.OBJECTION,
    LA.REFUSAL_UPHELD,
    LA.ASSIGNED,
    LA.CLOSED,
]
ARBITRATION_STATES = [
    A.RECEIVED,
    A.CORRECTION_REQUESTED,
    A.REFUSED,
    A.ACCEPTED,
    A.SERVED,
    A.TRIBUNAL_FORMED,
    A.HEARD,
    A.CLOSING,
    A.CLOSED,
]
LAWSUIT_STATES = [
    L.FILED,
    L.FIRST_INSTANCE,
    L.JUDGED,
    L.APPEAL,
    L.SECOND_INSTANCE,
    L.CLOSED,
    L.REVOCATION_APPLIED,
    L.UPHELD,
    L.REVOKED,
]

# fmt: off
TABLE = {
    #                                   app acc ses agr fai wdr lap
    "mediation.accept":               "ok  D   D   E   E   E   E",
    "mediation.log_session":          "Y   ok  ok  E   E   E   E",
    "mediation.agreement":            "Y   ok  ok  E   E   E   E",
    "mediation.fail":                 "Y   ok  ok  E   E   E   E",
    "mediation.withdraw":             "ok  ok  ok  E   E   E   E",
    "mediation.lapse":                "G   G   G   E   E   E   E",
    "mediation.performance":          "Y   Y   Y   ok  E   E   E",
    "mediation.request_confirmation": "Y   Y   Y   ok  E   E   E",
    "mediation.decide_confirmation":  "Y   Y   Y   G   E   E   E",
    #                                   app mat gra ref obj uph asg clo
    "legal_aid.request_materials":    "ok  Y   D   E   E   E   D   E",
    "legal_aid.materials_received":   "D   ok  D   E   E   E   D   E",
    "legal_aid.grant":                "ok  Y   D   E   E   E   D   E",
    "legal_aid.refuse":               "ok  Y   D   E   E   E   D   E",
    "legal_aid.assign":               "Y   Y   ok  E   E   E   D   E",
    "legal_aid.object":               "Y   Y   Y   ok  E   E   Y   E",
    "legal_aid.uphold_refusal":       "Y   Y   Y   E   ok  E   Y   E",
    "legal_aid.overturn_refusal":     "Y   Y   Y   E   ok  E   Y   E",
    "legal_aid.close":                "Y   Y   ok  E   E   E   ok  E",
    #                                    rcv cor ref acc srv trb hrd cls cld
    "arbitration.request_correction":  "ok  Y   E   D   D   D   D   E   E",
    "arbitration.corrected":           "D   ok  E   D   D   D   D   E   E",
    "arbitration.correction_lapsed":   "D   ok  E   D   D   D   D   E   E",
    "arbitration.accept":              "ok  Y   E   D   D   D   D   E   E",
    "arbitration.refuse":              "ok  Y   E   D   D   D   D   E   E",
    "arbitration.serve_respondent":    "Y   Y   E   ok  D   D   D   E   E",
    "arbitration.defence":             "Y   Y   E   Y   ok  ok  ok  E   E",
    "arbitration.serve_defence":       "Y   Y   E   Y   G   G   G   E   E",
    "arbitration.form_tribunal":       "Y   Y   E   Y   ok  D   D   E   E",
    "arbitration.tribunal_notice":     "Y   Y   E   Y   Y   ok  ok  E   E",
    "arbitration.schedule_hearing":    "Y   Y   E   Y   Y   ok  ok  E   E",
    "arbitration.hearing_notice":      "Y   Y   E   Y   Y   G   G   E   E",
    "arbitration.postpone_hearing":    "Y   Y   E   Y   Y   G   G   E   E",
    "arbitration.hold_hearing":        "Y   Y   E   Y   Y   ok  ok  E   E",  # also held without scheduling
    "arbitration.simplify":            "Y   Y   E   ok  ok  ok  ok  E   E",
    "arbitration.pre_hearing_mediation": "Y Y   E   ok  ok  ok  ok  E   E",
    "arbitration.advance_execution":   "Y   Y   E   ok  ok  ok  ok  E   E",
    "arbitration.request_suspension":  "Y   Y   E   ok  ok  ok  ok  E   E",
    "arbitration.approve_suspension":  "Y   Y   E   G   G   G   G   E   E",
    "arbitration.reject_suspension":   "Y   Y   E   G   G   G   G   E   E",
    "arbitration.resume":              "Y   Y   E   G   G   G   G   E   E",
    "arbitration.request_extension":   "Y   Y   E   ok  ok  ok  ok  E   E",
    "arbitration.add_party":           "Y   Y   E   ok  ok  ok  ok  E   E",
    "arbitration.change_claims":       "Y   Y   E   ok  ok  ok  ok  E   E",
    "arbitration.counter_claim":       "Y   Y   E   ok  ok  ok  ok  E   E",
    "arbitration.transfer_in":         "Y   Y   E   ok  ok  ok  ok  E   E",
    "arbitration.approve_extension":   "Y   Y   E   G   G   G   G   E   E",
    "arbitration.reject_extension":    "Y   Y   E   G   G   G   G   E   E",
    "arbitration.record_award":        "Y   Y   E   Y   Y   Y   ok  E   E",
    "arbitration.partial_award":       "Y   Y   E   Y   Y   Y   ok  E   E",
    "arbitration.request_closure":     "Y   Y   E   ok  ok  ok  ok  E   E",
    "arbitration.approve_closure":     "Y   Y   E   Y   Y   Y   Y   ok  E",
    "arbitration.reject_closure":      "Y   Y   E   Y   Y   Y   Y   ok  E",
    "arbitration.serve_award":         "Y   Y   E   Y   Y   Y   Y   E   ok",
    #                                   fil fst jdg apl sec clo rev uph rvk
    "litigation.docket":              "ok  D   D   D   D   E   E   E   E",
    "litigation.judge":               "Y   ok  D   D   D   E   E   E   E",
    "litigation.appeal":              "Y   Y   ok  D   D   E   E   E   E",
    "litigation.second_instance":     "Y   Y   Y   ok  D   E   E   E   E",
    "litigation.close":               "Y   Y   ok  N   ok  E   E   E   E",
    "litigation.uphold_award":        "Y   Y   Y   Y   Y   E   ok  E   E",
    "litigation.revoke_award":        "Y   Y   Y   Y   Y   E   ok  E   E",
    "litigation.serve_judgment":      "Y   Y   ok  D   D   E   E   E   E",
    "litigation.extend_first_instance": "Y ok  D   D   D   E   E   E   E",
    "litigation.receive_revocation_ruling": "Y Y Y Y  Y   E   G   E   ok",
    "litigation.record_item_results": "Y   Y   ok  ok  ok  ok  E   ok  ok",
}
# fmt: on

STATES = {
    Track.MEDIATION: MEDIATION_STATES,
    Track.LEGAL_AID: LEGAL_AID_STATES,
    Track.ARBITRATION: ARBITRATION_STATES,
    Track.LITIGATION: LAWSUIT_STATES,
}

# The guard that refuses a step in the situation the driver leaves the case in.
GUARD_MESSAGES = {
    "mediation.lapse": "The 15 days of mediation run until %(date)s; it has not lapsed.",
    "mediation.decide_confirmation": "No review or confirmation request is waiting for a result.",
    "arbitration.serve_defence": "No defence has been received.",
    "arbitration.hearing_notice": "No hearing is scheduled.",
    "arbitration.postpone_hearing": "No hearing is scheduled.",
    "arbitration.approve_suspension": "No suspension request is waiting for approval.",
    "arbitration.reject_suspension": "No suspension request is waiting for approval.",
    "arbitration.resume": "The case is not suspended.",
    "arbitration.approve_extension": "No extension request is waiting for approval.",
    "arbitration.reject_extension": "No extension request is waiting for approval.",
    "litigation.receive_revocation_ruling": "The court has not revoked the award.",
}
# What each step says when the track has not reached it yet.
NOT_YET = {
    "mediation": "The mediation has not been accepted yet.",
    "mediation.performance": "No agreement has been recorded.",
    "mediation.request_confirmation": "No agreement has been recorded.",
    "mediation.decide_confirmation": "No agreement has been recorded.",
    "legal_aid.request_materials": "The requested materials have not arrived yet.",
    "legal_aid.grant": "The requested materials have not arrived yet.",
    "legal_aid.refuse": "The requested materials have not arrived yet.",
    "legal_aid.assign": "Legal aid has not been granted yet.",
    "legal_aid.close": "Legal aid has not been granted yet.",
    "legal_aid.object": "The application has not been refused.",
    "legal_aid.uphold_refusal": "No objection has been lodged.",
    "legal_aid.overturn_refusal": "No objection has been lodged.",
    "arbitration.request_correction": "The application is waiting for corrected materials.",
    "arbitration.accept": "The application is waiting for corrected materials.",
    "arbitration.refuse": "The application is waiting for corrected materials.",
    "arbitration.serve_respondent": "The application has not been accepted yet.",
    "arbitration.defence": "The respondent has not been served yet.",
    "arbitration.serve_defence": "The respondent has not been served yet.",
    "arbitration.form_tribunal": "The respondent has not been served yet.",
    "arbitration.record_award": "No hearing has been held yet.",
    "arbitration.partial_award": "No hearing has been held yet.",
    "arbitration.approve_closure": "No closure has been requested.",
    "arbitration.reject_closure": "No closure has been requested.",
    "arbitration.serve_award": "The arbitration has not been closed yet.",
    "arbitration.running": "The application has not been accepted yet.",
    "arbitration.hearings": "The tribunal has not been formed yet.",
    "litigation.judge": "The court has not filed the case yet.",
    "litigation.appeal": "The first instance has not ended yet.",
    "litigation.second_instance": "No appeal has been recorded.",
    "litigation.close": "The first instance has not ended yet.",
    "litigation.uphold_award": "This is a lawsuit, not an application to revoke an award.",
    "litigation.revoke_award": "This is a lawsuit, not an application to revoke an award.",
    "litigation.serve_judgment": "The first instance has not ended yet.",
    "litigation.extend_first_instance": "The court has not filed the case yet.",
    "litigation.receive_revocation_ruling": "This is a lawsuit, not an application to revoke an award.",
    "litigation.record_item_results": "The first instance has not ended yet.",
}
HEARING_STEPS = {
    "arbitration.tribunal_notice",
    "arbitration.schedule_hearing",
    "arbitration.hearing_notice",
    "arbitration.postpone_hearing",
    "arbitration.hold_hearing",
}
RUNNING_STEPS = {
    "arbitration.simplify",
    "arbitration.pre_hearing_mediation",
    "arbitration.advance_execution",
    "arbitration.request_suspension",
    "arbitration.approve_suspension",
    "arbitration.reject_suspension",
    "arbitration.resume",
    "arbitration.request_extension",
    "arbitration.approve_extension",
    "arbitration.reject_extension",
    "arbitration.request_closure",
    "arbitration.add_party",
    "arbitration.change_claims",
    "arbitration.counter_claim",
    "arbitration.transfer_in",
}
# StrEnum members of different tracks compare equal by value ("refused", "closed"), so one dict per track.
ENDED = {
    Track.MEDIATION: {
        M.AGREEMENT: "The mediation ended with an agreement.",
        M.FAILED: "The mediation has failed and is over.",
        M.WITHDRAWN: "The mediation was withdrawn and is over.",
        M.LAPSED: "The mediation has lapsed and is over.",
    },
    Track.LEGAL_AID: {
        LA.REFUSED: "Legal aid was refused; the applicant may object.",
        LA.OBJECTION: "An objection to the refusal is pending.",
        LA.REFUSAL_UPHELD: "The refusal was upheld; the application is over.",
        LA.CLOSED: "The legal aid is closed.",
    },
    Track.ARBITRATION: {
        A.REFUSED: "The application was refused; the applicant may sue.",
        A.CLOSING: "The closure is waiting for a supervisor's approval.",
        A.CLOSED: "The arbitration is closed.",
    },
    Track.LITIGATION: {
        L.CLOSED: "The lawsuit is closed.",
        L.REVOCATION_APPLIED: "This is an application to revoke an award, not a lawsuit.",
        L.UPHELD: "The court upheld the award; the application is over.",
        L.REVOKED: "The court revoked the award; the application is over.",
    },
}


def not_yet_message(name: str) -> str:
    if name in NOT_YET:
        return NOT_YET[name]
    if name in HEARING_STEPS:
        return NOT_YET["arbitration.hearings"]
    if name in RUNNING_STEPS:
        return NOT_YET["arbitration.running"]
    return NOT_YET[name.split(".")[0]]


def expected(name: str, state, code: str) -> str | None:
    return {
        "ok": lambda: None,
        "Y": lambda: not_yet_message(name),
        "E": lambda: ENDED[ACTIONS[name].track][state],
        "D": lambda: DONE_ALREADY,
        "G": lambda: GUARD_MESSAGES[name],
        "N": lambda: NOT_NOW,
    }[code]()


def drive(db, org, case, track: Track, state):
    driver = Driver(db.session, org, case)
    return {
        Track.MEDIATION: driver.mediation,
        Track.LEGAL_AID: driver.legal_aid,
        Track.ARBITRATION: driver.arbitration,
        Track.LITIGATION: driver.lawsuit,
    }[track](state)


def test_table_covers_every_step_and_state():
    steps = {name for name, act in ACTIONS.items() if act.sources is not None and act.roles}
    assert set(TABLE) == steps
    for name, row in TABLE.items():
        assert len(row.split()) == len(STATES[ACTIONS[name].track]), name
    for track, states in STATES.items():
        assert set(states) == set(TRACK_RULES[track].rank), track


CELLS = [(track, index, state) for track, states in STATES.items() for index, state in enumerate(states)]


@pytest.mark.parametrize(("track", "index", "state"), CELLS, ids=[f"{t.value}-{s.value}" for t, _i, s in CELLS])
def test_every_step_in_every_state(db, org, make_case, track, index, state):
    case = make_case()
    row = drive(db, org, case, track, state)
    db.session.commit()
    assert row.state == state
    supervisor = org.user(Role.SUPERVISOR)
    for name, codes in TABLE.items():
        act = ACTIONS[name]
        if act.track != track:
            continue
        code = codes.split()[index]
        error = refusal(case, supervisor, act, row)
        want = expected(name, state, code)
        if want is None:
            assert error is None, f"{name} in {state}: refused with {error}"
        else:
            assert isinstance(error, DomainError), f"{name} in {state}: allowed, expected {want!r}"
            assert error.message == want, f"{name} in {state}"


# Roles, from the table in domain.md. `*` marks a principal assigned to the case in that role.
CLERK, MED, MED_A, LAO, LAW, LAW_A, ARB, ARB_A, COURT, SUP = (
    "clerk",
    "mediator",
    "mediator*",
    "legal_aid_officer",
    "lawyer",
    "lawyer*",
    "arbitrator",
    "arbitrator*",
    "court_liaison",
    "supervisor",
)
ROLE_GROUPS = [
    ({"mediation.open"}, {CLERK, MED, MED_A, ARB, ARB_A, SUP}),
    ({"mediation.accept"}, {CLERK, MED, MED_A, SUP}),
    ({n for n in ACTIONS if n.startswith("mediation.")} - {"mediation.open", "mediation.accept"}, {MED_A, SUP}),
    ({"legal_aid.apply", "legal_aid.materials_received"}, {CLERK, LAO, SUP}),
    (
        {n for n in ACTIONS if n.startswith("legal_aid.")} - {"legal_aid.apply", "legal_aid.materials_received"},
        {LAO, SUP},
    ),
    ({"arbitration.receive"}, {CLERK, ARB, ARB_A, SUP}),
    (
        {
            "arbitration.request_correction",
            "arbitration.corrected",
            "arbitration.correction_lapsed",
            "arbitration.accept",
            "arbitration.refuse",
            "arbitration.form_tribunal",
        },
        {CLERK, SUP},
    ),
    (
        {
            "arbitration.serve_respondent",
            "arbitration.defence",
            "arbitration.serve_defence",
            "arbitration.tribunal_notice",
            "arbitration.schedule_hearing",
            "arbitration.hearing_notice",
            "arbitration.postpone_hearing",
            "arbitration.hold_hearing",
            "arbitration.serve_award",
        },
        {CLERK, ARB_A, SUP},
    ),
    (
        {
            "arbitration.simplify",
            "arbitration.pre_hearing_mediation",
            "arbitration.advance_execution",
            "arbitration.request_closure",
            "arbitration.request_suspension",
            "arbitration.resume",
            "arbitration.request_extension",
            "arbitration.record_award",
            "arbitration.partial_award",
            "arbitration.add_party",
            "arbitration.change_claims",
            "arbitration.counter_claim",
            "arbitration.transfer_in",
        },
        {ARB_A, SUP},
    ),
    (
        {
            "arbitration.approve_suspension",
            "arbitration.reject_suspension",
            "arbitration.approve_extension",
            "arbitration.reject_extension",
            "arbitration.approve_closure",
            "arbitration.reject_closure",
        },
        {SUP},
    ),
    ({"arbitration.award_effective", "arbitration.sue_periods_ended", "litigation.sue_period_lapsed"}, set()),
    (
        {n for n in ACTIONS if n.startswith("litigation.")}
        - {"litigation.sue_period_lapsed", "litigation.record_item_results"},
        {CLERK, ARB, ARB_A, COURT, SUP},
    ),
    ({"litigation.record_item_results"}, {COURT, SUP}),  # from the judgment: not the arbitrator it judged
]
EXPECTED_ROLES = {name: roles for names, roles in ROLE_GROUPS for name in names}


def test_role_table_covers_every_action():
    assert set(EXPECTED_ROLES) == set(ACTIONS)


@pytest.fixture
def seen_by_all(db, org, make_case):
    """A case every principal can read: tracks at the committee, commission and legal-aid centre."""
    case = make_case()
    driver = Driver(db.session, org, case)
    driver.arbitration(A.REFUSED)
    driver.mediation(M.APPLIED)
    driver.legal_aid(LA.APPLIED)
    principals = {role.value: org.user(role) for role in Role if role != Role.ADMIN}
    for role, home in (
        (Role.MEDIATOR, org.mediation),
        (Role.ARBITRATOR, org.arbitration),
        (Role.LAWYER, org.legal_aid),
    ):
        user = organisation.add_user(db.session, f"{role.value}-assigned", "指派", [role], home, "correct-horse-42")
        case.assignments.append(CaseAssignment(user=user, role=role))
        principals[f"{role.value}*"] = user
    db.session.commit()
    return case, principals


def test_roles_for_every_action(seen_by_all):
    case, principals = seen_by_all
    for name, act in ACTIONS.items():
        for who, user in principals.items():
            error = role_refusal(case, user, act)
            if who == LAW:
                assert error.message == "You cannot see this case.", (name, who)
            elif who in EXPECTED_ROLES[name]:
                assert error is None, (name, who, error)
            else:
                assert error is not None, (name, who)
                want = (
                    "Only someone assigned to this case may do this."
                    if f"{who}*" in EXPECTED_ROLES[name]
                    else "Your role does not allow this step."
                )
                assert error.message == want, (name, who)


def test_admin_cannot_see_cases(seen_by_all, org):
    case, _ = seen_by_all
    for act in ACTIONS.values():
        assert role_refusal(case, org.user(Role.ADMIN), act).message == "You cannot see this case."
