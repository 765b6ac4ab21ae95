"""Arbitration and litigation steps of the demo stories (generators, see `replay.run`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal

from disputes import clock
from disputes.demo import track_text as T
from disputes.demo.replay import HEARING_HOURS, Replay
from disputes.demo.track_steps import clerk, today
from disputes.documents import issue as issuing
from disputes.documents import service_steps
from disputes.documents.service import ServiceInput, record_service
from disputes.models import ServiceMethod
from disputes.workflow import arbitration as arb
from disputes.workflow import awards, hearings, interruptions, litigation
from disputes.workflow.parties import principals_of
from disputes.workflow.states import (
    ArbitrationState,
    ClosureType,
    CourtOutcome,
    CourtProcedure,
    Finality,
    ItemRuling,
    LawsuitState,
    Litigant,
    SuspensionGround,
    TribunalKind,
)

A, LS = ArbitrationState, LawsuitState
ARBITRATORS = ("arbitrator", "arbitrator2", "arbitrator3")


def receive(
    r: Replay, end: ArbitrationState, *, start: datetime | None = None, corrected: bool = False, lapse: bool = False
) -> Iterator[datetime]:
    """Receipt, corrections, refusal or acceptance."""
    s, case, rng = r.session, r.case, r.rng
    desk = clerk(r)
    yield start or r.after(rng.randint(0, 3))
    arb.receive_application(s, case, desk, unit_id=r.world.units["LGA"].id, received_on=today())
    if corrected or lapse or end == A.CORRECTION_REQUESTED:
        yield r.after(rng.randint(1, 3))
        arb.request_correction(s, case, desk, note=T.pick(rng, T.CORRECTION_NOTES))
        if end == A.CORRECTION_REQUESTED:
            return
        if lapse:
            yield r.after(rng.randint(12, 20))
            arb.correction_lapsed(s, case, desk, note="申请人逾期未补正，视为撤回仲裁申请")
            return
        yield r.after(rng.randint(2, 5))
        arb.corrected(s, case, desk)
    if end == A.RECEIVED:
        return
    yield r.after(rng.randint(1, 4))
    if end == A.REFUSED:
        ground, reason = T.pick(rng, T.ARB_REFUSALS)
        arb.refuse(s, case, desk, ground=ground, reason=reason)
        return
    arb.accept(s, case, desk)


def prepare(r: Replay, end: ArbitrationState) -> Iterator[datetime]:
    """Service, defence and the tribunal: from accepted to `end` (accepted, served or tribunal formed)."""
    s, case, rng = r.session, r.case, r.rng
    desk = clerk(r)
    if end == A.ACCEPTED:
        return
    yield r.after(rng.randint(1, 3))
    arb.serve_respondent(s, case, desk, served_on=today())
    if rng.random() < 0.5:
        yield r.after(rng.randint(4, 9))
        arb.record_defence(s, case, desk, received_on=today())
        yield r.after(rng.randint(1, 3))
        arb.serve_defence(s, case, desk, served_on=today())
    if end == A.SERVED:
        return
    yield r.after(rng.randint(0, 2))
    three = case.collective
    members = [r.user(n) for n in ARBITRATORS] if three else [r.world.next_of("arbitrator", ARBITRATORS)]
    arb.form_tribunal(
        s,
        case,
        r.user("clerk"),
        kind=TribunalKind.THREE_MEMBER if three else TribunalKind.SOLE,
        arbitrator_ids=[m.id for m in members],
    )
    yield r.after(rng.randint(0, 2))
    arb.notify_tribunal(s, case, r.user("clerk"), served_on=today())


def _short(session, starts_at: datetime) -> bool:
    """A demo hearing nearer than the notice period (a slot the replay had to take): the parties accepted it."""
    return clock.to_local(starts_at).date() < hearings.earliest_hearing_day(session)


def hearing(
    r: Replay,
    *,
    earliest: datetime | None = None,
    latest: datetime | None = None,
    hold: bool = True,
    notice: bool = True,
    postpone: bool = False,
    applicant_absent: bool = False,
) -> Iterator[datetime]:
    """Schedule a hearing in a free slot (a week on by default), serve its notice, maybe postpone, hold it."""
    s, case, rng = r.session, r.case, r.rng
    desk = r.user("clerk")
    yield r.after(rng.randint(0, 2))
    members = case.arbitration.members()
    if postpone:
        slot = r.world.slots.take(clock.now_utc() + timedelta(days=7), r.world.rooms[:2], members)
        if slot is not None:
            first = hearings.schedule_hearing(
                s,
                case,
                desk,
                starts_at=slot[0],
                ends_at=slot[0] + timedelta(hours=HEARING_HOURS),
                room_id=slot[1].id,
                short_notice_agreed=_short(s, slot[0]),
            )
            yield r.after(rng.randint(1, 3))
            hearings.postpone_hearing(s, case, desk, hearing_id=first.id, reason=T.pick(rng, T.POSTPONE_REASONS))
    soonest = clock.now_utc() + timedelta(hours=20)
    slot = r.world.slots.take(
        max(earliest or clock.now_utc() + timedelta(days=7), soonest), r.world.rooms[:2], members, latest
    )
    if slot is None:
        return
    planned = hearings.schedule_hearing(
        s,
        case,
        desk,
        starts_at=slot[0],
        ends_at=slot[0] + timedelta(hours=HEARING_HOURS),
        room_id=slot[1].id,
        short_notice_agreed=_short(s, slot[0]),
    )
    if notice:
        yield r.after(rng.randint(1, 2))
        hearings.serve_hearing_notice(s, case, desk, hearing_id=planned.id, served_on=today())
    if not hold:
        return
    yield r.at(planned.ends_at)
    if planned.starts_at > clock.now_utc():
        return
    attended = (not applicant_absent, rng.random() < 0.9)
    record = T.ABSENT_RECORDS.get(attended) or T.pick(rng, T.HEARING_RECORDS)
    hearings.hold_hearing(
        s,
        case,
        members[0],
        hearing_id=planned.id,
        applicant_attended=attended[0],
        respondent_attended=attended[1],
        record=record,
    )


def award_items(r: Replay, shape: str | None) -> list[awards.ItemInput]:
    """One item per claim, as claimed; a "final" award trims money items to the final-award limit."""
    wage = awards.minimum_wage_on(r.session, r.case.arbitration.unit, today())
    limit = (wage * awards.THRESHOLD_MONTHS * Decimal("0.9")).quantize(Decimal("0.01"))
    items = []
    for claim in r.case.claims:
        amount = claim.amount
        if shape == "final" and amount is not None and claim.category in awards.AMOUNT_TESTED:
            amount = min(amount, limit)
        what = T.CATEGORY_CN[claim.category.value]
        # A sum's text names what is paid ("2025年3月至5月工资"): the template prints who pays whom by when.
        text = (claim.description or what) if amount is not None else f"支持申请人关于{what}的请求"
        items.append(
            awards.ItemInput(
                claim_id=claim.id,
                amount=amount,
                text=text,
                due_days=r.rng.choice((5, 10, 15)) if amount is not None else None,
            )
        )
    return items


def statement_terms(r: Replay) -> list[arb.TermInput]:
    """A mediation statement's terms: most of each money claim, paid by a date within a month."""
    terms = []
    for claim in r.case.claims:
        what = T.CATEGORY_CN[claim.category.value]
        if claim.amount is None:
            terms.append(arb.TermInput(description=f"双方就{what}达成一致", claim_id=claim.id))
            continue
        amount = (claim.amount * Decimal(r.rng.choice(("0.7", "0.8", "0.9")))).quantize(Decimal("0.01"))
        terms.append(
            arb.TermInput(
                description=T.pick(r.rng, T.STATEMENT_TERMS).format(what=what),
                amount=amount,
                claim_id=claim.id,
                due_on=today() + timedelta(days=r.rng.choice((7, 15, 30))),
            )
        )
    return terms


