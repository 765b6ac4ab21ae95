"""The clerk's side of the portal (issue 20): the check queue of online applications (补正 / 受理 / 不予受理) and
the list of failed deliveries to resend or serve another way."""

from flask import Blueprint

bp = Blueprint("applications", __name__)

from disputes.applications_web import views  # noqa: F401
