"""What the documents say (issue 13): every kind rendered for a case with agents on both sides and elected
representatives, read back with pdftotext. An agent is printed as 委托代理人 under the party it acts for and
never as a party, an obligor or a co-applicant; a worker's sex and birth date come from the ID number; no
sentence ends twice; the refusal, acceptance, termination and mediation-agreement wording follows the law."""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta

import pytest

from disputes import clock
from disputes.documents import catalogue, compose, render
from disputes.documents import issue as issuing
from disputes.documents.service import ServiceInput, record_service
from disputes.models import PartyKind, PartySide, Role
from disputes.models.enums import ServiceMethod
from disputes.workflow import arbitration as arb
from disputes.workflow import hearings, interruptions
from disputes.workflow import mediation as mediation_flow
from disputes.workflow.intake import PartyInput
from disputes.workflow.states import (
    ArbitrationState,
    ClosureType,
    ConfirmationKind,
    LawsuitState,
    LegalAidState,
    MediationState,
    RefusalGround,
    SuspensionGround,
)
from tests.conftest import EMPLOYER_CODE
from tests.drive import Driver

S = ArbitrationState
MALE_ID = "440304199001011233"  # 1990-01-01, 17th digit odd: a man; no sex or birth date typed in
WORKER, SECOND_WORKER = "张三", "李四"
EMPLOYER, AGENCY = "深圳市宏达电子科技有限公司", "深圳市宏达劳务派遣有限公司"
LAWYER, HR = "赵律师", "何浩"
LAWYER_AS, HR_AS = "广东鹏城律师事务所律师", "深圳市宏达劳务派遣有限公司人事部工作人员"
AGENTS = (LAWYER, HR)
NUMBER = "深龙劳人仲案字〔2026〕第7号"
ISSUED_ON = date(2026, 12, 30)
# Kinds that introduce the parties one by one (paragraphs or form rows), so the agents are printed under them.
PARTY_BLOCKS = {
    "arb_application",
    "med_application",
    "med_agreement",
    "med_review_application",
    "lit_linkage_letter",
    "arb_award",
    "arb_mediation_statement",
    "arb_decision",
}
# Kinds whose party blocks are paragraphs in the official wording "申请人：张三，男，1990年1月1日出生，…".
PARAGRAPHS = {
    "arb_award",
    "arb_mediation_statement",
    "arb_decision",
    "med_agreement",
    "lit_linkage_letter",
    "med_review_application",
}


def parties(collective: bool = False) -> list[PartyInput]:
    return [
        PartyInput(
            PartySide.APPLICANT,
            PartyKind.WORKER,
            WORKER,
            id_number=MALE_ID,
            is_representative=collective,
            address="深圳市龙岗区布吉街道",
        ),
        PartyInput(PartySide.APPLICANT, PartyKind.WORKER, SECOND_WORKER, sex="female", is_representative=collective),
        PartyInput(
            PartySide.RESPONDENT, PartyKind.EMPLOYER, EMPLOYER, credit_code=EMPLOYER_CODE, legal_representative="陈大文"
        ),
        PartyInput(PartySide.RESPONDENT, PartyKind.EMPLOYER, AGENCY),
        PartyInput(PartySide.APPLICANT, PartyKind.AGENT, LAWYER, capacity=LAWYER_AS + "。", phone="13900000000"),
        PartyInput(PartySide.RESPONDENT, PartyKind.AGENT, HR, capacity=HR_AS, address=f"{AGENCY}人事部", represents=3),
    ]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def say(lang: str, message: str, **params) -> str:
    env = render.environment(lang)
    return squeeze(str(env.globals["gettext"](env.from_string("").new_context(), message, **params)))


