"""Issue 13 at intake: an agent knows the party it acts for (and as what), and a worker's sex and date of
birth come from the resident ID number when the clerk gives none (GB 11643)."""

from datetime import date

import pytest
import sqlalchemy as sa

from disputes.i18n import DomainError
from disputes.models import Case, PartyKind, PartySide, Role, Sex
from disputes.workflow import intake
from disputes.workflow.intake import PartyInput
from tests.conftest import EMPLOYER_CODE, WORKER_ID, intake_input
from tests.pages import t
from tests.web.test_intake_web import SECOND_ID, THIRD_ID, form_values, intake_data, intake_form
from tests.web.test_intake_web import errors_at as errors_of

MALE_ID = "440304199001011233"  # born 1990-01-01, 17th digit 3: a man
FEMALE_ID = WORKER_ID  # born 1949-12-31, 17th digit 2: a woman


def worker(name, **fields):
    return PartyInput(PartySide.APPLICANT, PartyKind.WORKER, name, **fields)


def employer(name, **fields):
    return PartyInput(PartySide.RESPONDENT, PartyKind.EMPLOYER, name, **fields)


def agent(name, side, **fields):
    return PartyInput(side, PartyKind.AGENT, name, **fields)


# --- sex and date of birth from the ID number -------------------------------------------------------


def test_sex_and_birth_date_come_from_the_id_number_when_not_given(db, org, make_case):
    case = make_case(
        parties=[
            worker("张三", id_number=MALE_ID),
            worker("李四", id_number=FEMALE_ID),
            employer("深圳市宏达电子科技有限公司", credit_code=EMPLOYER_CODE),
        ]
    )
    first, second, firm = case.parties
    assert (first.sex, first.birth_date) == (Sex.MALE, date(1990, 1, 1))
    assert (second.sex, second.birth_date) == (Sex.FEMALE, date(1949, 12, 31))
    assert (firm.sex, firm.birth_date) == (None, None)


def test_given_sex_and_birth_date_are_kept_and_a_worker_without_id_gets_none(db, org, make_case):
    case = make_case(
        parties=[
            worker("张三", id_number=MALE_ID, sex="male", birth_date=date(1990, 1, 1)),
            worker("王五"),
            employer("深圳市宏达电子科技有限公司"),
        ]
    )
    first, second, _firm = case.parties
    assert (first.sex, first.birth_date) == (Sex.MALE, date(1990, 1, 1))
    assert (second.sex, second.birth_date) == (None, None)


def test_the_form_refuses_a_sex_that_contradicts_the_id_number(app, db, org, login):
    client = login(org.user(Role.CLERK))
    response = client.post("/cases/new", data=intake_data(org.centre, **{"workers-1-sex": "female"}))
    assert response.status_code == 200
    assert errors_of(response, "workers-1-sex") == [t(app, "The sex differs from the one in the ID number.")]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0


def test_the_form_derives_what_the_clerk_left_blank(app, db, org, login):
    client = login(org.user(Role.CLERK))
    review = client.post("/cases/new", data=intake_data(org.centre))
    assert client.post("/cases/new", data=form_values(intake_form(review))).status_code == 302
    case = db.session.scalar(sa.select(Case))
    third = next(p for p in case.parties if p.id_number == THIRD_ID)  # typed with no sex and no birth date
    assert (third.sex, third.birth_date) == (Sex.MALE, date(1978, 6, 15))
    second = next(p for p in case.parties if p.id_number == SECOND_ID)
    assert second.birth_date == date(1990, 1, 1)


# --- whom an agent acts for --------------------------------------------------------------------------


