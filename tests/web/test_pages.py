"""Every page renders in both languages for a role that may see it; so do the error pages."""

from datetime import date
from io import BytesIO

import pytest

from disputes import reference
from disputes.models import CaseAssignment, Role
from disputes.workflow.states import ArbitrationState, LawsuitState, LegalAidState, MediationState
from tests.conftest import EMPLOYER_CODE, FROZEN_AT, WORKER_ID
from tests.drive import Driver
from tests.pages import parse, t, text

LANGUAGES = {"zh_CN": "zh-CN", "en": "en"}


def assert_page(app, response, locale, status=200):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/html"
    doc = parse(response)
    assert doc.get("lang") == LANGUAGES[locale]
    title = text(doc.find("head/title"))
    assert title.endswith(t(app, "Labour Dispute Centre", locale)), title
    assert doc.find(".//main") is not None
    return doc


@pytest.fixture
def as_role(db, org, login):
    """Sign in as the role's user, with their stored language set to `locale`."""

    def sign_in(role, locale):
        user = org.user(role)
        user.locale = locale
        db.session.commit()
        return login(user)

    return sign_in


def intake_post(org) -> dict:
    return {
        "unit_id": str(org.centre.id),
        "registered_on": "2026-11-20",
        "dispute_known_on": "2025-10-01",
        "cause": "拖欠工资",
        "workers-0-name": "张三",
        "workers-0-id_number": WORKER_ID,
        "workers-0-migrant_worker": "y",
        "employers-0-name": "深圳市宏达电子科技有限公司",
        "employers-0-credit_code": EMPLOYER_CODE,
        "claims-0-category": "wages",
        "claims-0-amount": "12000",
    }


