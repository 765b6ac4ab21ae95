"""/ledger: upload a ledger, follow its import job, download its error report; export the case list."""

import io

import sqlalchemy as sa
from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disputes import case_list, clock, jobs, policy
from disputes.auth.guards import requires
from disputes.cases.forms import RevealForm
from disputes.cases.views import filter_from_args
from disputes.extensions import db
from disputes.ledger import export
from disputes.ledger import job as ledger_job
from disputes.ledger.errors import LedgerError, report_csv
from disputes.ledger_web import bp
from disputes.ledger_web.forms import MAX_UPLOAD_BYTES, UploadForm
from disputes.models import LedgerImport
from disputes.web import replica, unit_of_work
from disputes.workflow import intake

RECENT = 20


def _expire_stalled() -> None:
    """Jobs whose worker stopped answering show as failed (nothing imported), with a retry button."""
    if ledger_job.expire_stalled(db.session):
        unit_of_work.commit_now("stalled imports marked failed, also on the pages that only read")
        db.session.expire_all()


def _job_or_abort(job_id: int) -> LedgerImport:
    _expire_stalled()
    job = db.session.get(LedgerImport, job_id)
    if job is None:
        abort(404)
    if not policy.can_view_ledger_import(current_user, job):
        abort(403)
    return job


@bp.route("/ledger", methods=["GET", "POST"])
@requires(policy.can_import_ledger)
def upload():
    form = UploadForm()
    if form.validate_on_submit():
        content = form.file.data.read(MAX_UPLOAD_BYTES + 1)
        if len(content) > MAX_UPLOAD_BYTES:
            form.file.errors.append(_("The file is larger than %(mb)s MB.", mb=MAX_UPLOAD_BYTES // 2**20))
        else:
            job = LedgerImport(
                file_name=(form.file.data.filename or "ledger")[:200],
                content=content,
                dry_run=form.dry_run.data,
                update_existing=form.update.data,
                created_by_id=current_user.id,
                heartbeat_at=clock.now_utc(),
            )
            db.session.add(job)
            unit_of_work.commit_now("the import job reads its row in its own session (a worker, or inline)")
            if jobs.enqueue_ledger_import(job.id):
                flash(_("The import has started; this page shows its progress."), "success")
            return redirect(url_for("ledger.job", job_id=job.id))
    _expire_stalled()
    recent = db.session.scalars(
        sa.select(LedgerImport)
        .where(LedgerImport.created_by_id == current_user.id)
        .order_by(LedgerImport.id.desc())
        .limit(RECENT)
    ).all()
    return render_template("ledger/upload.html", form=form, recent=recent)


def _errors(job: LedgerImport) -> list[LedgerError]:
    return [LedgerError.from_dict(e) for e in job.errors or []]


@bp.route("/ledger/jobs/<int:job_id>")
@requires(policy.can_import_ledger)
def job(job_id):
    record = _job_or_abort(job_id)
    shown = [(e.row, e.column, e.text(_)) for e in _errors(record)[:100]]
    return render_template("ledger/job.html", job=record, errors=shown)


@bp.route("/ledger/jobs/<int:job_id>/status")
@requires(policy.can_import_ledger)
def status(job_id):
    record = _job_or_abort(job_id)
    db.session.refresh(record)
    return jsonify(
        id=record.id,
        status=str(record.status),
        finished=record.finished,
        percent=record.percent,
        rows_done=record.rows_done,
        rows_total=record.rows_total,
        created=record.created_count,
        updated=record.updated_count,
        errors=record.error_count,
    )


@bp.route("/ledger/jobs/<int:job_id>/retry", methods=["POST"])
@requires(policy.can_import_ledger)
def retry(job_id):
    """A failed import again, from the same stored file."""
    record = _job_or_abort(job_id)
    if not ledger_job.retry(db.session, record.id):
        flash(_("Only a failed import can be retried."), "error")
        return redirect(url_for("ledger.job", job_id=record.id))
    unit_of_work.commit_now("the import job reads its row in its own session (a worker, or inline)")
    if jobs.enqueue_ledger_import(record.id):
        flash(_("The import has started again; this page shows its progress."), "success")
    return redirect(url_for("ledger.job", job_id=record.id))


@bp.route("/ledger/jobs/<int:job_id>/errors.csv")
@requires(policy.can_import_ledger)
def errors_csv(job_id):
    record = _job_or_abort(job_id)
    body = report_csv(_errors(record), _)
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=ledger-{record.id}-errors.csv"},
    )


@bp.route("/ledger/export", methods=["GET", "POST"])
@requires(policy.can_read_cases)
def export_cases():
    """The case list's current filter (the same query as /cases) in the ledger format, ID numbers masked. POSTed
    with a reason, the numbers of the cases the user may unmask are written in full, each case's reveal recorded
    in its timeline like the case page's."""
    fmt = "xlsx" if request.args.get("format") == "xlsx" else "csv"
    query = case_list.build_query(policy.case_scope(current_user), filter_from_args(request.args))
    unmask = None
    if request.method == "POST":
        form = RevealForm()
        if not form.validate_on_submit():
            flash(_("Say why you need the full ID numbers."), "error")
            return redirect(url_for("cases.index", **{k: v for k, v in request.args.items() if k != "format"}))
        unmask = export.Unmask(set(export.case_ids(db.session, query.where(policy.reveal_scope(current_user)))))
    # A masked export only reads: from the replica when there is one. Unmasking records reveals: the primary.
    read = db.session if unmask is not None else replica.session()
    ids = export.case_ids(read, query)
    rows = (row for _id, row in export.rows_for(read, ids, unmask))
    name = f"ledger-{clock.today_local().isoformat()}.{fmt}"
    if fmt == "xlsx":
        out = io.BytesIO()
        export.to_xlsx(rows, out)
        body, mimetype = out.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        text = io.StringIO()
        export.to_csv(rows, text)
        body, mimetype = text.getvalue(), "text/csv"
    if unmask is not None:
        intake.record_reveals(db.session, current_user, unmask.revealed, form.reason.data, via="ledger_export")
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={name}"})
