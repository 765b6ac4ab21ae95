"""Awards: items classified final or non-final (Law Art 47, Interp-I Art 19) against the regional minimum wage,
their service on each party, and their taking effect.

An item is final when its category is one of the money claims of Art 47(1) and its awarded
amount is at most 12 months of the minimum wage in force on the award date, or when it is a
dispute under national standards on working time, leave or social insurance (Art 47(2)).
Anything else is non-final. A mixed award becomes two awards, one of each kind, each with its own life:
a final award is effective on the day it is made (Art 47); each party's periods to sue or apply for its
revocation run from that party's receipt of it (Art 48–50) as that party's timers; a non-final award takes
effect when every party's period has run out with no lawsuit against it (Art 50), which its timers say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock
from disputes.i18n import N_, DomainError
from disputes.metrics.causes import cause_of_category
from disputes.models import (
    CLAIMANT_EMPLOYER,
    CLAIMANT_WORKER,
    Arbitration,
    Award,
    AwardItem,
    AwardService,
    Case,
    ClaimCategory,
    Party,
    PartyKind,
    PartySide,
    Role,
    Unit,
    User,
)
from disputes.sla.events import PARTY_RULES
from disputes.sla.scan import PERIOD_ENDED
from disputes.sla.states import OPEN_STATUSES, TimerStatus
from disputes.workflow import claim_items, finality
from disputes.workflow.actions import action, begin, finish
from disputes.workflow.arbitration import not_suspended, number_awards
from disputes.workflow.parties import PRINCIPAL_KINDS, principals
from disputes.workflow.progress import would_close
from disputes.workflow.states import ArbitrationState, CaseStatus, ClosureType, Finality, LawsuitKind, Track

S = ArbitrationState
R = Role
THRESHOLD_MONTHS = finality.THRESHOLD_MONTHS
region_of, region_candidates = finality.region_of, finality.region_candidates
DEFAULT_DUE_DAYS = 5  # "于本裁决生效之日起五日内": the usual term when the arbitrator sets none
# The national reading the `finality_rules` seed holds (migration 0019); the award step reads the rules table.
# Overtime pay is 劳动报酬 (Labour Law Art 44), so it is tested by amount like wages (docs/decisions.md).
AMOUNT_TESTED = frozenset(
    {
        ClaimCategory.WAGES,
        ClaimCategory.OVERTIME,
        ClaimCategory.WORK_INJURY_MEDICAL,
        ClaimCategory.ECONOMIC_COMPENSATION,
        ClaimCategory.DAMAGES,
    }
)
ALWAYS_FINAL = frozenset({ClaimCategory.WORKING_TIME_LEAVE, ClaimCategory.SOCIAL_INSURANCE})
NON_FINAL_RULE = "litigation.sue_nonfinal"


def classify(category: ClaimCategory, amount: Decimal | None, minimum_wage: Decimal) -> Finality:
    """The national reading for one claim item's total (the seeded rules, without a provincial one)."""
    if category in ALWAYS_FINAL:
        return Finality.FINAL
    if category in AMOUNT_TESTED and (amount or Decimal(0)) <= minimum_wage * THRESHOLD_MONTHS:
        return Finality.FINAL
    return Finality.NON_FINAL


def minimum_wage_on(session: Session, unit: Unit, on: date) -> Decimal:
    """The monthly minimum wage in force on `on` for the unit's region, or its city's, or its province's."""
    return finality.minimum_wage_row(session, unit, on).monthly_amount


def _no_award_yet(case: Case, row: Arbitration) -> DomainError | None:
    if any(not a.partial for a in row.awards):
        return DomainError(N_("The award has already been recorded."))
    return None


def unserved(case: Case) -> list[tuple[Award, object]]:
    """(closing award, principal party) pairs with no service recorded yet."""
    arbitration = case.arbitration
    closing = [a for a in arbitration.awards if not a.partial] if arbitration is not None else []
    return [(a, p) for a in closing for p in principals(case) if a.served_on_party(p.id) is None]


