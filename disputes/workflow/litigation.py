"""Litigation as the centre tracks it (裁审衔接): lawsuits after arbitration and applications to revoke final awards."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock
from disputes.i18n import N_, DomainError
from disputes.models import Award, Case, CourtItemResult, Lawsuit, LawsuitExtension, Role, User
from disputes.workflow.actions import TRACK_RULES, TrackRules, action, begin, checked_date, finish
from disputes.workflow.progress import SUE_AFTER_REVOCATION, suing_after_revocation
from disputes.workflow.states import (
    LITIGATION_OPEN,
    ArbitrationState,
    CaseStatus,
    ClosureType,
    CourtOutcome,
    CourtProcedure,
    Finality,
    ItemRuling,
    LawsuitKind,
    LawsuitState,
    Litigant,
    Track,
)

S = LawsuitState
R = Role
RECORDERS = (R.CLERK, R.ARBITRATOR, R.COURT_LIAISON, R.SUPERVISOR)

TRACK_RULES[Track.LITIGATION] = TrackRules(
    rank={
        S.FILED: 0,
        S.FIRST_INSTANCE: 1,
        S.JUDGED: 2,
        S.APPEAL: 3,
        S.SECOND_INSTANCE: 4,
        S.CLOSED: 5,
        S.REVOCATION_APPLIED: 10,
        S.UPHELD: 11,
        S.REVOKED: 11,
    },
    not_yet={
        S.FIRST_INSTANCE: N_("The court has not filed the case yet."),
        S.JUDGED: N_("The first instance has not ended yet."),
        S.APPEAL: N_("No appeal has been recorded."),
        S.SECOND_INSTANCE: N_("The appeal court has not filed the case yet."),
        S.REVOCATION_APPLIED: N_("This is a lawsuit, not an application to revoke an award."),
    },
    ended={
        S.CLOSED: N_("The lawsuit is closed."),
        S.REVOCATION_APPLIED: N_("This is an application to revoke an award, not a lawsuit."),
        S.UPHELD: N_("The court upheld the award; the application is over."),
        S.REVOKED: N_("The court revoked the award; the application is over."),
    },
    absent=N_("Choose a lawsuit of this case."),
    present=N_("This lawsuit is already recorded."),
)


COURT_AFTER = frozenset({ClosureType.AWARD, ClosureType.TERMINATED})  # with a refusal to accept (Law Art 29, 48, 50)


def _arbitration_decided(case: Case, _row) -> DomainError | None:
    arbitration = case.arbitration
    if arbitration is None or arbitration.state not in (ArbitrationState.CLOSED, ArbitrationState.REFUSED):
        return DomainError(N_("There is no arbitration decision to go to court against yet."))
    if arbitration.state == ArbitrationState.CLOSED and arbitration.closure_type not in COURT_AFTER:
        return DomainError(
            N_("The arbitration ended without an award or a refusal; there is nothing to take to court.")
        )
    return None


def _has_final_award(case: Case, _row) -> DomainError | None:
    if case.arbitration is None or not any(a.finality == Finality.FINAL for a in case.arbitration.awards):
        return DomainError(N_("Only a final award can be the subject of an application to revoke."))
    challenged = {s.award_id for s in case.lawsuits if s.kind == LawsuitKind.REVOCATION}
    if all(a.id in challenged for a in case.arbitration.awards if a.finality == Finality.FINAL):
        return DomainError(N_("An application to revoke this award is already recorded."))
    return None


def _judgment_to_appeal(case: Case, row: Lawsuit) -> DomainError | None:
    if row.outcome != CourtOutcome.JUDGMENT:
        return DomainError(N_("Only a judgment can be appealed; court mediation and withdrawal end the case."))
    if row.procedure == CourtProcedure.SMALL_CLAIMS:
        return DomainError(
            N_("A small-claims judgment is final at first instance (CPL Art 165): it cannot be appealed.")
        )
    return None


def _extension_approved(row: Lawsuit, _subject) -> date | None:
    return row.extensions[-1].approved_on if row.extensions else None


def _judgment_to_serve(case: Case, row: Lawsuit) -> DomainError | None:
    if row.judgment_served_on is not None:
        return DomainError(N_("The service of the judgment is already recorded."))
    return None


def _ruling_to_receive(case: Case, row: Lawsuit) -> DomainError | None:
    if row.state != S.REVOKED:
        return DomainError(N_("The court has not revoked the award."))
    if row.ruling_received_on is not None:
        return DomainError(N_("The receipt of the ruling is already recorded."))
    return None


FILE = action(
    "litigation.file",
    Track.LITIGATION,
    None,
    S.FILED,
    RECORDERS,
    guards=(_arbitration_decided,),
    required=("plaintiff", "court", "filed_on"),
    dated_by="filed_on",
    label=N_("Record a lawsuit"),
)
DOCKET = action(
    "litigation.docket",
    Track.LITIGATION,
    {S.FILED},
    S.FIRST_INSTANCE,
    RECORDERS,
    required=("court_case_no", "docketed_on", "procedure"),
    dated_by="docketed_on",
    label=N_("Court filed the case"),
)
JUDGE = action(
    "litigation.judge",
    Track.LITIGATION,
    {S.FIRST_INSTANCE},
    S.JUDGED,
    RECORDERS,
    required=("outcome", "judged_on"),
    dated_by="judged_on",
    label=N_("Record the first-instance result"),
)
APPEAL = action(
    "litigation.appeal",
    Track.LITIGATION,
    {S.JUDGED},
    S.APPEAL,
    RECORDERS,
    guards=(_judgment_to_appeal,),
    required=("appellant", "appealed_on"),
    dated_by="appealed_on",
    label=N_("Record an appeal"),
)
SECOND_INSTANCE = action(
    "litigation.second_instance",
    Track.LITIGATION,
    {S.APPEAL},
    S.SECOND_INSTANCE,
    RECORDERS,
    required=("appeal_case_no",),
    dated_by="appealed_on",
    label=N_("Appeal court filed the case"),
)
CLOSE = action(
    "litigation.close",
    Track.LITIGATION,
    {S.JUDGED, S.SECOND_INSTANCE},
    S.CLOSED,
    RECORDERS,
    dated_by="closed_on",
    label=N_("Record the lawsuit as finished"),
)
APPLY_REVOCATION = action(
    "litigation.apply_revocation",
    Track.LITIGATION,
    None,
    S.REVOCATION_APPLIED,
    RECORDERS,
    guards=(_has_final_award,),
    required=("court", "filed_on"),
    dated_by="filed_on",
    label=N_("Record an application to revoke the final award"),
)
UPHOLD = action(
    "litigation.uphold_award",
    Track.LITIGATION,
    {S.REVOCATION_APPLIED},
    S.UPHELD,
    RECORDERS,
    required=("decided_on",),
    dated_by="closed_on",
    label=N_("Court upheld the award"),
)
REVOKE = action(
    "litigation.revoke_award",
    Track.LITIGATION,
    {S.REVOCATION_APPLIED},
    S.REVOKED,
    RECORDERS,
    required=("decided_on",),
    dated_by="closed_on",
    label=N_("Court revoked the award"),
)
SERVE_JUDGMENT = action(
    "litigation.serve_judgment",
    Track.LITIGATION,
    {S.JUDGED},
    None,
    RECORDERS,
    guards=(_judgment_to_serve,),
    required=("served_on",),
    dated_by="judgment_served_on",
    label=N_("Record the judgment served"),
)
RECEIVE_RULING = action(
    "litigation.receive_revocation_ruling",
    Track.LITIGATION,
    {S.REVOCATION_APPLIED, S.REVOKED},
    None,
    RECORDERS,
    guards=(_ruling_to_receive,),
    required=("received_on",),
    dated_by="ruling_received_on",
    label=N_("Record the revocation ruling received"),
)
EXTEND_FIRST_INSTANCE = action(
    "litigation.extend_first_instance",
    Track.LITIGATION,
    {S.FIRST_INSTANCE},
    None,
    RECORDERS,
    required=("months", "approved_on", "approver"),
    dated_by=_extension_approved,
    label=N_("Record an extension of the first instance"),
)

# Who copies the court's results from the judgment (docs/decisions.md, "Court outcomes"): the court-liaison officer,
# whose desk follows the court's cases, and the supervisor who stands in for them; not the arbitrator whose award
# the court judged.
RESULT_RECORDERS = (R.COURT_LIAISON, R.SUPERVISOR)
DECIDED = {S.JUDGED, S.APPEAL, S.SECOND_INSTANCE, S.CLOSED, S.UPHELD, S.REVOKED}
RECORD_RESULTS = action(
    "litigation.record_item_results",
    Track.LITIGATION,
    DECIDED,
    None,
    RESULT_RECORDERS,
    required=("decided_on",),
    label=N_("Record the court's result per item"),
)

# CPL Art 152, 164, 168: how many months the court's president may add to the first instance; only the ordinary
# procedure can be extended further, by the higher court (Art 152).
PRESIDENT_EXTENSION_MONTHS = {CourtProcedure.ORDINARY: 6, CourtProcedure.SIMPLIFIED: 1, CourtProcedure.SMALL_CLAIMS: 1}


def _award(case: Case, award_id: int | None) -> Award | None:
    if award_id is None:
        return None
    award = next((a for a in case.arbitration.awards if a.id == award_id), None) if case.arbitration else None
    if award is None:
        raise DomainError(N_("Choose an award of this case."), field="award_id")
    return award


def file_lawsuit(
    session: Session,
    case: Case,
    actor: User,
    *,
    plaintiff: Litigant | None,
    court: str,
    filed_on: date | None,
    award_id: int | None = None,
    court_case_no: str = "",
    expected_version: int | None = None,
) -> Lawsuit:
    begin(
        case,
        actor,
        FILE.name,
        None,
        expected_version=expected_version,
        plaintiff=plaintiff,
        court=court,
        filed_on=filed_on,
    )
    award = _award(case, award_id)
    if award is None and any(not a.partial for a in case.arbitration.awards):
        # Otherwise an employer could sue against a final award by leaving the award out.
        raise DomainError(N_("Choose the award the lawsuit is against."), field="award_id")
    if award is not None and award.finality == Finality.FINAL and plaintiff == Litigant.EMPLOYER:
        raise DomainError(
            N_("An employer cannot sue against a final award; record an application to revoke it."), field="plaintiff"
        )
    checked_date(filed_on, "filed_on", not_before=case.arbitration.refused_on or case.arbitration.closed_on)
    lawsuit = Lawsuit(
        case=case,
        kind=LawsuitKind.LAWSUIT,
        state=S.FILED,
        plaintiff=plaintiff,
        court=court.strip(),
        court_case_no=court_case_no.strip() or None,
        award=award,
        filed_on=filed_on,
    )
    session.add(lawsuit)
    finish(
        session,
        case,
        actor,
        FILE,
        lawsuit,
        after={"plaintiff": plaintiff.value, "court": lawsuit.court, "award": award.number if award else None},
    )
    return lawsuit


def docket(
    session,
    case,
    actor,
    lawsuit: Lawsuit,
    *,
    court_case_no: str,
    docketed_on: date | None,
    procedure: CourtProcedure | None,
    expected_version=None,
) -> Lawsuit:
    begin(
        case,
        actor,
        DOCKET.name,
        lawsuit,
        expected_version=expected_version,
        court_case_no=court_case_no,
        docketed_on=docketed_on,
        procedure=procedure,
    )
    checked_date(docketed_on, "docketed_on", not_before=lawsuit.filed_on)
    lawsuit.court_case_no, lawsuit.docketed_on, lawsuit.procedure = court_case_no.strip(), docketed_on, procedure
    finish(session, case, actor, DOCKET, lawsuit, after={"court_case_no": lawsuit.court_case_no})
    return lawsuit


def judge(
    session,
    case,
    actor,
    lawsuit: Lawsuit,
    *,
    outcome: CourtOutcome | None,
    judged_on: date | None,
    summary: str = "",
    served_on: date | None = None,
    expected_version=None,
) -> Lawsuit:
    """The first-instance result; with `served_on`, a judgment's service on the parties too (one step each)."""
    begin(case, actor, JUDGE.name, lawsuit, expected_version=expected_version, outcome=outcome, judged_on=judged_on)
    checked_date(judged_on, "judged_on", not_before=lawsuit.docketed_on)
    if served_on is not None and outcome == CourtOutcome.JUDGMENT:
        checked_date(
            served_on,
            "served_on",
            not_before=judged_on,
            before_message=N_("The judgment cannot be served before it was given (%(date)s)."),
        )
    lawsuit.outcome, lawsuit.judged_on, lawsuit.judgment_summary = outcome, judged_on, summary.strip() or None
    finish(session, case, actor, JUDGE, lawsuit, reason=lawsuit.judgment_summary, after={"outcome": outcome.value})
    if outcome != CourtOutcome.JUDGMENT:
        # Court mediation and withdrawal end the lawsuit at once; there is nothing to appeal.
        lawsuit.closed_on = judged_on
        finish(session, case, actor, CLOSE, lawsuit)
    elif served_on is not None:
        serve_judgment(session, case, actor, lawsuit, served_on=served_on)
    return lawsuit


