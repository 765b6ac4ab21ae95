"""A hearing day's batch (开庭日程表): the schedule across rooms, then every hearing notice of the day.

Not a document of one case: it is printed for the commission's day, from the hearings the reader may see,
and the notices are the stored PDFs (the exact bytes served), appended as issued.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, undefer

from disputes import clock
from disputes.documents import render
from disputes.documents.context import principals, unit_context
from disputes.documents.issue import reprint
from disputes.i18n import N_
from disputes.models import Arbitration, Case, Hearing, HearingRoom, IssuedDocument, Unit
from disputes.organisation import subtree
from disputes.workflow.states import HearingState

TITLE = N_("Hearing schedule")
NOTICE_KIND = "arb_hearing_notice"


def hearings_of_day(session: Session, day: date, unit: Unit | None = None, scope=None) -> list[Hearing]:
    """Scheduled and held hearings starting on the local `day`, in the unit's subtree and the reader's scope."""
    start = datetime.combine(day, time(0, 0), tzinfo=clock.LOCAL_TZ)
    query = (
        sa.select(Hearing)
        .join(Arbitration, Arbitration.id == Hearing.arbitration_id)
        .join(Case, Case.id == Arbitration.case_id)
        .outerjoin(HearingRoom, HearingRoom.id == Hearing.room_id)
        .where(
            Hearing.starts_at >= start,
            Hearing.starts_at < start + timedelta(days=1),
            Hearing.state.in_([HearingState.SCHEDULED, HearingState.HELD]),
        )
        .order_by(HearingRoom.name.nulls_last(), Hearing.starts_at, Hearing.id)
    )
    if unit is not None:
        query = query.where(Arbitration.unit_id.in_(subtree(unit)))
    if scope is not None:
        query = query.where(scope)
    return list(session.scalars(query))


def notices(session: Session, hearing_list: list[Hearing]) -> dict[int, IssuedDocument]:
    """Hearing id → the current version of its issued notice (subject key = the hearing's id)."""
    if not hearing_list:
        return {}
    keys = {str(h.id): h for h in hearing_list}
    case_ids = {h.arbitration.case_id for h in hearing_list}
    found: dict[int, IssuedDocument] = {}
    rows = session.scalars(
        sa.select(IssuedDocument)
        .options(undefer(IssuedDocument.pdf))
        .where(
            IssuedDocument.kind == NOTICE_KIND,
            IssuedDocument.case_id.in_(case_ids),
            IssuedDocument.subject_key.in_(list(keys)),
        )
        .order_by(IssuedDocument.version)
    )
    for doc in rows:
        hearing = keys[doc.subject_key]
        if hearing.arbitration.case_id == doc.case_id:
            found[hearing.id] = doc
    return found


def _row(hearing: Hearing, notice: IssuedDocument | None) -> dict[str, Any]:
    arbitration, case = hearing.arbitration, hearing.arbitration.case
    return {
        "starts": clock.to_local(hearing.starts_at).strftime("%H:%M"),
        "ends": clock.to_local(hearing.ends_at).strftime("%H:%M"),
        "room": hearing.room.name if hearing.room else "",
        "number": arbitration.number or case.registry_no,
        "applicants": [p.name for p in principals(case.applicants)],
        "respondents": [p.name for p in principals(case.respondents)],
        "cause": case.cause,
        "arbitrators": [m.user.display_name for m in arbitration.tribunal],
        "notice": notice is not None,
        "notice_number": notice.number if notice is not None else "",
    }


def build(session: Session, day: date, unit: Unit, lang: str = "zh_CN", scope=None) -> tuple[bytes, dict[str, int]]:
    """The schedule followed by each notice, and the make-up (schedule pages, notices, notice pages)."""
    from pypdf import PdfReader, PdfWriter

    found = hearings_of_day(session, day, unit, scope)
    issued = notices(session, found)
    context = {
        "doc": {
            "id": "hearing_day_batch",
            "title": TITLE,
            "number": None,
            "issued_on": clock.today_local(),
            "code": None,
            "verify_url": None,
            "qr_uri": None,
            "preview": False,
            "single_page": False,
        },
        "issuer": {**unit_context(unit), "seal_uri": None},
        "day": day,
        "hearings": [_row(h, issued.get(h.id)) for h in found],
    }
    schedule = render.html_to_pdf(render.render_html("documents/hearing_day_batch.html", context, lang))
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(schedule)))
    made = {"schedule": len(writer.pages), "hearings": len(found), "notices": 0, "notice_pages": 0}
    for hearing in found:
        notice = issued.get(hearing.id)
        if notice is not None:
            writer.append(PdfReader(io.BytesIO(reprint(notice))))
            made["notices"] += 1
            made["notice_pages"] += notice.page_count
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), made
