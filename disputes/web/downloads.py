"""Web responses for generated PDFs, in the language the request asks for (`?lang=en`) or the user's."""

from __future__ import annotations

from flask import Response, request
from flask_babel import get_locale

from disputes.documents.render import normalise_language


def document_language() -> str:
    return normalise_language(request.args.get("lang") or str(get_locale() or "zh_CN"))


def pdf_response(data: bytes, filename: str) -> Response:
    """Shown in the browser, never cached (documents carry personal data; statistics change)."""
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
