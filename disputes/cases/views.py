import hashlib
import json
from datetime import date

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from disputes import case_list, clock, params, policy
from disputes.auth.guards import case_or_abort, requires
from disputes.cases import allocation_views, bp, transfer_views
from disputes.cases.forms import ALL_WORKERS, FIRST_OF_SIDE, FlagsForm, IntakeForm, LimitationForm, RevealForm
from disputes.cases.page import build_case_page
from disputes.extensions import db
from disputes.i18n import DomainError
from disputes.labels import choices
from disputes.models import (
    ClaimCategory,
    PartyKind,
    PartySide,
    Role,
    Unit,
    User,
    UserRole,
)
from disputes.organisation import unit_tree
from disputes.sla import limitation
from disputes.web import submissions
from disputes.web.formats import unit_name
from disputes.web.messages import attach_error, translate_error
from disputes.web.steps import already_done
from disputes.workflow import intake, limitation_facts, routing
from disputes.workflow.actions import ConflictError
from disputes.workflow.intake import ClaimInput, IntakeInput, PartyInput
from disputes.workflow.states import CaseStage, CaseStatus


def _parse_date(value: str | None) -> date | None:
    try:
        return params.parse_date(value)
    except ValueError:
        return None


def _enum_arg(enum_cls, value):
    try:
        return enum_cls(value) if value else None
    except ValueError:
        return None


def filter_from_args(args) -> case_list.CaseFilter:
    return case_list.CaseFilter(
        q=args.get("q", "").strip()[:100],
        stage=_enum_arg(CaseStage, args.get("stage")),
        status=_enum_arg(CaseStatus, args.get("status")),
        unit_id=args.get("unit", type=params.arg_id),
        category=_enum_arg(ClaimCategory, args.get("category")),
        flags=[f for f in args.getlist("flag") if f in intake.FLAG_NAMES],
        registered_from=_parse_date(args.get("from")),
        registered_to=_parse_date(args.get("to")),
        holder_id=args.get("holder", type=params.arg_id),
        sort=args.get("sort", "newest") if args.get("sort") in case_list.SORTS else "newest",
        page=args.get("page", 1, type=params.arg_page),
        per_page=current_app.config["CASES_PER_PAGE"],
    )


@bp.route("/cases")
@requires(policy.can_read_cases)
def index():
    filters = filter_from_args(request.args)
    result = case_list.list_cases(
        db.session, policy.case_scope(current_user), filters, readers=policy.scope_readers(current_user)
    )
    tree = unit_tree(db.session)
    units = policy.visible_units(db.session, current_user, tree=tree)
    return render_template(
        "cases/index.html",
        result=result,
        filters=filters,
        units=units,
        stages=choices(CaseStage),
        statuses=choices(CaseStatus),
        categories=choices(ClaimCategory),
        first_of=case_list.first_of,
        PartyKind=PartyKind,
        holders=_holder_choices(units),
        bulk_form=allocation_views.bulk_form([u for u, _d in tree]),
    )


def _holder_choices(units: list[tuple[Unit, int]]) -> list[SelectChoice]:
    """The mediators and arbitrators of the units the user reads (`units`: `policy.visible_units`), for the 承办人
    filter."""
    unit_ids = [u.id for u, _d in units]
    staff = (
        db.session.scalars(
            sa.select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(User.unit_id.in_(unit_ids), UserRole.role.in_((Role.MEDIATOR, Role.ARBITRATOR)))
            .order_by(User.unit_id, User.id)
        )
        .unique()
        .all()
    )
    return [SelectChoice(u.id, u.display_name) for u in staff]


def _offer_represented(form: IntakeForm) -> None:
    """Each agent row may name the worker or employer it acts for, among the rows filled in (the review
    step shows their names); by default the first party of its side."""
    options = [SelectChoice(FIRST_OF_SIDE, _("The first party of its side"))]
    for key, side, rows in (
        ("applicant", _("Applicant"), form.filled("workers")),
        ("respondent", _("Respondent"), form.filled("employers")),
    ):
        options += [SelectChoice(f"{key}-{i}", f"{side}: {row.name.data}") for i, row in enumerate(rows)]
    for entry in form.agents:
        entry.form.represents.choices = options
    workers = [SelectChoice(ALL_WORKERS, _("All workers"))]
    workers += [SelectChoice(f"worker-{i}", row.name.data) for i, row in enumerate(form.filled("workers"))]
    for entry in form.claims:
        entry.form.worker.choices = workers