def _award_to_serve(case: Case, row: Arbitration) -> DomainError | None:
    if row.closure_type != ClosureType.AWARD:
        return DomainError(N_("The case was not closed with an award."))
    if not unserved(case):
        return DomainError(N_("The award has been served."))
    return None


def _award_made(row: Arbitration, _subject) -> date | None:
    """The closing act's date (Law Art 43): the day the closing award was made."""
    return max((a.awarded_on for a in row.awards if not a.partial), default=None)


RECORD_AWARD = action(
    "arbitration.record_award",
    Track.ARBITRATION,
    {S.HEARD},
    None,
    (R.SUPERVISOR,),
    assigned=(R.ARBITRATOR,),
    guards=(not_suspended, _no_award_yet),
    required=("items",),
    dated_by=_award_made,
    label=N_("Record the award"),
)
PARTIAL_AWARD = action(
    "arbitration.partial_award",
    Track.ARBITRATION,
    {S.HEARD},
    None,
    (R.SUPERVISOR,),
    assigned=(R.ARBITRATOR,),
    guards=(not_suspended, _no_award_yet),
    required=("items",),
    label=N_("Make a partial award"),
)
SERVE_AWARD = action(
    "arbitration.serve_award",
    Track.ARBITRATION,
    {S.CLOSED},
    None,
    (R.CLERK, R.SUPERVISOR),
    assigned=(R.ARBITRATOR,),
    guards=(_award_to_serve,),
    required=("party_id", "served_on"),
    dated_by=lambda _row, service: service.served_on,
    label=N_("Record the award served on a party"),
)


@dataclass
class ItemInput:
    claim_id: int | None
    amount: Decimal | None
    text: str
    category: ClaimCategory | None = None
    claimant: str | None = None  # worker / employer; None: the applicant's kind
    obligor_id: int | None = None  # who pays; None: the other side's first principal
    obligee_id: int | None = None  # who is paid; None: the claimant's side's first principal
    due_days: int | None = None  # days after the award takes effect; None: DEFAULT_DUE_DAYS for a sum


def applicant_kind(case: Case) -> str:
    """Whose application it is: an employer's when an employer is among the applicants."""
    employer = any(p.kind == PartyKind.EMPLOYER for p in case.applicants)
    return CLAIMANT_EMPLOYER if employer else CLAIMANT_WORKER


def _side_of(case: Case, claimant: str) -> PartySide:
    """The side that made the claim: the applicant's, unless the claimant is of the other kind (a counter-claim)."""
    return PartySide.APPLICANT if claimant == applicant_kind(case) else PartySide.RESPONDENT


def _first_principal(case: Case, side: PartySide) -> Party | None:
    return next((p for p in case.parties_of(side) if p.kind in PRINCIPAL_KINDS), None)


def _party(case: Case, party_id: int | None) -> Party | None:
    if party_id is None:
        return None
    party = next((p for p in case.parties if p.id == party_id), None)
    if party is None or party.kind not in PRINCIPAL_KINDS:
        raise DomainError(N_("Choose a worker or an employer of this case."), field="items")
    return party


def _line_key(item: ItemInput, position: int) -> str:
    return f"claim:{item.claim_id}" if item.claim_id is not None else f"item:{position}"


