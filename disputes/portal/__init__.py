"""The parties' side (issue 20): online filing, following a case, electronic service. Same app, own session
cookie (sessions.py), own rate limits, endpoints `portal.*` under /portal/."""

from flask import Blueprint

bp = Blueprint("portal", __name__, url_prefix="/portal")

from disputes.portal import views  # noqa: F401
