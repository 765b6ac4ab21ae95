"""The complete case file (完整案卷): cover + index + every issued document, merged and page-numbered.

Built on demand from the stored PDFs (the exact bytes handed out), never re-rendered. Archival practice:
the documents' pages carry continuous numbers (页号) stamped top right, from 1; the cover and the index
are not numbered, and the index lists each document with its page range in that numbering.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, undefer

from disputes.documents import catalogue, compose, render
from disputes.documents.context import msgid, principals
from disputes.documents.issue import reprint
from disputes.models import Case, IssuedDocument, Role
from disputes.workflow.states import ClosureType

# Made with the file or for a day, not papers of the case; an issued proof of service is filed like any document.
FILE_KINDS = frozenset({"file_cover", "file_index", "case_file", "hearing_day_batch"})
AWARD_RETENTION_YEARS, OTHER_RETENTION_YEARS = 10, 5
COVER_NAMES = 5


def title_of(kind_id: str) -> str:
    """The English msgid of a document kind's title (translated by the template), or the id if unknown."""
    found = catalogue.load_kinds().get(kind_id)
    return found.title if found else kind_id


def documents(session: Session, case: Case, *, with_pdf: bool = False) -> list[IssuedDocument]:
    """The current version of every document instance issued for the case, in the order they were issued."""
    query = sa.select(IssuedDocument).where(IssuedDocument.case_id == case.id, IssuedDocument.kind.not_in(FILE_KINDS))
    if with_pdf:
        query = query.options(undefer(IssuedDocument.pdf))
    latest: dict[tuple[str, str], IssuedDocument] = {}
    for doc in session.scalars(query.order_by(IssuedDocument.version)):
        latest[(doc.kind, doc.subject_key)] = doc
    return sorted(latest.values(), key=lambda d: (d.issued_at, d.id))


def index_entries(docs: list[IssuedDocument]) -> list[dict[str, Any]]:
    entries, page = [], 1
    for seq, doc in enumerate(docs, start=1):
        entries.append(
            {
                "seq": seq,
                "title": title_of(doc.kind),
                "number": doc.number or "",
                "issued_at": doc.issued_at,
                "version": doc.version,
                "first": page,
                "last": page + doc.page_count - 1,
                "pages": doc.page_count,
            }
        )
        page += doc.page_count
    return entries


def retention_years(case: Case) -> int:
    arbitration = getattr(case, "arbitration", None)
    awarded = arbitration is not None and arbitration.closure_type == ClosureType.AWARD
    return AWARD_RETENTION_YEARS if awarded else OTHER_RETENTION_YEARS


def _result(case: Case) -> str:
    arbitration = getattr(case, "arbitration", None)
    if arbitration is not None and arbitration.closure_type is not None:
        return msgid(arbitration.closure_type)
    if arbitration is not None:
        return msgid(arbitration.state)
    mediation = getattr(case, "mediation", None)
    return msgid(mediation.state) if mediation is not None else ""


def cover_facts(session: Session, case: Case, archived_on: date) -> dict[str, Any]:
    arbitration = getattr(case, "arbitration", None)
    clerks = [a.user.display_name for a in case.assignments if a.active and a.role == Role.CLERK]
    if not clerks and case.created_by is not None:
        clerks = [case.created_by.display_name]
    docs = documents(session, case)
    applicants, respondents = principals(case.applicants), principals(case.respondents)  # agents are no parties
    return {
        "registry_no": case.registry_no,
        "number": arbitration.number if arbitration is not None and arbitration.number else "",
        "category": msgid(case.stage),
        # A collective case names its first workers and counts the rest, so the cover stays one page.
        "applicants": [p.name for p in applicants][:COVER_NAMES],
        "more_applicants": max(len(applicants) - COVER_NAMES, 0),
        "respondents": [p.name for p in respondents][:COVER_NAMES],
        "more_respondents": max(len(respondents) - COVER_NAMES, 0),
        "cause": case.cause,
        "result": _result(case),
        "arbitrators": [m.user.display_name for m in arbitration.tribunal] if arbitration is not None else [],
        "clerks": clerks,
        "filed_on": (arbitration.accepted_on if arbitration is not None else None) or case.registered_on,
        # The commission's file closes with the act that ended the arbitration (Law Art 43), not the approval.
        "closed_on": (arbitration.closed_on if arbitration is not None else None) or case.closed_on,
        "archived_on": archived_on,
        "documents": len(docs),
        "pages": sum(d.page_count for d in docs),
        "retention_years": retention_years(case),
    }


def _html(session: Session, case: Case, kind_id: str, lang: str) -> str:
    kind = catalogue.kind(kind_id)
    context = compose.context(session, case, kind, catalogue.Subject(), preview=False)
    context["doc"]["single_page"] = True
    return render.render_html(kind.template_name, context, lang)


def render_front(session: Session, case: Case, lang: str) -> tuple[bytes, int, int]:
    """The cover and the index laid out separately but written as one PDF (one font subsetting, not two):
    the PDF and the page counts of the cover and of the index."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from disputes.documents import fonts

    fonts.install()
    shared = FontConfiguration()  # one set of fonts for both, so the combined PDF embeds every glyph used
    laid_out = [
        HTML(
            string=_html(session, case, kind_id, lang),
            base_url=render.DOCUMENT_ASSETS.as_uri() + "/",
            url_fetcher=render.LocalOnlyFetcher(),
        ).render(font_config=shared)
        for kind_id in ("file_cover", "file_index")
    ]
    cover, index = laid_out
    both = cover.copy(cover.pages + index.pages)
    return both.write_pdf(finisher=fonts.finish), len(cover.pages), len(index.pages)


def build(session: Session, case: Case, lang: str = "zh_CN") -> tuple[bytes, dict[str, int]]:
    """The merged PDF and its make-up: pages of the cover, the index and the documents."""
    from pypdf import PdfReader, PdfWriter

    from disputes.documents.stamp import stamp_numbers

    docs = documents(session, case, with_pdf=True)
    front, cover_pages, index_pages = render_front(session, case, lang)
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(front)))
    parts = {"cover": cover_pages, "index": index_pages, "documents": 0}
    first_document_page = len(writer.pages)
    for doc in docs:
        writer.append(PdfReader(io.BytesIO(reprint(doc))))
    parts["documents"] = len(writer.pages) - first_document_page
    stamp_numbers(writer, first_document_page)
    writer.add_metadata({"/Title": f"{case.registry_no} case file"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), parts
