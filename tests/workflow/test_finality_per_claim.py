"""Finality per claim item (Law Art 47, Interp-I Art 19), who claims, rules as data per province, the
`flask awards classify` command, and the enforceable terms an award and a mediation statement print (issue 13)."""

import json
from datetime import date
from decimal import Decimal

import pytest

from disputes.documents.kinds.arbitration_award import award_key
from disputes.models import ClaimCategory, FinalityRule, MinimumWage, PartyKind, PartySide, Role
from disputes.workflow import arbitration as arb
from disputes.workflow import awards, finality
from disputes.workflow.awards import ItemInput
from disputes.workflow.finality import ClaimLine, classify_claims
from disputes.workflow.intake import ClaimInput, PartyInput
from disputes.workflow.states import ArbitrationState, ClosureType, Finality
from tests.conftest import EMPLOYER_CODE
from tests.documents.test_documents_parties import rendered
from tests.drive import Driver

C = ClaimCategory
FINAL, NON_FINAL = Finality.FINAL, Finality.NON_FINAL
ON = date(2026, 11, 20)
THRESHOLD = Decimal("30240.00")  # 12 × 2,520 (Shenzhen from 2025-03-01)


def one(db, org, *lines, on=ON):
    return classify_claims(db.session, org.arbitration, on, list(lines))


def test_two_lines_of_one_wage_claim_are_summed_before_the_test(db, org):
    result = one(db, org, ClaimLine("w", C.WAGES, Decimal(20000)), ClaimLine("w", C.WAGES, Decimal(20000)))
    [claim] = result.claims
    assert (claim.total, claim.lines, claim.finality, claim.why) == (Decimal(40000), 2, NON_FINAL, "above_threshold")
    assert result.threshold == THRESHOLD and result.wage_region_code == "440300"


def test_work_injury_medical_in_two_lines_is_non_final(db, org):
    result = one(
        db,
        org,
        ClaimLine("m", C.WORK_INJURY_MEDICAL, Decimal(18000)),
        ClaimLine("m", C.WORK_INJURY_MEDICAL, Decimal(17000)),
    )
    assert result.finality_of("m") == NON_FINAL


def test_separate_claims_are_tested_each_on_its_own(db, org):
    result = one(db, org, ClaimLine("a", C.WAGES, Decimal(20000)), ClaimLine("b", C.OVERTIME, Decimal(20000)))
    assert [c.finality for c in result.claims] == [FINAL, FINAL]
    assert result.split == {FINAL: ["a", "b"]}


@pytest.mark.parametrize(("amount", "expected"), [(THRESHOLD, FINAL), (THRESHOLD + Decimal("0.01"), NON_FINAL)])
def test_exactly_twelve_months_is_final_one_fen_above_is_not(db, org, amount, expected):
    half = (amount / 2).quantize(Decimal("0.01"))
    result = one(db, org, ClaimLine("w", C.WAGES, half), ClaimLine("w", C.WAGES, amount - half))
    assert result.finality_of("w") == expected


def test_minimum_wage_change_applies_from_its_effective_date(db, org):
    db.session.add(
        MinimumWage(
            region_code="440300",
            region_name="深圳市",
            effective_from=date(2026, 12, 1),
            monthly_amount=Decimal("2600.00"),
        )
    )
    db.session.flush()
    line = ClaimLine("w", C.WAGES, Decimal(31000))  # above 30,240, within 31,200
    before, on = one(db, org, line, on=date(2026, 11, 30)), one(db, org, line, on=date(2026, 12, 1))
    assert (before.minimum_wage, before.finality_of("w")) == (Decimal("2520.00"), NON_FINAL)
    assert (on.minimum_wage, on.wage_effective_from, on.finality_of("w")) == (
        Decimal("2600.00"),
        date(2026, 12, 1),
        FINAL,
    )


def test_an_employers_claim_is_never_final(db, org):
    result = one(
        db,
        org,
        ClaimLine("d", C.DAMAGES, Decimal(100), "employer"),
        ClaimLine("s", C.SOCIAL_INSURANCE, None, "employer"),
        ClaimLine("w", C.WAGES, Decimal(100)),
    )
    assert [(c.finality, c.why) for c in result.claims] == [
        (NON_FINAL, "employer_claim"),
        (NON_FINAL, "employer_claim"),
        (FINAL, "within_threshold"),
    ]
    assert result.split == {FINAL: ["w"], NON_FINAL: ["d", "s"]}


def test_standards_disputes_are_final_whatever_the_amount(db, org):
    assert one(db, org, ClaimLine("s", C.SOCIAL_INSURANCE, Decimal(999999))).finality_of("s") == FINAL


