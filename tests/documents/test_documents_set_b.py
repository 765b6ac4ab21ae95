"""Arbitration documents, set B: each fits the case only when its facts exist, renders in both languages
with the case's number, parties, amounts and dates, and a mixed award yields two documents with their own wording."""

import os
import re
import subprocess
from datetime import date, timedelta
from decimal import Decimal

import pytest

from disputes import clock
from disputes.documents import catalogue, compose, render
from disputes.i18n import DomainError
from disputes.models import ClaimCategory, Role
from disputes.workflow import arbitration as arb
from disputes.workflow import awards, hearings, interruptions
from disputes.workflow.intake import ClaimInput
from disputes.workflow.states import ArbitrationState, ClosureType, SuspensionGround
from tests.drive import Driver

S = ArbitrationState
SET_B = {
    "arb_respondent_notice",
    "arb_tribunal_notice",
    "arb_hearing_notice",
    "arb_suspension_approval",
    "arb_extension_approval",
    "arb_decision",
    "arb_mediation_statement",
    "arb_award",
    "arb_closure_approval",
}
NUMBER = "深龙劳人仲案字〔2026〕第901号"
ISSUED_ON = date(2026, 12, 30)
WORKER, EMPLOYER = "张三", "深圳市宏达电子科技有限公司"
MIXED_CLAIMS = [
    ClaimInput(ClaimCategory.WAGES, Decimal("12345.60"), "2026年8月至10月工资"),
    ClaimInput(ClaimCategory.CONFIRM_EMPLOYMENT, None, "确认2024年3月起存在劳动关系"),
]


def fitting(db, case) -> dict[str, list[str]]:
    """The set-B documents that fit the case now, with their subject keys."""
    db.session.flush()
    found: dict[str, list[str]] = {}
    for kind, subject in catalogue.available(db.session, case):
        if kind.id in SET_B:
            found.setdefault(kind.id, []).append(subject.key)
    return found


def act_number(db, case, kind, subject) -> str | None:
    """The act's own number where the kind prints one (an award before its approval has none yet)."""
    try:
        return catalogue.act_number(db.session, case, kind, subject)
    except DomainError:
        return None


def pdf(db, case, kind_id, key="", lang="zh_CN") -> bytes:
    kind = catalogue.kind(kind_id)
    subject = compose.find_subject(db.session, case, kind, key)
    context = compose.context(
        db.session,
        case,
        kind,
        subject,
        number=act_number(db, case, kind, subject) or NUMBER,
        issued_on=ISSUED_ON,
        preview=False,
    )
    data = render.html_to_pdf(render.render_html(kind.template_name, context, lang))
    folder = os.environ.get("DOCSB_DUMP")  # look at the documents: DOCSB_DUMP=/tmp/x pytest …
    if folder:
        with open(os.path.join(folder, f"{kind_id}{'-' + key if key else ''}-{lang}.pdf"), "wb") as f:
            f.write(data)
    return data


def text_of(data: bytes) -> str:
    """The PDF's text without whitespace or page numbers, so a phrase wrapped across lines or pages still matches."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return re.sub(r"—\d+—", "", re.sub(r"\s+", "", out.stdout.decode()))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def say(lang: str, message: str, **params) -> str:
    """A message as the document's language renders it (whatever the catalogue holds now)."""
    env = render.environment(lang)
    return squeeze(str(env.globals["gettext"](env.from_string("").new_context(), message, **params)))


def local_date(day: date, lang: str) -> str:
    return squeeze(render.environment(lang).filters["date"](day))


@pytest.fixture
def drive(db, org, make_case):
    def make(state: ArbitrationState, closure=ClosureType.AWARD, **case_overrides):
        case = make_case(unit=org.centre, **case_overrides)
        driver = Driver(db.session, org, case)
        driver.arbitration(state, closure)
        db.session.flush()
        return case, driver

    return make


