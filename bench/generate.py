#!/usr/bin/env python
"""Fill a database with N realistic synthetic cases, for benchmarks.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python bench/generate.py --cases 1000000 --reset

The database is migrated first (`flask db upgrade`). Everything is drawn from
one seeded `random.Random`, so a seed gives the same data every time. On
PostgreSQL the rows are loaded with COPY in batches, with explicit ids, into
tables whose secondary indexes and foreign keys are dropped for the load and
rebuilt afterwards (all in one transaction); then the id sequences are moved
past the loaded ids and the database is vacuumed and analysed. SQLite gets
plain executemany inserts (fine for small N).

The organisation: a district, its one-stop centre with the hosted units
(mediation committee, arbitration commission, legal-aid centre, court liaison)
and eight streets, each with a mediation committee. Every user's password is
PASSWORD below; `bench-supervisor` (district supervisor) reads every case.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from disputes.demo import people
from disputes.numbering import REGISTRY, format_number
from disputes.sla.limitation import limitation_ended

PASSWORD = "bench-password-42"
SUPERVISOR = "bench-supervisor"
CLERK = "bench-clerk"
DEFAULT_SEED = 20261121
BULK_TABLES = ("cases", "parties", "claims", "case_assignments", "timeline_entries")

# Street name (from disputes.demo.people.STREETS) → unit code and English name.
STREET_CODES = {
    "布吉街道": ("BJ", "Buji"),
    "坂田街道": ("BT", "Bantian"),
    "龙城街道": ("LC", "Longcheng"),
    "横岗街道": ("HG", "Henggang"),
    "平湖街道": ("PH", "Pinghu"),
    "宝龙街道": ("BL", "Baolong"),
    "园山街道": ("YS", "Yuanshan"),
    "吉华街道": ("JH", "Jihua"),
}

# Claim categories: relative frequency, amount range (yuan; None = no amount), description.
CLAIMS = {
    "wages": (30, (2_000, 60_000), "{span}工资"),
    "overtime": (12, (1_000, 40_000), "{span}延时加班工资"),
    "economic_compensation": (15, (5_000, 120_000), "解除劳动合同经济补偿金"),
    "damages": (8, (10_000, 200_000), "违法解除劳动合同赔偿金"),
    "work_injury_medical": (3, (3_000, 80_000), "工伤医疗费及停工留薪期工资"),
    "work_injury_benefits": (4, (20_000, 300_000), "一次性伤残补助金及就业补助金"),
    "social_insurance": (7, (1_000, 50_000), "补缴{span}社会保险费"),
    "working_time_leave": (5, (500, 15_000), "未休年休假工资"),
    "confirm_employment": (6, None, "确认与被申请人存在劳动关系"),
    "contract_termination": (5, (2_000, 50_000), "未签书面劳动合同二倍工资差额"),
    "other": (5, (500, 20_000), "其他费用"),
}
CLAIM_NAMES = list(CLAIMS)
CLAIM_WEIGHTS = [CLAIMS[c][0] for c in CLAIM_NAMES]
CAUSES = {
    "wages": "拖欠工资",
    "overtime": "加班费争议",
    "economic_compensation": "经济补偿金争议",
    "damages": "违法解除劳动合同",
    "work_injury_medical": "工伤待遇争议",
    "work_injury_benefits": "工伤待遇争议",
    "social_insurance": "社会保险争议",
    "working_time_leave": "休息休假争议",
    "confirm_employment": "确认劳动关系",
    "contract_termination": "未签劳动合同二倍工资",
    "other": "其他劳动争议",
}
STAGES = ("intake", "mediation", "arbitration", "litigation")


@dataclass
class Unit:
    id: int
    code: str
    name: str
    name_en: str
    kind: str
    parent: Unit | None = None
    pattern: str | None = None  # registry number pattern (this unit owns its own sequence)
    weight: float = 0.0  # share of the registered cases
    stages: tuple = (25, 35, 30, 10)  # intake, mediation, arbitration, litigation
    registrars: list = field(default_factory=list)  # user ids who register its cases
    mediators: list = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"{self.parent.path if self.parent else '/'}{self.id}/"


@dataclass
class User:
    id: int
    username: str
    display_name: str
    unit: Unit
    roles: tuple


@dataclass
class Org:
    units: list[Unit] = field(default_factory=list)
    users: list[User] = field(default_factory=list)

    def unit(self, code, name, name_en, kind, parent=None, **kw) -> Unit:
        unit = Unit(len(self.units) + 1, code, name, name_en, kind, parent, **kw)
        self.units.append(unit)
        return unit

    def user(self, username, unit, *roles, name=None) -> User:
        user = User(len(self.users) + 1, username, name or username, unit, roles)
        self.users.append(user)
        return user


def build_org(rng: random.Random) -> tuple[Org, dict]:
    org = Org()
    district = org.unit("LG", "龙岗区", "Longgang District", "district")
    centre = org.unit(
        "LGC",
        "龙岗区调援裁诉中心",
        "Longgang Labour Dispute Centre",
        "centre",
        district,
        pattern="深龙调援〔{year}〕第{seq:06d}号",
        weight=30,
        stages=(30, 35, 25, 10),
    )
    committee = org.unit(
        "LGM",
        "龙岗区劳动争议调解委员会",
        "Longgang Labour Dispute Mediation Committee",
        "mediation_committee",
        centre,
        pattern="深龙劳调〔{year}〕第{seq:06d}号",
        weight=15,
        stages=(10, 80, 8, 2),
    )
    arbitration = org.unit(
        "LGA",
        "龙岗区劳动人事争议仲裁委员会",
        "Longgang Labour Arbitration Commission",
        "arbitration_commission",
        centre,
        pattern="深龙劳人仲案〔{year}〕第{seq:06d}号",
        weight=20,
        stages=(5, 0, 80, 15),
    )
    legal_aid = org.unit("LGL", "龙岗区法律援助中心", "Longgang Legal Aid Centre", "legal_aid_centre", centre)
    court = org.unit("LGCT", "龙岗区人民法院驻中心工作室", "Longgang Court Liaison Office", "court_liaison", centre)
    streets = []
    for i, street_name in enumerate(people.STREETS):
        code, name_en = STREET_CODES.get(street_name, (f"S{i + 1:02d}", f"Street {i + 1}"))
        street = org.unit(code, street_name, f"{name_en} Street", "street", district)
        short = street_name.removesuffix("街道")
        streets.append(
            org.unit(
                f"{code}M",
                f"{street_name}劳动争议调解委员会",
                f"{name_en} Street Mediation Committee",
                "mediation_committee",
                street,
                pattern=f"深龙{short}调〔{{year}}〕第{{seq:06d}}号",
                weight=35 / len(people.STREETS) * rng.uniform(0.6, 1.4),
                stages=(15, 80, 5, 0),
            )
        )

    name = lambda: people.person_name(rng)
    org.user(SUPERVISOR, district, "supervisor", name=name())
    org.user("bench-admin", district, "admin", name=name())
    centre.registrars.append(org.user(CLERK, centre, "clerk", name=name()).id)
    centre.registrars += [org.user(f"clerk-lgc-{n:02d}", centre, "clerk", name=name()).id for n in range(2, 7)]
    org.user("supervisor-lgc", centre, "supervisor", name=name())
    committee.mediators = [org.user(f"med-lgm-{n:02d}", committee, "mediator", name=name()).id for n in range(1, 13)]
    committee.registrars = committee.mediators[:4]
    arbitrators = [org.user(f"arb-lga-{n:02d}", arbitration, "arbitrator", name=name()).id for n in range(1, 11)]
    arbitration.registrars = arbitrators[:3]
    [org.user(f"lao-lgl-{n:02d}", legal_aid, "legal_aid_officer", name=name()) for n in range(1, 5)]
    lawyers = [org.user(f"lawyer-{n:02d}", legal_aid, "lawyer", name=name()).id for n in range(1, 9)]
    [org.user(f"court-{n:02d}", court, "court_liaison", name=name()) for n in range(1, 3)]
    for committee_unit in streets:
        prefix = committee_unit.code.lower()
        org.user(f"clerk-{prefix}", committee_unit.parent, "clerk", name=name())
        committee_unit.mediators = [
            org.user(f"med-{prefix}-{n}", committee_unit, "mediator", name=name()).id for n in range(1, 4)
        ]
        committee_unit.registrars = committee_unit.mediators
    centre.mediators = committee.mediators
    return org, {"arbitrators": arbitrators, "lawyers": lawyers}


# ---------------------------------------------------------------------------------------------------------------
# Row generation. Values are str/int/bool/None; dates are ISO strings; `ts` formats a timestamp for the backend.


def pg_ts(day: date, seconds: int) -> str:
    """A local (Asia/Shanghai) time of day as a timestamptz literal."""
    return f"{day.isoformat()} {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}+08"


def sqlite_ts(day: date, seconds: int) -> str:
    """The same moment as naive UTC, the way UTCDateTime stores it on SQLite."""
    moment = datetime.combine(day, dtime()) + timedelta(seconds=seconds - 8 * 3600)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


CASE_COLS = (
    "id",
    "registry_no",
    "unit_id",
    "registered_on",
    "dispute_known_on",
    "cause",
    "facts",
    "stage",
    "status",
    "closed_on",
    "worker_count",
    "migrant_wage",
    "work_injury",
    "green_channel",
    "collective",
    "limitation_warning",
    "created_by_id",
    "version_id",
    "created_at",
)
PARTY_COLS = (
    "id",
    "case_id",
    "position",
    "side",
    "kind",
    "name",
    "sex",
    "birth_date",
    "id_number",
    "id_tail",
    "credit_code",
    "legal_representative",
    "phone",
    "address",
    "is_representative",
    "migrant_worker",
)
CLAIM_COLS = ("id", "case_id", "position", "category", "amount", "description", "resolved_amount")
ASSIGNMENT_COLS = ("id", "case_id", "user_id", "role", "assigned_at", "active")
TIMELINE_COLS = ("id", "case_id", "at", "actor_id", "kind", "reason", "before", "after")


class CaseFactory:
    """Turns (case id, registration date, unit) into the rows of one case."""

    def __init__(self, rng: random.Random, org: Org, staff: dict, until: date, n_cases: int, ts):
        self.rng, self.org, self.until, self.ts = rng, org, until, ts
        self.arbitrators, self.lawyers = staff["arbitrators"], staff["lawyers"]
        self.ids = {"party": 0, "claim": 0, "assignment": 0, "timeline": 0}
        self.sequences: dict[tuple[int, int], int] = {}
        self.employers = [self._employer() for _ in range(max(200, n_cases // 8))]

    def _employer(self) -> tuple:
        rng = self.rng
        return (
            people.employer_name(rng),
            people.credit_code(rng),
            people.person_name(rng),
            people.phone(rng),
            people.address(rng),
        )

    def case(self, case_id: int, registered: date, unit: Unit, out: dict) -> None:
        rng = self.rng
        random_ = rng.random
        randint = rng.randint
        ids = self.ids
        age = (self.until - registered).days

        year = registered.year
        seq = self.sequences[unit.id, year] = self.sequences.get((unit.id, year), 0) + 1
        registry_no = unit.pattern.format(code=unit.code, year=year, seq=seq)

        # Parties: 1–3 workers (applicants), one employer (respondent), sometimes an agent.
        n_workers = 1 if random_() < 0.72 else (2 if random_() < 0.65 else 3)
        collective = random_() < 0.03
        worker_count = randint(10, 60) if collective else n_workers
        if collective:
            n_workers = max(n_workers, 2)
        migrant_any = False
        position = 0
        parties = out["parties"]
        for _ in range(n_workers):
            sex = "male" if random_() < 0.58 else "female"
            born = people.birth_date(rng, registered)
            id_number = people.resident_id(rng, born, sex)
            migrant = random_() < 0.55
            migrant_any = migrant_any or migrant
            ids["party"] += 1
            parties.append(
                (
                    ids["party"],
                    case_id,
                    position,
                    "applicant",
                    "worker",
                    people.person_name(rng),
                    sex,
                    born.isoformat(),
                    id_number,
                    id_number[14:18],
                    None,
                    None,
                    people.phone(rng),
                    people.address(rng) if random_() < 0.9 else None,
                    collective,
                    migrant,
                )
            )
            position += 1
        employer = self.employers[int(len(self.employers) * random_() ** 2)]  # a few employers recur a lot
        ids["party"] += 1
        parties.append(
            (
                ids["party"],
                case_id,
                position,
                "respondent",
                "employer",
                employer[0],
                None,
                None,
                None,
                None,
                employer[1],
                employer[2],
                employer[3],
                employer[4],
                False,
                False,
            )
        )
        position += 1
        if random_() < 0.12:
            agent_id = None
            if random_() < 0.5:
                agent_sex = "male" if random_() < 0.5 else "female"
                agent_id = people.resident_id(rng, people.birth_date(rng, registered, 25, 60), agent_sex)
            ids["party"] += 1
            parties.append(
                (
                    ids["party"],
                    case_id,
                    position,
                    "applicant",
                    "agent",
                    people.person_name(rng),
                    None,
                    None,
                    agent_id,
                    agent_id[14:18] if agent_id else None,
                    None,
                    None,
                    people.phone(rng),
                    None,
                    False,
                    False,
                )
            )
            position += 1
        n_parties = position

        # Claims: 1–4 distinct categories.
        r = random_()
        n_claims = 1 if r < 0.35 else 2 if r < 0.70 else 3 if r < 0.90 else 4
        categories: list[str] = []
        while len(categories) < n_claims:
            category = rng.choices(CLAIM_NAMES, CLAIM_WEIGHTS)[0]
            if category not in categories:
                categories.append(category)
        start = registered - timedelta(days=randint(30, 400))
        span = f"{start.year}年{start.month}月至{registered.year}年{registered.month}月"

        # Stage and status: older cases are mostly closed.
        stage = rng.choices(STAGES, unit.stages)[0]
        if age < 14 and random_() < 0.6:
            stage = "intake" if unit.stages[0] else stage
        p_closed = 0.15 if age < 30 else 0.45 if age < 90 else 0.75 if age < 180 else 0.93
        closed = random_() < p_closed
        closed_on = None
        if closed:
            longest = {"intake": 20, "mediation": 60, "arbitration": 120, "litigation": 360}[stage]
            closed_on = (registered + timedelta(days=randint(1, max(1, min(age, longest))))).isoformat()
            closed_on = min(closed_on, self.until.isoformat())
        claims = out["claims"]
        for number, category in enumerate(categories):
            _weight, amounts, text = CLAIMS[category]
            amount = resolved = None
            if amounts:
                value = randint(amounts[0] * 100, amounts[1] * 100)
                amount = f"{value // 100}.{value % 100:02d}"
                if closed and random_() < 0.7:
                    got = int(value * rng.uniform(0.3, 1.0))
                    resolved = f"{got // 100}.{got % 100:02d}"
            ids["claim"] += 1
            claims.append((ids["claim"], case_id, number, category, amount, text.format(span=span), resolved))

        # Flags as derive_flags would set them (plus a few set by hand).
        known = registered - timedelta(days=randint(300, 700) if random_() < 0.06 else randint(3, 200))
        migrant_wage = "wages" in categories and migrant_any
        work_injury = "work_injury_medical" in categories or "work_injury_benefits" in categories
        green_channel = migrant_wage or work_injury or random_() < 0.02
        limitation = limitation_ended(known, registered) is not None

        cause = CAUSES[categories[0]]
        job = people.JOBS[randint(0, len(people.JOBS) - 1)]
        facts = (
            f"申请人于{start.year}年{start.month}月入职被申请人处，担任{job}，月工资约{randint(30, 120) * 100}元。"
            f"因{cause}，双方协商未果，申请人请求依法处理。"
        )
        creator = unit.registrars[randint(0, len(unit.registrars) - 1)]
        seconds = randint(8 * 3600 + 1800, 17 * 3600 + 1800)
        created_at = self.ts(registered, seconds)
        out["cases"].append(
            (
                case_id,
                registry_no,
                unit.id,
                registered.isoformat(),
                known.isoformat(),
                cause,
                facts,
                stage,
                "closed" if closed else "open",
                closed_on,
                worker_count,
                migrant_wage,
                work_injury,
                green_channel,
                collective,
                limitation,
                creator,
                1,
                created_at,
            )
        )

        # Assignments: mediators on mediation cases, arbitrators on arbitration/litigation, sometimes a lawyer.
        assignments = out["assignments"]
        later = registered + timedelta(days=min(age, randint(0, 7)))
        if stage == "mediation" and unit.mediators and random_() < 0.7:
            ids["assignment"] += 1
            assignments.append(
                (
                    ids["assignment"],
                    case_id,
                    unit.mediators[randint(0, len(unit.mediators) - 1)],
                    "mediator",
                    self.ts(later, seconds),
                    not (closed and random_() < 0.1),
                )
            )
        if stage in ("arbitration", "litigation") and random_() < 0.8:
            ids["assignment"] += 1
            assignments.append(
                (
                    ids["assignment"],
                    case_id,
                    self.arbitrators[randint(0, len(self.arbitrators) - 1)],
                    "arbitrator",
                    self.ts(later, seconds),
                    True,
                )
            )
        if random_() < 0.08:
            ids["assignment"] += 1
            assignments.append(
                (
                    ids["assignment"],
                    case_id,
                    self.lawyers[randint(0, len(self.lawyers) - 1)],
                    "lawyer",
                    self.ts(later, seconds),
                    True,
                )
            )

        flags = {
            "migrant_wage": migrant_wage,
            "work_injury": work_injury,
            "green_channel": green_channel,
            "collective": collective,
            "limitation_warning": limitation,
        }
        after = {
            "registry_no": registry_no,
            "parties": n_parties,
            "claims": categories,
            "flags": {k: v for k, v in flags.items() if v},
        }
        ids["timeline"] += 1
        out["timeline"].append(
            (
                ids["timeline"],
                case_id,
                created_at,
                creator,
                "case_registered",
                None,
                None,
                json.dumps(after, ensure_ascii=False),
            )
        )


def registration_days(rng: random.Random, n: int, until: date, years: int) -> list[date]:
    """n registration dates over the last `years` years, sorted: fewer at weekends, slowly growing."""
    first = until - timedelta(days=365 * years - 1)
    days = [first + timedelta(days=i) for i in range((until - first).days + 1)]
    cum, total = [], 0.0
    for i, day in enumerate(days):
        total += (1.0, 1.0, 1.0, 1.0, 0.95, 0.3, 0.12)[day.weekday()] * (0.8 + 0.4 * i / len(days))
        cum.append(total)
    picks = rng.choices(range(len(days)), cum_weights=cum, k=n)
    picks.sort()
    return [days[i] for i in picks]


# ---------------------------------------------------------------------------------------------------------------
# Loading.


class PgLoader:
    def __init__(self, url: str):
        import psycopg

        self.conn = psycopg.connect(url)
        self.saved: list[tuple[str, str]] = []  # (kind, sql) to recreate after the load

    def execute(self, sql: str, params=None):
        return self.conn.execute(sql, params)

    def load(self, table: str, cols: tuple, rows: list) -> None:
        with self.conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
            write = copy.write_row
            for row in rows:
                write(row)

    def drop_for_load(self) -> None:
        """Drop foreign keys, keys and indexes of the bulk tables; remember how to rebuild them."""
        tables = list(BULK_TABLES)
        constraints = self.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype "
            "FROM pg_constraint c WHERE c.contype IN ('p', 'u', 'f') "
            "AND (c.conrelid::regclass::text = ANY(%s) OR c.confrelid::regclass::text = ANY(%s))",
            (tables, tables),
        ).fetchall()
        indexes = self.execute(
            "SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
            "FROM pg_index i WHERE i.indrelid::regclass::text = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            (tables,),
        ).fetchall()
        foreign = [c for c in constraints if c[3] == "f"]
        keys = [c for c in constraints if c[3] != "f"]
        for table, name, _definition, _kind in foreign + keys:
            self.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for _table, name, _definition in indexes:
            self.execute(f"DROP INDEX {name}")
        self.saved = (
            [("key", f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}') for t, n, d, _k in keys]
            + [("index", d) for _t, _n, d in indexes]
            + [("foreign key", f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}') for t, n, d, _k in foreign]
        )

    def rebuild(self) -> None:
        self.execute("SET maintenance_work_mem = '512MB'")
        for kind, sql in self.saved:
            started = time.perf_counter()
            self.execute(sql)
            print(f"  {kind:<11} {time.perf_counter() - started:6.1f} s  {sql[:110]}", flush=True)
        for table in ("units", "users", "number_formats", *BULK_TABLES):
            self.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM "
                f"{table}), "
                "false)"
            )

    def commit(self) -> None:
        self.conn.commit()

    def finish(self, vacuum: bool) -> None:
        self.conn.autocommit = True
        self.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")
        self.conn.close()


class SqliteLoader:
    def __init__(self, path: str):
        self.conn = sqlite3.connect(path)
        self.conn.execute("PRAGMA foreign_keys = ON")

    def execute(self, sql: str, params=()):
        return self.conn.execute(sql, params)

    def load(self, table: str, cols: tuple, rows: list) -> None:
        marks = ", ".join("?" * len(cols))
        self.conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", rows)

    def drop_for_load(self) -> None:
        pass

    def rebuild(self) -> None:
        pass

    def commit(self) -> None:
        self.conn.commit()

    def finish(self, vacuum: bool) -> None:
        self.conn.execute("ANALYZE")
        self.conn.close()


def migrate(url: str, reset: bool) -> None:
    """Create or reset the schema and run every migration (flask db upgrade)."""
    import sqlalchemy as sa

    from disputes import create_app
    from disputes.extensions import db, upgrade

    if reset and url.startswith("sqlite:///") and os.path.exists(url.removeprefix("sqlite:///")):
        os.remove(url.removeprefix("sqlite:///"))
    app = create_app("development", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        if reset and db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        with db.engine.connect() as conn:
            if conn.scalar(sa.text("SELECT count(*) FROM units")):
                raise SystemExit("the database already holds units: use --reset to start from an empty database")
        db.engine.dispose()


def load_org(loader, org: Org, ts, today: date) -> None:
    from werkzeug.security import generate_password_hash

    loader.load(
        "units",
        ("id", "code", "name", "name_en", "kind", "parent_id", "path", "region_code", "active"),
        [
            (u.id, u.code, u.name, u.name_en, u.kind, u.parent.id if u.parent else None, u.path, "440307", True)
            for u in org.units
        ],
    )
    loader.load(
        "number_formats",
        ("id", "unit_id", "family", "pattern"),
        [(n, u.id, REGISTRY, u.pattern) for n, u in enumerate((u for u in org.units if u.pattern), 1)],
    )
    password_hash = generate_password_hash(PASSWORD)  # one hash for everyone: hashing is deliberately slow
    loader.load(
        "users",
        (
            "id",
            "username",
            "display_name",
            "password_hash",
            "unit_id",
            "locale",
            "active",
            "failed_logins",
            "created_at",
        ),
        [
            (u.id, u.username, u.display_name, password_hash, u.unit.id, "zh_CN", True, 0, ts(today, 9 * 3600))
            for u in org.users
        ],
    )
    loader.load("user_roles", ("user_id", "role"), [(u.id, r) for u in org.users for r in u.roles])


def tracks(url: str, today: date) -> None:
    """Every track a centre's pages read (bench/tracks_fill.py), then VACUUM (ANALYZE) of what it wrote."""
    import sqlalchemy as sa

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from tracks_fill import fill

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        fill(conn, today)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(
            sa.text(
                "VACUUM (ANALYZE) arbitrations, mediations, awards, suspensions, lawsuits, "
                "legal_aid_applications, sla_timers, hearings, hearing_rooms, issued_documents, "
                "document_services, case_readers"
            )
        )
    engine.dispose()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, required=True, help="how many cases to generate")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--reset", action="store_true", help="drop everything in the database first")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="default: $DATABASE_URL (postgresql://… or sqlite:///path)",
    )
    parser.add_argument("--batch", type=int, default=25_000, help="cases per COPY batch")
    parser.add_argument(
        "--until",
        type=date.fromisoformat,
        default=None,
        help="last registration date (default: yesterday in Asia/Shanghai)",
    )
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--no-vacuum", action="store_true", help="only ANALYZE afterwards, no VACUUM")
    parser.add_argument(
        "--no-tracks",
        action="store_true",
        help="cases only: no mediations, arbitrations, hearings, notices or timers (tracks_fill.py)",
    )
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL")

    os.environ["DATABASE_URL"] = args.database_url
    from config import _database_url
    from disputes import clock

    sa_url = _database_url(args.database_url)
    postgres = sa_url.startswith("postgresql")
    until = args.until or clock.today_local() - timedelta(days=1)
    started = time.perf_counter()

    migrate(sa_url, args.reset)
    print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)

    rng = random.Random(args.seed)
    org, staff = build_org(rng)
    ts = pg_ts if postgres else sqlite_ts
    if postgres:
        loader = PgLoader(sa_url.replace("postgresql+psycopg://", "postgresql://", 1))
    else:
        loader = SqliteLoader(sa_url.removeprefix("sqlite:///"))
    load_org(loader, org, ts, until)
    for unit in org.units:  # the patterns must read the way the app's numbering writes them
        if unit.pattern:
            assert unit.pattern.format(code=unit.code, year=2025, seq=123) == format_number(
                unit.pattern, code=unit.code, year=2025, seq=123
            )
    loader.drop_for_load()

    registering = [u for u in org.units if u.pattern]
    days = registration_days(rng, args.cases, until, args.years)
    unit_of = rng.choices(registering, [u.weight for u in registering], k=args.cases)
    factory = CaseFactory(rng, org, staff, until, args.cases, ts)
    counts = dict.fromkeys(("cases", "parties", "claims", "assignments", "timeline"), 0)
    tables = {
        "cases": ("cases", CASE_COLS),
        "parties": ("parties", PARTY_COLS),
        "claims": ("claims", CLAIM_COLS),
        "assignments": ("case_assignments", ASSIGNMENT_COLS),
        "timeline": ("timeline_entries", TIMELINE_COLS),
    }
    load_started = time.perf_counter()
    generating = loading = 0.0
    for first in range(0, args.cases, args.batch):
        t0 = time.perf_counter()
        out = {key: [] for key in counts}
        for index in range(first, min(first + args.batch, args.cases)):
            factory.case(index + 1, days[index], unit_of[index], out)
        t1 = time.perf_counter()
        for key, (table, cols) in tables.items():
            loader.load(table, cols, out[key])
            counts[key] += len(out[key])
        t2 = time.perf_counter()
        generating += t1 - t0
        loading += t2 - t1
        done = min(first + args.batch, args.cases)
        rows = sum(counts.values())
        print(f"  {done:>9,} cases  {rows:>11,} rows  {rows / (t2 - load_started):>9,.0f} rows/s", flush=True)

    loader.load(
        "number_sequences",
        ("unit_id", "family", "year", "last_value"),
        [(unit_id, REGISTRY, year, last) for (unit_id, year), last in sorted(factory.sequences.items())],
    )
    load_seconds = time.perf_counter() - load_started
    rows = sum(counts.values())
    print(
        f"generated+loaded {rows:,} rows in {load_seconds:.1f} s ({rows / load_seconds:,.0f} rows/s; "
        f"Python generation {generating:.1f} s, COPY {loading:.1f} s)",
        flush=True,
    )

    t0 = time.perf_counter()
    loader.rebuild()
    loader.commit()
    print(f"keys, indexes and foreign keys rebuilt in {time.perf_counter() - t0:.1f} s", flush=True)
    t0 = time.perf_counter()
    loader.finish(vacuum=not args.no_vacuum)
    print(f"{'ANALYZE' if args.no_vacuum or not postgres else 'VACUUM (ANALYZE)'} in {time.perf_counter() - t0:.1f} s")

    if postgres and not args.no_tracks:
        t0 = time.perf_counter()
        tracks(sa_url, clock.today_local())
        print(f"tracks, hearings, notices and timers in {time.perf_counter() - t0:.1f} s", flush=True)

    total = time.perf_counter() - started
    print(", ".join(f"{key} {value:,}" for key, value in counts.items()))
    print(f"{len(org.units)} units, {len(org.users)} users (password {PASSWORD!r}; {SUPERVISOR} reads every case)")
    print(f"total {total:.1f} s: {rows:,} rows, {rows / total:,.0f} rows/s overall, {args.cases / total:,.0f} cases/s")


if __name__ == "__main__":
    main()
