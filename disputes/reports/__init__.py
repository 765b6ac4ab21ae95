from flask import Blueprint

bp = Blueprint("reports", __name__)

from disputes.reports import views  # noqa: F401