def close(
    r: Replay,
    closure: ClosureType,
    *,
    shape: str | None = None,
    approve: bool = True,
    serve: bool | str = True,
    partial: bool = False,
) -> Iterator[datetime]:
    s, case, rng = r.session, r.case, r.rng
    arbitrator = case.arbitration.members()[0] if case.arbitration.tribunal else None
    actor = arbitrator or r.user("supervisor")
    yield r.after(rng.randint(3, 12))
    if partial:
        awards.partial_award(
            s, case, actor, items=award_items(r, shape)[:1], reasons="先行裁决：申请人的工资请求事实清楚"
        )
        yield r.after(rng.randint(3, 8))
    if closure == ClosureType.AWARD:
        items = award_items(r, shape)[1:] if partial and len(case.claims) > 1 else award_items(r, shape)
        awards.record_award(s, case, actor, items=items, reasons=T.pick(rng, T.AWARD_REASONS))
    note = "" if closure == ClosureType.AWARD else T.pick(rng, T.CLOSURE_NOTES[closure.value])
    terms = None
    if closure == ClosureType.MEDIATION_STATEMENT:
        terms, note = statement_terms(r), "申请人放弃其他仲裁请求，双方就本案再无其他争议"
    arb.request_closure(s, case, actor, closure_type=closure, note=note, terms=terms)
    if not approve:
        return
    yield r.after(rng.randint(1, 3))
    # Four-eyes: a supervisor who recorded the award and asked for the closure leaves its approval to the director.
    approver = r.user("supervisor") if actor != r.user("supervisor") else r.user("director")
    arb.approve_closure(s, case, approver, note="同意结案")
    if closure == ClosureType.AWARD and serve:
        yield from serve_award(r, public_notice=serve == "public_notice")