# --- which documents fit when ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (S.RECEIVED, set()),
        (S.REFUSED, set()),
        (S.ACCEPTED, {"arb_respondent_notice"}),
        (S.SERVED, {"arb_respondent_notice"}),
        (S.TRIBUNAL_FORMED, {"arb_respondent_notice", "arb_tribunal_notice"}),
        (S.HEARD, {"arb_respondent_notice", "arb_tribunal_notice"}),
        (S.CLOSING, {"arb_respondent_notice", "arb_tribunal_notice", "arb_award", "arb_closure_approval"}),
        (S.CLOSED, {"arb_respondent_notice", "arb_tribunal_notice", "arb_award", "arb_closure_approval"}),
    ],
)
def test_documents_fit_the_state_of_the_arbitration(drive, db, state, expected):
    case, _ = drive(state)
    assert set(fitting(db, case)) == expected


def test_a_hearing_notice_per_scheduled_hearing_and_none_once_held(drive, db, org):
    case, driver = drive(S.TRIBUNAL_FORMED)
    clerk = org.user(Role.CLERK)
    starts = clock.now_utc().replace(minute=0, second=0, microsecond=0) + timedelta(days=7)
    first = hearings.schedule_hearing(
        db.session, case, clerk, starts_at=starts, ends_at=starts + timedelta(hours=2), room_id=driver.room().id
    )
    second = hearings.schedule_hearing(
        db.session,
        case,
        clerk,
        starts_at=starts + timedelta(days=1),
        ends_at=starts + timedelta(days=1, hours=2),
        online_link="https://meet.example/r/7",
    )
    assert fitting(db, case)["arb_hearing_notice"] == [str(first.id), str(second.id)]
    hearings.postpone_hearing(db.session, case, clerk, hearing_id=second.id, reason="申请人住院")
    assert fitting(db, case)["arb_hearing_notice"] == [str(first.id)]
    clock.freeze(starts + timedelta(hours=3))
    hearings.hold_hearing(
        db.session,
        case,
        org.user(Role.ARBITRATOR),
        hearing_id=first.id,
        applicant_attended=True,
        respondent_attended=False,
        record="被申请人缺席",
    )
    assert "arb_hearing_notice" not in fitting(db, case)


def test_suspension_form_from_the_request_and_the_decision_once_approved(drive, db, org):
    case, _ = drive(S.TRIBUNAL_FORMED)
    arbitrator, sup = org.user(Role.ARBITRATOR), org.user(Role.SUPERVISOR)
    request = interruptions.request_suspension(
        db.session, case, arbitrator, ground=SuspensionGround.AWAITING_DETERMINATION, reason="等待工伤认定结论"
    )
    found = fitting(db, case)
    assert found["arb_suspension_approval"] == [str(request.id)]
    assert "arb_decision" not in found
    interruptions.decide_suspension(db.session, case, sup, approve=True, note="同意中止")
    assert fitting(db, case)["arb_decision"] == [f"suspension-{request.id}"]


def test_a_rejected_suspension_has_a_form_but_no_decision(drive, db, org):
    case, _ = drive(S.SERVED)
    request = interruptions.request_suspension(
        db.session, case, org.user(Role.SUPERVISOR), ground=SuspensionGround.OTHER, reason="其他原因"
    )
    interruptions.decide_suspension(db.session, case, org.user(Role.SUPERVISOR), approve=False, note="理由不充分")
    found = fitting(db, case)
    assert found["arb_suspension_approval"] == [str(request.id)]
    assert "arb_decision" not in found


def test_extension_form_per_request(drive, db, org):
    case, _ = drive(S.HEARD)
    first = interruptions.request_extension(db.session, case, org.user(Role.ARBITRATOR), days=10, reason="案情复杂")
    interruptions.decide_extension(db.session, case, org.user(Role.SUPERVISOR), approve=True)
    second = interruptions.request_extension(db.session, case, org.user(Role.ARBITRATOR), days=5, reason="需要鉴定")
    assert fitting(db, case)["arb_extension_approval"] == [str(first.id), str(second.id)]


@pytest.mark.parametrize(
    ("closure", "matter"),
    [
        (ClosureType.WITHDRAWN, "withdrawal"),
        (ClosureType.TERMINATED, "termination"),
    ],
)
def test_a_decision_for_withdrawal_or_termination_only_once_closed(drive, db, org, closure, matter):
    case, _ = drive(S.CLOSING, closure)
    found = fitting(db, case)
    assert "arb_decision" not in found and "arb_award" not in found
    assert found["arb_closure_approval"] == [""]
    arb.approve_closure(db.session, case, org.user(Role.SUPERVISOR))
    assert fitting(db, case)["arb_decision"] == [matter]


