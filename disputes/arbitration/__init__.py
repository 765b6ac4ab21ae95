from flask import Blueprint

bp = Blueprint("arbitration", __name__)

from disputes.arbitration import approval_views, calendar, views  # noqa: F401