def serve_award(r: Replay, public_notice: bool = False) -> Iterator[datetime]:
    """The award reaches the worker first and the employer a few days later: each party's periods run from its
    own day (Law Art 48–50). With `public_notice` the award documents are issued, handed to the worker and, the
    employer being unreachable, published: deemed served 30 days on (the daily `archive public-notices`)."""
    s, case, rng = r.session, r.case, r.rng
    desk = r.user("clerk")
    yield r.after(rng.randint(2, 6))
    if public_notice:
        from disputes.documents import catalogue
        from disputes.documents import issue as issuing
        from disputes.documents.service import ServiceInput, record_service

        documents = [
            issuing.issue(s, case, kind.id, subject.key, desk)
            for kind, subject in catalogue.available(s, case)
            if kind.id == "arb_award"
        ]
        for document in documents:
            record_service(
                s,
                case,
                desk,
                document,
                case.applicants[0],
                ServiceInput(
                    method=ServiceMethod.IN_PERSON,
                    served_at=clock.now_utc(),
                    place="仲裁院立案窗口",
                    recipient=case.applicants[0].name,
                ),
            )
            record_service(
                s,
                case,
                desk,
                document,
                case.respondents[0],
                ServiceInput(
                    method=ServiceMethod.PUBLIC_NOTICE, published_on=today(), publication="《人民法院报》第七版"
                ),
            )
        return
    sides = (principals_of(case.applicants), principals_of(case.respondents))
    for number, parties in enumerate(sides):
        if number:
            yield r.after(rng.randint(1, 5))
        for party in parties:
            awards.serve_award_on(s, case, desk, party_id=party.id, served_on=today())


def send_back(r: Replay) -> Iterator[datetime]:
    yield from close(r, ClosureType.AWARD, approve=False)
    yield r.after(r.rng.randint(1, 3))
    arb.reject_closure(r.session, r.case, r.user("supervisor"), note=T.pick(r.rng, T.REJECT_NOTES))


def suspend(r: Replay, outcome: str) -> Iterator[datetime]:
    """A suspension request left pending, approved (and maybe resumed), or rejected."""
    s, case, rng = r.session, r.case, r.rng
    ground = rng.choice((SuspensionGround.AWAITING_DETERMINATION, SuspensionGround.DEPENDS_ON_OTHER_CASE))
    yield r.after(rng.randint(1, 4))
    interruptions.request_suspension(
        s, case, case.arbitration.members()[0], ground=ground, reason=T.pick(rng, T.SUSPENSION_REASONS[ground.value])
    )
    if outcome == "pending":
        return
    yield r.after(rng.randint(1, 2))
    approve = outcome != "rejected"
    interruptions.decide_suspension(
        s, case, r.user("supervisor"), approve=approve, note="同意中止" if approve else "中止事由不充分，不予批准"
    )
    if outcome == "resumed":
        yield r.after(rng.randint(15, 30))
        interruptions.resume(s, case, case.arbitration.members()[0], note="工伤认定结论已作出，恢复审理")


def extend(r: Replay, outcome: str) -> Iterator[datetime]:
    s, case, rng = r.session, r.case, r.rng
    yield r.after(rng.randint(1, 3))
    interruptions.request_extension(
        s, case, case.arbitration.members()[0], days=rng.choice((10, 15)), reason=T.pick(rng, T.EXTENSION_REASONS)
    )
    if outcome == "pending":
        return
    yield r.after(1)
    approve = outcome == "approved"
    request = interruptions.decide_extension(
        s, case, r.user("director"), approve=approve, note="同意延期" if approve else "不符合延期条件"
    )
    if approve:
        yield from extension_notice(r, request)


def extension_notice(r: Replay, request) -> Iterator[datetime]:
    """The parties are told in writing (Law Art 43): the 延期通知书 issued, then served on each party in person."""
    s, case, rng = r.session, r.case, r.rng
    desk = clerk(r)
    yield r.after(0)
    notice = issuing.issue(s, case, "arb_extension_notice", str(request.id), desk)
    yield r.after(rng.randint(1, 2))
    for party in service_steps.addressees(case):
        record_service(
            s,
            case,
            desk,
            notice,
            party,
            ServiceInput(
                method=ServiceMethod.IN_PERSON, served_at=clock.now_utc(), place="仲裁院立案窗口", recipient=party.name
            ),
        )