def _build_awards(
    session: Session, case: Case, actor: User, items: list[ItemInput], awarded_on: date, reasons: str, partial: bool
) -> list[Award]:
    """Items classified claim by claim (their lines summed first, Interp-I Art 19) by the rules in force for the
    unit's region on the award date; each item carries its enforceable term."""
    arbitration = case.arbitration
    if awarded_on > clock.today_local() or awarded_on < arbitration.accepted_on:
        raise DomainError(N_("The award date lies between acceptance and today."), field="awarded_on")
    claims = {c.id: c for c in case.claims}
    lines, rows = [], []
    for position, item in enumerate(items):
        claim = claims.get(item.claim_id) if item.claim_id is not None else None
        if item.claim_id is not None and claim is None:
            raise DomainError(N_("An item refers to a claim of another case."), field="items")
        category = claim.category if claim else item.category
        if category is None:
            raise DomainError(N_("Each item needs its claim or a category."), field="items")
        if item.due_days is not None and not 1 <= item.due_days <= 365:
            raise DomainError(N_("The days to pay lie between 1 and 365."), field="items")
        claimant = item.claimant or applicant_kind(case)
        lines.append(finality.ClaimLine(_line_key(item, position), category, item.amount, claimant))
        side = _side_of(case, claimant)
        other = PartySide.RESPONDENT if side == PartySide.APPLICANT else PartySide.APPLICANT
        obligor = _party(case, item.obligor_id) or (_first_principal(case, other) if item.amount is not None else None)
        obligee = _party(case, item.obligee_id) or (_first_principal(case, side) if item.amount is not None else None)
        if obligor is not None and obligor is obligee:
            raise DomainError(N_("A party cannot pay itself."), field="items")
        due_days = (
            item.due_days if item.due_days is not None else (DEFAULT_DUE_DAYS if item.amount is not None else None)
        )
        rows.append(
            AwardItem(
                position=position,
                claim=claim,
                category=category,
                amount=item.amount,
                text=item.text.strip(),
                claimant=claimant,
                obligor=obligor,
                obligee=obligee,
                due_days=due_days,
                dispute_cause=claim_items.cause_of(claim) if claim else cause_of_category(category).value,
            )
        )
    verdicts = finality.classify_claims(session, arbitration.unit, awarded_on, lines)
    grouped: dict[Finality, list[AwardItem]] = {}
    for line, row in zip(lines, rows, strict=True):
        row.finality = verdicts.finality_of(line.key)
        grouped.setdefault(row.finality, []).append(row)
    if not partial:  # a claim's resolved amount is the sum of its lines, not the last one
        for verdict in verdicts.claims:
            claim = claims.get(int(verdict.key.split(":")[1])) if verdict.key.startswith("claim:") else None
            if claim is not None and verdict.total is not None:
                claim.resolved_amount = verdict.total
        decided = {int(v.key.split(":")[1]): (v.total, True) for v in verdicts.claims if v.key.startswith("claim:")}
        claim_items.after_award(case.claims, decided)
    awards = [
        Award(
            finality=kind,
            awarded_on=awarded_on,
            partial=partial,
            minimum_wage=verdicts.minimum_wage,
            reasons=reasons.strip(),
            issued_by=actor,
            items=grouped[kind],
        )
        for kind in (Finality.FINAL, Finality.NON_FINAL)
        if kind in grouped
    ]
    arbitration.awards.extend(awards)
    return awards


def record_award(
    session: Session,
    case: Case,
    actor: User,
    *,
    items: list[ItemInput],
    awarded_on: date | None = None,
    reasons: str = "",
    expected_version: int | None = None,
) -> list[Award]:
    """The closing award, classified item by item; numbered when the supervisor approves the closure. Making it is
    the act that ends the proceedings (Law Art 43): the award timer is met on its date."""
    arbitration = case.arbitration
    begin(case, actor, RECORD_AWARD.name, arbitration, expected_version=expected_version, items=items)
    awards = _build_awards(session, case, actor, items, awarded_on or clock.today_local(), reasons, partial=False)
    finish(session, case, actor, RECORD_AWARD, arbitration, after=_summary(awards))
    return awards


