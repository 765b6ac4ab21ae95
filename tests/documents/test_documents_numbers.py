"""One number per act, dated by the act (issue 13): every kind issued for cases with agents on both sides and a
mixed award, by users whose interface is English, read back with pdftotext.

An award, a mediation statement, a decision, a mediation agreement and a legal-aid decision print their act's own
number (the case number, 之一/之二 for the halves of a mixed award) and take no 文号; a notice or a letter takes
one from its unit's sequence; forms carry none. Each is dated with the date of the act it records.

`CHECKS` is the hook for further wording checks per kind (the finality wording of awards joins it): each entry is
called with the issued document's text and its subject.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from disputes import clock, policy
from disputes.documents import catalogue
from disputes.documents import issue as issuing
from disputes.documents.service import ServiceInput, record_service
from disputes.models import ClaimCategory, NumberSequence, Role
from disputes.models.document_service import ServiceMethod
from disputes.numbering import DOCUMENT_FAMILIES
from disputes.workflow.intake import ClaimInput
from disputes.workflow.states import ArbitrationState as S
from disputes.workflow.states import ClosureType, LawsuitState, LegalAidState, MediationState
from tests.documents.test_documents_parties import (
    WORKER,
    _hearing_extension_and_suspension,
    _mediation_agreement,
    check_agents,
    parties,
    text_of,
)
from tests.drive import Driver

# 20,000 stays under 12 × the Shenzhen minimum wage (final), 40,000 goes over it (non-final): a mixed award.
MIXED_CLAIMS = [
    ClaimInput(ClaimCategory.WAGES, Decimal("20000.00"), "拖欠工资"),
    ClaimInput(ClaimCategory.OVERTIME, Decimal("40000.00"), "加班费"),
]
SCENARIOS: dict[str, Callable[[Driver], object]] = {
    "mediation agreement": _mediation_agreement,
    "mediation failed": lambda d: d.mediation(MediationState.FAILED),
    "legal aid assigned": lambda d: d.legal_aid(LegalAidState.ASSIGNED),
    "legal aid refused": lambda d: d.legal_aid(LegalAidState.REFUSED),
    "arbitration refused": lambda d: d.arbitration(S.REFUSED),
    "hearing, extension, suspension": _hearing_extension_and_suspension,
    "mixed award and lawsuit": lambda d: d.lawsuit(LawsuitState.FIRST_INSTANCE),
    "mediation statement": lambda d: d.arbitration(S.CLOSED, ClosureType.MEDIATION_STATEMENT),
    "termination": lambda d: d.arbitration(S.CLOSED, ClosureType.TERMINATED),
}
LATER = 40  # days between the last act and the issuing, so an act's date and the issue day differ
# Kinds printed only inside the case file (cover and index), never issued on their own.
CASE_FILE_ONLY = {"file_cover", "file_index"}
# The act's own number a kind prints (None: it takes a 文号 of its family, or no number for a form).
ACT_NUMBERS: dict[str, Callable] = {
    "arb_award": lambda case, subject: subject.obj.number,
    "arb_mediation_statement": lambda case, subject: case.arbitration.number,
    "arb_decision": lambda case, subject: case.arbitration.number,
    "med_agreement": lambda case, subject: case.mediation.number,
    "med_application": lambda case, subject: case.mediation.number,
    "la_grant": lambda case, subject: subject.obj.number,
    "la_refusal": lambda case, subject: subject.obj.number,
}
# The date of the act each kind records; kinds missing here record no dated act and carry the issue day.
ACT_DATES: dict[str, Callable] = {
    "arb_award": lambda case, subject: subject.obj.awarded_on,
    "arb_mediation_statement": lambda case, subject: case.arbitration.closure_act_on,
    "arb_decision": lambda case, subject: (
        subject.obj.decided_on if subject.key.startswith("suspension-") else case.arbitration.closure_act_on
    ),
    "arb_application": lambda case, subject: case.arbitration.received_on,
    "la_application": lambda case, subject: subject.obj.applied_on,
    "arb_acceptance": lambda case, subject: case.arbitration.accepted_on,
    "arb_respondent_notice": lambda case, subject: case.arbitration.accepted_on,
    "arb_refusal": lambda case, subject: case.arbitration.refused_on,
    "arb_tribunal_notice": lambda case, subject: case.arbitration.tribunal_formed_on,
    "arb_extension_notice": lambda case, subject: subject.obj.decided_on,
    "med_application": lambda case, subject: case.mediation.applied_on,
    "med_agreement": lambda case, subject: case.mediation.agreement_signed_on,
    "med_failure_notice": lambda case, subject: case.mediation.ended_on,
    "la_grant": lambda case, subject: subject.obj.decided_on,
    "la_refusal": lambda case, subject: subject.obj.decided_on,
    "la_assignment": lambda case, subject: subject.obj.assigned_on,
}
UNDATED = {
    "arb_hearing_notice",
    "arb_service_receipt",
    "arb_suspension_approval",
    "arb_extension_approval",
    "arb_closure_approval",
    "med_record",
    "med_review_application",
    "lit_linkage_letter",
}
# Records and approval forms are dated by hand at their signatures: no printed date to check.
SIGNED_BY_HAND = {
    "med_record",
    "med_review_application",
    "arb_suspension_approval",
    "arb_extension_approval",
    "arb_closure_approval",
}
DOC_NUMBER = re.compile(r"(仲字|调字|援字)〔\d{4}〕[1-9]\d*号")


def _award_halves(text: str, case, subject) -> None:
    """A half of a mixed award says which half it is, under the case number with 之一/之二."""
    part = "之一" if subject.obj.finality.value == "final" else "之二"
    assert subject.obj.number == f"{case.arbitration.number}{part}"
    assert f"{case.arbitration.number}{part}" in text


def _award_finality(text: str, case, subject) -> None:
    """The award says what it is, once, and "裁决如下" once (Law Arts 47–50, Interp-I Art 18)."""
    final = subject.obj.finality.value == "final"
    assert text.count("裁决如下") == 1
    assert ("本裁决为终局裁决" in text) is final
    assert ("本裁决为非终局裁决" in text) is not final


# kind → further checks on the issued text.
CHECKS: dict[str, list[Callable[[str, object, catalogue.Subject], None]]] = {
    "arb_award": [_award_halves, _award_finality],
}


def zh_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def issuer_for(org, case, kind) -> object:
    """A user of the test organisation allowed to issue the kind, with the English interface."""
    for user in [*org.users.values()]:
        if policy.can_issue_documents(user, case, track=kind.track):
            user.locale = "en"
            return user
    raise AssertionError(f"nobody may issue {kind.id}")


@pytest.fixture
def issued(db, org, make_case):
    return issue_scenarios(db, org, make_case, SCENARIOS)


@pytest.fixture
def mixed(db, org, make_case):
    return issue_scenarios(db, org, make_case, {"mixed award and lawsuit": SCENARIOS["mixed award and lawsuit"]})


def issue_scenarios(db, org, make_case, scenarios):
    """Every kind each scenario's case fits, issued (in Chinese, the default) 40 days after the last act."""
    made = {}
    for name, drive in scenarios.items():
        claims = MIXED_CLAIMS if name == "mixed award and lawsuit" else None
        case = make_case(parties=parties(), **({"claims": claims} if claims else {}))
        drive(Driver(db.session, org, case))
        made[name] = case
    db.session.commit()
    clock.freeze(clock.now_utc() + timedelta(days=LATER))
    docs = []

    def issue_all():
        for case in made.values():
            for kind, subject in catalogue.available(db.session, case):
                if not issuing.versions(db.session, case, kind.id, subject.key):
                    doc = issuing.issue(db.session, case, kind.id, subject.key, issuer_for(org, case, kind))
                    docs.append((case, kind, subject, doc, text_of(doc.pdf)))

    issue_all()
    # the award served on the worker: its proof of service is a document too
    awarded = made["mixed award and lawsuit"]
    award = next(doc for case, kind, _s, doc, _t in docs if case is awarded and kind.id == "arb_award")
    worker = next(p for p in awarded.parties if p.name == WORKER)
    record_service(
        db.session,
        awarded,
        org.user(Role.CLERK),
        award,
        worker,
        ServiceInput(method=ServiceMethod.IN_PERSON, served_at=clock.now_utc(), recipient=WORKER),
    )
    issue_all()
    db.session.commit()
    return made, docs