CASE_PAGES = [
    "/cases",
    "/cases?q=张三&stage=intake&flag=green_channel&sort=oldest",
    "/cases/new",
    "/cases/{case}",
    "/account",
    "/work",
    "/deadlines",
    "/deadlines?view=all&rule=arbitration.award",
    "/deadlines?view=all&kind=period&when=week",
    "/notifications",
    "/arbitration/calendar",
    "/arbitration/calendar?by=arbitrator&week=2026-11-30",
    "/arbitration/calendar?view=month&week=2026-11-30&free=2026-11-30&from=09:00&to=12:00",
    "/mediation/calendar",
    "/mediation/calendar?view=month&week=2026-11-30",
    "/cases/{case}/mediation/open",
    "/cases/{case}/arbitration/receive",
    "/cases/{case}/legal-aid/apply",
    "/cases/{case}/service",
    "/transfers",
    "/cases/{case}/claims",
    "/cases/{case}/claims/{claim}",
]
ADMIN_PAGES = [
    "/admin/users",
    "/admin/users?q=clerk",
    "/admin/users/new",
    "/admin/users/{user}",
    "/admin/units",
    "/admin/units/new",
    "/admin/units/new?parent={unit}",
    "/admin/units/{unit}",
    "/account",
    "/admin/minimum-wages",
    "/admin/minimum-wages/new",
    "/admin/minimum-wages/new?region=440300",
    "/admin/minimum-wages/1",
    "/admin/finality-rules",
    "/admin/finality-rules/new",
    "/admin/finality-rules/1",
    "/admin/hearing-rooms",
    "/admin/hearing-rooms/new",
    "/admin/hearing-rooms/{room}",
    "/admin/calendar",
    "/admin/calendar?year=2027",
    "/admin/calendar/new",
    "/admin/calendar/new?day=2027-01-01",
    "/admin/calendar/2026-02-16",
    "/admin/calendar/import",
    "/admin/rules",
    "/admin/rules/arbitration.award",
    "/admin/rules/litigation.first_instance",
    "/admin/targets",
    "/admin/audit",
    "/admin/audit?entity=unit&page=2",
    "/admin/calendar/recomputes/{job}",
    "/admin/allocation",
]
# Pages of the people who hold cases (issue 16), rendered for a mediator holding a routed case.
HOLDER_PAGES = ["/work/mine"]
# The supervisor's closures awaiting approval, approved several at once (issue 16), with a case awaiting one.
APPROVAL_PAGES = ["/arbitration/closures"]
# The statistics, for supervisors (tests/web/test_reports_web.py renders them over hand-built rows too).
REPORT_PAGES = [
    "/reports",
    "/reports?preset=quarter&on=2026-08-01",
    "/reports?from=2026-07-01&to=2026-09-30",
    "/reports/cases?figure=arbitration.closed&part=numerator&from=2026-07-01&to=2026-09-30",
    "/reports/cases?figure=overall.mediation_rate&part=denominator",
    "/reports/court?preset=year&on=2026-08-01",
    "/reports/workload?preset=quarter&on=2026-08-01",
    "/reports/ageing?stale=15",
    "/reports/court/cases?measure=awards&preset=year&on=2026-08-01",
    "/reports/ageing/cases?measure=open&grouping=total&key=total",
    "/reports/tables/MA1?preset=year",
    "/reports/tables/MA2?from=2026-01-01&to=2026-09-30",
    "/reports/tables/MA2/cases?row=workers&column=total&preset=year",
    "/reports/tables/MA1/cases?row=amount_claimed&column=arbitration&preset=year",
]
REPORT_FILES = [
    "/reports/monthly.pdf?month=2026-10",
    "/reports/cases.csv?figure=arbitration.closed&part=numerator",
    "/reports/court/cases.xlsx?measure=awards",
    "/reports/tables/MA1.xlsx?preset=year",
    "/reports/tables/MA2/cases.csv?row=workers&column=total&preset=year",
    "/reports/tables/MA2.pdf",
]
# The ledger's pages (a job of the signed-in user's), and its downloads (not HTML: covered, not rendered here).
LEDGER_PAGES = ["/ledger", "/ledger/jobs/{job}"]
LEDGER_FILES = ["/ledger/jobs/{job}/status", "/ledger/jobs/{job}/errors.csv", "/ledger/export"]
# Step pages of cases driven to a state: (track, state, path); `{row}` is the application or lawsuit.
TRACK_PAGES = [
    ("mediation", MediationState.IN_SESSION, "/cases/{case}/mediation/log-session"),
    ("mediation", MediationState.IN_SESSION, "/cases/{case}/mediation/agreement"),
    ("mediation", MediationState.AGREEMENT, "/cases/{case}/mediation/performance"),
    ("arbitration", ArbitrationState.HEARD, "/cases/{case}/arbitration/record-award"),
    ("arbitration", ArbitrationState.HEARD, "/cases/{case}/arbitration/schedule-hearing"),
    ("arbitration", ArbitrationState.HEARD, "/cases/{case}/arbitration/request-suspension"),
    ("arbitration", ArbitrationState.SERVED, "/cases/{case}/arbitration/form-tribunal"),
    ("arbitration", ArbitrationState.HEARD, "/cases/{case}/arbitration/add-party"),
    ("arbitration", ArbitrationState.HEARD, "/cases/{case}/arbitration/change-claims"),
    ("arbitration", ArbitrationState.HEARD, "/cases/{case}/arbitration/counter-claim"),
    ("arbitration", ArbitrationState.HEARD, "/cases/{case}/arbitration/transfer-in"),
    ("arbitration", ArbitrationState.CLOSING, "/cases/{case}/arbitration/approve-closure"),
    ("arbitration", ArbitrationState.CLOSED, "/cases/{case}/litigation/file"),
    ("arbitration", ArbitrationState.CLOSED, "/cases/{case}/litigation/apply-revocation"),
    ("legal_aid", LegalAidState.APPLIED, "/cases/{case}/legal-aid/{row}/grant"),
    ("legal_aid", LegalAidState.GRANTED, "/cases/{case}/legal-aid/{row}/assign"),
    ("lawsuit", LawsuitState.FIRST_INSTANCE, "/cases/{case}/litigation/{row}/judge"),
    ("lawsuit", LawsuitState.JUDGED, "/cases/{case}/litigation/{row}/record-item-results"),
]
# PDF downloads: rendered in both languages by test_service_pages (`{row}` is a service record).
PDF_PAGES = [
    "/cases/{case}/service/{row}/receipt.pdf",
    "/cases/{case}/case-file.pdf",
    "/arbitration/hearing-day/2026-11-20",
]


