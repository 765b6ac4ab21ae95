"""Admin pages for the deadlines: the holiday calendar (with CSV import) and the deadline rules."""

import re
from datetime import date

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disputes import clock, jobs, policy
from disputes.admin import bp
from disputes.admin.sla_forms import (
    KIND_LABELS,
    CalendarDayEditForm,
    CalendarDayForm,
    CalendarImportForm,
    CalendarYearForm,
    RetryRecomputeForm,
    RuleForm,
)
from disputes.administration import settings
from disputes.auth.guards import requires
from disputes.extensions import db
from disputes.i18n import DomainError
from disputes.labels import label
from disputes.models.sla import CalendarDay, CalendarRecompute, CalendarYear
from disputes.models.user import User
from disputes.sla import calendar_admin, recompute_job, rules
from disputes.sla.calendar import statutory_holidays
from disputes.sla.calendar_store import running_out
from disputes.sla.compute import PERIOD_MESSAGES
from disputes.sla.states import PeriodUnit
from disputes.web import unit_of_work
from disputes.web.formats import rule_title
from disputes.web.messages import attach_error, translate_error
from disputes.workflow.states import CourtProcedure

MIN_YEAR, MAX_YEAR = 2000, 2100

# --- the calendar -----------------------------------------------------------------------


def _recompute_later(first: date, last: date, change: str):
    """Record the background recomputation of the timers the committed change may move, start it (a worker;
    without a broker, now) and show its page (issue 18: not inside this request when a worker runs)."""
    job = calendar_admin.queue_recompute(db.session, first, last, change, current_user)
    unit_of_work.commit_now("the recompute job reads the changed calendar and its own row in its own session")
    job_id = job.id
    jobs.enqueue_calendar_recompute(job_id)
    return redirect(url_for("admin.calendar_recompute", job_id=job_id))


@bp.route("/calendar/recomputes/<int:job_id>")
@requires(policy.can_administer)
def calendar_recompute(job_id: int):
    if recompute_job.expire_stalled(db.session):
        unit_of_work.commit_now("jobs whose worker stopped are shown failed, with their retry, on this read-only page")
    db.session.expire_all()  # an inline run wrote through its own session
    job = db.session.get(CalendarRecompute, job_id) or abort(404)
    return render_template("admin/calendar_recompute.html", job=job, retry_form=RetryRecomputeForm())


@bp.route("/calendar/recomputes/<int:job_id>/retry", methods=["POST"])
@requires(policy.can_administer)
def calendar_recompute_retry(job_id: int):
    """Queue a failed job again (its worker died, or it raised): recomputing is idempotent."""
    db.session.get(CalendarRecompute, job_id) or abort(404)
    if not RetryRecomputeForm().validate_on_submit():
        abort(400)
    if not recompute_job.retry(db.session, job_id):
        flash(_("Only a failed recomputation can be run again."), "error")
        return redirect(url_for("admin.calendar_recompute", job_id=job_id))
    unit_of_work.commit_now("the worker claims the queued job in its own session")
    jobs.enqueue_calendar_recompute(job_id)
    return redirect(url_for("admin.calendar_recompute", job_id=job_id))


@bp.route("/calendar")
@requires(policy.can_administer)
def calendar():
    year = request.args.get("year", type=int) or clock.today_local().year
    if not MIN_YEAR <= year <= MAX_YEAR:
        abort(404)
    days = calendar_admin.year_days(db.session, year)
    on_record = db.session.get(CalendarYear, year)
    statutory = {} if on_record else statutory_holidays(year)  # rule 5: what a provisional year rests on
    return render_template(
        "admin/calendar.html",
        year=year,
        days=days,
        grids=calendar_admin.month_grids(year, days, statutory),
        on_record=on_record,
        statutory=statutory,
        ends=running_out(db.session),
        kind_labels=KIND_LABELS,
        year_form=CalendarYearForm(formdata=None, year=year),
    )


@bp.route("/calendar/new", methods=["GET", "POST"])
@requires(policy.can_administer)
def calendar_day_new():
    form = CalendarDayForm()
    if request.method == "GET" and request.args.get("day"):
        try:
            form.day.data = date.fromisoformat(request.args["day"])
        except ValueError:
            pass
    if form.validate_on_submit():
        try:
            row, _count = settings.add_calendar_day(
                db.session, current_user, form.day.data, form.kind.data, form.name.data, recompute=False
            )
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(_("%(day)s (%(name)s) added to the calendar.", day=row.day.isoformat(), name=row.name), "success")
            return _recompute_later(row.day, row.day, f"+ {row.day.isoformat()} {row.kind.value} {row.name}")
    return render_template("admin/calendar_day_form.html", form=form, row=None)


def _day_or_404(day: str) -> CalendarDay:
    try:
        key = date.fromisoformat(day)
    except ValueError:
        abort(404)
    return db.session.get(CalendarDay, key) or abort(404)


