"""Route guards: every view states its permission through the policy module."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from disputes.extensions import db
from disputes.models import Case


def requires(predicate: Callable) -> Callable:
    """Signed in and `predicate(current_user)` true, else 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not predicate(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def case_or_abort(case_id: int, predicate: Callable) -> Case:
    """The case if it exists and `predicate(current_user, case)` holds; 404 or 403 otherwise."""
    case = db.session.get(Case, case_id)
    if case is None:
        abort(404)
    if not predicate(current_user, case):
        abort(403)
    return case
