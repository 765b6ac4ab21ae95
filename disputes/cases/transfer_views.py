"""Transfers between units and bodies (the receiving unit's queue, the case page's transfer panel), a court's
delegated mediation, and linked groups (the case page's links panel, and the joint hearing, service and closure)."""

from datetime import datetime

import sqlalchemy as sa
from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from disputes import clock, policy
from disputes.auth.guards import case_or_abort, requires
from disputes.cases import bp
from disputes.cases.transfer_forms import (
    GROUP_CLOSURES,
    SERVICE_METHODS,
    AcceptTransferForm,
    DelegationForm,
    DelegationReturnForm,
    GroupClosureForm,
    GroupHearingForm,
    GroupServiceForm,
    LinkForm,
    ReturnTransferForm,
    TransferForm,
    UnlinkForm,
)
from disputes.documents import catalogue
from disputes.documents.service import ServiceInput
from disputes.extensions import db
from disputes.i18n import DomainError
from disputes.labels import LABELS, label
from disputes.models import Case, CaseTransfer, HearingRoom, Role, ServiceMethod, TransferStatus, TransferTrack, Unit
from disputes.web.formats import unit_name
from disputes.web.messages import translate_error
from disputes.web.steps import local_datetime
from disputes.workflow import links, transfers
from disputes.workflow.states import ClosureType


def _back(case: Case, anchor: str):
    return redirect(url_for("cases.detail", case_id=case.id, _anchor=anchor))


def _refuse(form, error: DomainError | None = None) -> None:
    """A refused post: the domain's reason, else the form's first error, flashed above the panel."""
    if error is not None:
        flash(translate_error(error), "error")
        return
    for name, errors in form.errors.items():
        field = form._fields.get(name)
        flash(f"{field.label.text if field else name}: {errors[0]}", "error")
        return


# --- Transfers ---------------------------------------------------------------------------------------------------


def _tracks(case: Case) -> list[TransferTrack]:
    return [t for t in TransferTrack if transfers.can_send(current_user, case, t)]


def transfer_form(case: Case, posted: bool = False) -> TransferForm | None:
    tracks = [t for t in _tracks(case) if transfers.track_row(case, t).state in transfers.MOVABLE[t]]
    if not tracks:
        return None
    form = TransferForm() if posted else TransferForm(formdata=None)
    form.track.choices = [SelectChoice(t.value, label(t)) for t in tracks]
    options = []
    for track in tracks:
        for unit in transfers.destinations(db.session, case, track):
            options.append(SelectChoice(unit.id, f"{label(track)} → {unit_name(unit)}"))
    form.to_unit_id.choices = [SelectChoice("", "—"), *options]
    return form


def _answer_forms() -> tuple[AcceptTransferForm, ReturnTransferForm]:
    return AcceptTransferForm(formdata=None), ReturnTransferForm(formdata=None)


def transfer_context(case: Case) -> dict:
    """What the case page's transfer panel shows and offers (templates/cases/_transfers.html)."""
    rows = transfers.history(db.session, case)
    answerable = [t for t in rows if t.status == TransferStatus.PENDING and transfers.can_receive(current_user, t)]
    delegation = case.delegation if case.mediation is not None else None
    can_mediation = transfers.can_send(current_user, case, TransferTrack.MEDIATION)
    return {
        "transfers": rows,
        "transfer_form": transfer_form(case),
        "answer_forms": {t.id: _answer_forms() for t in answerable},
        "delegation": delegation,
        "delegation_form": DelegationForm(formdata=None)
        if can_mediation and case.mediation is not None and delegation is None
        else None,
        "delegation_return_form": DelegationReturnForm(formdata=None)
        if can_mediation and delegation is not None and delegation.result is None
        else None,
    }


