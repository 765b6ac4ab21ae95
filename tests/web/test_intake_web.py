"""Registering a case through the web form: check → review → confirm, and every refusal."""

import re
from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from disputes.models import Case, ClaimCategory, PartyKind, PartySide, Role, TimelineEntry
from tests.conftest import EMPLOYER_CODE, WORKER_ID
from tests.pages import classes, parse, t, text

SECOND_ID = "440304199001011233"  # born 1990-01-01, valid check digit
THIRD_ID = "36012219780615201X"
SECOND_CODE = "91440300708461136T"

DUPLICATE = "%(registry_no)s is already open between the same worker and employer."
LIMITATION = (
    "The dispute became known on %(known)s and the limitation period ended on %(ended)s: "
    "the claim may be time-barred (Law Art 27)."
)


# --- helpers -------------------------------------------------------------------------


def intake_form(response):
    (form,) = [f for f in parse(response).iter("form") if "intake" in classes(f)]
    return form


def form_values(form) -> MultiDict:
    """What a browser would submit for this form as rendered (checked boxes, selected options)."""
    values = MultiDict()
    for element in form.iter():
        name = element.get("name")
        if not name or element.get("disabled") is not None:
            continue
        if element.tag == "input":
            kind = (element.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if element.get("checked") is not None:
                    values.add(name, element.get("value", "on"))
            elif kind not in ("submit", "button", "reset", "image", "file"):
                values.add(name, element.get("value") or "")
        elif element.tag == "select":
            options = list(element.iter("option"))
            chosen = [o for o in options if o.get("selected") is not None] or options[:1]
            for option in chosen:
                values.add(name, option.get("value", text(option)))
        elif element.tag == "textarea":
            values.add(name, element.text or "")
    return values


def errors_at(response, name: str) -> list[str]:
    """Error messages in the same form cell or field block as the input called `name`."""
    found = None
    for container in parse(response).iter():
        if (container.tag == "td" or (container.tag == "div" and "field" in classes(container))) and any(
            e.get("name") == name for e in container.iter()
        ):
            found = container
    assert found is not None, f"no input {name} on the page"
    return [text(e) for e in found.iter("small") if "error" in classes(e)]


def section_errors(response, rows: str) -> list[str]:
    for fieldset in parse(response).iter("fieldset"):
        if any(table.get("data-rows") == rows for table in fieldset.iter("table")):
            return [text(p) for p in fieldset.iter("p") if "error" in classes(p)]
    raise AssertionError(f"no {rows} section")


def checked_flags(response) -> dict[str, bool]:
    values = form_values(intake_form(response))
    return {
        name: name in values
        for name in ("migrant_wage", "work_injury", "green_channel", "collective", "limitation_warning")
    }


def case_count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Case))


def intake_data(unit, **changes) -> dict:
    """Three workers, two employers, an agent and three claims, as typed into the form."""
    data = {
        "unit_id": str(unit.id),
        "registered_on": "2026-11-20",
        "dispute_known_on": "2026-10-01",
        "cause": "拖欠工资及工伤医疗费",
        "facts": "8月起未发工资；9月在车间受伤。",
        "workers-0-name": "张三",
        "workers-0-sex": "female",
        "workers-0-id_number": WORKER_ID,
        "workers-0-birth_date": "1949-12-31",
        "workers-0-phone": "13800000001",
        "workers-0-address": "龙岗区布吉街道",
        "workers-0-migrant_worker": "y",
        "workers-0-is_representative": "y",
        "workers-1-name": "李四",
        "workers-1-sex": "male",
        "workers-1-id_number": SECOND_ID,
        "workers-1-migrant_worker": "y",
        "workers-2-name": "王五",
        "workers-2-id_number": THIRD_ID,
        "employers-0-name": "深圳市宏达电子科技有限公司",
        "employers-0-credit_code": EMPLOYER_CODE,
        "employers-0-legal_representative": "陈大文",
        "employers-0-phone": "0755-28880000",
        "employers-1-name": "深圳市宏达劳务派遣有限公司",
        "employers-1-credit_code": SECOND_CODE,
        "agents-0-side": "applicant",
        "agents-0-name": "赵律师",
        "agents-0-address": "广东某某律师事务所",
        "claims-0-category": "wages",
        "claims-0-amount": "12000.00",
        "claims-0-description": "2026年8月至10月工资",
        "claims-1-category": "work_injury_medical",
        "claims-1-amount": "3500.5",
        "claims-2-category": "confirm_employment",
        "claims-2-description": "确认2024年3月起存在劳动关系",
    }
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def without(data: dict, prefix: str) -> dict:
    return {k: v for k, v in data.items() if not k.startswith(prefix)}


