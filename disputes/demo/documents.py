"""The demo's issued documents: a few per kind on demo cases, so the Documents panels are not empty."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import numbering, policy
from disputes.demo.centre import Centre
from disputes.documents import catalogue
from disputes.documents import issue as issuing
from disputes.models import Case, IssuedDocument

MAX_DOCUMENTS = 8
PER_KIND = 2
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


def issue_demo_documents(session: Session, centre: Centre, limit: int = MAX_DOCUMENTS) -> int:
    """Issue documents up to `limit` in all, at most `PER_KIND` of a kind, by a user allowed to; returns how many are issued in all.
    The extension notices the replay has issued already (and served) count towards both."""
    set_demo_patterns(session, centre)
    issuers = list(centre.users.values())
    per_kind: dict[str, int] = dict(session.execute(
        sa.select(IssuedDocument.kind, sa.func.count()).group_by(IssuedDocument.kind)).all())
    issued = sum(per_kind.values())
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
