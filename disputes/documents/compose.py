"""The full context of one document: the envelope (title, number, date, issuer, seal,
verification) around the body its kind builds."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from disputes import clock, identity
from disputes.documents import catalogue, render
from disputes.documents.context import case_context, unit_context
from disputes.models import Case, Unit


def find_subject(session: Session, case: Case | None, kind: catalogue.DocumentKind, key: str = "") -> catalogue.Subject:
    for subject in kind.subjects(session, case):
        if subject.key == key:
            return subject
    where = case.registry_no if case is not None else "(no case)"
    raise LookupError(f"{kind.id} does not fit case {where} now (subject {key!r})")


def issuing_unit(case: Case | None, kind: catalogue.DocumentKind) -> Unit:
    """The unit whose name, seal and sequence a document carries: the one handling its track (for the court
    linkage, the commission whose award went to court)."""
    if case is None:
        raise ValueError("a document without a case needs its issuing unit")
    track = {
        "mediation": getattr(case, "mediation", None),
        "legal_aid": (getattr(case, "legal_aid", None) or [None])[-1],
        "arbitration": getattr(case, "arbitration", None),
        "litigation": getattr(case, "arbitration", None),
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
    unit: Unit | None = None,
    masked: bool = False,
) -> dict[str, Any]:
    """`masked`: ID numbers as first 6 and last 4 characters, wherever the kind's context carries them (previews;
    an issued document prints them in full)."""
    body = dict(kind.build(session, case, subject))
    issuer = body.pop("issuer", None) or unit_context(unit or issuing_unit(case, kind))
    built = {
        "case": case_context(case) if case is not None else None,
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
    return mask_ids(built) if masked else built


def mask_ids(value: Any) -> Any:
    """The context with every `id_number` masked (dicts and lists walked; other values kept)."""
    if isinstance(value, dict):
        return {
            k: identity.mask_resident_id(v) if k == "id_number" and isinstance(v, str) else mask_ids(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(mask_ids(v) for v in value)
    return value


def preview_html(
    session: Session,
    case: Case | None,
    kind_id: str,
    key: str = "",
    lang: str = "zh_CN",
    *,
    unit: Unit | None = None,
    stylesheet: str = "document.css",
    masked: bool = True,
) -> str:
    """The document as HTML, ID numbers masked unless the caller has audited their reveal; a browser preview passes
    the style sheet's URL."""
    from disputes.documents import seals

    kind = catalogue.kind(kind_id)
    subject = find_subject(session, case, kind, key)
    unit = unit or issuing_unit(case, kind)
    ctx = context(session, case, kind, subject, seal_uri=seals.seal_uri(session, unit), unit=unit, masked=masked)
    ctx["stylesheet"] = stylesheet
    return render.render_html(kind.template_name, ctx, lang)