def review_then_confirm(client, data, **flag_overrides):
    """POST the form, check the review step came back, and submit it again as shown."""
    review = client.post("/cases/new", data=data)
    assert review.status_code == 200
    values = form_values(intake_form(review))
    assert values["step"] == "confirm"
    for name, on in flag_overrides.items():
        values.poplist(name)
        if on:
            values.add(name, "y")
    return review, client.post("/cases/new", data=values)


# --- the happy path ----------------------------------------------------------------


def test_get_shows_an_empty_form_for_the_users_unit(org, login):
    client = login(org.user(Role.CLERK))
    response = client.get("/cases/new")
    assert response.status_code == 200
    values = form_values(intake_form(response))
    assert values["unit_id"] == str(org.centre.id)
    assert values["registered_on"] == "2026-11-20"  # today in Shanghai (frozen clock)
    assert values["step"] == "check" and values["reviewed"] == ""
    assert "workers-0-name" in values and "claims-1-category" in values


def test_register_happy_path(app, db, org, login):
    client = login(org.user(Role.CLERK))
    review = client.post("/cases/new", data=intake_data(org.centre))

    # 1. The review step: nothing written yet, flags derived, a fingerprint to confirm.
    assert review.status_code == 200
    assert case_count(db) == 0
    form = intake_form(review)
    assert [f for f in form.iter("fieldset") if "review" in classes(f)]
    values = form_values(form)
    assert values["step"] == "confirm"
    assert re.fullmatch(r"[0-9a-f]{16}", values["reviewed"])
    assert checked_flags(review) == {
        "migrant_wage": True,
        "work_injury": True,
        "green_channel": True,
        "collective": False,
        "limitation_warning": False,
    }
    assert t(app, "No open case between these parties; no limitation concern.") in text(form)
    # Everything typed is still in the form.
    assert values["workers-2-name"] == "王五" and values["claims-1-amount"] == "3500.5"
    assert values["employers-1-credit_code"] == SECOND_CODE

    # 2. Confirm as shown.
    response = client.post("/cases/new", data=values)
    assert response.status_code == 302
    case = db.session.scalar(sa.select(Case))
    assert urlsplit(response.headers["Location"]).path == f"/cases/{case.id}"
    assert t(app, "Case %(no)s registered.", no=case.registry_no) in text(parse(client.get(f"/cases/{case.id}")))

    assert case.registry_no == "LGC〔2026〕1号"
    assert case.unit_id == org.centre.id and case.created_by_id == org.user(Role.CLERK).id
    assert (case.registered_on, case.dispute_known_on) == (date(2026, 11, 20), date(2026, 10, 1))
    assert case.cause == "拖欠工资及工伤医疗费" and case.facts == "8月起未发工资；9月在车间受伤。"
    assert case.worker_count == 3
    assert (case.migrant_wage, case.work_injury, case.green_channel, case.collective, case.limitation_warning) == (
        True,
        True,
        True,
        False,
        False,
    )

    workers = [p for p in case.parties if p.kind == PartyKind.WORKER]
    assert [(w.name, w.id_number, w.side) for w in workers] == [
        ("张三", WORKER_ID, PartySide.APPLICANT),
        ("李四", SECOND_ID, PartySide.APPLICANT),
        ("王五", THIRD_ID, PartySide.APPLICANT),
    ]
    first = workers[0]
    assert (first.sex, first.birth_date, first.phone, first.id_tail) == (
        "female",
        date(1949, 12, 31),
        "13800000001",
        "002X",
    )
    assert first.migrant_worker and first.is_representative and not workers[2].migrant_worker
    employers = [p for p in case.parties if p.kind == PartyKind.EMPLOYER]
    assert [(e.name, e.credit_code, e.side) for e in employers] == [
        ("深圳市宏达电子科技有限公司", EMPLOYER_CODE, PartySide.RESPONDENT),
        ("深圳市宏达劳务派遣有限公司", SECOND_CODE, PartySide.RESPONDENT),
    ]
    assert employers[0].legal_representative == "陈大文"
    (agent,) = [p for p in case.parties if p.kind == PartyKind.AGENT]
    assert (agent.name, agent.side, agent.address) == ("赵律师", PartySide.APPLICANT, "广东某某律师事务所")
    assert [(c.category, c.amount, c.description) for c in case.claims] == [
        (ClaimCategory.WAGES, Decimal("12000.00"), "2026年8月至10月工资"),
        (ClaimCategory.WORK_INJURY_MEDICAL, Decimal("3500.50"), ""),
        (ClaimCategory.CONFIRM_EMPLOYMENT, None, "确认2024年3月起存在劳动关系"),
    ]
    (entry,) = db.session.scalars(sa.select(TimelineEntry).where(TimelineEntry.case_id == case.id)).all()
    assert entry.kind == "case_registered" and entry.actor_id == org.user(Role.CLERK).id


