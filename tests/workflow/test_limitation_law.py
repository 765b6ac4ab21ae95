"""The limitation period of Law Art 27 (issue 12 finding 8), as one function: 27(1) from the day the dispute became
known, 27(2) interruptions restart it, 27(3) suspensions add their days, 27(4) wage arrears during employment are not
limited while it lasts and run one year from its end. The pure assessment here; the case, the intake, the timer and
the command line in test_limitation_case.py."""

from datetime import date

import pytest

from disputes.models.enums import ClaimCategory, LimitationEventKind
from disputes.sla.compute import explain
from disputes.sla.limitation import Claims, Event, Facts, assess, limitation_ends

D = date.fromisoformat
WAGES, OVERTIME = ClaimCategory.WAGES, ClaimCategory.OVERTIME
INSURANCE, DAMAGES = ClaimCategory.SOCIAL_INSURANCE, ClaimCategory.DAMAGES
DEMAND, COMPLAINT = LimitationEventKind.DEMAND, LimitationEventKind.COMPLAINT
MEDIATION, AGREED = LimitationEventKind.MEDIATION, LimitationEventKind.AGREED_TO_PERFORM
SUSPENSION = LimitationEventKind.SUSPENSION


def facts(known="2024-06-01", categories=(INSURANCE,), events=(), **kwargs):
    return Facts(known_on=D(known) if known else None, categories=frozenset(categories), events=tuple(events), **kwargs)


def sentences(run):
    return [explain(step, str) for step in run.steps]


# --- 27(1) ---------------------------------------------------------------------------------------------------


def test_plain_one_year_from_the_day_the_dispute_became_known():
    result = assess(facts("2025-03-01"))
    assert (result.start, result.due, result.provisional) == (D("2025-03-01"), D("2026-03-02"), False)  # a Sunday
    assert result.due == limitation_ends(D("2025-03-01"))
    assert result.governing.claims == Claims.ALL
    assert sentences(result.governing)[0] == (
        "The period runs from 2025-03-01, the day the dispute became known (Art 27(1))"
    )
    assert result.ended_before(D("2026-03-02")) is None and result.ended_before(D("2026-03-03")) == D("2026-03-02")
    assert result.is_plain


def test_nothing_known_nothing_assessed():
    result = assess(facts(None))
    assert result.governing is None and result.ended_before(D("2030-01-01")) is None


# --- 27(2) interruption --------------------------------------------------------------------------------------


def test_a_demand_restarts_the_period_from_its_day():
    plain = assess(facts("2024-06-01"))
    assert plain.due == D("2025-06-03")  # 2025-06-01…02: Sunday and 端午
    result = assess(facts("2024-06-01", events=[Event(DEMAND, D("2025-05-01"))]))
    assert result.start == D("2025-05-01")
    assert result.due == D("2026-05-06")  # 2026-05-01…05 劳动节
    assert (
        "Interrupted on 2025-05-01 (a demand on the other party): the period runs again in full from that day "
        "(Art 27(2))" in sentences(result.governing)
    )
    assert plain.ended_before(D("2026-01-10")) and not result.ended_before(D("2026-01-10"))
    assert not result.is_plain


@pytest.mark.parametrize("kind", [DEMAND, COMPLAINT, MEDIATION, AGREED])
def test_every_kind_of_interruption_restarts_it(kind):
    assert assess(facts("2024-06-01", events=[Event(kind, D("2024-12-01"))])).start == D("2024-12-01")


def test_the_latest_interruption_within_the_period_counts():
    events = [Event(COMPLAINT, D("2025-03-01")), Event(DEMAND, D("2024-09-01")), Event(DEMAND, D("2024-05-01"))]
    result = assess(facts("2024-06-01", events=events))
    assert result.start == D("2025-03-01")  # 2024-09-01 restarted it, 2025-03-01 again; 2024-05-01 came before it ran


def test_an_interruption_after_the_period_ended_does_not_revive_it():
    result = assess(facts("2023-01-10", events=[Event(DEMAND, D("2024-03-01"))]))
    assert result.start == D("2023-01-10") and result.due == D("2024-01-10")
    assert (
        "The interruption of 2024-03-01 (a demand on the other party) came after the period had ended on "
        "2024-01-10: it does not interrupt it"
    ) in sentences(result.governing)


def test_a_mediation_interrupts_until_it_ends_then_the_period_runs_again_in_full():
    running = assess(facts("2025-01-10", events=[Event(MEDIATION, D("2025-09-01"))]))
    assert running.start == D("2025-09-01")
    ended = assess(facts("2025-01-10", events=[Event(MEDIATION, D("2025-09-01"), D("2025-09-20"))]))
    assert ended.start == D("2025-09-20") and ended.due == D("2026-09-20")  # a Sunday, but a make-up working day
    assert (
        "Mediation applied for on 2025-09-01 ended on 2025-09-20: the period runs again in full from the end "
        "(Art 27(2); Law Art 14)"
    ) in sentences(ended.governing)


# --- 27(3) suspension ----------------------------------------------------------------------------------------


