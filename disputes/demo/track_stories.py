"""The demo's track stories: which histories to replay, how often, and on which cases.

Every state of every track appears at least twice, and each demo user finds work waiting
on /work: sessions this week, hearings this week and next, approvals, lawsuits in court.
Stories of open, recent states are anchored to the load's today; closed ones run forward
from the case's registration.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from functools import partial

from disputes.demo import arbitration_steps as A
from disputes.demo.replay import Replay, Spec, World, local
from disputes.demo.track_steps import close_legal_aid, legal_aid, mediation
from disputes.models import Case
from disputes.workflow import arbitration as arb
from disputes.workflow.awards import ALWAYS_FINAL, AMOUNT_TESTED, THRESHOLD_MONTHS
from disputes.workflow.states import (
    ArbitrationState,
    ClosureType,
    LawsuitState,
    LegalAidClosure,
    LegalAidState,
    Litigant,
    MediationState,
    Performance,
)

M, L, S, C, LS = MediationState, LegalAidState, ArbitrationState, ClosureType, LawsuitState
MEDIATION_DESKS = ("LGC", "LGM", "BJM")
STREET = ("BT", "BTM", "BTHXM")
DEMO_WAGE_LIMIT = 2520 * THRESHOLD_MONTHS  # Shenzhen's minimum wage since 2025-03 (migration 0003), for choosing cases


def week_slots(world: World) -> list[datetime]:
    """This Monday–Friday's session times, the ones still ahead first."""
    monday = world.today - timedelta(days=world.today.weekday())
    slots = [local(monday + timedelta(days=d), t) for d in range(5) for t in (time(9, 30), time(14, 30))]
    return [s for s in slots if s > world.now] + [s for s in reversed(slots) if s <= world.now]


def next_monday(world: World) -> datetime:
    return local(world.today + timedelta(days=7 - world.today.weekday()), time(0))


def this_monday(world: World) -> datetime:
    return local(world.today - timedelta(days=world.today.weekday()), time(0))


def _start(r: Replay, recent: tuple[int, int] | None):
    return r.ago(r.rng.randint(*recent)) if recent else None


def mediation_story(r: Replay, end: MediationState, recent=None, mediator=None, slot=None, **options) -> Iterator:
    if slot is not None:
        next_at = week_slots(r.world)[slot % 10]
        yield from mediation(r, end, start=r.at(next_at - timedelta(days=6)), mediator=mediator, next_at=next_at)
        return
    yield from mediation(r, end, start=_start(r, recent), mediator=mediator, **options)


def aid_story(r: Replay, end: LegalAidState, recent=None, **options) -> Iterator:
    yield from legal_aid(r, end, start=_start(r, recent), **options)