def serve_judgment(session, case, actor, lawsuit: Lawsuit, *, served_on: date | None, expected_version=None) -> Lawsuit:
    """CPL Art 171: the 15 days to appeal run from the judgment's service (on the last party it reached)."""
    begin(case, actor, SERVE_JUDGMENT.name, lawsuit, expected_version=expected_version, served_on=served_on)
    checked_date(
        served_on,
        "served_on",
        not_before=lawsuit.judged_on,
        before_message=N_("The judgment cannot be served before it was given (%(date)s)."),
    )
    lawsuit.judgment_served_on = served_on
    finish(session, case, actor, SERVE_JUDGMENT, lawsuit, after={"served_on": served_on.isoformat()})
    return lawsuit


def extend_first_instance(
    session,
    case,
    actor,
    lawsuit: Lawsuit,
    *,
    months: int | None,
    approved_on: date | None,
    approver: str,
    higher_court: bool = False,
    expected_version=None,
) -> LawsuitExtension:
    """An approved extension of the first instance: its months are added to the timer's nominal date. The court's
    president may add 6 months (ordinary), 1 (simplified, small claims); beyond that only the higher court, and only
    for the ordinary procedure (CPL Art 152, 164, 168)."""
    begin(
        case,
        actor,
        EXTEND_FIRST_INSTANCE.name,
        lawsuit,
        expected_version=expected_version,
        months=months,
        approved_on=approved_on,
        approver=(approver or "").strip(),
    )
    if months < 1:
        raise DomainError(N_("An extension is of one month or more."), field="months")
    checked_date(approved_on, "approved_on", not_before=lawsuit.docketed_on)
    procedure = lawsuit.procedure or CourtProcedure.ORDINARY
    by_president = PRESIDENT_EXTENSION_MONTHS[procedure]
    granted = sum(e.months for e in lawsuit.extensions if not e.higher_court)
    if higher_court:
        if procedure != CourtProcedure.ORDINARY:
            raise DomainError(
                N_("Only the ordinary procedure can be extended further by the higher court."), field="higher_court"
            )
        if granted < by_president:
            raise DomainError(
                N_("The higher court approves a further extension once the president's %(months)s months are used."),
                field="higher_court",
                months=by_president,
            )
    elif months > by_president - granted:
        raise DomainError(
            N_("The first instance can be extended by at most %(months)s more months."),
            field="months",
            months=by_president - granted,
        )
    extension = LawsuitExtension(
        months=months,
        approved_on=approved_on,
        approver=approver.strip(),
        higher_court=higher_court,
        recorded_by_id=getattr(actor, "id", None),
    )
    lawsuit.extensions.append(extension)
    finish(
        session,
        case,
        actor,
        EXTEND_FIRST_INSTANCE,
        lawsuit,
        reason=extension.approver,
        after={"months": months, "approved_on": approved_on.isoformat(), "higher_court": higher_court},
    )
    return extension


