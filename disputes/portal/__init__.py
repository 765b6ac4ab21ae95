"""The parties' side (issue 20): online filing, following a case, electronic service. Same app, own session
cookie (sessions.py), own rate limits, endpoints `portal.*` under /portal/."""

from pathlib import Path

from flask import Blueprint, current_app

bp = Blueprint("portal", __name__, url_prefix="/portal")


def upload_folder() -> Path:
    """Where uploads are kept without a document store: the instance folder, outside the web root (never
    `static/`)."""
    return Path(current_app.instance_path) / "portal_uploads"


from disputes.portal import views  # noqa: F401
