"""Translated labels for the deadline layer's stored values; merged into `labels.LABELS`."""

from flask_babel import lazy_gettext as _l

from disputes.sla.states import AdjustmentKind, DayKind, NoticeKind, PeriodUnit, RuleKind, TimerStatus

SLA_LABELS = {
    TimerStatus: {
        TimerStatus.RUNNING: _l("Running"),
        TimerStatus.PAUSED: _l("Suspended"),
        TimerStatus.MET: _l("Met"),
        TimerStatus.MET_LATE: _l("Met late"),
        TimerStatus.BREACHED: _l("Overdue"),
        TimerStatus.CANCELLED: _l("Cancelled"),
    },
    RuleKind: {RuleKind.TASK: _l("Task"), RuleKind.PERIOD: _l("Period")},
    DayKind: {DayKind.HOLIDAY: _l("Official holiday"), DayKind.WORKDAY: _l("Make-up working day")},
    AdjustmentKind: {AdjustmentKind.SUSPENSION: _l("Suspension"), AdjustmentKind.EXTENSION: _l("Extension")},
    NoticeKind: {NoticeKind.DUE_SOON: _l("Due soon"), NoticeKind.BREACHED: _l("Deadline missed")},
    PeriodUnit: {
        PeriodUnit.DAYS: _l("days"),
        PeriodUnit.WORKING_DAYS: _l("working days"),
        PeriodUnit.MONTHS: _l("months"),
        PeriodUnit.REVERSE: _l("days before the event"),
    },
}
