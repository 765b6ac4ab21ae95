"""A party's session is not a staff session: requests under /portal/ read and write their own cookie (its own
name, path /portal and signing salt), so a staff cookie means nothing to the portal and a party's cookie means
nothing to the staff routes (Flask-Login finds no user in it)."""

from __future__ import annotations

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface

PREFIX = "/portal"
PORTAL_SALT = "portal-session"


def is_portal_request() -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


class PortalSessionInterface(SecureCookieSessionInterface):
    def get_cookie_name(self, app: Flask) -> str:
        return app.config["PORTAL_SESSION_COOKIE_NAME"] if is_portal_request() else super().get_cookie_name(app)

    def get_cookie_path(self, app: Flask) -> str:
        return PREFIX if is_portal_request() else super().get_cookie_path(app)

    def get_signing_serializer(self, app: Flask):
        serializer = super().get_signing_serializer(app)
        if serializer is not None and is_portal_request():
            serializer.salt = PORTAL_SALT  # a staff cookie renamed to the portal's does not verify, and back
        return serializer


def install(app: Flask) -> None:
    app.session_interface = PortalSessionInterface()
