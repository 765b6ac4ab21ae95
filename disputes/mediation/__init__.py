from flask import Blueprint

bp = Blueprint("mediation", __name__)

from disputes.mediation import calendar, views  # noqa: F401
