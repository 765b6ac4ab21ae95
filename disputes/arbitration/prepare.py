"""Shared `prepare` helpers of the arbitration steps: defaults and choices."""

from wtforms import SelectChoice

from disputes.labels import NONE_CHOSEN
from disputes.web.formats import local_datetime
from disputes.workflow.states import HearingState


def hearing_place(hearing) -> str:
    return hearing.room.name if hearing.room is not None else (hearing.online_link or "")


def scheduled_hearing_choices(row) -> list[SelectChoice]:
    scheduled = [h for h in row.hearings if h.state == HearingState.SCHEDULED]
    return [NONE_CHOSEN] + [
        SelectChoice(h.id, f"{local_datetime(h.starts_at)} · {hearing_place(h)}") for h in scheduled
    ]
