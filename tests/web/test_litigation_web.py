"""Litigation through the web: lawsuits after arbitration, applications to revoke a final award, refusals."""

from decimal import Decimal

import pytest

from disputes import clock
from disputes.models import Case, ClaimCategory, Role, TimelineEntry
from disputes.workflow.intake import ClaimInput
from disputes.workflow.states import (
    ArbitrationState,
    CaseStage,
    CaseStatus,
    CourtOutcome,
    CourtProcedure,
    Finality,
    LawsuitKind,
    LawsuitState,
    Litigant,
)
from tests.drive import Driver
from tests.pages import field_errors, flashes, parse, step_hidden, t, text

NON_FINAL_CLAIMS = [ClaimInput(ClaimCategory.ECONOMIC_COMPENSATION, Decimal("80000.00"), "违法解除劳动合同赔偿")]


def version_of(page) -> str:
    return next(e.get("value") for e in parse(page).iter("input") if e.get("name") == "version")


def step(client, url: str, data: dict, status: int = 302):
    """Open a step's form as a browser would, then submit it with the version it was opened on."""
    page = client.get(url)
    assert page.status_code == 200, (page.status_code, flashes(client.get(page.headers.get("Location", "/"))))
    response = client.post(url, data={**step_hidden(page), **data})
    assert response.status_code == status, (flashes(response), response.get_data(as_text=True)[:2000])
    return response


def fresh(db, case) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case.id)


def the_lawsuit(db, case):
    (lawsuit,) = fresh(db, case).lawsuits
    return lawsuit


def today() -> str:
    return clock.today_local().isoformat()


def file_url(case) -> str:
    return f"/cases/{case.id}/litigation/file"


def url(case, lawsuit, slug: str) -> str:
    return f"/cases/{case.id}/litigation/{lawsuit.id}/{slug}"


def panel(page, lawsuit):
    return parse(page).find(f".//section[@id='lawsuit-{lawsuit.id}']")


@pytest.fixture
def decided(db, org, make_case):
    """Make a case whose arbitration closed with an award: final by default, non-final with NON_FINAL_CLAIMS."""

    def make(**overrides):
        case = make_case(**overrides)
        Driver(db.session, org, case).arbitration(ArbitrationState.CLOSED)
        db.session.commit()
        return case

    return make


def test_worker_sues_appeal_second_instance_close(app, db, org, decided, login):
    case = decided(claims=NON_FINAL_CLAIMS)
    (award,) = case.arbitration.awards
    assert award.finality == Finality.NON_FINAL
    liaison = login(org.user(Role.COURT_LIAISON))
    form = liaison.get(file_url(case))
    options = [text(o) for o in parse(form).iter("option")]
    assert f"{award.number} · {t(app, 'Non-final')}" in options

    step(
        liaison,
        file_url(case),
        {"plaintiff": "worker", "court": "深圳市龙岗区人民法院", "filed_on": today(), "award_id": award.id},
    )
    lawsuit = the_lawsuit(db, case)
    assert (lawsuit.kind, lawsuit.state, lawsuit.plaintiff, lawsuit.award_id) == (
        LawsuitKind.LAWSUIT,
        LawsuitState.FILED,
        Litigant.WORKER,
        award.id,
    )
    assert fresh(db, case).stage == CaseStage.LITIGATION

    step(
        liaison,
        url(case, lawsuit, "docket"),
        {"court_case_no": "（2026）粤0307民初100号", "docketed_on": today(), "procedure": "simplified"},
    )
    step(liaison, url(case, lawsuit, "judge"), {"outcome": "judgment", "judged_on": today(), "summary": "支持部分诉请"})
    assert the_lawsuit(db, case).state == LawsuitState.JUDGED
    step(
        liaison,
        url(case, lawsuit, "appeal"),
        {"appellant": "employer", "appealed_on": today(), "appeal_court": "深圳市中级人民法院"},
    )
    step(liaison, url(case, lawsuit, "second-instance"), {"appeal_case_no": "（2026）粤03民终200号"})
    assert the_lawsuit(db, case).state == LawsuitState.SECOND_INSTANCE
    assert fresh(db, case).status == CaseStatus.OPEN

    refused = step(liaison, url(case, lawsuit, "close"), {"closed_on": today()}, status=400)
    assert field_errors(refused, "second_outcome") == [t(app, "Give the second-instance result.")]
    step(
        liaison,
        url(case, lawsuit, "close"),
        {"closed_on": today(), "second_outcome": "judgment", "summary": "驳回上诉，维持原判"},
    )
    closed = the_lawsuit(db, case)
    assert (closed.state, closed.second_outcome, closed.note) == (
        LawsuitState.CLOSED,
        CourtOutcome.JUDGMENT,
        "驳回上诉，维持原判",
    )
    assert (closed.procedure, closed.appellant) == (CourtProcedure.SIMPLIFIED, Litigant.EMPLOYER)
    after = fresh(db, case)
    assert after.status == CaseStatus.CLOSED and after.closed_on == clock.today_local()

    shown = text(panel(liaison.get(f"/cases/{case.id}"), lawsuit))
    for part in (
        "（2026）粤0307民初100号",
        "（2026）粤03民终200号",
        award.number,
        t(app, "Non-final"),
        t(app, "Court: simplified procedure"),
        t(app, "Judgment"),
        "驳回上诉，维持原判",
        "深圳市中级人民法院",
    ):
        assert part in shown, part
    for raw in ("non_final", "simplified", "second_instance", "judgment"):
        assert raw not in shown, raw


