"""Litigation steps: thin wrappers that read a form and call `workflow.litigation`."""

from flask_babel import gettext as _
from wtforms import SelectChoice

from disputes.labels import NONE_CHOSEN, label
from disputes.litigation import bp
from disputes.litigation.forms import (
    AppealForm,
    CloseForm,
    DocketForm,
    ExtensionForm,
    FileForm,
    ItemResultsForm,
    JudgeForm,
    RevocationDecisionForm,
    RevocationForm,
    RevokeForm,
    RulingReceivedForm,
    SecondInstanceForm,
    ServeJudgmentForm,
)
from disputes.web.formats import money
from disputes.web.steps import Step, TrackWeb, default_today, register_steps
from disputes.workflow import litigation as ops
from disputes.workflow.states import Finality, LawsuitState, Track


def find_row(case, row_id):
    return next((s for s in case.lawsuits if s.id == row_id), None)


def _awards(case, final_only=False):
    found = case.arbitration.awards if case.arbitration else []
    return [a for a in found if a.finality == Finality.FINAL or not final_only]


def award_choice(award) -> SelectChoice:
    return SelectChoice(award.id, f"{award.number or _('(not numbered)')} · {label(award.finality)}")


def _file_prepare(form, case, row):
    awards = _awards(case)
    form.award_id.choices = [NONE_CHOSEN] + [award_choice(a) for a in awards]
    if len(awards) == 1 and not form.is_submitted():
        form.award_id.data = awards[0].id
    default_today("filed_on")(form, case, row)


def _docket_prepare(form, case, row):
    if form.court_case_no.data is None and row is not None and row.court_case_no:
        form.court_case_no.data = row.court_case_no
    default_today("docketed_on")(form, case, row)


def _close_prepare(form, case, row):
    if row is None or row.state != LawsuitState.SECOND_INSTANCE:
        del form.second_outcome  # only a second instance has a second result
    default_today("closed_on")(form, case, row)


def _revocation_prepare(form, case, row):
    finals = _awards(case, final_only=True)
    form.award_id.choices = [award_choice(a) for a in finals]
    if form.award_id.data is None and finals:
        form.award_id.data = finals[-1].id
    default_today("filed_on")(form, case, row)


def _item_text(item) -> str:
    """An award item's or a claim's category, words and amount, as the result form labels its row."""
    words = getattr(item, "text", None) or getattr(item, "description", "") or ""
    amount = f" · {money(item.amount)}" if item.amount is not None else ""
    return f"{label(item.category)}: {words[:80]}{amount}"


def _results_prepare(form, case, row):
    """One row per award item (or claim), labelled with it; the recorded results or, when none, the court case
    number and the judgment's date as defaults."""
    items = ops.result_items(row) if row is not None else []
    recorded = {ops._key_of(r): r.ruling for r in row.item_results} if row is not None else {}
    if not form.is_submitted():
        if row is not None and row.court_case_no and not form.court_case_no.data:
            form.court_case_no.data = row.court_case_no
        if form.decided_on.data is None and row is not None:
            form.decided_on.data = (row.item_results[0].decided_on if row.item_results else None) or row.judged_on
        while len(form.items.entries):
            form.items.pop_entry()
        for key, _item in items:
            form.items.append_entry({"key": key, "ruling": recorded.get(key)})
    texts = {key: _item_text(item) for key, item in items}
    for entry in form.items:
        entry.form.ruling.label.text = texts.get(entry.form.key.data, entry.form.key.data)


def _record_results(session, case, actor, row, f):
    rulings = {entry.form.key.data: entry.form.ruling.data for entry in f.items}
    return ops.record_item_results(
        session,
        case,
        actor,
        row,
        decided_on=f.decided_on.data,
        rulings=rulings,
        court_case_no=f.court_case_no.data or "",
        expected_version=f.expected_version(),
    )


def _decide_revocation(revoked: bool):
    def perform(session, case, actor, row, f):
        return ops.decide_revocation(
            session,
            case,
            actor,
            row,
            revoked=revoked,
            decided_on=f.decided_on.data,
            note=f.note.data or "",
            received_on=f.received_on.data if revoked else None,
            expected_version=f.expected_version(),
        )

    return perform


