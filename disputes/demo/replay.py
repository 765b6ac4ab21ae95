"""Replaying track histories: every story is a generator that yields the moment of its next step.

The scheduler runs all stories' steps in one chronological order with the clock frozen at
each step, so numbers are issued in date order and hearings clash-check against each other
exactly as they would have in production. Steps never run after the load's real "now".
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from disputes import clock
from disputes.models import Case, HearingRoom, Role, User

Story = Callable[["Replay"], Iterator[datetime]]
HEARING_SLOTS = (time(9, 0), time(14, 30))
HEARING_HOURS = 2


def working_day(day: date, backwards: bool = False) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=-1 if backwards else 1)
    return day


def local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, clock.LOCAL_TZ).astimezone(UTC)


class Slots:
    """Hearing slots already taken, by room and by arbitrator, so the demo never double-books."""

    def __init__(self):
        self.busy: set[tuple] = set()

    def take(
        self, earliest: datetime, rooms: list[HearingRoom], arbitrators: list[User], latest: datetime | None = None
    ) -> tuple[datetime, HearingRoom] | None:
        day = clock.to_local(earliest).date()
        for _ in range(60):
            if day.weekday() < 5:
                for at in HEARING_SLOTS:
                    start = local(day, at)
                    if start < earliest or (latest is not None and start + timedelta(hours=HEARING_HOURS) > latest):
                        continue
                    if any(("arb", a.id, start) in self.busy for a in arbitrators):
                        continue
                    room = next((r for r in rooms if ("room", r.id, start) not in self.busy), None)
                    if room is not None:
                        self.busy |= {("room", room.id, start), *(("arb", a.id, start) for a in arbitrators)}
                        return start, room
            day += timedelta(days=1)
        return None


@dataclass
class World:
    session: Session
    users: dict[str, User]
    units: dict
    rooms: list[HearingRoom]
    now: datetime
    seed: int
    slots: Slots = field(default_factory=Slots)
    turns: dict = field(default_factory=dict)

    @property
    def today(self) -> date:
        return clock.to_local(self.now).date()

    def next_of(self, key: str, names: tuple[str, ...]) -> User:
        """Round robin over a group of users (mediators, arbitrators) so each gets a share of the work."""
        index = self.turns.get(key, 0)
        self.turns[key] = index + 1
        return self.users[names[index % len(names)]]


class Replay:
    """One case's story: its clock cursor (never backwards, never past now), its dice and its people."""

    def __init__(self, world: World, case: Case, registered: datetime, mediator: str | None, options: dict):
        self.world, self.case, self.options = world, case, options
        self.session = world.session
        self.rng = random.Random(world.seed * 7919 + case.id)
        self.cursor = registered + timedelta(minutes=30)
        self.planned_mediator = mediator

    def user(self, name: str) -> User:
        return self.world.users[name]

    def has(self, role: Role) -> bool:
        return any(u.has_role(role) for u in self.world.users.values())

    def at(self, moment: datetime) -> datetime:
        moment = min(max(moment, self.cursor + timedelta(minutes=5)), self.world.now - timedelta(minutes=1))
        self.cursor = max(moment, self.cursor)
        return self.cursor

    def _on(self, day: date, hour: int | None) -> datetime:
        at = (
            time(hour, self.rng.choice((0, 10, 20, 30, 40)))
            if hour is not None
            else time(self.rng.randint(9, 16), self.rng.choice((0, 10, 20, 30, 40, 50)))
        )
        return local(day, at)

    def later(self, days: int, hour: int | None = None) -> datetime:
        """A working-day moment `days` after the cursor's day, without moving the cursor."""
        day = working_day(clock.to_local(self.cursor).date() + timedelta(days=days))
        moment = self._on(day, hour)
        if moment <= self.cursor:
            moment = self.cursor + timedelta(minutes=self.rng.randint(10, 90))
        return moment

    def after(self, days: int, hour: int | None = None) -> datetime:
        """Move the cursor to a working-day moment `days` after its day (the same day when 0)."""
        return self.at(self.later(days, hour))

    def ago(self, days: int, hour: int | None = None) -> datetime:
        """A working-day moment `days` before the load's today (never in the future)."""
        day = working_day(self.world.today - timedelta(days=days), backwards=True)
        return self.at(self._on(day, hour))

    def age(self) -> int:
        """Days between the cursor and now: how much history is still available."""
        return (self.world.today - clock.to_local(self.cursor).date()).days


def run(stories: list[tuple[Replay, Story]]) -> None:
    """Step every story in global time order; the caller restores the clock."""
    heap: list[tuple[datetime, int, Iterator[datetime]]] = []
    for seq, (replay, story) in enumerate(stories):
        steps = story(replay)
        first = next(steps, None)
        if first is not None:
            heap.append((first, seq, steps))
    heapq.heapify(heap)
    while heap:
        moment, seq, steps = heapq.heappop(heap)
        clock.freeze(moment)
        following = next(steps, None)
        if following is not None:
            heapq.heappush(heap, (max(following, moment), seq, steps))


@dataclass(frozen=True)
class Spec:
    """A story to tell `count` times, on cases registered between `min_age` and `max_age` days ago."""

    story: Story
    count: int
    min_age: int
    max_age: int = 10_000
    desks: tuple[str, ...] = ("LGC", "LGM")
    fits: Callable[[Case], bool] | None = None
    options: dict = field(default_factory=dict)


def allocate(
    specs: list[Spec], cases: list[tuple[Case, str, str | None]], today: date, rng: random.Random
) -> list[tuple[Spec, Case, str | None, dict]]:
    """Give each spec its cases (narrowest age window first), each case at most one story."""
    free = list(cases)
    chosen = []
    for spec in sorted(specs, key=lambda s: (s.max_age - s.min_age, -s.min_age)):
        for _ in range(spec.count):
            eligible = [
                entry
                for entry in free
                if entry[1] in spec.desks
                and spec.min_age <= (today - entry[0].registered_on).days <= spec.max_age
                and (spec.fits is None or spec.fits(entry[0]))
            ]
            if not eligible:
                break
            entry = rng.choice(eligible)
            free.remove(entry)
            chosen.append((spec, entry[0], entry[2], spec.options))
    return chosen
