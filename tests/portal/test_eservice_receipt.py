"""The 送达回证 of a service by link prints the address and when the link was sent, delivered (where the gateway
reported it) and opened (issue 20); the times are read from the e-service row and its message."""

import io
from datetime import timedelta

from pypdf import PdfReader

from disputes import clock, messaging
from disputes.documents import catalogue, compose, render
from disputes.models import Role
from disputes.portal import eservice, notify
from tests.portal.test_eservice import PHONE, served_case


def receipt(db, case, service, lang) -> tuple[str, bytes]:
    kind = catalogue.kind("arb_service_receipt")
    subject = compose.find_subject(db.session, case, kind, str(service.id))
    html = render.render_html(kind.template_name, compose.context(db.session, case, kind, subject), lang)
    pdf = render.html_to_pdf(html)
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages), pdf


def served_by_link(app, db, org, make_case, delivered: bool):
    case, notice, _award = served_case(db, org, make_case)
    worker = case.applicants[0]
    eservice.sign_consent(db.session, worker, PHONE, via="portal")
    start = clock.now_utc()
    with app.test_request_context():
        e_service = eservice.send(db.session, org.user(Role.CLERK), notice, worker, link_for=None, awards_allowed=False)
        message = notify.document_link(db.session, e_service, "仲裁受理通知书")
    if delivered:
        messaging.report(db.session, message.provider_id, delivered=True, at=start + timedelta(minutes=2))
    clock.freeze(start + timedelta(hours=3, minutes=7))
    service = eservice.open_document(db.session, e_service, worker)
    db.session.commit()
    return case, service, start


def test_the_receipt_prints_sent_delivered_and_opened_times_and_the_address(app, db, org, make_case, outbox):
    case, service, start = served_by_link(app, db, org, make_case, delivered=True)
    local = clock.to_local(start)
    zh, pdf = receipt(db, case, service, "zh_CN")
    zh = zh.replace(" ", "").replace("\n", "")
    at = f"{local.year}年{local.month}月{local.day}日"
    assert "链接发送时间" in zh and f"{at}{local.hour}时{local.minute:02d}分" in zh
    delivered = local + timedelta(minutes=2)
    assert f"{at}{delivered.hour}时{delivered.minute:02d}分" in zh
    opened = local + timedelta(hours=3, minutes=7)
    assert f"{at}{opened.hour}时{opened.minute:02d}分" in zh
    assert PHONE in zh and "网关未回报" not in zh
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    en, pdf = receipt(db, case, service, "en")
    en = " ".join(en.split())
    assert "Link sent" in en and "Delivery report" in en and "Opened" in en and "after a one-time code" in en
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_without_a_delivery_report_the_receipt_says_so(app, db, org, make_case, outbox):
    case, service, _start = served_by_link(app, db, org, make_case, delivered=False)
    zh, _pdf = receipt(db, case, service, "zh_CN")
    assert "网关未回报" in zh.replace(" ", "").replace("\n", "")
    en, pdf = receipt(db, case, service, "en")
    assert "Not reported by the gateway" in " ".join(en.split())
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
