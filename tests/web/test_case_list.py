"""The case list (filters, search, sorting, pages, scope) and the case page (masked IDs, reveal, flags)."""

import re
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from disputes import organisation
from disputes.models import Case, CaseAssignment, ClaimCategory, PartyKind, PartySide, Role, TimelineEntry
from disputes.workflow.intake import ClaimInput, PartyInput
from disputes.workflow.states import CaseStage, CaseStatus
from tests.conftest import EMPLOYER_CODE, PASSWORD, WORKER_ID
from tests.pages import classes, parse, t, text

SECOND_ID = "440304199001011233"
THIRD_ID = "36012219780615201X"
STREET_ID = "440304198512310046"
SECOND_CODE = "91440300708461136T"


def listed(response) -> list[str]:
    """Registry numbers in the case table, in the order shown."""
    assert response.status_code == 200
    tables = [e for e in parse(response).iter("table") if "cases" in classes(e)]
    if not tables:
        return []
    return [text(row.find("td")) for row in tables[0].find("tbody").iter("tr")]


def shown_count(response) -> int:
    """The number in the page head's case count (whatever its wording)."""
    (span,) = [e for e in parse(response).iter("span") if "count" in classes(e)]
    (number,) = re.findall(r"\d[\d,]*", text(span))
    return int(number.replace(",", ""))


def worker(name, id_number=None, migrant=False):
    return PartyInput(PartySide.APPLICANT, PartyKind.WORKER, name, id_number=id_number, migrant_worker=migrant)


def employer(name, code=None):
    return PartyInput(PartySide.RESPONDENT, PartyKind.EMPLOYER, name, credit_code=code)


class Cases:
    """Three cases in the centre's subtree and one in a street unit outside it.

    c1  LGC〔2026〕1号  centre      2026-11-01  张三 / 宏达       wages, intake, open
    c2  LGM〔2026〕1号  mediation   2026-03-15  李四 / 佳和物流   work-injury medical (green channel), mediation
    c3  LGC〔2026〕2号  centre      2026-06-10  王五 / 恒泰建筑   confirm employment, arbitration, closed
    street  BJM〔2026〕1号  street mediation committee  赵六 / 宏达 (same credit code as c1)
    """

    def __init__(self, db, org, make_case):
        self.district_supervisor = organisation.add_user(
            db.session, "district-sup", "区级主管", [Role.SUPERVISOR], org.district, PASSWORD
        )
        db.session.commit()
        self.c1 = make_case(
            org.centre,
            registered_on=date(2026, 11, 1),
            dispute_known_on=date(2026, 10, 1),
            parties=[worker("张三", WORKER_ID), employer("深圳市宏达电子科技有限公司", EMPLOYER_CODE)],
            claims=[ClaimInput(ClaimCategory.WAGES, Decimal("12000.00"))],
        )
        self.c2 = make_case(
            org.mediation,
            registered_on=date(2026, 3, 15),
            dispute_known_on=date(2026, 3, 1),
            parties=[worker("李四", SECOND_ID), employer("深圳市佳和物流有限公司", SECOND_CODE)],
            claims=[ClaimInput(ClaimCategory.WORK_INJURY_MEDICAL, Decimal("8000.00"))],
        )
        self.c3 = make_case(
            org.centre,
            registered_on=date(2026, 6, 10),
            dispute_known_on=date(2026, 5, 1),
            parties=[worker("王五", THIRD_ID), employer("深圳市恒泰建筑工程有限公司")],
            claims=[ClaimInput(ClaimCategory.CONFIRM_EMPLOYMENT)],
        )
        self.street = make_case(
            org.street_mediation,
            actor=self.district_supervisor,
            parties=[worker("赵六", STREET_ID), employer("深圳市宏达电子科技有限公司", EMPLOYER_CODE)],
        )
        self.c2.stage = CaseStage.MEDIATION
        self.c3.stage = CaseStage.ARBITRATION
        self.c3.status, self.c3.closed_on = CaseStatus.CLOSED, date(2026, 10, 20)
        db.session.commit()
        self.no = {name: getattr(self, name).registry_no for name in ("c1", "c2", "c3", "street")}


@pytest.fixture
def cases(db, org, make_case):
    return Cases(db, org, make_case)


@pytest.fixture
def supervisor(org, login):
    return login(org.user(Role.SUPERVISOR))


def test_registry_numbers_of_the_fixture(cases):
    assert cases.no == {
        "c1": "LGC〔2026〕1号",
        "c2": "LGM〔2026〕1号",
        "c3": "LGC〔2026〕2号",
        "street": "BJM〔2026〕1号",
    }


