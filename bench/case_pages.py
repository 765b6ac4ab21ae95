#!/usr/bin/env python
"""How fast are the case pages on a generated database (see bench/generate.py)?

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/case_pages.py

(a) Server time per request, in-process with the Flask test client, signed in
    as the district supervisor (reads every case): median and p95 over
    --requests requests per page after --warmup, with the database time and
    query count per request, and the case list's two queries (the capped count
    and the page) timed on their own.
(b) Throughput under gunicorn (`-w 2`, loopback only): the same pages and a
    bare Flask page with a 50-row table (bench/bare_app.py), each loaded for
    --duration seconds by `wrk` (or, without wrk, by Python threads bounded in
    requests and time), and each page's throughput as a share of the bare
    page's.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Self
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import baseline
from baseline import BARE_PAGE

PASSWORD = "bench-password-42"  # bench/generate.py gives every user this password
USER_AGENT = "disputes-bench/1.0"  # the session is bound to it (Flask-Login "strong" protection)
HOST = "127.0.0.1"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
# Who signs in, and which pages each opens (None: every page): a district supervisor (reads every case), a
# centre clerk (the centre's subtree), a street mediator (the committee's cases) and an arbitrator.
SCOPED_USERS = {
    "bench-supervisor": (
        "list",
        "search full name",
        "search employer",
        "search one character",
        "search name[:2]+stage",
        "flag collective",
        "flag green+stage",
        "case page",
        "dashboard",
        "deadline board",
        "hearing calendar",
    ),
    "bench-clerk": (
        "list",
        "search full name",
        "search employer",
        "case page",
        "deadline board",
        "my work",
        "hearing calendar",
    ),
    "med-bjm-1": ("list", "search full name", "case page", "deadline board", "my work"),
    "arb-lga-01": (
        "list",
        "search full name",
        "case page",
        "deadline board",
        "my work",
        "hearing calendar",
    ),
}


# ---------------------------------------------------------------------------------------------------------------
# The pages


def pick_pages(session, seed: int, detail_count: int) -> dict[str, list[str]]:
    """Paths per page; search terms are taken from real parties so that they match."""
    import sqlalchemy as sa

    from disputes import clock
    from disputes.models import Case, Party

    newest = sa.select(Case.id).order_by(Case.registered_on.desc(), Case.id.desc()).limit(300).subquery()
    workers = session.scalars(
        sa.select(Party.name)
        .where(Party.case_id.in_(sa.select(newest.c.id)), Party.kind == "worker")
        .order_by(Party.id)
    ).all()
    employers = session.scalars(
        sa.select(Party.name)
        .where(Party.case_id.in_(sa.select(newest.c.id)), Party.kind == "employer")
        .order_by(Party.id)
    ).all()
    if not workers or not employers:
        raise SystemExit("no cases: run bench/generate.py first")
    rng = random.Random(seed)
    full_name = rng.choice([n for n in workers if len(n) == 3] or workers)
    employer = rng.choice(employers)
    brand = employer.removeprefix("深圳市")[:4]  # e.g. 宏达电子 of 深圳市宏达电子科技有限公司
    max_id = session.scalar(sa.select(sa.func.max(Case.id)))
    details = sorted(rng.sample(range(1, max_id + 1), min(detail_count, max_id)))

    def cases(**args) -> str:
        return "/cases?" + urlencode(args, doseq=True)

    today = clock.today_local()
    return {
        "list": ["/cases"],
        "search full name": [cases(q=full_name)],
        "search employer": [cases(q=brand)],
        "search one character": [cases(q=full_name[:1])],
        "search surname+stage": [cases(q=full_name[:1], stage="mediation")],
        "search name[:2]+stage": [cases(q=full_name[:2], stage="mediation")],
        "search full name+stage": [cases(q=full_name, stage="mediation")],
        "search employer+stage": [cases(q=brand, stage="arbitration")],
        "flag collective": [cases(flag="collective")],
        "flag green+stage": [cases(flag="green_channel", stage="arbitration")],
        "case page": [f"/cases/{case_id}" for case_id in details],
        "dashboard": ["/reports"],
        "deadline board": ["/deadlines?view=all"],
        "my work": ["/work"],
        "hearing calendar": [f"/arbitration/calendar?week={today.isoformat()}"],
    }


def readable_case_pages(session, username: str, seed: int, count: int) -> list[str]:
    """Case pages the user may open: a sample of the newest 2,000 cases in the user's scope."""
    import sqlalchemy as sa

    from disputes import policy
    from disputes.models import Case, User

    user = session.scalar(sa.select(User).where(User.username == username))
    ids = list(session.scalars(sa.select(Case.id).where(policy.case_scope(user)).order_by(Case.id.desc()).limit(2000)))
    return [f"/cases/{i}" for i in sorted(random.Random(seed).sample(ids, min(count, len(ids))))]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


