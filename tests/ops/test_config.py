"""Configuration only from the environment, checked at start-up (issue 19): one message a wrong or missing
setting; `flask config check` prints the effective settings with secrets masked."""

import subprocess
import sys
from pathlib import Path

import pytest

import config
from config import ConfigError, problems
from disputes import create_app

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "APP_CONFIG": "production",
    "SECRET_KEY": "k" * 40,
    "DATABASE_URL": "postgresql://app:hunter2@db.internal:5432/disputes",
    "REDIS_URL": "redis://:redispass@redis.internal:6379/0",
}


def test_a_complete_production_environment_has_no_problems():
    assert problems(PRODUCTION, production=True) == []


def test_each_missing_production_setting_is_named_once():
    found = problems({"APP_CONFIG": "production"}, production=True)
    assert found == [
        "SECRET_KEY: missing (production does not start without it)",
        "DATABASE_URL: missing (production does not start without it)",
        "REDIS_URL: missing (production does not start without it)",
    ]
    assert problems({}, production=False) == []  # development and tests run with nothing set


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("LOGIN_MAX_FAILURES", "five", "LOGIN_MAX_FAILURES='five': not a whole number"),
        ("LOGIN_MAX_FAILURES", "0", "LOGIN_MAX_FAILURES=0: must be at least 1"),
        ("FORCE_HTTPS", "maybe", "FORCE_HTTPS='maybe': write one of 1/0, true/false, yes/no, on/off"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT='xml': must be one of text, json"),
        ("REDIS_URL", "http://x", "REDIS_URL: 'http://x' is not a redis/rediss/unix URL"),
        ("METRICS_ALLOW", "10.0.0.0/8, nowhere", "METRICS_ALLOW: 'nowhere' is not an address or network"),
        ("DATABASE_URL", "sqlite:///x.sqlite", "DATABASE_URL: production runs on PostgreSQL, not SQLite"),
    ],
)
def test_a_wrong_setting_gets_one_clear_message(name, value, message):
    assert problems({**PRODUCTION, name: value}, production=True) == [message]


def test_a_wrong_url_is_reported_without_its_password():
    (found,) = problems({**PRODUCTION, "DATABASE_URL": "mysql://app:hunter2@db/x"}, production=True)
    assert "hunter2" not in found and "mysql://***@db/x" in found


def test_production_from_the_environment_refuses_to_start_listing_every_problem(monkeypatch):
    monkeypatch.setenv("APP_CONFIG", "production")
    monkeypatch.setenv("LOGIN_LOCKOUT_MINUTES", "soon")
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigError) as refused:
        create_app()
    assert refused.value.problems == [
        "SECRET_KEY: missing (production does not start without it)",
        "DATABASE_URL: missing (production does not start without it)",
        "REDIS_URL: missing (production does not start without it)",
        "LOGIN_LOCKOUT_MINUTES='soon': not a whole number",
    ]


def test_a_wrong_value_stops_any_configuration(monkeypatch):
    monkeypatch.setenv("SMTP_PORT", "twenty-five")
    with pytest.raises(ConfigError, match="SMTP_PORT='twenty-five': not a whole number"):
        create_app("testing")


def test_the_wsgi_entry_prints_the_problems_not_a_traceback(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "APP_CONFIG": "production", "LOG_FORMAT": "yaml", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "Configuration refused:",
        "  - SECRET_KEY: missing (production does not start without it)",
        "  - DATABASE_URL: missing (production does not start without it)",
        "  - REDIS_URL: missing (production does not start without it)",
        "  - LOG_FORMAT='yaml': must be one of text, json",
    ]


def test_config_check_prints_effective_settings_with_secrets_masked(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "SECRET_KEY", "s3cret-signing-key")
    monkeypatch.setitem(app.config, "SMTP_PASSWORD", "mail-pass-77")
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://:redispass@redis.internal:6379/0")
    monkeypatch.setitem(app.config, "SENTRY_DSN", "https://publickey42@sentry.example/3")
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES", 7)
    result = app.test_cli_runner().invoke(args=["config", "check"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split(None, 1)[1] for line in result.output.splitlines() if "  " in line[:30]}
    assert lines["SECRET_KEY"] == "***"
    assert lines["SMTP_PASSWORD"] == "***"
    assert lines["REDIS_URL"] == "redis://***@redis.internal:6379/0"
    assert lines["SENTRY_DSN"] == "https://***@sentry.example/3"
    assert lines["LOGIN_MAX_FAILURES"] == "7"
    for secret in ("s3cret-signing-key", "mail-pass-77", "redispass", "publickey42"):
        assert secret not in result.output


def test_engine_options_size_the_pool_and_bound_statements_on_postgresql():
    options = config.engine_options("postgresql+psycopg://db/x", 8, 2, 30000)
    assert options["pool_size"] == 8 and options["max_overflow"] == 2
    assert options["connect_args"]["options"] == "-c statement_timeout=30000"
    assert options["hide_parameters"] is True  # no bound names or ID numbers in error texts and logs
    assert "pool_size" not in config.engine_options("sqlite://", 8, 2, 30000)
    assert "prepare_threshold" not in options["connect_args"]
    behind_pgbouncer = config.engine_options("postgresql+psycopg://db/x", 2, 0, 0, pgbouncer=True)
    assert behind_pgbouncer["connect_args"]["prepare_threshold"] is None