def test_case_page_after_registration_shows_parties_masked(db, org, login):
    client = login(org.user(Role.CLERK))
    _, response = review_then_confirm(client, intake_data(org.centre))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    for name in ("张三", "李四", "王五", "深圳市宏达劳务派遣有限公司", "赵律师"):
        assert name in page
    assert "110105********002X" in page and WORKER_ID not in page
    assert "440304********1233" in page and SECOND_ID not in page
    assert EMPLOYER_CODE in page  # a credit code is public, not masked


@pytest.mark.parametrize("role", [Role.MEDIATOR, Role.ARBITRATOR, Role.SUPERVISOR])
def test_other_registrars_register_into_their_unit(db, org, login, role):
    user = org.user(role)
    client = login(user)
    _, response = review_then_confirm(client, intake_data(user.unit))
    assert response.status_code == 302
    case = db.session.scalar(sa.select(Case))
    assert case.unit_id == user.unit_id and case.created_by_id == user.id


def test_clerk_may_register_into_a_unit_below(db, org, login):
    client = login(org.user(Role.CLERK))
    _, response = review_then_confirm(client, intake_data(org.mediation))
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Case)).unit_id == org.mediation.id


def test_id_numbers_are_normalised(db, org, login):
    client = login(org.user(Role.CLERK))
    data = intake_data(
        org.centre,
        **{"workers-0-id_number": " 110105 19491231 002x ", "employers-0-credit_code": EMPLOYER_CODE.lower()},
    )
    _, response = review_then_confirm(client, data)
    assert response.status_code == 302
    case = db.session.scalar(sa.select(Case))
    assert case.parties[0].id_number == WORKER_ID and case.parties[0].id_tail == "002X"
    assert next(p.credit_code for p in case.parties if p.kind == PartyKind.EMPLOYER) == EMPLOYER_CODE


