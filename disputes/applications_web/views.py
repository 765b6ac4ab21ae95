from __future__ import annotations

import io

import sqlalchemy as sa
from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from disputes import clock, messaging, policy
from disputes.applications_web import bp
from disputes.auth.guards import requires
from disputes.extensions import db
from disputes.i18n import DomainError
from disputes.models import ApplicationUpload, OnlineApplication, OutboundMessage, Unit
from disputes.models.enums import ApplicationStatus
from disputes.portal import filing, notify, upload_folder, uploads
from disputes.web.fields import AppForm
from disputes.web.messages import translate_error
from disputes.workflow import intake


class DecisionForm(AppForm):
    action = SelectField(
        _l("Decision"),
        choices=[("accept", "accept"), ("correction", "correction"), ("refuse", "refuse")],
    )
    reason = TextAreaField(_l("Reason, for the applicant"), validators=[Optional(), Length(max=2000)])


class ResendForm(AppForm):
    pass


def _scope() -> list[int]:
    units = list(db.session.scalars(sa.select(Unit)))
    return [u.id for u in policy.registration_units(current_user, units)]


def _application(application_id: int) -> OnlineApplication:
    application = db.session.get(OnlineApplication, application_id)
    if application is None:
        abort(404)
    if not policy.can_check_application(current_user, application):
        abort(403)
    return application


@bp.route("/applications")
@requires(policy.can_check_applications)
def queue():
    query = (
        sa.select(OnlineApplication)
        .where(OnlineApplication.unit_id.in_(_scope()))
        .order_by(OnlineApplication.status != ApplicationStatus.SUBMITTED, OnlineApplication.submitted_at)
    )
    return render_template("applications/queue.html", applications=list(db.session.scalars(query)))


@bp.route("/applications/<int:application_id>", methods=["GET", "POST"])
@requires(policy.can_check_applications)
def detail(application_id: int):
    application = _application(application_id)
    form = DecisionForm()
    form.action.choices = [
        ("accept", _("Accept")),
        ("correction", _("Ask for corrections")),
        ("refuse", _("Do not accept")),
    ]
    if form.validate_on_submit():
        try:
            if form.action.data == "accept":
                case = filing.accept(db.session, current_user, application)
                flash(_("Accepted as case %(no)s.", no=case.registry_no), "success")
            elif form.action.data == "correction":
                filing.ask_correction(db.session, current_user, application, form.reason.data)
                flash(_("The applicant is asked for more."), "success")
            else:
                filing.refuse(db.session, current_user, application, form.reason.data)
                flash(_("The application is not accepted."), "success")
        except DomainError as error:
            form.reason.errors.append(translate_error(error))
        else:
            notify.application_decided(db.session, application)
            if application.case_id:
                return redirect(url_for("cases.detail", case_id=application.case_id))
            return redirect(url_for("applications.queue"))
    warnings = []
    if application.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.CORRECTION):
        try:
            warnings = intake.intake_warnings(db.session, filing.intake_input(application, clock.today_local()))
        except (DomainError, ValueError, KeyError):
            warnings = []
    return render_template(
        "applications/detail.html",
        application=application,
        form=form,
        warnings=warnings,
        tally=filing.tally(application),
        elected=filing.elected_ids(application),
    )


@bp.route("/applications/<int:application_id>/uploads/<int:upload_id>")
@requires(policy.can_check_applications)
def upload(application_id: int, upload_id: int):
    application = _application(application_id)
    found = db.session.get(ApplicationUpload, upload_id)
    if found is None or found.application_id != application.id:
        abort(404)
    data = uploads.read(db.session, upload_folder(), found.stored_name, found.sha256, f"application upload {found.id}")
    return send_file(io.BytesIO(data), mimetype=found.content_type, as_attachment=True, download_name=found.filename)


@bp.route("/messages/failed")
@requires(policy.can_resend_messages)
def failed_messages():
    return render_template("applications/failed.html", messages=messaging.failed(db.session), form=ResendForm())


@bp.route("/messages/<int:message_id>/resend", methods=["POST"])
@requires(policy.can_resend_messages)
def resend(message_id: int):
    message = db.session.get(OutboundMessage, message_id)
    if message is None:
        abort(404)
    if ResendForm().validate_on_submit():
        if messaging.resend(db.session, message):
            flash(_("The message has been sent again."), "success")
        else:
            flash(_("The message failed again: serve the party another way."), "error")
    return redirect(url_for("applications.failed_messages"))