# --- filters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"c1", "c2", "c3"}),
        ("stage=mediation", {"c2"}),
        ("stage=intake", {"c1"}),
        ("stage=arbitration", {"c3"}),
        ("stage=litigation", set()),
        ("stage=nonsense", {"c1", "c2", "c3"}),
        ("status=open", {"c1", "c2"}),
        ("status=closed", {"c3"}),
        ("category=work_injury_medical", {"c2"}),
        ("category=wages", {"c1"}),
        ("category=overtime", set()),
        ("flag=green_channel", {"c2"}),
        ("flag=work_injury&flag=green_channel", {"c2"}),
        ("flag=green_channel&flag=collective", set()),
        ("flag=not_a_flag", {"c1", "c2", "c3"}),
        ("from=2026-06-01", {"c1", "c3"}),
        ("to=2026-06-10", {"c2", "c3"}),
        ("from=2026-06-10&to=2026-06-10", {"c3"}),
        ("from=2026-12-01", set()),
        ("from=not-a-date", {"c1", "c2", "c3"}),
        ("status=open&from=2026-06-01", {"c1"}),
    ],
)
def test_filters(cases, supervisor, query, expected):
    assert set(listed(supervisor.get(f"/cases?{query}"))) == {cases.no[name] for name in expected}


def test_unit_filter_takes_the_subtree(org, cases, supervisor):
    assert set(listed(supervisor.get(f"/cases?unit={org.mediation.id}"))) == {cases.no["c2"]}
    assert set(listed(supervisor.get(f"/cases?unit={org.centre.id}"))) == {cases.no[n] for n in ("c1", "c2", "c3")}
    assert listed(supervisor.get(f"/cases?unit={org.legal_aid.id}")) == []
    # A unit outside the user's scope shows nothing rather than its cases.
    assert listed(supervisor.get(f"/cases?unit={org.street.id}")) == []
    assert listed(supervisor.get(f"/cases?unit={org.district.id}")) == listed(supervisor.get("/cases"))


def test_unit_choices_are_the_users_subtree(org, cases, supervisor):
    doc = parse(supervisor.get("/cases"))
    (select,) = [s for s in doc.iter("select") if s.get("name") == "unit"]
    offered = {o.get("value") for o in select.iter("option")} - {""}
    assert offered == {str(u.id) for u in (org.centre, org.mediation, org.arbitration, org.legal_aid, org.court)}


def test_filters_are_kept_in_the_form(cases, supervisor):
    doc = parse(supervisor.get("/cases?q=李四&stage=mediation&flag=green_channel&from=2026-01-01&sort=oldest"))
    inputs = {e.get("name"): e for e in doc.iter("input") if e.get("name") in ("q", "from")}
    assert inputs["q"].get("value") == "李四" and inputs["from"].get("value") == "2026-01-01"
    selected = {
        s.get("name"): [o.get("value") for o in s.iter("option") if o.get("selected") is not None]
        for s in doc.iter("select")
    }
    assert selected["stage"] == ["mediation"] and selected["sort"] == ["oldest"]
    flags = [e.get("value") for e in doc.iter("input") if e.get("name") == "flag" and e.get("checked") is not None]
    assert flags == ["green_channel"]


def test_empty_result_says_so(app, cases, supervisor):
    response = supervisor.get("/cases?stage=litigation")
    assert t(app, "No case matches these filters.") in text(parse(response))
    assert shown_count(response) == 0


# --- search -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q, expected",
    [
        ("〕2号", {"c3"}),
        ("LGM〔2026〕", {"c2"}),
        ("〔2026〕1号", {"c1", "c2"}),
        ("lgc", {"c1", "c3"}),
        ("李四", {"c2"}),
        ("  王五 ", {"c3"}),
        ("佳和物流", {"c2"}),
        ("恒泰", {"c3"}),
        ("宏达", {"c1"}),
        (SECOND_CODE, {"c2"}),
        (SECOND_CODE.lower(), {"c2"}),
        (EMPLOYER_CODE, {"c1"}),
        (WORKER_ID, {"c1"}),
        (WORKER_ID.lower(), {"c1"}),
        ("****002X", {"c1"}),
        ("110105********002X", {"c1"}),
        ("110106********002X", set()),
        ("002X", {"c1"}),
        ("002x", {"c1"}),
        ("****201X", {"c3"}),
        ("****1233", {"c2"}),
        ("****9999", set()),
        ("%", set()),
        ("_", set()),
        ("nobody-at-all", set()),
    ],
)
def test_search(cases, supervisor, q, expected):
    response = supervisor.get("/cases", query_string={"q": q})
    assert set(listed(response)) == {cases.no[name] for name in expected}