def test_a_suspension_adds_its_days():
    result = assess(facts("2025-01-10", events=[Event(SUSPENSION, D("2025-03-01"), D("2025-04-01"))]))
    assert result.deadline.nominal == D("2026-01-10")
    assert result.due == D("2026-02-10")  # + 31 days
    assert result.governing.suspensions == ((D("2025-03-01"), D("2025-04-01")),)
    assert "Suspended 2025-03-01–2025-04-01: 31 days added (Art 27(3))" in sentences(result.governing)


def test_an_open_suspension_leaves_the_period_open():
    result = assess(facts("2025-01-10", events=[Event(SUSPENSION, D("2025-03-01"))]))
    assert result.due is None and result.suspended_since == D("2025-03-01")
    assert result.ended_before(D("2030-01-01")) is None
    assert "Suspended since 2025-03-01: the period does not run until the cause is removed (Art 27(3))" in sentences(
        result.governing
    )


def test_suspensions_count_only_inside_the_running_period_and_never_twice():
    events = [
        Event(SUSPENSION, D("2024-12-01"), D("2025-02-01")),  # before the restart on 2025-01-10: 22 days count
        Event(DEMAND, D("2025-01-10")),
        Event(SUSPENSION, D("2025-03-01"), D("2025-04-01")),
        Event(SUSPENSION, D("2025-03-15"), D("2025-04-11")),  # overlaps: together 03-01…04-11, 41 days
        Event(SUSPENSION, D("2027-06-01"), D("2027-07-01")),
    ]  # after the period ended: no effect
    result = assess(facts("2024-06-01", events=events))
    assert result.start == D("2025-01-10")
    assert result.governing.suspensions == ((D("2025-01-10"), D("2025-02-01")), (D("2025-03-01"), D("2025-04-11")))
    assert result.deadline.nominal == D("2026-01-10")
    assert result.due == D("2026-03-16")  # 01-10 + 22 + 41 days = Saturday 03-14
    assert (
        "A suspension from 2027-06-01 came after the period had ended on 2026-03-16: it does not suspend it"
        in sentences(result.governing)
    )


# --- 27(4) wage arrears during employment ---------------------------------------------------------------------


@pytest.mark.parametrize("categories", [(WAGES,), (OVERTIME,), (WAGES, OVERTIME)])
def test_wages_are_not_limited_while_the_employment_lasts(categories):
    result = assess(facts("2020-01-01", categories, still_employed=True))
    assert result.governing is None and result.ended_before(D("2026-11-20")) is None
    (run,) = result.runs
    assert run.claims == Claims.REMUNERATION and run.start is None
    assert sentences(run) == ["Labour remuneration claims: not limited while the employment lasts (Art 27(4))"]


def test_wages_run_one_year_from_the_end_of_the_employment():
    result = assess(facts("2020-01-01", (WAGES,), employment_ended_on=D("2025-12-31")))
    assert (result.start, result.due) == (D("2025-12-31"), D("2026-12-31"))
    assert sentences(result.governing)[0] == (
        "Labour remuneration claims: the period runs from 2025-12-31, the end of the employment (Art 27(4))"
    )
    # A demand made during the employment does not matter; one after its end restarts the period.
    early = assess(facts("2020-01-01", (WAGES,), [Event(DEMAND, D("2025-06-01"))], employment_ended_on=D("2025-12-31")))
    assert early.start == D("2025-12-31")
    later = assess(facts("2020-01-01", (WAGES,), [Event(DEMAND, D("2026-03-02"))], employment_ended_on=D("2025-12-31")))
    assert later.start == D("2026-03-02")


def test_employment_not_recorded_wages_count_from_the_known_day_and_it_says_so():
    result = assess(facts("2025-03-01", (WAGES,)))
    assert result.start == D("2025-03-01") and result.governing.claims == Claims.ALL
    assert (
        "Whether the employment has ended is not recorded: labour remuneration claims are counted from that day "
        "too (Art 27(4) not applied)"
    ) in sentences(result.governing)


def test_a_mixed_case_while_employed_the_other_claims_govern():
    result = assess(facts("2024-01-01", (WAGES, INSURANCE), still_employed=True))
    remuneration, other = result.runs
    assert (remuneration.claims, remuneration.start) == (Claims.REMUNERATION, None)
    assert (other.claims, other.start) == (Claims.OTHER, D("2024-01-01"))
    assert result.governing is other and result.due == D("2025-01-02")  # 2025-01-01 元旦
    assert result.ended_before(D("2026-11-20")) == D("2025-01-02")
    assert sentences(other)[0] == (
        "The other claims: the period runs from 2024-01-01, the day the dispute became known (Art 27(1))"
    )


def test_a_mixed_case_after_the_employment_the_earlier_end_governs():
    result = assess(facts("2025-06-01", (WAGES, DAMAGES), employment_ended_on=D("2025-09-30")))
    remuneration, other = result.runs
    assert (remuneration.start, other.start) == (D("2025-09-30"), D("2025-06-01"))
    assert result.governing is other  # 2026-06-01 comes before 2026-09-30
    late_known = assess(facts("2025-12-01", (WAGES, DAMAGES), employment_ended_on=D("2025-09-30")))
    assert late_known.governing.claims == Claims.REMUNERATION


def test_no_claims_at_all_counts_like_other_claims():
    assert assess(facts("2025-03-01", ())).start == D("2025-03-01")
