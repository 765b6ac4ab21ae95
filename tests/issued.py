"""Issued documents for tests of service and the case file, without depending on which kinds exist yet.

`fake_issue` stores a real PDF of `pages` pages (WeasyPrint, text naming the kind) as an IssuedDocument,
the way `documents.issue.issue` stores one (its bytes in the configured document store, in the row only with
`db`); the tests need the row and its bytes, not the kind's template.
"""

from __future__ import annotations

import hashlib
import itertools

from disputes import clock, storage
from disputes.documents import render
from disputes.models import IssuedDocument

_codes = itertools.count(1)
_PDFS: dict[tuple[str, int], bytes] = {}


def pdf_of(label: str, pages: int) -> bytes:
    if (label, pages) not in _PDFS:
        body = "".join(
            f'<section style="page-break-after: always"><h1>{label}</h1><p>page {n}</p></section>'
            for n in range(1, pages + 1)
        )
        _PDFS[(label, pages)] = render.html_to_pdf(f"<html><body>{body}</body></html>")
    return _PDFS[(label, pages)]


def fake_issue(
    session,
    case,
    kind: str,
    subject_key: str = "",
    *,
    pages: int = 1,
    actor=None,
    number=None,
    version: int = 1,
    unit=None,
    id: int | None = None,
) -> IssuedDocument:
    pdf = pdf_of(f"{kind}-{subject_key}", pages)
    _digest, held = storage.keep(session, pdf)
    doc = IssuedDocument(
        id=id,
        case=case,
        unit=unit or case.unit,
        kind=kind,
        subject_key=subject_key,
        version=version,
        lang="zh_CN",
        number=number,
        code=f"T{next(_codes):07d}",
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        page_count=pages,
        pdf=held,
        issued_by=actor,
        issued_at=clock.now_utc(),
    )
    session.add(doc)
    session.flush()
    return doc
