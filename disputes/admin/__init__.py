from flask import Blueprint

bp = Blueprint("admin", __name__)

from disputes.admin import allocation_views, audit_views, reference_views, sla_views, target_views, views  # noqa: F401
