"""Legal aid through the web: apply, materials, decisions, objections, lawyers, and what a lawyer may read."""

import pytest
from flask_babel import force_locale

from disputes import organisation
from disputes.legal_aid.forms import GREEN_CHANNEL_WAIVED, HARDSHIP_NEEDED
from disputes.models import Case, LegalAidApplication, PartyKind, PartySide, Role
from disputes.workflow.states import LegalAidClosure, LegalAidState
from tests.conftest import PASSWORD, WORKER_ID
from tests.pages import field_errors, flashes, parse, step_hidden, t, text

HARDSHIP = "Describe the applicant's financial hardship."


def in_chinese(app, lazy_text) -> str:
    with app.test_request_context(), force_locale("zh_CN"):
        return str(lazy_text)


def version_of(page) -> str:
    return next(e.get("value") for e in parse(page).iter("input") if e.get("name") == "version")


def step(client, url: str, data: dict, status: int = 302):
    """Open a step's form as a browser would, then submit it with the version it was opened on."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    response = client.post(url, data={**step_hidden(page), **data})
    assert response.status_code == status, (flashes(response), response.get_data(as_text=True)[:2000])
    return response


def step_form(page):
    """The step's own form (the page also holds the language switcher)."""
    return next(f for f in parse(page).iter("form") if any(e.get("name") == "version" for e in f.iter()))


def panel(page, application):
    return parse(page).find(f".//section[@id='legal-aid-{application.id}']")


def input_value(response, name: str) -> str | None:
    for element in parse(response).iter():
        if element.get("name") == name:
            return element.text if element.tag == "textarea" else element.get("value")
    raise AssertionError(f"no input {name}")


def application_of(db, case) -> LegalAidApplication:
    db.session.expire_all()
    (application,) = db.session.get(Case, case.id).legal_aid
    return application


def apply_url(case) -> str:
    return f"/cases/{case.id}/legal-aid/apply"


def url(case, application, slug: str) -> str:
    return f"/cases/{case.id}/legal-aid/{application.id}/{slug}"


@pytest.fixture
def applied(db, org, make_case, login):
    """A centre case whose worker has applied (by the clerk), with the stated hardship."""
    case = make_case()
    clerk = login(org.user(Role.CLERK))
    step(
        clerk,
        apply_url(case),
        {
            "party_id": case.applicants[0].id,
            "unit_id": org.legal_aid.id,
            "applied_on": "2026-11-20",
            "matter": "追索劳动报酬",
            "hardship_statement": "失业，无固定收入",
        },
    )
    return case, application_of(db, case)


def test_apply_needs_a_hardship_statement_off_the_green_channel(app, db, org, make_case, login):
    case = make_case()
    client = login(org.user(Role.CLERK))
    form = client.get(apply_url(case))
    assert in_chinese(app, HARDSHIP_NEEDED) in text(step_form(form))
    data = {
        "party_id": case.applicants[0].id,
        "unit_id": org.legal_aid.id,
        "applied_on": "2026-11-20",
        "matter": "追索劳动报酬",
        "hardship_statement": "  ",
    }
    refused = step(client, apply_url(case), data, status=400)
    assert field_errors(refused, "hardship_statement") == [t(app, HARDSHIP)]
    assert input_value(refused, "matter") == "追索劳动报酬"
    db.session.expire_all()
    assert db.session.get(Case, case.id).legal_aid == []

    step(client, apply_url(case), {**data, "hardship_statement": "失业，无固定收入"})
    application = application_of(db, case)
    assert (application.state, application.hardship_waived, application.hardship_statement) == (
        LegalAidState.APPLIED,
        False,
        "失业，无固定收入",
    )
    assert application.party_id == case.applicants[0].id and application.unit_id == org.legal_aid.id


def test_green_channel_case_is_waived(app, db, org, make_case, login):
    from disputes.workflow.intake import PartyInput

    case = make_case(
        parties=[
            PartyInput(
                PartySide.APPLICANT, PartyKind.WORKER, "李四", sex="male", id_number=WORKER_ID, migrant_worker=True
            ),
            PartyInput(PartySide.RESPONDENT, PartyKind.EMPLOYER, "深圳市某建筑劳务有限公司"),
        ]
    )
    assert case.green_channel
    client = login(org.user(Role.CLERK))
    assert in_chinese(app, GREEN_CHANNEL_WAIVED) in text(step_form(client.get(apply_url(case))))
    step(
        client,
        apply_url(case),
        {
            "party_id": case.applicants[0].id,
            "unit_id": org.legal_aid.id,
            "applied_on": "2026-11-20",
            "matter": "追索农民工工资",
        },
    )
    application = application_of(db, case)
    assert application.hardship_waived and application.hardship_statement is None
    page = client.get(f"/cases/{case.id}")
    assert t(app, "Review waived: green channel (LAL Art 42)") in text(panel(page, application))


