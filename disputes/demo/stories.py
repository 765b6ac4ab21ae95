"""What the worker says happened: claims with plausible amounts, the cause line and a facts paragraph.

Each scenario turns a `Story` into `(cause, facts, claims)`; amounts follow the
statutory formulas loosely (months of pay for compensation, 2N for unlawful
dismissal, 150% for overtime) so totals look like the ones on real files.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from disputes.models import ClaimCategory as C
from disputes.sla.periods import add_months
from disputes.workflow.intake import ClaimInput, PartyInput

PRETEXTS = ("不能胜任工作", "严重违反公司规章制度", "公司架构调整", "试用期不符合录用条件", "经营困难需要裁员")
INJURIES = ("被冲压机压伤右手", "从脚手架跌落致腰椎骨折", "被叉车撞伤左腿", "被切割机割伤左手", "搬运货物时扭伤腰部")

Written = tuple[str, str, list[ClaimInput]]


@dataclass
class Story:
    worker: PartyInput
    employer: PartyInput
    start: date
    known: date
    wage: int
    job: str
    heads: int = 1


def cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def period(first: date, last: date) -> str:
    if (first.year, first.month) == (last.year, last.month):
        return f"{last.year}年{last.month}月"
    if first.year == last.year:
        return f"{first.year}年{first.month}月至{last.month}月"
    return f"{first.year}年{first.month}月至{last.year}年{last.month}月"


def money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def service_months(s: Story) -> float:
    """Months of pay owed as economic compensation (Law Art 47): one a year, a part year of six months counts one."""
    years, rest = divmod((s.known - s.start).days / 30.44, 12)
    return years + (1 if rest >= 6 else 0.5 if rest > 0 else 0)


def overtime_claim(rng: random.Random, s: Story) -> ClaimInput:
    hours = rng.randint(80, 600)
    return ClaimInput(C.OVERTIME, money(hours * s.wage / 21.75 / 8 * 1.5), f"延时加班{hours}小时的加班费")


def leave_claim(rng: random.Random, s: Story) -> ClaimInput:
    days = rng.randint(3, 15)
    return ClaimInput(C.WORKING_TIME_LEAVE, money(days * s.wage / 21.75 * 2), f"未休年休假{days}天的工资")


def wages(rng: random.Random, s: Story) -> Written:
    last = s.known.replace(day=1) - timedelta(days=1)
    first = add_months(last.replace(day=1), -rng.randint(0, 5))
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    owed = min(60000, max(3000, s.wage * months * rng.uniform(0.6, 1.0)))
    claims = [ClaimInput(C.WAGES, money(owed * s.heads), f"{period(first, last)}工资")]
    cause = f"拖欠{period(first, last)}工资"
    facts = (
        f"申请人于{cn(s.start)}入职被申请人，任{s.job}，月工资{s.wage}元。被申请人自{first.year}年{first.month}月起"
        f"未足额发放工资，经多次催讨仍未支付。{cn(s.known)}申请人要求结清工资，被申请人以资金周转困难为由拒绝。"
    )
    if s.heads > 1:
        cause = f"{s.heads}名员工集体追索拖欠{period(first, last)}工资"
        facts = (
            f"被申请人自{cn(first)}起拖欠{s.heads}名员工工资，{cn(s.known)}起停工停产，"
            f"法定代表人{s.employer.legal_representative}无法联系。员工推选代表人申请调解。"
        )
    if rng.random() < 0.4:
        claims.append(
            ClaimInput(
                C.ECONOMIC_COMPENSATION,
                money(service_months(s) * s.wage * s.heads),
                "因拖欠劳动报酬被迫解除劳动合同的经济补偿",
            )
        )
        cause += "及经济补偿"
        facts += "申请人遂以被申请人拖欠劳动报酬为由通知解除劳动合同。"
    if s.heads == 1 and rng.random() < 0.25:
        claims.append(overtime_claim(rng, s))
    return cause, facts, claims


def dismissal(rng: random.Random, s: Story) -> Written:
    claims = [ClaimInput(C.DAMAGES, money(2 * service_months(s) * s.wage), "违法解除劳动合同赔偿金")]
    if rng.random() < 0.5:
        owed = max(3000, s.wage * rng.uniform(0.5, 1.5))
        claims.append(ClaimInput(C.WAGES, money(owed), f"{s.known.month}月及此前未结算的工资"))
    if rng.random() < 0.2:
        claims.append(leave_claim(rng, s))
    if rng.random() < 0.2:
        claims.append(overtime_claim(rng, s))
    facts = (
        f"申请人于{cn(s.start)}入职被申请人，任{s.job}，月平均工资{s.wage}元。{cn(s.known)}被申请人以“"
        f"{rng.choice(PRETEXTS)}”为由通知申请人解除劳动合同，未提供相应证据，亦未支付任何补偿。"
    )
    return "违法解除劳动合同赔偿金", facts, claims


def overtime(rng: random.Random, s: Story) -> Written:
    first = max(s.start, s.known - timedelta(days=365))
    claims = [overtime_claim(rng, s)] + ([leave_claim(rng, s)] if rng.random() < 0.5 else [])
    facts = (
        f"申请人于{cn(s.start)}入职被申请人，任{s.job}，每天工作{rng.choice((10, 11, 12))}小时、每月休息"
        f"{rng.choice((2, 4))}天，被申请人未足额支付加班工资。申请人于{cn(s.known)}离职。"
    )
    return f"追索{period(first, s.known)}加班费", facts, claims


def injury(rng: random.Random, s: Story) -> Written:
    grade = rng.randint(7, 10)
    injured = max(s.start, s.known - timedelta(days=rng.randint(60, 300)))
    claims = []
    if rng.random() < 0.7:
        claims.append(ClaimInput(C.WORK_INJURY_MEDICAL, money(rng.uniform(3000, 80000)), "工伤医疗费"))
    if not claims or rng.random() < 0.8:
        months = {7: 13, 8: 11, 9: 9, 10: 7}[grade] + rng.randint(1, 6)
        claims.append(
            ClaimInput(C.WORK_INJURY_BENEFITS, money(months * s.wage), f"一次性伤残补助金（{grade}级）及停工留薪期工资")
        )
    facts = (
        f"申请人于{cn(s.start)}入职被申请人，任{s.job}。{cn(injured)}申请人在工作中{rng.choice(INJURIES)}，"
        f"后被认定为工伤，经劳动能力鉴定为{grade}级伤残。被申请人未为申请人缴纳工伤保险，拒绝支付工伤待遇。"
    )
    return "工伤保险待遇", facts, claims


def no_contract(rng: random.Random, s: Story) -> Written:
    months = rng.randint(1, 11)
    claims = [ClaimInput(C.DAMAGES, money(months * s.wage), f"未签订书面劳动合同{months}个月的二倍工资差额")]
    if rng.random() < 0.5:
        claims.append(ClaimInput(C.ECONOMIC_COMPENSATION, money(service_months(s) * s.wage), "解除劳动合同经济补偿"))
    facts = f"申请人于{cn(s.start)}入职被申请人，任{s.job}，月工资{s.wage}元，被申请人一直未与申请人签订书面劳动合同。"
    return "未签订书面劳动合同二倍工资差额", facts, claims


def employment(rng: random.Random, s: Story) -> Written:
    claims = [ClaimInput(C.CONFIRM_EMPLOYMENT, None, f"确认双方自{cn(s.start)}至{cn(s.known)}存在劳动关系")]
    cause = "确认劳动关系"
    if rng.random() < 0.7:
        claims.append(ClaimInput(C.WAGES, money(max(3000, s.wage * rng.uniform(1, 3))), "拖欠的劳动报酬"))
        cause += "及追索劳动报酬"
    facts = (
        f"申请人自{cn(s.start)}起在被申请人处从事{s.job}工作，接受被申请人管理并按月领取报酬，"
        "双方未签订劳动合同，被申请人否认存在劳动关系。"
    )
    return cause, facts, claims


def insurance(rng: random.Random, s: Story) -> Written:
    claims = [
        ClaimInput(C.SOCIAL_INSURANCE, None, f"补缴{period(s.start, s.known)}社会保险费"),
        ClaimInput(C.ECONOMIC_COMPENSATION, money(service_months(s) * s.wage), "被迫解除劳动合同的经济补偿"),
    ]
    if rng.random() < 0.4:
        claims.append(ClaimInput(C.CONTRACT_TERMINATION, None, "出具解除劳动合同证明并办理社会保险关系转移手续"))
    facts = (
        f"申请人于{cn(s.start)}入职被申请人，任{s.job}。被申请人未依法为申请人缴纳社会保险费，"
        f"{cn(s.known)}申请人以此为由通知被申请人解除劳动合同。"
    )
    return "未依法缴纳社会保险被迫解除劳动合同经济补偿", facts, claims


SCENARIOS = (wages, dismissal, overtime, injury, no_contract, employment, insurance)
WEIGHTS = (40, 18, 10, 12, 8, 6, 6)


def write_up(rng: random.Random, s: Story) -> Written:
    """A collective dispute is about unpaid wages; an individual one about anything."""
    scenario = wages if s.heads > 1 else rng.choices(SCENARIOS, weights=WEIGHTS)[0]
    cause, facts, claims = scenario(rng, s)
    return cause, facts, claims[:4]