def test_an_agent_acts_for_the_first_party_of_its_side_unless_told_otherwise(db, org, make_case):
    case = make_case(
        parties=[
            worker("张三", id_number=MALE_ID),
            worker("李四"),
            employer("深圳市宏达电子科技有限公司", credit_code=EMPLOYER_CODE),
            employer("深圳市宏达劳务派遣有限公司"),
            agent("赵律师", PartySide.APPLICANT, capacity="广东某某律师事务所律师"),
            agent("何浩", PartySide.RESPONDENT, capacity="人事部工作人员", represents=3),
        ]
    )
    by_name = {p.name: p for p in case.parties}
    assert by_name["赵律师"].represents is by_name["张三"]
    assert by_name["赵律师"].capacity == "广东某某律师事务所律师"
    assert by_name["何浩"].represents is by_name["深圳市宏达劳务派遣有限公司"]
    assert by_name["深圳市宏达劳务派遣有限公司"].agents == [by_name["何浩"]]
    assert all(p.represents is None for p in case.parties if p.kind != PartyKind.AGENT)
    assert by_name["赵律师"].is_agent and not by_name["张三"].is_agent


@pytest.mark.parametrize(
    ("parties", "message"),
    [
        ([worker("张三"), employer("某公司"), agent("何浩", PartySide.RESPONDENT, represents=0)], "its own side"),
        ([worker("张三"), employer("某公司"), agent("何浩", PartySide.RESPONDENT, represents=7)], "one of the parties"),
        (
            [
                worker("张三"),
                employer("某公司"),
                agent("赵", PartySide.APPLICANT),
                agent("钱", PartySide.APPLICANT, represents=2),
            ],
            "one of the parties",
        ),
        ([worker("张三", represents=1), employer("某公司")], "Only an agent"),
    ],
)
def test_an_agent_acts_only_for_a_party_of_its_own_side(db, org, parties, message):
    with pytest.raises(DomainError) as caught:
        intake.register_case(db.session, org.user(Role.CLERK), intake_input(org.centre, parties=parties))
    assert message in str(caught.value)


def test_deleting_a_party_unlinks_its_agents(db, org, make_case):
    case = make_case(
        parties=[
            worker("张三"),
            employer("深圳市宏达电子科技有限公司"),
            employer("另一公司"),
            agent("何浩", PartySide.RESPONDENT, represents=2),
        ]
    )
    firm, helper = case.parties[2], case.parties[3]
    case.parties.remove(firm)
    db.session.commit()
    db.session.refresh(helper)
    assert helper.represents_id is None


def test_the_review_offers_the_parties_by_name_and_keeps_the_choice(app, db, org, login):
    client = login(org.user(Role.CLERK))
    data = intake_data(
        org.centre,
        **{
            "agents-0-side": "respondent",
            "agents-0-name": "何浩",
            "agents-0-capacity": "深圳市宏达劳务派遣有限公司人事专员",
        },
    )
    review = client.post("/cases/new", data=data)
    (select,) = [s for s in intake_form(review).iter("select") if s.get("name") == "agents-0-represents"]
    offered = {o.get("value"): (o.text or "").strip() for o in select.iter("option")}
    assert offered["applicant-1"].endswith("李四") and offered["respondent-1"].endswith("深圳市宏达劳务派遣有限公司")
    assert next(iter(offered)) == ""  # the default: the first party of its side
    values = form_values(intake_form(review))
    values.setlist("agents-0-represents", ["respondent-1"])
    assert client.post("/cases/new", data=values).status_code == 302
    case = db.session.scalar(sa.select(Case))
    (helper,) = [p for p in case.parties if p.kind == PartyKind.AGENT]
    assert helper.represents.name == "深圳市宏达劳务派遣有限公司"
    assert helper.capacity == "深圳市宏达劳务派遣有限公司人事专员"
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "深圳市宏达劳务派遣有限公司人事专员" in page


def test_an_agent_row_naming_a_party_of_the_other_side_is_refused(app, db, org, login):
    client = login(org.user(Role.CLERK))
    review = client.post("/cases/new", data=intake_data(org.centre))
    values = form_values(intake_form(review))
    values.setlist("agents-0-represents", ["respondent-0"])  # the agent acts for the applicant side
    response = client.post("/cases/new", data=values)
    assert response.status_code == 200
    assert t(app, "An agent acts for a party of its own side.") in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0