def test_the_close_form_asks_for_a_second_result_only_at_second_instance(db, org, decided, login):
    case = decided(claims=NON_FINAL_CLAIMS)
    driver = Driver(db.session, org, case)
    lawsuit = driver.lawsuit(LawsuitState.JUDGED)
    db.session.commit()
    liaison = login(org.user(Role.COURT_LIAISON))
    names = {e.get("name") for e in parse(liaison.get(url(case, lawsuit, "close"))).iter("select")}
    assert "second_outcome" not in names
    step(liaison, url(case, lawsuit, "close"), {"closed_on": today()})
    assert the_lawsuit(db, case).state == LawsuitState.CLOSED


def test_court_mediation_at_first_instance_ends_the_lawsuit(db, org, decided, login):
    case = decided(claims=NON_FINAL_CLAIMS)
    clerk = login(org.user(Role.CLERK))
    step(
        clerk,
        file_url(case),
        {
            "plaintiff": "worker",
            "court": "深圳市龙岗区人民法院",
            "filed_on": today(),
            "award_id": case.arbitration.awards[0].id,
        },
    )
    lawsuit = the_lawsuit(db, case)
    step(
        clerk,
        url(case, lawsuit, "docket"),
        {"court_case_no": "（2026）粤0307民初101号", "docketed_on": today(), "procedure": "ordinary"},
    )
    step(clerk, url(case, lawsuit, "judge"), {"outcome": "court_mediation", "judged_on": today()})
    mediated = the_lawsuit(db, case)
    assert (mediated.state, mediated.outcome, mediated.closed_on) == (
        LawsuitState.CLOSED,
        CourtOutcome.COURT_MEDIATION,
        clock.today_local(),
    )
    assert fresh(db, case).status == CaseStatus.CLOSED
    kinds = [e.kind for e in db.session.query(TimelineEntry).filter_by(case_id=case.id).order_by(TimelineEntry.id)]
    assert kinds[-2:] == ["litigation.judge", "litigation.close"]
    # Nothing to appeal: no appeal button on the case page, and the step itself is refused.
    assert clerk.get(url(case, lawsuit, "appeal")).status_code == 302