class EServiceForm(AppForm):
    document_id = SelectField(_l("Document"), coerce=int)
    party_id = SelectField(_l("Party"), coerce=int)


class PaperConsentForm(AppForm):
    party_id = SelectField(_l("Party"), coerce=int)
    address = StringField(_l("Mobile number or e-mail address"), validators=[DataRequired(), Length(max=200)])


def _eservice_page(case, send_form=None, consent_form=None, status=200):
    from disputes.documents.case_file import documents, title_of
    from disputes.models import ElectronicService
    from disputes.portal import eservice

    parties = [p for p in case.parties if not p.is_agent]
    docs = documents(db.session, case)
    send_form = send_form or EServiceForm(formdata=None)
    consent_form = consent_form or PaperConsentForm(formdata=None)
    send_form.document_id.choices = [(d.id, f"{_(title_of(d.kind))} {d.number or ''}") for d in docs]
    send_form.party_id.choices = [(p.id, p.name) for p in parties]
    consent_form.party_id.choices = send_form.party_id.choices
    sent = list(
        db.session.scalars(
            sa.select(ElectronicService)
            .where(ElectronicService.case_id == case.id)
            .order_by(ElectronicService.sent_at.desc())
        )
    )
    return render_template(
        "applications/eservice.html",
        case=case,
        parties=parties,
        consents={p.id: eservice.consent_of(db.session, p) for p in parties},
        sent=sent,
        titles={d.id: title_of(d.kind) for d in docs},
        names={p.id: p.name for p in case.parties},
        send_form=send_form,
        consent_form=consent_form,
    ), status


@bp.route("/cases/<int:case_id>/e-service")
@requires(policy.can_read_cases)
def eservice_page(case_id: int):
    from disputes.auth.guards import case_or_abort

    return _eservice_page(case_or_abort(case_id, policy.can_record_service))


@bp.route("/cases/<int:case_id>/e-service/send", methods=["POST"])
@requires(policy.can_read_cases)
def eservice_send(case_id: int):
    from disputes.auth.guards import case_or_abort
    from disputes.documents.case_file import title_of
    from disputes.models import IssuedDocument, Party
    from disputes.portal import eservice

    case = case_or_abort(case_id, policy.can_record_service)
    form = EServiceForm()
    page = _eservice_page(case, send_form=form)  # fills the choices the form validates against
    if not form.validate_on_submit():
        return page[0]
    document, party = db.session.get(IssuedDocument, form.document_id.data), db.session.get(Party, form.party_id.data)
    try:
        e_service = eservice.send(
            db.session,
            current_user,
            document,
            party,
            link_for=None,
            awards_allowed=current_app.config.get("ESERVICE_AWARDS", False),
        )
        message = notify.document_link(db.session, e_service, _(title_of(document.kind)))
    except DomainError as error:
        form.party_id.errors.append(translate_error(error))
        return _eservice_page(case, send_form=form)[0]
    if message.status.value == "failed":
        flash(_("The link could not be sent: see the failed deliveries."), "error")
    else:
        flash(_("The link has been sent to %(address)s.", address=e_service.address), "success")
    return redirect(url_for("applications.eservice_page", case_id=case.id))


@bp.route("/cases/<int:case_id>/e-service/consent", methods=["POST"])
@requires(policy.can_read_cases)
def eservice_consent(case_id: int):
    from disputes.auth.guards import case_or_abort
    from disputes.models import Party
    from disputes.portal import eservice

    case = case_or_abort(case_id, policy.can_record_service)
    form = PaperConsentForm()
    _eservice_page(case, consent_form=form)
    if not form.validate_on_submit():
        return _eservice_page(case, consent_form=form)[0]
    party = db.session.get(Party, form.party_id.data)
    try:
        eservice.sign_consent(db.session, party, form.address.data, via="paper", actor=current_user)
    except DomainError as error:
        form.address.errors.append(translate_error(error))
        return _eservice_page(case, consent_form=form)[0]
    flash(_("The paper consent has been recorded."), "success")
    return redirect(url_for("applications.eservice_page", case_id=case.id))
