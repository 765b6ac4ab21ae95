"""The rows a drill-down list downloads: one line per counted row, the applicant's ID number masked."""

from __future__ import annotations

from flask_babel import gettext as _

from disputes.labels import label
from disputes.labels.status import case_closed_on, case_status
from disputes.models import Case
from disputes.web.formats import local_date, unit_name


def headers(extra: list[str] = ()) -> list[str]:
    return [
        _("Case"),
        *extra,
        _("Unit"),
        _("Registered"),
        _("Applicant"),
        _("ID number (masked)"),
        _("Stage"),
        _("Status"),
        _("Closed on"),
    ]


def case_row(case: Case, extra: list = ()) -> list:
    applicant = next(iter(case.applicants), None)
    return [
        case.registry_no,
        *extra,
        unit_name(case.unit),
        local_date(case.registered_on),
        applicant.name if applicant else "",
        (applicant.masked_id or "") if applicant else "",
        label(case.stage),
        case_status(case),
        case_closed_on(case),
    ]
