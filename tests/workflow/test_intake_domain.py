"""Registering a case (disputes.workflow.intake) without the web layer."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disputes import organisation
from disputes.i18n import DomainError
from disputes.models import (
    Case,
    CaseAssignment,
    ClaimCategory,
    Party,
    PartyKind,
    PartySide,
    Role,
    TimelineEntry,
)
from disputes.workflow import intake
from disputes.workflow.intake import ClaimInput, PartyInput
from disputes.workflow.states import CaseStatus
from tests.conftest import EMPLOYER_CODE, FROZEN_AT, PASSWORD, WORKER_ID, intake_input

TODAY = date(2026, 11, 20)  # FROZEN_AT in Shanghai
OTHER_ID = "440524188001010014"
OTHER_CODE = "91440300MA5DXXXX0N"


class FakeUnit:
    id = 1


def draft(**overrides):
    return intake_input(FakeUnit(), **overrides)


def worker(name="张三", **fields):
    return PartyInput(PartySide.APPLICANT, PartyKind.WORKER, name, **fields)


def employer(name="深圳市宏达电子科技有限公司", **fields):
    return PartyInput(PartySide.RESPONDENT, PartyKind.EMPLOYER, name, **fields)


def claim(category=ClaimCategory.WAGES, amount="1000.00"):
    return ClaimInput(category, Decimal(amount) if amount is not None else None, "")


def entries(db, case, kind=None):
    query = sa.select(TimelineEntry).where(TimelineEntry.case_id == case.id).order_by(TimelineEntry.id)
    if kind:
        query = query.where(TimelineEntry.kind == kind)
    return db.session.scalars(query).all()


# --- derived flags --------------------------------------------------------------------------------

NO_FLAGS = dict.fromkeys(intake.FLAG_NAMES, False)


def test_default_draft_has_no_flags():
    assert intake.derive_flags(draft()) == NO_FLAGS


@pytest.mark.parametrize(
    ("migrant", "categories", "expected"),
    [
        (True, [ClaimCategory.WAGES], True),
        (True, [ClaimCategory.OVERTIME, ClaimCategory.WAGES], True),
        (False, [ClaimCategory.WAGES], False),  # wages, but not a migrant worker
        (True, [ClaimCategory.OVERTIME], False),  # a migrant worker, but no wages claim
        (True, [ClaimCategory.ECONOMIC_COMPENSATION, ClaimCategory.DAMAGES], False),
    ],
)
def test_migrant_wage_needs_a_migrant_worker_and_a_wages_claim(migrant, categories, expected):
    flags = intake.derive_flags(
        draft(parties=[worker(migrant_worker=migrant), employer()], claims=[claim(c) for c in categories])
    )
    assert flags["migrant_wage"] is expected
    assert flags["green_channel"] is expected


def test_migrant_flag_on_an_agent_does_not_count():
    agent = PartyInput(PartySide.APPLICANT, PartyKind.AGENT, "代理人", migrant_worker=True)
    flags = intake.derive_flags(draft(parties=[worker(), agent, employer()]))
    assert flags["migrant_wage"] is False


def test_any_migrant_among_several_workers_counts():
    flags = intake.derive_flags(draft(parties=[worker("甲"), worker("乙", migrant_worker=True), employer()]))
    assert flags["migrant_wage"] is True


@pytest.mark.parametrize(
    ("categories", "expected"),
    [
        ([ClaimCategory.WORK_INJURY_MEDICAL], True),
        ([ClaimCategory.WORK_INJURY_BENEFITS], True),
        ([ClaimCategory.WAGES, ClaimCategory.WORK_INJURY_BENEFITS], True),
        ([ClaimCategory.DAMAGES], False),
        ([ClaimCategory.SOCIAL_INSURANCE], False),
        ([ClaimCategory.OTHER], False),
    ],
)
def test_work_injury_and_green_channel(categories, expected):
    flags = intake.derive_flags(draft(claims=[claim(c) for c in categories]))
    assert flags["work_injury"] is expected
    assert flags["green_channel"] is expected
    assert flags["migrant_wage"] is False


def test_green_channel_for_both_reasons_at_once():
    flags = intake.derive_flags(
        draft(
            parties=[worker(migrant_worker=True), employer()],
            claims=[claim(ClaimCategory.WAGES), claim(ClaimCategory.WORK_INJURY_MEDICAL)],
        )
    )
    assert flags["migrant_wage"] and flags["work_injury"] and flags["green_channel"]


@pytest.mark.parametrize(("worker_count", "expected"), [(None, False), (1, False), (9, False), (10, True), (250, True)])
def test_collective_from_the_head_count(worker_count, expected):
    assert intake.derive_flags(draft(worker_count=worker_count))["collective"] is expected


@pytest.mark.parametrize(("workers", "expected"), [(9, False), (10, True)])
def test_collective_from_the_worker_parties(workers, expected):
    parties = [worker(f"工人{i}") for i in range(workers)] + [employer()]
    assert intake.derive_flags(draft(parties=parties, worker_count=None))["collective"] is expected


def test_head_count_is_the_larger_of_count_and_parties():
    two = [worker("甲"), worker("乙"), employer()]
    assert draft(parties=two, worker_count=None).head_count() == 2
    assert draft(parties=two, worker_count=1).head_count() == 2
    assert draft(parties=two, worker_count=12).head_count() == 12
    assert draft(parties=[employer(), replace(employer(), side=PartySide.APPLICANT)]).head_count() == 1


@pytest.mark.parametrize(
    ("known", "registered", "expected"),
    [
        (date(2025, 11, 20), date(2026, 11, 20), False),  # exactly one year
        (date(2025, 11, 19), date(2026, 11, 20), True),  # one year and a day
        (date(2026, 10, 1), date(2026, 11, 20), False),
        (date(2020, 1, 1), date(2026, 11, 20), True),
        (date(2024, 2, 29), date(2025, 2, 28), False),  # a year from 29 February ends on 28 February
        (date(2024, 2, 29), date(2025, 3, 1), True),
        (None, date(2026, 11, 20), False),  # not known: no warning
    ],
)
def test_limitation_warning(known, registered, expected):
    flags = intake.derive_flags(draft(dispute_known_on=known, registered_on=registered))
    assert flags["limitation_warning"] is expected


def test_limitation_is_measured_at_registration_not_today():
    old = draft(dispute_known_on=date(2025, 6, 1), registered_on=date(2026, 5, 1))
    assert intake.derive_flags(old)["limitation_warning"] is False
    assert intake.derive_flags(old, on=date(2026, 6, 2))["limitation_warning"] is True


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200)
@given(known=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)), days=st.integers(0, 800))
def test_property_limitation_warning_turns_on_once_and_stays_on(known, days):
    def warned(on):
        return intake.derive_flags(draft(dispute_known_on=known, registered_on=on))["limitation_warning"]

    on = known + timedelta(days=days)
    if warned(on):
        assert warned(on + timedelta(days=1))
        assert days >= 366
    else:
        # The period's last day rolls over rest days (limitation.claim, deadlines.md rule 4): at most a
        # Golden Week (or a weekend) past the anniversary.
        assert days <= 366 + 9


# --- validation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message_part"),
    [
        ({"parties": [employer()]}, "parties", "applicant"),
        ({"parties": [worker()]}, "parties", "respondent"),
        ({"parties": []}, "parties", "applicant"),
        ({"claims": []}, "claims", "claim"),
        ({"cause": "   "}, "cause", "cause"),
        ({"registered_on": TODAY + timedelta(days=1)}, "registered_on", "future"),
        ({"dispute_known_on": TODAY + timedelta(days=1)}, "dispute_known_on", "after registration"),
        ({"registered_on": date(2026, 11, 1), "dispute_known_on": date(2026, 11, 2)}, "dispute_known_on", "after"),
        ({"parties": [worker(id_number="110105194912310021"), employer()]}, "parties", "resident ID"),
        ({"parties": [worker(id_number="11010519990230001" + "5"), employer()]}, "parties", "resident ID"),
        ({"parties": [worker(), employer(credit_code="91350100M000100Y44")]}, "parties", "credit code"),
        ({"parties": [worker(credit_code=EMPLOYER_CODE), employer()]}, "parties", "Only an employer"),
        ({"parties": [worker(), employer(id_number=WORKER_ID)]}, "parties", "employer has a credit code"),
        ({"parties": [worker(name=" "), employer()]}, "parties", "name"),
        ({"claims": [claim(amount="-0.01")]}, "claims", "negative"),
    ],
)
def test_validate_refuses(overrides, field, message_part):
    case = draft(**overrides)
    intake._normalised(case)
    with pytest.raises(DomainError) as caught:
        intake.validate(case, TODAY)
    assert caught.value.field == field
    assert message_part.lower() in str(caught.value).lower()


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"registered_on": TODAY, "dispute_known_on": TODAY},
        {"registered_on": None},
        {"dispute_known_on": None},
        {"claims": [claim(amount=None), claim(ClaimCategory.CONFIRM_EMPLOYMENT, amount="0")]},
        {"parties": [worker(id_number=WORKER_ID.lower()), employer(credit_code=EMPLOYER_CODE.lower())]},
        {"parties": [worker(), employer()]},  # IDs are optional
    ],
)
def test_validate_accepts(overrides):
    case = draft(**overrides)
    intake._normalised(case)
    intake.validate(case, TODAY)


# --- register_case --------------------------------------------------------------------------------


def test_register_case_writes_parties_claims_flags_and_timeline(db, org):
    clerk = org.user(Role.CLERK)
    data = intake_input(
        org.centre,
        cause="  拖欠工资及工伤医疗费  ",
        facts=" 事实 ",
        parties=[
            worker("  张三 ", sex="female", id_number=" 11010519491231002x", migrant_worker=True, phone="13800000000"),
            employer(credit_code="91350100m000100y43", legal_representative="王五"),
        ],
        claims=[claim(ClaimCategory.WAGES, "12000.50"), claim(ClaimCategory.WORK_INJURY_MEDICAL, None)],
    )
    case = intake.register_case(db.session, clerk, data)
    db.session.commit()
    case = db.session.get(Case, case.id)

    assert case.registry_no == "LGC〔2026〕1号"
    assert (case.unit, case.created_by, case.registered_on) == (org.centre, clerk, date(2026, 11, 20))
    assert (case.cause, case.facts, case.worker_count) == ("拖欠工资及工伤医疗费", "事实", 1)
    assert (case.stage.value, case.status) == ("intake", CaseStatus.OPEN)
    assert case.created_at == FROZEN_AT

    applicant, respondent = case.parties
    assert (applicant.position, applicant.side, applicant.name) == (0, PartySide.APPLICANT, "张三")
    assert (applicant.id_number, applicant.id_tail) == (WORKER_ID, "002X")
    assert applicant.masked_id == "110105********002X"
    assert applicant.migrant_worker and applicant.phone == "13800000000"
    assert (respondent.position, respondent.kind, respondent.credit_code) == (1, PartyKind.EMPLOYER, EMPLOYER_CODE)
    assert (respondent.id_number, respondent.id_tail, respondent.masked_id) == (None, None, None)
    assert respondent.legal_representative == "王五"

    assert [(c.position, c.category, c.amount) for c in case.claims] == [
        (0, ClaimCategory.WAGES, Decimal("12000.50")),
        (1, ClaimCategory.WORK_INJURY_MEDICAL, None),
    ]
    assert case.claimed_total == Decimal("12000.50")
    flags = {name: getattr(case, name) for name in intake.FLAG_NAMES}
    assert flags == {**NO_FLAGS, "migrant_wage": True, "work_injury": True, "green_channel": True}

    (entry,) = entries(db, case)
    assert (entry.kind, entry.actor, entry.at, entry.reason, entry.before) == (
        "case_registered",
        clerk,
        FROZEN_AT,
        None,
        None,
    )
    assert entry.after == {
        "registry_no": "LGC〔2026〕1号",
        "parties": 2,
        "claims": ["wages", "work_injury_medical"],
        "flags": {"migrant_wage": True, "work_injury": True, "green_channel": True},
    }


def test_register_case_defaults_to_today(db, org):
    case = intake.register_case(db.session, org.user(Role.CLERK), intake_input(org.centre, registered_on=None))
    assert case.registered_on == TODAY


def test_collective_case_records_the_head_count(db, org, make_case):
    case = make_case(worker_count=37)
    assert (case.worker_count, case.collective) == (37, True)


def test_limitation_flag_is_stored(db, make_case):
    assert make_case(dispute_known_on=date(2025, 11, 19)).limitation_warning is True
    assert make_case(dispute_known_on=date(2025, 11, 20)).limitation_warning is False


def test_confirmed_flags_override_derived_ones(db, org, make_case):
    case = make_case(
        worker_count=12,
        dispute_known_on=date(2024, 1, 1),
        flags={"collective": False, "green_channel": True, "limitation_warning": False, "bogus": True},
    )
    assert (case.collective, case.green_channel, case.limitation_warning) == (False, True, False)
    assert (case.migrant_wage, case.work_injury) == (False, False)
    assert not hasattr(case, "bogus")
    (entry,) = entries(db, case)
    assert entry.after["flags"] == {"green_channel": True}


def test_partly_confirmed_flags_keep_the_rest_derived(db, make_case):
    case = make_case(worker_count=12, flags={"green_channel": True})
    assert (case.collective, case.green_channel) == (True, True)


def test_invalid_intake_writes_nothing(db, org):
    with pytest.raises(DomainError):
        intake.register_case(db.session, org.user(Role.CLERK), intake_input(org.centre, claims=[]))
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TimelineEntry)) == 0


@pytest.mark.parametrize(
    ("role", "unit_name", "allowed"),
    [
        (Role.CLERK, "centre", True),
        (Role.CLERK, "mediation", True),
        (Role.CLERK, "street_mediation", False),
        (Role.MEDIATOR, "mediation", True),
        (Role.MEDIATOR, "centre", False),
        (Role.ARBITRATOR, "arbitration", True),
        (Role.ARBITRATOR, "centre", False),
        (Role.SUPERVISOR, "legal_aid", True),
        (Role.SUPERVISOR, "street", False),
        (Role.LEGAL_AID_OFFICER, "legal_aid", False),
        (Role.LAWYER, "legal_aid", False),
        (Role.COURT_LIAISON, "court", False),
        (Role.ADMIN, "district", False),
    ],
)
def test_register_case_checks_the_unit(db, org, role, unit_name, allowed):
    unit = getattr(org, unit_name)
    data = intake_input(unit)
    if allowed:
        assert intake.register_case(db.session, org.user(role), data).unit == unit
    else:
        with pytest.raises(DomainError) as caught:
            intake.register_case(db.session, org.user(role), data)
        assert caught.value.field == "unit_id"


def test_register_case_refuses_a_missing_unit(db, org):
    with pytest.raises(DomainError):
        intake.register_case(db.session, org.user(Role.CLERK), draft(unit_id=987654))


# --- duplicates -----------------------------------------------------------------------------------


def test_find_open_duplicates_by_id_and_credit_code(db, org, make_case):
    first = make_case()
    parties = [worker("张叁", id_number=WORKER_ID), employer("宏达", credit_code=EMPLOYER_CODE)]
    again = intake_input(org.centre, parties=parties)
    assert intake.find_open_duplicates(db.session, again) == [first]
    warnings = intake.intake_warnings(db.session, again)
    assert [(w.code, w.params) for w in warnings] == [
        ("duplicate", {"registry_no": first.registry_no, "case_id": first.id}),
    ]


@pytest.mark.parametrize(
    "parties",
    [
        [worker(id_number=OTHER_ID), employer(credit_code=EMPLOYER_CODE)],  # another worker
        [worker(id_number=WORKER_ID), employer(credit_code=OTHER_CODE)],  # another employer
        [worker("李四"), employer(credit_code=EMPLOYER_CODE)],  # another name, no ID
        [worker(id_number=WORKER_ID), employer("另一家公司")],
        [worker(id_number=WORKER_ID)],  # no employer at all
    ],
)
def test_no_duplicate_for_a_different_worker_or_employer(db, org, make_case, parties):
    make_case()
    others = [p for p in parties if p.side == PartySide.RESPONDENT] or [
        PartyInput(PartySide.RESPONDENT, PartyKind.AGENT, "某人")
    ]
    applicants = [p for p in parties if p.side == PartySide.APPLICANT]
    assert intake.find_open_duplicates(db.session, intake_input(org.centre, parties=applicants + others)) == []


def test_find_open_duplicates_by_names(db, org, make_case):
    first = make_case(parties=[worker("王小明"), employer("深圳市某某制衣厂")])
    again = intake_input(org.centre, parties=[worker("王小明"), employer("深圳市某某制衣厂")])
    assert intake.find_open_duplicates(db.session, again) == [first]
    # Names also match a recorded party that has numbers, when the new draft has none.
    second = make_case()
    by_name = intake_input(org.centre, parties=[worker("张三"), employer("深圳市宏达电子科技有限公司")])
    assert intake.find_open_duplicates(db.session, by_name) == [second]


def test_find_open_duplicates_ignores_closed_cases(db, org, make_case):
    case = make_case()
    case.status, case.closed_on = CaseStatus.CLOSED, TODAY
    db.session.commit()
    assert intake.find_open_duplicates(db.session, intake_input(org.centre)) == []


def test_find_open_duplicates_needs_worker_and_employer_in_the_same_case(db, org, make_case):
    make_case(parties=[worker(id_number=WORKER_ID), employer(credit_code=OTHER_CODE)])
    make_case(parties=[worker(id_number=OTHER_ID), employer(credit_code=EMPLOYER_CODE)])
    assert intake.find_open_duplicates(db.session, intake_input(org.centre)) == []


def test_find_open_duplicates_newest_first_and_at_most_five(db, org, make_case):
    made = [make_case(registered_on=date(2026, 11, d)) for d in range(1, 8)]
    found = intake.find_open_duplicates(db.session, intake_input(org.centre))
    assert found == sorted(made, key=lambda c: c.registered_on, reverse=True)[:5]


def test_intake_warnings_limitation(db, org):
    warnings = intake.intake_warnings(db.session, intake_input(org.centre, dispute_known_on=date(2025, 11, 19)))
    assert [(w.code, w.params) for w in warnings] == [("limitation", {"known": "2025-11-19", "ended": "2026-11-19"})]
    assert intake.intake_warnings(db.session, intake_input(org.centre, dispute_known_on=date(2025, 11, 20))) == []


# --- revealing ID numbers -------------------------------------------------------------------------


def test_reveal_ids_returns_full_numbers_and_is_audited(db, org, make_case):
    case = make_case()
    clerk = org.user(Role.CLERK)
    revealed = intake.reveal_ids(db.session, clerk, case, "  核对身份 ")
    db.session.commit()
    applicant = case.applicants[0]
    assert revealed == {applicant.id: WORKER_ID}
    entry = entries(db, case, "ids_revealed")[-1]
    assert (entry.actor, entry.reason, entry.after, entry.at) == (
        clerk,
        "核对身份",
        {"parties": [applicant.id]},
        FROZEN_AT,
    )


def test_every_reveal_leaves_its_own_entry(db, org, make_case):
    case = make_case()
    for reason in ("第一次", "第二次"):
        intake.reveal_ids(db.session, org.user(Role.SUPERVISOR), case, reason)
    db.session.commit()
    assert [e.reason for e in entries(db, case, "ids_revealed")] == ["第一次", "第二次"]


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_reveal_ids_needs_a_reason(db, org, make_case, reason):
    case = make_case()
    with pytest.raises(DomainError) as caught:
        intake.reveal_ids(db.session, org.user(Role.CLERK), case, reason)
    assert caught.value.field == "reason"
    assert entries(db, case, "ids_revealed") == []


def test_court_liaison_sees_the_case_but_not_the_ids(db, org, make_case):
    from disputes import policy

    case = make_case(unit=org.court)
    liaison = org.user(Role.COURT_LIAISON)
    assert policy.can_view_case(liaison, case)
    with pytest.raises(DomainError):
        intake.reveal_ids(db.session, liaison, case, "需要")
    assert entries(db, case, "ids_revealed") == []


@pytest.mark.parametrize("role", [Role.ADMIN, Role.LAWYER, Role.MEDIATOR])
def test_reveal_refused_to_those_who_cannot_read_the_case(db, org, make_case, role):
    case = make_case()  # at the centre: not the mediator's unit, not assigned to the lawyer
    with pytest.raises(DomainError):
        intake.reveal_ids(db.session, org.user(role), case, "需要")
    assert entries(db, case, "ids_revealed") == []


def test_assigned_lawyer_may_reveal(db, org, make_case):
    case = make_case()
    lawyer = org.user(Role.LAWYER)
    case.assignments.append(CaseAssignment(user=lawyer, role=Role.LAWYER))
    db.session.commit()
    assert intake.reveal_ids(db.session, lawyer, case, "起草仲裁申请书") == {case.applicants[0].id: WORKER_ID}


def test_reveal_ids_of_a_case_without_ids(db, org, make_case):
    case = make_case(parties=[worker(), employer()])
    assert intake.reveal_ids(db.session, org.user(Role.CLERK), case, "核对") == {}
    assert len(entries(db, case, "ids_revealed")) == 1


# --- changing flags -------------------------------------------------------------------------------


def test_update_flags_records_only_what_changed(db, org, make_case):
    case = make_case()
    supervisor = org.user(Role.SUPERVISOR)
    intake.update_flags(db.session, supervisor, case, {"green_channel": True, "collective": False}, "农民工欠薪")
    db.session.commit()
    assert case.green_channel is True
    entry = entries(db, case, "flags_changed")[-1]
    assert (entry.actor, entry.reason, entry.before, entry.after) == (
        supervisor,
        "农民工欠薪",
        {"green_channel": False},
        {"green_channel": True},
    )


def test_update_flags_several_at_once_and_back(db, org, make_case):
    case = make_case()
    clerk = org.user(Role.CLERK)
    intake.update_flags(db.session, clerk, case, {"migrant_wage": True, "green_channel": True}, None)
    intake.update_flags(db.session, clerk, case, {"migrant_wage": False}, "误选")
    db.session.commit()
    first, second = entries(db, case, "flags_changed")
    assert (first.before, first.after) == (
        {"migrant_wage": False, "green_channel": False},
        {"migrant_wage": True, "green_channel": True},
    )
    assert (second.before, second.after, second.reason) == ({"migrant_wage": True}, {"migrant_wage": False}, "误选")
    assert (case.migrant_wage, case.green_channel) == (False, True)


def test_update_flags_without_a_change_records_nothing(db, org, make_case):
    case = make_case()
    intake.update_flags(db.session, org.user(Role.CLERK), case, {"collective": False, "unknown": True}, "x")
    assert entries(db, case, "flags_changed") == []


def test_update_flags_survives_a_reload(db, org, make_case):
    case = make_case()
    intake.update_flags(db.session, org.user(Role.CLERK), case, {"limitation_warning": 1}, "x")
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Case, case.id).limitation_warning is True


# --- other users registering ----------------------------------------------------------------------


def test_without_patterns_each_unit_numbers_with_its_own_code(db, org, make_case):
    other = organisation.add_user(db.session, "clerk2", "书记员二", [Role.CLERK], org.mediation, PASSWORD)
    db.session.commit()
    at_centre = make_case()
    at_mediation = make_case(unit=org.mediation, actor=other)
    assert (at_centre.registry_no, at_mediation.registry_no) == ("LGC〔2026〕1号", "LGM〔2026〕1号")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Party)) == 4


def test_claims_split_per_worker(db, org, make_case):
    """In a multi-worker case each claim may belong to one worker (issue 16); a claim naming a non-worker party
    is refused."""
    parties = [
        PartyInput(PartySide.APPLICANT, PartyKind.WORKER, "张三", sex="female", id_number=WORKER_ID),
        PartyInput(PartySide.APPLICANT, PartyKind.WORKER, "李四"),
        PartyInput(PartySide.RESPONDENT, PartyKind.EMPLOYER, "深圳市宏达电子科技有限公司", credit_code=EMPLOYER_CODE),
    ]
    claims = [
        ClaimInput(ClaimCategory.WAGES, Decimal(5000), worker=0),
        ClaimInput(ClaimCategory.WAGES, Decimal(7000), worker=1),
        ClaimInput(ClaimCategory.OVERTIME, Decimal(900)),
    ]
    case = make_case(parties=parties, claims=claims)
    assert [(c.party.name if c.party else None, c.amount) for c in case.claims] == [
        ("张三", Decimal("5000.00")),
        ("李四", Decimal("7000.00")),
        (None, Decimal("900.00")),
    ]
    with pytest.raises(DomainError):
        make_case(parties=parties, claims=[ClaimInput(ClaimCategory.WAGES, Decimal(1), worker=2)])
