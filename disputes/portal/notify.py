"""The texts the portal sends (SMS or e-mail), in the recipient's language, through the one gateway."""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from disputes import messaging
from disputes.models import OnlineApplication
from disputes.models.enums import ApplicationStatus


def _base() -> str:
    return current_app.config.get("PUBLIC_BASE_URL") or "http://127.0.0.1:5000"


def sign_in_code(session: Session, contact: str, code_id: int, code: str, locale: str) -> None:
    with force_locale(locale):
        text = _("Your code for the labour dispute centre is %(code)s. It expires in 10 minutes.", code="%(secret)s")
    messaging.send(
        session, event_key=f"code:{code_id}", recipient=contact, text=text, secret=code, subject=_subject(locale)
    )


def _subject(locale: str) -> str:
    with force_locale(locale):
        return _("Labour dispute centre")


def application_decided(session: Session, application: OnlineApplication) -> None:
    """Tell the applicant the check's outcome, on every address they gave (once per decision and address)."""
    locale = application.data.get("locale") or "zh_CN"
    link = _base() + url_for("portal.sign_in")
    with force_locale(locale):
        if application.status == ApplicationStatus.ACCEPTED:
            text = _(
                "Your application %(ref)s has been accepted as case %(case)s. Follow it at %(link)s",
                ref=application.reference,
                case=application.case.registry_no,
                link=link,
            )
        elif application.status == ApplicationStatus.CORRECTION:
            text = _(
                "Your application %(ref)s needs more information: %(reason)s. Please file again at %(link)s",
                ref=application.reference,
                reason=application.decision_reason,
                link=link,
            )
        else:
            text = _(
                "Your application %(ref)s was not accepted: %(reason)s",
                ref=application.reference,
                reason=application.decision_reason,
            )
    key = f"application:{application.id}:{application.status.value}:{application.decided_at.isoformat()}"
    for contact in filter(None, (application.contact_phone, application.contact_email)):
        messaging.send(
            session, event_key=key, recipient=contact, text=text, subject=_subject(locale), case_id=application.case_id
        )


def document_link(session: Session, e_service, document_title: str, locale: str = "zh_CN"):
    """The link to a document served electronically (one message per document and party)."""
    link = _base() + url_for("portal.served", e_service_id=e_service.id)
    with force_locale(locale):
        text = _(
            "A document has been served on you: %(title)s. Open it at %(link)s after signing in with a code.",
            title=document_title,
            link=link,
        )
    message, _new = messaging.send(
        session,
        event_key=f"eservice:{e_service.id}",
        recipient=e_service.address,
        text=text,
        subject=_subject(locale),
        case_id=e_service.case_id,
        party_id=e_service.party_id,
    )
    e_service.message_id = message.id
    return message
