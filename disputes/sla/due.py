"""The deadlines a case's timers give, for every reader that shows or checks one (issue 12: every date comes from
the case's timers — the queues, the workflow's guards, the documents).

Reads `case.timers`, which is loaded with the cases themselves (one statement for a whole list of cases), so it
adds no query of its own. A rule with no open timer has no date here: the caller shows none rather than an
invented one. No Flask.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from disputes.models import Case
from disputes.models.sla import SlaTimer
from disputes.sla.states import OPEN_STATUSES

ANY = object()  # any subject: the timers of a rule for every row (party, lawsuit, hearing) of the case


def open_timers(case: Case, rule_ids: Iterable[str], subject_id=ANY) -> list[SlaTimer]:
    """The case's running, suspended or overdue timers of these rules (for one subject, or for any)."""
    wanted = set(rule_ids)
    return [
        t
        for t in case.timers
        if t.rule_id in wanted and t.status in OPEN_STATUSES and (subject_id is ANY or t.subject_id == subject_id)
    ]


def due_on(case: Case, rule_id: str, subject_id=None) -> date | None:
    """The deadline of the open timer of `rule_id` for `subject_id` (None: the case's own); None when no timer of
    the rule runs, or while it is suspended."""
    found = open_timers(case, (rule_id,), subject_id)
    return found[-1].due_on if found else None


def latest_due(case: Case, rule_ids: Iterable[str], subject_id=ANY) -> date | None:
    """The last of the deadlines of the open timers of these rules (e.g. the right-to-sue periods of the parties)."""
    return max((t.due_on for t in open_timers(case, rule_ids, subject_id) if t.due_on is not None), default=None)