def _offer_route(form: IntakeForm, units: list[Unit]) -> None:
    """The destinations of the registering unit's district, the committees of the parties' streets and parks
    first (read from the addresses typed in)."""
    unit = next((u for u in units if u.id == form.unit_id.data), None) or current_user.unit
    workers = [w.address.data or "" for w in form.workers]
    employers = [e.address.data or "" for e in form.employers]
    found = routing.destinations(db.session, unit, workers, employers)
    form.destination.choices = allocation_views.destination_choices(found)


def _represented_index(value: str | None, workers: int, employers: int) -> int | None:
    """The index in the intake's parties (workers first, then employers) of an agent's chosen party;
    -1 for a row that is no longer there (the domain refuses it)."""
    side, _sep, number = (value or "").partition("-")
    if not number.isdigit() or side not in ("applicant", "respondent"):
        return None
    n = int(number)
    if n >= (workers if side == "applicant" else employers):
        return -1
    return n + (workers if side == "respondent" else 0)


def _claim_worker(value: str | None, workers: int) -> int | None:
    """The index in the intake's parties (workers first) of a claim's worker; -1 for a row no longer there."""
    _prefix, _sep, number = (value or "").partition("worker-")
    if not number.isdigit():
        return None
    return int(number) if int(number) < workers else -1


def _intake_from_form(form: IntakeForm) -> IntakeInput:
    parties = [
        PartyInput(
            side=PartySide.APPLICANT,
            kind=PartyKind.WORKER,
            name=w.name.data,
            sex=w.sex.data or None,
            birth_date=w.birth_date.data,
            id_number=w.id_number.data,
            phone=w.phone.data,
            address=w.address.data,
            migrant_worker=w.migrant_worker.data,
            is_representative=w.is_representative.data,
        )
        for w in form.filled("workers")
    ]
    workers = len(parties)
    parties += [
        PartyInput(
            side=PartySide.RESPONDENT,
            kind=PartyKind.EMPLOYER,
            name=e.name.data,
            credit_code=e.credit_code.data,
            legal_representative=e.legal_representative.data,
            phone=e.phone.data,
            address=e.address.data,
        )
        for e in form.filled("employers")
    ]
    employers = len(parties) - workers
    parties += [
        PartyInput(
            side=PartySide(a.side.data),
            kind=PartyKind.AGENT,
            name=a.name.data,
            capacity=a.capacity.data,
            id_number=a.id_number.data,
            phone=a.phone.data,
            address=a.address.data,
            represents=_represented_index(a.represents.data, workers, employers),
        )
        for a in form.filled("agents")
    ]
    claims = [
        ClaimInput(
            category=ClaimCategory(c.category.data),
            amount=c.amount.data,
            description=c.description.data or "",
            worker=_claim_worker(c.worker.data, workers),
        )
        for c in form.filled("claims")
    ]
    still_employed, ended_on = form.employment_value()
    return IntakeInput(
        unit_id=form.unit_id.data,
        cause=form.cause.data,
        parties=parties,
        claims=claims,
        registered_on=form.registered_on.data,
        dispute_known_on=form.dispute_known_on.data,
        facts=form.facts.data or "",
        worker_count=form.worker_count.data,
        still_employed=still_employed,
        employment_ended_on=ended_on,
        limitation_events=form.limitation_values(),
    )


