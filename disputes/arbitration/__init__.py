from flask import Blueprint

bp = Blueprint("arbitration", __name__)

from disputes.arbitration import calendar, views  # noqa: F401