def test_mediation_statement_when_closing_with_one(drive, db):
    case, _ = drive(S.CLOSING, ClosureType.MEDIATION_STATEMENT)
    found = fitting(db, case)
    assert found["arb_mediation_statement"] == [""]
    assert "arb_award" not in found and "arb_decision" not in found


def test_a_mixed_award_is_two_documents(drive, db):
    case, _ = drive(S.CLOSED, claims=MIXED_CLAIMS)
    final, non_final = case.arbitration.awards
    assert fitting(db, case)["arb_award"] == [f"{final.id}-final", f"{non_final.id}-nonfinal"]


# --- what they say ------------------------------------------------------------------------------


def check_common(text: str, case, lang: str, number: str = NUMBER):
    """`number`: a notice's 文号 (the stand-in NUMBER), or the act's own number for an award, statement, decision."""
    assert squeeze(number) in text
    assert WORKER in text and EMPLOYER in text
    assert case.arbitration.number in text or case.registry_no in text


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_notices_render_with_deadlines_members_and_hearing(drive, db, org, lang):
    case, driver = drive(S.TRIBUNAL_FORMED)
    starts = clock.now_utc().replace(minute=0, second=0, microsecond=0) + timedelta(days=7)
    hearing = hearings.schedule_hearing(
        db.session,
        case,
        org.user(Role.CLERK),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        room_id=driver.room().id,
    )
    arbitration = case.arbitration
    notice = text_of(pdf(db, case, "arb_respondent_notice", lang=lang))
    check_common(notice, case, lang)
    assert "12,000.00" in notice
    due = next(t.due_on for t in case.timers if t.rule_id == "arbitration.defence")
    assert due >= arbitration.served_on + timedelta(days=10)
    assert local_date(due, lang) in notice
    assert local_date(arbitration.accepted_on, lang) in notice

    tribunal = text_of(pdf(db, case, "arb_tribunal_notice", lang=lang))
    check_common(tribunal, case, lang)
    assert org.user(Role.ARBITRATOR).display_name in tribunal
    assert say(lang, "Sole arbitrator") in tribunal

    text = text_of(pdf(db, case, "arb_hearing_notice", str(hearing.id), lang=lang))
    check_common(text, case, lang)
    assert squeeze(render.environment(lang).filters["datetime"](starts)) in text
    assert "第一仲裁庭" in text
    assert (
        say(
            lang,
            "If the applicant, having received this notice, fails to attend without good reason or leaves "
            "during the hearing without the tribunal's permission, the application may be treated as "
            "withdrawn.",
        )
        in text
    )


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_forms_render_handler_approver_and_days(drive, db, org, lang):
    case, _ = drive(S.HEARD)
    arbitrator, sup = org.user(Role.ARBITRATOR), org.user(Role.SUPERVISOR)
    suspension = interruptions.request_suspension(
        db.session, case, arbitrator, ground=SuspensionGround.FORCE_MAJEURE, reason="台风停工"
    )
    interruptions.decide_suspension(db.session, case, sup, approve=True, note="同意中止审理")
    clock.freeze(clock.now_utc() + timedelta(days=4))
    interruptions.resume(db.session, case, sup)
    extension = interruptions.request_extension(db.session, case, arbitrator, days=12, reason="案情复杂需要补充调查")
    interruptions.decide_extension(db.session, case, sup, approve=True, note="同意延期")
    Driver(db.session, org, case).request_closure(ClosureType.AWARD)
    arb.approve_closure(db.session, case, sup)
    db.session.flush()

    text = text_of(pdf(db, case, "arb_suspension_approval", str(suspension.id), lang=lang))
    assert case.registry_no in text and case.arbitration.number in text and WORKER in text
    assert (
        "台风停工" in text and "同意中止审理" in text and sup.display_name in text and arbitrator.display_name in text
    )
    assert say(lang, "Force majeure") in text
    assert local_date(suspension.started_on, lang) in text and local_date(suspension.ended_on, lang) in text

    text = text_of(pdf(db, case, "arb_extension_approval", str(extension.id), lang=lang))
    assert "案情复杂需要补充调查" in text and "同意延期" in text and sup.display_name in text
    assert local_date(extension.requested_on, lang) in text

    text = text_of(pdf(db, case, "arb_closure_approval", lang=lang))
    arbitration = case.arbitration
    total = (arbitration.closed_on - arbitration.accepted_on).days
    # Issue 12: counted to the closing act, against the award timer's own due date (45 days, the 4 suspended days
    # and the 12 extension days, holidays rolled over), not a constant 45 + 12.
    assert (
        say(
            lang,
            "%(total)s days from acceptance to the closing act; %(suspended)s days suspended; %(counted)s days counted",
            total=total,
            suspended=4,
            counted=total - 4,
        )
        in text
    )
    due = next(t.due_on for t in case.timers if t.rule_id == "arbitration.award")
    assert say(lang, "time limit ends on %(due)s", due=local_date(due, lang)) in text
    assert local_date(arbitration.closed_on, lang) in text and "12,000.00" in text
    assert say(lang, "Award") in text and sup.display_name in text


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_a_mixed_award_has_the_final_wording_in_one_and_the_non_final_in_the_other(drive, db, lang):
    case, _ = drive(S.CLOSED, claims=MIXED_CLAIMS)
    final, non_final = case.arbitration.awards
    assert (final.number, non_final.number) == (f"{case.arbitration.number}之一", f"{case.arbitration.number}之二")
    final_text = text_of(pdf(db, case, "arb_award", f"{final.id}-final", lang=lang))
    other_text = text_of(pdf(db, case, "arb_award", f"{non_final.id}-nonfinal", lang=lang))
    final_says = say(lang, "This award is final and takes legal effect on the day it is made.")
    revoke = say(
        lang,
        "An employer with evidence that this award falls under one of the cases of Article 49 of the "
        "Labour Dispute Mediation and Arbitration Law may apply to the intermediate people's court of "
        "the place where this commission sits to revoke it within %(days)s days of receiving it.",
        days=30,
    )
    non_final_says = say(
        lang,
        "A party who disagrees with this award may bring a lawsuit before the people's court "
        "within %(days)s days of receiving it; if no lawsuit is brought within that period, the "
        "award takes legal effect.",
        days=15,
    )
    assert final_says in final_text and revoke in final_text and non_final_says not in final_text
    assert non_final_says in other_text and final_says not in other_text and revoke not in other_text
    assert say(lang, "Arbitration award (part one)") in final_text
    assert say(lang, "Arbitration award (part two)") in other_text
    for text, award in ((final_text, final), (other_text, case.arbitration.awards[1])):
        check_common(text, case, lang, award.number or NUMBER)
        assert local_date(final.awarded_on, lang) in text
    # each document has its own items: the wages in the final one, the employment relation in the other
    assert "12,345.60" in final_text and "12,345.60" not in other_text
    assert "确认2024年3月起存在劳动关系" in other_text and "确认2024年3月起存在劳动关系" not in final_text
    if lang == "zh_CN":
        assert "壹万贰仟叁佰肆拾伍元陆角整" in final_text


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_decision_and_mediation_statement_render(drive, db, org, lang):
    case, _ = drive(S.CLOSED, ClosureType.WITHDRAWN)
    text = text_of(pdf(db, case, "arb_decision", "withdrawal", lang=lang))
    check_common(text, case, lang, case.arbitration.number)
    assert "申请人撤回仲裁申请" in text
    assert (
        say(
            lang,
            "This commission decides: the applicant is permitted to withdraw the application for arbitration, "
            "and the case is closed.",
        )
        in text
    )

    other, _ = drive(S.CLOSING, ClosureType.MEDIATION_STATEMENT)
    text = text_of(pdf(db, other, "arb_mediation_statement", lang=lang))
    check_common(text, other, lang, other.arbitration.number)
    assert "双方达成一致" in text and "12,000.00" in text and org.user(Role.ARBITRATOR).display_name in text
    assert say(lang, "This mediation statement takes legal effect once both parties have signed for it.") in text


