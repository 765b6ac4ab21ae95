"""Set A of the documents (mediation, legal aid, arbitration intake, linkage letter): each fits a case only
once its facts exist, and renders to a PDF in Chinese and English that carries the case's own data."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest

from disputes.documents import catalogue, compose, render
from disputes.models import Role
from disputes.workflow import mediation as mediation_flow
from disputes.workflow.states import (
    ArbitrationState,
    ConfirmationKind,
    LawsuitState,
    LegalAidState,
    MediationState,
)
from tests.drive import Driver

NUMBER = "深龙劳人仲案字〔2026〕第123号"
WORKER, EMPLOYER = "张三", "深圳市宏达电子科技有限公司"
POPPLER = shutil.which("pdftotext") and shutil.which("pdffonts")


def _review(d: Driver):
    d.mediation(MediationState.AGREEMENT)
    mediation_flow.request_confirmation(
        d.session,
        d.case,
        d.user(Role.MEDIATOR),
        kind=ConfirmationKind.ARBITRAL_REVIEW,
        applied_on=d.today(),
        body="龙岗区劳动人事争议仲裁委员会",
    )


# kind → (drive to a state where it does not fit yet, drive to a state where it fits, texts it must print)
SCENARIOS = {
    "med_application": (
        lambda d: None,
        lambda d: d.mediation(MediationState.APPLIED),
        ["12,000.00", "zh:壹万贰仟元整"],
    ),
    "med_record": (
        lambda d: d.mediation(MediationState.ACCEPTED),
        lambda d: d.mediation(MediationState.IN_SESSION),
        ["调解室一", "双方陈述"],
    ),
    "med_agreement": (
        lambda d: d.mediation(MediationState.IN_SESSION),
        lambda d: d.mediation(MediationState.AGREEMENT),
        ["10,000.00", "zh:壹万元整", "支付拖欠工资"],
    ),
    "med_failure_notice": (
        lambda d: d.mediation(MediationState.IN_SESSION),
        lambda d: d.mediation(MediationState.FAILED),
        ["双方分歧较大"],
    ),
    "med_review_application": (
        lambda d: d.mediation(MediationState.AGREEMENT),
        _review,
        ["10,000.00", "龙岗区劳动人事争议仲裁委员会"],
    ),
    "la_application": (lambda d: None, lambda d: d.legal_aid(LegalAidState.APPLIED), ["追索劳动报酬", "无固定收入"]),
    "la_grant": (
        lambda d: d.legal_aid(LegalAidState.APPLIED),
        lambda d: d.legal_aid(LegalAidState.GRANTED),
        ["追索劳动报酬", "龙岗区法律援助中心"],
    ),
    "la_refusal": (
        lambda d: d.legal_aid(LegalAidState.APPLIED),
        lambda d: d.legal_aid(LegalAidState.REFUSED),
        ["不符合经济困难标准"],
    ),
    "la_assignment": (
        lambda d: d.legal_aid(LegalAidState.GRANTED),
        lambda d: d.legal_aid(LegalAidState.ASSIGNED),
        ["广东鹏城律师事务所", "lawyer"],
    ),
    "arb_application": (
        lambda d: None,
        lambda d: d.arbitration(ArbitrationState.RECEIVED),
        ["12,000.00", "11010519491231002X", "1949"],
    ),
    "arb_acceptance": (
        lambda d: d.arbitration(ArbitrationState.RECEIVED),
        lambda d: d.arbitration(ArbitrationState.ACCEPTED),
        ["arbitration.number"],
    ),
    "arb_refusal": (
        lambda d: d.arbitration(ArbitrationState.RECEIVED),
        lambda d: d.arbitration(ArbitrationState.REFUSED),
        ["不属于劳动争议受理范围"],
    ),
    "lit_linkage_letter": (
        lambda d: d.lawsuit(LawsuitState.FILED),
        lambda d: d.lawsuit(LawsuitState.FIRST_INSTANCE),
        ["（2026）粤0307民初1号", "深圳市龙岗区人民法院", "12,000.00", "arbitration.number"],
    ),
}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def fits(session, case, kind_id: str) -> list[catalogue.Subject]:
    return [s for k, s in catalogue.available(session, case) if k.id == kind_id]


def pdf_text(tmp_path, pdf: bytes, name: str) -> tuple[str, str]:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return text, fonts


def test_every_kind_of_set_a_is_registered_and_scenarised():
    kinds = catalogue.load_kinds()
    assert set(SCENARIOS) <= set(kinds)
    # notices and letters take a 文号; the acts carry their own number (docs/decisions.md, one number per act)
    assert {kinds[k].family for k in ("med_failure_notice",)} == {"mediation_doc"}
    assert {kinds[k].family for k in ("la_assignment",)} == {"legal_aid_doc"}
    assert {kinds[k].family for k in ("arb_acceptance", "arb_refusal", "lit_linkage_letter")} == {"arbitration_doc"}
    acts = ("med_application", "med_agreement", "la_grant", "la_refusal")
    assert all(kinds[k].family is None and kinds[k].number is not None for k in acts)
    assert kinds["arb_decision"].number is not None  # its 文号 family only when the application was never accepted
    assert all(
        kinds[k].family is None and kinds[k].number is None
        for k in ("med_record", "med_review_application", "la_application", "arb_application")
    )


@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdffonts) not installed")
@pytest.mark.parametrize("kind_id", sorted(SCENARIOS))
def test_document_fits_only_with_its_facts_and_prints_them(db, org, make_case, tmp_path, kind_id):
    before, after, texts = SCENARIOS[kind_id]
    session = db.session
    early = make_case()
    before(Driver(session, org, early))
    session.flush()
    assert fits(session, early, kind_id) == []

    case = make_case()
    after(Driver(session, org, case))
    session.flush()
    subjects = fits(session, case, kind_id)
    assert len(subjects) == 1
    kind = catalogue.kind(kind_id)
    number = NUMBER if kind.family else catalogue.act_number(session, case, kind, subjects[0])
    today = date(2026, 11, 20)
    expected = [WORKER, EMPLOYER, *texts]
    expected = [case.arbitration.number if t == "arbitration.number" else t for t in expected]
    expected = [org.user(Role.LAWYER).display_name if t == "lawyer" else t for t in expected]
    expected.append(number or case.registry_no)
    for lang, day in (("zh_CN", "2026年11月20日"), ("en", "20 November 2026")):
        context = compose.context(session, case, kind, subjects[0], number=number, issued_on=today)
        html = render.render_html(kind.template_name, context, lang)
        assert "%(" not in html
        text, fonts = pdf_text(tmp_path, render.html_to_pdf(html), f"{kind_id}-{lang}")
        flat = squeeze(text.replace("(seal)", "").replace("（印章）", ""))  # the seal circle overlaps the date
        for wanted in [*expected, day]:
            if wanted.startswith("zh:"):  # amounts in capitals: Chinese documents only
                if lang == "en":
                    continue
                wanted = wanted[3:]
            assert squeeze(wanted) in flat, (lang, wanted)
        rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
        assert rows and all("yes" in row[-5:-3] for row in rows), fonts


def test_amounts_of_the_agreement_are_in_capitals_and_each_session_has_its_record(db, org, make_case):
    case = make_case()
    d = Driver(db.session, org, case)
    d.mediation(MediationState.AGREEMENT)
    context = compose.context(db.session, case, catalogue.kind("med_agreement"), catalogue.Subject())
    html = render.render_html("documents/med_agreement.html", context, "zh_CN")
    assert "壹万元整" in html and "10,000.00" in html
    assert context["mediation"]["total"] == Decimal("10000.00")
    records = fits(db.session, case, "med_record")
    assert [s.key for s in records] == [str(s.id) for s in case.mediation.sessions]


def test_green_channel_application_names_the_waiver_ground(db, org, make_case):
    from disputes.models import PartyKind, PartySide
    from disputes.workflow.intake import PartyInput
    from tests.conftest import EMPLOYER_CODE, WORKER_ID

    case = make_case(
        parties=[
            PartyInput(
                PartySide.APPLICANT, PartyKind.WORKER, "李四", sex="male", id_number=WORKER_ID, migrant_worker=True
            ),
            PartyInput(PartySide.RESPONDENT, PartyKind.EMPLOYER, EMPLOYER, credit_code=EMPLOYER_CODE),
        ]
    )
    application = Driver(db.session, org, case).legal_aid(LegalAidState.APPLIED)
    assert application.hardship_waived
    html = compose.preview_html(db.session, case, "la_application", str(application.id), "en")
    assert "Hardship review waived (green channel)" in html
    assert "Legal Aid Law, Article 42, item 3" in html
    plain = make_case()
    application = Driver(db.session, org, plain).legal_aid(LegalAidState.APPLIED)
    html = compose.preview_html(db.session, plain, "la_application", str(application.id), "en")
    assert "Statement of financial hardship" in html and "Article 42" not in html


def test_a_lapsed_mediation_gets_a_termination_notice_citing_the_fifteen_days(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).mediation(MediationState.LAPSED)
    html = compose.preview_html(db.session, case, "med_failure_notice", "", "en")
    assert "Notice of termination of mediation" in html and "Notice of failed mediation" not in html
    assert "within 15 days after the application was received" in html
    assert "limitation period for arbitration is one year" in html


def test_each_legal_aid_application_has_its_own_documents(db, org, make_case):
    from disputes.models import PartyKind, PartySide
    from disputes.workflow import legal_aid
    from disputes.workflow.intake import PartyInput
    from tests.conftest import EMPLOYER_CODE, WORKER_ID

    case = make_case(
        parties=[
            PartyInput(PartySide.APPLICANT, PartyKind.WORKER, WORKER, sex="female", id_number=WORKER_ID),
            PartyInput(PartySide.APPLICANT, PartyKind.WORKER, "李四", sex="male"),
            PartyInput(PartySide.RESPONDENT, PartyKind.EMPLOYER, EMPLOYER, credit_code=EMPLOYER_CODE),
        ]
    )
    clerk, officer = org.user(Role.CLERK), org.user(Role.LEGAL_AID_OFFICER)
    first, second = (
        legal_aid.apply_for_legal_aid(
            db.session,
            case,
            clerk,
            party_id=p.id,
            unit_id=org.legal_aid.id,
            matter="追索劳动报酬",
            hardship_statement="无固定收入",
        )
        for p in case.applicants
    )
    legal_aid.grant(db.session, case, officer, second)
    db.session.flush()
    assert [s.key for s in fits(db.session, case, "la_application")] == [str(first.id), str(second.id)]
    assert [s.key for s in fits(db.session, case, "la_grant")] == [str(second.id)]
    html = compose.preview_html(db.session, case, "la_grant", str(second.id), "en")
    assert "李四" in html and org.legal_aid.name in html
