"""Lost and doubled writes (issue 14, items 10, 11, 14 and 15), each refused or made harmless:

- a double-click on "Register" (two posts of one form, one after the other, and on PostgreSQL at the same
  moment), which registered two cases with two permanent registry numbers;
- a double-click on a workflow step, one after the other and at the same moment;
- an older page's flags form silently undoing another user's change; a step, flags, service or document form
  posted without its case version, which skipped the stale-form check;
- two simultaneous issues (or reissues) of one document, which gave a 500 on PostgreSQL;
- a ledger import whose worker was killed or lost its database connection, shown as "running" forever.
"""

import os
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from disputes import clock
from disputes.ledger import job as ledger_job
from disputes.models import Case, IssuedDocument, LedgerImport, Role, TimelineEntry
from disputes.models.enums import ImportStatus
from disputes.workflow.actions import ConflictError
from disputes.workflow.states import ArbitrationState
from tests.conftest import EMPLOYER_CODE, PASSWORD, WORKER_ID
from tests.documents_fixtures import accepted_case
from tests.drive import Driver
from tests.issued import fake_issue
from tests.ledger_rows import GOOD, csv_text
from tests.pages import flashes, parse, step_hidden, t

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgres")
ALREADY = "This form had already been sent: it was carried out once, and this is the result."


def browser(app, username):
    """A signed-in browser of its own (for threads: each request then has its own database session)."""
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return client


def at_once(*calls):
    """Run the calls in threads released together; their results in order."""
    barrier = threading.Barrier(len(calls), timeout=60)
    results, errors = [None] * len(calls), []

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    return results


def count(db, model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


# --- double submits ------------------------------------------------------------------------------------------------


def intake(org) -> dict:
    return {
        "unit_id": str(org.centre.id),
        "registered_on": "2026-11-20",
        "dispute_known_on": "2026-10-01",
        "cause": "拖欠工资",
        "workers-0-name": "张三",
        "workers-0-id_number": WORKER_ID,
        "employers-0-name": "深圳市宏达电子科技有限公司",
        "employers-0-credit_code": EMPLOYER_CODE,
        "claims-0-category": "wages",
        "claims-0-amount": "12000",
    }


def reviewed(client, org) -> dict:
    """The intake form as the review page carries it, ready for "Register"."""
    review = client.post("/cases/new", data=intake(org))
    assert review.status_code == 200
    hidden = {
        e.get("name"): e.get("value") or ""
        for e in parse(review).iter("input")
        if e.get("type") == "hidden" and e.get("name")
    }
    assert hidden["step"] == "confirm" and hidden["submission"]
    return {**intake(org), **hidden}


def test_a_double_click_on_register_creates_one_case(app, db, org, login):
    clerk = login(org.user(Role.CLERK))
    form = reviewed(clerk, org)
    first = clerk.post("/cases/new", data=form)
    second = clerk.post("/cases/new", data=form)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert t(app, ALREADY) in flashes(clerk.get(second.headers["Location"]))
    assert count(db, Case) == 1
    # No registry number was used up by the second post: the next case takes number 2.
    clerk.post("/cases/new", data=reviewed(clerk, org) | {"cause": "拖欠加班费"})
    assert sorted(db.session.scalars(sa.select(Case.registry_no))) == ["LGC〔2026〕1号", "LGC〔2026〕2号"]


@pytest.mark.skipif(not ON_POSTGRES, reason="two requests at the same moment need PostgreSQL")
def test_two_simultaneous_posts_of_register_create_one_case(app, db, org):
    first, second = browser(app, "clerk"), browser(app, "clerk")
    form = reviewed(first, org)
    responses = at_once(lambda: first.post("/cases/new", data=form), lambda: second.post("/cases/new", data=form))
    assert [r.status_code for r in responses] == [302, 302], [r.get_data(as_text=True)[:500] for r in responses]
    assert responses[0].headers["Location"] == responses[1].headers["Location"]
    assert count(db, Case) == 1


@pytest.fixture
def received(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.RECEIVED)
    db.session.commit()
    return case


def accepted_entries(db) -> int:
    return count(db, TimelineEntry, TimelineEntry.kind == "arbitration.accept")


def test_a_double_click_on_a_step_takes_it_once(app, db, org, login, received):
    clerk = login(org.user(Role.CLERK))
    url = f"/cases/{received.id}/arbitration/accept"
    form = {**step_hidden(clerk.get(url)), "accepted_on": "2026-11-20"}
    first, second = clerk.post(url, data=form), clerk.post(url, data=form)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert t(app, ALREADY) in flashes(clerk.get(second.headers["Location"]))
    assert accepted_entries(db) == 1


@pytest.mark.skipif(not ON_POSTGRES, reason="two requests at the same moment need PostgreSQL")
def test_two_simultaneous_posts_of_a_step_take_it_once(app, db, org, received):
    first, second = browser(app, "clerk"), browser(app, "clerk")
    url = f"/cases/{received.id}/arbitration/accept"
    form = {**step_hidden(first.get(url)), "accepted_on": "2026-11-20"}
    responses = at_once(lambda: first.post(url, data=form), lambda: second.post(url, data=form))
    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0].headers["Location"] == responses[1].headers["Location"]
    assert accepted_entries(db) == 1