# --- refusals: the message next to the field, the typed input kept, nothing written -----


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"workers-1-id_number": "440304199001011234"},
            "workers-1-id_number",
            "Not a valid resident ID number (check the 18 characters and the last digit).",
        ),
        (
            {"workers-0-id_number": "11010519491231"},
            "workers-0-id_number",
            "Not a valid resident ID number (check the 18 characters and the last digit).",
        ),
        (
            {"employers-1-credit_code": "91440300708461136U"},
            "employers-1-credit_code",
            "Not a valid unified social credit code (18 characters, check digit).",
        ),
        ({"claims-0-amount": "-100"}, "claims-0-amount", "An amount cannot be negative."),
        ({"claims-1-amount": "3500.505"}, "claims-1-amount", "Amounts have at most two decimals (fen)."),
        (
            {"workers-1-birth_date": "1990-10-01"},
            "workers-1-birth_date",
            "The date of birth differs from the one in the ID number.",
        ),
        ({"dispute_known_on": "2026-11-21"}, "dispute_known_on", "This date is after the date received."),
        ({"workers-1-name": "", "workers-1-phone": "13800000002"}, "workers-1-name", "Give the worker's name."),
        ({"employers-1-name": ""}, "employers-1-name", "Give the employer's name."),
        ({"claims-2-category": ""}, "claims-2-category", "Choose the claim's category."),
        ({"agents-0-name": ""}, "agents-0-name", "Give the agent's name."),
        ({"worker_count": "0"}, "worker_count", "At least one worker."),
    ],
)
def test_field_errors_are_shown_next_to_the_field(app, db, org, login, changes, field, message):
    client = login(org.user(Role.CLERK))
    data = intake_data(org.centre, **changes)
    response = client.post("/cases/new", data=data)
    assert response.status_code == 200
    assert errors_at(response, field) == [t(app, message)]
    values = form_values(intake_form(response))
    assert values["step"] == "check"  # back to checking, not to the review
    assert not [f for f in intake_form(response).iter("fieldset") if "review" in classes(f)]
    # The typed input is kept, the wrong value included.
    for key, value in data.items():
        if key.startswith(("workers", "employers", "claims", "agents")) or key in ("cause", "dispute_known_on"):
            assert values.get(key) == value, key
    assert case_count(db) == 0


def test_missing_cause(app, db, org, login):
    client = login(org.user(Role.CLERK))
    response = client.post("/cases/new", data=intake_data(org.centre, cause=""))
    assert response.status_code == 200
    assert len(errors_at(response, "cause")) == 1
    assert form_values(intake_form(response))["workers-1-name"] == "李四"
    assert case_count(db) == 0


def test_missing_received_date(db, org, login):
    client = login(org.user(Role.CLERK))
    response = client.post("/cases/new", data=intake_data(org.centre, registered_on=""))
    assert response.status_code == 200
    assert errors_at(response, "registered_on")
    assert case_count(db) == 0


@pytest.mark.parametrize(
    "prefix, section, message",
    [
        ("workers-", "workers", "Add at least one worker."),
        ("employers-", "employers", "Add at least one employer."),
        ("claims-", "claims", "Add at least one claim."),
    ],
)
def test_missing_section(app, db, org, login, prefix, section, message):
    client = login(org.user(Role.CLERK))
    data = without(intake_data(org.centre), prefix)
    response = client.post("/cases/new", data=data)
    assert response.status_code == 200
    assert section_errors(response, section) == [t(app, message)]
    values = form_values(intake_form(response))
    assert values["cause"] == data["cause"]
    for key, value in data.items():
        if key.startswith(("workers", "employers", "claims")):
            assert values.get(key) == value, key
    assert case_count(db) == 0


def test_several_errors_at_once_are_all_shown(app, db, org, login):
    client = login(org.user(Role.CLERK))
    data = intake_data(
        org.centre,
        **{
            "workers-0-id_number": "110105194912310021",
            "claims-0-amount": "-1",
            "employers-0-credit_code": "91350100M000100Y44",
        },
    )
    response = client.post("/cases/new", data=data)
    assert errors_at(response, "workers-0-id_number")
    assert errors_at(response, "claims-0-amount") == [t(app, "An amount cannot be negative.")]
    assert errors_at(response, "employers-0-credit_code")
    assert t(app, "Some entries need correcting; they are marked below. Nothing you typed was lost.") in text(
        parse(response)
    )
    assert case_count(db) == 0


def test_received_date_in_the_future_is_refused_at_the_field(app, db, org, login):
    client = login(org.user(Role.CLERK))
    response = client.post("/cases/new", data=intake_data(org.centre, registered_on="2026-11-21"))
    assert response.status_code == 200
    assert errors_at(response, "registered_on") == [t(app, "The registration date cannot be in the future.")]
    assert form_values(intake_form(response))["step"] == "check"
    assert case_count(db) == 0


# --- warnings in the review step ------------------------------------------------------


