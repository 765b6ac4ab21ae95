"""Configuration classes, read from the environment.

`create_app()` picks the class named by `APP_CONFIG` (development, testing,
production); every value below can be overridden by an environment variable.
"""

import os
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
# The key this repository once shipped for development: public, so never accepted (create_app). Without
# SECRET_KEY, development uses a random key made for the installation (disputes/secret_key.py).
DEV_SECRET_KEY = "dev-only-not-secret"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    """An integer setting; a wrong value falls back here and is reported by `problems` at start-up."""
    try:
        return int(os.environ.get(name, str(default)))
    except ValueError:
        return default


def _database_url(default: str, name: str = "DATABASE_URL") -> str:
    url = os.environ.get(name, default)
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def ratelimit_storage_uri(environ=os.environ) -> str:
    """Where the sign-in rate limit counts: shared by every worker process through Redis when REDIS_URL (or
    RATELIMIT_STORAGE_URI) is set; `memory://` counts per process (two workers would allow twice the limit)."""
    return environ.get("RATELIMIT_STORAGE_URI") or environ.get("REDIS_URL") or "memory://"


def engine_options(
    url: str, pool_size: int, max_overflow: int, statement_timeout_ms: int, pgbouncer: bool = False
) -> dict:
    """SQLAlchemy engine options: pre-ping everywhere; on PostgreSQL the pool's size and a statement timeout, and
    behind PgBouncer in transaction mode no server-side prepared statements (a pooled server connection may be
    another client's by the next transaction)."""
    # hide_parameters: a database error's text (logged, reported) never carries the names and ID numbers bound in it.
    options: dict = {"pool_pre_ping": True, "hide_parameters": True}
    if url.startswith("postgresql"):
        options.update(pool_size=pool_size, max_overflow=max_overflow, pool_recycle=1800)
        connect_args: dict = {"connect_timeout": 5}
        if statement_timeout_ms:
            connect_args["options"] = f"-c statement_timeout={statement_timeout_ms}"
        if pgbouncer:
            connect_args["prepare_threshold"] = None
        options["connect_args"] = connect_args
    return options


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY") or None  # None: instance/secret_key (production refuses to start)
    REQUIRE_SECRET_KEY = False
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{BASE_DIR / 'instance' / 'disputes.sqlite'}")
    SQLALCHEMY_ENGINE_OPTIONS = engine_options(
        SQLALCHEMY_DATABASE_URI,
        _int("DB_POOL_SIZE", 5),
        _int("DB_MAX_OVERFLOW", 5),
        _int("DB_STATEMENT_TIMEOUT_MS", 0),
        _bool("DB_PGBOUNCER", False),
    )
    BABEL_DEFAULT_LOCALE = os.environ.get("BABEL_DEFAULT_LOCALE", "zh_CN")
    BABEL_DEFAULT_TIMEZONE = os.environ.get("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai")
    LANGUAGES = ("zh_CN", "en")
    WTF_CSRF_TIME_LIMIT = None

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = _int("SESSION_LIFETIME_SECONDS", 28800)

    LOGIN_MAX_FAILURES = _int("LOGIN_MAX_FAILURES", 5)
    LOGIN_LOCKOUT_MINUTES = _int("LOGIN_LOCKOUT_MINUTES", 15)
    RATELIMIT_STORAGE_URI = ratelimit_storage_uri()
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    FORCE_HTTPS = _bool("FORCE_HTTPS", False)

    CASES_PER_PAGE = 50
    MAKEUP_WORKDAY_ENDS_PERIOD = _bool("MAKEUP_WORKDAY_ENDS_PERIOD", True)
    # Printed on every issued document (text and QR) as PUBLIC_BASE_URL/verify/<code>; unset, a development
    # machine prints http://127.0.0.1:5000, and production refuses to issue (REQUIRE_PUBLIC_BASE_URL).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").strip().rstrip("/")
    REQUIRE_PUBLIC_BASE_URL = False
    SEAL_MAX_BYTES = _int("SEAL_MAX_BYTES", 512 * 1024)
    # Ledger imports run as Celery tasks on this broker (e.g. redis://127.0.0.1:6379/0); inline when empty.
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
    # The largest upload (a ledger of 100,000 rows is about 20 MB as CSV).
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 64 * 1024 * 1024)

    # Deadline e-mails from `flask sla scan`; no SMTP_HOST, no e-mail (in-app notifications only).
    SMTP_HOST = os.environ.get("SMTP_HOST", "")
    SMTP_PORT = _int("SMTP_PORT", 25)
    SMTP_USER = os.environ.get("SMTP_USER", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_SENDER = os.environ.get("SMTP_SENDER", "")
    SMTP_STARTTLS = _bool("SMTP_STARTTLS", False)

    # Shared state for several app instances (issue 19): Redis for rate limits, locks of the scheduled jobs and
    # /readyz; the number of proxies in front whose X-Forwarded-* headers are trusted (0: none, direct clients).
    REDIS_URL = os.environ.get("REDIS_URL", "")
    PROXY_FIX_HOPS = _int("PROXY_FIX_HOPS", 0)
    # PostgreSQL connections per process: pool size, overflow, and the longest a statement may run (0: no limit).
    DB_POOL_SIZE = _int("DB_POOL_SIZE", 5)
    DB_MAX_OVERFLOW = _int("DB_MAX_OVERFLOW", 5)
    DB_STATEMENT_TIMEOUT_MS = _int("DB_STATEMENT_TIMEOUT_MS", 0)
    DB_PGBOUNCER = _bool("DB_PGBOUNCER", False)  # connections go through PgBouncer in transaction mode
    # A read replica for reports, the dashboard, drill-downs and exports (empty: they read the primary), and the
    # replication lag its operators guarantee, printed on those pages as the figures' possible delay.
    DATABASE_REPLICA_URL = _database_url("", "DATABASE_REPLICA_URL")
    REPLICA_MAX_LAG_S = _int("REPLICA_MAX_LAG_S", 60)
    # Where issued PDFs and seals are stored (disputes/storage.py): db (in their rows), fs:/path or s3://bucket.
    DOCUMENT_STORE = os.environ.get("DOCUMENT_STORE", "db")
    # JSON lines (one object a record, with the request id) or plain text.
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
    # /metrics: shown to a bearer of METRICS_TOKEN or to a client in METRICS_ALLOW (comma-separated addresses or
    # networks); with neither set it is refused to everyone.
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
    METRICS_ALLOW = os.environ.get("METRICS_ALLOW", "")
    # Error reports to a Sentry-compatible service; off when empty.
    SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
    SENTRY_ENVIRONMENT = os.environ.get("SENTRY_ENVIRONMENT", "production")
    # Versioned static URLs (?v=<content hash>) are cached this long by browsers and proxies.
    STATIC_MAX_AGE = _int("STATIC_MAX_AGE", 365 * 24 * 3600)
    # The parties' side (issue 20). Outbound messages: "file" writes them to MESSAGE_OUTBOX (development, tests,
    # demo); e-mail may go by "smtp" (the SMTP_* settings), SMS by "http" (an SMS provider's API, SMS_*).
    MESSAGE_EMAIL_BACKEND = os.environ.get("MESSAGE_EMAIL_BACKEND", "file")
    MESSAGE_SMS_BACKEND = os.environ.get("MESSAGE_SMS_BACKEND", "file")
    MESSAGE_OUTBOX = os.environ.get("MESSAGE_OUTBOX", "")  # empty: instance/outbox.jsonl
    MESSAGE_FAIL_RECIPIENTS = os.environ.get("MESSAGE_FAIL_RECIPIENTS", "")
    SMS_API_URL = os.environ.get("SMS_API_URL", "")
    SMS_API_KEY = os.environ.get("SMS_API_KEY", "")
    SMS_API_SECRET = os.environ.get("SMS_API_SECRET", "")
    SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "")
    # The provider signs its delivery reports (POST /gateway/sms/reports) with this; unset: every report refused.
    SMS_REPORT_SECRET = os.environ.get("SMS_REPORT_SECRET", "")
    PORTAL_SESSION_COOKIE_NAME = "portal_session"
    PORTAL_SESSION_MINUTES = int(os.environ.get("PORTAL_SESSION_MINUTES", "30"))
    PORTAL_UPLOAD_MAX_BYTES = int(os.environ.get("PORTAL_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))


class DevelopmentConfig(Config):
    DEBUG = False


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing"
    SQLALCHEMY_DATABASE_URI = _database_url("sqlite://")
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    SERVER_NAME = "localhost"
    SMTP_HOST = ""  # tests configure e-mail themselves


class ProductionConfig(Config):
    REQUIRE_SECRET_KEY = True
    REQUIRE_PUBLIC_BASE_URL = True
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    FORCE_HTTPS = _bool("FORCE_HTTPS", True)


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


# Every setting read from the environment: its kind, whether production needs it, whether it is secret (masked by
# `flask config check`). `problems` checks them at start-up, one message a wrong or missing setting.
@dataclass(frozen=True)
class Setting:
    name: str
    kind: str = "str"  # str, int, bool, url, choice
    production: bool = False  # production does not start without it
    secret: bool = False
    choices: tuple[str, ...] = ()
    minimum: int = 0
    schemes: tuple[str, ...] = ()
    config_key: str = ""  # the app.config key it sets, when not its own name

    @property
    def key(self) -> str:
        return self.config_key or self.name


POSTGRES = ("postgres", "postgresql", "postgresql+psycopg")
SETTINGS = (
    Setting("APP_CONFIG", "choice", choices=tuple(CONFIGS)),
    Setting("SECRET_KEY", production=True, secret=True),
    Setting(
        "DATABASE_URL",
        "url",
        production=True,
        secret=True,
        schemes=POSTGRES + ("sqlite",),
        config_key="SQLALCHEMY_DATABASE_URI",
    ),
    Setting("DATABASE_REPLICA_URL", "url", secret=True, schemes=POSTGRES + ("sqlite",)),
    Setting("REPLICA_MAX_LAG_S", "int"),
    Setting("DOCUMENT_STORE"),
    Setting("S3_ENDPOINT_URL", "url", schemes=("http", "https")),
    Setting("S3_REGION"),
    Setting("S3_ACCESS_KEY_ID", secret=True),
    Setting("S3_SECRET_ACCESS_KEY", secret=True),
    Setting("REDIS_URL", "url", production=True, secret=True, schemes=("redis", "rediss", "unix")),
    Setting("CELERY_BROKER_URL", "url", secret=True, schemes=("redis", "rediss", "amqp", "amqps", "memory")),
    Setting(
        "RATELIMIT_STORAGE_URI",
        "url",
        secret=True,
        schemes=("redis", "rediss", "redis+sentinel", "redis+cluster", "valkey", "valkeys", "memory", "memcached"),
    ),
    Setting("RATELIMIT_ENABLED", "bool"),
    Setting("PUBLIC_BASE_URL", "url", schemes=("http", "https")),
    Setting("BABEL_DEFAULT_LOCALE", "choice", choices=("zh_CN", "en")),
    Setting("BABEL_DEFAULT_TIMEZONE"),
    Setting("SESSION_COOKIE_SECURE", "bool"),
    Setting("FORCE_HTTPS", "bool"),
    Setting("SESSION_LIFETIME_SECONDS", "int", minimum=60, config_key="PERMANENT_SESSION_LIFETIME"),
    Setting("LOGIN_MAX_FAILURES", "int", minimum=1),
    Setting("LOGIN_LOCKOUT_MINUTES", "int", minimum=1),
    Setting("MAKEUP_WORKDAY_ENDS_PERIOD", "bool"),
    Setting("SEAL_MAX_BYTES", "int", minimum=1024),
    Setting("MAX_CONTENT_LENGTH", "int", minimum=1024),
    Setting("SMTP_HOST"),
    Setting("SMTP_PORT", "int", minimum=1),
    Setting("SMTP_USER"),
    Setting("SMTP_PASSWORD", secret=True),
    Setting("SMTP_SENDER"),
    Setting("SMTP_STARTTLS", "bool"),
    Setting("PROXY_FIX_HOPS", "int"),
    Setting("DB_POOL_SIZE", "int", minimum=1),
    Setting("DB_MAX_OVERFLOW", "int"),
    Setting("DB_STATEMENT_TIMEOUT_MS", "int"),
    Setting("DB_PGBOUNCER", "bool"),
    Setting("LOG_FORMAT", "choice", choices=("text", "json")),
    Setting("LOG_LEVEL", "choice", choices=("DEBUG", "INFO", "WARNING", "ERROR", "debug", "info", "warning", "error")),
    Setting("METRICS_TOKEN", secret=True),
    Setting("METRICS_ALLOW"),
    Setting("SENTRY_DSN", "url", secret=True, schemes=("http", "https")),
    Setting("SENTRY_ENVIRONMENT"),
    Setting("STATIC_MAX_AGE", "int"),
)
BOOLEAN_WORDS = {"1", "true", "yes", "on", "0", "false", "no", "off"}


def _problem(setting: Setting, value: str) -> str | None:
    """What is wrong with one set value, or None."""
    if setting.kind == "int":
        try:
            number = int(value)
        except ValueError:
            return f"{setting.name}={value!r}: not a whole number"
        if number < setting.minimum:
            return f"{setting.name}={number}: must be at least {setting.minimum}"
    elif setting.kind == "bool" and value.strip().lower() not in BOOLEAN_WORDS:
        return f"{setting.name}={value!r}: write one of 1/0, true/false, yes/no, on/off"
    elif setting.kind == "choice" and value not in setting.choices:
        return f"{setting.name}={value!r}: must be one of {', '.join(setting.choices)}"
    elif setting.kind == "url" and value:
        scheme = value.partition("://")[0] if "://" in value else ""
        if scheme not in setting.schemes:
            return f"{setting.name}: {mask_url(value)!r} is not a {'/'.join(setting.schemes)} URL"
    return None


def problems(environ=os.environ, *, production: bool = False, given=()) -> list[str]:
    """Every wrong or missing setting, one message each. `given`: config keys the caller set itself (tests)."""
    found = []
    for setting in SETTINGS:
        value = environ.get(setting.name)
        if value is None or value == "":
            if production and setting.production and setting.key not in given:
                found.append(f"{setting.name}: missing (production does not start without it)")
            continue
        problem = _problem(setting, value)
        if problem:
            found.append(problem)
    if production and "DATABASE_URL" not in given and environ.get("DATABASE_URL", "").startswith("sqlite"):
        found.append("DATABASE_URL: production runs on PostgreSQL, not SQLite")
    for entry in filter(None, (e.strip() for e in environ.get("METRICS_ALLOW", "").split(","))):
        import ipaddress

        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            found.append(f"METRICS_ALLOW: {entry!r} is not an address or network")
    if environ.get("DOCUMENT_STORE"):
        from disputes.storage import parse_setting

        try:
            parse_setting(environ["DOCUMENT_STORE"])
        except ValueError as error:
            found.append(f"DOCUMENT_STORE: {error}")
    return found


class ConfigError(RuntimeError):
    """The environment's settings are wrong; the message lists each problem on its own line."""

    def __init__(self, found: list[str]):
        self.problems = found
        super().__init__("Configuration refused:\n" + "\n".join(f"  - {p}" for p in found))


def mask_url(url: str) -> str:
    """A URL with its credentials (user and password, or a DSN's key) replaced by ***."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    return f"{scheme}://***@{rest.rpartition('@')[2]}"


def shown(setting: Setting, value) -> str:
    """A setting's effective value as `flask config check` prints it: secrets masked."""
    if value is None or value == "":
        return "(not set)"
    if setting.kind == "url" and isinstance(value, str):
        return mask_url(value)
    if setting.secret:
        return "***"
    return str(value)