def test_a_provincial_rule_overrides_the_national_one_from_its_date(db, org):
    """Chongqing reads a worker's claim for social-insurance benefits (工伤保险待遇 among them) as Art 47(2)."""
    org.district.region_code = "500105"
    db.session.add(
        MinimumWage(
            region_code="500000",
            region_name="重庆市",
            effective_from=date(2022, 4, 1),
            monthly_amount=Decimal("2330.00"),
        )
    )
    db.session.flush()
    line = ClaimLine("b", C.WORK_INJURY_BENEFITS, Decimal(90000))
    assert one(db, org, line).finality_of("b") == FINAL
    assert one(db, org, line).claims[0].rule_region == "重庆市"
    assert one(db, org, line, on=date(2023, 7, 27)).finality_of("b") == NON_FINAL  # the day before its source
    org.district.region_code = "440307"
    db.session.flush()
    assert one(db, org, line).finality_of("b") == NON_FINAL  # Shenzhen: the national reading


def test_an_administrator_can_change_a_category_for_a_province(db, org):
    from disputes import reference

    reference.save_finality_rule(
        db.session,
        None,
        reference.FinalityRuleInput("440000", "广东省", C.CONFIRM_EMPLOYMENT, "final", date(2026, 1, 1), "测试依据"),
    )
    assert one(db, org, ClaimLine("c", C.CONFIRM_EMPLOYMENT, None)).finality_of("c") == FINAL
    rule = db.session.query(FinalityRule).filter_by(region_code="440000").one()
    assert rule.source == "测试依据"


# --- the award step uses the same function ---------------------------------------------------


def heard(db, org, make_case, claims, parties=None):
    case = make_case(claims=claims, **({"parties": parties} if parties else {}))
    Driver(db.session, org, case).arbitration(ArbitrationState.HEARD)
    db.session.commit()
    return case


def test_award_lines_of_one_claim_are_summed_and_resolved(db, org, make_case):
    case = heard(db, org, make_case, [ClaimInput(C.WAGES, Decimal(40000), "工资")])
    [wages] = case.claims
    made = awards.record_award(
        db.session,
        case,
        org.user(Role.ARBITRATOR),
        items=[
            ItemInput(wages.id, Decimal(20000), "2026年1月至6月"),
            ItemInput(wages.id, Decimal(20000), "2026年7月至10月"),
        ],
    )
    assert [a.finality for a in made] == [NON_FINAL]
    assert wages.resolved_amount == Decimal(40000)
    item = made[0].items[0]
    assert (item.obligor.kind, item.obligee.kind, item.due_days, item.claimant) == (
        PartyKind.EMPLOYER,
        PartyKind.WORKER,
        awards.DEFAULT_DUE_DAYS,
        "worker",
    )


def test_a_counter_claim_item_runs_the_other_way_and_is_non_final(db, org, make_case):
    case = heard(
        db,
        org,
        make_case,
        [ClaimInput(C.WAGES, Decimal(5000), "工资"), ClaimInput(C.DAMAGES, Decimal(3000), "培训费违约金")],
    )
    wages, damages = case.claims
    made = awards.record_award(
        db.session,
        case,
        org.user(Role.ARBITRATOR),
        items=[
            ItemInput(wages.id, Decimal(5000), "工资"),
            ItemInput(damages.id, Decimal(3000), "培训费违约金", claimant="employer", due_days=10),
        ],
    )
    by = {a.finality: a for a in made}
    counter = by[NON_FINAL].items[0]
    assert by[FINAL].items[0].claim is wages
    assert (counter.obligor.kind, counter.obligee.kind, counter.due_days) == (PartyKind.WORKER, PartyKind.EMPLOYER, 10)


def test_an_employers_own_application_is_non_final(db, org, make_case):
    parties = [
        PartyInput(PartySide.APPLICANT, PartyKind.EMPLOYER, "深圳市宏达电子科技有限公司", credit_code=EMPLOYER_CODE),
        PartyInput(PartySide.RESPONDENT, PartyKind.WORKER, "张三", sex="male"),
    ]
    case = heard(db, org, make_case, [ClaimInput(C.DAMAGES, Decimal(2000), "违约金")], parties)
    made = awards.record_award(
        db.session, case, org.user(Role.ARBITRATOR), items=[ItemInput(case.claims[0].id, Decimal(2000), "违约金")]
    )
    assert [a.finality for a in made] == [NON_FINAL]
    assert made[0].items[0].obligor.kind == PartyKind.WORKER


# --- flask awards classify -------------------------------------------------------------------