def test_search_never_reaches_outside_the_scope(cases, supervisor):
    for q in ("赵六", STREET_ID, "****0046", "BJM", cases.no["street"]):
        assert listed(supervisor.get("/cases", query_string={"q": q})) == [], q


def test_search_combines_with_filters(cases, supervisor):
    assert listed(supervisor.get("/cases", query_string={"q": "LGC", "status": "closed"})) == [cases.no["c3"]]


# --- sorting and pages --------------------------------------------------------------


@pytest.mark.parametrize(
    "sort, order",
    [
        (None, ["c1", "c3", "c2"]),
        ("newest", ["c1", "c3", "c2"]),
        ("oldest", ["c2", "c3", "c1"]),
        ("number", ["c1", "c3", "c2"]),
        ("number_desc", ["c2", "c3", "c1"]),
        ("bogus", ["c1", "c3", "c2"]),
    ],
)
def test_sorting(cases, supervisor, sort, order):
    query = {"sort": sort} if sort else {}
    assert listed(supervisor.get("/cases", query_string=query)) == [cases.no[name] for name in order]


def test_same_day_cases_newest_registered_first(db, org, make_case, supervisor):
    first, second = make_case(), make_case()
    assert listed(supervisor.get("/cases")) == [second.registry_no, first.registry_no]
    assert listed(supervisor.get("/cases?sort=oldest")) == [first.registry_no, second.registry_no]


def pager_text(response) -> str:
    (nav,) = [e for e in parse(response).iter("nav") if "pager" in classes(e)]
    return text(nav)


def pager_links(response) -> list[str]:
    (nav,) = [e for e in parse(response).iter("nav") if "pager" in classes(e)]
    return [a.get("href") for a in nav.iter("a")]


def test_pagination(app, db, org, make_case, supervisor, monkeypatch):
    monkeypatch.setitem(app.config, "CASES_PER_PAGE", 2)
    made = [make_case(registered_on=date(2026, 11, day)) for day in (1, 2, 3, 4, 5)]
    newest_first = [c.registry_no for c in reversed(made)]

    page1 = supervisor.get("/cases")
    assert listed(page1) == newest_first[:2]
    assert t(app, "Page %(n)d of %(m)d", n=1, m=3) in pager_text(page1)
    assert shown_count(page1) == 5
    assert pager_links(page1) == ["/cases?page=2"]

    page2 = supervisor.get("/cases?page=2")
    assert listed(page2) == newest_first[2:4]
    assert sorted(pager_links(page2)) == ["/cases?page=1", "/cases?page=3"]

    page3 = supervisor.get("/cases?page=3")
    assert listed(page3) == newest_first[4:]
    assert pager_links(page3) == ["/cases?page=2"]

    # Out-of-range pages land on the nearest real one.
    assert listed(supervisor.get("/cases?page=99")) == newest_first[4:]
    assert listed(supervisor.get("/cases?page=0")) == newest_first[:2]
    assert listed(supervisor.get("/cases?page=-3")) == newest_first[:2]
    assert listed(supervisor.get("/cases?page=x")) == newest_first[:2]


def test_pager_links_keep_the_filters(app, db, org, make_case, supervisor, monkeypatch):
    monkeypatch.setitem(app.config, "CASES_PER_PAGE", 1)
    for day in (1, 2, 3):
        make_case(registered_on=date(2026, 11, day))
    response = supervisor.get("/cases", query_string={"q": "张三", "sort": "oldest"})
    (link,) = pager_links(response)
    assert link.startswith("/cases?") and "sort=oldest" in link and "page=2" in link and "q=" in link
    assert len(listed(supervisor.get(link))) == 1
    assert listed(supervisor.get(link)) != listed(response)


# --- scope --------------------------------------------------------------------------


