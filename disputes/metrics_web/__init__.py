"""The web side of `disputes/metrics/`: the `reports` blueprint (URLs and endpoints keep that name)."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from disputes.metrics_web import tables_views, views, working  # noqa: F401