def appeal(
    session,
    case,
    actor,
    lawsuit: Lawsuit,
    *,
    appellant: Litigant | None,
    appealed_on: date | None,
    appeal_court: str = "",
    expected_version=None,
) -> Lawsuit:
    begin(
        case,
        actor,
        APPEAL.name,
        lawsuit,
        expected_version=expected_version,
        appellant=appellant,
        appealed_on=appealed_on,
    )
    checked_date(appealed_on, "appealed_on", not_before=lawsuit.judged_on)
    lawsuit.appellant, lawsuit.appealed_on = appellant, appealed_on
    lawsuit.appeal_court = appeal_court.strip() or None
    finish(session, case, actor, APPEAL, lawsuit, after={"appellant": appellant.value})
    return lawsuit


def second_instance(session, case, actor, lawsuit: Lawsuit, *, appeal_case_no: str, expected_version=None) -> Lawsuit:
    begin(case, actor, SECOND_INSTANCE.name, lawsuit, expected_version=expected_version, appeal_case_no=appeal_case_no)
    lawsuit.appeal_case_no = appeal_case_no.strip()
    finish(session, case, actor, SECOND_INSTANCE, lawsuit, after={"appeal_case_no": lawsuit.appeal_case_no})
    return lawsuit


def close_lawsuit(
    session,
    case,
    actor,
    lawsuit: Lawsuit,
    *,
    closed_on: date | None = None,
    second_outcome: CourtOutcome | None = None,
    summary: str = "",
    expected_version=None,
) -> Lawsuit:
    begin(case, actor, CLOSE.name, lawsuit, expected_version=expected_version)
    if lawsuit.state == S.SECOND_INSTANCE and second_outcome is None:
        raise DomainError(N_("Give the second-instance result."), field="second_outcome")
    closed_on = closed_on or clock.today_local()
    checked_date(closed_on, "closed_on", not_before=lawsuit.appealed_on or lawsuit.judged_on)
    lawsuit.closed_on, lawsuit.second_outcome = closed_on, second_outcome
    if summary.strip():
        lawsuit.note = summary.strip()
    finish(
        session,
        case,
        actor,
        CLOSE,
        lawsuit,
        reason=lawsuit.note,
        after={"second_outcome": second_outcome.value if second_outcome else None},
    )
    return lawsuit


