from flask import Blueprint

bp = Blueprint("litigation", __name__)

from disputes.litigation import views  # noqa: F401
