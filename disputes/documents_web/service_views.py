"""Service page of a case, receipts, the case file and the hearing day's batch (PDF downloads)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from disputes import clock, params, policy
from disputes.auth.guards import case_or_abort, requires
from disputes.documents import case_file, catalogue, compose, hearing_day, render
from disputes.documents import service as service_ops
from disputes.documents_web import service_bp as bp
from disputes.documents_web.service_forms import ServiceForm
from disputes.extensions import db
from disputes.i18n import DomainError
from disputes.labels import label
from disputes.models import DocumentService, IssuedDocument, PartyKind, ServiceMethod, Unit
from disputes.web.downloads import document_language, pdf_response
from disputes.web.messages import attach_error, translate_error
from disputes.web.steps import local_datetime
from disputes.workflow.actions import ConflictError

NOT_SERVED = frozenset({"arb_service_receipt"})  # the proof of service stays with the file


def _prepare(form: ServiceForm, case, documents) -> None:
    form.document_id.choices = [(d.id, f"{_(case_file.title_of(d.kind))} {d.number or ''}".strip()) for d in documents]
    form.party_id.choices = [(p.id, f"{p.name} ({label(p.side)})") for p in case.parties]
    officers = service_ops.serving_officers(db.session, case)
    if current_user not in officers:
        officers.insert(0, current_user)
    form.officer_id.choices = [(u.id, u.display_name) for u in officers]
    if form.officer_id.data is None:
        form.officer_id.data = current_user.id


def _defaults(form: ServiceForm, case, documents, services) -> None:
    """The time of service now; a document named in the URL (just issued from the case page) chosen, with every
    party (not an agent) it has not reached yet."""
    form.served_at.data = clock.to_local(clock.now_utc()).replace(tzinfo=None, second=0, microsecond=0)
    document_id = request.args.get("document", type=params.arg_id)
    if document_id is None or document_id not in {d.id for d in documents}:
        return
    served = {s.party_id for s in services if s.document_id == document_id}
    form.document_id.data = [document_id]
    form.party_id.data = [p.id for p in case.parties if p.kind != PartyKind.AGENT and p.id not in served]


@bp.route("/cases/<int:case_id>/service", methods=["GET", "POST"])
@requires(policy.can_read_cases)
def case_service(case_id: int):
    case = case_or_abort(case_id, policy.can_view_case)
    may_record = policy.can_record_service(current_user, case)
    if request.method == "POST" and not may_record:
        abort(403)
    documents = [d for d in case_file.documents(db.session, case) if d.kind not in NOT_SERVED]
    services = service_ops.services_of(db.session, case)
    form = ServiceForm() if may_record else None
    status = 200
    if form is not None:
        _prepare(form, case, documents)
        if request.method == "GET":
            form.version.data = str(case.version_id)
            _defaults(form, case, documents, services)
        elif form.is_stale(case):  # opened before another change, or sent without its version: shown again
            flash(translate_error(ConflictError()), "error")
            form.version.data = str(case.version_id)
            status = 409
        else:
            if form.validate_on_submit():
                try:
                    _record(case, form)
                    db.session.flush()  # a concurrent edit surfaces here, not in the request's commit
                except (ConflictError, StaleDataError):
                    db.session.rollback()
                    flash(translate_error(ConflictError()), "error")
                    form.version.data = str(case.version_id)
                    status = 409
                except DomainError as error:
                    db.session.rollback()
                    attach_error(form, error)
                    status = 400
                else:
                    flash(_("Service recorded."), "success")
                    return redirect(url_for("service.case_service", case_id=case.id))
            else:
                status = 400
    served = {(s.document_id, s.party_id): s for s in services}
    return render_template(
        "service/case.html",
        case=case,
        documents=documents,
        served=served,
        form=form,
        services=services,
        may_build=policy.can_build_case_file(current_user, case),
        title_of=case_file.title_of,
        deemed_on=service_ops.deemed_on,
    ), status


def _record(case, form: ServiceForm) -> list[DocumentService]:
    chosen = set(form.document_id.data or ())
    found = db.session.scalars(sa.select(IssuedDocument).where(IssuedDocument.id.in_(chosen))) if chosen else ()
    documents = [d for d in found if d.case_id == case.id]
    parties = [p for p in case.parties if p.id in set(form.party_id.data or ())]
    if len(documents) != len(chosen) or not parties:
        raise DomainError("Choose a document and a party of this case.", field="document_id")
    data = service_ops.ServiceInput(
        method=ServiceMethod(form.method.data),
        served_at=local_datetime(form.served_at.data),
        place=form.place.data or "",
        tracking_number=form.tracking_number.data or "",
        address=form.address.data or "",
        published_on=form.published_on.data,
        publication=form.publication.data or "",
        recipient=form.recipient.data or "",
        refusal_note=form.refusal_note.data or "",
        officer_id=form.officer_id.data,
    )
    return service_ops.record_services(db.session, case, current_user, documents, parties, data)


@bp.route("/cases/<int:case_id>/service/<int:service_id>/receipt.pdf")
@requires(policy.can_read_cases)
def receipt(case_id: int, service_id: int):
    case = case_or_abort(case_id, policy.can_read_documents)  # a document like the others: one rule for all
    service = db.session.get(DocumentService, service_id)
    if service is None or service.case_id != case.id:
        abort(404)
    kind = catalogue.kind("arb_service_receipt")
    subject = compose.find_subject(db.session, case, kind, str(service.id))
    html = render.render_html(
        kind.template_name,
        compose.context(db.session, case, kind, subject, preview=False, masked=True),
        document_language(),
    )
    return pdf_response(render.html_to_pdf(html), f"service-receipt-{service.id}.pdf")


@bp.route("/cases/<int:case_id>/case-file.pdf")
@requires(policy.can_read_cases)
def case_file_pdf(case_id: int):
    case = case_or_abort(case_id, policy.can_build_case_file)
    if not case_file.documents(db.session, case):
        flash(_("No document has been issued for this case yet."), "error")
        return redirect(url_for("service.case_service", case_id=case.id))
    pdf, _parts = case_file.build(db.session, case, document_language())
    return pdf_response(pdf, f"case-file-{case.id}.pdf")


@bp.route("/arbitration/hearing-day/<day>")
@requires(policy.can_print_hearing_day)
def hearing_day_pdf(day: str):
    try:
        chosen = params.parse_date(day)
    except ValueError:
        abort(404)
    unit = db.session.get(Unit, request.args.get("unit", type=params.arg_id) or current_user.unit_id)
    if unit is None or not unit.path.startswith(current_user.unit.path):
        unit = current_user.unit
    pdf, _made = hearing_day.build(db.session, chosen, unit, document_language(), scope=policy.case_scope(current_user))
    return pdf_response(pdf, f"hearings-{chosen.isoformat()}.pdf")