def test_duplicate_warning_shows_but_does_not_block(app, db, org, login, make_case):
    existing = make_case()
    client = login(org.user(Role.CLERK))
    review, response = review_then_confirm(client, intake_data(org.centre))
    warning = t(app, DUPLICATE, registry_no=existing.registry_no)
    warnings = [text(e) for e in intake_form(review).iter("div") if "flash-warning" in classes(e)]
    assert len(warnings) == 1 and warning in warnings[0]
    links = [a.get("href") for a in intake_form(review).iter("a")]
    assert f"/cases/{existing.id}" in links
    assert response.status_code == 302
    assert case_count(db) == 2


def test_duplicate_is_found_by_name_when_no_numbers_were_given(app, db, org, login, make_case):
    existing = make_case()
    client = login(org.user(Role.CLERK))
    data = intake_data(
        org.centre, **{"workers-0-id_number": "", "workers-0-birth_date": "", "employers-0-credit_code": ""}
    )
    review = client.post("/cases/new", data=data)
    assert t(app, DUPLICATE, registry_no=existing.registry_no) in text(intake_form(review))


def test_closed_case_is_not_a_duplicate(app, db, org, login, make_case):
    from disputes.workflow.states import CaseStatus

    existing = make_case()
    existing.status, existing.closed_on = CaseStatus.CLOSED, date(2026, 11, 20)
    db.session.commit()
    client = login(org.user(Role.CLERK))
    review = client.post("/cases/new", data=intake_data(org.centre))
    assert t(app, DUPLICATE, registry_no=existing.registry_no) not in text(intake_form(review))


def test_limitation_warning_shows_and_flag_is_derived(app, db, org, login):
    client = login(org.user(Role.CLERK))
    review, response = review_then_confirm(client, intake_data(org.centre, dispute_known_on="2025-11-19"))
    assert t(app, LIMITATION, known="2025-11-19", ended="2026-11-19") in text(intake_form(review))
    assert checked_flags(review)["limitation_warning"] is True
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Case)).limitation_warning is True


def test_just_inside_the_limitation_period_no_warning(app, db, org, login):
    client = login(org.user(Role.CLERK))
    review = client.post("/cases/new", data=intake_data(org.centre, dispute_known_on="2025-11-20"))
    assert t(app, LIMITATION, known="2025-11-20", ended="2026-11-20") not in text(intake_form(review))
    assert checked_flags(review)["limitation_warning"] is False


# --- rows, flags, the fingerprint -------------------------------------------------------


def test_blank_extra_rows_are_ignored(db, org, login):
    client = login(org.user(Role.CLERK))
    data = intake_data(
        org.centre,
        **{
            "workers-3-name": "",
            "workers-3-sex": "",
            "workers-3-id_number": "",
            "workers-3-birth_date": "",
            "employers-2-name": "",
            "employers-2-credit_code": "",
            "agents-1-side": "respondent",
            "agents-1-name": "",
            "claims-3-category": "",
            "claims-3-amount": "",
            "claims-3-description": "",
        },
    )
    _, response = review_then_confirm(client, data)
    assert response.status_code == 302
    case = db.session.scalar(sa.select(Case))
    kinds = [p.kind for p in case.parties]
    assert kinds.count(PartyKind.WORKER) == 3 and kinds.count(PartyKind.EMPLOYER) == 2
    assert kinds.count(PartyKind.AGENT) == 1
    assert len(case.claims) == 3


def test_only_blank_rows_count_as_no_rows(app, db, org, login):
    client = login(org.user(Role.CLERK))
    data = without(intake_data(org.centre), "claims-")
    data.update({"claims-0-category": "", "claims-0-amount": "", "claims-1-category": ""})
    response = client.post("/cases/new", data=data)
    assert section_errors(response, "claims") == [t(app, "Add at least one claim.")]
    assert case_count(db) == 0


def test_confirmed_flags_override_derived_ones(db, org, login):
    client = login(org.user(Role.CLERK))
    review, response = review_then_confirm(
        client, intake_data(org.centre), green_channel=False, migrant_wage=False, collective=True
    )
    assert checked_flags(review)["green_channel"] is True  # derived
    assert response.status_code == 302
    case = db.session.scalar(sa.select(Case))
    assert (case.migrant_wage, case.work_injury, case.green_channel, case.collective) == (False, True, False, True)
    entry = db.session.scalar(sa.select(TimelineEntry).where(TimelineEntry.case_id == case.id))
    assert entry.after["flags"] == {"work_injury": True, "collective": True}


