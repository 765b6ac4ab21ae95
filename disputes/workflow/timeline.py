"""Writing the case timeline: every operation records what it changed here."""

from sqlalchemy.orm import Session

from disputes import clock
from disputes.models import Case, TimelineEntry, User


def record(
    session: Session,
    case: Case,
    actor: User | None,
    kind: str,
    *,
    reason: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> TimelineEntry:
    entry = TimelineEntry(
        case=case,
        actor_id=actor.id if actor else None,
        at=clock.now_utc(),
        kind=kind,
        reason=reason,
        before=before,
        after=after,
    )
    session.add(entry)
    return entry
