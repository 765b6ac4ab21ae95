"""Translated labels for service records; merged into `labels.LABELS` and `labels.TIMELINE_KINDS`."""

from flask_babel import lazy_gettext as _l

from disputes.models import ServiceMethod

SERVICE_LABELS = {
    ServiceMethod: {
        ServiceMethod.IN_PERSON: _l("In person"),
        ServiceMethod.POST: _l("By registered post"),
        ServiceMethod.ELECTRONIC: _l("By e-mail or SMS link"),
        ServiceMethod.PUBLIC_NOTICE: _l("By public notice"),
    },
}
SERVICE_TIMELINE = {
    "document_served": _l("Document served"),
    "document_deemed_served": _l("Document deemed served (public notice)"),
}