STEPS = {
    s.action: s
    for s in [
        Step(
            ops.FILE.name,
            FileForm,
            prepare=_file_prepare,
            perform=lambda session, case, actor, row, f: ops.file_lawsuit(
                session,
                case,
                actor,
                plaintiff=f.plaintiff.data,
                court=f.court.data,
                filed_on=f.filed_on.data,
                award_id=f.award_id.data,
                court_case_no=f.court_case_no.data or "",
                expected_version=f.expected_version(),
            ),
        ),
        Step(
            ops.DOCKET.name,
            DocketForm,
            prepare=_docket_prepare,
            perform=lambda session, case, actor, row, f: ops.docket(
                session,
                case,
                actor,
                row,
                court_case_no=f.court_case_no.data,
                docketed_on=f.docketed_on.data,
                procedure=f.procedure.data,
                expected_version=f.expected_version(),
            ),
        ),
        Step(
            ops.JUDGE.name,
            JudgeForm,
            prepare=default_today("judged_on"),
            perform=lambda session, case, actor, row, f: ops.judge(
                session,
                case,
                actor,
                row,
                outcome=f.outcome.data,
                judged_on=f.judged_on.data,
                summary=f.summary.data or "",
                served_on=f.served_on.data,
                expected_version=f.expected_version(),
            ),
        ),
        Step(
            ops.SERVE_JUDGMENT.name,
            ServeJudgmentForm,
            prepare=default_today("served_on"),
            perform=lambda session, case, actor, row, f: ops.serve_judgment(
                session, case, actor, row, served_on=f.served_on.data, expected_version=f.expected_version()
            ),
        ),
        Step(
            ops.EXTEND_FIRST_INSTANCE.name,
            ExtensionForm,
            prepare=default_today("approved_on"),
            perform=lambda session, case, actor, row, f: ops.extend_first_instance(
                session,
                case,
                actor,
                row,
                months=f.months.data,
                approved_on=f.approved_on.data,
                approver=f.approver.data or "",
                higher_court=f.higher_court.data,
                expected_version=f.expected_version(),
            ),
        ),
        Step(
            ops.APPEAL.name,
            AppealForm,
            prepare=default_today("appealed_on"),
            perform=lambda session, case, actor, row, f: ops.appeal(
                session,
                case,
                actor,
                row,
                appellant=f.appellant.data,
                appealed_on=f.appealed_on.data,
                appeal_court=f.appeal_court.data or "",
                expected_version=f.expected_version(),
            ),
        ),
        Step(
            ops.SECOND_INSTANCE.name,
            SecondInstanceForm,
            perform=lambda session, case, actor, row, f: ops.second_instance(
                session, case, actor, row, appeal_case_no=f.appeal_case_no.data, expected_version=f.expected_version()
            ),
        ),
        Step(
            ops.CLOSE.name,
            CloseForm,
            prepare=_close_prepare,
            perform=lambda session, case, actor, row, f: ops.close_lawsuit(
                session,
                case,
                actor,
                row,
                closed_on=f.closed_on.data,
                second_outcome=f.second_outcome.data if "second_outcome" in f else None,
                summary=f.summary.data or "",
                expected_version=f.expected_version(),
            ),
        ),
        Step(
            ops.APPLY_REVOCATION.name,
            RevocationForm,
            prepare=_revocation_prepare,
            perform=lambda session, case, actor, row, f: ops.apply_revocation(
                session,
                case,
                actor,
                court=f.court.data,
                filed_on=f.filed_on.data,
                award_id=f.award_id.data,
                court_case_no=f.court_case_no.data or "",
                expected_version=f.expected_version(),
            ),
        ),
        Step(
            ops.UPHOLD.name,
            RevocationDecisionForm,
            prepare=default_today("decided_on"),
            perform=_decide_revocation(False),
        ),
        Step(ops.REVOKE.name, RevokeForm, prepare=default_today("decided_on"), perform=_decide_revocation(True)),
        Step(ops.RECORD_RESULTS.name, ItemResultsForm, prepare=_results_prepare, perform=_record_results),
        Step(
            ops.RECEIVE_RULING.name,
            RulingReceivedForm,
            prepare=default_today("received_on"),
            perform=lambda session, case, actor, row, f: ops.receive_revocation_ruling(
                session, case, actor, row, received_on=f.received_on.data, expected_version=f.expected_version()
            ),
        ),
    ]
}

register_steps(bp, TrackWeb(Track.LITIGATION, "litigation", find_row, STEPS), "litigation")
