"""A short load run of the signed-in pages under gunicorn, beside a static file; exit status 1 on any 5xx.

Makes a scratch SQLite database under /tmp (or uses DATABASE_URL / --database-url), migrates it and loads the demo
(`flask demo load --cases 300`) unless --database names one already loaded, starts gunicorn as `make run` does
(`--workers 3 --threads 2`) on 127.0.0.1 and a free port, signs in as the demo supervisor, then runs N concurrent
clients (threads with http.client, one keep-alive connection each) for a fixed time per page: the static file
`/static/app.css`, the case list, case pages (rotating through the first list page's cases) and the dashboard
(`/reports`). Prints requests, req/s, p50/p99 in ms, the 5xx count and each page's req/s as a share of the static
file's and of the bare 50-row page's (`bare_app.py`, served by gunicorn with the same workers and threads in the same
run). With `wrk` installed it drives the load (`wrk -t1 --latency`, a Lua script turning through the paths; it
leaves the CPU to the server), else Python threads. `--model WxT[:MAXREQ]` (repeatable) runs every page against
each gunicorn candidate in turn — W workers of T threads (1: sync), recycled after MAXREQ requests with 10 %
jitter — and ends with a table comparing them. Loopback only; every loop is bounded in time.
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from case_pages import BENCH, Gunicorn, load_wrk  # the same gunicorn harness as the case pages' throughput run

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # never anything else
USER_AGENT = "disputes-bench-load/1.0"  # the session is bound to it (Flask-Login "strong" protection)
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
CASE_LINK = re.compile(r'href="/cases/(\d+)"')
STATIC = "/static/app.css"
MAX_SECONDS = 120


def flask_cli(env: dict, *args: str) -> str:
    command = [str(Path(sys.executable).with_name("flask")), *args]
    done = subprocess.run(
        command,
        check=False,
        cwd=ROOT,
        env={**os.environ, **env, "FLASK_APP": "wsgi.py"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode:
        raise SystemExit(f"flask {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout


def request(port: int, method: str, path: str, headers: dict, body: str | None = None):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers={"User-Agent": USER_AGENT, **headers})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def sign_in(port: int, username: str, password: str) -> str:
    """The login page, its CSRF token, the POST; returns the Cookie header of the signed-in session."""
    cookies = SimpleCookie()
    _status, headers, body = request(port, "GET", "/login", {})
    for header in headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    token = CSRF.search(body.decode()).group(1)
    form = urlencode({"username": username, "password": password, "csrf_token": token, "next": ""})
    cookie = "; ".join(f"{k}={m.value}" for k, m in cookies.items())
    status, headers, _body = request(
        port, "POST", "/login", {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}, form
    )
    if status != 302:
        raise SystemExit(f"sign-in as {username} failed: {status}")
    for header in headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    return "; ".join(f"{k}={m.value}" for k, m in cookies.items())


def case_paths(port: int, cookie: str, limit: int) -> list[str]:
    status, _headers, body = request(port, "GET", "/cases", {"Cookie": cookie})
    if status != 200:
        raise SystemExit(f"signed-in GET /cases gave {status}")
    ids = list(dict.fromkeys(CASE_LINK.findall(body.decode())))[:limit]
    if not ids:
        raise SystemExit("the case list shows no case")
    return [f"/cases/{i}" for i in ids]


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run_page(port: int, paths: list[str], cookie: str, seconds: float, clients: int) -> dict:
    """`clients` threads, each on its own keep-alive connection, for `seconds`; latencies and status codes."""
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors: list[str] = []
    lock = threading.Lock()
    headers = {"User-Agent": USER_AGENT, **({"Cookie": cookie} if cookie else {})}

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        mine: list[float] = []
        codes: dict[int, int] = {}
        i = offset
        try:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    conn.request("GET", paths[i % len(paths)], headers=headers)
                    response = conn.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException) as error:
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=30)
                    with lock:
                        errors.append(type(error).__name__)
                    continue
                mine.append(time.perf_counter() - started)
                codes[response.status] = codes.get(response.status, 0) + 1
                if response.will_close:
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=30)
                i += 1
        finally:
            conn.close()
            with lock:
                latencies.extend(mine)
                for code, n in codes.items():
                    statuses[code] = statuses.get(code, 0) + n

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.monotonic() - started
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": percentile(latencies, 0.50) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
        "5xx": sum(n for code, n in statuses.items() if code >= 500),
        "other": {code: n for code, n in statuses.items() if code != 200 and code < 500},
        "errors": len(errors),
    }


LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(port: int, paths: list[str], cookie: str, seconds: float, clients: int) -> dict:
    """The same figures as `run_page`, from `wrk -t1 -c<clients> --latency` (bounded by -d and a timeout)."""
    result = load_wrk(port, paths, cookie, max(1, round(seconds)), clients, latency=True)
    out = result["output"]
    percentiles = {share: float(value) * UNIT_MS[unit] for share, value, unit in LATENCY.findall(out)}
    timeouts = re.search(r"timeout (\d+)", result["errors"])
    return {
        "requests": result["requests"],
        "rps": result["rps"],
        "p50": percentiles.get("50", float("nan")),
        "p99": percentiles.get("99", float("nan")),
        # wrk counts non-2xx/3xx together; the pages answer 200 (checked at sign-in), so these are 5xx or 429
        "5xx": result["non_2xx"],
        "other": {},
        "errors": int(timeouts.group(1)) if timeouts else 0,
    }


def parse_model(text: str) -> tuple[int, int, int]:
    """`2x4` or `2x4:1000`: workers, threads, max requests (0: never recycle)."""
    match = re.fullmatch(r"(\d+)x(\d+)(?::(\d+))?", text)
    if not match:
        raise argparse.ArgumentTypeError(f"expected WORKERSxTHREADS[:MAXREQUESTS], got {text!r}")
    return int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)


def model_name(workers: int, threads: int, max_requests: int) -> str:
    kind = f"{workers} sync" if threads == 1 else f"{workers}×{threads} gthread"
    return kind + (f", max-requests {max_requests}" if max_requests else "")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="use this database (migrated; the demo is loaded when empty); default: scratch SQLite",
    )
    parser.add_argument("--database", help="an SQLite file already holding the demo: reused as it is")
    parser.add_argument("--cases", type=int, default=300, help="demo cases to load into the scratch database")
    parser.add_argument("--duration", type=float, default=10, help="seconds of load per page (at most 120)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--warmup", type=float, default=1, help="seconds of unmeasured load before each page")
    parser.add_argument("--user", default="supervisor", help="who signs in (default: the demo supervisor)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--password", help="the password of --user (default: the demo's)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn --workers (default: as make run)")
    parser.add_argument("--threads", type=int, default=2, help="gunicorn --threads (1: sync workers)")
    parser.add_argument("--max-requests", type=int, default=0, help="gunicorn --max-requests (0: never recycle)")
    parser.add_argument(
        "--model",
        action="append",
        type=parse_model,
        help="a gunicorn candidate WORKERSxTHREADS[:MAXREQUESTS] (repeatable; default: --workers/--threads/"
        "--max-requests)",
    )
    parser.add_argument("--no-wrk", action="store_true", help="Python threads even when wrk is installed")
    args = parser.parse_args(argv)
    duration = max(1.0, min(args.duration, MAX_SECONDS))
    warmup = max(0.0, min(args.warmup, MAX_SECONDS))

    from disputes.demo.centre import DEMO_PASSWORD

    scratch = None
    if args.database:
        url = f"sqlite:///{Path(args.database).resolve()}"
    elif args.database_url:
        url = args.database_url
    else:
        scratch = tempfile.mkdtemp(prefix="disputes-load-", dir="/tmp")
        url = f"sqlite:///{scratch}/demo.sqlite"
    env = {
        "DATABASE_URL": url,
        "APP_CONFIG": "development",
        "SECRET_KEY": secrets.token_hex(32),
        "RATELIMIT_ENABLED": "false",
    }
    try:
        if not args.database:
            started = time.monotonic()
            flask_cli(env, "db", "upgrade")
            flask_cli(env, "demo", "load", "--if-empty", "--cases", str(args.cases))
            print(f"migrated and loaded the demo ({args.cases} cases) in {time.monotonic() - started:.0f} s")
        models = args.model or [(args.workers, args.threads, args.max_requests)]
        runner = run_page if args.no_wrk or not shutil.which("wrk") else run_wrk
        tool = "Python threads" if runner is run_page else "wrk -t1 --latency"
        print(
            f"database {url.split('@')[-1]}; {len(models)} gunicorn model(s) on {HOST}; {tool}, "
            f"{args.clients} clients, {duration:g} s per page; load average {load_average()}"
        )
        by_model = {}
        for workers, threads, max_requests in models:
            name = model_name(workers, threads, max_requests)
            print(f"\n{name}: load average {load_average()}", flush=True)
            extra = ("--max-requests", str(max_requests), "--max-requests-jitter", str(max_requests // 10))
            extra = extra if max_requests else ()
            results = {}
            with Gunicorn("bare_app:app", workers, {}, BENCH, threads=threads, extra=extra) as bare:
                if warmup:
                    runner(bare.port, ["/"], "", warmup, args.clients)
                results[BARE] = runner(bare.port, ["/"], "", duration, args.clients)
                print(f"  {BARE}: {results[BARE]['requests']:,} requests", flush=True)
            with Gunicorn("wsgi:app", workers, env, ROOT, threads=threads, extra=extra) as server:
                cookie = sign_in(server.port, args.user, args.password or DEMO_PASSWORD)
                pages = {
                    f"static {STATIC}": ([STATIC], ""),
                    "case list /cases": (["/cases"], cookie),
                    "case page /cases/<id>": (case_paths(server.port, cookie, 20), cookie),
                    "dashboard /reports": (["/reports"], cookie),
                }
                for page, (paths, page_cookie) in pages.items():
                    if warmup:
                        runner(server.port, paths, page_cookie, warmup, args.clients)
                    results[page] = runner(server.port, paths, page_cookie, duration, args.clients)
                    print(f"  {page}: {results[page]['requests']:,} requests", flush=True)
            print(f"  load average after: {load_average()}")
            report(results)
            by_model[name] = results
    finally:
        if scratch and not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
        elif scratch:
            print(f"kept {scratch}/demo.sqlite (reuse it with --database)")

    if len(by_model) > 1:
        compare(by_model)
    failed = sum(r["5xx"] for results in by_model.values() for r in results.values())
    unanswered = [
        f"{page} ({model})" for model, results in by_model.items() for page, r in results.items() if not r["requests"]
    ]
    if failed or unanswered:
        print(
            f"\nFAILED: {failed} responses with status 5xx"
            + (f"; no response from {', '.join(unanswered)}" if unanswered else "")
        )
        return 1
    return 0


BARE = "bare 50-row page"


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def report(results: dict) -> None:
    static_rps = results[f"static {STATIC}"]["rps"] or float("nan")
    bare_rps = results[BARE]["rps"] or float("nan")
    print(
        f"{'page':<24} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'5xx':>5} {'of static':>10} "
        f"{'of bare':>8}  other"
    )
    for name, r in results.items():
        other = ", ".join(
            [f"{n}× {code}" for code, n in sorted(r["other"].items())]
            + ([f"{r['errors']} connection errors"] if r["errors"] else [])
        )
        print(
            f"{name:<24} {r['requests']:9,} {r['rps']:8.1f} {r['p50']:8.1f} {r['p99']:8.1f} {r['5xx']:5} "
            f"{r['rps'] / static_rps:10.1%} {r['rps'] / bare_rps:8.1%}  {other}"
        )


def compare(by_model: dict) -> None:
    """One line per candidate: req/s (share of its bare page) and p99 of each app page."""
    pages = [page for page in next(iter(by_model.values())) if page not in (BARE, f"static {STATIC}")]
    print(f"\n{'model':<34} {'bare req/s':>10}" + "".join(f" | {page:<30}" for page in pages))
    for model, results in by_model.items():
        bare_rps = results[BARE]["rps"] or float("nan")
        cells = "".join(
            f" | {results[p]['rps']:7.1f} req/s {results[p]['rps'] / bare_rps:5.1%} p99 {results[p]['p99']:6.0f}"
            for p in pages
        )
        print(f"{model:<34} {bare_rps:10.1f}{cells}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