def test_every_issued_kind_carries_its_acts_number_and_date(db, org, issued):
    _made, docs = issued
    assert {kind.id for _c, kind, _s, _d, _t in docs} == set(catalogue.load_kinds()) - CASE_FILE_ONLY
    assert set(ACT_DATES) | UNDATED == set(catalogue.load_kinds()) - CASE_FILE_ONLY
    today = clock.today_local()
    wrong = []
    for case, kind, subject, doc, text in docs:
        where = f"{kind.id} {subject.key}"
        assert doc.lang == "zh_CN", where  # an English-interface issuer issues the official Chinese text
        check_agents(text, kind.id, where, "zh_CN")
        if kind.id in ACT_NUMBERS:
            expected = ACT_NUMBERS[kind.id](case, subject)
            assert doc.number == expected and expected, where
            assert not DOC_NUMBER.search(text), where  # no 文号 beside it
        elif kind.family:
            assert DOC_NUMBER.search(doc.number) and doc.number.endswith("号"), where
            dated = ACT_DATES[kind.id](case, subject) if kind.id in ACT_DATES else clock.today_local()
            assert f"〔{dated.year}〕" in doc.number, where  # the year of the date it bears
        else:
            assert doc.number is None, where
        if doc.number:
            assert doc.number in text, where
        dated = ACT_DATES[kind.id](case, subject) if kind.id in ACT_DATES else today
        if kind.id not in SIGNED_BY_HAND and not (dated is not None and zh_date(dated) in text):
            wrong.append(f"{where}: {dated} not printed")
        if kind.id in ACT_DATES and not (dated < today and zh_date(today) not in text):
            wrong.append(f"{where}: the issue day printed")
        for check in CHECKS.get(kind.id, []):
            check(text, case, subject)
    assert not wrong
    acts_take_no_document_number(db, docs)


