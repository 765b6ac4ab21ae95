"""The one place a case's status reads as text: open, closed, or arbitration closed with a right-to-sue period
still running (the case stays open until the award takes effect, so a bare "open" misled the readers of a
"closed" drill-down)."""

from __future__ import annotations

from flask_babel import gettext

from disputes.models import Case
from disputes.web.formats import local_date
from disputes.workflow.progress import awaiting_effect
from disputes.workflow.states import CaseStatus


def arbitration_closed_on(case: Case):
    """The arbitration's closing date when it is closed and the award waits out a right-to-sue period, else None."""
    if case.status != CaseStatus.OPEN or not awaiting_effect(case):
        return None
    return case.arbitration.closed_on


def case_status(case: Case, dated: bool = False) -> str:
    """'Open', 'Closed' or 'Arbitration closed · period to sue'; `dated` adds the arbitration's closing date (a
    header has no closing-date column)."""
    closed_on = arbitration_closed_on(case)
    if closed_on is not None:
        text = gettext("Arbitration closed · period to sue")
        return gettext("%(status)s (closed %(date)s)", status=text, date=local_date(closed_on)) if dated else text
    from disputes.labels import label

    return label(case.status)


def case_closed_on(case: Case) -> str:
    """The closing date a list shows: the case's, else the arbitration's while the award waits, else '—'."""
    day = case.closed_on or arbitration_closed_on(case)
    return local_date(day) if day else "—"
