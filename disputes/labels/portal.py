"""Labels of the parties' side (issue 20)."""

from flask_babel import lazy_gettext as _l

from disputes.models.enums import ApplicationStatus, MessageChannel, MessageStatus

PORTAL_LABELS = {
    ApplicationStatus: {
        ApplicationStatus.SUBMITTED: _l("Waiting for the check"),
        ApplicationStatus.CORRECTION: _l("More information needed"),
        ApplicationStatus.ACCEPTED: _l("Accepted"),
        ApplicationStatus.REFUSED: _l("Not accepted"),
    },
    MessageChannel: {MessageChannel.SMS: _l("SMS"), MessageChannel.EMAIL: _l("E-mail")},
    MessageStatus: {
        MessageStatus.QUEUED: _l("Queued"),
        MessageStatus.SENT: _l("Sent"),
        MessageStatus.DELIVERED: _l("Delivered"),
        MessageStatus.FAILED: _l("Failed"),
    },
}
