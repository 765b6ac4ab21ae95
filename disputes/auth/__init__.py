from flask import Blueprint

bp = Blueprint("auth", __name__)

from disputes.auth import views  # noqa: F401
