"""After intake: replay track histories on a share of the demo cases (see `track_stories.SPECS`)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock
from disputes.demo.centre import Centre
from disputes.demo.replay import Replay, World, allocate, run
from disputes.demo.track_stories import SPECS
from disputes.documents.service import deem_public_notices
from disputes.models import Arbitration, Case, Hearing, Lawsuit, LegalAidApplication, Mediation
from disputes.workflow.awards import make_awards_effective


def replay_tracks(
    session: Session, centre: Centre, written: list[tuple[Case, str, str | None, datetime]], seed: int
) -> None:
    """`written`: each case with its desk's unit code, its planned mediator and its registration moment."""
    now = clock.now_utc()
    world = World(session, centre.users, centre.units, centre.rooms, now, seed)
    registered = {case.id: moment for case, _, _, moment in written}
    chosen = allocate(
        SPECS, [(case, desk, mediator) for case, desk, mediator, _ in written], world.today, random.Random(seed)
    )
    stories = [
        (Replay(world, case, registered[case.id], mediator, options), spec.story)
        for spec, case, mediator, options in chosen
    ]
    with clock.frozen(now):  # gives the clock back as it was, frozen or not
        run(stories)
        # As the daily jobs would have: public notices deemed served, then the awards' effect and the periods.
        deem_public_notices(session, world.today)
    make_awards_effective(session, world.today)
    session.flush()


def track_summary(session: Session) -> list[str]:
    def states(model) -> str:
        counts = Counter(dict(session.execute(sa.select(model.state, sa.func.count()).group_by(model.state)).all()))
        return ", ".join(f"{state.value} {n}" for state, n in sorted(counts.items()))

    hearings = session.scalar(sa.select(sa.func.count()).select_from(Hearing)) or 0
    return [
        f"Mediations: {states(Mediation)}",
        f"Legal aid: {states(LegalAidApplication)}",
        f"Arbitrations: {states(Arbitration)} ({hearings} hearings)",
        f"Lawsuits: {states(Lawsuit)}",
    ]