def test_collective_is_derived_from_the_head_count(db, org, login):
    client = login(org.user(Role.CLERK))
    review, response = review_then_confirm(client, intake_data(org.centre, worker_count="12"))
    assert checked_flags(review)["collective"] is True
    assert response.status_code == 302
    case = db.session.scalar(sa.select(Case))
    assert case.collective and case.worker_count == 12


def test_confirm_without_review_or_with_a_stale_fingerprint_shows_the_review(app, db, org, login, make_case):
    client = login(org.user(Role.CLERK))
    for reviewed in ("", "0123456789abcdef"):
        response = client.post("/cases/new", data=intake_data(org.centre, step="confirm", reviewed=reviewed))
        assert response.status_code == 200
        assert [f for f in intake_form(response).iter("fieldset") if "review" in classes(f)]
        assert case_count(db) == 0
    # Reviewed without warnings; meanwhile a duplicate appears: the confirm shows the review again.
    review = client.post("/cases/new", data=intake_data(org.centre))
    values = form_values(intake_form(review))
    existing = make_case()
    again = client.post("/cases/new", data=values)
    assert again.status_code == 200
    assert t(app, DUPLICATE, registry_no=existing.registry_no) in text(intake_form(again))
    assert case_count(db) == 1
    assert client.post("/cases/new", data=form_values(intake_form(again))).status_code == 302
    assert case_count(db) == 2


# --- the registering unit -------------------------------------------------------------


def test_mediator_is_offered_only_their_own_unit(org, login):
    client = login(org.user(Role.MEDIATOR))
    form = intake_form(client.get("/cases/new"))
    (select,) = [s for s in form.iter("select") if s.get("name") == "unit_id"]
    assert [o.get("value") for o in select.iter("option")] == [str(org.mediation.id)]


@pytest.mark.parametrize("target", ["centre", "street_mediation", "district"])
def test_mediator_cannot_register_into_another_unit(db, org, login, target):
    client = login(org.user(Role.MEDIATOR))
    data = intake_data(getattr(org, target))
    response = client.post("/cases/new", data=data)
    assert response.status_code == 200
    assert errors_at(response, "unit_id")
    assert case_count(db) == 0
    # Even posting straight to the confirm step with the review's fingerprint for the own unit.
    review = client.post("/cases/new", data=intake_data(org.mediation))
    values = form_values(intake_form(review))
    values["unit_id"] = str(getattr(org, target).id)
    response = client.post("/cases/new", data=values)
    assert response.status_code == 200 and errors_at(response, "unit_id")
    assert case_count(db) == 0


def test_clerk_cannot_register_outside_the_subtree(db, org, login):
    client = login(org.user(Role.CLERK))
    response = client.post("/cases/new", data=intake_data(org.street))
    assert response.status_code == 200 and errors_at(response, "unit_id")
    assert case_count(db) == 0


def test_unit_id_must_be_a_number(db, org, login):
    client = login(org.user(Role.CLERK))
    response = client.post("/cases/new", data=intake_data(org.centre, unit_id="centre"))
    assert response.status_code == 200 and errors_at(response, "unit_id")
    assert case_count(db) == 0


def test_claims_are_entered_per_worker(db, org, login):
    """A collective case's registration names each claim's worker among the worker rows (issue 16)."""
    client = login(org.user(Role.CLERK))
    review, done = review_then_confirm(
        client, intake_data(org.centre, **{"claims-0-worker": "worker-1", "claims-1-worker": "worker-0"})
    )
    select = next(e for e in parse(review).iter("select") if e.get("name") == "claims-0-worker")
    assert [o.get("value") for o in select.iter("option")] == ["", "worker-0", "worker-1", "worker-2"]
    assert done.status_code == 302
    case = db.session.scalar(sa.select(Case))
    assert [c.party.name if c.party else None for c in case.claims] == ["李四", "张三", None]
