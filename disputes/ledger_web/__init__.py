"""Web side of the ledger: upload page, import jobs with progress, error reports, exports of the case list."""

from flask import Blueprint

bp = Blueprint("ledger", __name__)

from disputes.ledger_web import views  # noqa: F401