def test_a_suspension_decision_names_ground_and_dates(drive, db, org):
    case, _ = drive(S.SERVED)
    request = interruptions.request_suspension(
        db.session,
        case,
        org.colleague(Role.SUPERVISOR),
        ground=SuspensionGround.PARTY_DIED,
        reason="申请人死亡，等待继承人表明是否参加仲裁",
    )
    interruptions.decide_suspension(db.session, case, org.user(Role.SUPERVISOR), approve=True)
    text = text_of(pdf(db, case, "arb_decision", f"suspension-{request.id}", lang="en"))
    assert "等待继承人表明是否参加仲裁" in text and say("en", "A party died") in text
    assert local_date(request.started_on, "en") in text


def test_fonts_are_embedded(drive, db):
    case, _ = drive(S.CLOSED, claims=MIXED_CLAIMS)
    data = pdf(db, case, "arb_award", f"{case.arbitration.awards[0].id}-final")
    out = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=False)
    if out.returncode:  # older pdffonts read only files
        path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"docsb-fonts-{os.getpid()}.pdf")
        with open(path, "wb") as f:
            f.write(data)
        out = subprocess.run(["pdffonts", path], capture_output=True, check=True)
        os.remove(path)
    rows = out.stdout.decode().splitlines()[2:]
    assert rows, "no fonts"
    for row in rows:
        assert row.split()[-5] == "yes", row  # emb


