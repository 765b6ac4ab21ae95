"""The parties' side in the demo (issue 20): online applications waiting in the check queue (one collective, with
workers who joined and voted), parties who consented to electronic service with documents sent by link (one
opened, so served), and a failed delivery for a clerk to resend."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock, identity
from disputes.i18n import DomainError
from disputes.models import (
    CollectiveMember,
    DocumentService,
    IssuedDocument,
    OutboundMessage,
    Party,
    PartyKind,
)
from disputes.models.enums import MessageChannel, MessageStatus
from disputes.portal import eservice, filing

EMPLOYER = {"name": "深圳市龙岗区宏发五金制品有限公司", "credit_code": "91440300MA5FXXXX", "address": "龙岗区布吉街道"}
DEMO_APPLICANTS = [
    ("王建国", "44030719880312", "13682200001", [("wages", "15600", "2026年8月至10月工资")], False),
    (
        "刘芳",
        "44030719920721",
        "13682200002",
        [("economic_compensation", "24000", "工作4年"), ("overtime", "3200", "")],
        False,
    ),
    ("赵磊", "44030719850105", "13682200003", [("wages", "8800", "欠薪两个月")], True),
]


def _id(first14: str, n: int) -> str:
    first17 = f"{first14}{n:03d}"
    return first17 + identity.resident_id_check_char(first17)


def _credit_code() -> str:
    first17 = "91440300MA5FL2K3X"
    return first17 + identity.credit_code_check_char(first17)


def load(session: Session, centre) -> None:
    clerk = centre.users["clerk"]
    now = clock.now_utc()
    known_on = (clock.today_local() - timedelta(days=40)).isoformat()
    employer = {**EMPLOYER, "credit_code": _credit_code(), "known_on": known_on}
    for n, (name, id14, phone, claims, collective) in enumerate(DEMO_APPLICANTS):
        draft = {
            "who": {
                "kind": "arbitration" if n != 1 else "mediation",
                "unit_id": clerk.unit_id,
                "name": name,
                "id_number": _id(id14, 11 + 2 * n),
                "phone": phone,
                "email": "",
                "address": "龙岗区",
                "migrant_worker": n == 0,
                "drafted_by": "",
                "collective": collective,
            },
            "employer": employer,
            "claims": [{"category": c, "amount": a, "description": d} for c, a, d in claims],
            "facts": "公司以经营困难为由拖欠工资，多次催要未果。",
            "cause": "劳动报酬",
            "locale": "zh_CN",
        }
        application = filing.submit(session, draft, [])
        application.submitted_at = now - timedelta(hours=5 - n)
        if collective:
            members = [
                CollectiveMember(name=f"工友{k}", id_number=_id("44030719900101", 100 + 2 * k), phone=f"1368230{k:04d}")
                for k in range(1, 7)
            ]
            application.members.extend(members)  # after the worker who filed
            session.flush()
            for k, member in enumerate(members):
                member.vote_for_id = members[0].id if k < 4 else members[1].id
    session.flush()
    _electronic_service(session, clerk)


def _electronic_service(session: Session, clerk) -> None:
    """Workers with a mobile number on cases that have documents: consent, a link sent; the first opened."""
    docs = session.scalars(
        sa.select(IssuedDocument)
        .where(IssuedDocument.case_id.is_not(None), IssuedDocument.kind.not_in(eservice.AWARD_KINDS))
        .order_by(IssuedDocument.id)
    )
    sent = 0
    for document in docs:
        if sent >= 3:
            break
        worker = session.scalar(
            sa.select(Party)
            .where(Party.case_id == document.case_id, Party.kind == PartyKind.WORKER, Party.phone.is_not(None))
            .order_by(Party.id)
            .limit(1)
        )
        if worker is None or session.scalar(
            sa.select(DocumentService.id).where(
                DocumentService.document_id == document.id, DocumentService.party_id == worker.id
            )
        ):
            continue
        if eservice.consent_of(session, worker) is None:
            eservice.sign_consent(session, worker, worker.phone, via="portal")
        try:
            e_service = eservice.send(session, clerk, document, worker, link_for=None, awards_allowed=False)
        except DomainError:
            continue
        failed = sent == 2
        message = OutboundMessage(
            event_key=f"eservice:{e_service.id}",
            recipient=e_service.address,
            channel=MessageChannel.SMS,
            subject="劳动争议调解仲裁",
            body=f"您有一份文书待签收（{document.number or document.kind}），请凭验证码登录查看。",
            status=MessageStatus.FAILED if failed else MessageStatus.SENT,
            attempts=3 if failed else 1,
            last_error="recipient unreachable (gateway: 号码已停机)" if failed else None,
            sent_at=None if failed else clock.now_utc(),
            case_id=e_service.case_id,
            party_id=worker.id,
        )
        session.add(message)
        session.flush()
        e_service.message_id = message.id
        if sent == 0:
            try:
                with session.begin_nested():
                    eservice.open_document(session, e_service, worker)
            except DomainError:
                pass
        sent += 1
    session.flush()