def test_scope_per_role(db, org, cases, login):
    everything_in_centre = {cases.no[n] for n in ("c1", "c2", "c3")}
    assert set(listed(login(org.user(Role.CLERK)).get("/cases"))) == everything_in_centre
    assert set(listed(login(org.user(Role.SUPERVISOR)).get("/cases"))) == everything_in_centre
    assert set(listed(login(org.user(Role.MEDIATOR)).get("/cases"))) == {cases.no["c2"]}
    for role in (Role.LAWYER, Role.LEGAL_AID_OFFICER, Role.ARBITRATOR, Role.COURT_LIAISON):
        assert listed(login(org.user(role)).get("/cases")) == [], role
    assert set(listed(login("district-sup").get("/cases"))) == set(cases.no.values())
    assert login(org.user(Role.ADMIN)).get("/cases").status_code == 403


def test_assignment_widens_the_scope(db, org, cases, login):
    db.session.add_all(
        [
            CaseAssignment(case_id=cases.c3.id, user_id=org.user(Role.LAWYER).id, role=Role.LAWYER),
            CaseAssignment(case_id=cases.c1.id, user_id=org.user(Role.MEDIATOR).id, role=Role.MEDIATOR),
            CaseAssignment(case_id=cases.street.id, user_id=org.user(Role.ARBITRATOR).id, role=Role.ARBITRATOR),
        ]
    )
    db.session.commit()
    assert listed(login(org.user(Role.LAWYER)).get("/cases")) == [cases.no["c3"]]
    assert set(listed(login(org.user(Role.MEDIATOR)).get("/cases"))) == {cases.no["c1"], cases.no["c2"]}
    arbitrator = login(org.user(Role.ARBITRATOR))
    assert listed(arbitrator.get("/cases")) == [cases.no["street"]]
    assert arbitrator.get(f"/cases/{cases.street.id}").status_code == 200


def test_scope_follows_the_unit_tree(db, org, cases, login):
    """Cases of a unit moved into the centre's subtree become visible to the centre."""
    supervisor = login(org.user(Role.SUPERVISOR))
    assert cases.no["street"] not in listed(supervisor.get("/cases"))
    organisation.move_unit(db.session, org.street, org.centre)
    db.session.commit()
    assert cases.no["street"] in listed(supervisor.get("/cases"))


def test_list_rows_show_parties_and_claims(app, db, org, cases, supervisor):
    (row,) = [r for r in parse(supervisor.get("/cases?q=李四")).iter("tr") if r.find("td") is not None]
    cells = [text(td) for td in row.iter("td")]
    assert cells[0] == cases.no["c2"]
    assert "李四" in cells[2] and "深圳市佳和物流有限公司" in cells[3]
    assert "8,000.00" in cells[5]
    assert org.mediation.name in cells[7]
    assert SECOND_ID not in supervisor.get("/cases").get_data(as_text=True)


# --- the case page: masked IDs, reveal -----------------------------------------------


def id_entries(db, case):
    return db.session.scalars(
        sa.select(TimelineEntry).where(TimelineEntry.case_id == case.id, TimelineEntry.kind == "ids_revealed")
    ).all()


def test_case_page_masks_id_numbers(cases, supervisor):
    page = supervisor.get(f"/cases/{cases.c1.id}").get_data(as_text=True)
    assert "110105********002X" in page
    assert WORKER_ID not in page
    assert EMPLOYER_CODE in page


def test_reveal_with_reason_shows_and_audits(app, db, org, cases, supervisor):
    response = supervisor.post(f"/cases/{cases.c1.id}/reveal", data={"reason": "窗口核对身份证"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert WORKER_ID in page
    (entry,) = id_entries(db, cases.c1)
    assert entry.actor_id == org.user(Role.SUPERVISOR).id
    assert entry.reason == "窗口核对身份证"
    assert entry.after == {"parties": [p.id for p in cases.c1.parties if p.id_number]}
    # The timeline (its own tab of the case page) shows the audit entry; the next view is masked again.
    assert "窗口核对身份证" in supervisor.get(f"/cases/{cases.c1.id}?tab=timeline").get_data(as_text=True)
    assert WORKER_ID not in supervisor.get(f"/cases/{cases.c1.id}").get_data(as_text=True)
    supervisor.post(f"/cases/{cases.c1.id}/reveal", data={"reason": "再次核对"})
    assert len(id_entries(db, cases.c1)) == 2  # every unmasked view is audited


@pytest.mark.parametrize("data", [{}, {"reason": ""}, {"reason": "   "}])
def test_reveal_without_reason_is_refused(db, cases, supervisor, data):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(TimelineEntry))
    response = supervisor.post(f"/cases/{cases.c1.id}/reveal", data=data)
    assert response.status_code == 400
    assert WORKER_ID not in response.get_data(as_text=True)
    assert "110105********002X" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TimelineEntry)) == before


