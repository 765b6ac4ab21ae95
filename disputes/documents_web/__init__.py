"""Documents on the web: the case page's panel (preview, issue, reissue, download), the public
verification page, and the admin pages for unit seals and document-number patterns."""
from flask import Blueprint

bp = Blueprint("documents", __name__)

from disputes.documents_web import admin_views, verify_views, views  # noqa: F401
