"""One page per workflow step: the web side of `workflow.actions`.

A blueprint declares its steps (action id, form, how to call the domain) and
`register_steps` adds one route that shows the form, calls the operation, and
either commits and returns to the case or shows the refusal next to the field.
The case page lists, per track, the steps the signed-in user may take now.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField

from disputes import clock, policy
from disputes.auth.guards import case_or_abort
from disputes.extensions import db
from disputes.i18n import DomainError
from disputes.models import Case
from disputes.web import submissions
from disputes.web.fields import VersionedForm
from disputes.web.messages import attach_error, translate_error
from disputes.workflow.actions import ACTIONS, Action, ConflictError, refusal, role_refusal
from disputes.workflow.states import Track


class StepForm(VersionedForm):
    """Every step form carries the case version it was opened on, so a late second edit is refused, and a one-time
    token, so a second post of the same form (a double-click) is sent to the first one's result."""

    submission = HiddenField()


@dataclass(frozen=True)
class Step:
    action: str
    form: type[StepForm]
    perform: Callable[..., Any]  # perform(session, case, actor, row, form)
    prepare: Callable[..., None] | None = None  # prepare(form, case, row): choices, defaults
    template: str = "tracks/step.html"
    intro: str | None = None  # a template to include above the form (e.g. the parties copied over)

    @property
    def slug(self) -> str:
        return self.action.split(".", 1)[1].replace("_", "-")


@dataclass
class TrackWeb:
    """A track's steps and how to find the row a step acts on."""

    track: Track
    blueprint: str
    find_row: Callable[[Case, int | None], Any]
    steps: dict[str, Step]

    def step_url(self, case: Case, step: Step, row=None) -> str:
        row_id = getattr(row, "id", None) if row is not None and self.needs_row_id else None
        if row_id is not None:
            return url_for(f"{self.blueprint}.step_of", case_id=case.id, row_id=row_id, slug=step.slug)
        return url_for(f"{self.blueprint}.step", case_id=case.id, slug=step.slug)

    @property
    def needs_row_id(self) -> bool:
        return self.track in (Track.LEGAL_AID, Track.LITIGATION)

    def anchor(self, row) -> str:
        """The id of the panel that shows `row` on the case page."""
        if self.needs_row_id and getattr(row, "id", None) is not None:
            prefix = "legal-aid" if self.track == Track.LEGAL_AID else "lawsuit"
            return f"{prefix}-{row.id}"
        return "tracks" if self.needs_row_id else self.track.value


TRACKS: dict[Track, TrackWeb] = {}


def default_today(*names: str) -> Callable[..., None]:
    """A `Step.prepare` that fills the named date fields, when empty, with today's local date."""

    def prepare(form, case=None, row=None):
        for name in names:
            if getattr(form, name).data is None:
                getattr(form, name).data = clock.today_local()

    return prepare


def local_datetime(value: datetime | None) -> datetime | None:
    """A naive datetime typed into a form, read as local time and made aware."""
    if value is None:
        return None
    return value.replace(tzinfo=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


def register_steps(bp: Blueprint, web: TrackWeb, url_part: str) -> None:
    TRACKS[web.track] = web

    @login_required
    def step(case_id: int, slug: str, row_id: int | None = None):
        case = case_or_abort(case_id, policy.can_view_case)
        spec = next((s for s in web.steps.values() if s.slug == slug), None)
        if spec is None:
            abort(404)
        act = ACTIONS[spec.action]
        row = web.find_row(case, row_id)
        if row_id is not None and row is None:
            abort(404)
        if role_refusal(case, current_user, act):
            abort(403)
        detail = url_for("cases.detail", case_id=case.id)
        back = f"{detail}#{web.anchor(row)}"
        form = spec.form()
        error = refusal(case, current_user, act, row)
        # Choices and defaults, before validation; a refused step still gets them if its row exists,
        # so a stale form can be shown again.
        has_row = row is not None or act.sources is None
        if spec.prepare and (error is None or has_row):
            spec.prepare(form, case, row)

        def render(status: int):
            return render_template(
                spec.template, form=form, case=case, row=row, action=act, step=spec, back=back
            ), status

        def conflict(why=None):
            flash(translate_error(ConflictError()), "error")
            if why:
                flash(translate_error(why), "error")
            form.version.data = str(case.version_id)
            if not submissions.is_token(form.submission.data):
                form.submission.data = submissions.new_token()
            return render(409)

        token = form.submission.data
        if request.method == "POST" and (done := already_done(token)):
            return done
        if request.method == "POST" and has_row and (form.is_stale(case) or not submissions.is_token(token)):
            # Changed since the form was opened, or sent without its version or token: keep what was typed, say so,
            # and say if the step is still possible.
            return conflict(error)
        if error:
            flash(translate_error(error), "error")
            return redirect(back)
        if request.method == "GET":
            form.version.data = str(case.version_id)
            form.submission.data = submissions.new_token()
            return render(200)
        if not form.validate_on_submit():
            return render(400)
        if not submissions.claim(db.session, token, current_user):
            return already_done(token) or conflict()
        try:
            result = spec.perform(db.session, case, current_user, row, form)
            target = f"{detail}#{web.anchor(row if row is not None else result)}"
            submissions.record(db.session, token, target)
            # a concurrent edit (StaleDataError) shows here, as the conflict page; the request commits
            db.session.flush()
        except (ConflictError, StaleDataError):
            db.session.rollback()
            return conflict()
        except DomainError as refused:
            db.session.rollback()
            attach_error(form, refused)
            return render(400)
        flash(_("Done: %(step)s.", step=_(act.label)), "success")
        for notice in getattr(result, "notices", None) or ():  # warnings the operation returned (never blocking)
            flash(translate_error(notice), "warning")
        return redirect(target)

    bp.add_url_rule(f"/cases/<int:case_id>/{url_part}/<slug>", "step", step, methods=["GET", "POST"])
    if web.needs_row_id:
        bp.add_url_rule(
            f"/cases/<int:case_id>/{url_part}/<int:row_id>/<slug>", "step_of", step, methods=["GET", "POST"]
        )


def already_done(token: str | None):
    """A redirect to where an earlier post of this very form led, with a notice, or None."""
    done = submissions.result_of(db.session, token, current_user)
    if done is None:
        return None
    flash(_("This form had already been sent: it was carried out once, and this is the result."), "info")
    return redirect(done)


def available_steps(case: Case, track: Track, row=None) -> list[tuple[Action, str]]:
    """The steps of `track` on `row` the current user may take now, with their URLs, for the case page."""
    web = TRACKS.get(track)
    if web is None or not current_user.is_authenticated:
        return []
    found = []
    for spec in web.steps.values():
        act = ACTIONS[spec.action]
        if (act.sources is None) != (row is None):
            continue
        # An opening step is checked against the track's existing row where there can be only one.
        checked = web.find_row(case, None) if row is None and not web.needs_row_id else row
        if refusal(case, current_user, act, checked) is None:
            found.append((act, web.step_url(case, spec, row)))
    return found
