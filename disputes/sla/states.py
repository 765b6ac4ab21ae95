"""The SLA layer's stored vocabulary."""

from enum import StrEnum


class DayKind(StrEnum):
    HOLIDAY = "holiday"
    WORKDAY = "workday"  # an official make-up working day (调休上班日)


class RuleKind(StrEnum):
    TASK = "task"  # something staff must do by the deadline; late ⇒ breach
    PERIOD = "period"  # a period that simply runs out (defence, right to sue); never a breach


class TimerStatus(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    MET_LATE = "met_late"
    BREACHED = "breached"  # past its deadline and still open
    CANCELLED = "cancelled"


OPEN_STATUSES = frozenset({TimerStatus.RUNNING, TimerStatus.PAUSED, TimerStatus.BREACHED})


class AdjustmentKind(StrEnum):
    SUSPENSION = "suspension"
    EXTENSION = "extension"
    PUBLIC_NOTICE = "public_notice"  # a pending public-notice service (公告送达), not counted (Rules Art 46 (6))


PAUSES = frozenset({AdjustmentKind.SUSPENSION, AdjustmentKind.PUBLIC_NOTICE})


class NoticeKind(StrEnum):
    DUE_SOON = "due_soon"
    BREACHED = "breached"


class PeriodUnit(StrEnum):
    DAYS = "days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"
    REVERSE = "reverse"  # "at least N days before the event": `start` is the event's date