def arbitration_story(
    r: Replay,
    end: ArbitrationState,
    recent=None,
    prelude=None,
    aid=None,
    corrected=False,
    lapse=False,
    upcoming=None,
    notice=True,
    postpone=False,
    held_this_week=False,
    absent=False,
    simplified=False,
    pre_hearing=False,
    suspend=None,
    extend=None,
    sent_back=False,
    closure=C.AWARD,
    shape=None,
    serve=True,
    partial_award=False,
    aid_close=False,
    lawsuit=None,
    plaintiff=Litigant.WORKER,
    hearing_soon=False,
) -> Iterator:
    s, case = r.session, r.case
    if prelude and case.unit.code in MEDIATION_DESKS and r.age() > (recent[1] if recent else 0) + 30:
        yield from mediation(r, prelude)
    if aid:
        yield from legal_aid(r, aid)
    first = S.CLOSED if lapse else end if end in (S.RECEIVED, S.CORRECTION_REQUESTED, S.REFUSED) else S.ACCEPTED
    yield from A.receive(r, first, start=_start(r, recent), corrected=corrected, lapse=lapse)
    if end == S.REFUSED and lawsuit:
        yield from A.lawsuit(r, lawsuit)
    if first != S.ACCEPTED:
        return
    yield from A.prepare(r, end if end in (S.ACCEPTED, S.SERVED) else S.TRIBUNAL_FORMED)
    if end in (S.ACCEPTED, S.SERVED):
        return
    arbitrator = case.arbitration.members()[0]
    if simplified:
        arb.simplify(s, case, arbitrator, ground="事实清楚、权利义务关系明确、争议不大")
    if end == S.TRIBUNAL_FORMED:
        if upcoming:
            earliest = next_monday(r.world) if upcoming == "next" else r.world.now + timedelta(hours=1)
            yield from A.hearing(r, earliest=earliest, hold=False, notice=notice, postpone=postpone)
        if suspend:
            yield from A.suspend(r, suspend)
        return
    window = {"earliest": this_monday(r.world), "latest": r.world.now} if held_this_week else {}
    if hearing_soon:  # two days ahead, the notice never served: a breach the closure records (Law Art 35)
        window = {"earliest": r.later(2, hour=0)}
    yield from A.hearing(
        r, postpone=postpone and not upcoming, applicant_absent=absent, notice=notice and not hearing_soon, **window
    )
    if pre_hearing:
        arb.pre_hearing_mediation(s, case, arbitrator, note="庭后组织双方调解，双方就支付方式初步达成一致")
    if extend:
        yield from A.extend(r, extend)
    if suspend:
        yield from A.suspend(r, suspend)
    if end == S.HEARD:
        if upcoming:
            yield from A.hearing(r, earliest=next_monday(r.world), hold=False, notice=notice, postpone=postpone)
        if sent_back:
            yield from A.send_back(r)
        return
    if case.arbitration.state != S.HEARD and closure == C.AWARD:
        return  # the hearing could not be held in time: the case stays where it is
    yield from A.close(r, closure, shape=shape, approve=end == S.CLOSED, serve=serve, partial=partial_award)
    if aid_close:
        yield from close_legal_aid(r)
    if lawsuit:
        yield from A.lawsuit(r, lawsuit, plaintiff=plaintiff)


def _categories(case: Case) -> set:
    return {c.category for c in case.claims}


def can_be_final(case: Case) -> bool:
    return _categories(case) <= AMOUNT_TESTED | ALWAYS_FINAL


def has_non_final(case: Case) -> bool:
    return any(
        c.category not in AMOUNT_TESTED | ALWAYS_FINAL
        or (c.category in AMOUNT_TESTED and c.amount and c.amount > DEMO_WAGE_LIMIT)
        for c in case.claims
    )


def is_mixed(case: Case) -> bool:
    finals = [
        c
        for c in case.claims
        if c.category in ALWAYS_FINAL
        or (c.category in AMOUNT_TESTED and c.amount is not None and c.amount <= DEMO_WAGE_LIMIT)
    ]
    return bool(finals) and has_non_final(case)


def only_non_final(case: Case) -> bool:
    return not is_mixed(case) and has_non_final(case) and not (_categories(case) & ALWAYS_FINAL)


def with_worker(case: Case) -> bool:
    return case.collective is False


def spec(story, end, count=1, min_age=0, max_age=10_000, desks=("LGC", "LGM"), fits=None, **options) -> Spec:
    return Spec(partial(story, end=end, **options), count, min_age, max_age, desks, fits)


def med(end, count=1, min_age=0, max_age=10_000, desks=MEDIATION_DESKS, **options) -> Spec:
    return spec(mediation_story, end, count, min_age, max_age, desks, **options)


def arb_spec(end, count=1, min_age=0, max_age=10_000, desks=("LGC", "LGM"), fits=with_worker, **options) -> Spec:
    return spec(arbitration_story, end, count, min_age, max_age, desks, fits, **options)