def test_classify_command_prints_the_award_step_result(db, org, app):
    runner = app.test_cli_runner()
    args = [
        "awards",
        "classify",
        "--unit",
        org.arbitration.code,
        "--on",
        "2026-11-20",
        "--item",
        "w:wages:20000",
        "--item",
        "w:wages:20000",
        "--item",
        "s:social_insurance:",
        "--json",
    ]
    out = runner.invoke(args=args)
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["minimum_wage"] == {
        "amount": "2520.00",
        "region_code": "440300",
        "region_name": "深圳市",
        "effective_from": "2025-03-01",
    }
    assert data["threshold"] == "30240.00"
    assert [(c["key"], c["total"], c["finality"]) for c in data["claims"]] == [
        ("w", "40000", "non_final"),
        ("s", None, "final"),
    ]
    assert data["split"] == {"final": ["s"], "non_final": ["w"]}
    text = runner.invoke(args=[*args[:-1], "--applicant", "employer"])
    assert text.exit_code == 0 and "employer_claim" in text.output and "mixed" not in text.output


# --- the documents -----------------------------------------------------------------------------


def _award_texts(db, org, case, items, lang="zh_CN"):
    made = awards.record_award(db.session, case, org.user(Role.ARBITRATOR), items=items)
    arb.request_closure(db.session, case, org.user(Role.ARBITRATOR), closure_type=ClosureType.AWARD)
    db.session.flush()
    return {a.finality: rendered(db, case, "arb_award", award_key(a), lang) for a in made}


def test_award_prints_finality_and_terms_once(db, org, make_case):
    case = heard(
        db,
        org,
        make_case,
        [ClaimInput(C.WAGES, Decimal(40000), "工资"), ClaimInput(C.OVERTIME, Decimal(3000), "加班费")],
    )
    wages, overtime = case.claims
    texts = _award_texts(
        db,
        org,
        case,
        [
            ItemInput(wages.id, Decimal(20000), "上半年"),
            ItemInput(wages.id, Decimal(20000), "下半年"),
            ItemInput(overtime.id, Decimal(3000), "加班", due_days=10),
        ],
    )
    final, non_final = texts[FINAL], texts[NON_FINAL]
    assert "本裁决为终局裁决" in final and "本裁决为非终局裁决" not in final
    assert "本裁决为非终局裁决" in non_final and "本裁决为终局裁决" not in non_final
    assert "15日内向人民法院提起诉讼" in non_final
    assert "30日内向" in final and "中级人民法院申请撤销" in final
    for text in texts.values():
        assert text.count("裁决如下") == 1
    assert "被申请人深圳市宏达电子科技有限公司于本裁决生效之日起十日内支付申请人张三加班，人民币3,000.00元" in final
    assert "被申请人深圳市宏达电子科技有限公司于本裁决生效之日起五日内支付申请人张三上半年" in non_final
    assert "被申请人深圳市宏达电子科技有限公司于本裁决生效之日起五日内支付申请人张三下半年" in non_final


def test_award_in_english(db, org, make_case):
    case = heard(
        db,
        org,
        make_case,
        [ClaimInput(C.CONFIRM_EMPLOYMENT, None, "确认劳动关系"), ClaimInput(C.WAGES, Decimal(1000), "工资")],
    )
    confirm, wages = case.claims
    texts = _award_texts(
        db,
        org,
        case,
        [ItemInput(confirm.id, None, "确认双方存在劳动关系"), ItemInput(wages.id, Decimal(1000), "十月")],
        lang="en",
    )
    assert "Thisawardisnotfinal." in texts[NON_FINAL]
    assert (
        "Within5daysofthisawardtakingeffect,Respondent深圳市宏达电子科技有限公司shallpayApplicant张三" in texts[FINAL]
    )


def test_mediation_statement_prints_structured_terms(db, org, make_case):
    case = heard(db, org, make_case, [ClaimInput(C.WAGES, Decimal(12000), "工资")])
    arb.request_closure(
        db.session,
        case,
        org.user(Role.ARBITRATOR),
        closure_type=ClosureType.MEDIATION_STATEMENT,
        note="申请人放弃其他请求。",
        act_on=ON,
        terms=[arb.TermInput("拖欠工资", Decimal(10000), case.claims[0].id, due_on=date(2026, 12, 15))],
    )
    db.session.flush()
    assert [(t.obligor.kind, t.obligee.kind) for t in case.arbitration.statement_terms] == [
        (PartyKind.EMPLOYER, PartyKind.WORKER)
    ]
    zh = rendered(db, case, "arb_mediation_statement", "", "zh_CN")
    assert "一、被申请人深圳市宏达电子科技有限公司于2026年12月15日前支付申请人张三拖欠工资" in zh
    assert "二、申请人放弃其他请求。" in zh and "。。" not in zh
    en = rendered(db, case, "arb_mediation_statement", "", "en")
    assert "shallpayApplicant张三" in en


