"""The portal's pages. Anonymous: the start page, the filing flow and the case-query sign-in; a signed-in party
(a code proved their phone or e-mail) reads only the cases holding that address."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from disputes.extensions import db, limiter
from disputes.i18n import DomainError
from disputes.labels import label
from disputes.messaging import normalise_contact, normalise_phone
from disputes.models import (
    ClaimCategory,
    ElectronicService,
    IssuedDocument,
    OnlineApplication,
    Party,
    Unit,
    UnitKind,
)
from disputes.models.enums import ApplicationStatus
from disputes.portal import (
    access,
    bp,
    codes,
    eservice,
    filing,
    forms,
    notify,
    progress,
    upload_folder,
    uploads,
)
from disputes.web.messages import translate_error

SIGN_IN = "sign_in"
DRAFT = "draft"
PENDING_CONTACT = "pending_contact"
CLAIM_SLOTS = (1, 2, 3)
# What each claim usually needs, in plain words (shown beside the choice).
CLAIM_HELP = {
    ClaimCategory.WAGES: _l("Which months were not paid, and your monthly wage. Payslips or bank records help."),
    ClaimCategory.OVERTIME: _l("How many overtime hours, on workdays, rest days and holidays, and your hourly wage."),
    ClaimCategory.ECONOMIC_COMPENSATION: _l(
        "Your years of service and your average monthly wage over the last 12 "
        "months: usually one month's wage per year of service."
    ),
    ClaimCategory.DAMAGES: _l("What the employer did wrong (e.g. dismissal without cause: twice the compensation)."),
    ClaimCategory.WORK_INJURY_MEDICAL: _l("The injury, the hospital bills, and the work-injury certificate if any."),
    ClaimCategory.WORK_INJURY_BENEFITS: _l("The disability grade and your monthly wage before the injury."),
    ClaimCategory.SOCIAL_INSURANCE: _l("Which months the employer did not pay social insurance for you."),
    ClaimCategory.WORKING_TIME_LEAVE: _l("The leave or rest you were refused, and when."),
    ClaimCategory.CONFIRM_EMPLOYMENT: _l("When you started working there, and anything showing you worked there."),
    ClaimCategory.CONTRACT_TERMINATION: _l("When and how the contract ended, and what you ask for."),
    ClaimCategory.OTHER: _l("Say what you ask for in the details."),
}
FILING_KINDS = (UnitKind.CENTRE, UnitKind.STREET, UnitKind.MEDIATION_COMMITTEE, UnitKind.ARBITRATION_COMMISSION)


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/portal") or target.startswith("//"):
        return None
    return target


def _locale() -> str:
    return str(get_locale())


@bp.after_request
def _private(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.app_context_processor
def _portal_globals():
    if request.blueprint != "portal":
        return {}
    return {
        "party_contact": access.current_contact(),
        "portal_language_form": forms.LanguageForm(formdata=None, locale=_locale(), next=request.full_path),
        "sign_out_form": forms.SignOutForm(),
    }


@bp.app_template_filter("portal_rule_title")
def _rule_title(rule) -> str:
    from disputes.web.formats import rule_title

    return rule_title(rule)


@bp.app_template_filter("portal_doc_title")
def _doc_title(kind: str) -> str:
    from disputes.documents.case_file import title_of

    return title_of(kind)


@bp.app_template_filter("claim_label")
def _claim_label(value: str) -> str:
    return label(ClaimCategory(value))


@bp.route("/")
def start():
    return render_template("portal/start.html")


@bp.route("/language", methods=["POST"])
def language():
    form = forms.LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
    return redirect(_safe_next(form.next.data) or url_for("portal.start"))


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("5 per minute;20 per hour", methods=["POST"])
def sign_in():
    if access.current_contact():
        return redirect(url_for("portal.cases"))
    form = forms.ContactForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        contact = normalise_contact(form.contact.data)
        try:
            if access.is_known(db.session, contact):
                row, code = codes.issue(db.session, current_app.config["SECRET_KEY"], contact, SIGN_IN)
                notify.sign_in_code(db.session, contact, row.id, code, _locale())
        except DomainError as error:
            form.contact.errors.append(translate_error(error))
        else:
            session[PENDING_CONTACT] = contact
            # The same answer whether or not a case holds the address: the page tells no one who is a party.
            flash(_("If a case holds this address, a code has been sent to it."), "info")
            return redirect(url_for("portal.verify", next=_safe_next(form.next.data) or ""))
    return render_template("portal/sign_in.html", form=form)


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def verify():
    contact = session.get(PENDING_CONTACT)
    if not contact and request.method == "GET":
        return redirect(url_for("portal.sign_in"))
    form = forms.CodeForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        if contact and codes.verify(db.session, current_app.config["SECRET_KEY"], contact, SIGN_IN, form.code.data):
            access.sign_in(contact)
            return redirect(_safe_next(form.next.data) or url_for("portal.cases"))
        form.code.errors.append(_("The code is wrong or has expired. Ask for a new code if needed."))
    return render_template("portal/verify.html", form=form, contact=_masked(contact) if contact else "")


def _masked(contact: str) -> str:
    if "@" in contact:
        name, _at, domain = contact.partition("@")
        return name[:2] + "***@" + domain
    return contact[:3] + "****" + contact[-4:]


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    if forms.SignOutForm().validate_on_submit():
        access.sign_out()
    return redirect(url_for("portal.start"))


@bp.route("/cases")
@access.party_required
def cases():
    contact = access.current_contact()
    return render_template(
        "portal/cases.html",
        cases=access.cases_of(db.session, contact),
        applications=access.applications_of(db.session, contact),
    )


@bp.route("/cases/<int:case_id>")
@access.party_required
def case(case_id: int):
    found, mine = access.own_case(db.session, access.current_contact(), case_id)
    e_services = list(
        db.session.scalars(
            sa.select(ElectronicService)
            .where(ElectronicService.case_id == found.id, ElectronicService.party_id.in_([p.id for p in mine]))
            .order_by(ElectronicService.sent_at.desc())
        )
    )
    return render_template(
        "portal/case.html",
        view=progress.party_view(db.session, found, mine),
        e_services=e_services,
        consented=all(eservice.consent_of(db.session, p) is not None for p in mine),
    )


# Online filing: four steps kept in the portal session, then a summary that files the application.


def _draft() -> dict:
    return session.get(DRAFT) or {}


def _save(**parts) -> None:
    draft = _draft()
    draft.update(parts)
    session[DRAFT] = draft


def _filing_units() -> list[Unit]:
    return list(db.session.scalars(sa.select(Unit).where(Unit.kind.in_(FILING_KINDS)).order_by(Unit.id)))


@bp.route("/apply", methods=["GET", "POST"])
def apply_who():
    who = _draft().get("who") or {}
    form = forms.WhoForm(data={**who, "worker_count": "collective" if who.get("collective") else "1"})
    form.unit_id.choices = [(u.id, u.display_name(_locale())) for u in _filing_units()]
    if form.validate_on_submit():
        data = {
            "kind": form.kind.data,
            "unit_id": form.unit_id.data,
            "name": form.name.data.strip(),
            "id_number": form.id_number.data.strip().upper(),
            "phone": normalise_phone(form.phone.data),
            "email": (form.email.data or "").strip().lower(),
            "address": (form.address.data or "").strip(),
            "migrant_worker": form.migrant_worker.data,
            "drafted_by": (form.drafted_by.data or "").strip(),
            "collective": form.worker_count.data == "collective",
        }
        _save(who=data, locale=_locale())
        return redirect(url_for("portal.apply_employer"))
    return render_template("portal/apply_who.html", form=form, step=1)


def _needs(step: str):
    """Back to the first step when an earlier one is missing (a GET; a valid POST is told so)."""
    if step in _draft():
        return None
    if request.method == "POST":
        flash(_("Your application was not kept (it expires when the browser closes): please start again."), "error")
    return redirect(url_for("portal.apply_who"))


@bp.route("/apply/employer", methods=["GET", "POST"])
def apply_employer():
    if request.method == "GET" and (back := _needs("who")) is not None:
        return back
    form = forms.EmployerForm(data=_draft().get("employer") or {})
    if form.validate_on_submit():
        if (back := _needs("who")) is not None:
            return back
        known_on = (form.known_on.data or "").strip()
        try:
            from datetime import date

            if known_on:
                date.fromisoformat(known_on)
        except ValueError:
            form.known_on.errors.append(_("Enter the date as YYYY-MM-DD."))
        else:
            _save(
                employer={
                    "name": form.name.data.strip(),
                    "credit_code": (form.credit_code.data or "").strip().upper(),
                    "address": (form.address.data or "").strip(),
                    "known_on": known_on,
                    "still_employed": form.still_employed.data,
                }
            )
            return redirect(url_for("portal.apply_claims"))
    return render_template("portal/apply_employer.html", form=form, step=2)


def _claim_choices(optional: bool) -> list[tuple[str, str]]:
    choices = [(c.value, label(c)) for c in ClaimCategory]
    return [("", _("— none —"))] + choices if optional else choices


@bp.route("/apply/claims", methods=["GET", "POST"])
def apply_claims():
    if request.method == "GET" and (back := _needs("employer")) is not None:
        return back
    data = {"facts": _draft().get("facts", "")}
    for slot, claim in zip(CLAIM_SLOTS, _draft().get("claims") or [], strict=False):
        data.update({f"category_{slot}": claim["category"], f"description_{slot}": claim.get("description", "")})
        data[f"amount_{slot}"] = claim.get("amount") or None
    form = forms.ClaimsForm(data=data)
    for slot in CLAIM_SLOTS:
        getattr(form, f"category_{slot}").choices = _claim_choices(slot > 1)
    if form.validate_on_submit():
        if (back := _needs("employer")) is not None:
            return back
        claims = []
        for slot in CLAIM_SLOTS:
            category = getattr(form, f"category_{slot}").data
            if category:
                amount = getattr(form, f"amount_{slot}").data
                claims.append(
                    {
                        "category": category,
                        "amount": str(amount) if amount is not None else "",
                        "description": (getattr(form, f"description_{slot}").data or "").strip(),
                    }
                )
        _save(claims=claims, facts=(form.facts.data or "").strip(), cause=label(ClaimCategory(claims[0]["category"])))
        return redirect(url_for("portal.apply_evidence"))
    help_texts = {c.value: str(CLAIM_HELP[c]) for c in ClaimCategory}
    return render_template("portal/apply_claims.html", form=form, step=3, help_texts=help_texts, slots=CLAIM_SLOTS)


@bp.route("/apply/evidence", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
def apply_evidence():
    if request.method == "GET" and (back := _needs("claims")) is not None:
        return back
    form = forms.EvidenceForm()
    stored = list(_draft().get("uploads") or [])
    if form.validate_on_submit():
        if (back := _needs("claims")) is not None:
            return back
        files = [f for f in request.files.getlist(form.files.name) if f and f.filename]
        errors = []
        for file in files:
            if len(stored) >= uploads.MAX_FILES:
                errors.append(_("At most %(count)s files.", count=uploads.MAX_FILES))
                break
            data = file.read(current_app.config["PORTAL_UPLOAD_MAX_BYTES"] + 1)
            try:
                kept = uploads.accept(
                    db.session, upload_folder(), file.filename, data, current_app.config["PORTAL_UPLOAD_MAX_BYTES"]
                )
            except DomainError as error:
                errors.append(translate_error(error))
            else:
                stored.append(kept.as_dict())
        _save(uploads=stored)
        if errors:
            form.files.errors.extend(errors)
        elif request.form.get("go") == "next":
            return redirect(url_for("portal.apply_confirm"))
        else:
            return redirect(url_for("portal.apply_evidence"))
    return render_template("portal/apply_evidence.html", form=form, step=4, stored=stored)


@bp.route("/apply/confirm", methods=["GET", "POST"])
def apply_confirm():
    if request.method == "GET" and (back := _needs("claims")) is not None:
        return back
    draft = _draft()
    form = forms.ConfirmForm()
    if form.validate_on_submit():
        if (back := _needs("claims")) is not None:
            return back
        application = filing.submit(
            db.session, {k: v for k, v in draft.items() if k != "uploads"}, draft.get("uploads") or []
        )
        session.pop(DRAFT, None)
        session["filed"] = application.reference
        if application.collective_token:
            _remember_member(application.collective_token, application.members[0].id)
        return redirect(url_for("portal.apply_done"))
    if "claims" not in draft:  # a refused post without an application in progress
        return _needs("claims")
    unit = db.session.get(Unit, int(draft["who"]["unit_id"]))
    return render_template(
        "portal/apply_confirm.html",
        form=form,
        step=5,
        draft=draft,
        unit=unit,
        categories={c.value: label(c) for c in ClaimCategory},
    )


@bp.route("/apply/done")
def apply_done():
    reference = session.get("filed")
    if not reference:
        return redirect(url_for("portal.start"))
    application = db.session.scalar(sa.select(OnlineApplication).where(OnlineApplication.reference == reference))
    if application is None:
        abort(404)
    share_link = None
    if application.collective_token:  # the public address, as in the messages (PUBLIC_BASE_URL), else this host
        path = url_for("portal.collective", token=application.collective_token)
        share_link = (current_app.config.get("PUBLIC_BASE_URL") or request.host_url.rstrip("/")) + path
    return render_template("portal/apply_done.html", application=application, share_link=share_link)


# A collective application: its workers join by the shared link and elect their representatives.


JOINED = "collective_joined"  # token → the member this browser joined (or filed) as


def _remember_member(token: str, member_id: int) -> None:
    joined = dict(session.get(JOINED) or {})
    joined[token] = member_id
    session[JOINED] = joined


def _member_here(application: OnlineApplication):
    """The worker this browser joined (or filed) as, if still a member."""
    member_id = (session.get(JOINED) or {}).get(application.collective_token)
    return next((m for m in application.members if m.id == member_id), None)


def _collective(token: str) -> OnlineApplication:
    application = db.session.scalar(sa.select(OnlineApplication).where(OnlineApplication.collective_token == token))
    if application is None:
        abort(404)
    return application


@bp.route("/collective/<token>")
def collective(token: str):
    return _collective_page(_collective(token), forms.JoinForm(), forms.VoteForm())


@bp.route("/collective/<token>/join", methods=["POST"])
@limiter.limit("30 per hour")
def collective_join(token: str):
    application = _collective(token)
    form = forms.JoinForm()
    if form.validate_on_submit():
        try:
            member = filing.join(
                db.session, application, form.name.data, form.id_number.data, normalise_phone(form.phone.data)
            )
        except DomainError as error:
            form.id_number.errors.append(translate_error(error))
        else:
            _remember_member(token, member.id)
            flash(_("You have joined the application."), "success")
            return redirect(url_for("portal.collective", token=token))
    return _collective_page(application, form, forms.VoteForm(formdata=None))


@bp.route("/collective/<token>/vote", methods=["POST"])
@limiter.limit("30 per hour")
def collective_vote(token: str):
    application = _collective(token)
    form = forms.VoteForm()
    form.candidate.choices = [(m.id, m.name) for m in application.members]
    if form.validate_on_submit():
        try:
            here = _member_here(application)
            number = form.id_number.data or (here.id_number if here is not None else "")
            filing.vote(db.session, application, number, form.candidate.data)
        except DomainError as error:
            (form.candidate if here is not None else form.id_number).errors.append(translate_error(error))
        else:
            flash(_("Your vote has been recorded."), "success")
            return redirect(url_for("portal.collective", token=token))
    return _collective_page(application, forms.JoinForm(formdata=None), form)


def _collective_page(application: OnlineApplication, join_form, vote_form):
    vote_form.candidate.choices = [(m.id, m.name) for m in application.members]
    here = _member_here(application)
    if here is not None and here.vote_for_id and not vote_form.candidate.data:
        vote_form.candidate.data = here.vote_for_id  # their vote so far, changeable until the check
    return render_template(
        "portal/collective.html",
        application=application,
        join_form=join_form,
        vote_form=vote_form,
        tally=filing.tally(application),
        elected=filing.elected_ids(application),
        member=_member_here(application),
        minimum=filing.COLLECTIVE_MINIMUM,
        open=application.status == ApplicationStatus.SUBMITTED,
    )


# Electronic service: the party's consent, and opening a document served by link.


@bp.route("/cases/<int:case_id>/consent", methods=["GET", "POST"])
@access.party_required
def consent(case_id: int):
    contact = access.current_contact()
    found, mine = access.own_case(db.session, contact, case_id)
    form = forms.ConsentForm()
    if form.validate_on_submit():
        for party in mine:
            eservice.sign_consent(db.session, party, contact, via="portal", postal_address=form.postal_address.data)
        flash(_("Your consent to electronic service has been recorded."), "success")
        return redirect(url_for("portal.case", case_id=found.id))
    return render_template("portal/consent.html", case=found, form=form, contact=_masked(contact))


def _own_service(e_service_id: int) -> ElectronicService:
    """A document sent to the signed-in party's address; 404 for anyone else's."""
    e_service = db.session.get(ElectronicService, e_service_id)
    if e_service is None or e_service.address != access.current_contact():
        abort(404)
    return e_service


@bp.route("/served/<int:e_service_id>", methods=["GET", "POST"])
@access.party_required
def served(e_service_id: int):
    e_service = _own_service(e_service_id)
    form = forms.OpenForm()
    if form.validate_on_submit():
        party = db.session.get(Party, e_service.party_id)
        eservice.open_document(db.session, e_service, party)
        return redirect(url_for("portal.served", e_service_id=e_service.id))
    document = db.session.get(IssuedDocument, e_service.document_id)
    return render_template("portal/served.html", e_service=e_service, document=document, form=form)


@bp.route("/served/<int:e_service_id>/document.pdf")
@access.party_required
def served_pdf(e_service_id: int):
    from io import BytesIO

    from disputes.documents import issue as issuing

    e_service = _own_service(e_service_id)
    if e_service.opened_at is None:
        return redirect(url_for("portal.served", e_service_id=e_service.id))
    document = db.session.get(IssuedDocument, e_service.document_id)
    return send_file(
        BytesIO(issuing.reprint(document)),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"{document.kind}-{document.code}.pdf",
    )
