from flask import Blueprint

bp = Blueprint("cases", __name__)

from disputes.cases import claim_views, transfer_views, views  # noqa: F401
