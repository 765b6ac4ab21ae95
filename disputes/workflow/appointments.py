"""The domain's word that a hearing or a planned mediation session has changed (issue 20): scheduled, moved,
postponed or cancelled. The operations only name what changed, in the session; the parties' notices module
(`disputes.portal.reminders`) sends, when the transaction is about to commit, the notices that change makes due, so
they go at the moment of change, once, and never for a change that is rolled back."""

from __future__ import annotations

from sqlalchemy.orm import Session

from disputes.models import Hearing, MediationSession

CHANGED = "appointments_changed"  # session.info key: [("hearing" | "session", id), …] to notify before the commit


def hearing_changed(session: Session, hearing: Hearing) -> None:
    if hearing.id is None:
        session.flush()  # the hearing's id names its notices
    _add(session, ("hearing", hearing.id))


def session_changed(session: Session, planned_by: MediationSession) -> None:
    """`planned_by`: the logged session whose `next_at` is (or was) the planned session."""
    if planned_by.id is None:
        session.flush()
    _add(session, ("session", planned_by.id))


def _add(session: Session, item: tuple[str, int]) -> None:
    found = session.info.setdefault(CHANGED, [])
    if item not in found:
        found.append(item)


def take(session: Session) -> list[tuple[str, int]]:
    return session.info.pop(CHANGED, None) or []