# Documents (issue 5): `{code}` is an issued document's verification code.
DOCUMENT_PAGES = [
    "/verify",
    "/verify/{code}",
    "/documents/seals",
    "/documents/numbers",
    "/documents/numbers?unit={unit}&family=mediation_doc",
]
# The parties' side and the clerk's check queue (issue 20), rendered in tests/portal/test_portal_pages.py.
PORTAL_PAGES = [
    "/portal/",
    "/portal/sign-in",
    "/portal/sign-in/code",
    "/portal/cases",
    "/portal/cases/{case}",
    "/portal/apply",
    "/portal/apply/employer",
    "/portal/apply/claims",
    "/portal/apply/evidence",
    "/portal/apply/confirm",
    "/portal/apply/done",
    "/portal/collective/{code}",
    "/applications",
    "/applications/{row}",
    "/messages/failed",
    "/portal/cases/{case}/consent",
    "/portal/served/{row}",
    "/cases/{case}/e-service",
]
PORTAL_FILES = ["/applications/{row}/uploads/{row}", "/portal/served/{row}/document.pdf"]
# GET routes that answer with a file or the document itself, not an app page (tests/web/test_documents_web.py).
DOCUMENT_FILES = {"documents.stylesheet", "documents.preview", "documents.download", "documents.seal_image"}
# Answers for machines (load balancers, Prometheus), not pages: JSON or text, no language (tests/ops/).
MACHINE_FILES = {"ops.healthz", "ops.readyz", "ops.metrics"}
# A person's hearings and sessions as iCalendar, for their calendar program (tests/web/test_session_calendar.py).
CALENDAR_FILES = ["/work/calendar.ics"]


def test_every_page_is_in_the_lists(app):
    """A new page (a GET route) must be added to the lists above, so it is rendered in both languages."""
    adapter = app.url_map.bind("localhost")
    covered = {"auth.login", *DOCUMENT_FILES, *MACHINE_FILES}
    paths = (
        CASE_PAGES
        + ADMIN_PAGES
        + HOLDER_PAGES
        + APPROVAL_PAGES
        + DOCUMENT_PAGES
        + PDF_PAGES
        + LEDGER_PAGES
        + LEDGER_FILES
        + REPORT_PAGES
        + REPORT_FILES
        + PORTAL_PAGES
        + PORTAL_FILES
        + CALENDAR_FILES
    )
    for path in paths + [path for _t, _s, path in TRACK_PAGES]:
        url = path.format(case=1, user=1, unit=1, room=1, row=1, job=1, code="0000000000", claim=1)
        endpoint, _ = adapter.match(url.split("?")[0], method="GET")
        covered.add(endpoint)
    pages = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    assert pages - covered == {"static", "auth.index"}  # the start page only redirects


@pytest.mark.parametrize("locale", LANGUAGES)
def test_login_page(app, client, org, locale):
    client.post("/language", data={"locale": locale})
    doc = assert_page(app, client.get("/login"), locale)
    assert t(app, "Sign in", locale) in text(doc.find(".//h1"))


@pytest.mark.parametrize("locale", LANGUAGES)
@pytest.mark.parametrize("role", [Role.CLERK, Role.SUPERVISOR])
@pytest.mark.parametrize("path", CASE_PAGES)
def test_case_pages(app, db, org, make_case, as_role, locale, role, path):
    case = make_case(dispute_known_on=date(2025, 1, 1))  # with a limitation-warning badge
    client = as_role(role, locale)
    assert_page(app, client.get(path.format(case=case.id, claim=case.claims[0].id)), locale)


@pytest.mark.parametrize("locale", LANGUAGES)
@pytest.mark.parametrize(
    "role", [Role.MEDIATOR, Role.LAWYER, Role.LEGAL_AID_OFFICER, Role.ARBITRATOR, Role.COURT_LIAISON]
)
def test_case_pages_for_other_roles(app, db, org, make_case, as_role, locale, role):
    case = make_case(org.centre)
    db.session.add(CaseAssignment(case_id=case.id, user_id=org.user(role).id, role=role))
    db.session.commit()
    client = as_role(role, locale)
    assert_page(app, client.get("/cases"), locale)
    assert_page(app, client.get(f"/cases/{case.id}"), locale)
    assert_page(app, client.get("/account"), locale)


