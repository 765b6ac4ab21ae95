"""The service receipt (送达回证) and the case file's cover (案卷封面) and index (卷内目录)."""

from __future__ import annotations

from disputes import clock
from disputes.documents import case_file
from disputes.documents.catalogue import Subject, document
from disputes.documents.context import msgid, unit_context
from disputes.i18n import N_
from disputes.models import DocumentService


def _services(session, case) -> list[Subject]:
    from disputes.documents.service import services_of

    return [Subject(str(s.id), s.party.name, obj=s) for s in services_of(session, case)]


def _only_in_the_case_file(session, case) -> list[Subject]:
    """The cover and the index are made with the case file (`case_file.build`), never issued on their own."""
    return []


def electronic_times(service: DocumentService) -> dict | None:
    """For a service by link: when the link was sent, delivered (where the gateway reported it) and opened, read
    from the e-service row and its message (the facts' one place), not copied onto the service."""
    import sqlalchemy as sa
    from sqlalchemy.orm import object_session

    from disputes.models import ElectronicService

    session = object_session(service)
    if session is None:
        return None
    e_service = session.scalar(sa.select(ElectronicService).where(ElectronicService.service_id == service.id))
    if e_service is None:
        return None
    message = e_service.message
    return {
        "sent_at": (message.sent_at if message is not None and message.sent_at else None) or e_service.sent_at,
        "delivered_at": message.delivered_at if message is not None else None,
        "opened_at": e_service.opened_at,
    }


def service_context(service: DocumentService) -> dict:
    document = service.document
    return {
        "service": {
            "recipient": service.party.name,
            "side": msgid(service.party.side),
            "document_title": case_file.title_of(document.kind),
            "document_number": document.number or "",
            "method": service.method.value,
            "served_at": service.served_at,
            "published_on": service.published_on,
            "publication": service.publication or "",
            "place": service.place or service.party.address or "",
            "tracking_number": service.tracking_number or "",
            "address": service.address or "",
            "signed_by": service.recipient or "",
            "refusal_note": service.refusal_note or "",
            "officer": service.officer.display_name,
            "recorded_at": service.recorded_at,
            "electronic": electronic_times(service) if service.method.value == "electronic" else None,
        },
    }


@document(
    "arb_service_receipt", N_("Proof of service"), family=None, track="arbitration", subjects=_services, order=395
)
def service_receipt(session, case, subject) -> dict:
    context = service_context(subject.obj)
    arbitration = getattr(case, "arbitration", None)
    context["case_number"] = (arbitration.number if arbitration is not None else None) or case.registry_no
    return context


@document("file_cover", N_("Case file cover"), family=None, track="file", subjects=_only_in_the_case_file, order=900)
def file_cover(session, case, subject) -> dict:
    context = {"cover": case_file.cover_facts(session, case, clock.today_local())}
    arbitration = getattr(case, "arbitration", None)
    if arbitration is not None:
        context["issuer"] = unit_context(arbitration.unit)  # an arbitration file is the commission's
    return context


@document(
    "file_index", N_("Index of the case file"), family=None, track="file", subjects=_only_in_the_case_file, order=901
)
def file_index(session, case, subject) -> dict:
    return {"entries": case_file.index_entries(case_file.documents(session, case))}
