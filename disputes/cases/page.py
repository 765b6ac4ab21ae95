"""The case page's data, built in one place before the template renders (issue 16).

The view calls `build_case_page` once; the template reads only the `CasePage` it returns. The case and everything
its panels show are read here with one statement per relationship (selectin loading), so the number of statements
does not grow with the case's sessions, hearings, awards, documents or parties, and none run while rendering."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from disputes import clock, policy
from disputes.documents_web.views import documents_panel
from disputes.models import (
    Arbitration,
    Award,
    Case,
    CaseAssignment,
    Hearing,
    LegalAidApplication,
    Mediation,
    Party,
    TribunalMember,
    User,
)
from disputes.models.litigation import Lawsuit
from disputes.sla.explain import TimerView
from disputes.sla_web.views import case_timers
from disputes.web.steps import available_steps
from disputes.workflow.actions import Action
from disputes.workflow.states import CaseStage, CaseStatus, Track

TABS = ("case", "timeline")
HEADER_OFFERS = 3  # more documents to issue than this and the header points to the Documents panel


@dataclass(frozen=True)
class NextStep:
    """A step the user may take now, shown in the header (and in its track's panel)."""

    action: Action
    url: str
    track: Track


@dataclass(frozen=True)
class DocumentOffer:
    """A document that fits the case now and is not issued yet: issued from the header, then served."""

    kind_id: str
    key: str
    title: str
    label: str


@dataclass
class CasePage:
    case: Case
    tab: str
    holders: list[CaseAssignment]
    next_deadline: TimerView | None
    starts: list[NextStep]  # opening a track
    steps: dict[tuple[str, int | None], list[NextStep]]  # (track, row id) → the steps on that row
    timers: list[TimerView]
    documents: dict | None
    offers: list[DocumentOffer]
    open_panels: frozenset[str]
    entries: list = field(default_factory=list)  # the timeline, read only on its tab
    extra: dict[str, Any] = field(default_factory=dict)  # forms and context of the side cards

    @property
    def header_offers(self) -> list[DocumentOffer]:
        """The documents the header offers: the latest in the procedure's order (the panel lists them all)."""
        return self.offers[-HEADER_OFFERS:]

    @property
    def header_steps(self) -> list[NextStep]:
        """Every step available now: the open tracks' first, then opening a track."""
        return [s for steps in self.steps.values() for s in steps] + self.starts

    def steps_for(self, track: Track, row) -> list[NextStep]:
        return self.steps.get((track.value, getattr(row, "id", None)), [])

    def is_open(self, panel: str) -> bool:
        return panel in self.open_panels


def _load(session, case_id: int) -> Case:
    """The case with what every panel reads, one statement per relationship."""
    mediation = selectinload(Case.mediation)
    arbitration = selectinload(Case.arbitration)
    return session.scalars(
        sa.select(Case)
        .where(Case.id == case_id)
        .options(
            joinedload(Case.unit),
            joinedload(Case.created_by),
            selectinload(Case.parties).selectinload(Party.represents),
            selectinload(Case.claims),
            selectinload(Case.limitation_events),
            selectinload(Case.assignments).joinedload(CaseAssignment.user).selectinload(User.role_rows),
            selectinload(Case.route),
            mediation.joinedload(Mediation.unit),
            mediation.joinedload(Mediation.mediator),
            mediation.selectinload(Mediation.sessions),
            mediation.selectinload(Mediation.terms),
            mediation.selectinload(Mediation.instalments),
            mediation.selectinload(Mediation.confirmations),
            arbitration.joinedload(Arbitration.unit),
            arbitration.joinedload(Arbitration.closure_requested_by),
            arbitration.joinedload(Arbitration.closure_approved_by),
            arbitration.selectinload(Arbitration.tribunal).joinedload(TribunalMember.user),
            arbitration.selectinload(Arbitration.hearings).joinedload(Hearing.room),
            arbitration.selectinload(Arbitration.suspensions),
            arbitration.selectinload(Arbitration.extensions),
            arbitration.selectinload(Arbitration.restarts),
            arbitration.selectinload(Arbitration.awards).selectinload(Award.items),
            arbitration.selectinload(Arbitration.awards).selectinload(Award.services),
            arbitration.selectinload(Arbitration.awards).joinedload(Award.issued_by),
            selectinload(Case.legal_aid).joinedload(LegalAidApplication.unit),
            selectinload(Case.lawsuits).selectinload(Lawsuit.extensions),
        )
    ).one()


def _steps(case: Case) -> tuple[list[NextStep], dict[tuple[str, int | None], list[NextStep]]]:
    starts = [
        NextStep(act, url, track)
        for track in (Track.MEDIATION, Track.ARBITRATION, Track.LEGAL_AID, Track.LITIGATION)
        for act, url in available_steps(case, track, None)
    ]
    rows: list[tuple[Track, Any]] = []
    if case.mediation is not None:
        rows.append((Track.MEDIATION, case.mediation))
    if case.arbitration is not None:
        rows.append((Track.ARBITRATION, case.arbitration))
    rows += [(Track.LEGAL_AID, a) for a in case.legal_aid]
    rows += [(Track.LITIGATION, s) for s in case.lawsuits]
    steps = {
        (track.value, row.id): [NextStep(act, url, track) for act, url in available_steps(case, track, row)]
        for track, row in rows
    }
    return starts, steps


def _next_deadline(timers: list[TimerView]) -> TimerView | None:
    """The open, running timer due first (the panel lists them in that order; paused ones have no date to meet)."""
    running = [v for v in timers if v.is_open and v.timer.due_on is not None and v.timer.status.value != "paused"]
    return min(running, key=lambda v: (v.timer.due_on, v.timer.id), default=None)


def _open_panels(case: Case, offers: list[DocumentOffer], next_deadline: TimerView | None) -> frozenset[str]:
    """Which panels start open: the track being worked on, the facts until one is opened, what needs doing."""
    opened: set[str] = set()
    if case.status == CaseStatus.CLOSED:
        return frozenset({"facts"})
    if case.stage == CaseStage.INTAKE:
        opened |= {"facts", "parties", "claims"}
    if case.mediation is not None and case.mediation.ended_on is None:
        opened.add("mediation")
    if case.arbitration is not None and case.arbitration.closed_on is None:
        opened.add("arbitration")
    opened |= {f"legal-aid-{a.id}" for a in case.legal_aid if a.closed_on is None}
    opened |= {f"lawsuit-{s.id}" for s in case.lawsuits if s.closed_on is None}
    if offers:
        opened.add("documents")
    if next_deadline is not None:
        opened.add("timers")
    return frozenset(opened)


def build_case_page(session, case: Case, user, tab: str = "case") -> CasePage:
    """Everything the case page shows to `user`, read now."""
    case = _load(session, case.id)
    tab = tab if tab in TABS else "case"
    timers = case_timers(case)
    documents = documents_panel(case)
    offers = []
    if documents is not None and not documents["blocked"] and case.status != CaseStatus.CLOSED:
        offers = [
            DocumentOffer(row.kind.id, row.key, row.kind.title, row.label)
            for row in documents["rows"]
            if row.fits and row.may_issue and not row.versions
        ]
    starts, steps = _steps(case)
    deadline = _next_deadline(timers)
    page = CasePage(
        case=case,
        tab=tab,
        holders=[a for a in case.assignments if a.active],
        next_deadline=deadline,
        starts=starts,
        steps=steps,
        timers=timers,
        documents=documents,
        offers=offers,
        open_panels=_open_panels(case, offers, deadline),
    )
    if tab == "timeline":
        page.entries = case.timeline.limit(200).all()
    page.extra["may_reveal"] = policy.can_reveal_ids(user, case) and any(p.id_number for p in case.parties)
    page.extra["today"] = clock.today_local()
    page.extra["may_serve"] = policy.can_record_service(user, case)
    return page