def test_the_worker_list_offers_only_workers_not_yet_applied(app, db, org, make_case, login):
    from disputes.workflow.intake import PartyInput

    case = make_case(
        parties=[
            PartyInput(PartySide.APPLICANT, PartyKind.WORKER, "张三", sex="female", id_number=WORKER_ID),
            PartyInput(PartySide.APPLICANT, PartyKind.WORKER, "李四", sex="male"),
            PartyInput(PartySide.RESPONDENT, PartyKind.EMPLOYER, "深圳市宏达电子科技有限公司"),
        ]
    )
    zhang, li = case.applicants
    clerk = login(org.user(Role.CLERK))
    data = {
        "unit_id": org.legal_aid.id,
        "applied_on": "2026-11-20",
        "matter": "追索劳动报酬",
        "hardship_statement": "困难",
    }
    step(clerk, apply_url(case), {"party_id": zhang.id, **data})
    again = step(clerk, apply_url(case), {"party_id": zhang.id, **data}, status=400)
    assert field_errors(again, "party_id")
    select = next(e for e in step_form(again).iter("select") if e.get("name") == "party_id")
    assert [o.get("value") for o in select.iter("option")] == ["", str(li.id)]
    step(clerk, apply_url(case), {"party_id": li.id, **data})
    # Every worker has applied: the step is no longer offered, and opening it says why.
    response = clerk.get(apply_url(case))
    assert response.status_code == 302
    assert t(app, "Every worker of this case has already applied for legal aid.") in flashes(
        clerk.get(response.headers["Location"])
    )


def test_materials_grant_assign_close(app, db, org, applied, login):
    case, application = applied
    officer = login(org.user(Role.LEGAL_AID_OFFICER))
    step(officer, url(case, application, "request-materials"), {"note": "补交收入证明"})
    assert application_of(db, case).state == LegalAidState.MATERIALS_REQUESTED

    clerk = login(org.user(Role.CLERK))
    step(clerk, url(case, application, "materials-received"), {"received_on": "2026-11-20"})
    assert application_of(db, case).state == LegalAidState.APPLIED

    officer = login(org.user(Role.LEGAL_AID_OFFICER))
    step(officer, url(case, application, "grant"), {"reason": "符合条件", "review_later": "y"})
    granted = application_of(db, case)
    assert granted.state == LegalAidState.GRANTED and granted.review_later and granted.number
    assert granted.decided_by_id == org.user(Role.LEGAL_AID_OFFICER).id

    lawyer = org.user(Role.LAWYER)
    step(officer, url(case, application, "assign"), {"lawyer_id": lawyer.id, "law_firm": "广东鹏城律师事务所"})
    assigned = application_of(db, case)
    assert (assigned.state, assigned.lawyer_id, assigned.law_firm) == (
        LegalAidState.ASSIGNED,
        lawyer.id,
        "广东鹏城律师事务所",
    )

    step(officer, url(case, application, "close"), {"closure": "completed", "note": "案件办结"})
    closed = application_of(db, case)
    assert (closed.state, closed.closure, closed.closure_note) == (
        LegalAidState.CLOSED,
        LegalAidClosure.COMPLETED,
        "案件办结",
    )
    shown_panel = text(panel(officer.get(f"/cases/{case.id}"), application))
    for shown in (
        closed.number,
        "广东鹏城律师事务所",
        lawyer.display_name,
        "案件办结",
        "失业，无固定收入",
        "补交收入证明",
        t(app, "Completed"),
        t(app, "To be reviewed later (LAL Art 44)"),
        t(app, "Aid granted"),
    ):
        assert shown in shown_panel, shown
    assert "completed" not in shown_panel and "closed" not in shown_panel  # labels, not raw values


def test_completing_needs_a_lawyer(app, db, org, applied, login):
    case, application = applied
    officer = login(org.user(Role.LEGAL_AID_OFFICER))
    step(officer, url(case, application, "grant"), {})
    refused = step(officer, url(case, application, "close"), {"closure": "completed"}, status=400)
    assert field_errors(refused, "closure") == [t(app, "A lawyer must be assigned before the aid can be completed.")]
    step(officer, url(case, application, "close"), {"closure": "terminated", "note": "受援人撤回"})
    assert application_of(db, case).state == LegalAidState.CLOSED


