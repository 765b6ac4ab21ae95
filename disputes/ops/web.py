"""`/healthz`, `/readyz` and `/metrics`: for load balancers, orchestrators and Prometheus (issue 19)."""

from __future__ import annotations

import hmac
import ipaddress

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, jsonify, request

from disputes.extensions import csrf, db
from disputes.ops import readiness, telemetry

bp = Blueprint("ops", __name__)


@bp.route("/healthz")
def healthz():
    """The process is up and answering; nothing else is asked (a restart would not help anything else)."""
    return jsonify(status="ok")


@bp.route("/readyz")
def readyz():
    """Ready to serve: database reachable and migrated to head, the read replica reachable when configured (its
    replay lag reported beside the checks, with the lag the pages promise), Redis reachable when configured, fonts
    present. 503 with the failing checks otherwise, so the load balancer sends no traffic here until they pass."""
    replica_engine = db.engines.get("replica")
    results = readiness.check(current_app, db.engine)
    body: dict = {}
    if replica_engine is not None:
        results["replica"], lag = readiness.replica(replica_engine)
        body["replica"] = {"lag_s": lag, "max_lag_s": current_app.config.get("REPLICA_MAX_LAG_S")}
    failing = {name: reason for name, reason in results.items() if reason}
    body = {"status": "unready" if failing else "ready", "checks": {k: v or "ok" for k, v in results.items()}, **body}
    return jsonify(body), 503 if failing else 200


def _allowed() -> bool:
    token = current_app.config.get("METRICS_TOKEN") or ""
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    allow = [e.strip() for e in (current_app.config.get("METRICS_ALLOW") or "").split(",") if e.strip()]
    if not allow or not request.remote_addr:
        return False
    try:
        client = ipaddress.ip_address(request.remote_addr)
    except ValueError:
        return False
    return any(client in ipaddress.ip_network(entry, strict=False) for entry in allow)


def _queue_length() -> int | None:
    broker = current_app.config.get("CELERY_BROKER_URL") or ""
    if not broker.startswith("redis"):
        return None
    import redis

    try:
        return redis.Redis.from_url(broker, socket_timeout=2, socket_connect_timeout=2).llen("celery")
    except redis.RedisError:
        return None


def _overdue_timers() -> int | None:
    from disputes import clock
    from disputes.models.sla import SlaTimer
    from disputes.sla.states import OPEN_STATUSES

    try:
        return db.session.scalar(
            sa.select(sa.func.count())
            .select_from(SlaTimer)
            .where(SlaTimer.status.in_(OPEN_STATUSES), SlaTimer.due_on < clock.today_local())
        )
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return None


@bp.route("/metrics")
def metrics():
    """Prometheus text; only for METRICS_TOKEN's bearer or a client in METRICS_ALLOW."""
    if not _allowed():
        abort(403)
    body = telemetry.exposition(telemetry.ScrapeTime(_queue_length, _overdue_timers))
    return Response(body, mimetype="text/plain; version=0.0.4")


csrf.exempt(bp)
