"""Believable synthetic people and employers, with valid ID numbers and credit codes.

Everything takes a `random.Random`, so a seed gives the same data every time.
"""

import random
from datetime import date, timedelta

from disputes.identity import credit_code_check_char, resident_id_check_char

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_CHARS = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅志强海燕春梅玉兰金凤德明晓东文斌小龙"
    "俊杰婷婷雪梅宇航子涵浩然思远佳怡欣怡梓萱一鸣嘉豪志伟国平建华永强丽华海波晓燕桂芳德胜振华"
)
# Birthplace codes of common sending provinces (Hunan, Guangxi, Sichuan, Henan, Jiangxi, Hubei, Guangdong).
REGION_CODES = (
    "430521",
    "431021",
    "430623",
    "450881",
    "452226",
    "511623",
    "510722",
    "411522",
    "412726",
    "360732",
    "362232",
    "421181",
    "440982",
    "441581",
    "445221",
    "500233",
)
TRADES = (
    "电子科技",
    "精密五金",
    "服装",
    "塑胶制品",
    "物流",
    "餐饮管理",
    "建筑劳务",
    "物业管理",
    "智能设备",
    "家具",
    "印刷包装",
    "模具",
    "光电",
    "汽车配件",
    "贸易",
    "保安服务",
    "清洁服务",
    "装饰工程",
    "食品",
    "新材料",
)
BRAND_CHARS = "宏达鑫盛华兴泰丰恒润嘉信宇航金辉创新联众永安汇通瑞祥博远天成亿佳龙腾海川中科德力"
ROADS = ("布龙路", "龙岗大道", "坂雪岗大道", "深惠路", "吉华路", "和磡路", "五和大道", "爱联路", "宝龙大道", "清林路")
STREETS = ("布吉街道", "坂田街道", "龙城街道", "横岗街道", "平湖街道", "宝龙街道", "园山街道", "吉华街道")


def person_name(rng: random.Random) -> str:
    surname = rng.choice(SURNAMES)
    if rng.random() < 0.35:
        return surname + rng.choice(GIVEN_CHARS)
    return surname + rng.choice(GIVEN_CHARS) + rng.choice(GIVEN_CHARS)


def birth_date(rng: random.Random, on: date, youngest: int = 18, oldest: int = 58) -> date:
    return on - timedelta(days=rng.randint(youngest * 365, oldest * 365))


def resident_id(rng: random.Random, born: date, sex: str) -> str:
    sequence = rng.randint(0, 99) * 10 + (rng.choice((1, 3, 5, 7, 9)) if sex == "male" else rng.choice((0, 2, 4, 6, 8)))
    first17 = f"{rng.choice(REGION_CODES)}{born:%Y%m%d}{sequence:03d}"
    return first17 + resident_id_check_char(first17)


def credit_code(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "".join(rng.choice(alphabet) for _ in range(9))
    first17 = "91" + "440307" + body
    return first17 + credit_code_check_char(first17)


def employer_name(rng: random.Random) -> str:
    brand = rng.choice(BRAND_CHARS) + rng.choice(BRAND_CHARS)
    suffix = rng.choice(("有限公司", "有限公司", "有限公司", "股份有限公司", "实业有限公司"))
    return f"深圳市{brand}{rng.choice(TRADES)}{suffix}"


def address(rng: random.Random) -> str:
    return f"深圳市龙岗区{rng.choice(STREETS)}{rng.choice(ROADS)}{rng.randint(1, 399)}号"


def phone(rng: random.Random) -> str:
    return rng.choice(("138", "139", "136", "150", "158", "186", "189", "177")) + f"{rng.randint(0, 99999999):08d}"


LAW_FIRM_WORDS = ("鹏城", "龙岗", "鑫诚", "德衡", "华商", "深南", "坤元", "正平", "博众", "中岳")
JOBS = (
    "普工",
    "操作工",
    "品检员",
    "仓管员",
    "货车司机",
    "厨师",
    "保安员",
    "保洁员",
    "电工",
    "钢筋工",
    "木工",
    "行政文员",
    "销售代表",
    "技术员",
    "焊工",
    "装配工",
    "物流分拣员",
    "服务员",
    "水电安装工",
    "会计",
)


def landline(rng: random.Random) -> str:
    return f"0755-{rng.choice('2389')}{rng.randint(0, 9999999):07d}"


def law_firm(rng: random.Random) -> str:
    return f"广东{rng.choice(LAW_FIRM_WORDS)}律师事务所"


def workshop_name(rng: random.Random) -> str:
    """A small unincorporated employer, the kind whose credit code the worker rarely knows."""
    kind = rng.choice(("五金加工厂", "快餐店", "装修队", "服装加工厂", "汽车维修店", "印刷厂"))
    return f"龙岗区{rng.choice(STREETS)[:2]}{rng.choice(BRAND_CHARS)}{rng.choice(BRAND_CHARS)}{kind}"