def test_reveal_without_reason_marks_the_field(cases, supervisor):
    response = supervisor.post(f"/cases/{cases.c1.id}/reveal", data={"reason": ""})
    doc = parse(response)
    (field,) = [
        d
        for d in doc.iter("div")
        if "field" in classes(d)
        and any(e.get("name") == "reason" for e in d.iter("input"))
        and "has-error" in classes(d)
    ]
    assert [e for e in field.iter("small") if "error" in classes(e)]


def test_reveal_form_only_for_those_who_may(db, org, make_case, login):
    case = make_case(org.court)
    liaison = login(org.user(Role.COURT_LIAISON))
    page = liaison.get(f"/cases/{case.id}")
    assert page.status_code == 200
    assert f"/cases/{case.id}/reveal" not in page.get_data(as_text=True)
    assert liaison.post(f"/cases/{case.id}/reveal", data={"reason": "想看"}).status_code == 403
    assert id_entries(db, case) == []
    clerk = login(org.user(Role.CLERK))
    assert f"/cases/{case.id}/reveal" in clerk.get(f"/cases/{case.id}").get_data(as_text=True)


def test_assigned_lawyer_may_reveal(db, org, cases, login):
    db.session.add(CaseAssignment(case_id=cases.c1.id, user_id=org.user(Role.LAWYER).id, role=Role.LAWYER))
    db.session.commit()
    lawyer = login(org.user(Role.LAWYER))
    response = lawyer.post(f"/cases/{cases.c1.id}/reveal", data={"reason": "准备仲裁申请书"})
    assert response.status_code == 200 and WORKER_ID in response.get_data(as_text=True)
    assert id_entries(db, cases.c1)[0].actor_id == org.user(Role.LAWYER).id


# --- the case page: flags -----------------------------------------------------------


def post_flags(client, case, data: dict):
    """The flags form as the case page gives it (with the case version it was opened on), then posted."""
    page = parse(client.get(f"/cases/{case.id}"))
    form = next(f for f in page.iter("form") if f.get("action", "").endswith("/flags"))
    version = next(e.get("value") for e in form.iter("input") if e.get("name") == "version")
    return client.post(f"/cases/{case.id}/flags", data={"version": version, **data})


def flag_entries(db, case):
    return db.session.scalars(
        sa.select(TimelineEntry).where(TimelineEntry.case_id == case.id, TimelineEntry.kind == "flags_changed")
    ).all()


