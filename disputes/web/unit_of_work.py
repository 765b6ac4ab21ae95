"""One commit per request (issue 15), as Indico's request handler does: a view changes and flushes, and the
request's unit of work commits once after the view returned a response below 400, or rolls back otherwise.

Only requests that may write commit: POST, PUT, PATCH, DELETE. A GET is left alone (nothing it touched is committed;
the session is discarded at the end of its app context, as before). A GET writes only when its view says so with
`@writes_on_get` (the dashboard folding the statistics log, a page marking stalled imports failed). A view that
must make its writes visible to someone else before it goes on (a background job about to read the row, a fold the
rest of the page reads) calls `commit_now(why)`, named and explained at the call. An exception, an error page (4xx,
5xx) or a failed commit leaves nothing written. The commit runs in `after_request`, before the response is sent:
a redirect after POST is followed only once the work is stored. CLI commands and Celery jobs commit on their own.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, current_app, request

from disputes.extensions import db

WRITING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
WRITES_ON_GET = "writes_on_get"  # the attribute `writes_on_get` sets on a view function


def writes_on_get(view: Callable) -> Callable:
    """Mark a view whose GET writes (and is committed like a POST): the exception, named where it happens."""
    setattr(view, WRITES_ON_GET, True)
    return view


def commit_now(why: str) -> None:
    """Commit inside the view, before the end of the request: only where someone else must see the rows now.
    `why` is for the reader of the call (and the debug log)."""
    current_app.logger.debug("commit inside the request: %s", why)
    db.session.commit()  # the explicit early commit of a unit of work (see the module docstring)


def _writes(req) -> bool:
    if req.method in WRITING_METHODS:
        return True
    view = current_app.view_functions.get(req.endpoint) if req.endpoint else None
    return bool(view is not None and getattr(view, WRITES_ON_GET, False))


def register(app: Flask) -> None:
    @app.after_request
    def finish(response: Response) -> Response:
        if not _writes(request):
            return response  # a read: whatever it touched is discarded with the session at the end of the context
        if response.status_code < 400:
            db.session.commit()  # the request's one commit; an error here becomes the 500 page, nothing stored
        else:
            db.session.rollback()
        return response

    @app.teardown_request
    def discard(error: BaseException | None) -> None:
        """An exception the view did not handle (or a failed commit): nothing it changed is kept."""
        if error is not None:
            db.session.rollback()