def apply_revocation(
    session,
    case,
    actor,
    *,
    court: str,
    filed_on: date | None,
    award_id: int | None = None,
    court_case_no: str = "",
    expected_version=None,
) -> Lawsuit:
    """Law Art 49: the employer asks the intermediate court to revoke a final award within 30 days."""
    begin(case, actor, APPLY_REVOCATION.name, None, expected_version=expected_version, court=court, filed_on=filed_on)
    finals = [a for a in case.arbitration.awards if a.finality == Finality.FINAL]
    award = _award(case, award_id) if award_id is not None else finals[-1]
    if award.finality != Finality.FINAL:
        raise DomainError(N_("Only a final award can be the subject of an application to revoke."), field="award_id")
    if any(s.kind == LawsuitKind.REVOCATION and s.award_id == award.id for s in case.lawsuits):
        raise DomainError(N_("An application to revoke this award is already recorded."), field="award_id")
    checked_date(filed_on, "filed_on", not_before=award.awarded_on)
    lawsuit = Lawsuit(
        case=case,
        kind=LawsuitKind.REVOCATION,
        state=S.REVOCATION_APPLIED,
        plaintiff=Litigant.EMPLOYER,
        court=court.strip(),
        court_case_no=court_case_no.strip() or None,
        award=award,
        filed_on=filed_on,
    )
    session.add(lawsuit)
    finish(session, case, actor, APPLY_REVOCATION, lawsuit, after={"court": lawsuit.court, "award": award.number})
    return lawsuit


