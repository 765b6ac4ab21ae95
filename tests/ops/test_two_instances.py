"""Two app instances behind one (imagined) load balancer, one PostgreSQL and one Redis (issue 19): two gunicorn
servers on different loopback ports take registrations, document issues and ledger imports at the same time while
two deadline scans run at once; the result is what one instance would have left — every case numbered once, every
document number used once, every warning sent once, both imports done. Skipped, with the reason, where PostgreSQL
(TEST_DATABASE_URL) or Redis is absent. Prints its figures."""

import os
import re
import socket
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.ops.browserless import Client, form_values

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_URL = os.environ.get("TWO_INSTANCE_REDIS_URL", "redis://127.0.0.1:6379/9")
PASSWORD = "demo-2026-pass"
REGISTRATIONS = 6  # per instance
IMPORT_ROWS = 20  # per instance


def _requirements() -> tuple[str, str]:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("no PostgreSQL given (TEST_DATABASE_URL): two instances need a shared database")
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        if os.environ.get("REQUIRE_REDIS") == "1":  # CI: a missing Redis fails these tests instead of skipping them
            pytest.fail(f"no Redis at {REDIS_URL} ({error}): two instances need a shared Redis")
        pytest.skip(f"no Redis at {REDIS_URL} ({error}): two instances need a shared Redis")
    base = sa.engine.make_url(url)
    name = f"{base.database}_two_instances"
    admin = sa.create_engine(base.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False), REDIS_URL


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _flask(env: dict, *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "flask"), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, f"flask {' '.join(args)}: {done.stderr[-2000:]}"
    return done.stdout


