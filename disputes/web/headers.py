"""Response headers: nothing with personal data is kept by a browser's or a proxy's cache (issue 14)."""

from __future__ import annotations

from flask import Flask, request
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


def register(app: Flask) -> None:
    app.after_request(no_store)
