from flask import Blueprint

bp = Blueprint("cases", __name__)

from disputes.cases import views  # noqa: F401
