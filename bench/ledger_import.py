#!/usr/bin/env python
"""Importing a 100,000-row ledger (goal: under 60 s on PostgreSQL), against a bare COPY of the same file.

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_ledger .venv/bin/python bench/ledger_import.py

Creates the database if missing and resets it (schema dropped, migrated), adds a small organisation, writes a
synthetic ledger (`--rows`, seeded: mediations with every outcome, arbitrations open, closed by every closure
type, late or on time, suspended and extended, legal aid, lawsuits) to a temporary CSV, then times:
  - `flask ledger import`'s work (parse, validate, build, write, commit), rows/s;
  - the yardstick: `COPY` of the same CSV into a bare table of 29 text columns (no checks, no indexes);
and prints both and their ratio, plus the rows written per table; then the fold of the statistics' change log
that follows an import (timed on its own: the import has committed by then).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa

from disputes import identity
from disputes.ledger.columns import CATEGORIES, COLUMNS

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/bench_ledger"
SEED = 20261204
TODAY = date(2026, 11, 20)
CLOSURES = [
    "mediation_statement",
    "award_final",
    "award_nonfinal",
    "award_mixed",
    "withdrawn",
    "terminated",
    "transferred",
]


def resident_id(rng: random.Random) -> str:
    born = date(1960, 1, 1) + timedelta(days=rng.randint(0, 15000))
    first17 = f"440307{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return first17 + identity.resident_id_check_char(first17)


def credit_code(rng: random.Random) -> str:
    first17 = "91440300" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return first17 + identity.credit_code_check_char(first17)


def day(value: date) -> str:
    return value.isoformat()


def ledger_row(rng: random.Random, n: int) -> dict:
    registered = TODAY - timedelta(days=rng.randint(1, 900))
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        registry_no=f"BL{n:07d}",
        unit_code="LGC",
        registered_on=day(registered),
        applicant_name=f"工人{n}",
        applicant_id_no=resident_id(rng) if rng.random() < 0.8 else "",
        respondent_name=f"深圳市第{n % 5000}号公司",
        respondent_credit_code=credit_code(rng),
        claim_categories=";".join(rng.sample(CATEGORIES, rng.randint(1, 3))),
        claim_amount=f"{rng.randint(1000, 200000)}.{rng.randint(0, 99):02d}",
        migrant_wage="1" if rng.random() < 0.3 else "",
        workers=str(rng.choice([1, 1, 1, 2, 12])),
    )
    kind = rng.random()
    start = registered
    if kind < 0.45:
        row.update(mediation_received_on=day(start), mediator="bench-med")
        end = start + timedelta(days=rng.randint(3, 30))
        if end < TODAY and rng.random() < 0.85:
            outcome = rng.choice(["agreement", "agreement", "failed", "withdrawn", "lapsed"])
            row.update(mediation_ended_on=day(end), mediation_outcome=outcome)
            if outcome in ("failed", "lapsed") and rng.random() < 0.5:
                start = end + timedelta(days=rng.randint(0, 10))
                kind = 0.6  # goes on to arbitration
    if 0.45 <= kind < 0.98 and start < TODAY:
        row.update(arbitration_received_on=day(start), arbitrator="bench-arb")
        if rng.random() < 0.06:
            row.update(
                arbitration_closed_on=day(min(TODAY, start + timedelta(days=3))),
                arbitration_closure="refused",
                arbitrator="",
            )
        else:
            accepted = min(TODAY, start + timedelta(days=rng.randint(0, 7)))
            row["arbitration_accepted_on"] = day(accepted)
            closed = accepted + timedelta(days=rng.randint(10, 80))
            suspended = rng.choice([0, 0, 0, 0, 10, 30])
            if suspended and accepted + timedelta(days=suspended) < min(TODAY, closed):
                row["suspended_days"] = str(suspended)
            if rng.random() < 0.1:
                row["extension_days"] = str(rng.randint(1, 15))
            if closed <= TODAY and rng.random() < 0.85:
                closure = rng.choice(CLOSURES)
                row.update(arbitration_closed_on=day(closed), arbitration_closure=closure)
                if closure == "award_nonfinal" and rng.random() < 0.3:
                    filed = closed + timedelta(days=rng.randint(1, 15))
                    if filed <= TODAY:
                        row.update(litigation_filed_on=day(filed), litigation_by="worker")
                        if filed + timedelta(days=90) <= TODAY:
                            row.update(
                                litigation_closed_on=day(filed + timedelta(days=90)), litigation_outcome="judgment"
                            )
    if rng.random() < 0.1:
        row["legal_aid_applied_on"] = row["registered_on"]
        decided = registered + timedelta(days=rng.randint(1, 12))
        if decided <= TODAY:
            row.update(legal_aid_decided_on=day(decided), legal_aid_decision=rng.choice(["granted", "refused"]))
    return row


def backend_cpu(pid: int) -> float:
    """User + system CPU seconds of a local PostgreSQL backend (0 when it is not on this machine)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def prepare(url: str) -> None:
    from config import _database_url

    base = sa.engine.make_url(_database_url(url))
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": base.database}):
            conn.execute(sa.text(f'CREATE DATABASE "{base.database}"'))
    admin.dispose()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    prepare(args.database_url)

    from disputes import clock, create_app, organisation
    from disputes.extensions import db, upgrade
    from disputes.ledger import parse
    from disputes.ledger.importer import import_ledger
    from disputes.models import Role, UnitKind

    clock.freeze(clock.now_utc().replace(year=2026, month=11, day=20, hour=2))
    from config import _database_url

    app = create_app("development", SQLALCHEMY_DATABASE_URI=_database_url(args.database_url))
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        session = db.session
        district = organisation.add_unit(session, "LG", "龙岗区", UnitKind.DISTRICT)
        district.region_code = "440307"
        centre = organisation.add_unit(session, "LGC", "龙岗区调援裁诉中心", UnitKind.CENTRE, district)
        committee = organisation.add_unit(session, "LGM", "调解委员会", UnitKind.MEDIATION_COMMITTEE, centre)
        commission = organisation.add_unit(session, "LGA", "仲裁委员会", UnitKind.ARBITRATION_COMMISSION, centre)
        organisation.add_unit(session, "LGL", "法律援助中心", UnitKind.LEGAL_AID_CENTRE, centre)
        organisation.add_user(session, "bench-med", "调解员", [Role.MEDIATOR], committee, "bench-password-42")
        organisation.add_user(session, "bench-arb", "仲裁员", [Role.ARBITRATOR], commission, "bench-password-42")
        session.commit()

        rng = random.Random(SEED)
        path = Path(tempfile.mkdtemp(prefix="bench-ledger-")) / "ledger.csv"
        t0 = time.perf_counter()
        with open(path, "w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=COLUMNS)
            writer.writeheader()
            for n in range(1, args.rows + 1):
                writer.writerow(ledger_row(rng, n))
        print(
            f"generated {args.rows:,} rows ({path.stat().st_size / 2**20:.1f} MB) in {time.perf_counter() - t0:.1f} s",
            flush=True,
        )

        backend = session.scalar(sa.text("SELECT pg_backend_pid()"))
        cpu_py, cpu_pg = time.process_time(), backend_cpu(backend)
        started = time.perf_counter()
        sheet = parse.read_path(path)
        parsed = time.perf_counter() - started
        result = import_ledger(session, sheet, None, note="台账导入", causes={})
        session.commit()
        seconds = time.perf_counter() - started
        cpu_py, cpu_pg = time.process_time() - cpu_py, backend_cpu(backend) - cpu_pg
        print(
            f"import: {seconds:.1f} s ({args.rows / seconds:,.0f} rows/s): parse {parsed:.1f} s, "
            f"validate {result.seconds['validate']:.1f} s, build+write+commit "
            f"{seconds - parsed - result.seconds['validate']:.1f} s; {result.created:,} cases, "
            f"{result.timers:,} timers",
            flush=True,
        )
        print(
            f"CPU time: Python {cpu_py:.1f} s, PostgreSQL backend {cpu_pg:.1f} s (load average "
            f"{os.getloadavg()[0]:.1f}: on a shared machine the wall time above waits for CPUs)",
            flush=True,
        )
        from disputes.ledger import write

        print(
            "writing per table: "
            + ", ".join(f"{t} {s:.2f} s" for t, s in sorted(write.SECONDS.items(), key=lambda item: -item[1])),
            flush=True,
        )
        counts = {
            t: session.scalar(sa.text(f"SELECT count(*) FROM {t}"))
            for t in (
                "cases",
                "parties",
                "claims",
                "mediations",
                "legal_aid_applications",
                "arbitrations",
                "awards",
                "award_items",
                "suspensions",
                "extensions",
                "tribunal_members",
                "lawsuits",
                "case_assignments",
                "sla_timers",
                "sla_adjustments",
                "timeline_entries",
            )
        }
        written = sum(counts.values())
        print(
            "rows written: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()) + f" — {written:,} in all "
            f"({written / seconds:,.0f} rows/s)"
        )

        raw = session.connection().connection.driver_connection
        columns = ", ".join(f"{c} text" for c in COLUMNS)
        t0 = time.perf_counter()
        with raw.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE bare_ledger ({columns})")
            with (
                open(path, "rb") as stream,
                cursor.copy("COPY bare_ledger FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
            ):
                while block := stream.read(1 << 20):
                    copy.write(block)
        session.commit()
        bare = time.perf_counter() - t0
        print(
            f"bare COPY of the same file: {bare:.2f} s ({args.rows / bare:,.0f} rows/s); "
            f"import / bare COPY = {seconds / bare:.0f}×"
        )
        print(f"goal: 100,000 rows in < 60 s → {'met' if seconds * 100_000 / args.rows < 60 else 'NOT met'}")
        from disputes.metrics.summary import fold

        t0 = time.perf_counter()
        folded = fold.fold(session)
        session.commit()
        print(
            f"then the statistics' cells of the imported cases (the job and the CLI do this after the import "
            f"commits): {folded.changes:,} log rows folded in {time.perf_counter() - t0:.1f} s"
        )
    clock.freeze(None)


if __name__ == "__main__":
    main()
