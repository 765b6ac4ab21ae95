"""The words on the demo's track records: session summaries, reasons, notes and court names, varied by seed."""

from __future__ import annotations

import random

from disputes.models import Case, PartyKind

SESSION_PLACES = (
    "龙岗区劳动争议人民调解委员会第一调解室",
    "龙岗区劳动争议人民调解委员会第二调解室",
    "调援裁诉中心一楼接待室",
    "布吉街道综治中心调解室",
)
ONLINE_LINK = "https://meeting.tencent.com/dm/{code}"
FIRST_SUMMARIES = (
    "双方分别陈述了事实和请求。申请人坚持全额支付，被申请人称资金紧张，同意分期支付部分款项。调解员释明相关法律规定，约定下次继续调解。",
    "被申请人对拖欠工资的事实无异议，但对加班时长有争议。调解员要求被申请人下次提交考勤记录。",
    "申请人出示了工资条和银行流水，被申请人人事经理表示需向公司负责人汇报后答复。",
    "双方就经济补偿计算基数存在分歧，调解员分别做了背对背工作，双方均表示愿意继续协商。",
    "被申请人提出以调岗方式继续履行劳动合同，申请人不同意，要求解除并支付补偿。",
)
# The summary follows the agreement's terms: no money, one payment, or instalments.
AGREEMENT_SUMMARIES = {
    0: ("经调解员多次沟通，双方自愿达成一致，签订调解协议书。",),
    1: (
        "双方各让一步，被申请人一次性支付协商款项，劳动关系于签约之日解除。",
        "经调解员多次沟通，双方自愿达成一致，签订调解协议书。",
    ),
    2: ("被申请人同意分期支付，申请人放弃其他请求，双方当场签字确认。",),
}
FAIL_REASONS = (
    "双方对补偿金额分歧较大，经两次调解未能达成一致，申请人表示将申请仲裁。",
    "被申请人经通知两次未到场，无调解诚意，调解不成。",
    "被申请人否认存在劳动关系，拒绝调解。",
    "申请人坚持要求支付二倍工资差额，被申请人不同意，调解终结。",
)
WITHDRAW_REASONS = (
    "申请人与被申请人已自行和解，申请撤回调解申请。",
    "申请人决定直接申请劳动仲裁，撤回调解申请。",
    "被申请人已足额支付拖欠工资，申请人撤回申请。",
)
LAPSE_REASONS = ("自受理之日起十五日内未达成调解协议，告知当事人可依法申请仲裁。", "调解期限届满，双方仍未达成一致。")
PERFORMANCE_NOTES = {
    "performed": ("被申请人已按协议全部支付，申请人确认收款。", "款项已于约定日前转入申请人账户。"),
    "partly_performed": ("被申请人仅支付首期款项，余款仍在催告。", "已支付大部分款项，尚欠尾款未付。"),
    "defaulted": (
        "被申请人到期未付款且联系不上，告知申请人可申请支付令。",
        "被申请人明确表示无力支付，已告知申请人可向法院申请支付令。",
    ),
}
HARDSHIP = (
    "申请人失业在家，无固定收入，家庭人均收入低于当地最低生活保障标准。",
    "申请人系外来务工人员，被拖欠工资后无其他收入来源，需抚养两名未成年子女。",
    "申请人工伤后无法工作，医疗费用负担较重，家庭经济困难。",
)
MATERIALS_NOTES = (
    "请补充提交经济困难状况说明表及社区证明。",
    "请补充身份证复印件和劳动关系证明材料。",
    "请补充近三个月银行流水。",
)
AID_REFUSALS = (
    "申请人家庭收入高于经济困难标准，不符合法律援助条件。",
    "申请事项不属于法律援助范围。",
    "申请人已委托律师代理，不予法律援助。",
)
OBJECTIONS = ("申请人认为其收入计算有误，向司法行政部门提出异议。", "申请人补充了失业证明，对不予援助决定提出异议。")
LAW_FIRMS = ("广东鹏城律师事务所", "广东深龙律师事务所", "北京市盈科（深圳）律师事务所", "广东华商律师事务所")
CORRECTION_NOTES = (
    "请补充被申请人的工商登记信息和准确送达地址。",
    "仲裁请求不明确，请明确各项请求的金额和计算依据。",
    "请补充劳动关系证明材料及证据目录。",
)
ARB_REFUSALS = (
    ("not_labour_dispute", "申请人请求事项不属于劳动人事争议处理范围。"),
    ("not_labour_dispute", "申请人与被申请人之间系承揽关系，不属于劳动争议受理范围。"),
    ("no_jurisdiction", "劳动合同履行地和用人单位所在地均在东莞市，应由东莞市劳动人事争议仲裁院管辖。"),
)
POSTPONE_REASONS = (
    "被申请人代理律师另案开庭，申请延期开庭。",
    "申请人因病住院，申请延期开庭并提交了诊断证明。",
    "首席仲裁员临时公务，经双方同意延期。",
)
HEARING_RECORDS = (
    "双方到庭，进行了举证质证和法庭辩论，申请人坚持仲裁请求。",
    "庭审围绕加班事实和工资标准展开，被申请人提交了考勤记录。",
    "双方当庭陈述最后意见，仲裁庭宣布休庭合议。",
)
ABSENT_RECORDS = {
    (False, True): "申请人经书面通知无正当理由未到庭，仲裁庭记录在案。",
    (True, False): "被申请人经书面通知无正当理由未到庭，仲裁庭依法缺席审理。",
    (False, False): "双方均未到庭，仲裁庭记录在案。",
}
SUSPENSION_REASONS = {
    "awaiting_determination": (
        "申请人的工伤认定尚未作出，本案需以认定结论为依据。",
        "申请人劳动能力鉴定结论尚未作出。",
    ),
    "depends_on_other_case": ("本案须以另一劳动争议案件的审理结果为依据，该案尚未审结。",),
    "party_died": ("申请人在仲裁期间死亡，需等待继承人表明是否参加仲裁。",),
}
EXTENSION_REASONS = (
    "案情复杂，需调取社保缴费记录，申请延期审理。",
    "集体劳动争议涉及人数较多，需逐一核对工资清单。",
    "需对申请人的劳动能力鉴定结论进行质证。",
)
CLOSURE_NOTES = {
    "mediation_statement": (
        "经仲裁庭调解，被申请人同意支付申请人各项款项，双方签收仲裁调解书。",
        "庭前调解成功，被申请人当场支付部分款项，余款分两期支付。",
    ),
    "withdrawn": ("申请人与被申请人庭外和解，申请撤回仲裁申请。", "被申请人已支付全部工资，申请人撤回仲裁申请。"),
    "deemed_withdrawn": ("申请人经书面通知，无正当理由拒不到庭，按撤回仲裁申请处理。",),
    "terminated": ("被申请人已注销且无权利义务承继者，仲裁程序终结。", "申请人死亡且无继承人参加仲裁，终结仲裁程序。"),
    "transferred": (
        "劳动合同履行地在宝安区，移送深圳市宝安区劳动人事争议仲裁委员会处理。",
        "经查被申请人注册地及劳动合同履行地均在东莞市，移送有管辖权的仲裁委员会。",
    ),
}
REJECT_NOTES = ("撤回申请书未经申请人本人签字，请补正后重新报批。", "裁决书对加班费计算依据说理不足，请补充后再报。")
# The finality wording and "裁决如下" come from the award template (by the award's finality), never from here.
AWARD_REASONS = (
    "根据《中华人民共和国劳动合同法》第三十条、第八十五条及相关规定，仲裁庭支持申请人的合理请求。",
    "被申请人未能举证证明已足额支付劳动报酬，应承担不利后果。",
    "综合双方证据及庭审情况，仲裁庭认定被申请人存在拖欠劳动报酬的事实。",
)
STATEMENT_TERMS = ("{what}", "{what}（一次性付清）")
JUDGMENT_SUMMARIES = (
    "一审判决被告支付原告工资及经济补偿，驳回其他诉讼请求。",
    "一审判决与仲裁裁决结果基本一致。",
    "一审判决确认双方存在劳动关系。",
)
DISTRICT_COURT = "深圳市龙岗区人民法院"
INTERMEDIATE_COURT = "深圳市中级人民法院"