@bp.route("/cases/<int:case_id>/transfer", methods=["POST"])
@requires(policy.can_read_cases)
def request_transfer(case_id: int):
    case = case_or_abort(case_id, policy.can_view_case)
    form = transfer_form(case, posted=True) if _tracks(case) else None
    if form is None:
        abort(403)
    if not form.validate_on_submit():
        _refuse(form)
        return _back(case, "transfers")
    unit = db.session.get(Unit, form.to_unit_id.data)
    try:
        transfer = transfers.request(db.session, case, current_user, form.track.data, unit, form.reason.data)
    except DomainError as error:
        db.session.rollback()
        _refuse(form, error)
        return _back(case, "transfers")
    where = unit_name(transfer.to_unit)
    flash(_("Transfer to %(unit)s requested: it waits for their acceptance.", unit=where), "success")
    return _back(case, "transfers")


def _transfer_or_abort(transfer_id: int) -> CaseTransfer:
    transfer = db.session.get(CaseTransfer, transfer_id)
    if transfer is None:
        abort(404)
    if not transfers.can_receive(current_user, transfer):
        abort(403)
    return transfer


def _after_answer(transfer: CaseTransfer):
    """Back to the case when the user reads it now, else to the queue."""
    if policy.can_view_case(current_user, transfer.case):
        return _back(transfer.case, "transfers")
    return redirect(url_for("cases.transfer_queue"))


@bp.route("/transfers/<int:transfer_id>/accept", methods=["POST"])
@requires(policy.can_read_cases)
def accept_transfer(transfer_id: int):
    transfer = _transfer_or_abort(transfer_id)
    form = AcceptTransferForm()
    if not form.validate_on_submit():
        _refuse(form)
        return redirect(url_for("cases.transfer_queue"))
    try:
        given = transfers.accept(db.session, transfer, current_user, form.received_on.data)
    except DomainError as error:
        db.session.rollback()
        _refuse(form, error)
        return redirect(url_for("cases.transfer_queue"))
    if given is not None:
        flash(_("Accepted; given to %(name)s.", name=given.user.display_name), "success")
    else:
        flash(_("Accepted; nobody was given it yet: assign it by hand."), "warning")
    return _after_answer(transfer)


@bp.route("/transfers/<int:transfer_id>/return", methods=["POST"])
@requires(policy.can_read_cases)
def return_transfer(transfer_id: int):
    transfer = _transfer_or_abort(transfer_id)
    form = ReturnTransferForm()
    if not form.validate_on_submit():
        _refuse(form)
        return redirect(url_for("cases.transfer_queue"))
    try:
        transfers.return_transfer(db.session, transfer, current_user, form.return_reason.data)
    except DomainError as error:
        db.session.rollback()
        _refuse(form, error)
        return redirect(url_for("cases.transfer_queue"))
    flash(_("Returned to %(unit)s with your reason.", unit=unit_name(transfer.from_unit)), "success")
    return redirect(url_for("cases.transfer_queue"))


def can_use_queue(user) -> bool:
    return policy.can_read_cases(user) and user.has_role(Role.SUPERVISOR, Role.CLERK, Role.MEDIATOR)


@bp.route("/transfers")
@requires(can_use_queue)
def transfer_queue():
    waiting = transfers.queue(db.session, current_user)
    return render_template(
        "cases/transfers.html",
        waiting=waiting,
        sent=transfers.sent(db.session, current_user),
        forms={t.id: _answer_forms() for t in waiting},
    )


@bp.app_context_processor
def transfer_globals():
    def pending_transfers() -> int:
        """One COUNT over the pending transfers (a partial index), run only when the navigation asks, and not when
        the page has listed them already ("my work": `g.pending_transfers`)."""
        if not (current_user.is_authenticated and can_use_queue(current_user)):
            return 0
        if "pending_transfers" in g:
            return g.pending_transfers
        return transfers.waiting_count(db.session, current_user)

    return {"pending_transfers": pending_transfers}