def test_a_mixed_award_is_two_documents_under_one_case_number_of_the_acceptance_year(db, mixed):
    made, docs = mixed
    case = made["mixed award and lawsuit"]
    number = case.arbitration.number
    halves = {doc.number for c, kind, _s, doc, _t in docs if c is case and kind.id == "arb_award"}
    assert halves == {f"{number}之一", f"{number}之二"}
    assert f"〔{case.arbitration.accepted_on.year}〕" in number and "第" not in number
    # the same numbers on the closure form, and in the letter to the court on the half the lawsuit is about
    closure = next(t for c, kind, _s, _d, t in docs if c is case and kind.id == "arb_closure_approval")
    assert all(half in closure for half in halves)
    letter = next(t for c, kind, _s, _d, t in docs if c is case and kind.id == "lit_linkage_letter")
    suit = case.lawsuits[0]
    assert suit.award.number == f"{number}之二" and suit.award.number in letter
    # the letter is the commission's: its 文号 comes from the commission's sequence, not the registering unit's
    issued = next(d for c, kind, _s, d, _t in docs if c is case and kind.id == "lit_linkage_letter")
    assert issued.unit_id == case.arbitration.unit_id != case.unit_id


def acts_take_no_document_number(db, docs):
    """Only notices and letters count on the unit's 文号 sequences: one number each, none for the acts."""
    taken = sum(
        db.session.scalars(sa.select(NumberSequence.last_value).where(NumberSequence.family.in_(DOCUMENT_FAMILIES)))
    )
    numbers = [doc.number for _c, kind, _s, doc, _t in docs if kind.family and kind.id not in ACT_NUMBERS]
    assert taken == len(numbers) and all(DOC_NUMBER.search(n) for n in numbers)
    assert len(set(numbers)) == len(numbers)


def test_reissue_keeps_the_number_and_the_acts_date(db, org, mixed):
    made, docs = mixed
    case = made["mixed award and lawsuit"]
    _c, kind, subject, first, _t = next(d for d in docs if d[0] is case and d[1].id == "arb_award")
    clock.freeze(clock.now_utc() + timedelta(days=3))
    again = issuing.reissue(db.session, case, kind.id, subject.key, org.user(Role.CLERK))
    text = text_of(again.pdf)
    assert again.number == first.number and again.version == 2
    assert zh_date(subject.obj.awarded_on) in text and zh_date(clock.today_local()) not in text


def test_the_verification_page_shows_the_acts_number(client, db, mixed):
    _made, docs = mixed
    for _c, kind, _s, doc, _t in docs:
        if kind.id in ("arb_award", "arb_acceptance"):
            page = client.get(f"/verify/{doc.code}").get_data(as_text=True)
            assert doc.number in page, kind.id


def test_a_preview_says_draft_and_is_dated_today(db, mixed):
    made, docs = mixed
    case = made["mixed award and lawsuit"]
    _c, kind, subject, _doc, _t = next(d for d in docs if d[1].id == "arb_award")
    text = text_of(issuing.render_preview_pdf(db.session, case, kind.id, subject.key).data)
    assert text.startswith("样稿（未签发）") and "验证码" not in text
    text = text.replace("样稿（未签发）", "").replace("（印章）", "")  # on every page; the seal overlaps the date
    assert subject.obj.awarded_on != clock.today_local()
    assert text.rsplit("仲裁委员会", 1)[1].startswith(zh_date(clock.today_local())), text[-300:]  # under the seal
