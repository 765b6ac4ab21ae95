"""The full context of one document: the envelope (title, number, date, issuer, seal,
verification) around the body its kind builds."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from disputes import clock
from disputes.documents import catalogue, render
from disputes.documents.context import case_context, unit_context
from disputes.models import Case, Unit


def find_subject(session: Session, case: Case, kind: catalogue.DocumentKind, key: str = "") -> catalogue.Subject:
    for subject in kind.subjects(session, case):
        if subject.key == key:
            return subject
    raise LookupError(f"{kind.id} does not fit case {case.registry_no} now (subject {key!r})")


def issuing_unit(case: Case, kind: catalogue.DocumentKind) -> Unit:
    """The unit whose name, seal and sequence a document carries: the one handling its track."""
    track = {
        "mediation": getattr(case, "mediation", None),
        "legal_aid": getattr(case, "legal_aid", None),
        "arbitration": getattr(case, "arbitration", None),
    }.get(kind.track)
    return getattr(track, "unit", None) or case.unit


def context(
    session: Session,
    case: Case,
    kind: catalogue.DocumentKind,
    subject: catalogue.Subject,
    *,
    number: str | None = None,
    issued_on: date | None = None,
    code: str | None = None,
    verify_url: str | None = None,
    qr_uri: str | None = None,
    seal_uri: str | None = None,
    preview: bool = True,
) -> dict[str, Any]:
    body = dict(kind.build(session, case, subject))
    issuer = body.pop("issuer", None) or unit_context(issuing_unit(case, kind))
    return {
        "case": case_context(case),
        **body,
        "doc": {
            "id": kind.id,
            "title": body.get("title", kind.title),
            "number": number,
            "issued_on": issued_on or clock.today_local(),
            "code": code,
            "verify_url": verify_url,
            "qr_uri": qr_uri,
            "preview": preview,
            "single_page": False,
        },
        "issuer": {**issuer, "seal_uri": seal_uri},
    }


def preview_html(session: Session, case: Case, kind_id: str, key: str = "", lang: str = "zh_CN") -> str:
    kind = catalogue.kind(kind_id)
    subject = find_subject(session, case, kind, key)
    return render.render_html(kind.template_name, context(session, case, kind, subject), lang)
