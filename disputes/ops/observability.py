"""Logs, request ids and error reports (issue 19).

Every request gets an id (the proxy's `X-Request-ID` when well-formed, else a new one), returned in the response
header, written in each log record (LOG_FORMAT=json: one JSON object a line) and carried into the Celery tasks the
request queues. Personal data is kept out of the logs: query strings are not logged, the database driver's
parameters are hidden (engine option `hide_parameters`), and a filter blanks ID numbers, mobile numbers and e-mail
addresses in any record that still carries one.
"""

from __future__ import annotations

import contextvars
import logging
import re
import sys
import time
import uuid

from flask import Flask, g, request

REQUEST_ID = contextvars.ContextVar("request_id", default=None)
WELL_FORMED = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Resident ID numbers (GB 11643: 17 digits and a check digit or X, or the old 15 digits), mainland mobile numbers,
# e-mail addresses (not digits within a decimal number, such as a run time).
PERSONAL = (
    (re.compile(r"(?<![0-9.])[1-9][0-9]{16}[0-9Xx](?![0-9.])|(?<![0-9.])[1-9][0-9]{14}(?![0-9.])"), "[id]"),
    (re.compile(r"(?<![0-9.])1[3-9][0-9]{9}(?![0-9.])"), "[phone]"),
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[email]"),
)
_handler: logging.Handler | None = None
log = logging.getLogger("disputes.requests")


def redact(text: str) -> str:
    for pattern, replacement in PERSONAL:
        text = pattern.sub(replacement, text)
    return text


class RequestContext(logging.Filter):
    """Adds the request id to every record and blanks personal data in its message and traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def configure_logging(app: Flask, stream=None) -> logging.Handler | None:
    """LOG_FORMAT=json: one handler on the root logger writing JSON lines (replacing the one a previous app of this
    process installed). Plain text leaves logging as it is (development)."""
    global _handler
    if app.config.get("LOG_FORMAT") != "json":
        return None
    from pythonjsonlogger.json import JsonFormatter

    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
    handler = logging.StreamHandler(stream or sys.stderr)

    class Formatter(JsonFormatter):
        def formatException(self, ei) -> str:
            return redact(super().formatException(ei))

        def formatStack(self, stack_info) -> str:
            return redact(super().formatStack(stack_info))

    handler.setFormatter(
        Formatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    handler.addFilter(RequestContext())
    root.addHandler(handler)
    root.setLevel(app.config.get("LOG_LEVEL") or "INFO")
    _handler = handler
    return handler


def _start() -> None:
    given = request.headers.get("X-Request-ID", "")
    rid = given if WELL_FORMED.match(given) else uuid.uuid4().hex
    g.request_id = rid
    g.request_started = time.perf_counter()
    g.request_id_token = REQUEST_ID.set(rid)


def _finish(response):
    from disputes.ops import telemetry

    rid = g.get("request_id")
    if rid:
        response.headers["X-Request-ID"] = rid
    started = g.get("request_started")
    endpoint = request.endpoint or "unmatched"
    if started is not None and endpoint != "ops.metrics":
        took = time.perf_counter() - started
        telemetry.REQUEST_LATENCY.labels(endpoint, request.method).observe(took)
        if response.status_code >= 500:
            telemetry.REQUEST_ERRORS.labels(endpoint).inc()
        if endpoint not in ("ops.healthz", "ops.readyz", "static"):
            # The path only: a query string may hold a searched name or ID number.
            log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={"status": response.status_code, "ms": round(took * 1000, 1), "client": request.remote_addr},
            )
    return response


def _teardown(error=None) -> None:
    token = g.pop("request_id_token", None)
    if token is not None:
        REQUEST_ID.reset(token)


def init_sentry(app: Flask) -> bool:
    """Error reports to SENTRY_DSN (Flask and Celery integrations enable themselves); no personal data sent."""
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return False
    import sentry_sdk

    sentry_sdk.init(dsn=dsn, environment=app.config.get("SENTRY_ENVIRONMENT"), send_default_pii=False)
    return True


def register(app: Flask) -> None:
    configure_logging(app)
    init_sentry(app)
    app.before_request(_start)
    app.after_request(_finish)
    app.teardown_request(_teardown)
