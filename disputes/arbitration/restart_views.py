"""The steps that restart the award period (Rules Art 46): thin wrappers around `workflow.restarts`."""

from flask_babel import gettext as _
from wtforms import SelectChoice

from disputes.arbitration.restart_forms import AddPartyForm, ClaimsChangeForm, CounterClaimForm, TransferInForm
from disputes.labels import label
from disputes.web.formats import money
from disputes.web.steps import Step, default_today
from disputes.workflow import restarts as ops
from disputes.workflow.intake import PartyInput

BLANK_ROWS = 2


def _add_party(session, case, actor, row, f):
    party = PartyInput(
        side=None,
        kind=f.kind.data,
        name=f.party_name.data or "",
        sex=f.sex.data or None,
        birth_date=f.birth_date.data,
        id_number=f.id_number.data,
        credit_code=f.credit_code.data,
        legal_representative=f.legal_representative.data,
        phone=f.phone.data,
        address=f.address.data,
    )
    return ops.add_party(
        session,
        case,
        actor,
        party=party,
        capacity=f.capacity.data,
        decided_on=f.decided_on.data,
        note=f.note.data or "",
        expected_version=f.expected_version(),
    )


def _claims_prepare(form, case, row):
    """Every claim as it reads now, then blank rows for added claims."""
    offered = [SelectChoice("", _("New claim"))] + [
        SelectChoice(c.id, f"{label(c.category)} {money(c.amount)}") for c in case.claims
    ]
    if not form.is_submitted():
        while len(form.claims):
            form.claims.pop_entry()
        for claim in case.claims:
            form.claims.append_entry(
                {"claim_id": claim.id, "category": claim.category, "amount": claim.amount, "what": claim.description}
            )
        for _row in range(BLANK_ROWS):
            form.claims.append_entry()
    for entry in form.claims:
        entry.claim_id.choices = offered
    default_today("accepted_on")(form, case, row)


def _change_claims(session, case, actor, row, f):
    changes = [
        ops.ClaimChange(
            claim_id=e.claim_id.data, category=e.category.data, amount=e.amount.data, description=e.what.data or ""
        )
        for e in f.rows()
    ]
    return ops.change_claims(
        session,
        case,
        actor,
        changes=changes,
        accepted_on=f.accepted_on.data,
        note=f.note.data or "",
        expected_version=f.expected_version(),
    )


RESTART_STEPS = [
    Step(ops.ADD_PARTY.name, AddPartyForm, prepare=default_today("decided_on"), perform=_add_party),
    Step(ops.CHANGE_CLAIMS.name, ClaimsChangeForm, prepare=_claims_prepare, perform=_change_claims),
    Step(
        ops.COUNTER_CLAIM.name,
        CounterClaimForm,
        prepare=default_today("accepted_on"),
        perform=lambda session, case, actor, row, f: ops.counter_claim(
            session,
            case,
            actor,
            claims_text=f.claims_text.data,
            amount=f.amount.data,
            accepted_on=f.accepted_on.data,
            note=f.note.data or "",
            expected_version=f.expected_version(),
        ),
    ),
    Step(
        ops.TRANSFER_IN.name,
        TransferInForm,
        prepare=default_today("received_on"),
        perform=lambda session, case, actor, row, f: ops.transfer_in(
            session,
            case,
            actor,
            transferred_from=f.transferred_from.data,
            received_on=f.received_on.data,
            note=f.note.data or "",
            expected_version=f.expected_version(),
        ),
    ),
]
