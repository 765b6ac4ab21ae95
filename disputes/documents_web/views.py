"""The case page's documents: preview as HTML, issue, reissue, download the issued bytes."""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO

from flask import abort, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from disputes import policy
from disputes.auth.guards import case_or_abort
from disputes.cases.forms import RevealForm
from disputes.documents import catalogue, compose, render, verify
from disputes.documents import issue as issuing
from disputes.documents_web import bp
from disputes.documents_web.forms import IssueForm
from disputes.extensions import db
from disputes.i18n import DomainError
from disputes.models import Case, IssuedDocument
from disputes.web.downloads import document_language
from disputes.web.messages import translate_error
from disputes.workflow import intake
from disputes.workflow.actions import ConflictError


@dataclass
class PanelRow:
    kind: catalogue.DocumentKind
    key: str
    label: str
    versions: list[IssuedDocument] = field(default_factory=list)
    fits: bool = True  # the case still has this subject now
    may_issue: bool = False


@bp.app_template_global()
def documents_panel(case: Case) -> dict | None:
    """What the case page's Documents panel shows to the current user, or None when they may not see it."""
    if not policy.can_read_documents(current_user, case):
        return None
    rows: dict[tuple[str, str], PanelRow] = {}
    for kind, subject in catalogue.available(db.session, case):
        label = _(subject.label, **subject.label_params) if subject.label else ""
        rows[(kind.id, subject.key)] = PanelRow(kind, subject.key, label)
    kinds = catalogue.load_kinds()
    for doc in issuing.issued_for(db.session, case):
        if doc.kind not in kinds:
            continue
        row = rows.setdefault((doc.kind, doc.subject_key), PanelRow(kinds[doc.kind], doc.subject_key, "", fits=False))
        row.versions.append(doc)
    for row in rows.values():
        row.may_issue = row.fits and policy.can_issue_documents(current_user, case, track=row.kind.track)
    problem = verify.base_url_problem()
    # Official documents are Chinese whatever the interface language; English is chosen explicitly.
    return {
        "rows": list(rows.values()),
        "form": IssueForm(formdata=None, version=str(case.version_id)),
        "blocked": _(problem, url=verify.base_url()) if problem else None,
        "reveal": RevealForm(formdata=None) if policy.can_reveal_ids(current_user, case) else None,
    }


def _kind_or_404(kind_id: str) -> catalogue.DocumentKind:
    try:
        return catalogue.kind(kind_id)
    except KeyError:
        abort(404)


@bp.route("/documents/document.css")
def stylesheet():
    """The documents' own style sheet, for HTML previews (PDFs read it from disk)."""
    return send_file(render.DOCUMENT_ASSETS / "document.css", mimetype="text/css", max_age=300)


@bp.route("/cases/<int:case_id>/documents/<kind_id>/preview", methods=["GET", "POST"])
@login_required
def preview(case_id: int, kind_id: str):
    """ID numbers masked; POSTed with a reason by someone who may unmask them, in full and audited like the case
    page's reveal."""
    case = case_or_abort(case_id, policy.can_read_documents)
    _kind_or_404(kind_id)
    form = None
    if request.method == "POST":
        if not policy.can_reveal_ids(current_user, case):
            abort(403)
        form = RevealForm()
        if not form.validate_on_submit():
            flash(_("Say why you need the full ID numbers."), "error")
            return redirect(url_for("cases.detail", case_id=case.id, _anchor="documents"))
    try:
        html = compose.preview_html(
            db.session,
            case,
            kind_id,
            request.values.get("key", ""),
            document_language(),
            stylesheet=url_for("documents.stylesheet"),
            masked=form is None,
        )
    except LookupError:
        abort(404)
    if form is not None:
        intake.reveal_ids(db.session, current_user, case, form.reason.data, via="document_preview")
    return html, 200, {"Content-Type": "text/html; charset=utf-8"}


def _issue_or_reissue(case_id: int, kind_id: str, action) -> object:
    case = case_or_abort(case_id, policy.can_read_documents)
    kind = _kind_or_404(kind_id)
    if not policy.can_issue_documents(current_user, case, track=kind.track):
        abort(403)
    form = IssueForm()
    back = redirect(url_for("cases.detail", case_id=case.id, _anchor="documents"))
    if form.is_stale(case):  # the case changed since the page was shown (or no version was sent): look again first
        flash(translate_error(ConflictError()), "error")
        return back
    if not form.validate_on_submit():
        abort(400)
    try:
        doc = action(db.session, case, kind_id, form.key.data or "", current_user, form.lang.data)
        db.session.flush()  # the same document issued at the same moment shows here; the request commits
    except IntegrityError:
        # Issued (or reissued) by someone else at the same moment: their version stands, nothing was issued twice.
        db.session.rollback()
        flash(_("This document has just been issued by someone else; it was issued once, not twice."), "error")
        return back
    except DomainError as error:
        db.session.rollback()
        flash(translate_error(error), "error")
    except LookupError:
        db.session.rollback()
        flash(_("This document does not fit the case now."), "error")
    else:
        flash(
            _(
                "%(title)s issued: %(number)s, version %(version)d.",
                title=_(kind.title),
                number=doc.number or doc.code,
                version=doc.version,
            ),
            "success",
        )
        if request.form.get("then") == "serve" and policy.can_record_service(current_user, case):
            # issued from the case page's header: on to its service, the document and the parties chosen (issue 16)
            return redirect(url_for("service.case_service", case_id=case.id, document=doc.id, _anchor="record"))
    return back


@bp.route("/cases/<int:case_id>/documents/<kind_id>/issue", methods=["POST"])
@login_required
def issue(case_id: int, kind_id: str):
    return _issue_or_reissue(case_id, kind_id, issuing.issue)


@bp.route("/cases/<int:case_id>/documents/<kind_id>/reissue", methods=["POST"])
@login_required
def reissue(case_id: int, kind_id: str):
    return _issue_or_reissue(case_id, kind_id, issuing.reissue)


@bp.route("/documents/<int:doc_id>.pdf")
@login_required
def download(doc_id: int):
    """The issued bytes, unchanged (a reprint)."""
    doc = db.session.get(IssuedDocument, doc_id) or abort(404)
    if not policy.can_read_documents(current_user, doc.case, unit=doc.unit):
        abort(403)
    return send_file(
        BytesIO(issuing.reprint(doc)),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"{doc.kind}-v{doc.version}-{doc.code}.pdf",
        etag=doc.sha256,
    )
