from flask import Blueprint

bp = Blueprint("work", __name__)

from disputes.work import views  # noqa: F401