@pytest.mark.parametrize("locale", LANGUAGES)
def test_case_page_with_everything(app, db, org, make_case, as_role, locale):
    """A case with a timeline of every kind, assignments, revealed IDs and flag edits."""
    case = make_case()
    db.session.add(CaseAssignment(case_id=case.id, user_id=org.user(Role.MEDIATOR).id, role=Role.MEDIATOR))
    db.session.commit()
    client = as_role(Role.SUPERVISOR, locale)
    version = case.version_id
    response = client.post(f"/cases/{case.id}/flags", data={"collective": "y", "reason": "共12人", "version": version})
    assert response.status_code == 302
    assert_page(app, client.get(response.headers["Location"]), locale)
    doc = assert_page(app, client.post(f"/cases/{case.id}/reveal", data={"reason": "核对"}), locale)
    assert WORKER_ID in text(doc)
    assert_page(app, client.post(f"/cases/{case.id}/reveal", data={"reason": ""}), locale, status=400)
    flags = {"reason": "", "version": db.session.get(type(case), case.id).version_id}
    assert_page(app, client.post(f"/cases/{case.id}/flags", data=flags), locale, status=400)


@pytest.mark.parametrize("locale", LANGUAGES)
@pytest.mark.parametrize(("track", "state", "path"), TRACK_PAGES, ids=[p for _t, _s, p in TRACK_PAGES])
def test_track_step_pages(app, db, org, make_case, as_role, locale, track, state, path):
    case = make_case()
    driver = Driver(db.session, org, case)
    row = {
        "mediation": driver.mediation,
        "arbitration": driver.arbitration,
        "legal_aid": driver.legal_aid,
        "lawsuit": driver.lawsuit,
    }[track](state)
    db.session.commit()
    client = as_role(Role.SUPERVISOR, locale)
    assert_page(app, client.get(path.format(case=case.id, row=row.id)), locale)
    assert_page(app, client.get(f"/cases/{case.id}"), locale)


@pytest.mark.parametrize("locale", LANGUAGES)
def test_intake_steps(app, db, org, make_case, as_role, locale):
    make_case()  # so the review shows a duplicate warning, and the limitation one
    client = as_role(Role.CLERK, locale)
    review = assert_page(app, client.post("/cases/new", data=intake_post(org)), locale)
    assert len([d for d in review.iter("div") if "flash-warning" in (d.get("class") or "")]) == 2
    refused = intake_post(org) | {"workers-0-id_number": "110105194912310021", "claims-0-amount": "-1"}
    assert_page(app, client.post("/cases/new", data=refused), locale)


@pytest.mark.parametrize("locale", LANGUAGES)
@pytest.mark.parametrize("path", APPROVAL_PAGES)
def test_approval_pages(app, db, org, make_case, as_role, locale, path):
    from disputes.workflow.states import ArbitrationState
    from tests.drive import Driver

    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.CLOSING)
    db.session.commit()
    doc = assert_page(app, as_role(Role.SUPERVISOR, locale).get(path), locale)
    assert case.registry_no in text(doc.find(".//main"))


@pytest.mark.parametrize("locale", LANGUAGES)
@pytest.mark.parametrize("path", HOLDER_PAGES)
def test_holder_pages(app, db, org, make_case, as_role, locale, path):
    from disputes.models import Route
    from disputes.workflow import routing

    case = make_case()
    routing.route_case(db.session, case, org.user(Role.CLERK), Route.MEDIATION, org.mediation.id)
    db.session.commit()
    doc = assert_page(app, as_role(Role.MEDIATOR, locale).get(path), locale)
    assert case.registry_no in text(doc.find(".//main"))


