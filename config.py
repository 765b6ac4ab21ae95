"""Configuration classes, read from the environment.

`create_app()` picks the class named by `APP_CONFIG` (development, testing,
production); every value below can be overridden by an environment variable.
"""

import os
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


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def ratelimit_storage_uri(environ=os.environ) -> str:
    """Where the sign-in rate limit counts: shared by every worker process through Redis when REDIS_URL (or
    RATELIMIT_STORAGE_URI) is set; `memory://` counts per process (two workers would allow twice the limit)."""
    return environ.get("RATELIMIT_STORAGE_URI") or environ.get("REDIS_URL") or "memory://"


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY") or None  # None: instance/secret_key (production refuses to start)
    REQUIRE_SECRET_KEY = False
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{BASE_DIR / 'instance' / 'disputes.sqlite'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
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
    PERMANENT_SESSION_LIFETIME = int(os.environ.get("SESSION_LIFETIME_SECONDS", "28800"))

    LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
    LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
    RATELIMIT_STORAGE_URI = ratelimit_storage_uri()
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    FORCE_HTTPS = _bool("FORCE_HTTPS", False)

    CASES_PER_PAGE = 50
    MAKEUP_WORKDAY_ENDS_PERIOD = _bool("MAKEUP_WORKDAY_ENDS_PERIOD", True)
    # Printed on every issued document (text and QR) as PUBLIC_BASE_URL/verify/<code>; unset, a development
    # machine prints http://127.0.0.1:5000, and production refuses to issue (REQUIRE_PUBLIC_BASE_URL).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").strip().rstrip("/")
    REQUIRE_PUBLIC_BASE_URL = False
    SEAL_MAX_BYTES = int(os.environ.get("SEAL_MAX_BYTES", str(512 * 1024)))
    # Ledger imports run as Celery tasks on this broker (e.g. redis://127.0.0.1:6379/0); inline when empty.
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
    # The largest upload (a ledger of 100,000 rows is about 20 MB as CSV).
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(64 * 1024 * 1024)))

    # Deadline e-mails from `flask sla scan`; no SMTP_HOST, no e-mail (in-app notifications only).
    SMTP_HOST = os.environ.get("SMTP_HOST", "")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "25"))
    SMTP_USER = os.environ.get("SMTP_USER", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_SENDER = os.environ.get("SMTP_SENDER", "")
    SMTP_STARTTLS = _bool("SMTP_STARTTLS", False)

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
