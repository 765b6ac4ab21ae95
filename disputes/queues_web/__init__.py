"""The web side of `disputes/queues/`: the `work` blueprint (URLs and endpoints keep that name)."""

from flask import Blueprint

bp = Blueprint("work", __name__)

from disputes.queues_web import views  # noqa: F401