# ---------------------------------------------------------------------------------------------------------------
# (a) In-process server time


def login_test_client(client, username: str) -> None:
    page = client.get("/login", headers={"User-Agent": USER_AGENT})
    token = CSRF.search(page.get_data(as_text=True)).group(1)
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token, "next": ""},
        headers={"User-Agent": USER_AGENT},
    )
    if response.status_code != 302:
        raise SystemExit(f"login as {username} failed: {response.status_code}")


class SqlRecorder:
    """Every statement the engine runs, with its parameters and time (SQLAlchemy cursor events)."""

    def __init__(self, engine):
        import sqlalchemy as sa

        self.statements: list[tuple[str, object, float]] = []
        sa.event.listen(engine, "before_cursor_execute", self._before)
        sa.event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        elapsed = time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())
        self.statements.append((statement, parameters, elapsed))

    def reset(self) -> None:
        self.statements.clear()

    @property
    def seconds(self) -> float:
        return sum(elapsed for _s, _p, elapsed in self.statements)


def in_process(
    app,
    pages: dict,
    username: str,
    requests: int,
    warmup: int,
    explain: bool,
    queries: bool,
    sql: SqlRecorder,
    budget: float,
) -> dict:
    """Each page's median server time (ms) for one signed-in user. A page slower than `budget` seconds a request
    gets fewer requests (at least 3), so that a slow run still ends."""
    client = app.test_client()
    login_test_client(client, username)
    results = {}
    print(f"\n(a) server time in-process, signed in as {username}: {requests} requests per page after {warmup} warm-up")
    print(f"{'page':<24} {'median ms':>9} {'p95 ms':>8} {'max ms':>8} {'SQL ms':>7} {'queries':>7} {'KiB':>5}  path")
    for name, paths in pages.items():
        for i in range(warmup):
            client.get(paths[i % len(paths)], headers={"User-Agent": USER_AGENT})
        times, sql_times, counts, size = [], [], [], 0
        for i in range(requests):
            if i >= 3 and sum(times) > budget * requests:
                break
            path = paths[i % len(paths)]
            sql.reset()
            started = time.perf_counter()
            response = client.get(path, headers={"User-Agent": USER_AGENT})
            times.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code}")
            sql_times.append(sql.seconds)
            counts.append(len(sql.statements))
            size = len(response.data)
        results[name] = round(statistics.median(times) * 1000, 1)
        print(
            f"{name:<24} {statistics.median(times) * 1000:9.1f} {percentile(times, 95) * 1000:8.1f} "
            f"{max(times) * 1000:8.1f} {statistics.median(sql_times) * 1000:7.1f} {statistics.median(counts):7.0f} "
            f"{size / 1024:5.0f}  {paths[0]}{' …' if len(paths) > 1 else ''}",
            flush=True,
        )
    if queries or explain:
        list_queries(app, sql, pages, username, requests, explain)
    return results


def bare_in_process(requests: int) -> float:
    """The bare 50-row page's median server time (ms) through its own test client: the yardstick of the run."""
    from bare_app import app as bare

    client = bare.test_client()
    for _ in range(10):
        client.get("/")
    times = []
    for _ in range(max(requests, 50)):
        started = time.perf_counter()
        client.get("/")
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 2)