@pytest.mark.parametrize("locale", LANGUAGES)
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages(app, db, org, as_role, locale, path):
    from disputes.models import CalendarRecompute

    room = reference.add_hearing_room(db.session, org.arbitration, "第一仲裁庭")
    job = CalendarRecompute(
        first=date(2026, 11, 25),
        last=date(2026, 11, 25),
        change="+ 2026-11-25 holiday 测试",
        status="done",
        timers_total=3,
        timers_done=3,
        timers_changed=2,
    )
    db.session.add(job)
    db.session.commit()
    client = as_role(Role.ADMIN, locale)
    url = path.format(user=org.user(Role.CLERK).id, unit=org.street.id, room=room.id, job=job.id)
    assert_page(app, client.get(url), locale)


@pytest.mark.parametrize("locale", LANGUAGES)
def test_admin_forms_with_errors(app, org, as_role, locale):
    client = as_role(Role.ADMIN, locale)
    assert_page(app, client.post("/admin/users/new", data={"username": "bad name"}), locale)
    assert_page(app, client.post(f"/admin/users/{org.user(Role.CLERK).id}", data={"display_name": ""}), locale)
    assert_page(app, client.post("/admin/units/new", data={"registry_pattern": "{x}"}), locale)
    assert_page(app, client.post(f"/admin/units/{org.centre.id}", data={"registry_pattern": "{year}"}), locale)


@pytest.mark.parametrize("locale", LANGUAGES)
def test_account_page_with_errors(app, org, as_role, locale):
    client = as_role(Role.LAWYER, locale)
    assert_page(app, client.post("/account", data={"current": "x", "password": "y", "confirm": "z"}), locale)


@pytest.mark.parametrize("locale", LANGUAGES)
def test_service_pages(app, db, org, make_case, as_role, locale):
    """The service page with documents, a served one and its form errors; each PDF in the user's language."""
    from disputes.documents.service import ServiceInput, record_service
    from disputes.models import ServiceMethod
    from tests.issued import fake_issue

    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.ACCEPTED)
    served, _pending = (
        fake_issue(db.session, case, kind, number=f"第{n}号")
        for n, kind in enumerate(("arb_respondent_notice", "arb_tribunal_notice"), start=1)
    )
    service = record_service(
        db.session,
        case,
        org.user(Role.CLERK),
        served,
        case.respondents[0],
        ServiceInput(method=ServiceMethod.PUBLIC_NOTICE, published_on=date(2026, 11, 20), publication="公告栏"),
    )
    db.session.commit()
    client = as_role(Role.CLERK, locale)
    page = assert_page(app, client.get(f"/cases/{case.id}/service"), locale)
    assert t(app, "Record service", locale) in text(page)
    service_form = {"method": "post", "version": case.version_id}
    assert_page(app, client.post(f"/cases/{case.id}/service", data=service_form), locale, status=400)
    assert_page(app, client.get(f"/cases/{case.id}"), locale)
    for path in PDF_PAGES:
        response = client.get(path.format(case=case.id, row=service.id))
        assert response.status_code == 200 and response.mimetype == "application/pdf", path
        assert response.data.startswith(b"%PDF")


# --- error pages ------------------------------------------------------------------------


def assert_error_page(app, response, locale, status, title):
    doc = assert_page(app, response, locale, status=status)
    assert text(doc.find(".//h1")) == t(app, title, locale)
    assert str(status) in text(doc.find(".//main"))
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize("locale", LANGUAGES)
def test_403_page(app, make_case, as_role, locale):
    case = make_case()
    client = as_role(Role.ADMIN, locale)
    assert_error_page(app, client.get("/cases"), locale, 403, "No access")
    client = as_role(Role.LAWYER, locale)
    assert_error_page(app, client.get(f"/cases/{case.id}"), locale, 403, "No access")


@pytest.mark.parametrize("locale", LANGUAGES)
def test_404_page_signed_in_and_anonymous(app, client, org, as_role, locale):
    client.post("/language", data={"locale": locale})
    assert_error_page(app, client.get("/no/such/page"), locale, 404, "Not found")
    client = as_role(Role.CLERK, locale)
    assert_error_page(app, client.get("/cases/999999"), locale, 404, "Not found")
    assert_error_page(app, client.get("/no/such/page"), locale, 404, "Not found")


