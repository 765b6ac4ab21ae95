"""Mediation and legal-aid steps of the demo stories, through the real operations (`disputes.workflow`).

Each function is a generator: it yields the moment of its next step, then takes the step
with the clock frozen there (see `replay.run`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal

from disputes import clock
from disputes.demo import track_text as T
from disputes.demo.replay import Replay, local, working_day
from disputes.models import PartyKind, User
from disputes.sla.due import due_on
from disputes.workflow import legal_aid as aid
from disputes.workflow import mediation as med
from disputes.workflow.states import (
    ConfirmationKind,
    ConfirmationResult,
    LegalAidClosure,
    LegalAidState,
    MediationState,
    Performance,
    SessionOutcome,
)

M, L = MediationState, LegalAidState
LGM_MEDIATORS = ("mediator", "mediator2", "mediator3")
STREET_DESKS = ("BT", "BTM", "BTHXM")
CENT = Decimal("0.01")


def today():
    return clock.today_local()


def clerk(r: Replay) -> User:
    return r.user("btclerk" if r.case.unit.code in STREET_DESKS else "clerk")


def pick_mediator(r: Replay, wanted: str | None) -> User:
    if r.case.unit.code == "BJM":  # the street committee's own mediator
        return r.user("bjmediator")
    if wanted in LGM_MEDIATORS:
        return r.user(wanted)
    if r.planned_mediator in LGM_MEDIATORS:
        return r.user(r.planned_mediator)
    return r.world.next_of("mediator", LGM_MEDIATORS)


def _place(r: Replay) -> dict:
    if r.rng.random() < 0.15:
        return {"online_link": T.ONLINE_LINK.format(code=r.rng.randint(100000000, 999999999))}
    return {"place": T.pick(r.rng, T.SESSION_PLACES)}


def _split(total: Decimal, parts: int) -> list[Decimal]:
    share = (total / parts).quantize(CENT, rounding=ROUND_DOWN)
    return [share] * (parts - 1) + [total - share * (parts - 1)]


def mediation(
    r: Replay,
    end: MediationState,
    *,
    start: datetime | None = None,
    mediator: str | None = None,
    sessions: int = 1,
    next_at: datetime | None = None,
    performance: Performance | None = None,
    confirm: bool = False,
    instalment_gap: int = 20,
) -> Iterator[datetime]:
    s, case, rng = r.session, r.case, r.rng
    street = case.unit.code == "BJM"
    opener = r.user("bjmediator") if street else r.user("clerk")
    unit = r.world.units["BJM" if street else "LGM"]
    yield start or r.after(rng.randint(0, 2))
    med.open_mediation(s, case, opener, unit_id=unit.id, applied_on=today())
    if end == M.APPLIED:
        return
    if end == M.WITHDRAWN and not street and rng.random() < 0.5:
        yield r.after(rng.randint(1, 4))
        med.withdraw_mediation(s, case, r.user("supervisor"), reason=T.pick(rng, T.WITHDRAW_REASONS))
        return
    mediator_user = pick_mediator(r, mediator)
    yield r.after(rng.randint(0, 1))
    med.accept_mediation(s, case, mediator_user, mediator_id=mediator_user.id)
    if end == M.ACCEPTED:
        return
    if end == M.WITHDRAWN:
        yield r.after(rng.randint(2, 5))
        med.withdraw_mediation(s, case, mediator_user, reason=T.pick(rng, T.WITHDRAW_REASONS))
        return
    planned = None
    for index in range(sessions):
        last = index == sessions - 1
        if planned:
            yield r.at(planned + timedelta(minutes=100))
        elif last and next_at is not None and end == M.IN_SESSION:
            yield r.at(min(r.later(rng.randint(2, 4)), next_at - timedelta(hours=20)))
        else:
            yield r.after(rng.randint(2, 4))
        held = planned or clock.now_utc() - timedelta(minutes=90)
        if last:
            planned = next_at if end == M.IN_SESSION else None
        else:
            day = working_day(clock.to_local(held).date() + timedelta(days=rng.randint(2, 4)))
            planned = local(day, rng.choice((time(9, 30), time(14, 30))))
        outcome = (
            SessionOutcome.CONTINUE
            if not last or end in (M.IN_SESSION, M.LAPSED)
            else (SessionOutcome.AGREEMENT if end == M.AGREEMENT else SessionOutcome.FAILED)
        )
        med.log_session(
            s,
            case,
            mediator_user,
            med.SessionInput(
                held_at=held,
                attendees=T.attendees(rng, case),
                summary=T.pick(rng, T.FIRST_SUMMARIES),
                outcome=outcome,
                next_at=planned,
                **_place(r),
            ),
        )
    if end == M.IN_SESSION:
        return
    if end == M.LAPSED:
        ends = due_on(case, "mediation.resolve")  # the 15 days (Law Art 14), holidays rolled over
        yield r.after(max(16, (ends - clock.today_local()).days + 1) if ends else 16)
        med.lapse_mediation(s, case, mediator_user, reason=T.pick(rng, T.LAPSE_REASONS))
        return
    yield r.after(rng.randint(0, 2))
    if end == M.FAILED:
        med.fail_mediation(s, case, mediator_user, reason=T.pick(rng, T.FAIL_REASONS))
        return
    yield from _agreement(r, mediator_user, performance, confirm, instalment_gap)


def _agreement(
    r: Replay, mediator_user: User, performance: Performance | None, confirm: bool, gap: int
) -> Iterator[datetime]:
    s, case, rng = r.session, r.case, r.rng
    terms = [
        med.TermInput(
            description=f"被申请人支付申请人{T.CATEGORY_CN[c.category.value]}",
            claim_id=c.id,
            amount=(c.amount * Decimal(rng.choice(("0.6", "0.7", "0.8", "0.9", "1")))).quantize(CENT),
        )
        for c in case.claims
        if c.amount
    ] or [med.TermInput(description="双方确认劳动关系于协议签订之日解除，互不追究")]
    total = sum((t.amount or Decimal(0) for t in terms), Decimal(0))
    parts = rng.choice((1, 2, 3)) if total else 0
    signed = today()
    instalments = (
        [
            med.InstalmentInput(due_on=signed + timedelta(days=gap * (i + 1)), amount=amount)
            for i, amount in enumerate(_split(total, parts))
        ]
        if parts
        else []
    )
    agreement = med.record_agreement(
        s,
        case,
        mediator_user,
        signed_on=signed,
        terms=terms,
        instalments=instalments,
        summary=T.pick(rng, T.AGREEMENT_SUMMARIES[min(parts, 2)]),
    )
    if confirm:
        yield r.after(rng.randint(3, 10))
        kind = rng.choice(tuple(ConfirmationKind))
        body = "龙岗区劳动人事争议仲裁委员会" if kind == ConfirmationKind.ARBITRAL_REVIEW else T.DISTRICT_COURT
        med.request_confirmation(s, case, mediator_user, kind=kind, applied_on=today(), body=body)
        yield r.after(rng.randint(5, 12))
        med.decide_confirmation(
            s, case, mediator_user, result=ConfirmationResult.CONFIRMED, note="已依法确认调解协议效力"
        )
    if performance is None:
        return
    last_due = agreement.performance_due_on
    yield r.at(local(working_day(last_due + timedelta(days=rng.randint(1, 6))), time(10, 30)))
    paid = {
        Performance.PERFORMED: agreement.instalments,
        Performance.PARTLY_PERFORMED: agreement.instalments[:1],
        Performance.DEFAULTED: [],
    }[performance]
    med.record_performance(
        s,
        case,
        mediator_user,
        performance=performance,
        paid_instalment_ids=[i.id for i in paid],
        note=T.pick(rng, T.PERFORMANCE_NOTES[performance.value]),
    )


def legal_aid(
    r: Replay,
    end: LegalAidState,
    *,
    start: datetime | None = None,
    materials: bool = False,
    closure: LegalAidClosure | None = None,
) -> Iterator[datetime]:
    s, case, rng = r.session, r.case, r.rng
    officer = r.user("legalaid")
    worker = next(p for p in case.parties if p.kind == PartyKind.WORKER)
    yield start or r.after(rng.randint(0, 2))
    application = aid.apply_for_legal_aid(
        s,
        case,
        clerk(r),
        party_id=worker.id,
        unit_id=r.world.units["LGL"].id,
        matter=f"{case.cause}（劳动仲裁代理）",
        hardship_statement="" if case.green_channel else T.pick(rng, T.HARDSHIP),
    )
    if materials or end == L.MATERIALS_REQUESTED:
        yield r.after(rng.randint(1, 2))
        aid.request_materials(s, case, officer, application, note=T.pick(rng, T.MATERIALS_NOTES))
        if end == L.MATERIALS_REQUESTED:
            return
        yield r.after(rng.randint(2, 4))
        aid.materials_received(s, case, clerk(r), application)
    if end == L.APPLIED:
        return
    yield r.after(rng.randint(1, 5))
    if end in (L.REFUSED, L.OBJECTION, L.REFUSAL_UPHELD):
        aid.refuse(s, case, officer, application, reason=T.pick(rng, T.AID_REFUSALS))
        if end == L.REFUSED:
            return
        yield r.after(rng.randint(3, 8))
        aid.lodge_objection(s, case, officer, application, reason=T.pick(rng, T.OBJECTIONS))
        if end == L.OBJECTION:
            return
        yield r.after(rng.randint(2, 5))
        aid.decide_objection(s, case, officer, application, overturned=False, note="经复查，维持不予法律援助的决定")
        return
    aid.grant(s, case, officer, application, reason="符合法律援助条件", review_later=rng.random() < 0.15)
    if end == L.GRANTED:
        return
    if closure == LegalAidClosure.TERMINATED:
        yield r.after(rng.randint(2, 6))
        aid.close_legal_aid(s, case, officer, application, closure=closure, note="申请人已自行委托律师，终止法律援助")
        return
    yield r.after(rng.randint(1, 3))
    aid.assign_lawyer(s, case, officer, application, lawyer_id=r.user("lawyer").id, law_firm=T.pick(rng, T.LAW_FIRMS))


def close_legal_aid(r: Replay) -> Iterator[datetime]:
    application = r.case.legal_aid[0]
    yield r.after(r.rng.randint(3, 10))
    aid.close_legal_aid(
        r.session,
        r.case,
        r.user("legalaid"),
        application,
        closure=LegalAidClosure.COMPLETED,
        note="案件已审结，承办律师提交结案材料",
    )
