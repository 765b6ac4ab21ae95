from flask import Blueprint

bp = Blueprint("admin", __name__)

from disputes.admin import views  # noqa: F401
from disputes.admin import reference_views  # noqa: F401