def _fingerprint(flags: dict, warnings: list) -> str:
    data = json.dumps(
        [flags, [(w.code, w.params, [(d.code, d.params) for d in w.details]) for w in warnings]],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def _intake_error(form: IntakeForm, error: DomainError) -> None:
    """A refusal from the domain, shown on the form, which goes back to the checking step."""
    attach_error(form, error)
    form.step.data = "check"
    form.reviewed.data = ""


@bp.route("/cases/new", methods=["GET", "POST"])
@requires(policy.can_register_cases)
def new():
    units = policy.registration_units(current_user, [u for u, _d in unit_tree(db.session)])
    form = IntakeForm()
    form.unit_id.choices = [SelectChoice(u.id, unit_name(u)) for u in units]
    _offer_route(form, units)
    _offer_represented(form)
    if request.method == "GET":
        form.registered_on.data = clock.today_local()
        if any(u.id == current_user.unit_id for u in units):
            form.unit_id.data = current_user.unit_id
    elif done := already_done(form.submission.data):  # a double-click on "Register": the case it registered
        return done
    token = form.submission.data
    if not submissions.is_token(token):
        form.submission.data = submissions.new_token()
    review = None
    if form.validate_on_submit():
        data = _intake_from_form(form)
        try:
            # The domain's own checks (e.g. a received date in the future) before the review, not after.
            intake.validate(data, clock.today_local())
        except DomainError as error:
            _intake_error(form, error)
            return render_template("cases/new.html", form=form, review=None)
        derived = intake.derive_flags(data, session=db.session)
        warnings = intake.intake_warnings(db.session, data)
        fingerprint = _fingerprint(derived, warnings)
        confirmed = form.step.data == "confirm" and form.reviewed.data == fingerprint
        if confirmed and not submissions.is_token(token):
            flash(_("This form was sent incomplete: check the entries and register again."), "error")
            confirmed = False
        if confirmed and not submissions.claim(db.session, token, current_user):
            return already_done(token) or redirect(url_for("cases.index"))
        if confirmed:
            data.flags = {name: getattr(form, name).data for name in intake.FLAG_NAMES}
            routed = None
            try:
                case = intake.register_case(db.session, current_user, data)
                chosen, unit_id = routing.parse_destination(form.destination.data)
                if chosen is not None:  # registration ends with the route (issue 16), else the case waits for one
                    routed = routing.route_case(
                        db.session,
                        case,
                        current_user,
                        chosen,
                        unit_id,
                        language=form.route_language.data,
                        note=form.route_note.data or "",
                        on=case.registered_on,
                    )
                submissions.record(db.session, token, url_for("cases.detail", case_id=case.id))
            except DomainError as error:
                db.session.rollback()
                _intake_error(form, error)
            else:
                flash(_("Case %(no)s registered.", no=case.registry_no), "success")
                if routed is not None:
                    allocation_views.flash_routed(routed)
                return redirect(url_for("cases.detail", case_id=case.id))
        elif form.step.data == "confirm" and (done := already_done(token)):
            return done  # the same form registered a moment ago (its case now shows as a possible duplicate)
        else:
            for name, value in derived.items():
                getattr(form, name).data = value
            form.step.data = "confirm"
            form.reviewed.data = fingerprint
            review = {"flags": derived, "warnings": warnings}
    elif request.method == "POST":
        form.step.data = "check"
    return render_template("cases/new.html", form=form, review=review)


def _limitation_form(case) -> LimitationForm:
    """The case page's limitation form as recorded, with one blank row to add an interruption or suspension."""
    rows = [
        {"kind": e.kind.value, "start_on": e.start_on, "end_on": e.end_on, "note": e.note}
        for e in case.limitation_events
    ]
    employment = "ongoing" if case.still_employed else "ended" if case.employment_ended_on else ""
    return LimitationForm(
        formdata=None,
        data={
            "dispute_known_on": case.dispute_known_on,
            "employment": employment,
            "employment_ended_on": case.employment_ended_on,
            "limitation_events": [*rows, {}],
        },
    )


def render_detail(case, status=200, route_form=None, assign_form=None, conflict_form=None):
    """The case page again with one of the allocation card's forms and its errors."""
    return _render_detail(
        case,
        status=status,
        allocation_forms={"route_form": route_form, "assign_form": assign_form, "conflict_form": conflict_form},
    )


def _render_detail(
    case, revealed=None, reveal_form=None, flags_form=None, limitation_form=None, status=200, allocation_forms=None
):
    page = build_case_page(db.session, case, current_user, request.args.get("tab", "case"))
    case = page.case
    if flags_form is None:
        flags_form = FlagsForm(formdata=None, obj=case)
        flags_form.version.data = str(case.version_id)
    assessment = limitation.assess_case(case, db.session)
    return render_template(
        "cases/detail.html",
        page=page,
        case=case,
        revealed=revealed or {},
        reveal_form=reveal_form or RevealForm(formdata=None),
        flags_form=flags_form,
        limitation_form=limitation_form or _limitation_form(case),
        assessment=assessment,
        limitation_warning=intake.limitation_warning(assessment, case.registered_on),
        PartySide=PartySide,
        **allocation_views.allocation_context(case, **(allocation_forms or {})),
        **transfer_views.panels(case),
    ), status


@bp.route("/cases/<int:case_id>")
@requires(policy.can_read_cases)
def detail(case_id: int):
    case = case_or_abort(case_id, policy.can_view_case)
    return _render_detail(case)


@bp.route("/cases/<int:case_id>/reveal", methods=["POST"])
@requires(policy.can_read_cases)
def reveal(case_id: int):
    case = case_or_abort(case_id, policy.can_reveal_ids)
    form = RevealForm()
    if not form.validate_on_submit():
        return _render_detail(case, reveal_form=form, status=400)
    revealed = intake.reveal_ids(db.session, current_user, case, form.reason.data)
    return _render_detail(case, revealed=revealed)


@bp.route("/cases/<int:case_id>/flags", methods=["POST"])
@requires(policy.can_register_cases)
def flags(case_id: int):
    case = case_or_abort(case_id, policy.can_edit_parties)
    form = FlagsForm()
    if form.is_stale(case):  # opened before another change, or sent without its version: shown again, not saved
        flash(translate_error(ConflictError()), "error")
        form.version.data = str(case.version_id)
        return _render_detail(case, flags_form=form, status=409)
    if not form.validate_on_submit():
        return _render_detail(case, flags_form=form, status=400)
    try:
        intake.update_flags(
            db.session,
            current_user,
            case,
            {name: getattr(form, name).data for name in intake.FLAG_NAMES},
            form.reason.data,
        )
        db.session.flush()  # a concurrent edit surfaces here, not in the request's commit
    except sa.orm.exc.StaleDataError:
        db.session.rollback()
        flash(translate_error(ConflictError()), "error")
        return redirect(url_for("cases.detail", case_id=case_id))
    flash(_("Flags updated."), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


@bp.route("/cases/<int:case_id>/limitation", methods=["POST"])
@requires(policy.can_register_cases)
def limitation_edit(case_id: int):
    """The limitation facts (Law Art 27) edited on the case page; the timer and the flag follow."""
    case = case_or_abort(case_id, policy.can_edit_parties)
    form = LimitationForm()
    if not form.validate_on_submit():
        return _render_detail(case, limitation_form=form, status=400)
    still_employed, ended_on = form.employment_value()
    data = limitation_facts.LimitationInput(
        form.dispute_known_on.data, still_employed, ended_on, form.limitation_values()
    )
    try:
        changed = limitation_facts.update_limitation(db.session, current_user, case, data, form.reason.data)
        db.session.flush()  # a concurrent edit surfaces here, not in the request's commit
    except DomainError as error:
        db.session.rollback()
        attach_error(form, error)
        return _render_detail(case, limitation_form=form, status=400)
    except sa.orm.exc.StaleDataError:
        db.session.rollback()
        flash(_("Someone else changed this case meanwhile; nothing was saved. Please try again."), "error")
        return redirect(url_for("cases.detail", case_id=case_id))
    flash(_("Limitation facts saved.") if changed else _("Nothing changed."), "success" if changed else "info")
    return redirect(url_for("cases.detail", case_id=case.id, _anchor="limitation"))


@bp.app_template_global()
def can(question: str, *args) -> bool:
    check = getattr(policy, question, None)
    if check is None or not question.startswith("can_"):
        abort(500)
    return check(current_user, *args)
