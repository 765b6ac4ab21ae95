"""Issuing documents: number, render, store the exact bytes, record it on the timeline.

One number per act (docs/decisions.md): a document of an act that has a number of
its own (an award with 之一/之二, a mediation statement or decision under the case
number, a mediation agreement under its mediation's number) prints that number and
takes none from a sequence. Only documents without one (notices, letters) take a
文号 from the unit's sequence for the kind's family, in the caller's transaction
(the atomic upsert of `numbering`), so a rolled-back issue gives its number back
and two concurrent issues never share one. An issued document is dated with the
date of the act it records. Every version is kept; `reprint` hands out the stored
bytes, never a new rendering.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, object_session

from disputes import clock, numbering, policy, storage
from disputes.documents import catalogue, compose, render, seals, verify
from disputes.i18n import N_, DomainError
from disputes.models import Case, IssuedDocument, Unit, User
from disputes.workflow import timeline

by_code = verify.by_code
matches = verify.matches


def versions(session: Session, case: Case | None, kind_id: str, subject_key: str = "") -> list[IssuedDocument]:
    """Every version of one document instance, oldest first."""
    case_clause = IssuedDocument.case_id.is_(None) if case is None else IssuedDocument.case_id == case.id
    return list(
        session.scalars(
            sa.select(IssuedDocument)
            .where(case_clause, IssuedDocument.kind == kind_id, IssuedDocument.subject_key == subject_key)
            .order_by(IssuedDocument.version)
        )
    )


def issued_for(session: Session, case: Case) -> list[IssuedDocument]:
    """All documents issued for a case, every version, in issue order."""
    return list(
        session.scalars(sa.select(IssuedDocument).where(IssuedDocument.case_id == case.id).order_by(IssuedDocument.id))
    )


def issue(
    session: Session,
    case: Case | None,
    kind_id: str,
    subject_key: str,
    actor: User | None,
    lang: str = "zh_CN",
    *,
    unit: Unit | None = None,
) -> IssuedDocument:
    """Issue version 1 of a document instance. `unit` names the issuer of a case-less document;
    `actor` None is the system (the demo loader, a job) and skips the permission check."""
    kind = catalogue.kind(kind_id)
    _check(actor, case, kind, unit)
    if versions(session, case, kind_id, subject_key):
        raise DomainError(N_("This document has been issued already; reissue it to make a new version."))
    subject = compose.find_subject(session, case, kind, subject_key)
    unit = unit or compose.issuing_unit(case, kind)
    number = catalogue.act_number(session, case, kind, subject)
    if number is None and kind.family:  # the 文号's year is that of the date the document bears (GB/T 9704 §7.2.4)
        dated = catalogue.act_date(session, case, kind, subject) or clock.today_local()
        number = numbering.issue_number(session, unit, kind.family, dated.year)
    return _write(session, case, kind, subject, unit, actor, lang, number=number, version=1)


def reissue(
    session: Session, case: Case | None, kind_id: str, subject_key: str, actor: User | None, lang: str | None = None
) -> IssuedDocument:
    """A new version from the case's current data, with the same number; earlier versions stay valid records."""
    kind = catalogue.kind(kind_id)
    previous = versions(session, case, kind_id, subject_key)
    if not previous:
        raise DomainError(N_("This document has not been issued yet."))
    last = previous[-1]
    _check(actor, case, kind, last.unit)
    subject = compose.find_subject(session, case, kind, subject_key)
    return _write(
        session, case, kind, subject, last.unit, actor, lang or last.lang, number=last.number, version=last.version + 1
    )


def reprint(doc: IssuedDocument) -> bytes:
    """The bytes that were issued, unchanged: from its row or the document store (storage.StoreError when they
    are missing there or changed)."""
    what = f"issued document {doc.id} ({doc.number or doc.code})"
    return storage.load(object_session(doc), doc.sha256, doc.pdf, what)


def render_preview_pdf(
    session: Session,
    case: Case | None,
    kind_id: str,
    subject_key: str = "",
    lang: str = "zh_CN",
    *,
    unit: Unit | None = None,
    masked: bool = True,
) -> render.Pdf:
    """A PDF as it would be issued, marked as a preview, without number, code or record; ID numbers masked unless
    the caller has audited their reveal."""
    kind = catalogue.kind(kind_id)
    subject = compose.find_subject(session, case, kind, subject_key)
    unit = unit or compose.issuing_unit(case, kind)
    context = compose.context(
        session, case, kind, subject, seal_uri=seals.seal_uri(session, unit), unit=unit, masked=masked
    )
    return render.render_pdf(render.render_html(kind.template_name, context, lang))


def _check(actor: User | None, case: Case | None, kind: catalogue.DocumentKind, unit: Unit | None) -> None:
    if actor is not None and not policy.can_issue_documents(actor, case, track=kind.track, unit=unit):
        raise DomainError(N_("You may not issue this document."))
    verify.check_base_url()  # before a number is taken


def _write(
    session: Session,
    case: Case | None,
    kind: catalogue.DocumentKind,
    subject: catalogue.Subject,
    unit: Unit,
    actor: User | None,
    lang: str,
    *,
    number: str | None,
    version: int,
) -> IssuedDocument:
    lang = render.normalise_language(lang)
    code = verify.new_code()
    url = verify.verify_url(code)
    dated = catalogue.act_date(session, case, kind, subject) or clock.today_local()
    context = compose.context(
        session,
        case,
        kind,
        subject,
        number=number,
        issued_on=dated,
        code=code,
        verify_url=url,
        qr_uri=verify.qr_data_uri(url),
        seal_uri=seals.seal_uri(session, unit),
        preview=False,
        unit=unit,
    )
    pdf = render.render_pdf(render.render_html(kind.template_name, context, lang))
    digest, held = storage.keep(session, pdf.data)  # into the document store; the row keeps them only with `db`
    doc = IssuedDocument(
        case=case,
        unit=unit,
        kind=kind.id,
        subject_key=subject.key,
        version=version,
        lang=lang,
        number=number,
        code=code,
        sha256=digest,
        size=len(pdf.data),
        page_count=pdf.page_count,
        pdf=held,
        issued_by_id=actor.id if actor else None,
        issued_at=clock.now_utc(),
    )
    session.add(doc)
    if case is not None:
        timeline.record(
            session,
            case,
            actor,
            "document_issued" if version == 1 else "document_reissued",
            after={"kind": kind.id, "key": subject.key, "number": number, "version": version, "code": code},
        )
    session.flush()
    return doc
