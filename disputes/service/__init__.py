"""Service of documents (送达), receipts, the case file and the hearing day's batch: the web side."""
from flask import Blueprint

bp = Blueprint("service", __name__)

from disputes.service import views  # noqa: F401
