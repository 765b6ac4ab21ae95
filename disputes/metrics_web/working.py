"""The supervisor's working reports: court outcomes (裁审衔接), workload, ageing — each count links to its rows,
each list downloads as CSV or XLSX."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from disputes import policy
from disputes.auth.guards import requires
from disputes.case_list import CasePage
from disputes.extensions import db
from disputes.labels import label
from disputes.metrics import casesets
from disputes.metrics_web import bp, export
from disputes.metrics_web.params import Choice, choice, period_args, scope_of
from disputes.models import Case, ClaimCategory, Unit, User
from disputes.params import arg_page
from disputes.web.downloads import table_response
from disputes.web.formats import unit_name
from disputes.workflow.states import SuspensionGround

PER_PAGE = 50
MAX_STALE_DAYS = 365

MEASURES = {
    "awards": _l("Awards closed"),
    "sued": _l("Taken to court"),
    "decided": _l("Decided by the court"),
    "different": _l("Changed or set aside"),
    "upheld": _l("Upheld in full"),
    "received": _l("Cases received"),
    "closed": _l("Arbitrations closed"),
    "by_award": _l("by award"),
    "by_statement": _l("by mediation statement"),
    "by_other": _l("otherwise"),
    "mediation_ended": _l("Mediations ended"),
    "mediation_agreement": _l("with agreement"),
    "sessions": _l("Mediation sessions held"),
    "hearings": _l("Hearings held"),
    "awards_written": _l("Awards written"),
    "awards_changed": _l("Awards changed or set aside in court"),
    "open": _l("Open cases"),
    "mediated": _l("Mediated"),
    "concluded": _l("Concluded"),
    "age_15": _l("≤ 15 days"),
    "age_30": _l("16–30 days"),
    "age_45": _l("31–45 days"),
    "age_60": _l("46–60 days"),
    "age_over": _l("> 60 days"),
    "stale": _l("No action"),
    "suspension": _l("Suspensions"),
    "extension": _l("Extensions"),
    "postponement": _l("Hearings postponed"),
}
RATES = {
    "suit_rate": _l("Suit rate after arbitration"),
    "changed_rate": _l("Changed or set aside rate"),
    "upheld_rate": _l("Upheld rate"),
    "mediation_rate": _l("Mediation rate"),
}
GROUPINGS = {
    "total": _l("All"),
    "arbitrator": _l("By arbitrator"),
    "category": _l("By dispute category"),
    "unit": _l("By unit"),
    "person": _l("By person"),
    "reason": _l("By reason"),
}
REPORT_TITLES = {
    "court": _l("Court outcomes"),
    "workload": _l("Workload"),
    "ageing": _l("Ageing of open cases"),
    "interruptions": _l("Suspensions, extensions and postponements"),
}


def _stale_days() -> int:
    days = request.args.get("stale", casesets.STALE_DAYS, type=int)
    if days is None or not 1 <= days <= MAX_STALE_DAYS:
        abort(400)
    return days


def build(name: str, c: Choice) -> casesets.Report:
    scope = scope_of(c)
    if name == "court":
        return casesets.court(db.session, scope, c.period, c.as_of)
    if name == "workload":
        return casesets.workload(db.session, scope, c.period, c.as_of)
    if name == "ageing":
        return casesets.ageing(db.session, scope, c.as_of, _stale_days())
    if name == "interruptions":
        return casesets.interruptions(db.session, scope, c.period)
    abort(404)


class Names:
    """Group keys as the reader reads them: people, units, categories, reasons."""

    def __init__(self, reports: list[casesets.Report]):
        people, units = set(), set()
        for report in reports:
            people |= {k for k in report.groups.get("person", {}) | report.groups.get("arbitrator", {}) if k}
            units |= {k for k in report.groups.get("unit", {}) if k}
        self.people = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(people)))}
        self.units = {u.id: u for u in db.session.scalars(sa.select(Unit).where(Unit.id.in_(units)))}

    def __call__(self, grouping: str, key) -> str:
        if grouping in ("person", "arbitrator"):
            return self.people[key].display_name if key in self.people else str(key)
        if grouping == "unit":
            return unit_name(self.units[key]) if key in self.units else str(key)
        if grouping == "category":
            return label(ClaimCategory(key)) if key in {c.value for c in ClaimCategory} else str(key)
        if grouping == "reason":
            kind, _sep, reason = str(key).partition(":")
            if kind == "suspension" and reason in {g.value for g in SuspensionGround}:
                reason = label(SuspensionGround(reason))
            return f"{MEASURES[kind]} · {reason or '—'}"
        return str(GROUPINGS["total"])


def _page(name: str, template: str, reports: list[casesets.Report], **extra):
    c = choice()
    units = policy.visible_units(db.session, current_user, whole_subtree=True)
    return render_template(
        template,
        c=c,
        report_name=name,
        reports=reports,
        names=Names(reports),
        measures=MEASURES,
        rates=RATES,
        groupings=GROUPINGS,
        titles=REPORT_TITLES,
        units=units,
        args=period_args(c),
        **extra,
    )


@bp.route("/reports/court")
@requires(policy.can_view_reports)
def court():
    c = choice()
    report = build("court", c)
    different = casesets.decided_differently(db.session, scope_of(c), c.period, c.as_of)
    return _page("court", "reports/court.html", [report], different=different)


@bp.route("/reports/workload")
@requires(policy.can_view_reports)
def workload():
    c = choice()
    return _page("workload", "reports/workload.html", [build("workload", c)])


@bp.route("/reports/ageing")
@requires(policy.can_view_reports)
def ageing():
    c = choice()
    return _page(
        "ageing",
        "reports/ageing.html",
        [build("ageing", c), build("interruptions", c)],
        stale=_stale_days(),
    )


def _listed(name: str):
    """The report, grouping, key and measure a list is asked for, and its rows in a stable order."""
    c = choice()
    report = build(name, c)
    grouping, measure = request.args.get("grouping", "total"), request.args.get("measure", "")
    if measure not in report.measures or grouping not in GROUPINGS:
        abort(404)
    wanted = request.args.get("key", "total")
    key = next((k for k in report.groups.get(grouping, {}) if str(k) == wanted), None)
    rows = sorted(report.rows(grouping, key, measure)) if key is not None else []
    return c, report, grouping, key, measure, rows


def _cases(rows) -> dict[int, Case]:
    ids = sorted({case_id for case_id, _what in rows})
    return {case.id: case for case in db.session.scalars(sa.select(Case).where(Case.id.in_(ids)))} if ids else {}


def counted_as(what: str) -> str:
    kind, _sep, number = what.partition("-")
    names = {
        "case": _("Case"),
        "arbitration": _("Arbitration"),
        "mediation": _("Mediation"),
        "session": _("Mediation session"),
        "hearing": _("Hearing"),
        "award": _("Award"),
        "suspension": _("Suspension"),
        "extension": _("Extension"),
    }
    return f"{names.get(kind, kind)} {number}".strip()


@bp.route("/reports/<any(court, workload, ageing, interruptions):name>/cases")
@requires(policy.can_view_reports)
def rows(name):
    c, report, grouping, key, measure, found = _listed(name)
    page = request.args.get("page", 1, type=arg_page)
    shown = found[(page - 1) * PER_PAGE : page * PER_PAGE]
    cases = _cases(shown)
    names = Names([report])
    return render_template(
        "reports/rows.html",
        c=c,
        name=name,
        title=REPORT_TITLES[name],
        measure=MEASURES[measure],
        measure_key=measure,
        group=names(grouping, key) if key is not None else "—",
        grouping=grouping,
        key=request.args.get("key", "total"),
        rows=[(cases[case_id], counted_as(what)) for case_id, what in shown if case_id in cases],
        page=CasePage(cases=[], total=len(found), capped=False, page=page, per_page=PER_PAGE),
        args=period_args(c),
        stale=request.args.get("stale"),
    )


@bp.route("/reports/<any(court, workload, ageing, interruptions):name>/cases.<any(csv, xlsx):fmt>")
@requires(policy.can_view_reports)
def rows_export(name, fmt):
    c, _report, grouping, key, measure, found = _listed(name)
    cases = _cases(found)
    lines = (export.case_row(cases[case_id], [counted_as(what)]) for case_id, what in found if case_id in cases)
    filename = f"{name}-{measure}-{grouping}-{key}-{c.period.start.isoformat()}-{c.period.end.isoformat()}"
    return table_response(export.headers([_("Counted as")]), lines, fmt, filename)