def list_queries(app, sql: SqlRecorder, pages: dict, username: str, requests: int, explain: bool) -> None:
    """What `case_list.list_cases` runs, statement by statement: the capped count, the page, the loads."""
    import sqlalchemy as sa
    from flask import request

    from disputes import case_list, policy
    from disputes.cases.views import filter_from_args
    from disputes.extensions import db
    from disputes.models import User

    print(
        f"\nthe list's queries (list_cases alone, median of {requests}; the count stops at "
        f"{case_list.COUNT_CAP + 1:,} rows, a search's at {case_list.SEARCH_COUNT_CAP + 1:,})"
    )
    print(f"{'page':<24} {'count ms':>8} {'total':>7} {'page ms':>8} {'loads ms':>8} {'list_cases ms':>13}")
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        scope, readers = policy.case_scope(user), policy.scope_readers(user)
        for name, paths in pages.items():
            if not paths[0].startswith("/cases?") and paths[0] != "/cases":
                continue
            with app.test_request_context(paths[0]):
                f = filter_from_args(request.args)
            timings: dict[str, list[float]] = {"count": [], "page": [], "loads": [], "all": []}
            total, statements = 0, []
            for _ in range(requests):
                # One transaction each, as in a request. (psycopg prepares a statement on its fifth execution
                # in a transaction and PostgreSQL may then pick a generic plan; a request never gets there:
                # it ends in ROLLBACK, which drops psycopg's prepared statements.)
                sql.reset()
                started = time.perf_counter()
                total = case_list.list_cases(db.session, scope, f, readers=readers).total
                timings["all"].append(time.perf_counter() - started)
                statements = list(sql.statements)
                timings["count"].append(statements[0][2])
                timings["page"].append(statements[1][2])
                timings["loads"].append(sum(elapsed for _s, _p, elapsed in statements[2:]))
                db.session.rollback()
                db.session.expunge_all()
            print(
                f"{name:<24} "
                + " ".join(
                    f"{statistics.median(timings[key]) * 1000:{width}.1f}" + (f" {total:>7,}" if key == "count" else "")
                    for key, width in (("count", 8), ("page", 8), ("loads", 8), ("all", 13))
                )
            )
            if explain:
                for label, (statement, parameters, _elapsed) in zip(("count", "page"), statements, strict=False):
                    with db.engine.connect() as conn:
                        if explain == "jit-off":
                            conn.exec_driver_sql("SET jit = off")
                        plan = conn.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters)
                        print(f"  --- EXPLAIN ANALYZE {label}: {name}")
                        print("\n".join(f"  {row[0]}" for row in plan))
            db.session.rollback()