def partial_award(
    session: Session,
    case: Case,
    actor: User,
    *,
    items: list[ItemInput],
    awarded_on: date | None = None,
    reasons: str = "",
    expected_version: int | None = None,
) -> list[Award]:
    """先行裁决 (Law Art 43): part of the claims decided now; numbered at once (a final part effective at once)."""
    arbitration = case.arbitration
    begin(case, actor, PARTIAL_AWARD.name, arbitration, expected_version=expected_version, items=items)
    awards = _build_awards(session, case, actor, items, awarded_on or clock.today_local(), reasons, partial=True)
    number_awards(arbitration)
    take_effect_when_made(awards)
    finish(session, case, actor, PARTIAL_AWARD, arbitration, after=_summary(awards))
    return awards


def take_effect_when_made(awards: list[Award]) -> None:
    """Law Art 47: a final award is legally effective from the day it is made."""
    for award in awards:
        if award.finality == Finality.FINAL and award.effective_on is None:
            award.effective_on = award.awarded_on


def _summary(awards: list[Award]) -> dict:
    return {a.finality.value: str(a.total) for a in awards} | {"numbers": [a.number for a in awards if a.number]}


def serve_award_on(
    session: Session,
    case: Case,
    actor: User,
    *,
    party_id: int | None,
    served_on: date | None,
    award_ids: list[int] | None = None,
    expected_version: int | None = None,
) -> list[AwardService]:
    """The award documents (`award_ids`, default every one not yet served on the party) reached one party on
    `served_on`: that party's periods to sue or to apply for revocation start that day (Law Art 48–50), one
    event per award document, so each half of a mixed award starts the periods of its own kind."""
    arbitration = case.arbitration
    begin(
        case,
        actor,
        SERVE_AWARD.name,
        arbitration,
        expected_version=expected_version,
        party_id=party_id,
        served_on=served_on,
    )
    party = next((p for p in case.parties if p.id == party_id), None)
    if party is None or party.kind not in PRINCIPAL_KINDS:
        raise DomainError(N_("Choose a worker or an employer of this case."), field="party_id")
    if award_ids is None:
        chosen = [a for a in arbitration.awards if a.served_on_party(party.id) is None]
    else:
        chosen = [a for a in arbitration.awards if a.id in award_ids]
        if len(chosen) != len(set(award_ids)):
            raise DomainError(N_("Choose an award of this case."), field="award_id")
        done = next((a for a in chosen if a.served_on_party(party.id) is not None), None)
        if done is not None:
            raise DomainError(
                N_("The award %(number)s was served on %(name)s on %(date)s."),
                field="award_id",
                number=done.number or "",
                name=party.name,
                date=done.served_on_party(party.id),
            )
    if not chosen:
        raise DomainError(N_("Every award document has been served on %(name)s."), field="party_id", name=party.name)
    if served_on > clock.today_local() or served_on < arbitration.closed_on:
        raise DomainError(N_("The award is served between its closure and today."), field="served_on")
    services = []
    everyone = principals(case)
    for award in chosen:
        service = AwardService(award=award, party=party, served_on=served_on)  # appended to award.services
        session.add(service)
        dates = [award.served_on_party(p.id) for p in everyone]
        if award.served_on is None and all(dates):
            award.served_on = max(dates)
        services.append(service)
        finish(
            session,
            case,
            actor,
            SERVE_AWARD,
            arbitration,
            subject=service,
            after={"party": party.name, "award": award.number, "served_on": served_on.isoformat()},
        )
    return services


def serve_award(session, case, actor, *, served_on: date | None, expected_version=None) -> Arbitration:
    """Every award document served on every party on one day: the per-party operation for each party."""
    arbitration = case.arbitration
    begin(
        case, actor, SERVE_AWARD.name, arbitration, expected_version=expected_version, party_id=0, served_on=served_on
    )
    for party in dict.fromkeys(p for _award, p in unserved(case)):
        serve_award_on(session, case, actor, party_id=party.id, served_on=served_on)
    return arbitration


def party_timers(case: Case, rule_id: str | None = None) -> list:
    """The case's timers of the parties' periods to sue or to apply for revocation (of one rule, if given)."""
    return [t for t in case.timers if t.rule_id in PARTY_RULES and rule_id in (None, t.rule_id)]