def test_flags_edit_writes_a_timeline_entry(app, db, org, cases, supervisor):
    response = post_flags(
        supervisor, cases.c1, {"migrant_wage": "y", "green_channel": "y", "reason": "经核实为进城务工人员"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{cases.c1.id}"
    db.session.expire_all()
    case = db.session.get(Case, cases.c1.id)
    assert (case.migrant_wage, case.green_channel, case.work_injury) == (True, True, False)
    (entry,) = flag_entries(db, case)
    assert entry.reason == "经核实为进城务工人员"
    assert entry.actor_id == org.user(Role.SUPERVISOR).id
    assert entry.before == {"migrant_wage": False, "green_channel": False}
    assert entry.after == {"migrant_wage": True, "green_channel": True}
    page = supervisor.get(f"/cases/{case.id}")
    assert t(app, "Flags updated.") in text(parse(page))
    assert "经核实为进城务工人员" in text(parse(supervisor.get(f"/cases/{case.id}?tab=timeline")))  # the timeline tab
    # The form shows the stored flags.
    checked = {e.get("name") for e in parse(page).iter("input") if e.get("checked") is not None}
    assert checked >= {"migrant_wage", "green_channel"} and "work_injury" not in checked


def test_flags_can_be_switched_off(db, cases, supervisor):
    assert cases.c2.green_channel
    post_flags(supervisor, cases.c2, {"work_injury": "y", "reason": "非农民工，仍属工伤"})
    db.session.expire_all()
    case = db.session.get(Case, cases.c2.id)
    assert (case.work_injury, case.green_channel) == (True, False)
    (entry,) = flag_entries(db, case)
    assert entry.before == {"green_channel": True} and entry.after == {"green_channel": False}


def test_flags_without_reason_are_refused(db, cases, supervisor):
    response = post_flags(supervisor, cases.c1, {"collective": "y", "reason": ""})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Case, cases.c1.id).collective is False
    assert flag_entries(db, cases.c1) == []


def test_unchanged_flags_write_nothing(db, cases, supervisor):
    response = post_flags(supervisor, cases.c1, {"reason": "复核，无变化"})
    assert response.status_code == 302
    assert flag_entries(db, cases.c1) == []


def test_flags_filter_sees_the_edit(cases, supervisor):
    assert listed(supervisor.get("/cases?flag=collective")) == []
    post_flags(supervisor, cases.c3, {"collective": "y", "reason": "共12人"})
    assert listed(supervisor.get("/cases?flag=collective")) == [cases.no["c3"]]


def test_party_names_are_escaped(db, org, make_case, supervisor):
    case = make_case(parties=[worker("<script>alert(1)</script>"), employer("A&B <b>公司</b>")])
    for page in (supervisor.get("/cases"), supervisor.get(f"/cases/{case.id}")):
        html = page.get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html and "<b>公司</b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert listed(supervisor.get("/cases", query_string={"q": "<script>"})) == [case.registry_no]


# --- the capped count ---------------------------------------------------------------


@pytest.mark.parametrize("cap", [1, 2, 3, 4])
def test_unfiltered_count_by_reader_keys_equals_the_count_of_the_scope(db, org, cases, monkeypatch, cap):
    """The count's shortcut (one reader key over the cap) gives the total and `capped` the full count gives, for
    every role, with an assignment adding a key, at caps below, at and above the numbers of cases."""
    from disputes import case_list, policy
    from disputes.models import User

    db.session.add(CaseAssignment(case_id=cases.street.id, user_id=org.user(Role.CLERK).id, role=Role.MEDIATOR))
    db.session.commit()
    monkeypatch.setattr(case_list, "COUNT_CAP", cap)
    users = [org.user(role) for role in Role if role is not Role.ADMIN]
    users.append(db.session.scalar(sa.select(User).where(User.username == "district-sup")))
    checked = 0
    for user in users:
        scope, readers = policy.case_scope(user), policy.scope_readers(user)
        f = case_list.CaseFilter()
        fast = case_list.list_cases(db.session, scope, f, readers=readers)
        full = case_list.list_cases(db.session, scope, f)
        assert (fast.total, fast.capped, [c.id for c in fast.cases]) == (
            full.total,
            full.capped,
            [c.id for c in full.cases],
        ), user.username
        checked += readers is not None
    assert checked >= 5


def test_court_liaison_has_no_count_shortcut(org):
    from disputes import policy

    assert policy.scope_readers(org.user(Role.COURT_LIAISON)) is None
    assert policy.scope_readers(org.user(Role.ADMIN)) is None
    assert policy.scope_readers(org.user(Role.MEDIATOR)) == [org.mediation.id, -org.user(Role.MEDIATOR).id]


def test_a_search_counts_up_to_its_own_cap(cases, supervisor, monkeypatch):
    from disputes import case_list

    monkeypatch.setattr(case_list, "SEARCH_COUNT_CAP", 2)
    assert shown_count(supervisor.get("/cases?q=深圳")) == 2  # "more than 2": three cases match
    assert len(listed(supervisor.get("/cases?q=深圳"))) == 3
    monkeypatch.setattr(case_list, "SEARCH_COUNT_CAP", 3)
    assert shown_count(supervisor.get("/cases?q=深圳")) == 3
    assert shown_count(supervisor.get("/cases")) == 3


def test_the_list_does_not_load_the_cases_timers(db, cases, supervisor):
    """Case.timers is a selectin relationship: the list shows no deadline, so it must not read every timer of its
    50 cases (a fifth of the list's database time at 100,000 cases)."""
    from disputes.models import SlaTimer

    assert db.session.scalar(sa.select(sa.func.count()).select_from(SlaTimer)) > 0  # the cases have timers
    seen = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert len(listed(supervisor.get("/cases"))) == 3
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert any("FROM cases" in s for s in seen)
    assert not [s for s in seen if "FROM sla_timers" in s]


def test_one_character_is_a_surname_and_the_page_says_so(cases, supervisor):
    """A single character matches the start of a party's name (issue 18: a surname, read by an index); the page
    explains it, and says nothing for longer terms."""
    one = supervisor.get("/cases", query_string={"q": "李"})
    assert set(listed(one)) == {cases.no["c2"]}
    assert "“李”" in one.get_data(as_text=True) and "search-hint" in one.get_data(as_text=True)
    assert set(listed(supervisor.get("/cases", query_string={"q": "四"}))) == set()  # inside a name: not a prefix
    assert "search-hint" not in supervisor.get("/cases", query_string={"q": "李四"}).get_data(as_text=True)
