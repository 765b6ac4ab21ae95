from flask import Blueprint

bp = Blueprint("legal_aid", __name__)

from disputes.legal_aid import views  # noqa: F401
