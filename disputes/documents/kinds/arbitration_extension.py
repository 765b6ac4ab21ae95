"""延期通知书: the parties are told in writing that the award period was extended (Law Art 43, Rules Art 45).

One notice per approved extension (subject key = the extension's id), offered on the case page once the
commission's head has approved it, issued with a number of the commission's `arbitration_doc` family and served
on each party like the other notices. The dates are the award deadline before and after the extension as kept
on the approval (`Extension.due_before` / `due_after`), not today's timer.
"""

from __future__ import annotations

from disputes.documents.catalogue import Subject, document
from disputes.documents.context import party_context
from disputes.documents.kinds.arbitration import arbitration_context
from disputes.i18n import N_
from disputes.models import Case
from disputes.workflow.interruptions import MAX_EXTENSION_DAYS
from disputes.workflow.states import Approval


def _approved_extensions(session, case: Case) -> list[Subject]:
    arbitration = getattr(case, "arbitration", None)
    if arbitration is None:
        return []
    return [
        Subject(
            str(e.id),
            N_("Extension of %(days)s days approved on %(date)s"),
            {"days": e.days, "date": e.decided_on.isoformat()},
            e,
        )
        for e in arbitration.extensions
        if e.state == Approval.APPROVED
    ]


@document(
    "arb_extension_notice",
    N_("Notice of extension of the arbitration period"),
    family="arbitration_doc",
    track="arbitration",
    subjects=_approved_extensions,
    order=375,
    dated=lambda s, case, subject: subject.obj.decided_on,
)
def extension_notice(session, case: Case, subject: Subject) -> dict:
    extension = subject.obj
    arbitration = case.arbitration
    approved = [e for e in arbitration.extensions if e.state == Approval.APPROVED]
    return {
        "arbitration": arbitration_context(arbitration),
        # 第三人 are told too: they take part in the proceedings whose period changes.
        "third_parties": [party_context(p) for p in case.third_parties],
        "extension": {
            "days": extension.days,
            "reason": extension.reason,
            "decided_on": extension.decided_on,
            "due_before": extension.due_before,
            "due_after": extension.due_after,
            "total_days": sum(e.days for e in approved[: approved.index(extension) + 1]),
            "max_days": MAX_EXTENSION_DAYS,
        },
    }