def test_statement_without_terms_or_note_is_refused(db, org, make_case):
    from disputes.i18n import DomainError

    case = heard(db, org, make_case, [ClaimInput(C.WAGES, Decimal(12000), "工资")])
    with pytest.raises(DomainError):
        arb.request_closure(
            db.session, case, org.user(Role.ARBITRATOR), closure_type=ClosureType.MEDIATION_STATEMENT, act_on=ON
        )


def test_finality_module_threshold_is_twelve():
    assert finality.THRESHOLD_MONTHS == 12


# --- the web steps -----------------------------------------------------------------------------


def test_award_step_sets_claimant_obligor_and_days(db, org, make_case, login):
    from tests.arb_web import Web, iso

    case = make_case(
        claims=[ClaimInput(C.WAGES, Decimal(12000), "工资"), ClaimInput(C.DAMAGES, Decimal(3000), "培训费违约金")]
    )
    web = Web(db, org, login, case)
    web.hearing()
    wages, damages = web.case.claims
    worker = next(p for p in web.case.parties if p.kind == PartyKind.WORKER)
    employer = next(p for p in web.case.parties if p.kind == PartyKind.EMPLOYER)
    web.as_(Role.ARBITRATOR).step(
        "record-award",
        {
            "awarded_on": iso(),
            "items-0-claim_id": wages.id,
            "items-0-amount": "12000",
            "items-0-text": "工资",
            "items-0-claimant": "worker",
            "items-0-due_days": "15",
            "items-1-claim_id": damages.id,
            "items-1-amount": "3000",
            "items-1-text": "培训费违约金",
            "items-1-claimant": "employer",
            "items-1-obligor_id": worker.id,
            "items-1-obligee_id": employer.id,
        },
    )
    made = {a.finality: a for a in web.arbitration.awards}
    final, counter = made[FINAL].items[0], made[NON_FINAL].items[0]
    assert (final.obligor_id, final.obligee_id, final.due_days) == (employer.id, worker.id, 15)
    assert (counter.claimant, counter.obligor_id, counter.obligee_id, counter.due_days) == (
        "employer",
        worker.id,
        employer.id,
        awards.DEFAULT_DUE_DAYS,
    )


def test_statement_closure_step_stores_terms(db, org, make_case, login):
    from tests.arb_web import Web

    case = make_case()
    web = Web(db, org, login, case)
    web.hearing()
    [wages] = web.case.claims
    web.as_(Role.ARBITRATOR).step(
        "request-closure",
        {
            "closure_type": "mediation_statement",
            "terms-0-claim_id": wages.id,
            "terms-0-text": "拖欠工资",
            "terms-0-amount": "10000",
            "terms-0-due_on": "2026-12-31",
        },
    )
    [term] = web.arbitration.statement_terms
    assert (term.amount, term.due_on, term.obligor.kind, term.obligee.kind) == (
        Decimal("10000.00"),
        date(2026, 12, 31),
        PartyKind.EMPLOYER,
        PartyKind.WORKER,
    )


def test_admin_adds_a_provincial_rule_with_its_source(db, org, login, client):
    from tests.pages import step_hidden

    login(org.user(Role.ADMIN))
    page = client.get("/admin/finality-rules/new")
    assert page.status_code == 200
    data = {
        **step_hidden(page),
        "region_code": "440000",
        "region_name": "广东省",
        "category": "other",
        "rule": "non_final",
        "effective_from": "2026-01-01",
        "source": "测试：广东省规则",
    }
    assert client.post("/admin/finality-rules/new", data=data).status_code == 302
    listing = client.get("/admin/finality-rules").get_data(as_text=True)
    assert "测试：广东省规则" in listing and "重庆市" in listing
    missing = client.post("/admin/finality-rules/new", data={**data, "source": "", "category": "wages"})
    assert missing.status_code in (200, 400)
    assert db.session.query(FinalityRule).filter_by(region_code="440000").count() == 1
    from disputes.models import AdminAudit

    entry = db.session.query(AdminAudit).filter_by(entity="finality_rule").one()  # the refused one wrote nothing
    assert entry.action == "created" and entry.actor_id == org.user(Role.ADMIN).id
    assert entry.after["source"] == "测试：广东省规则"
