"""Documents on the web: the case page's panel (preview, issue, reissue, download), the public
verification page, the admin pages for unit seals and document-number patterns, and the service of
documents (送达: receipts, the case file and the hearing day's batch) as its own blueprint."""

from flask import Blueprint

bp = Blueprint("documents", __name__)
service_bp = Blueprint("service", __name__)

from disputes.documents_web import admin_views, service_views, verify_views, views  # noqa: F401