def lapse_periods(case: Case, today: date) -> list:
    """Close the parties' periods that ran out before `today` with no lawsuit, as the deadline scan does (met on
    their last day): the job does not wait for the scan."""
    lapsed = [t for t in party_timers(case) if t.status == TimerStatus.RUNNING and t.due_on < today]
    for timer in lapsed:
        timer.status, timer.completed_on, timer.completed_by = TimerStatus.MET, timer.due_on, PERIOD_ENDED
    return lapsed


def sued_against(case: Case, award: Award) -> bool:
    return any(s.award_id == award.id or (s.award_id is None and s.kind == LawsuitKind.LAWSUIT) for s in case.lawsuits)


def periods_ended(case: Case, award: Award) -> date | None:
    """The last day of the last party's period to sue against a non-final award when every party's ran out with
    no lawsuit against it (Law Art 50), read from the timers; None while one runs, one never started, or a party
    sued."""
    parties = principals(case)
    if not parties or sued_against(case, award):
        return None
    latest = {}
    for timer in party_timers(case, NON_FINAL_RULE):
        latest[timer.subject_id] = timer  # a restarted period: its last timer
    timers = [latest.get(p.id) for p in parties]
    if any(t is None or t.status in OPEN_STATUSES or t.completed_by != PERIOD_ENDED for t in timers):
        return None
    return max(t.due_on for t in timers)


@dataclass
class Effect:
    case: Case
    awards: list[Award]  # the awards that took effect now
    on: date  # the day after the last period ran out


def make_awards_effective(session: Session, today: date | None = None) -> list[Effect]:
    """Close the parties' periods that ran out, record the non-final awards whose periods all ran out with no
    lawsuit as effective the day after, and close the cases no period keeps open (idempotent; run daily)."""
    today = today or clock.today_local()
    candidates = session.scalars(
        sa.select(Arbitration)
        .join(Case, Case.id == Arbitration.case_id)
        .where(
            Arbitration.state == S.CLOSED,
            Arbitration.closure_type == ClosureType.AWARD,
            sa.or_(
                Case.status == CaseStatus.OPEN,
                Arbitration.awards.any(sa.and_(Award.effective_on.is_(None), Award.partial.is_(False))),
            ),
        )
        .order_by(Arbitration.id)
    ).all()
    effects = []
    for arbitration in candidates:
        case = arbitration.case
        lapse_periods(case, today)
        took = []
        for award in arbitration.awards:
            if award.partial or award.finality != Finality.NON_FINAL or award.effective_on is not None:
                continue
            ended = periods_ended(case, award)
            if ended is not None:
                award.effective_on = ended + timedelta(days=1)
                took.append(award)
        timers = party_timers(case)
        if took:
            # Dated by the effect, unless a lawsuit (against the other half) leads the case: then as of today.
            on = today if case.lawsuits else max(a.effective_on for a in took)
        elif (
            timers
            and case.status == CaseStatus.OPEN
            and not case.lawsuits
            and all(t.status not in OPEN_STATUSES for t in timers)
        ):
            on = max(t.due_on for t in timers) + timedelta(days=1)
            if not would_close(case, on):
                continue
        else:
            continue
        act = AWARD_EFFECTIVE if took else PERIODS_ENDED
        finish(
            session,
            case,
            None,
            act,
            arbitration,
            on=on,
            after={"effective_on": on.isoformat(), "awards": [a.number for a in took]},
        )
        effects.append(Effect(case, took, on))
    return effects


AWARD_EFFECTIVE = action(
    "arbitration.award_effective",
    Track.ARBITRATION,
    {S.CLOSED},
    None,
    (),
    label=N_("Award took effect (no lawsuit in time)"),
)
PERIODS_ENDED = action(
    "arbitration.sue_periods_ended",
    Track.ARBITRATION,
    {S.CLOSED},
    None,
    (),
    label=N_("No lawsuit or application to revoke within the periods"),
)