@bp.route("/cases/<int:case_id>/delegation", methods=["POST"])
@requires(policy.can_read_cases)
def record_delegation(case_id: int):
    case = case_or_abort(case_id, policy.can_view_case)
    if not transfers.can_send(current_user, case, TransferTrack.MEDIATION):
        abort(403)
    form = DelegationForm()
    if not form.validate_on_submit():
        _refuse(form)
        return _back(case, "transfers")
    try:
        transfers.record_delegation(
            db.session,
            case,
            current_user,
            kind=form.kind.data,
            court=form.court.data,
            court_reference=form.court_reference.data,
            received_on=form.received_on.data,
        )
    except DomainError as error:
        db.session.rollback()
        _refuse(form, error)
        return _back(case, "transfers")
    flash(_("Recorded as the court's delegated mediation."), "success")
    return _back(case, "transfers")


@bp.route("/cases/<int:case_id>/delegation/return", methods=["POST"])
@requires(policy.can_read_cases)
def return_delegation(case_id: int):
    case = case_or_abort(case_id, policy.can_view_case)
    if not transfers.can_send(current_user, case, TransferTrack.MEDIATION):
        abort(403)
    form = DelegationReturnForm()
    if not form.validate_on_submit():
        _refuse(form)
        return _back(case, "transfers")
    try:
        row = transfers.return_result(
            db.session,
            case,
            current_user,
            returned_on=form.returned_on.data,
            letter=form.letter.data or "",
            note=form.note.data or "",
        )
    except DomainError as error:
        db.session.rollback()
        _refuse(form, error)
        return _back(case, "transfers")
    flash(_("Result sent back to the court: %(result)s.", result=label(row.result)), "success")
    return _back(case, "transfers")


# --- Linked groups -----------------------------------------------------------------------------------------------


def _rooms(group) -> list[SelectChoice]:
    units = {c.arbitration.unit_id for c in links.members(group) if c.arbitration is not None}
    rooms = db.session.scalars(
        sa.select(HearingRoom)
        .where(HearingRoom.unit_id.in_(units), HearingRoom.active.is_(True))
        .order_by(HearingRoom.name)
    ).all()
    return [SelectChoice("", "—"), *[SelectChoice(r.id, r.name) for r in rooms]]


def _kind_title(kind_id: str) -> str:
    try:
        return _(catalogue.kind(kind_id).title)
    except KeyError:
        return kind_id


def group_forms(group, posted: bool = False) -> dict:
    data = {} if posted else {"formdata": None}
    hearing = GroupHearingForm(**data)
    hearing.room_id.choices = _rooms(group)
    service = GroupServiceForm(**data)
    service.kind.choices = [SelectChoice(k, _kind_title(k)) for k in links.document_kinds(db.session, group)]
    service.method.choices = [SelectChoice(m, LABELS[ServiceMethod][ServiceMethod(m)]) for m in SERVICE_METHODS]
    closure = GroupClosureForm(**data)
    closure.closure_type.choices = [SelectChoice(c.value, LABELS[ClosureType][c]) for c in GROUP_CLOSURES]
    return {"group_hearing_form": hearing, "group_service_form": service, "group_closure_form": closure}


def link_context(case: Case) -> dict:
    """What the case page's links panel shows and offers (templates/cases/_links.html)."""
    group = links.group_of(db.session, case)
    can = links.can_link(current_user, case)
    context = {
        "group": group,
        "group_cases": links.members(group),
        "link_suggestions": links.suggestions(db.session, current_user, case) if can else [],
        "link_form": LinkForm(formdata=None) if can else None,
        "unlink_form": UnlinkForm(formdata=None) if can and group is not None else None,
        "group_hearing_form": None,
        "group_service_form": None,
        "group_closure_form": None,
    }
    if can and group is not None:
        context.update(group_forms(group))
    return context


def panels(case: Case) -> dict:
    """The case page's transfer and links panels' data, in one call from the case page's view."""
    return {**transfer_context(case), **link_context(case)}


def _linkable(case_id: int) -> Case:
    case = case_or_abort(case_id, policy.can_view_case)
    if not links.can_link(current_user, case):
        abort(403)
    return case


