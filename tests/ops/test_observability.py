"""Watching it (issue 19): /metrics behind a token or an address list, request ids in JSON logs and into Celery,
no personal data in logs, the client's address behind a trusted proxy, static files cached under versioned URLs."""

import io
import json
import logging
import re

import pytest

from disputes import create_app
from disputes.ops import observability, telemetry
from tests.conftest import WORKER_ID


@pytest.fixture
def ops_app(app, db):
    """A second app on the test database, configured per test; its connections closed before the database is put
    back (SQLite: a connection left open across the file's replacement breaks the next test's)."""
    made = []

    def make(**settings):
        made.append(create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], **settings))
        return made[-1]

    yield make
    from disputes.extensions import db as database

    for other in made:
        with other.app_context():
            database.session.remove()
            database.engine.dispose()


def test_metrics_are_refused_without_token_or_allowed_address(ops_app):
    client = ops_app().test_client()
    assert client.get("/metrics").status_code == 403
    client = ops_app(METRICS_TOKEN="scrape-token-1").test_client()
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer scrape-token-1"}).status_code == 200
    assert ops_app(METRICS_ALLOW="10.0.0.0/8").test_client().get("/metrics").status_code == 403
    assert ops_app(METRICS_ALLOW="10.0.0.0/8, 127.0.0.1").test_client().get("/metrics").status_code == 200


def test_metrics_show_request_latency_by_endpoint_errors_and_overdue_timers(ops_app, db, org, make_case):
    from datetime import timedelta

    from disputes import clock
    from disputes.models.sla import SlaTimer
    from disputes.sla.states import OPEN_STATUSES

    make_case(org.centre)
    timer = db.session.query(SlaTimer).filter(SlaTimer.status.in_(OPEN_STATUSES)).first()
    timer.due_on = clock.today_local() - timedelta(days=3)
    db.session.commit()
    client = ops_app(METRICS_TOKEN="t0ken-abc").test_client()
    for _ in range(3):
        client.get("/login")
    text = client.get("/metrics", headers={"Authorization": "Bearer t0ken-abc"}).get_data(as_text=True)
    count = re.search(r'disputes_request_duration_seconds_count\{endpoint="auth.login",method="GET"\} (\S+)', text)
    assert count and float(count.group(1)) >= 3
    assert "disputes_request_errors_total" in text
    assert re.search(r"^disputes_sla_overdue_open_timers 1\.0$", text, re.MULTILINE), text[-400:]
    for name in ("disputes_sla_scan_duration_seconds", "disputes_metrics_fold_duration_seconds"):
        assert f"{name}_count" in text
    assert "disputes_pdf_render_duration_seconds_count" in text


def test_timed_steps_are_recorded():
    before = telemetry.SCAN_DURATION._sum.get()

    @telemetry.timed(telemetry.SCAN_DURATION)
    def step():
        return 42

    assert step() == 42 and telemetry.SCAN_DURATION._sum.get() > before


def test_a_trusted_proxy_hands_on_the_client_address(ops_app):
    forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    direct = ops_app(METRICS_ALLOW="203.0.113.9").test_client()
    assert direct.get("/metrics", headers=forwarded).status_code == 403  # without PROXY_FIX_HOPS: not trusted
    proxied = ops_app(METRICS_ALLOW="203.0.113.9", PROXY_FIX_HOPS=1).test_client()
    assert proxied.get("/metrics", headers=forwarded).status_code == 200
    # One hop trusted: a client's own X-Forwarded-For entry in front of the proxy's is not believed.
    spoofed = {"X-Forwarded-For": "203.0.113.9, 198.51.100.7"}
    assert proxied.get("/metrics", headers=spoofed).status_code == 403


@pytest.fixture
def json_log(ops_app):
    root = logging.getLogger()
    level = root.level
    stream = io.StringIO()
    application = ops_app(LOG_FORMAT="json")
    observability.configure_logging(application, stream)
    yield application, stream
    root.removeHandler(observability._handler)
    observability._handler = None
    root.setLevel(level)


def _records(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_each_request_logs_one_json_line_with_its_id_and_no_query(json_log):
    application, stream = json_log
    client = application.test_client()
    response = client.get(f"/login?next=/cases%3Fq%3D{WORKER_ID}%26name%3D张三")
    rid = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid)
    (record,) = [r for r in _records(stream) if r["logger"] == "disputes.requests"]
    assert record["request_id"] == rid and record["message"] == "GET /login 200" and record["status"] == 200
    assert record["client"] == "127.0.0.1"
    assert WORKER_ID not in stream.getvalue() and "张三" not in stream.getvalue()
    given = client.get("/login", headers={"X-Request-ID": "lb-7f3a9c01"})
    assert given.headers["X-Request-ID"] == "lb-7f3a9c01"
    odd = client.get("/login", headers={"X-Request-ID": "<script>"})
    assert odd.headers["X-Request-ID"] != "<script>"


def test_personal_data_is_blanked_in_messages_and_tracebacks(json_log):
    _, stream = json_log
    log = logging.getLogger("disputes.somewhere")
    log.warning("mail to %s for %s, mobile %s", "zhang.san@example.cn", WORKER_ID, "13812345678")
    log.warning("took %ss", 8.400247648000004)  # a number with as many digits is no ID number
    try:
        raise ValueError(f"bad number {WORKER_ID}")
    except ValueError:
        log.exception("failed")
    text = stream.getvalue()
    assert WORKER_ID not in text and "zhang.san@example.cn" not in text and "13812345678" not in text
    first, timing, second = _records(stream)
    assert first["message"] == "mail to [email] for [id], mobile [phone]"
    assert timing["message"] == "took 8.400247648000004s"
    assert "bad number [id]" in second["exc_info"]


def test_a_queued_task_carries_the_request_id_into_the_worker():
    from disputes.jobs import celery_app

    app = celery_app()
    seen = {}

    @app.task(name="tests.remember_request_id")
    def remember():
        seen["id"] = observability.REQUEST_ID.get()

    token = observability.REQUEST_ID.set("req-12345678")
    try:
        with app.connection_for_write("memory://") as conn:
            remember.apply_async(connection=conn)
            message = conn.SimpleQueue("celery").get(timeout=2)
            headers = message.headers
            message.ack()
    finally:
        observability.REQUEST_ID.reset(token)
    assert headers["request_id"] == "req-12345678"
    remember.apply(headers={"request_id": headers["request_id"]})
    assert seen["id"] == "req-12345678"


def test_static_files_are_cached_for_a_year_under_their_versioned_url(ops_app):
    client = ops_app().test_client()
    page = client.get("/login").get_data(as_text=True)
    (css,) = re.findall(r'href="(/static/app\.css\?v=[0-9a-f]{12})"', page)
    cached = client.get(css)
    assert cached.status_code == 200
    assert cached.cache_control.max_age == 365 * 24 * 3600 and cached.cache_control.immutable
    assert cached.cache_control.public and not cached.cache_control.no_cache
    for stale in ("/static/app.css", "/static/app.css?v=000000000000"):
        response = client.get(stale)
        assert response.cache_control.no_cache and not response.cache_control.max_age


def test_error_reports_are_off_unless_a_dsn_is_set_and_never_carry_personal_data(ops_app, monkeypatch):
    import sentry_sdk

    calls = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: calls.append(options))
    assert observability.init_sentry(ops_app()) is False and calls == []
    application = ops_app(SENTRY_DSN="https://key@sentry.example/3", SENTRY_ENVIRONMENT="staging")
    assert calls == [{"dsn": "https://key@sentry.example/3", "environment": "staging", "send_default_pii": False}]
    assert observability.init_sentry(application) is True