# --- versions ------------------------------------------------------------------------------------------------------


def test_a_step_posted_without_its_version_is_refused_with_the_input_kept(app, db, org, login, received):
    clerk = login(org.user(Role.CLERK))
    url = f"/cases/{received.id}/arbitration/refuse"
    hidden = step_hidden(clerk.get(url))
    response = clerk.post(url, data={"submission": hidden["submission"], "reason": "不属于受理范围的争议"})
    assert response.status_code == 409
    assert t(app, ConflictError().message) in flashes(response)
    assert "不属于受理范围的争议" in response.get_data(as_text=True)
    assert step_hidden(response)["version"] == str(received.version_id)  # the form now carries the version
    assert count(db, TimelineEntry, TimelineEntry.kind == "arbitration.refuse") == 0


def flags_version(page) -> str:
    form = next(f for f in parse(page).iter("form") if f.get("action", "").endswith("/flags"))
    return next(e.get("value") for e in form.iter("input") if e.get("name") == "version")


def test_an_older_flags_form_does_not_undo_a_newer_change(app, db, org, make_case, login):
    case = make_case()
    supervisor, clerk = browser(app, "supervisor"), login(org.user(Role.CLERK))
    old = flags_version(clerk.get(f"/cases/{case.id}"))
    newer = supervisor.post(
        f"/cases/{case.id}/flags",
        data={"collective": "y", "reason": "共12人", "version": flags_version(supervisor.get(f"/cases/{case.id}"))},
    )
    assert newer.status_code == 302
    # The clerk's page, opened before, still shows "collective" unticked.
    stale = clerk.post(f"/cases/{case.id}/flags", data={"green_channel": "y", "reason": "农民工欠薪", "version": old})
    assert stale.status_code == 409
    assert t(app, ConflictError().message) in flashes(stale)
    assert "农民工欠薪" in stale.get_data(as_text=True)
    missing = clerk.post(f"/cases/{case.id}/flags", data={"green_channel": "y", "reason": "农民工欠薪"})
    assert missing.status_code == 409
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.collective is True and case.green_channel is False


def test_service_and_document_forms_without_their_version_are_refused(app, db, org, make_case, login):
    case = accepted_case(db, org, make_case)
    notice = fake_issue(db.session, case, "arb_respondent_notice")
    db.session.commit()
    clerk = login(org.user(Role.CLERK))
    service = {
        "document_id": notice.id,
        "party_id": case.respondents[0].id,
        "method": "post",
        "served_at": "2026-11-20T09:15",
        "tracking_number": "EMS9876543210",
        "officer_id": org.user(Role.CLERK).id,
    }
    for version in (None, case.version_id - 1):
        data = service if version is None else {**service, "version": version}
        response = clerk.post(f"/cases/{case.id}/service", data=data)
        assert response.status_code == 409
        assert t(app, ConflictError().message) in flashes(response)
        assert "EMS9876543210" in response.get_data(as_text=True)
    response = clerk.post(
        f"/cases/{case.id}/documents/arb_acceptance/issue", data={"key": "", "lang": "zh_CN"}, follow_redirects=True
    )
    assert t(app, ConflictError().message) in flashes(response)
    assert count(db, IssuedDocument, IssuedDocument.kind == "arb_acceptance") == 0


# --- simultaneous issues -------------------------------------------------------------------------------------------


