"""Issue 12 finding 6: an extension is told to the parties in writing (Law Art 43, Rules Art 45) — the 延期通知书 —
and the approval form shows the deadline before and after the extension as the timer had it, not today's."""

from datetime import date

import pytest

from disputes.documents import catalogue
from disputes.documents import issue as issuing
from disputes.documents.service import ServiceInput, record_service
from disputes.models import Role, ServiceMethod
from disputes.workflow import interruptions, restarts
from disputes.workflow.states import ArbitrationState
from tests.documents.test_documents_set_b import NUMBER, local_date, pdf, say, text_of
from tests.drive import Driver, at_local
from tests.sla.test_timers import at


def kinds_of(db, case, kind_id) -> list[str]:
    db.session.flush()
    return [subject.key for kind, subject in catalogue.available(db.session, case) if kind.id == kind_id]


@pytest.fixture
def accepted(db, org, make_case):
    """Accepted on 2026-09-01: the award is due 10-16."""
    at(date(2026, 9, 1))
    case = make_case(registered_on=date(2026, 9, 1), dispute_known_on=date(2026, 8, 1))
    Driver(db.session, org, case).arbitration(ArbitrationState.ACCEPTED)
    return case


def extend(db, org, case, days, on: date, approve=True):
    at(on)
    request = interruptions.request_extension(
        db.session, case, org.colleague(Role.SUPERVISOR), days=days, reason="案情复杂需要补充调查"
    )
    if approve is not None:
        interruptions.decide_extension(
            db.session, case, org.user(Role.SUPERVISOR), approve=approve, note="同意延期" if approve else "无必要"
        )
    return request


def test_the_notice_is_offered_once_an_extension_is_approved(db, org, accepted):
    case = accepted
    pending = extend(db, org, case, 5, date(2026, 9, 10), approve=None)
    assert kinds_of(db, case, "arb_extension_notice") == []
    interruptions.decide_extension(db.session, case, org.user(Role.SUPERVISOR), approve=False, note="无必要")
    assert kinds_of(db, case, "arb_extension_notice") == []
    approved = extend(db, org, case, 10, date(2026, 9, 12))
    assert kinds_of(db, case, "arb_extension_notice") == [str(approved.id)]
    assert pending.id != approved.id
    kind = catalogue.kind("arb_extension_notice")
    assert (kind.family, kind.track) == ("arbitration_doc", "arbitration")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_notice_names_the_parties_the_days_and_both_deadlines(db, org, accepted, lang):
    case = accepted
    extension = extend(db, org, case, 15, date(2026, 9, 20))
    text = text_of(pdf(db, case, "arb_extension_notice", str(extension.id), lang=lang))
    assert NUMBER in text and case.arbitration.number in text
    assert "张三" in text and "深圳市宏达电子科技有限公司" in text
    assert (
        say(
            lang,
            "Under Article 43 of the Labour Dispute Mediation and Arbitration Law and Article 45 of the Rules "
            "for Handling Labour and Personnel Dispute Arbitration Cases, the head of this commission approved "
            "on %(decided)s an extension of the time limit for the case by %(days)s days: the time limit, "
            "which would have ended on %(before)s, now ends on %(after)s.",
            days=15,
            decided=local_date(date(2026, 9, 20), lang),
            before=local_date(date(2026, 10, 16), lang),
            after=local_date(date(2026, 11, 2), lang),
        )
        in text
    )
    assert say(lang, "Notice is hereby given.") in text
    assert "案情复杂需要补充调查" in text
    if lang == "zh_CN":
        assert "延期通知书" in text and "第四十三条" in text and "特此通知" in text


def test_a_third_party_is_told_too(db, org, accepted):
    from disputes.models import PartyKind
    from disputes.workflow.intake import PartyInput
    from disputes.workflow.states import JoinCapacity

    case = accepted
    restarts.add_party(
        db.session,
        case,
        org.user(Role.SUPERVISOR),
        capacity=JoinCapacity.THIRD_PARTY,
        party=PartyInput(side=None, kind=PartyKind.WORKER, name="李四"),
    )
    extension = extend(db, org, case, 5, date(2026, 9, 3))
    assert "李四" in text_of(pdf(db, case, "arb_extension_notice", str(extension.id)))


def test_the_approval_form_shows_the_deadlines_of_its_own_decision(db, org, accepted):
    """Not today's timer: a later extension moves the deadline again, the first form keeps its own dates."""
    case = accepted
    first = extend(db, org, case, 10, date(2026, 9, 10))
    second = extend(db, org, case, 5, date(2026, 9, 15))
    assert (first.due_before, first.due_after) == (date(2026, 10, 16), date(2026, 10, 26))
    assert (second.due_before, second.due_after) == (date(2026, 10, 26), date(2026, 11, 2))  # 10-31 Saturday
    for lang in ("zh_CN", "en"):
        text = text_of(pdf(db, case, "arb_extension_approval", str(first.id), lang=lang))
        assert say(lang, "Deadline before the extension") + local_date(date(2026, 10, 16), lang) in text
        assert say(lang, "Deadline after the extension") + local_date(date(2026, 10, 26), lang) in text
        assert local_date(date(2026, 11, 2), lang) not in text


def test_the_form_of_a_waiting_request_shows_what_it_would_give(db, org, accepted):
    case = accepted
    request = extend(db, org, case, 15, date(2026, 9, 10), approve=None)
    text = text_of(pdf(db, case, "arb_extension_approval", str(request.id), lang="en"))
    assert say("en", "Deadline before the extension") + local_date(date(2026, 10, 16), "en") in text
    assert say("en", "Deadline if approved") + local_date(date(2026, 11, 2), "en") in text


def test_the_notice_is_issued_and_served_on_each_party(db, org, accepted):
    case, clerk = accepted, org.user(Role.CLERK)
    extension = extend(db, org, case, 10, date(2026, 9, 10))
    document = issuing.issue(db.session, case, "arb_extension_notice", str(extension.id), clerk)
    assert document.number and document.unit == case.arbitration.unit
    at(date(2026, 9, 11))
    services = [
        record_service(
            db.session,
            case,
            clerk,
            document,
            party,
            ServiceInput(
                method=ServiceMethod.IN_PERSON, served_at=at_local(date(2026, 9, 11), 9), recipient=party.name
            ),
        )
        for party in case.parties
    ]
    assert [s.party for s in services] == case.parties and all(s.event is None for s in services)
