"""The public verification page: anyone holding a document can check its code and its bytes.

It confirms what the paper itself shows (number, title, case number, date) plus the
SHA-256 and version history; never a party's name or any other personal data.
"""

from __future__ import annotations

from flask import redirect, render_template, url_for

from disputes.documents import catalogue, verify
from disputes.documents.formatting import LOCAL
from disputes.documents_web import bp
from disputes.documents_web.forms import UploadForm, VerifyForm
from disputes.extensions import db, limiter

MAX_UPLOAD = 20 * 1024 * 1024
LIMIT = "30 per minute; 300 per hour"


def _uploaded(field) -> bytes | None:
    storage = field.data
    if not storage or not getattr(storage, "filename", ""):
        return None
    return storage.read(MAX_UPLOAD + 1)


def _result(code: str, data: bytes | None, form, status: int = 200):
    doc = verify.by_code(db.session, code)
    if doc is None:
        return render_template("documents_web/verify.html", form=form, code=code, doc=None, missing=True), 404
    kinds = catalogue.load_kinds()
    facts = {
        "title": kinds[doc.kind].title if doc.kind in kinds else doc.kind,
        "number": doc.number,
        "registry_no": doc.case.registry_no if doc.case is not None else None,
        "unit": doc.unit,
        # the day the record was made; the document bears its act's date (docs/decisions.md, one number per act)
        "issued_on": doc.issued_at.astimezone(LOCAL).date(),
        "version": doc.version,
        "latest": verify.latest_version(db.session, doc),
        "sha256": doc.sha256,
        "size": doc.size,
        "pages": doc.page_count,
    }
    verdict = None
    if data is not None:
        verdict = "too_large" if len(data) > MAX_UPLOAD else ("same" if verify.matches(doc, data) else "different")
    return render_template(
        "documents_web/verify.html", form=form, code=doc.code, doc=facts, verdict=verdict, missing=False
    ), status


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit(LIMIT, methods=["POST"])
def verify_form():
    form = VerifyForm()
    if form.validate_on_submit():
        code = verify.normalise_code(form.code.data)
        data = _uploaded(form.pdf)
        if data is None:
            return redirect(url_for("documents.verify_code", code=code or form.code.data.strip()[:20]))
        return _result(code, data, UploadForm(formdata=None))
    return render_template("documents_web/verify.html", form=form, code=None, doc=None, missing=False)


@bp.route("/verify/<code>", methods=["GET", "POST"])
@limiter.limit(LIMIT)
def verify_code(code: str):
    form = UploadForm()
    data = _uploaded(form.pdf) if form.validate_on_submit() else None
    return _result(code, data, form)
