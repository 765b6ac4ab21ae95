from flask import Blueprint

bp = Blueprint("mediation", __name__)

from disputes.mediation import views  # noqa: F401