@pytest.mark.parametrize(
    ("slug", "state"), [("revoke-award", LawsuitState.REVOKED), ("uphold-award", LawsuitState.UPHELD)]
)
def test_employer_applies_to_revoke_a_final_award(app, db, org, decided, login, slug, state):
    case = decided()
    (award,) = case.arbitration.awards
    assert award.finality == Finality.FINAL
    arbitrator = login(org.user(Role.ARBITRATOR))
    revoke_url = f"/cases/{case.id}/litigation/apply-revocation"
    court = next(e for e in step_form(arbitrator.get(revoke_url)).iter("input") if e.get("name") == "court")
    assert court.get("value") in (None, "") and court.get("placeholder")
    step(arbitrator, revoke_url, {"award_id": award.id, "court": "深圳市中级人民法院", "filed_on": today()})
    applied = the_lawsuit(db, case)
    assert (applied.kind, applied.state, applied.plaintiff, applied.award_id) == (
        LawsuitKind.REVOCATION,
        LawsuitState.REVOCATION_APPLIED,
        Litigant.EMPLOYER,
        award.id,
    )
    assert fresh(db, case).status == CaseStatus.OPEN
    step(arbitrator, url(case, applied, slug), {"decided_on": today(), "note": "经审查"})
    decided_suit = the_lawsuit(db, case)
    assert (decided_suit.state, decided_suit.closed_on, decided_suit.note) == (state, clock.today_local(), "经审查")
    # A revoked award leaves either party 15 days to sue (Law Art 49): the case stays open until then.
    assert fresh(db, case).status == (CaseStatus.OPEN if state == LawsuitState.REVOKED else CaseStatus.CLOSED)
    if state == LawsuitState.UPHELD:  # a final award is effective from the day it was made (Law Art 47)
        assert fresh(db, case).arbitration.awards[0].effective_on == award.awarded_on
    shown = text(panel(arbitrator.get(f"/cases/{case.id}"), applied))
    assert t(app, "Application to revoke an award") in shown and t(app, "Final") in shown
    assert str(t(app, "Award revoked" if state == LawsuitState.REVOKED else "Award upheld")) in shown


def test_the_employer_cannot_sue_against_a_final_award(app, db, org, decided, login):
    case = decided()
    (award,) = case.arbitration.awards
    liaison = login(org.user(Role.COURT_LIAISON))
    refused = step(
        liaison,
        file_url(case),
        {"plaintiff": "employer", "court": "深圳市龙岗区人民法院", "filed_on": today(), "award_id": award.id},
        status=400,
    )
    assert field_errors(refused, "plaintiff") == [
        t(app, "An employer cannot sue against a final award; record an application to revoke it.")
    ]
    assert fresh(db, case).lawsuits == []
    unnamed = step(
        liaison,
        file_url(case),
        {"plaintiff": "employer", "court": "深圳市龙岗区人民法院", "filed_on": today(), "award_id": ""},
        status=400,
    )
    assert field_errors(unnamed, "award_id") == [t(app, "Choose the award the lawsuit is against.")]
    assert fresh(db, case).lawsuits == []


def test_no_lawsuit_before_the_arbitration_is_decided(app, db, org, make_case, login):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.ACCEPTED)
    db.session.commit()
    clerk = login(org.user(Role.CLERK))
    reason = t(app, "There is no arbitration decision to go to court against yet.")
    response = clerk.get(file_url(case))
    assert response.status_code == 302 and response.headers["Location"].startswith(f"/cases/{case.id}")
    assert reason in flashes(clerk.get(response.headers["Location"]))
    # A post without the form (no version: it was never shown) is refused, and says why the step is not possible.
    posted = clerk.post(
        file_url(case), data={"plaintiff": "worker", "court": "深圳市龙岗区人民法院", "filed_on": today()}
    )
    assert posted.status_code == 409 and reason in flashes(posted)
    assert fresh(db, case).lawsuits == []


def test_who_records_litigation(db, org, decided, login):
    case = decided(claims=NON_FINAL_CLAIMS)
    for role in (Role.MEDIATOR, Role.LEGAL_AID_OFFICER, Role.LAWYER):
        response = login(org.user(role)).get(file_url(case))
        assert response.status_code == 403, role
    assert login(org.user(Role.SUPERVISOR)).get(file_url(case)).status_code == 200


def step_form(page):
    return next(f for f in parse(page).iter("form") if any(e.get("name") == "version" for e in f.iter()))


def test_a_row_step_without_a_lawsuit_says_so(app, db, org, decided, login):
    from disputes.litigation.views import STEPS

    case = decided()
    supervisor = login(org.user(Role.SUPERVISOR))
    for spec in STEPS.values():
        if spec.slug in ("file", "apply-revocation"):
            continue
        response = supervisor.get(f"/cases/{case.id}/litigation/{spec.slug}")
        assert response.status_code == 302, spec.slug
        assert t(app, "Choose a lawsuit of this case.") in flashes(supervisor.get(response.headers["Location"]))