def test_refuse_object_uphold(app, db, org, applied, login):
    case, application = applied
    officer = login(org.user(Role.LEGAL_AID_OFFICER))
    missing = step(officer, url(case, application, "refuse"), {"reason": ""}, status=400)
    assert field_errors(missing, "reason")
    step(officer, url(case, application, "refuse"), {"reason": "不符合经济困难标准"})
    assert application_of(db, case).state == LegalAidState.REFUSED
    step(officer, url(case, application, "object"), {"reason": "收入证明有误", "objection_on": "2026-11-20"})
    objected = application_of(db, case)
    assert (objected.state, objected.objection_reason) == (LegalAidState.OBJECTION, "收入证明有误")
    step(officer, url(case, application, "uphold-refusal"), {"note": "维持原决定"})
    upheld = application_of(db, case)
    assert upheld.state == LegalAidState.REFUSAL_UPHELD and upheld.objection_decided_on is not None
    box = panel(officer.get(f"/cases/{case.id}"), application)
    assert t(app, "Refusal upheld") in text(box) and "不符合经济困难标准" in text(box)
    assert not [a for a in box.iter("a") if "btn" in (a.get("class") or "")]  # nothing left to do


def test_refuse_object_overturn_assign(app, db, org, applied, login):
    case, application = applied
    supervisor = login(org.user(Role.SUPERVISOR))
    step(supervisor, url(case, application, "refuse"), {"reason": "材料不全"})
    step(supervisor, url(case, application, "object"), {"reason": "已补齐材料", "objection_on": "2026-11-20"})
    step(supervisor, url(case, application, "overturn-refusal"), {"note": "异议成立"})
    overturned = application_of(db, case)
    assert overturned.state == LegalAidState.GRANTED
    assert overturned.decided_by_id == org.user(Role.SUPERVISOR).id
    step(supervisor, url(case, application, "assign"), {"lawyer_id": org.user(Role.LAWYER).id})
    assert application_of(db, case).state == LegalAidState.ASSIGNED
    page = text(panel(supervisor.get(f"/cases/{case.id}"), application))
    assert t(app, "Aid granted after objection") in page and "材料不全" in page


def test_a_clerk_may_apply_but_not_decide(db, org, applied, login):
    case, application = applied
    clerk = login(org.user(Role.CLERK))
    for slug in ("grant", "refuse", "request-materials", "assign"):
        assert clerk.get(url(case, application, slug)).status_code == 403, slug
        assert clerk.post(url(case, application, slug), data={"reason": "x", "note": "x"}).status_code == 403, slug
    assert application_of(db, case).state == LegalAidState.APPLIED
    buttons = [text(a) for a in parse(clerk.get(f"/cases/{case.id}")).iter("a") if "btn" in (a.get("class") or "")]
    assert t(clerk.application, "Grant legal aid") not in buttons


def test_a_step_on_another_cases_application_is_404(db, org, applied, make_case, login):
    _, application = applied
    other = make_case()
    officer = login(org.user(Role.SUPERVISOR))
    assert officer.get(url(other, application, "grant")).status_code == 404


def test_an_assigned_lawyer_reads_only_their_cases(db, org, make_case, login):
    from tests.drive import Driver

    mine, other = make_case(), make_case()
    Driver(db.session, org, mine).legal_aid(LegalAidState.GRANTED)
    Driver(db.session, org, other).legal_aid(LegalAidState.GRANTED)
    db.session.commit()
    lawyer = org.user(Role.LAWYER)
    stranger = organisation.add_user(db.session, "lawyer-2", "王律师", [Role.LAWYER], org.legal_aid, PASSWORD)
    db.session.commit()

    client = login(lawyer)
    assert client.get(f"/cases/{mine.id}").status_code == 403
    application = application_of(db, mine)
    officer = login(org.user(Role.LEGAL_AID_OFFICER))
    step(officer, url(mine, application, "assign"), {"lawyer_id": lawyer.id, "law_firm": "广东鹏城律师事务所"})

    client = login(lawyer)
    assert client.get(f"/cases/{mine.id}").status_code == 200
    assert client.get(f"/cases/{other.id}").status_code == 403
    listing = client.get("/cases").get_data(as_text=True)
    assert mine.registry_no in listing and other.registry_no not in listing
    assert login(stranger).get(f"/cases/{mine.id}").status_code == 403


def test_a_row_step_without_an_application_says_so(app, db, org, make_case, login):
    from disputes.legal_aid.views import STEPS

    case = make_case()
    supervisor = login(org.user(Role.SUPERVISOR))
    for spec in STEPS.values():
        if spec.slug == "apply":
            continue
        response = supervisor.get(f"/cases/{case.id}/legal-aid/{spec.slug}")
        assert response.status_code == 302, spec.slug
        assert t(app, "This case has no legal-aid application.") in flashes(
            supervisor.get(response.headers["Location"])
        )
