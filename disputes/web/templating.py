"""Filters and globals every template may use."""

from urllib.parse import urlencode

from flask import Flask, request
from flask_babel import get_locale
from flask_login import current_user

from disputes import clock, policy
from disputes.auth.forms import LanguageForm
from disputes.labels import claim_outcome_label, label
from disputes.labels.status import case_closed_on, case_status
from disputes.web.formats import local_date, local_datetime, money, person, unit_name
from disputes.web.steps import available_steps
from disputes.workflow.approvals import approvers
from disputes.workflow.states import Track


def url_with(**changes) -> str:
    """The current URL with some query arguments changed (None drops one)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = [value]
    query = urlencode(args, doseq=True)
    return request.path + ("?" + query if query else "")


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        money=money, ldate=local_date, ldatetime=local_datetime, label=label, unit_name=unit_name, person=person
    )
    app.jinja_env.filters.update(case_status=case_status, case_closed_on=case_closed_on)
    app.jinja_env.globals.update(
        claim_outcome_label=claim_outcome_label,
        policy=policy,
        url_with=url_with,
        today=clock.today_local,
        now_utc=clock.now_utc,
        available_steps=available_steps,
        Track=Track,
        approvers=approvers,
    )

    @app.context_processor
    def inject():
        return {
            "current_locale": str(get_locale()),
            "language_form": LanguageForm(formdata=None, locale=str(get_locale()), next=request.full_path),
            "user": current_user,
        }
