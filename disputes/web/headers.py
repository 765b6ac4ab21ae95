"""Response headers: nothing with personal data is kept by a browser's or a proxy's cache (issue 14)."""

from __future__ import annotations

import hashlib
import os

from flask import Flask, current_app, request
from flask_login import current_user

# Blueprints whose every response may carry personal data, signed in or not.
PERSONAL = frozenset(
    {
        "cases",
        "documents",
        "ledger",
        "reports",
        "service",
        "mediation",
        "arbitration",
        "legal_aid",
        "litigation",
        "work",
        "deadlines",
        "admin",
        "portal",
        "applications",
    }
)
# Files without personal data, which may be cached.
CACHEABLE = frozenset({"static", "documents.stylesheet"})


def no_store(response):
    if request.endpoint in CACHEABLE:
        return response
    if request.blueprint in PERSONAL or getattr(current_user, "is_authenticated", False):
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


_versions: dict[tuple[str, float], str] = {}


def static_version(app: Flask, filename: str) -> str | None:
    """A short hash of a static file's content (kept per modification time), or None if there is no such file."""
    path = os.path.join(app.static_folder or "", filename)
    try:
        stamp = os.path.getmtime(path)
    except OSError:
        return None
    key = (path, stamp)
    if key not in _versions:
        with open(path, "rb") as handle:
            _versions[key] = hashlib.sha256(handle.read()).hexdigest()[:12]
    return _versions[key]


def versioned_static_urls(endpoint: str, values: dict) -> None:
    """`url_for('static', filename=…)` adds `?v=<content hash>`: a changed file gets a new URL, so the old one
    may be cached for a year."""
    if endpoint == "static" and "filename" in values and "v" not in values:
        version = static_version(current_app, values["filename"])
        if version:
            values["v"] = version


def static_cache(response):
    """A static file asked for at its current version is immutable; otherwise revalidate."""
    if request.endpoint == "static" and response.status_code == 200:
        filename = (request.view_args or {}).get("filename", "")
        if request.args.get("v") and request.args.get("v") == static_version(current_app, filename):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = current_app.config.get("STATIC_MAX_AGE", 0)
            response.cache_control.immutable = True
        else:
            response.cache_control.no_cache = True
            response.cache_control.max_age = None
    return response


def register(app: Flask) -> None:
    app.after_request(no_store)
    app.after_request(static_cache)
    app.url_defaults(versioned_static_urls)