def text_of(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return re.sub(r"—\d+—", "", squeeze(out.stdout.decode()))


def rendered(db, case, kind_id: str, key: str, lang: str) -> str:
    kind = catalogue.kind(kind_id)
    subject = (
        catalogue.Subject()
        if kind_id in ("file_cover", "file_index")
        else compose.find_subject(db.session, case, kind, key)
    )
    context = compose.context(
        db.session, case, kind, subject, number=NUMBER if kind.family else None, issued_on=ISSUED_ON, preview=False
    )
    return text_of(render.html_to_pdf(render.render_html(kind.template_name, context, lang)))


def punctuate(case) -> None:
    """Every text a user typed ends with a full stop, as people type them: the documents must not double it."""
    for claim in case.claims:
        claim.description = (claim.description or "工资") + "。"
    arbitration = getattr(case, "arbitration", None)
    if arbitration is not None:
        for name in ("refusal_reason", "closure_note"):
            if getattr(arbitration, name):
                setattr(arbitration, name, getattr(arbitration, name) + "。")
        for award in arbitration.awards:
            for item in award.items:
                item.text += "。"
        for suspension in arbitration.suspensions:
            suspension.reason += "。"
    mediation = getattr(case, "mediation", None)
    if mediation is not None:
        if mediation.end_reason:
            mediation.end_reason += "。"
        for term in mediation.terms:
            term.description += "。"
    for application in getattr(case, "legal_aid", None) or []:
        application.matter += "。"
        if application.decision_reason:
            application.decision_reason += "。"


# --- the scenarios: between them every kind of document fits one of the cases --------------------------------


def _mediation_agreement(d: Driver):
    d.mediation(MediationState.AGREEMENT)
    mediation_flow.request_confirmation(
        d.session,
        d.case,
        d.user(Role.MEDIATOR),
        kind=ConfirmationKind.ARBITRAL_REVIEW,
        applied_on=d.today(),
        body="龙岗区劳动人事争议仲裁委员会",
    )


def _hearing_extension_and_suspension(d: Driver):
    d.arbitration(S.TRIBUNAL_FORMED)
    starts = clock.now_utc().replace(minute=0, second=0, microsecond=0) + timedelta(days=7)
    hearings.schedule_hearing(
        d.session,
        d.case,
        d.user(Role.CLERK),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        room_id=d.room().id,
    )
    interruptions.request_extension(d.session, d.case, d.user(Role.ARBITRATOR), days=10, reason="案情复杂")
    interruptions.decide_extension(d.session, d.case, d.user(Role.SUPERVISOR), approve=True)  # its notice too
    request = interruptions.request_suspension(
        d.session,
        d.case,
        d.user(Role.ARBITRATOR),
        ground=SuspensionGround.AWAITING_DETERMINATION,
        reason="等待工伤认定结论",
    )
    interruptions.decide_suspension(d.session, d.case, d.user(Role.SUPERVISOR), approve=True, note="同意中止")
    return request


SCENARIOS = {
    "mediation agreement": (False, _mediation_agreement),
    "mediation failed": (False, lambda d: d.mediation(MediationState.FAILED)),
    "legal aid assigned": (False, lambda d: d.legal_aid(LegalAidState.ASSIGNED)),
    "legal aid refused": (False, lambda d: d.legal_aid(LegalAidState.REFUSED)),
    "arbitration refused": (False, lambda d: d.arbitration(S.REFUSED)),
    "hearing, extension, suspension": (False, _hearing_extension_and_suspension),
    "award and lawsuit": (True, lambda d: d.lawsuit(LawsuitState.FIRST_INSTANCE)),
    "mediation statement": (False, lambda d: d.arbitration(S.CLOSING, ClosureType.MEDIATION_STATEMENT)),
    "termination": (False, lambda d: d.arbitration(S.CLOSED, ClosureType.TERMINATED)),
    "withdrawal": (False, lambda d: d.arbitration(S.CLOSED, ClosureType.WITHDRAWN)),
}


@pytest.fixture
def cases(db, org, make_case):
    """One case per scenario, all with the same parties, and one proof of service."""
    made = {}
    for name, (collective, drive) in SCENARIOS.items():
        case = make_case(parties=parties(collective), worker_count=12 if collective else None)
        drive(Driver(db.session, org, case))
        made[name] = case
    awarded = made["award and lawsuit"]
    key = next(s.key for k, s in catalogue.available(db.session, awarded) if k.id == "arb_award")
    notice = issuing.issue(db.session, awarded, "arb_award", key, org.user(Role.CLERK))
    worker = next(p for p in awarded.parties if p.name == WORKER)
    record_service(
        db.session,
        awarded,
        org.user(Role.CLERK),
        notice,
        worker,
        ServiceInput(method=ServiceMethod.IN_PERSON, served_at=clock.now_utc(), recipient=WORKER),
    )
    for case in made.values():
        punctuate(case)
    db.session.flush()
    return made


def every_document(db, made) -> list[tuple[object, str, str]]:
    found = [
        (case, kind.id, subject.key)
        for case in made.values()
        for kind, subject in catalogue.available(db.session, case)
    ]
    found += [(made["award and lawsuit"], kind_id, "") for kind_id in ("file_cover", "file_index")]
    return found


def test_every_kind_prints_agents_only_under_their_party_and_no_doubled_stop(db, cases):
    documents = every_document(db, cases)
    assert {kind_id for _case, kind_id, _key in documents} == set(catalogue.load_kinds())
    for lang in ("zh_CN", "en"):
        checked = set()
        for case, kind_id, key in documents:
            text = rendered(db, case, kind_id, key, lang)
            check_agents(text, kind_id, f"{kind_id} {key} ({lang})", lang)
            if kind_id in PARTY_BLOCKS:
                checked.add(kind_id)
            if kind_id in PARAGRAPHS and lang == "zh_CN":  # the official wording, sex and birth from the ID number
                assert "申请人：张三，男，1990年1月1日出生，公民身份号码440304199001011233" in text, kind_id
            if kind_id == "arb_application" and lang == "zh_CN":
                assert "性别男" in text and "出生日期1990年1月1日" in text
        assert checked == PARTY_BLOCKS


def check_agents(text: str, kind_id: str, where: str, lang: str) -> None:
    label = say(lang, "Agent")  # "委托代理人：" before a paragraph, "委托代理人" in a form's row
    agent = label + ("：" if lang == "zh_CN" else ":")
    sep = "，" if lang == "zh_CN" else ","
    for name in AGENTS:
        for found in re.finditer(re.escape(name), text):
            assert text[: found.start()].endswith((agent, label)), (
                f"{name} printed as a party in {where}: …{text[max(0, found.start() - 40) : found.end() + 10]}…"
            )
    # No sentence ends twice, whatever the user typed.
    assert "。。" not in text and not re.search(r"(?<!\.)\.\.(?!\.)", text), where
    if kind_id in PARTY_BLOCKS:
        lead = agent if kind_id in PARAGRAPHS else label
        assert f"{lead}{HR}{sep}{HR_AS}" in text, where
        assert f"{lead}{LAWYER}{sep}{LAWYER_AS}" in text, where
        # each under the party it acts for: the lawyer under the first worker, HR under the second employer
        assert party_before(text, text.index(f"{lead}{HR}")) == AGENCY, where
        assert party_before(text, text.index(f"{lead}{LAWYER}")) == WORKER, where


def party_before(text: str, at: int) -> str:
    """The party named last before position `at`."""
    return max((WORKER, SECOND_WORKER, EMPLOYER, AGENCY), key=lambda name: text.rfind(name, 0, at))


def test_the_legal_aid_refusal_names_only_the_employers_as_the_other_side(db, cases):
    case = cases["legal aid refused"]
    key = str(case.legal_aid[0].id)
    text = rendered(db, case, "la_refusal", key, "zh_CN")
    assert f"{EMPLOYER}、{AGENCY}" in text and HR not in text


def test_the_mediation_agreement_obliges_the_employers_only_and_names_the_remedies(db, cases):
    case = cases["mediation agreement"]
    text = rendered(db, case, "med_agreement", "", "zh_CN")
    assert f"{EMPLOYER}、{AGENCY}" in text and f"{AGENCY}、{HR}" not in text  # the obligors: the employers
    # Law Art 16: a wage agreement not performed → payment order; PML Art 33: court confirmation within 30 days
    assert (
        say(
            "zh_CN",
            "If the employer fails to perform within the agreed period the payment of labour "
            "remuneration, work-injury medical costs, economic compensation or damages agreed above, the "
            "worker may apply to the people's court for a payment order on the strength of this agreement "
            "(Article 16 of the Labour Dispute Mediation and Arbitration Law).",
        )
        in text
    )
    assert (
        say(
            "zh_CN",
            "Where they consider it necessary, the parties may jointly apply to the people's court for "
            "judicial confirmation of this agreement within 30 days after it takes effect (Article 33 of "
            "the People's Mediation Law).",
        )
        in text
    )


def test_no_payment_order_for_an_agreement_on_other_matters(db, org, make_case):
    from decimal import Decimal

    from disputes.models import ClaimCategory
    from disputes.workflow.intake import ClaimInput

    case = make_case(claims=[ClaimInput(ClaimCategory.SOCIAL_INSURANCE, Decimal("5000.00"), "补缴社会保险")])
    Driver(db.session, org, case).mediation(MediationState.AGREEMENT)
    text = rendered(db, case, "med_agreement", "", "en")
    assert say("en", "(Article 16 of the Labour Dispute Mediation and Arbitration Law)")[:-1] not in text
    assert "Article33ofthePeople'sMediationLaw" in text


def test_the_acceptance_notice_tells_of_the_right_to_legal_aid(db, cases):
    case = cases["award and lawsuit"]
    for lang in ("zh_CN", "en"):
        text = rendered(db, case, "arb_acceptance", "", lang)
        assert (
            say(
                lang,
                "Under Articles 31, 35 and 42 of the Legal Aid Law you are informed that if you have no "
                "agent because of financial hardship you may apply to a legal aid institution for legal aid; "
                "a migrant worker claiming labour remuneration or compensation for a work injury is exempt "
                "from the review of financial hardship.",
            )
            in text
        )


def test_the_termination_decision_cites_its_basis(db, cases):
    case = cases["termination"]
    text = rendered(db, case, "arb_decision", "termination", "zh_CN")
    assert say("zh_CN", "Ground for termination: %(reason)s.", reason="申请人撤回仲裁申请") in text
    assert (
        say(
            "zh_CN",
            "Applying Article 154 of the Civil Procedure Law by analogy, this commission decides: the "
            "proceedings of this case are terminated.",
        )
        in text
    )


@pytest.mark.parametrize(
    ("ground", "reason"),
    [
        (RefusalGround.NO_JURISDICTION, "劳动合同履行地和用人单位所在地均在东莞市。"),
        (RefusalGround.NOT_LABOUR_DISPUTE, "双方系承揽关系。"),
        (RefusalGround.IMPROPER_PARTY, "申请人并非与本案有直接利害关系的劳动者。"),
    ],
)
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_refusal_notice_follows_its_ground(db, org, make_case, ground, reason, lang):
    case = make_case()
    d = Driver(db.session, org, case)
    d.arbitration(S.RECEIVED)
    arb.refuse(db.session, case, org.user(Role.CLERK), ground=ground, reason=reason)
    db.session.flush()
    text = rendered(db, case, "arb_refusal", "", lang)
    competent = say(
        lang,
        "Please apply for arbitration to the labour and personnel dispute arbitration commission "
        "that has jurisdiction: that of the place where the labour contract is performed or where the "
        "employer is located (Article 21 of the Labour Dispute Mediation and Arbitration Law).",
    )
    court = say(
        lang, "Under the same article, you may bring a lawsuit about this labour dispute before a people's court."
    )
    assert squeeze(reason.rstrip("。")) in text
    if ground == RefusalGround.NO_JURISDICTION:
        assert competent in text and court not in text
        assert (
            say(
                lang,
                "Under Article 29 of the Labour Dispute Mediation and Arbitration Law and Article 31 of the "
                "Rules for Handling Labour and Personnel Dispute Arbitration Cases, this commission decided "
                "on %(refused)s not to accept the application.",
                refused=render.environment(lang).filters["date"](case.arbitration.refused_on),
            )
            in text
        )
    else:
        assert court in text and competent not in text
        assert say(lang, ground_label(ground)) in text


def ground_label(ground: RefusalGround) -> str:
    from disputes.documents.context import msgid

    return msgid(ground)


def test_a_refusal_recorded_without_a_ground_reads_as_other_and_names_the_court(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(S.REFUSED)
    case.arbitration.refusal_ground = None  # refused before grounds were asked for, or imported
    db.session.flush()
    text = rendered(db, case, "arb_refusal", "", "en")
    assert (
        say("en", "Under the same article, you may bring a lawsuit about this labour dispute before a people's court.")
        in text
    )


def test_the_case_file_cover_and_hearing_day_name_no_agent(db, cases):
    from disputes.documents import case_file, hearing_day

    case = cases["award and lawsuit"]
    cover = case_file.cover_facts(db.session, case, ISSUED_ON)
    assert cover["applicants"] == [WORKER, SECOND_WORKER] and cover["respondents"] == [EMPLOYER, AGENCY]
    hearing = cases["hearing, extension, suspension"].arbitration.hearings[0]
    row = hearing_day._row(hearing, None)
    assert row["applicants"] == [WORKER, SECOND_WORKER] and row["respondents"] == [EMPLOYER, AGENCY]
