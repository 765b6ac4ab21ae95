from flask import Blueprint

bp = Blueprint("admin", __name__)

from disputes.admin import views  # noqa: F401
