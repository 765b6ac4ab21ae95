"""The demo's issued documents: what each case's state implies, and a few of every other kind.

Every case issues the documents that record its acts (acceptance or refusal, the award's halves, the mediation
agreement or statement, the decisions, legal-aid decisions), as the system, on the day of the act, in date
order, so a newcomer sees the real numbers (one per act) and verification pages. Notices of procedure (service,
tribunal, hearings) and forms are issued for a few cases only: rendering a PDF is the load's dearest step.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock, numbering, policy
from disputes.demo.centre import Centre
from disputes.documents import catalogue
from disputes.documents import issue as issuing
from disputes.i18n import DomainError
from disputes.models import Case, IssuedDocument
from disputes.workflow.states import ArbitrationState

# The documents of a case's acts, issued for every case whose state has them (acceptance: see `worth_issuing`).
ACT_KINDS = frozenset(
    {
        "arb_acceptance",
        "arb_refusal",
        "arb_award",
        "arb_mediation_statement",
        "arb_decision",
        "med_agreement",
        "med_failure_notice",
        "la_grant",
        "la_refusal",
    }
)
ISSUED_AT = time(16, 30)  # local: the documents of a day's acts go out in the afternoon

MAX_DOCUMENTS = 20  # of the kinds not in ACT_KINDS (notices of procedure, forms, letters)
PER_KIND = 1
# Document numbers as the Longgang bodies write them (the defaults are `{code}仲字〔{year}〕{seq}号`…).
PATTERNS = {
    ("LGA", numbering.ARBITRATION_DOC): "深龙劳人仲字〔{year}〕{seq}号",
    ("LGM", numbering.MEDIATION_DOC): "深龙劳调字〔{year}〕{seq}号",
    ("LGL", numbering.LEGAL_AID_DOC): "深龙法援字〔{year}〕{seq}号",
}


def set_demo_patterns(session: Session, centre: Centre) -> None:
    for (code, family), pattern in PATTERNS.items():
        if code in centre.units:
            numbering.set_pattern(session, centre.units[code], family, pattern)


def worth_issuing(case: Case, kind_id: str) -> bool:
    """An acceptance notice only while the arbitration runs: a closed case shows its award, statement or decision
    instead, and each PDF costs the load about 0.15 s."""
    if kind_id == "arb_acceptance":
        return case.arbitration.state not in (ArbitrationState.CLOSING, ArbitrationState.CLOSED)
    return True


def issue_act_documents(session: Session, kinds: frozenset[str] = ACT_KINDS) -> int:
    """Issue, as the system, every document of `kinds` the cases' states imply and not issued yet, each on the
    day of its act (now at the latest) and all in date order, so the 文号 run in the order of their dates."""
    now = clock.now_utc()
    done = set(session.execute(sa.select(IssuedDocument.case_id, IssuedDocument.kind, IssuedDocument.subject_key)))
    pending = []
    for case in session.scalars(sa.select(Case).order_by(Case.id)):
        for kind, subject in catalogue.available(session, case):
            if kind.id in kinds and (case.id, kind.id, subject.key) not in done and worth_issuing(case, kind.id):
                day = catalogue.act_date(session, case, kind, subject) or clock.today_local()
                at = min(datetime.combine(day, ISSUED_AT, clock.LOCAL_TZ).astimezone(UTC), now)
                pending.append((at, case.id, kind.order, case, kind, subject))
    issued = 0
    for at, _id, _order, case, kind, subject in sorted(pending, key=lambda p: p[:3]):
        with clock.frozen(at):
            try:
                issuing.issue(session, case, kind.id, subject.key, None)
            except DomainError:  # an award whose closure awaits approval has no number yet
                continue
        issued += 1
    return issued


def issue_demo_documents(session: Session, centre: Centre, limit: int = MAX_DOCUMENTS) -> int:
    """Issue documents up to `limit` in all, at most `PER_KIND` of a kind, by a user allowed to; returns how many
    are issued in all.
    The extension notices the replay has issued already (and served) count towards both."""
    set_demo_patterns(session, centre)
    issuers = list(centre.users.values())
    per_kind: dict[str, int] = dict(
        session.execute(sa.select(IssuedDocument.kind, sa.func.count()).group_by(IssuedDocument.kind)).all()
    )
    issued = sum(count for kind, count in per_kind.items() if kind not in ACT_KINDS)
    for case in session.scalars(sa.select(Case).order_by(Case.id.desc())):
        for kind, subject in catalogue.available(session, case):
            if issued >= limit:
                return issued
            if per_kind.get(kind.id, 0) >= PER_KIND:
                continue
            actor = next((u for u in issuers if policy.can_issue_documents(u, case, track=kind.track)), None)
            if actor is None or issuing.versions(session, case, kind.id, subject.key):
                continue
            issuing.issue(session, case, kind.id, subject.key, actor)
            per_kind[kind.id] = per_kind.get(kind.id, 0) + 1
            issued += 1
    return issued