def pick(rng: random.Random, options):
    return rng.choice(options)


def attendees(rng: random.Random, case: Case) -> str:
    worker = next((p.name for p in case.applicants if p.kind == PartyKind.WORKER), "申请人")
    employer = next((p for p in case.respondents if p.kind == PartyKind.EMPLOYER), None)
    agent = next((p.name for p in case.respondents if p.kind == PartyKind.AGENT), None)
    side = (
        f"被申请人委托代理人{agent}"
        if agent
        else f"被申请人{rng.choice(('人事经理', '行政主管', '法定代表人'))}"
        + (employer.legal_representative if employer and employer.legal_representative and rng.random() < 0.5 else "")
    )
    return f"申请人{worker}；{side}"


def court_no(rng: random.Random, year: int, kind: str) -> str:
    return {
        "first": f"（{year}）粤0307民初{rng.randint(1000, 39999)}号",
        "appeal": f"（{year}）粤03民终{rng.randint(1000, 29999)}号",
        "special": f"（{year}）粤03民特{rng.randint(100, 2999)}号",
    }[kind]


CATEGORY_CN = {
    "wages": "拖欠工资",
    "overtime": "加班费",
    "economic_compensation": "经济补偿",
    "damages": "赔偿金",
    "work_injury_medical": "工伤医疗费",
    "work_injury_benefits": "工伤保险待遇",
    "social_insurance": "社会保险",
    "working_time_leave": "未休年休假工资",
    "confirm_employment": "确认劳动关系",
    "contract_termination": "解除劳动合同证明",
    "other": "其他请求",
}