SPECS: list[Spec] = [
    # Mediation: the mediators' sessions this week, first sessions to hold, agreements to follow up.
    med(M.APPLIED, 2, 3, 90, recent=(1, 3)),
    *[
        med(M.ACCEPTED, 1, 6, 120, recent=(2, 5), mediator=m, desks=d)
        for m, d in (
            ("mediator", ("LGC", "LGM")),
            ("mediator2", ("LGC", "LGM")),
            ("mediator3", ("LGC", "LGM")),
            ("bjmediator", ("BJM",)),
        )
    ],
    *[
        med(M.IN_SESSION, 1, 14, 150, slot=i, mediator=m, desks=d)
        for i, (m, d) in enumerate(
            (
                ("mediator", ("LGC", "LGM")),
                ("mediator2", ("LGC", "LGM")),
                ("bjmediator", ("BJM",)),
                ("mediator3", ("LGC", "LGM")),
                ("mediator", ("LGC", "LGM")),
            )
        )
    ],
    med(M.AGREEMENT, 1, 50, 200, recent=(40, 48), mediator="mediator", instalment_gap=10, desks=("LGC", "LGM")),
    med(M.AGREEMENT, 1, 50, 200, recent=(40, 48), mediator="bjmediator", instalment_gap=10, desks=("BJM",)),
    med(M.AGREEMENT, 1, 12, 200, recent=(8, 11), mediator="mediator2"),
    *[med(M.AGREEMENT, 2, 90, performance=p, confirm=True) for p in (Performance.PERFORMED,)],
    *[med(M.AGREEMENT, 2, 90, performance=p) for p in (Performance.PARTLY_PERFORMED, Performance.DEFAULTED)],
    med(M.FAILED, 2, 20),
    med(M.WITHDRAWN, 2, 10),
    med(M.LAPSED, 2, 30),
    # Legal aid: decisions, lawyers to assign and objections waiting for the legal-aid officer.
    spec(aid_story, L.APPLIED, 2, 5, 120, recent=(1, 4)),
    spec(aid_story, L.APPLIED, 1, 10, 120, recent=(8, 10), materials=True),
    spec(aid_story, L.MATERIALS_REQUESTED, 2, 7, 120, recent=(3, 6)),
    spec(aid_story, L.GRANTED, 2, 8, 120, recent=(4, 7)),
    spec(aid_story, L.REFUSED, 2, 20),
    spec(aid_story, L.OBJECTION, 2, 16, 150, recent=(10, 14)),
    spec(aid_story, L.REFUSAL_UPHELD, 2, 30),
    spec(aid_story, L.CLOSED, 1, 30, closure=LegalAidClosure.TERMINATED),
    # Arbitration, from receipt to acceptance: the clerk's desk.
    arb_spec(S.RECEIVED, 2, 4, 120, recent=(0, 3)),
    arb_spec(S.RECEIVED, 1, 12, 150, recent=(8, 10), corrected=True),
    arb_spec(S.RECEIVED, 1, 4, 150, recent=(0, 3), desks=STREET),
    arb_spec(S.CORRECTION_REQUESTED, 2, 6, 120, recent=(2, 5)),
    arb_spec(S.REFUSED, 2, 30, prelude=M.FAILED),
    arb_spec(S.REFUSED, 1, 200, lawsuit=LS.FIRST_INSTANCE),
    arb_spec(S.ACCEPTED, 2, 8, 150, recent=(3, 6)),
    arb_spec(S.ACCEPTED, 1, 8, 200, recent=(3, 6), desks=STREET),
    arb_spec(S.SERVED, 2, 12, 150, recent=(6, 10)),
    # Tribunals with hearings this week and next, in both rooms; one collective case before three arbitrators.
    arb_spec(S.TRIBUNAL_FORMED, 1, 25, 200, recent=(16, 22), upcoming="this", aid=L.ASSIGNED),
    arb_spec(S.TRIBUNAL_FORMED, 1, 25, 200, recent=(16, 22), upcoming="this", notice=False),
    arb_spec(S.TRIBUNAL_FORMED, 1, 25, 200, recent=(14, 20), upcoming="next", aid=L.ASSIGNED),
    arb_spec(S.TRIBUNAL_FORMED, 1, 25, 200, recent=(14, 20), upcoming="next", notice=False),
    arb_spec(S.TRIBUNAL_FORMED, 1, 25, 200, recent=(14, 20), upcoming="next", postpone=True),
    arb_spec(
        S.TRIBUNAL_FORMED, 1, 25, 400, recent=(14, 20), upcoming="next", fits=lambda c: c.collective, desks=("LGC",)
    ),
    arb_spec(S.TRIBUNAL_FORMED, 1, 40, 250, recent=(30, 38), suspend="active"),
    # Heard: awards to write (one overdue), approvals pending, a suspended case, a closure sent back.
    arb_spec(S.HEARD, 1, 40, 250, recent=(30, 36), aid=L.ASSIGNED),
    arb_spec(S.HEARD, 1, 62, 300, recent=(55, 60), prelude=M.LAPSED),
    arb_spec(S.HEARD, 1, 40, 250, recent=(28, 34), held_this_week=True, simplified=True),
    arb_spec(S.HEARD, 1, 40, 250, recent=(30, 40), suspend="pending"),
    arb_spec(S.HEARD, 1, 40, 250, recent=(30, 40), extend="pending"),
    arb_spec(S.HEARD, 1, 55, 300, recent=(45, 55), suspend="active"),
    arb_spec(S.HEARD, 1, 45, 300, recent=(35, 45), sent_back=True),
    arb_spec(S.HEARD, 1, 45, 300, recent=(30, 40), upcoming="next", postpone=True, extend="approved"),
    arb_spec(S.CLOSING, 1, 60, 300, recent=(45, 55)),
    arb_spec(S.CLOSING, 1, 60, 300, recent=(45, 55), closure=C.MEDIATION_STATEMENT, pre_hearing=True),
    # Closed, every way a case can close.
    *[
        arb_spec(S.CLOSED, 2, 80, closure=c, prelude=M.FAILED)
        for c in (C.MEDIATION_STATEMENT, C.WITHDRAWN, C.TERMINATED, C.TRANSFERRED)
    ],
    # Rules Art 29's lapse of an uncorrected application (`correction_lapsed`) breaks a CHECK: not replayed.
    arb_spec(S.CLOSED, 2, 80, closure=C.DEEMED_WITHDRAWN, absent=True),
    arb_spec(S.CLOSED, 2, 70, 300, recent=(55, 62), serve=False),
    arb_spec(S.CLOSED, 2, 75, 300, recent=(62, 70), shape="final", fits=can_be_final),
    arb_spec(S.CLOSED, 1, 150, shape="final", fits=can_be_final, prelude=M.FAILED),
    arb_spec(S.CLOSED, 1, 150, fits=only_non_final),
    arb_spec(S.CLOSED, 1, 150, fits=is_mixed, suspend="resumed", extend="approved"),
    arb_spec(S.CLOSED, 1, 150, fits=lambda c: len(c.claims) > 1, partial_award=True, suspend="rejected"),
    arb_spec(S.CLOSED, 2, 120, aid=L.ASSIGNED, aid_close=True),
    # The award handed to the worker and published for an employer who cannot be found (公告送达); a hearing held
    # two days after it was scheduled, with no notice: the case closed with that breach on record.
    arb_spec(S.CLOSED, 1, 150, fits=only_non_final, serve="public_notice"),
    arb_spec(S.CLOSED, 1, 120, hearing_soon=True),
    # In court: lawsuits at every stage and applications to revoke final awards.
    arb_spec(S.CLOSED, 1, 90, 200, lawsuit=LS.FILED, fits=has_non_final, plaintiff=Litigant.EMPLOYER),
    arb_spec(S.CLOSED, 1, 90, 200, lawsuit=LS.FILED),
    arb_spec(S.CLOSED, 2, 110, 300, lawsuit=LS.FIRST_INSTANCE, fits=is_mixed),
    arb_spec(S.CLOSED, 2, 170, lawsuit=LS.JUDGED),
    arb_spec(S.CLOSED, 2, 190, lawsuit=LS.APPEAL),
    arb_spec(S.CLOSED, 2, 220, lawsuit=LS.SECOND_INSTANCE),
    arb_spec(S.CLOSED, 2, 190, lawsuit=LS.CLOSED),
    arb_spec(S.CLOSED, 2, 90, 200, lawsuit=LS.REVOCATION_APPLIED, shape="final", fits=can_be_final),
    arb_spec(S.CLOSED, 2, 150, lawsuit=LS.UPHELD, shape="final", fits=can_be_final),
    arb_spec(S.CLOSED, 2, 150, lawsuit=LS.REVOKED, shape="final", fits=can_be_final),
]