def test_a_partial_award_fits_at_once_with_its_own_title_and_wording(drive, db, org):
    case, _ = drive(S.HEARD)
    claim = case.claims[0]
    [partial] = awards.partial_award(
        db.session,
        case,
        org.user(Role.ARBITRATOR),
        reasons="工资数额双方无争议",
        items=[awards.ItemInput(claim_id=claim.id, amount=Decimal("8000.00"), text="先行支付")],
    )
    assert fitting(db, case)["arb_award"] == [f"{partial.id}-final"]
    text = text_of(pdf(db, case, "arb_award", f"{partial.id}-final", lang="en"))
    assert say("en", "Partial arbitration award") in text and partial.number in text
    assert say("en", "Part of the facts being clear, the tribunal decides that part first.") in text
    assert "工资数额双方无争议" in text and "8,000.00" in text


def test_termination_and_deemed_withdrawal_decisions(drive, db, org):
    case, _ = drive(S.CLOSED, ClosureType.TERMINATED)
    text = text_of(pdf(db, case, "arb_decision", "termination", lang="en"))
    check_common(text, case, "en", case.arbitration.number)
    # issue 13: the decision cites its basis
    assert (
        say(
            "en",
            "Applying Article 154 of the Civil Procedure Law by analogy, this commission decides: the "
            "proceedings of this case are terminated.",
        )
        in text
    )

    absent, _ = drive(S.CLOSED, ClosureType.DEEMED_WITHDRAWN)
    text = text_of(pdf(db, absent, "arb_decision", "deemed_withdrawal", lang="en"))
    assert (
        say(
            "en",
            "Under Article 36 of the Labour Dispute Mediation and Arbitration Law, this commission decides: the "
            "application for arbitration is treated as withdrawn, and the case is closed.",
        )
        in text
    )


def test_an_application_never_corrected_is_decided_as_withdrawn_without_a_case_number(drive, db, org):
    case, _ = drive(S.CORRECTION_REQUESTED)
    arb.correction_lapsed(db.session, case, org.user(Role.CLERK), note="逾期未补正")
    assert fitting(db, case) == {"arb_decision": ["deemed_withdrawal"]}
    text = text_of(pdf(db, case, "arb_decision", "deemed_withdrawal", lang="zh_CN"))
    assert squeeze(NUMBER) in text and WORKER in text and EMPLOYER in text and "逾期未补正" in text
    assert say("zh_CN", "This commission decides: the application is treated as withdrawn.") in text
    assert local_date(case.arbitration.received_on, "zh_CN") in text


def test_an_online_hearing_gives_the_link(drive, db, org):
    case, _ = drive(S.TRIBUNAL_FORMED)
    starts = clock.now_utc() + timedelta(days=6)
    hearing = hearings.schedule_hearing(
        db.session,
        case,
        org.user(Role.CLERK),
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        online_link="https://meet.example/r/42",
    )
    text = text_of(pdf(db, case, "arb_hearing_notice", str(hearing.id), lang="zh_CN"))
    assert "https://meet.example/r/42" in text
    assert (
        say(
            "zh_CN",
            "If the respondent, having received this notice, fails to attend without good reason or leaves "
            "during the hearing without the tribunal's permission, the tribunal may make an award by "
            "default.",
        )
        in text
    )
