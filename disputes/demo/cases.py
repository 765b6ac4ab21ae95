"""Synthetic case files planned from a seed and a day alone.

Planning touches no database, so a seed and a day always give the same cases;
the loader only writes the plans, in registration order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from disputes import clock
from disputes.demo import people
from disputes.demo.stories import Story, write_up
from disputes.models import PartyKind, PartySide, Sex
from disputes.sla.periods import add_months
from disputes.workflow.intake import IntakeInput, PartyInput

LGM_MEDIATORS = ("mediator", "mediator2", "mediator3")


class Desk(NamedTuple):
    """Where a case is registered, who may register it there, and who may mediate it."""

    unit: str
    registrars: tuple[str, ...]
    mediators: tuple[str, ...]
    weight: int


DESKS = (
    Desk("LGC", ("clerk",), LGM_MEDIATORS, 50),
    Desk("LGM", LGM_MEDIATORS, LGM_MEDIATORS, 20),
    Desk("BJM", ("bjmediator",), ("bjmediator",), 13),
    Desk("BTM", ("btclerk",), (), 11),
    Desk("BTHXM", ("btclerk",), (), 6),
)
ASSIGN_SHARE = 0.72  # of cases at desks with mediators: about 60% of all cases
COLLECTIVE_SHARE = 0.08
MIGRANT_SHARE = 0.4
LIMITATION_SHARE = 0.04
DUPLICATE_SHARE = 0.04


@dataclass
class CasePlan:
    moment: datetime  # registration, UTC
    unit_code: str
    registrar: str
    intake: IntakeInput  # unit_id is 0 until the loader knows the unit's id
    mediator: str | None = None
    assigned_at: datetime | None = None


class Planner:
    def __init__(self, rng: random.Random, today: date):
        self.rng = rng
        self.today = today
        self.employers: list[PartyInput] = []
        self.history: list[tuple[PartyInput, PartyInput]] = []

    def worker(self, on: date, representative: bool = False) -> PartyInput:
        rng = self.rng
        sex = rng.choice((Sex.MALE, Sex.FEMALE))
        born = people.birth_date(rng, on)
        return PartyInput(
            PartySide.APPLICANT,
            PartyKind.WORKER,
            people.person_name(rng),
            sex=sex,
            birth_date=born,
            id_number=people.resident_id(rng, born, sex),
            phone=people.phone(rng),
            address=people.address(rng),
            is_representative=representative,
            migrant_worker=rng.random() < MIGRANT_SHARE,
        )

    def new_employer(self) -> PartyInput:
        rng = self.rng
        registered = rng.random() < 0.9
        return PartyInput(
            PartySide.RESPONDENT,
            PartyKind.EMPLOYER,
            people.employer_name(rng) if registered or rng.random() < 0.5 else people.workshop_name(rng),
            credit_code=people.credit_code(rng) if registered else None,
            legal_representative=people.person_name(rng),
            phone=people.landline(rng),
            address=people.address(rng),
        )

    def employer(self) -> PartyInput:
        """Some employers come back again and again, as they do in real registers."""
        rng = self.rng
        if self.employers and rng.random() < 0.3:
            return replace(rng.choice(self.employers[: len(self.employers) // 8 + 1]))
        if self.employers and rng.random() < 0.15:
            return replace(rng.choice(self.employers))
        self.employers.append(self.new_employer())
        return replace(self.employers[-1])

    def agent(self, side: PartySide, client: PartyInput, parties: list[PartyInput]) -> PartyInput:
        """A lawyer, or else a relative of the worker or the employer's HR officer, acting for `client`."""
        rng = self.rng
        if rng.random() < 0.55:
            firm = people.law_firm(rng)
            where, capacity = f"{firm}（{people.address(rng)}）", f"{firm}律师"
        elif side == PartySide.APPLICANT:
            where, capacity = client.address, f"{client.name}的近亲属"
        else:
            where, capacity = f"{client.name}人事部", f"{client.name}人事部工作人员"
        return PartyInput(
            side,
            PartyKind.AGENT,
            people.person_name(rng),
            sex=rng.choice(tuple(Sex)),
            phone=people.phone(rng),
            address=where,
            capacity=capacity,
            represents=parties.index(client),
        )

    def moments(self, count: int) -> list[datetime]:
        """Working-day moments (09:00–16:00 Shanghai) in the 18 months before today, in order."""
        start = add_months(self.today, -18)
        span = (self.today - start).days
        moments = []
        while len(moments) < count:
            day = start + timedelta(days=self.rng.randrange(span))
            if day.weekday() < 5:
                local = datetime.combine(day, time(9), clock.LOCAL_TZ) + timedelta(seconds=self.rng.randrange(25200))
                moments.append(local.astimezone(UTC))
        return sorted(moments)

    def parties(self, on: date, collective: bool) -> list[PartyInput]:
        rng = self.rng
        if self.history and not collective and rng.random() < DUPLICATE_SHARE:
            worker, employer = (replace(p) for p in rng.choice(self.history))
        else:
            worker, employer = self.worker(on, representative=collective), self.employer()
        if not collective:
            self.history.append((worker, employer))
        more_workers = [self.worker(on, representative=True) for _ in range(rng.randint(2, 4) if collective else 0)]
        parties = [worker, *more_workers, employer]
        if rng.random() < 0.06:
            second = self.employer()
            if second.name != employer.name:
                parties.append(second)
        if rng.random() < 0.15:
            parties.append(self.agent(PartySide.APPLICANT, worker, parties))
        if rng.random() < 0.25:
            parties.append(self.agent(PartySide.RESPONDENT, employer, parties))
        return parties

    def plan(self, moment: datetime) -> CasePlan:
        rng = self.rng
        on = clock.to_local(moment).date()
        collective = rng.random() < COLLECTIVE_SHARE
        desk = DESKS[0] if collective else rng.choices(DESKS, weights=[d.weight for d in DESKS])[0]
        late = rng.random() < LIMITATION_SHARE
        known = on - timedelta(days=rng.randint(370, 560) if late else rng.randint(3, 150))
        parties = self.parties(on, collective)
        worker, employer = parties[0], next(p for p in parties if p.kind == PartyKind.EMPLOYER)
        start = max(known - timedelta(days=rng.randint(90, 3650)), worker.birth_date + timedelta(days=16 * 366))
        wage = round(rng.choice((rng.uniform(2360, 4500), rng.uniform(4500, 9000), rng.uniform(9000, 20000))), -1)
        heads = rng.randint(10, 60) if collective else 1
        cause, facts, claims = write_up(
            rng, Story(worker, employer, start, known, int(wage), rng.choice(people.JOBS), heads)
        )
        intake = IntakeInput(
            unit_id=0,
            cause=cause,
            parties=parties,
            claims=claims,
            registered_on=on,
            dispute_known_on=known,
            facts=facts,
            worker_count=heads if collective else None,
        )
        registrar = rng.choice(desk.registrars)
        plan = CasePlan(moment, desk.unit, registrar, intake)
        if desk.mediators and rng.random() < ASSIGN_SHARE:
            plan.mediator = registrar if registrar in desk.mediators else rng.choice(desk.mediators)
            plan.assigned_at = moment + timedelta(minutes=rng.randint(10, 90))
        return plan


def plan_cases(seed: int, today: date, count: int) -> list[CasePlan]:
    """`count` cases registered on working days of the 18 months before `today`, oldest first."""
    planner = Planner(random.Random(seed), today)
    return [planner.plan(moment) for moment in planner.moments(count)]
