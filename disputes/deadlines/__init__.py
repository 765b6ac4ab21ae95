from flask import Blueprint

bp = Blueprint("deadlines", __name__)

from disputes.deadlines import views  # noqa: F401
