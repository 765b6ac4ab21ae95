"""Hearing steps: schedule (with clash detection in the domain), notice, postpone (and reschedule), hold."""

from datetime import datetime

from flask_babel import gettext as _
from wtforms import SelectChoice

from disputes.arbitration.hearing_forms import HoldForm, NoticeForm, PostponeForm, ScheduleForm
from disputes.arbitration.prepare import scheduled_hearing_choices
from disputes.extensions import db
from disputes.labels import NONE_CHOSEN
from disputes.models import HearingRoom
from disputes.web.formats import local_date
from disputes.web.steps import Step, default_today, local_datetime
from disputes.workflow import hearings as ops


def _room_choices(form, row) -> None:
    rooms = (
        db.session.query(HearingRoom)
        .filter(HearingRoom.unit_id == row.unit_id, HearingRoom.active.is_(True))
        .order_by(HearingRoom.name)
    )
    form.room_id.choices = [NONE_CHOSEN] + [SelectChoice(r.id, r.name) for r in rooms]


def _earliest(form) -> None:
    """The earliest lawful hearing date, said beside the date field and set as its minimum."""
    earliest = ops.earliest_hearing_day(db.session)
    form.day.description = _(
        "Earliest lawful hearing date: %(date)s (the notice must reach the parties %(days)s days before, Law Art 35).",
        date=local_date(earliest),
        days=ops.notice_days(db.session),
    )
    form.day.render_kw = {**(form.day.render_kw or {}), "data-earliest": earliest.isoformat()}


def _schedule_prepare(form, case, row):
    _room_choices(form, row)
    _earliest(form)


def _postpone_prepare(form, case, row):
    _room_choices(form, row)
    _earliest(form)
    form.hearing_id.choices = scheduled_hearing_choices(row)


def _notice_prepare(form, case, row):
    form.hearing_id.choices = scheduled_hearing_choices(row)
    default_today("served_on")(form, case, row)


def _hold_prepare(form, case, row):
    scheduled = scheduled_hearing_choices(row)[1:]
    form.hearing_id.choices = [SelectChoice("", _("Held without scheduling (give its time and place)")), *scheduled]
    _room_choices(form, row)
    if not form.is_submitted() and len(scheduled) == 1:  # the only scheduled hearing is the one held
        form.hearing_id.data = scheduled[0].value


def _hold(session, case, actor, row, f):
    return ops.hold_hearing(
        session,
        case,
        actor,
        hearing_id=f.hearing_id.data,
        applicant_attended=f.applicant_attended.data,
        respondent_attended=f.respondent_attended.data,
        record=f.record.data or "",
        starts_at=_at(f, "starts_at") if f.hearing_id.data is None else None,
        ends_at=_at(f, "ends_at") if f.hearing_id.data is None else None,
        room_id=f.room_id.data,
        online_link=f.online_link.data or "",
        expected_version=f.expected_version(),
    )


def _at(form, name: str):
    """The form's date and one of its times, read as local time."""
    moment = getattr(form, name).data
    if form.day.data is None or moment is None:
        return None
    return local_datetime(datetime.combine(form.day.data, moment))


def _schedule(session, case, actor, f, expected_version):
    return ops.schedule_hearing(
        session,
        case,
        actor,
        starts_at=_at(f, "starts_at"),
        ends_at=_at(f, "ends_at"),
        room_id=f.room_id.data,
        online_link=f.online_link.data or "",
        expected_version=expected_version,
        short_notice_agreed=bool(f.short_notice_agreed.data),
    )


def _postpone(session, case, actor, row, f):
    ops.postpone_hearing(
        session, case, actor, hearing_id=f.hearing_id.data, reason=f.reason.data, expected_version=f.expected_version()
    )
    if f.reschedules():
        # The version was checked by the postponement, which has changed it.
        return _schedule(session, case, actor, f, expected_version=None)
    return None


PARTIES_TOLD = "tracks/_parties_told.html"  # the parties are told as the hearing is set or moved
HEARING_STEPS = [
    Step(
        ops.SCHEDULE.name,
        ScheduleForm,
        prepare=_schedule_prepare,
        intro=PARTIES_TOLD,
        perform=lambda session, case, actor, row, f: _schedule(session, case, actor, f, f.expected_version()),
    ),
    Step(
        ops.NOTICE.name,
        NoticeForm,
        prepare=_notice_prepare,
        perform=lambda session, case, actor, row, f: ops.serve_hearing_notice(
            session,
            case,
            actor,
            hearing_id=f.hearing_id.data,
            served_on=f.served_on.data,
            expected_version=f.expected_version(),
        ),
    ),
    Step(ops.POSTPONE.name, PostponeForm, prepare=_postpone_prepare, perform=_postpone, intro=PARTIES_TOLD),
    Step(ops.HOLD.name, HoldForm, prepare=_hold_prepare, perform=_hold),
]