@pytest.mark.skipif(not ON_POSTGRES, reason="two transactions at the same moment need PostgreSQL")
@pytest.mark.parametrize("action", ["issue", "reissue"])
def test_two_simultaneous_issues_of_one_document_answer_issued_once(app, db, org, make_case, action):
    case = accepted_case(db, org, make_case)
    url = f"/cases/{case.id}/documents/arb_acceptance/{action}"
    first, second = browser(app, "clerk"), browser(app, "supervisor")
    if action == "reissue":
        first.post(url.replace("reissue", "issue"), data={"key": "", "lang": "zh_CN", "version": case.version_id})
    data = {"key": "", "lang": "zh_CN", "version": case.version_id}
    responses = at_once(lambda: first.post(url, data=data), lambda: second.post(url, data=data))
    assert [r.status_code for r in responses] == [302, 302]
    messages = [flashes(client.get(f"/cases/{case.id}")) for client in (first, second)]
    issued = "This document has just been issued by someone else; it was issued once, not twice."
    assert sum(t(app, issued) in m for m in messages) == 1, messages
    versions = db.session.scalars(sa.select(IssuedDocument.version).where(IssuedDocument.case_id == case.id)).all()
    assert sorted(versions) == ([1] if action == "issue" else [1, 2])


# --- stalled import jobs -------------------------------------------------------------------------------------------


def stalled_job(db, org, minutes: int) -> LedgerImport:
    """A job a worker took and then stopped beating for `minutes` (killed, or its connection dropped)."""
    job = LedgerImport(
        file_name="台账.csv",
        content=csv_text(GOOD).encode(),
        created_by_id=org.user(Role.CLERK).id,
        status=ImportStatus.RUNNING,
        heartbeat_at=clock.now_utc() - timedelta(minutes=minutes),
    )
    db.session.add(job)
    db.session.commit()
    return job


def test_a_job_whose_worker_died_shows_as_failed_and_can_be_retried(app, db, org, login):
    job = stalled_job(db, org, minutes=11)
    clerk = login(org.user(Role.CLERK))
    page = clerk.get(f"/ledger/jobs/{job.id}")
    assert t(app, "Failed: nothing imported") in page.get_data(as_text=True)
    assert t(app, ledger_job.STALLED) in page.get_data(as_text=True)
    assert clerk.get(f"/ledger/jobs/{job.id}/status").get_json()["status"] == "failed"
    retry = next(f for f in parse(page).iter("form") if f.get("action", "").endswith("/retry"))
    assert retry is not None
    assert count(db, Case) == 0

    response = clerk.post(f"/ledger/jobs/{job.id}/retry")  # no broker: it runs again at once, on the same file
    assert response.status_code == 302
    status = clerk.get(f"/ledger/jobs/{job.id}/status").get_json()
    assert (status["status"], status["created"]) == ("done", len(GOOD))
    assert count(db, Case) == len(GOOD)
    assert clerk.post(f"/ledger/jobs/{job.id}/retry").status_code == 302  # a finished job is not run again
    assert count(db, Case) == len(GOOD)


def test_a_job_with_a_recent_heartbeat_keeps_running(app, db, org, login):
    job = stalled_job(db, org, minutes=9)
    clerk = login(org.user(Role.CLERK))
    assert clerk.get(f"/ledger/jobs/{job.id}/status").get_json()["status"] == "running"


@pytest.mark.skipif(not ON_POSTGRES, reason="another connection writing during the import needs PostgreSQL")
def test_a_job_given_up_while_its_worker_still_runs_imports_nothing(app, db, org, monkeypatch):
    """The page gave the job up (its heartbeat was late); the worker then finishes: it must not import anyway."""
    job = LedgerImport(
        file_name="台账.csv",
        content=csv_text(GOOD).encode(),
        created_by_id=org.user(Role.CLERK).id,
        heartbeat_at=clock.now_utc(),
    )
    db.session.add(job)
    db.session.commit()
    real = ledger_job.import_ledger

    def slow_import(session, *args, **kwargs):
        result = real(session, *args, **kwargs)
        with db.engine.begin() as other:  # meanwhile, a page sees the heartbeat 11 minutes late
            from sqlalchemy.orm import Session

            ledger_job.expire_stalled(Session(bind=other), clock.now_utc() + timedelta(minutes=11))
        return result

    monkeypatch.setattr(ledger_job, "import_ledger", slow_import)
    ledger_job.run(db.session, job.id, note="", causes={})
    assert count(db, Case) == 0
    assert db.session.get(LedgerImport, job.id).status == ImportStatus.FAILED
