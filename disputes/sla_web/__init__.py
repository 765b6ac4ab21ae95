"""The web side of `disputes/sla/`: the `deadlines` blueprint (URLs and endpoints keep that name)."""

from flask import Blueprint

bp = Blueprint("deadlines", __name__)

from disputes.sla_web import views  # noqa: F401
