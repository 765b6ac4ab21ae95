"""Filters and globals every template may use."""

from urllib.parse import urlencode

from flask import Flask, request
from flask_babel import get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

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


def bound_gettext(translations):
    """`gettext` and `ngettext` for one render, bound to the request's catalogue. Flask-Babel's own (installed in
    the environment's globals) look the catalogue up through the request context on every call, several hundred
    times a list page (issue 18); these behave as Jinja's new-style ones do (autoescape, `%(name)s` variables,
    `num` for ngettext), and templates imported without context still use the global ones."""

    @pass_context
    def gettext(context, string, /, **variables):
        text = translations.ugettext(string)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables  # always a format string, as Jinja's: "%%" is "%" with or without variables

    @pass_context
    def ngettext(context, singular, plural, num, /, **variables):
        variables.setdefault("num", num)
        text = translations.ungettext(singular, plural, num)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return {"gettext": gettext, "ngettext": ngettext}


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
            **bound_gettext(get_translations()),
            "current_locale": str(get_locale()),
            "language_form": LanguageForm(formdata=None, locale=str(get_locale()), next=request.full_path),
            "user": current_user,
        }
