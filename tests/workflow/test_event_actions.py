"""Events are the step table's actions (issue 12, finding 7): every event a deadline rule names is an action in
`ACTIONS` (or one of the few documented non-action events), and every action a rule names declares its date."""

import pytest
import sqlalchemy as sa

from disputes.i18n import DomainError
from disputes.models import Role
from disputes.models.sla import SlaRule
from disputes.sla import events, rules
from disputes.workflow.tracks import ACTIONS
from tests.pages import field_errors, flashes, t

EVENT_FIELDS = ("triggers", "completed_by", "cancelled_by")


def named(rule) -> set[str]:
    get = rule.get if isinstance(rule, dict) else lambda name: getattr(rule, name)
    return {name for field in EVENT_FIELDS for name in get(field) or ()}


def check(rule_id: str, names: set[str]) -> list[str]:
    problems = []
    for name in sorted(names):
        if name in events.NON_ACTION_EVENTS:
            continue
        if name not in ACTIONS:
            problems.append(f"{rule_id}: {name} is not an action")
        elif ACTIONS[name].dated_by is None:
            problems.append(f"{rule_id}: {name} declares no date")
    return problems


def test_every_event_of_the_shipped_rules_is_an_action_that_declares_its_date():
    problems = [p for row in rules.seed_rows() for p in check(row["rule_id"], named(row))]
    assert problems == []


def test_every_event_of_every_stored_rule_version_is_an_action_that_declares_its_date(db):
    stored = db.session.scalars(sa.select(SlaRule).order_by(SlaRule.rule_id, SlaRule.version)).all()
    assert {r.rule_id for r in stored} >= {row["rule_id"] for row in rules.seed_rows()}
    problems = [p for rule in stored for p in check(f"{rule.rule_id} v{rule.version}", named(rule))]
    assert problems == []


def test_the_non_action_events_are_few_and_named_by_a_rule():
    assert events.NON_ACTION_EVENTS == {"case_registered"}
    assert not events.NON_ACTION_EVENTS & set(ACTIONS)
    used = set().union(*(named(row) for row in rules.seed_rows()))
    assert events.NON_ACTION_EVENTS <= used


def test_the_event_date_is_the_date_the_action_declares():
    assert not hasattr(events, "EVENT_DATES")

    class Row:
        served_on = "the day served"

    assert ACTIONS["arbitration.serve_respondent"].date_of(Row()) == "the day served"
    assert events.event_date("arbitration.serve_respondent", Row(), None) == "the day served"


def test_an_edit_naming_an_unknown_event_or_an_undated_action_is_refused(db, org):
    admin = org.user(Role.ADMIN)
    undated = next(name for name, act in ACTIONS.items() if act.dated_by is None)
    for field, value in (
        ("triggers", ["arbitration.accept", "arbitration.acept"]),
        ("completed_by", ["no.such.event"]),
        ("cancelled_by", [undated]),
    ):
        with pytest.raises(DomainError) as refused:
            rules.edit_rule(db.session, admin, "arbitration.award", **{field: value})
        assert getattr(refused.value, "field", None) == field
    shipped = rules.current_rules(db.session)["arbitration.award"].version  # refusals add no version
    saved = rules.edit_rule(
        db.session, admin, "arbitration.award", completed_by=["arbitration.approve_closure", "arbitration.refuse"]
    )
    assert (saved.version, saved.completed_by) == (shipped + 1, ["arbitration.approve_closure", "arbitration.refuse"])


def test_the_rule_form_edits_the_events_and_refuses_unknown_names(app, db, org, login):
    client = login(org.user(Role.ADMIN))
    shipped = rules.current_rules(db.session)["arbitration.award"].version
    form = {
        "title": "仲裁结案（裁决、调解、撤回等）",
        "title_en": "Close the case (award, mediation statement, withdrawal…)",
        "period": "45",
        "unit": "days",
        "warning_days": "3",
        "pausable": "y",
        "max_extension_days": "15",
        "legal_basis": "《劳动争议调解仲裁法》第四十三条",
        "note": "",
        "active": "y",
        "triggers": "arbitration.accept",
        "completed_by": "arbitration.approve_closure",
        "cancelled_by": "",
    }
    response = client.post(
        "/admin/rules/arbitration.award", data=form | {"triggers": "arbitration.accept, arbitration.accepted"}
    )
    assert response.status_code == 200
    assert field_errors(response, "triggers") == [t(app, "Unknown events: %(names)s.", names="arbitration.accepted")]
    db.session.expire_all()
    assert rules.current_rules(db.session)["arbitration.award"].version == shipped

    response = client.post(
        "/admin/rules/arbitration.award",
        data=form | {"cancelled_by": "arbitration.refuse\narbitration.correction_lapsed"},
        follow_redirects=True,
    )
    assert t(
        app, "Rule %(rule)s saved as version %(version)s.", rule="arbitration.award", version=shipped + 1
    ) in flashes(response)
    db.session.expire_all()
    saved = rules.current_rules(db.session)["arbitration.award"]
    assert saved.cancelled_by == ["arbitration.refuse", "arbitration.correction_lapsed"]
    assert saved.triggers == ["arbitration.accept"]
