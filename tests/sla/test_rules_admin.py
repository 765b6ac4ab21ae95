"""The administrator's deadline rules: the list, an edit that adds a version, and running timers that keep
the version they started with."""

from datetime import date

import pytest
import sqlalchemy as sa

from disputes.models import Role
from disputes.models.sla import SlaRule
from disputes.sla import rules
from disputes.sla.states import TimerStatus
from disputes.workflow.states import ArbitrationState
from tests.drive import Driver
from tests.pages import field_errors, flashes, parse, t, text

KEEP = "Timers already running keep the version they started with."


@pytest.fixture
def admin(org, login):
    return login(org.user(Role.ADMIN))


def award_form(**changes) -> dict:
    data = {
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
        "triggers": "arbitration.accept arbitration.add_party arbitration.change_claims arbitration.counter_claim "
        "arbitration.transfer_in",
        "completed_by": "arbitration.record_award arbitration.request_closure arbitration.approve_closure",
        "cancelled_by": "",
    }
    return {k: v for k, v in (data | changes).items() if v is not None}


def versions(db, rule_id) -> list[int]:
    db.session.expire_all()
    return [r.version for r in rules.history(db.session, rule_id)]


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_the_list_shows_every_rule_in_its_current_version(app, db, org, login, locale):
    org.user(Role.ADMIN).locale = locale
    db.session.commit()
    client = login(org.user(Role.ADMIN))
    rules.edit_rule(db.session, org.user(Role.ADMIN), "arbitration.award", period=60)
    db.session.commit()
    response = client.get("/admin/rules")
    assert response.status_code == 200
    doc = parse(response)
    rows = {r.get("id")[len("rule-") :]: r for r in doc.iter("tr") if (r.get("id") or "").startswith("rule-")}
    assert set(rows) == {row["rule_id"] for row in rules.seed_rows()}
    award = [text(td) for td in rows["arbitration.award"].iter("td")]
    title = (
        "Close the case (award, mediation statement, withdrawal…)"
        if locale == "en"
        else "仲裁结案（裁决、调解、撤回等）"
    )
    assert text(rows["arbitration.award"].find(".//a")) == "arbitration.award" and award[0].endswith(title)
    assert award[1] == t(app, "%(count)s days", locale, count=60) + t(app, "+ at most %(days)s days", locale, days=15)
    # Version 2 ships with the restarts of Rules Art 46 (migration 0011): the edit is version 3.
    assert (award[4], award[5], award[6], award[7]) == (
        t(app, "Yes", locale),
        "3",
        "《劳动争议调解仲裁法》第四十三条",
        "v3",
    )
    first_instance = text(rows["litigation.first_instance"].findall("td")[1])
    assert t(app, "%(count)s months", locale, count=3) in first_instance  # the simplified procedure's variant
    assert t(app, KEEP, locale) in text(doc.find(".//body"))


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_the_edit_page_shows_the_form_the_events_and_the_history(app, db, org, login, locale):
    org.user(Role.ADMIN).locale = locale
    db.session.commit()
    client = login(org.user(Role.ADMIN))
    response = client.get("/admin/rules/arbitration.award")
    assert response.status_code == 200
    doc = parse(response)
    inputs = {e.get("name"): e.get("value") for e in doc.iter("input")}
    assert (inputs["period"], inputs["warning_days"], inputs["max_extension_days"]) == ("45", "3", "15")
    areas = {e.get("name"): text(e) for e in doc.iter("textarea")}
    assert (areas["triggers"], areas["completed_by"], areas["cancelled_by"]) == (
        (
            "arbitration.accept arbitration.add_party arbitration.change_claims arbitration.counter_claim "
            "arbitration.transfer_in"
        ),
        "arbitration.record_award arbitration.request_closure arbitration.approve_closure",
        "",
    )  # the events, by name (tests/workflow/test_event_actions.py)
    body = text(doc.find(".//body"))
    assert "Timers already running keep the version they started with." in t(app, KEEP, "en")
    assert t(app, KEEP, locale) in body
    assert client.get("/admin/rules/no.such.rule").status_code == 404


def test_an_edit_adds_a_version_and_a_refusal_adds_none(app, db, org, admin):
    response = admin.post("/admin/rules/arbitration.award", data=award_form(period="60"), follow_redirects=True)
    assert t(app, "Rule %(rule)s saved as version %(version)s.", rule="arbitration.award", version=3) in flashes(
        response
    )
    assert versions(db, "arbitration.award") == [3, 2, 1]
    newest = rules.current_rules(db.session)["arbitration.award"]
    shipped = rules.history(db.session, "arbitration.award")[1]  # version 2, with the Rules Art 46 restarts
    assert (newest.period, newest.triggers, newest.created_by_id) == (60, shipped.triggers, org.user(Role.ADMIN).id)
    history = [[text(td) for td in r.iter("td")] for r in parse(response).iter("tr") if r.find("td") is not None]
    assert [row[0] for row in history] == ["v3", "v2", "v1"]
    assert history[0][2] == "admin" and history[1][2] == history[2][2] == t(app, "as shipped")

    response = admin.post("/admin/rules/arbitration.award", data=award_form(period="-1"))
    assert response.status_code == 200 and field_errors(response, "period")
    response = admin.post("/admin/rules/arbitration.award", data=award_form(period="60"), follow_redirects=True)
    assert t(app, "Nothing changed.") in flashes(response)
    assert versions(db, "arbitration.award") == [3, 2, 1]
    admin.post("/admin/rules/arbitration.award", data=award_form(period="60", active=None))
    assert rules.current_rules(db.session)["arbitration.award"].active is False


def test_an_edit_applies_to_timers_started_after_it_not_to_running_ones(app, db, org, admin, make_case):
    first = make_case()
    Driver(db.session, org, first).arbitration(ArbitrationState.ACCEPTED)
    db.session.commit()
    running = next(t for t in first.timers if t.rule_id == "arbitration.award")
    assert (running.rule.version, running.period, running.nominal_on) == (2, 45, date(2027, 1, 4))

    admin.post("/admin/rules/arbitration.award", data=award_form(period="60"))

    second = make_case(dispute_known_on=date(2026, 11, 1))
    Driver(db.session, org, second).arbitration(ArbitrationState.ACCEPTED)
    db.session.commit()
    started = next(t for t in second.timers if t.rule_id == "arbitration.award")
    assert (started.rule.version, started.period, started.nominal_on) == (3, 60, date(2027, 1, 19))
    db.session.refresh(running)
    assert (running.rule.version, running.period, running.nominal_on, running.status) == (
        2,
        45,
        date(2027, 1, 4),
        TimerStatus.RUNNING,
    )
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(SlaRule).where(SlaRule.rule_id == "arbitration.award"))
        == 3
    )


def test_only_admins(db, org, login):
    client = login(org.user(Role.ARBITRATOR))
    assert client.get("/admin/rules").status_code == 403
    assert client.post("/admin/rules/arbitration.award", data=award_form(period="1")).status_code == 403
    assert rules.current_rules(db.session)["arbitration.award"].version == 2