def decide_revocation(
    session,
    case,
    actor,
    lawsuit: Lawsuit,
    *,
    revoked: bool,
    decided_on: date | None,
    note: str = "",
    received_on: date | None = None,
    expected_version=None,
) -> Lawsuit:
    """After a revocation, either party may sue within 15 days of receiving the ruling (Law Art 49): recorded as a
    new lawsuit. `received_on` records that receipt with the decision (else `receive_revocation_ruling` later)."""
    act = REVOKE if revoked else UPHOLD
    begin(case, actor, act.name, lawsuit, expected_version=expected_version, decided_on=decided_on)
    checked_date(decided_on, "decided_on", not_before=lawsuit.filed_on)
    if revoked and received_on is not None:
        checked_date(
            received_on,
            "received_on",
            not_before=decided_on,
            before_message=N_("The ruling cannot be received before it was made (%(date)s)."),
        )
    award = lawsuit.award  # loaded before the changes below: a lazy load flushes them half-done
    if not revoked and award is not None and award.effective_on is None:
        award.effective_on = decided_on  # the court's refusal to revoke makes the award final
    lawsuit.judged_on = lawsuit.closed_on = decided_on
    lawsuit.note = note.strip() or None
    finish(session, case, actor, act, lawsuit, reason=lawsuit.note)
    if revoked and received_on is not None:
        receive_revocation_ruling(session, case, actor, lawsuit, received_on=received_on)
    return lawsuit


def receive_revocation_ruling(
    session, case, actor, lawsuit: Lawsuit, *, received_on: date | None, expected_version=None
) -> Lawsuit:
    """Law Art 49: the 15 days to sue after the award's revocation run from the ruling's receipt
    (the `litigation.sue_after_revocation` timer)."""
    begin(case, actor, RECEIVE_RULING.name, lawsuit, expected_version=expected_version, received_on=received_on)
    checked_date(
        received_on,
        "received_on",
        not_before=lawsuit.closed_on,
        before_message=N_("The ruling cannot be received before it was made (%(date)s)."),
    )
    lawsuit.ruling_received_on = received_on
    finish(session, case, actor, RECEIVE_RULING, lawsuit, after={"received_on": received_on.isoformat()})
    return lawsuit