@pytest.mark.parametrize("locale", LANGUAGES)
def test_405_page(app, org, as_role, locale):
    client = as_role(Role.CLERK, locale)
    assert_error_page(app, client.get("/logout"), locale, 405, "Not allowed")


@pytest.mark.parametrize("locale", LANGUAGES)
def test_500_page_shows_no_trace(app, org, as_role, monkeypatch, locale):
    def broken():
        raise RuntimeError("secret internals")

    client = as_role(Role.CLERK, locale)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setitem(app.view_functions, "auth.account", broken)
    response = client.get("/account")
    assert_error_page(app, response, locale, 500, "Something went wrong")
    assert "secret internals" not in response.get_data(as_text=True)


@pytest.mark.parametrize("locale", LANGUAGES)
@pytest.mark.parametrize("path", DOCUMENT_PAGES)
def test_document_pages(app, db, org, make_case, as_role, locale, path):
    from disputes.documents import issue as issuing
    from tests.documents_fixtures import accepted_case

    case = accepted_case(db, org, make_case)
    doc = issuing.issue(db.session, case, "arb_acceptance", "", org.user(Role.CLERK))
    db.session.commit()
    client = as_role(Role.ADMIN, locale)
    assert_page(app, client.get(path.format(code=doc.code, unit=org.centre.id)), locale)


@pytest.mark.parametrize("locale", LANGUAGES)
def test_case_page_with_documents(app, db, org, make_case, as_role, locale):
    from disputes.documents import issue as issuing
    from tests.documents_fixtures import accepted_case

    case = accepted_case(db, org, make_case)
    issuing.issue(db.session, case, "arb_acceptance", "", org.user(Role.CLERK))
    issuing.reissue(db.session, case, "arb_acceptance", "", org.user(Role.CLERK))
    db.session.commit()
    doc = assert_page(app, as_role(Role.CLERK, locale).get(f"/cases/{case.id}"), locale)
    panel = next(s for s in doc.iter("section") if s.get("id") == "documents")
    assert "LGA仲字〔2026〕1号" in text(panel)


@pytest.mark.parametrize("locale", LANGUAGES)
@pytest.mark.parametrize("status", ["running", "invalid", "done"])
def test_ledger_pages(app, db, org, as_role, locale, status):
    from disputes.models import LedgerImport

    job = LedgerImport(
        file_name="台账.csv",
        content=b"",
        status=status,
        rows_total=10,
        rows_done=4,
        created_by_id=org.user(Role.CLERK).id,
        finished_at=None if status == "running" else FROZEN_AT,
        error_count=1 if status == "invalid" else 0,
        created_count=10 if status == "done" else 0,
        errors=[
            {
                "row": 17,
                "column": "arbitration_closed_on",
                "message": "before %(other)s",
                "params": {"other": "arbitration_accepted_on"},
            }
        ]
        if status == "invalid"
        else None,
    )
    db.session.add(job)
    db.session.commit()
    client = as_role(Role.CLERK, locale)
    for path in LEDGER_PAGES:
        assert_page(app, client.get(path.format(job=job.id)), locale)


@pytest.mark.parametrize("locale", LANGUAGES)
def test_413_page_for_an_upload_over_the_limit(app, org, as_role, locale):
    client = as_role(Role.CLERK, locale)
    app.config["MAX_CONTENT_LENGTH"], saved = 1024, app.config["MAX_CONTENT_LENGTH"]
    try:
        response = client.post(
            "/ledger", data={"file": (BytesIO(b"x" * 4096), "big.csv")}, content_type="multipart/form-data"
        )
    finally:
        app.config["MAX_CONTENT_LENGTH"] = saved
    assert_error_page(app, response, locale, 413, "File too large")


@pytest.mark.parametrize("locale", LANGUAGES)
@pytest.mark.parametrize("path", REPORT_PAGES)
def test_report_pages(app, db, org, make_case, as_role, locale, path):
    make_case()
    client = as_role(Role.SUPERVISOR, locale)
    assert_page(app, client.get(path), locale)