@bp.route("/calendar/<day>", methods=["GET", "POST"])
@requires(policy.can_administer)
def calendar_day_edit(day: str):
    row = _day_or_404(day)
    form = CalendarDayEditForm(obj=row)
    if request.method == "GET":
        form.kind.data = row.kind.value
    if form.validate_on_submit():
        try:
            before = row.kind
            settings.edit_calendar_day(db.session, current_user, row, form.kind.data, form.name.data, recompute=False)
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(_("%(day)s saved.", day=row.day.isoformat()), "success")
            if before == row.kind:  # only the name changed: no deadline moves
                return redirect(url_for("admin.calendar", year=row.day.year))
            return _recompute_later(row.day, row.day, f"= {row.day.isoformat()} {row.kind.value} {row.name}")
    return render_template(
        "admin/calendar_day_form.html", form=form, row=row, on_record=db.session.get(CalendarYear, row.day.year)
    )


@bp.route("/calendar/<day>/delete", methods=["POST"])
@requires(policy.can_administer)
def calendar_day_delete(day: str):
    row = _day_or_404(day)
    day, change = row.day, f"- {row.day.isoformat()} {row.kind.value} {row.name}"
    settings.delete_calendar_day(db.session, current_user, row, recompute=False)
    flash(_("%(day)s removed from the calendar.", day=day.isoformat()), "success")
    return _recompute_later(day, day, change)


@bp.route("/calendar/years", methods=["POST"])
@requires(policy.can_administer)
def calendar_year():
    form = CalendarYearForm()
    if not form.validate_on_submit():
        flash(_("Give a year between %(min)s and %(max)s.", min=MIN_YEAR, max=MAX_YEAR), "error")
        return redirect(url_for("admin.calendar"))
    try:
        settings.mark_year_complete(db.session, current_user, form.year.data, recompute=False)
    except DomainError as error:
        db.session.rollback()
        flash(translate_error(error), "error")
    else:
        flash(
            _("The calendar of %(year)s is on record: its deadlines are no longer provisional.", year=form.year.data),
            "success",
        )
        first, last = calendar_admin.year_span([form.year.data])
        return _recompute_later(first, last, f"{form.year.data} on record")
    return redirect(url_for("admin.calendar", year=form.year.data))


@bp.route("/calendar/import", methods=["GET", "POST"])
@requires(policy.can_administer)
def calendar_import():
    form = CalendarImportForm()
    if form.validate_on_submit():
        try:
            result = settings.import_calendar(db.session, current_user, form.file.data.read(), recompute=False)
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error, "file")
        else:
            years = ", ".join(str(y) for y in result.years)
            flash(
                _("%(num)s days imported for %(years)s; those years are on record.", num=result.days, years=years),
                "success",
            )
            first, last = calendar_admin.year_span(result.years)
            return _recompute_later(first, last, f"CSV {years}: {result.days} days")
    return render_template("admin/calendar_import.html", form=form)


# --- the rules --------------------------------------------------------------------------


def event_names(typed: str | None) -> list[str]:
    """Event names as typed: separated by commas (either width) or white space, each once, in order."""
    return list(dict.fromkeys(name for name in re.split(r"[\s,，]+", typed or "") if name))


def period_text(count: int, unit) -> str:
    unit = PeriodUnit(unit)
    if unit is PeriodUnit.REVERSE:
        return _("%(count)s days before the event", count=count)
    return _(PERIOD_MESSAGES[unit], count=count)


def variant_texts(rule) -> list[str]:
    texts = []
    for name, (count, unit) in (rule.variants or {}).items():
        shown = label(CourtProcedure(name)) if name in {p.value for p in CourtProcedure} else name
        texts.append(f"{shown}: {period_text(count, unit)}")
    return texts


HELPERS = {"rule_title": rule_title, "period_text": period_text, "variant_texts": variant_texts, "event": label}


@bp.route("/rules", endpoint="rules")
@requires(policy.can_administer)
def rules_list():
    current = sorted(rules.current_rules(db.session).values(), key=lambda r: r.rule_id)
    return render_template("admin/rules.html", rules=current, **HELPERS)


@bp.route("/rules/<rule_id>", methods=["GET", "POST"])
@requires(policy.can_administer)
def rule_edit(rule_id: str):
    rule = rules.current_rules(db.session).get(rule_id) or abort(404)
    form = RuleForm(obj=rule)
    if request.method == "GET":
        form.unit.data = rule.unit.value
        for name in rules.EVENT_FIELDS:
            getattr(form, name).data = "\n".join(getattr(rule, name) or ())
    if form.validate_on_submit():
        changes = {
            name: getattr(form, name).data
            for name in (
                "title",
                "title_en",
                "period",
                "warning_days",
                "pausable",
                "max_extension_days",
                "legal_basis",
                "active",
            )
        }
        changes |= {"unit": PeriodUnit(form.unit.data), "note": (form.note.data or "").strip()}
        changes |= {name: event_names(getattr(form, name).data) for name in rules.EVENT_FIELDS}
        try:
            saved = settings.edit_rule(db.session, current_user, rule_id, **changes)
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            if saved is rule:
                flash(_("Nothing changed."), "info")
            else:
                flash(_("Rule %(rule)s saved as version %(version)s.", rule=rule_id, version=saved.version), "success")
            return redirect(url_for("admin.rule_edit", rule_id=rule_id))
    versions = rules.history(db.session, rule_id)
    ids = {v.created_by_id for v in versions if v.created_by_id}
    authors = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))} if ids else {}
    return render_template("admin/rule_form.html", form=form, rule=rule, versions=versions, authors=authors, **HELPERS)