SUE_PERIOD_LAPSED = action(
    "litigation.sue_period_lapsed",
    Track.LITIGATION,
    {S.REVOKED},
    None,
    (),
    label=N_("No lawsuit within 15 days of the revocation"),
)


def close_after_revocation(session: Session, today: date | None = None) -> list[Case]:
    """Close cases whose award was revoked and whose 15 days to sue from the ruling's receipt ended with no lawsuit
    (idempotent; run daily). The case closes the day after that period's deadline."""
    today = today or clock.today_local()
    revoked = session.scalars(
        sa.select(Lawsuit).join(Case).where(Lawsuit.state == S.REVOKED, Case.status == CaseStatus.OPEN)
    ).all()
    closed = []
    for revocation in revoked:
        case = revocation.case
        if suing_after_revocation(case, today) or any(s.state in LITIGATION_OPEN for s in case.lawsuits):
            continue
        period = next((t for t in reversed(case.timers) if t.rule_id == SUE_AFTER_REVOCATION), None)
        lapsed_on = period.due_on + timedelta(days=1) if period is not None and period.due_on else today
        finish(
            session, case, None, SUE_PERIOD_LAPSED, revocation, on=lapsed_on, after={"lapsed_on": lapsed_on.isoformat()}
        )
        if case.status == CaseStatus.CLOSED:
            closed.append(case)
    return closed


def result_items(lawsuit: Lawsuit) -> list[tuple[str, object]]:
    """What the court rules on, each with a key ('item-<id>' / 'claim-<id>'): the items of the award taken to court,
    else (a lawsuit against a refusal to accept, or an award without items) the case's claims."""
    if lawsuit.award is not None and lawsuit.award.items:
        return [(f"item-{item.id}", item) for item in lawsuit.award.items]
    return [(f"claim-{claim.id}", claim) for claim in lawsuit.case.claims]


def record_item_results(
    session: Session,
    case: Case,
    actor: User,
    lawsuit: Lawsuit,
    *,
    decided_on: date | None,
    rulings: dict[str, ItemRuling | None],
    court_case_no: str = "",
    expected_version: int | None = None,
) -> Lawsuit:
    """The court's result for every item (维持/改判/撤销/调解/撤诉), from the judgment or ruling of `decided_on`; a
    second recording replaces the first (a second instance changes the first's results)."""
    begin(case, actor, RECORD_RESULTS.name, lawsuit, expected_version=expected_version, decided_on=decided_on)
    checked_date(decided_on, "decided_on", not_before=lawsuit.filed_on)
    items = result_items(lawsuit)
    if not items:
        raise DomainError(N_("The award has no items and the case no claims: there is nothing to record."))
    if any(rulings.get(key) is None for key, _item in items):
        raise DomainError(N_("Give the court's result for every item."), field="items")
    if court_case_no.strip():
        lawsuit.court_case_no = court_case_no.strip()
    before = {_key_of(r): r.ruling.value for r in lawsuit.item_results}
    lawsuit.item_results.clear()
    targets = [(None, item.id) if key.startswith("claim-") else (item.id, item.claim_id) for key, item in items]
    for values in item_result_rows(targets, [rulings[key] for key, _item in items], decided_on, actor.id):
        lawsuit.item_results.append(CourtItemResult(**values))
    finish(
        session,
        case,
        actor,
        RECORD_RESULTS,
        lawsuit,
        before=before or None,
        after={
            "court_case_no": lawsuit.court_case_no,
            "decided_on": decided_on.isoformat(),
            **{key: rulings[key].value for key, _item in items},
        },
    )
    return lawsuit


def item_result_rows(
    targets: list[tuple[int | None, int | None]],
    rulings: list[ItemRuling],
    decided_on: date,
    recorded_by_id: int | None,
) -> list[dict]:
    """The `court_item_results` rows of one recording: per (award item id, claim id) its ruling, all dated by the
    judgment. One rule for the court-liaison officer's form and the ledger's bulk import (ledger/build.py)."""
    if len(targets) != len(rulings) or any(r is None for r in rulings):
        raise ValueError("one ruling per item")
    return [
        {
            "award_item_id": award_item_id,
            "claim_id": claim_id,
            "ruling": ItemRuling(ruling),
            "decided_on": decided_on,
            "recorded_by_id": recorded_by_id,
        }
        for (award_item_id, claim_id), ruling in zip(targets, rulings, strict=True)
    ]


def _key_of(result: CourtItemResult) -> str:
    return f"item-{result.award_item_id}" if result.award_item_id is not None else f"claim-{result.claim_id}"