def _wait_ready(port: int, process) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn exited"
        try:
            if Client(port).get("/readyz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"instance on {port} never became ready")


def _intake(page):
    (form,) = [f for f in page.forms() if "intake" in (f.get("class") or "")]
    return form


def register(client: Client, tag: str, n: int) -> list[int]:
    made = []
    for i in range(n):
        values = dict(form_values(_intake(client.get("/cases/new"))))
        values.update(
            {
                "dispute_known_on": "2026-11-01",
                "cause": "拖欠工资",
                "facts": "未发工资。",
                "workers-0-name": f"测试{tag}{i}",
                "employers-0-name": f"深圳市测试{tag}公司",
                "claims-0-category": "wages",
                "claims-0-amount": "1000",
            }
        )
        review = client.post("/cases/new", values)
        assert review.status == 200
        done = client.post("/cases/new", form_values(_intake(review)))
        assert done.status == 302, done.status
        made.append(int(done.headers["Location"].rsplit("/", 1)[1]))
    return made


def issue(client: Client, case_ids: list[int]) -> int:
    issued = 0
    for case_id in case_ids:
        page = client.get(f"/cases/{case_id}")
        done_actions = set()  # the case page offers a document in its header and in its panel: issue it once
        for form in page.forms():
            action = form.get("action") or ""
            if action in done_actions:
                continue
            if re.fullmatch(rf"/cases/{case_id}/documents/(arb_acceptance|arb_respondent_notice)/issue", action):
                done_actions.add(action)
                done = client.post(action, form_values(form))
                assert done.status == 302, (action, done.status)
                issued += 1
    return issued


def ledger_csv(tag: str, rows: int) -> bytes:
    from disputes.ledger.columns import COLUMNS

    names = list(COLUMNS)
    lines = [",".join(names)]
    for i in range(rows):
        day = date(2026, 6, 1) + timedelta(days=i % 30)
        row = {
            "registry_no": f"TWO-{tag}-{i:04d}",
            "unit_code": "LGC",
            "registered_on": day.isoformat(),
            "applicant_name": f"导入{tag}{i}",
            "respondent_name": "深圳市某某公司",
            "claim_categories": "wages",
            "mediation_received_on": day.isoformat(),
            "mediation_ended_on": (day + timedelta(days=9)).isoformat(),
            "mediation_outcome": "agreement",
            "mediator": "mediator",
        }
        lines.append(",".join(row.get(n, "") for n in names))
    return ("\n".join(lines) + "\n").encode()


def import_ledger(client: Client, tag: str) -> int:
    page = client.get("/ledger")
    (form,) = [f for f in page.forms() if (f.get("enctype") or "").startswith("multipart")]
    values = [(k, v) for k, v in form_values(form) if k not in ("update", "dry_run")]
    done = client.post_file("/ledger", values, "file", f"ledger-{tag}.csv", ledger_csv(tag, IMPORT_ROWS))
    assert done.status == 302, done.status
    return int(done.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def test_two_instances_behave_as_one(capsys):
    database_url, redis_url = _requirements()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL", "PYTEST_XDIST_WORKER")},
        "FLASK_APP": "wsgi.py",
        "APP_CONFIG": "production",
        "SECRET_KEY": "two-instances-" + "k" * 32,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "PUBLIC_BASE_URL": "https://tiaoyuan.example.gov.cn",
        "FORCE_HTTPS": "false",
        "SESSION_COOKIE_SECURE": "false",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("CELERY_BROKER_URL", None)  # imports run in the request: the instance that took the upload runs it
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    _flask(env, "db", "upgrade")
    _flask(env, "demo", "load", "--cases", "20")
    ports = [_free_port(), _free_port()]
    servers = [
        subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", "2", "--threads", "2", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port, server in zip(ports, servers, strict=True):
            _wait_ready(port, server)
        engine = sa.create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.connect() as conn:
            demo_cases = list(conn.scalars(sa.text("SELECT id FROM cases ORDER BY id")))
            cases_before = len(demo_cases)
        clients = {}
        for tag, port in zip("AB", ports, strict=True):
            client = Client(port)
            client.sign_in("clerk", PASSWORD)
            clients[tag] = client
        results: dict[str, dict] = {tag: {} for tag in "AB"}
        errors: list[BaseException] = []

        def work(tag: str) -> None:
            try:
                client = clients[tag]
                started = time.perf_counter()
                results[tag]["registered"] = register(client, tag, REGISTRATIONS)
                half = demo_cases[0::2] if tag == "A" else demo_cases[1::2]
                results[tag]["issued"] = issue(client, half[:10])
                results[tag]["import"] = import_ledger(client, tag)
                results[tag]["seconds"] = time.perf_counter() - started
            except BaseException as error:  # noqa: BLE001  (reported after the join)
                errors.append(error)

        scans: list[subprocess.CompletedProcess] = []

        def scan() -> None:
            scans.append(
                subprocess.run(
                    [str(BIN / "flask"), "sla", "scan"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
                )
            )

        with engine.begin() as conn:
            run_began = conn.scalar(sa.text("SELECT now()"))
            # Ten running deadlines made due in five days, their warning not yet sent, so that the two scans below
            # both find the same warnings to send (the demo's own scan already sent today's).
            conn.execute(sa.text("DELETE FROM notifications"))
            due = conn.execute(
                sa.text(
                    "UPDATE sla_timers SET warned_at = NULL, warn_on = d, due_on = d + 5 "
                    "FROM (SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date AS d) today "
                    "WHERE id IN (SELECT id FROM sla_timers WHERE status = 'running' AND due_on IS NOT NULL "
                    "ORDER BY id LIMIT 10)"
                )
            ).rowcount
        started = time.perf_counter()
        threads = [threading.Thread(target=work, args=(tag,)) for tag in "AB"]
        threads += [threading.Thread(target=scan) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(600)
        elapsed = time.perf_counter() - started
        assert not errors, errors
        assert all(s.returncode == 0 for s in scans), [s.stderr[-800:] for s in scans]

        # A sign-in on one instance is known to the other (the session is the signed cookie; lock-outs in the DB).
        swapped = Client(ports[1])
        swapped.cookies = clients["A"].cookies
        assert swapped.get("/cases").status == 200

        with engine.connect() as conn:
            registry_nos = list(conn.scalars(sa.text("SELECT registry_no FROM cases WHERE registry_no IS NOT NULL")))
            numbers = list(
                conn.scalars(
                    sa.text("SELECT number FROM issued_documents WHERE number IS NOT NULL AND issued_at >= :began"),
                    {"began": run_began},
                )
            )
            earlier = set(
                conn.scalars(
                    sa.text("SELECT number FROM issued_documents WHERE number IS NOT NULL AND issued_at < :began"),
                    {"began": run_began},
                )
            )
            jobs = dict(
                conn.execute(
                    sa.text("SELECT id, status FROM ledger_imports WHERE id IN :ids").bindparams(
                        sa.bindparam("ids", expanding=True)
                    ),
                    {"ids": [results[t]["import"] for t in "AB"]},
                ).all()
            )
            imported = conn.scalar(sa.text("SELECT count(*) FROM cases WHERE registry_no LIKE 'TWO-%'"))
            duplicate_warnings = conn.scalar(
                sa.text(
                    "SELECT count(*) FROM (SELECT 1 FROM notifications GROUP BY user_id, timer_id, kind, due_on "
                    "HAVING count(*) > 1) d"
                )
            )
            warnings = conn.scalar(sa.text("SELECT count(*) FROM notifications"))
            cases_after = conn.scalar(sa.text("SELECT count(*) FROM cases"))
        engine.dispose()
        registered = results["A"]["registered"] + results["B"]["registered"]
        issued = results["A"]["issued"] + results["B"]["issued"]
        assert len(set(registered)) == 2 * REGISTRATIONS
        assert len(registry_nos) == len(set(registry_nos)), "a registry number given twice"
        assert len(numbers) == len(set(numbers)), "a document number given twice"
        assert not set(numbers) & earlier, "a number given again"
        assert issued > 0 and len(numbers) == issued
        assert set(jobs.values()) == {"done"}, jobs
        assert imported == 2 * IMPORT_ROWS
        assert due > 0 and warnings > 0 and duplicate_warnings == 0
        assert cases_after == cases_before + 2 * REGISTRATIONS + 2 * IMPORT_ROWS
        with capsys.disabled():
            print(
                f"\ntwo instances (ports {ports[0]}, {ports[1]}), one PostgreSQL, one Redis, {elapsed:.1f} s at once: "
                f"{len(registered)} registrations, {issued} documents issued ({len(set(numbers))} distinct numbers), "
                f"2 ledger imports of {IMPORT_ROWS} rows ({imported} cases), 2 concurrent scans "
                f"({due} timers due a warning, {warnings} warnings sent, none twice); "
                f"A {results['A']['seconds']:.1f} s, B {results['B']['seconds']:.1f} s"
            )
            for s in scans:
                print("  " + s.stdout.strip().splitlines()[0])
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
