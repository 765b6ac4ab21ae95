"""Error pages in the user's language; never a stack trace."""

from flask import Flask, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from disputes.extensions import db
from disputes.storage import StoreError

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    403: (
        _l("No access"),
        _l("Your roles do not allow this page or this case. Ask a supervisor or the administrator if you need it."),
    ),
    404: (_l("Not found"), _l("There is nothing at this address.")),
    405: (_l("Not allowed"), _l("This address does not take that kind of request.")),
    413: (
        _l("File too large"),
        _l("The file is larger than this server accepts. Split it into smaller files and try again."),
    ),
    429: (_l("Too many requests"), _l("Too many attempts in a short time. Wait a minute and try again.")),
    500: (
        _l("Something went wrong"),
        _l("The error has been logged. Nothing you entered was saved; please try again."),
    ),
    503: (
        _l("Stored file unavailable"),
        _l(
            "The stored file could not be read from the document store. The error has been logged for the "
            "administrator; please try again later."
        ),
    ),
}


def _render(code: int, detail: str | None = None):
    title, message = MESSAGES[code]
    return render_template("errors/error.html", code=code, title=title, message=detail or message), code


def register(app: Flask) -> None:
    for code in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(code, lambda error, code=code: _render(code))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(400, str(_l("The form expired or was sent twice. Reload the page and submit again.")))

    @app.errorhandler(StoreError)
    def store_error(error):
        """A stored PDF or seal missing from the document store, or changed there: said plainly, logged for the
        operator with what is missing where (hashes and store names only), no traceback."""
        current_app.logger.error("document store: %s", error)
        db.session.rollback()
        return _render(503)

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return _render(500)
