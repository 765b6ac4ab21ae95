"""The demonstration organisation: Longgang district's one-stop centre, three streets, and its staff.

Units and users are plain data here so `login_table()` can print the demo logins
without touching the database.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

from sqlalchemy.orm import Session

from disputes import numbering, organisation, reference
from disputes.models import HearingRoom, Role, Unit, UnitKind, User
from disputes.models import user as user_model

DEMO_PASSWORD = "demo-2026-pass"


class DemoUnit(NamedTuple):
    code: str
    name: str
    name_en: str
    kind: UnitKind
    parent: str | None
    pattern: str | None = None
    address: str | None = None
    phone: str | None = None


class DemoUser(NamedTuple):
    username: str
    display_name: str
    roles: tuple[Role, ...]
    unit: str


K = UnitKind
DEMO_UNITS: tuple[DemoUnit, ...] = (
    DemoUnit("LG", "深圳市龙岗区", "Longgang District, Shenzhen", K.DISTRICT, None),
    DemoUnit(
        "LGC",
        "龙岗区劳动争议调援裁诉中心",
        "Longgang Labour Dispute Mediation, Aid, Arbitration and Litigation Centre",
        K.CENTRE,
        "LG",
        "深龙调援〔{year}〕{seq}号",
        "深圳市龙岗区龙城街道清林路1号",
        "0755-28900000",
    ),
    DemoUnit(
        "LGM",
        "龙岗区劳动争议人民调解委员会",
        "Longgang Labour Dispute People's Mediation Committee",
        K.MEDIATION_COMMITTEE,
        "LGC",
    ),
    DemoUnit(
        "LGA",
        "龙岗区劳动人事争议仲裁委员会",
        "Longgang Labour and Personnel Dispute Arbitration Commission",
        K.ARBITRATION_COMMISSION,
        "LGC",
    ),
    DemoUnit("LGL", "龙岗区法律援助中心", "Longgang Legal Aid Centre", K.LEGAL_AID_CENTRE, "LGC"),
    DemoUnit(
        "LGCT",
        "龙岗区人民法院驻中心诉调对接工作室",
        "Longgang People's Court Liaison Office at the Centre",
        K.COURT_LIAISON,
        "LGC",
    ),
    DemoUnit("BJ", "布吉街道", "Buji Subdistrict", K.STREET, "LG"),
    DemoUnit(
        "BJM",
        "布吉街道劳动争议调解委员会",
        "Buji Subdistrict Labour Dispute Mediation Committee",
        K.MEDIATION_COMMITTEE,
        "BJ",
        "深龙布调〔{year}〕{seq}号",
        "深圳市龙岗区布吉街道吉华路8号",
    ),
    DemoUnit("BJLG", "罗岗社区", "Luogang Community", K.COMMUNITY, "BJ"),
    DemoUnit("BJDF", "大芬社区", "Dafen Community", K.COMMUNITY, "BJ"),
    DemoUnit("BT", "坂田街道", "Bantian Subdistrict", K.STREET, "LG"),
    DemoUnit(
        "BTM",
        "坂田街道劳动争议调解委员会",
        "Bantian Subdistrict Labour Dispute Mediation Committee",
        K.MEDIATION_COMMITTEE,
        "BT",
        "深龙坂调〔{year}〕{seq}号",
        "深圳市龙岗区坂田街道五和大道6号",
    ),
    DemoUnit("BTGT", "岗头社区", "Gangtou Community", K.COMMUNITY, "BT"),
    DemoUnit("BTWH", "五和社区", "Wuhe Community", K.COMMUNITY, "BT"),
    DemoUnit("BTHX", "宏兴科技园", "Hongxing Technology Park", K.ENTERPRISE, "BTGT"),
    DemoUnit(
        "BTHXM",
        "宏兴科技园企业劳动争议调解委员会",
        "Hongxing Technology Park Enterprise Mediation Committee",
        K.MEDIATION_COMMITTEE,
        "BTHX",
        "宏兴企调〔{year}〕{seq}号",
    ),
    DemoUnit("LC", "龙城街道", "Longcheng Subdistrict", K.STREET, "LG"),
    DemoUnit(
        "LCM",
        "龙城街道劳动争议调解委员会",
        "Longcheng Subdistrict Labour Dispute Mediation Committee",
        K.MEDIATION_COMMITTEE,
        "LC",
        "深龙城调〔{year}〕{seq}号",
    ),
    DemoUnit("LCAL", "爱联社区", "Ailian Community", K.COMMUNITY, "LC"),
    DemoUnit("LCHL", "回龙埔社区", "Huilongpu Community", K.COMMUNITY, "LC"),
    # The city's commission, another body and level: where the demo's arbitration is transferred (移送管辖).
    DemoUnit(
        "SZA",
        "深圳市劳动人事争议仲裁委员会",
        "Shenzhen Labour and Personnel Dispute Arbitration Commission",
        K.ARBITRATION_COMMISSION,
        None,
    ),
)
UNITS_BY_CODE = {u.code: u for u in DEMO_UNITS}

R = Role
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("clerk", "陈晓燕", (R.CLERK,), "LGC"),
    DemoUser("mediator", "李建华", (R.MEDIATOR,), "LGM"),
    DemoUser("legalaid", "周丽华", (R.LEGAL_AID_OFFICER,), "LGL"),
    DemoUser("lawyer", "黄志远", (R.LAWYER,), "LGL"),
    DemoUser("arbitrator", "王振华", (R.ARBITRATOR,), "LGA"),
    DemoUser("court", "刘德明", (R.COURT_LIAISON,), "LGCT"),
    DemoUser("supervisor", "张国平", (R.SUPERVISOR,), "LGC"),
    DemoUser("admin", "赵海波", (R.ADMIN,), "LG"),
    DemoUser("mediator2", "孙秀英", (R.MEDIATOR,), "LGM"),
    DemoUser("mediator3", "吴永强", (R.MEDIATOR,), "LGM"),
    DemoUser("bjmediator", "郭丽娟", (R.MEDIATOR,), "BJM"),
    DemoUser("arbitrator2", "林佳怡", (R.ARBITRATOR,), "LGA"),
    DemoUser("arbitrator3", "许德胜", (R.ARBITRATOR,), "LGA"),
    DemoUser("btclerk", "何文斌", (R.CLERK,), "BT"),
    # The commission's director (仲裁委员会主任): named its head, the one who decides extensions (Rules Art 45).
    DemoUser("director", "钟伟明", (R.SUPERVISOR,), "LGA"),
    DemoUser("citysupervisor", "邓志军", (R.SUPERVISOR,), "SZA"),
)
COMMISSION_HEADS = {"LGA": ("director",)}


HEARING_ROOMS = ("第一仲裁庭", "第二仲裁庭", "调解室")
TRACK_PATTERNS = {  # stage numbers: mediation 调解, arbitration 仲裁文号, legal aid 法援
    "LGM": {numbering.MEDIATION: "深龙劳人调字〔{year}〕{seq}号"},
    "BJM": {numbering.MEDIATION: "深龙布调字〔{year}〕{seq}号"},
    "LGA": {numbering.ARBITRATION: "深龙劳人仲案〔{year}〕{seq}号"},
    "LGL": {numbering.LEGAL_AID: "深龙法援〔{year}〕{seq}号"},
}  # of the arbitration commission (LGA)


class Centre(NamedTuple):
    units: dict[str, Unit]
    users: dict[str, User]
    rooms: list[HearingRoom] = []


def build_centre(session: Session) -> Centre:
    """Create every demo unit (parents first), its registry pattern, and every demo user."""
    units: dict[str, Unit] = {}
    for spec in DEMO_UNITS:
        unit = organisation.add_unit(
            session,
            spec.code,
            spec.name,
            spec.kind,
            units.get(spec.parent) if spec.parent else None,
            name_en=spec.name_en,
            address=spec.address,
            phone=spec.phone,
            region_code="440307" if spec.kind == UnitKind.DISTRICT else None,
        )
        if spec.pattern:
            numbering.set_pattern(session, unit, numbering.REGISTRY, spec.pattern)
        for family, pattern in TRACK_PATTERNS.get(spec.code, {}).items():
            numbering.set_pattern(session, unit, family, pattern)
        units[spec.code] = unit
    users = _add_users(session, units)
    for code, heads in COMMISSION_HEADS.items():
        organisation.set_commission_heads(session, units[code], [users[name] for name in heads])
    rooms = [reference.add_hearing_room(session, units["LGA"], name) for name in HEARING_ROOMS]
    return Centre(units, users, rooms)


def _add_users(session: Session, units: dict[str, Unit]) -> dict[str, User]:
    """Every demo user shares the demo password: hash it once with the real method and give each account that hash
    (thirteen more scrypt runs would double the load's time)."""
    users: dict[str, User] = {}
    method = user_model.PASSWORD_HASH_METHOD
    try:
        for spec in DEMO_USERS:
            users[spec.username] = organisation.add_user(
                session, spec.username, spec.display_name, list(spec.roles), units[spec.unit], DEMO_PASSWORD
            )
            user_model.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"  # replaced by the first user's hash below
    finally:
        user_model.PASSWORD_HASH_METHOD = method
    shared = users[DEMO_USERS[0].username].password_hash
    for user in users.values():
        user.password_hash = shared
    session.flush()
    return users


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def login_table() -> str:
    """The demo logins as an aligned text table (CJK characters count double)."""
    header = ("username", "name", "roles", "unit", "password")
    rows = [
        (u.username, u.display_name, ", ".join(r.value for r in u.roles), UNITS_BY_CODE[u.unit].name, DEMO_PASSWORD)
        for u in DEMO_USERS
    ]
    widths = [max(_width(row[i]) for row in (header, *rows)) for i in range(len(header))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in (header, *rows)]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