@bp.route("/cases/<int:case_id>/links", methods=["POST"])
@requires(policy.can_read_cases)
def link_case(case_id: int):
    case = _linkable(case_id)
    form = LinkForm()
    if not form.validate_on_submit():
        _refuse(form)
        return _back(case, "links")
    other = db.session.scalar(sa.select(Case).where(Case.registry_no == form.registry_no.data.strip()))
    if other is not None and not policy.can_view_case(current_user, other):
        other = None  # a case the user cannot read is as good as none
    try:
        links.link(db.session, current_user, case, other, form.kind.data)
    except DomainError as error:
        db.session.rollback()
        _refuse(form, error)
        return _back(case, "links")
    flash(_("Linked with %(number)s.", number=other.registry_no), "success")
    return _back(case, "links")


@bp.route("/cases/<int:case_id>/links/remove", methods=["POST"])
@requires(policy.can_read_cases)
def unlink_case(case_id: int):
    case = _linkable(case_id)
    form = UnlinkForm()
    if not form.validate_on_submit():
        _refuse(form)
        return _back(case, "links")
    try:
        links.unlink(db.session, current_user, case)
    except DomainError as error:
        db.session.rollback()
        _refuse(form, error)
        return _back(case, "links")
    flash(_("Taken out of the group."), "success")
    return _back(case, "links")


def _group_or_abort(case: Case):
    group = links.group_of(db.session, case)
    if group is None:
        abort(404)
    return group


def _report(result: links.GroupResult, done_message: str) -> None:
    if result.done:
        flash(done_message % {"n": len(result.done)}, "success")
    for one, error in result.refused:
        flash(f"{one.registry_no}: {translate_error(error)}", "error")


@bp.route("/cases/<int:case_id>/group/hearing", methods=["POST"])
@requires(policy.can_read_cases)
def group_hearing(case_id: int):
    case = _linkable(case_id)
    group = _group_or_abort(case)
    form = group_forms(group, posted=True)["group_hearing_form"]
    if not form.validate_on_submit():
        _refuse(form)
        return _back(case, "links")
    try:
        result = links.schedule_together(
            db.session,
            current_user,
            group,
            starts_at=local_datetime(form.starts_at.data),
            ends_at=local_datetime(form.ends_at.data),
            room_id=form.room_id.data,
            online_link=form.online_link.data or "",
        )
    except DomainError as error:
        db.session.rollback()
        _refuse(form, error)
        return _back(case, "links")
    _report(result, _("Hearing scheduled in %(n)d cases."))
    return _back(case, "links")


@bp.route("/cases/<int:case_id>/group/service", methods=["POST"])
@requires(policy.can_read_cases)
def group_service(case_id: int):
    case = _linkable(case_id)
    group = _group_or_abort(case)
    form = group_forms(group, posted=True)["group_service_form"]
    if not form.validate_on_submit():
        _refuse(form)
        return _back(case, "links")
    served_at = local_datetime(form.served_at.data) if form.served_at.data else clock.now_utc()
    data = ServiceInput(
        method=ServiceMethod(form.method.data),
        served_at=served_at if isinstance(served_at, datetime) else None,
        recipient=form.recipient.data or "",
        tracking_number=form.tracking_number.data or "",
        address=form.address.data or "",
    )
    try:
        result = links.serve_together(
            db.session, current_user, group, kind=form.kind.data, side=form.side.data, data=data
        )
    except DomainError as error:
        db.session.rollback()
        _refuse(form, error)
        return _back(case, "links")
    _report(result, _("Service recorded in %(n)d cases."))
    return _back(case, "links")


@bp.route("/cases/<int:case_id>/group/closure", methods=["POST"])
@requires(policy.can_read_cases)
def group_closure(case_id: int):
    case = _linkable(case_id)
    group = _group_or_abort(case)
    form = group_forms(group, posted=True)["group_closure_form"]
    if not form.validate_on_submit():
        _refuse(form)
        return _back(case, "links")
    try:
        result = links.close_together(
            db.session,
            current_user,
            group,
            closure_type=form.closure_type.data,
            note=form.note.data,
            act_on=form.act_on.data,
        )
    except DomainError as error:
        db.session.rollback()
        _refuse(form, error)
        return _back(case, "links")
    _report(result, _("Closure asked for in %(n)d cases; each goes to its approval."))
    return _back(case, "links")