# ---------------------------------------------------------------------------------------------------------------
# (b) Throughput under gunicorn


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Gunicorn:
    """`gunicorn -w N -b 127.0.0.1:PORT APP`, stopped (by its own pid) when the block ends."""

    def __init__(self, app: str, workers: int, env: dict, cwd: Path, threads: int = 1, extra: tuple = ()):
        self.port = free_port()
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "-w",
            str(workers),
            "-b",
            f"{HOST}:{self.port}",
            "--log-level",
            "warning",
            *extra,
            app,
        ]
        if threads > 1:
            command[1:1] = ["--threads", str(threads)]
        self.process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **env})

    def __enter__(self) -> Self:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}")
            try:
                with socket.create_connection((HOST, self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise SystemExit("gunicorn did not start within 30 s")

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def http_request(port: int, method: str, path: str, headers: dict, body: str | None = None):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers={"User-Agent": USER_AGENT, **headers})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def http_login(port: int, username: str) -> str:
    """Sign in as a browser would (login page, CSRF token, POST); returns the Cookie header."""
    status, headers, body = http_request(port, "GET", "/login", {})
    cookies = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    token = CSRF.search(body.decode()).group(1)
    form = urlencode({"username": username, "password": PASSWORD, "csrf_token": token, "next": ""})
    cookie = "; ".join(f"{k}={m.value}" for k, m in cookies.items())
    status, headers, _body = http_request(
        port, "POST", "/login", {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}, form
    )
    if status != 302:
        raise SystemExit(f"login over HTTP failed: {status}")
    for header in headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    cookie = "; ".join(f"{k}={m.value}" for k, m in cookies.items())
    status, _headers, _body = http_request(port, "GET", "/cases", {"Cookie": cookie})
    if status != 200:
        raise SystemExit(f"signed-in GET /cases gave {status}")
    return cookie


WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def load_wrk(port: int, paths: list[str], cookie: str, seconds: int, connections: int, latency: bool = False) -> dict:
    """`wrk` for `seconds` (it stops by itself; a timeout kills it if it does not); `latency`: with its percentiles
    (the whole output is returned too)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % ", ".join(f'"{p}"' for p in paths))
    try:
        command = [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            script.name,
            "-H",
            f"User-Agent: {USER_AGENT}",
            f"http://{HOST}:{port}/",
        ]
        if cookie:
            command[-1:-1] = ["-H", f"Cookie: {cookie}"]
        if latency:
            command[1:1] = ["--latency"]
        out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=True).stdout
    finally:
        os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "requests": total,
        "non_2xx": int(bad.group(1)) if bad else 0,
        "errors": errors.group(1) if errors else "",
        "output": out,
    }


def load_threads(
    port: int, paths: list[str], cookie: str, seconds: int, connections: int, max_requests: int = 200_000
) -> dict:
    """Python threads with http.client: stop after `seconds` or `max_requests`, whichever comes first."""
    deadline = time.monotonic() + seconds
    counts = {"ok": 0, "bad": 0}
    lock = threading.Lock()
    headers = {"Cookie": cookie} if cookie else {}

    def worker(offset: int) -> None:
        i = offset
        while time.monotonic() < deadline:
            with lock:
                if counts["ok"] + counts["bad"] >= max_requests:
                    return
            status, _h, _b = http_request(port, "GET", paths[i % len(paths)], headers)
            i += 1
            with lock:
                counts["ok" if status == 200 else "bad"] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.monotonic() - started
    total = counts["ok"] + counts["bad"]
    return {"rps": total / elapsed, "requests": total, "non_2xx": counts["bad"], "errors": ""}


def throughput(
    pages: dict, username: str, database_url: str, seconds: int, connections: int, workers: int, threads: int
) -> None:
    load = load_wrk if shutil.which("wrk") else load_threads
    tool = "wrk -t1" if load is load_wrk else "Python threads"
    print(
        f"\n(b) throughput under gunicorn -w {workers}{f' --threads {threads}' if threads > 1 else ''}: "
        f"{tool}, {connections} connections, {seconds} s per page"
    )
    results = {}
    env = {"DATABASE_URL": database_url, "APP_CONFIG": "development", "RATELIMIT_ENABLED": "true"}
    with Gunicorn("bare_app:app", workers, {}, BENCH, threads) as bare:
        load(bare.port, ["/"], "", 2, connections)  # warm-up
        results["bare 50-row page"] = load(bare.port, ["/"], "", seconds, connections)
    with Gunicorn("wsgi:app", workers, env, ROOT, threads) as server:
        cookie = http_login(server.port, username)
        for name, paths in pages.items():
            load(server.port, paths, cookie, 2, connections)  # warm-up
            results[name] = load(server.port, paths, cookie, seconds, connections)
    bare_rps = results["bare 50-row page"]["rps"]
    print(f"{'page':<24} {'req/s':>8} {'requests':>9} {'of bare':>8}  problems")
    for name, r in results.items():
        problems = ", ".join(
            p
            for p in (
                f"{r['non_2xx']} non-2xx" if r["non_2xx"] else "",
                r["errors"],
                "" if r["requests"] else "no response within the run",
            )
            if p
        )
        print(f"{name:<24} {r['rps']:8.1f} {r['requests']:9,} {r['rps'] / bare_rps:8.1%}  {problems}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument(
        "--user", action="append", dest="users", help=f"who signs in (repeatable; default: {', '.join(SCOPED_USERS)})"
    )
    parser.add_argument("--requests", type=int, default=30, help="in-process requests per page")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--budget", type=float, default=0.5, help="seconds a request: a page slower than this gets only 3 requests"
    )
    parser.add_argument("--queries", action="store_true", help="time the list's statements one by one")
    parser.add_argument("--baseline", type=Path, help="fail when a page's median grows by more than --tolerance")
    parser.add_argument("--tolerance", type=float, default=0.5)
    parser.add_argument(
        "--write-baseline", type=Path, help="merge the medians of this run into this baseline (bench/baseline.py)"
    )
    parser.add_argument(
        "--jit",
        choices=("default", "on", "off"),
        default="default",
        help="PostgreSQL jit for the app's connections (default: the server's setting)",
    )
    parser.add_argument(
        "--former-scope",
        action="store_true",
        help="measure with the reading scope before migration 0019 (the OR of sub-queries)",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page under gunicorn")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn --workers (default: as make run)")
    parser.add_argument("--threads", type=int, default=2, help="gunicorn --threads (1: plain sync workers)")
    parser.add_argument("--details", type=int, default=50, help="how many different case pages to rotate through")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", action="append", help="page name to run (repeatable; default: all)")
    parser.add_argument(
        "--explain",
        nargs="?",
        const="default",
        choices=("default", "jit-off"),
        help="print EXPLAIN ANALYZE of the list's queries (jit-off: with SET jit = off)",
    )
    parser.add_argument(
        "--wait-quiet",
        type=int,
        default=0,
        metavar="SECONDS",
        help="first wait (at most this long) for the 1-minute load average to drop below 0.5",
    )
    parser.add_argument("--no-gunicorn", action="store_true")
    parser.add_argument("--no-inprocess", action="store_true")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL")
    duration = max(1, min(args.duration, 120))  # every load loop is bounded

    if args.wait_quiet:
        wait_quiet(args.wait_quiet)
    os.environ["DATABASE_URL"] = args.database_url
    from config import _database_url
    from disputes import create_app
    from disputes.extensions import db

    if args.former_scope:
        from disputes import policy
        from tests.workflow.test_case_scope import former_case_scope

        policy.case_scope = former_case_scope
    options = {}
    if args.jit != "default":
        options = {"SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-c jit={args.jit}"}}}
    app = create_app(
        "development", SQLALCHEMY_DATABASE_URI=_database_url(args.database_url), RATELIMIT_ENABLED=False, **options
    )
    users = args.users or list(SCOPED_USERS)
    with app.app_context():
        pages = pick_pages(db.session, args.seed, args.details)
        case_count = db.session.scalar(db.text("SELECT count(*) FROM cases"))
        db.session.remove()
    if args.only:
        pages = {name: paths for name, paths in pages.items() if name in args.only}
    print(
        f"{case_count:,} cases in {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}; {os.cpu_count()} CPUs; pages:"
    )
    for name, paths in pages.items():
        print(f"  {name:<24} {paths[0]}{f' (and {len(paths) - 1} more)' if len(paths) > 1 else ''}")
    print(
        f"load average before: {load_average()}; jit {args.jit}; "
        f"scope {'former' if args.former_scope else 'case_readers'}"
    )
    failed = []
    if not args.no_inprocess:
        with app.app_context():
            sql = SqlRecorder(db.engine)
        measured = {BARE_PAGE: bare_in_process(args.requests)}
        print(f"bare 50-row page in-process: {measured[BARE_PAGE]:.2f} ms")
        for user in users:
            wanted = {name: paths for name, paths in pages.items() if name in SCOPED_USERS.get(user, pages)}
            if "case page" in wanted:
                with app.app_context():
                    wanted["case page"] = readable_case_pages(db.session, user, args.seed, args.details)
                    db.session.remove()
            for name, ms in in_process(
                app, wanted, user, max(args.requests, 1), args.warmup, args.explain, args.queries, sql, args.budget
            ).items():
                measured[f"{user} {name}"] = ms
        again = bare_in_process(args.requests)
        print(f"bare 50-row page in-process, again: {again:.2f} ms (the run's yardstick: the mean of both)")
        measured[BARE_PAGE] = round((measured[BARE_PAGE] + again) / 2, 2)
        print(f"load average: {load_average()}")
        if args.write_baseline:
            database = "PostgreSQL" if "postgresql" in args.database_url else "SQLite"
            baseline.write(args.write_baseline, measured, cases=case_count, database=database, script="case_pages.py")
        if args.baseline:
            failed = baseline.check(args.baseline, measured, args.tolerance, case_count)
    if not args.no_gunicorn:
        throughput(pages, users[0], args.database_url, duration, args.connections, args.workers, args.threads)
        print(f"load average: {load_average()}")
    baseline.fail(failed, args.tolerance)


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def wait_quiet(seconds: int, below: float = 0.5) -> None:
    """Other work on the machine skews every figure: wait (bounded) until the machine is idle."""
    deadline = time.monotonic() + seconds
    while os.getloadavg()[0] >= below and time.monotonic() < deadline:
        time.sleep(5)
    print(f"load average {load_average()} after waiting up to {seconds} s for < {below}")


if __name__ == "__main__":
    main()
