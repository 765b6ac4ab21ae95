"""The SMS provider's delivery reports (状态报告回执, issue 20): a machine endpoint the provider POSTs to.

The shape is the common Chinese providers' HTTP push (Alibaba Cloud SMS's SmsReport, which the adapter's `BizId`
already follows): a JSON array of reports, each with the message id (`biz_id`), `success`, `err_code`/`err_msg`
and `report_time` as local time "YYYY-MM-DD HH:MM:SS"; the provider expects `{"code": 0, "msg": "成功"}` back, for
known and unknown ids alike (else it pushes again). The body is authenticated as the adapter's own requests are:
`X-Signature` = base64 HMAC-SHA256 of the raw body under SMS_REPORT_SECRET (refused while it is unset). Without a
browser and without a session it is exempt from CSRF, and rate-limited per address."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime

from flask import Blueprint, current_app, jsonify, request

from disputes import clock, messaging
from disputes.extensions import csrf, db, limiter

bp = Blueprint("gateway", __name__)

MAX_BODY = 512 * 1024
MAX_REPORTS = 1000
LIMIT = "300 per minute"  # per address: a provider pushes reports in batches
ACCEPTED = {"code": 0, "msg": "成功"}


def signature(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _authentic(body: bytes) -> bool:
    secret = current_app.config.get("SMS_REPORT_SECRET") or ""
    given = request.headers.get("X-Signature", "")
    return bool(secret) and hmac.compare_digest(given.encode(), signature(secret, body).encode())


def provider_time(value) -> datetime:
    """The report's time: local China time without a zone (the providers' format), or ISO 8601 with one; the
    moment the report arrives when it has none that can be read."""
    try:
        moment = datetime.fromisoformat(str(value).strip())
    except (TypeError, ValueError):
        return clock.now_utc()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=clock.LOCAL_TZ)
    return moment.astimezone(UTC)


def _success(value) -> bool:
    return value is True or str(value).strip().lower() in {"true", "1", "delivrd", "success"}


def _refused(status: int, why: str):
    return jsonify(code=1, msg=why), status


@bp.route("/gateway/sms/reports", methods=["POST"])
@limiter.limit(LIMIT)
def sms_reports():
    if (request.content_length or 0) > MAX_BODY:
        return _refused(413, "too large")
    body = request.get_data(cache=False)
    if len(body) > MAX_BODY:
        return _refused(413, "too large")
    if not _authentic(body):
        return _refused(403, "bad signature")
    try:
        reports = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _refused(400, "not JSON")
    if isinstance(reports, dict):
        reports = [reports]
    if not isinstance(reports, list) or len(reports) > MAX_REPORTS or not all(isinstance(r, dict) for r in reports):
        return _refused(400, "not a list of reports")
    for item in reports:
        provider_id = str(item.get("biz_id") or "").strip()
        if not provider_id:
            continue
        error = " ".join(str(item.get(k) or "") for k in ("err_code", "err_msg")).strip()
        messaging.report(
            db.session,
            provider_id[:100],
            delivered=_success(item.get("success")),
            at=provider_time(item.get("report_time")),
            error=error,
        )
    return jsonify(ACCEPTED)


csrf.exempt(bp)