def _court_results(r: Replay, suit, ruling: ItemRuling | None) -> None:
    """The court liaison copies the result per item from the judgment: `ruling` for every item, or for a judgment
    mostly upheld, now and then changed or set aside (so the 裁审比对 list has cases)."""
    items = litigation.result_items(suit)
    if not items:
        return
    rng = r.rng
    choices = [ItemRuling.UPHELD] * 6 + [ItemRuling.CHANGED] * 2 + [ItemRuling.REVOKED]
    litigation.record_item_results(
        r.session,
        r.case,
        r.user("court"),
        suit,
        decided_on=suit.judged_on or today(),
        rulings={key: ruling or rng.choice(choices) for key, _item in items},
    )


def lawsuit(r: Replay, end: LawsuitState, *, plaintiff: Litigant = Litigant.WORKER) -> Iterator[datetime]:
    """The litigation track after a closed (or refused) arbitration, up to `end`."""
    s, case, rng = r.session, r.case, r.rng
    court = r.user("court")
    year = today().year
    yield r.after(rng.randint(5, 12))
    if end in (LS.REVOCATION_APPLIED, LS.UPHELD, LS.REVOKED):
        suit = litigation.apply_revocation(
            s, case, court, court=T.INTERMEDIATE_COURT, filed_on=today(), court_case_no=T.court_no(rng, year, "special")
        )
        if end == LS.REVOCATION_APPLIED:
            return
        yield r.after(rng.randint(25, 50))
        litigation.decide_revocation(
            s,
            case,
            court,
            suit,
            revoked=end == LS.REVOKED,
            decided_on=today(),
            note="裁定撤销仲裁裁决" if end == LS.REVOKED else "裁定驳回撤销仲裁裁决的申请",
            received_on=today() if end == LS.REVOKED else None,
        )
        _court_results(r, suit, ItemRuling.REVOKED if end == LS.REVOKED else ItemRuling.UPHELD)
        if end == LS.REVOKED and rng.random() < 0.6:
            yield from lawsuit(r, LS.FILED, plaintiff=Litigant.WORKER)
        return
    closing = [a for a in case.arbitration.awards if not a.partial] if case.arbitration else []
    target = next((a for a in closing if a.finality == Finality.NON_FINAL), closing[0] if closing else None)
    if target is not None and target.finality == Finality.FINAL:
        plaintiff = Litigant.WORKER
    suit = litigation.file_lawsuit(
        s,
        case,
        court,
        plaintiff=plaintiff,
        court=T.DISTRICT_COURT,
        filed_on=today(),
        award_id=target.id if target else None,
    )
    if end == LS.FILED:
        return
    yield r.after(rng.randint(3, 7))
    # A small-claims judgment cannot be appealed (CPL Art 165): stories with an appeal go another way.
    appealed = end in (LS.APPEAL, LS.SECOND_INSTANCE)
    procedures = tuple(p for p in CourtProcedure if not (appealed and p == CourtProcedure.SMALL_CLAIMS))
    litigation.docket(
        s,
        case,
        court,
        suit,
        court_case_no=T.court_no(rng, year, "first"),
        docketed_on=today(),
        procedure=rng.choice(procedures),
    )
    if end == LS.FIRST_INSTANCE:
        return
    yield r.after(rng.randint(40, 80))
    outcome = CourtOutcome.COURT_MEDIATION if end == LS.CLOSED and rng.random() < 0.5 else CourtOutcome.JUDGMENT
    litigation.judge(
        s,
        case,
        court,
        suit,
        outcome=outcome,
        judged_on=today(),
        summary=T.pick(rng, T.JUDGMENT_SUMMARIES),
        served_on=today(),
    )
    _court_results(r, suit, ItemRuling.MEDIATED if outcome == CourtOutcome.COURT_MEDIATION else None)
    if end == LS.JUDGED or suit.state == LS.CLOSED:
        return
    if end == LS.CLOSED:
        yield r.after(rng.randint(16, 25))
        litigation.close_lawsuit(s, case, court, suit, summary="判决已生效")
        return
    yield r.after(rng.randint(7, 14))
    litigation.appeal(
        s,
        case,
        court,
        suit,
        appellant=rng.choice(tuple(Litigant)),
        appealed_on=today(),
        appeal_court=T.INTERMEDIATE_COURT,
    )
    if end == LS.APPEAL:
        return
    yield r.after(rng.randint(15, 30))
    litigation.second_instance(s, case, court, suit, appeal_case_no=T.court_no(rng, today().year, "appeal"))
