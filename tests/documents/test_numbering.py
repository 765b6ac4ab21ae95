"""Registry numbers: patterns, gap-free sequences per unit/family/year, and concurrent issuing."""

import os
import threading
import traceback
from datetime import date

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from disputes import numbering, organisation
from disputes.i18n import DomainError
from disputes.models import Case, NumberFormat, NumberSequence, Role, Unit, UnitKind, User
from disputes.workflow.intake import register_case
from tests.conftest import intake_input

REGISTRY = numbering.REGISTRY
THREADS = 8
ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgres")


# --- patterns -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (numbering.DEFAULT_PATTERN, "LGC〔2026〕7号"),
        ("深龙调援〔{year}〕第{seq:05d}号", "深龙调援〔2026〕第00007号"),
        ("{code}-{year}-{seq}", "LGC-2026-7"),
        ("{year}{seq:03d}", "2026007"),
        ("{seq:09d}/{year}/{code}", "000000007/2026/LGC"),
        ("仲{year}字{seq}号{seq:02d}", "仲2026字7号07"),
    ],
)
def test_format_number(pattern, expected):
    numbering.validate_pattern(pattern)
    assert numbering.format_number(pattern, code="LGC", year=2026, seq=7) == expected


def test_format_number_never_truncates_a_wide_sequence():
    assert numbering.format_number("{year}-{seq:03d}", code="X", year=2026, seq=123456) == "2026-123456"


@pytest.mark.parametrize(
    "pattern",
    [
        "{code}{seq}",  # no year
        "{code}〔{year}〕",  # no sequence
        "固定文字",
        "",
        "{year}{seq.__class__}",  # attribute access as in str.format injections
        "{seq.__class__.__mro__}{year}",
        "{year}{seq[0]}",
        "{year}{seq!r}",
        "{year}{seq:>5}",
        "{year}{seq:05x}",
        "{year}{seq:010d}",  # widths are one digit
        "{year}{seq}{unit}",
        "{year}{seq}{0}",
        "{year}{seq}{}",
        "{year}{seq}{",
        "{year}{seq}}",
        "{{year}}{seq}",
        "{ year }{seq}",
        "{YEAR}{seq}",
    ],
)
def test_validate_pattern_refuses(pattern):
    with pytest.raises(DomainError) as caught:
        numbering.validate_pattern(pattern)
    assert caught.value.field == "pattern"


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200)
@given(
    prefix=st.text(st.characters(exclude_characters="{}"), max_size=10),
    middle=st.text(st.characters(exclude_characters="{}"), max_size=10),
    width=st.sampled_from(["", ":02d", ":05d", ":09d"]),
    year=st.integers(1990, 2100),
    seq=st.integers(1, 10**6),
)
def test_property_valid_patterns_render_year_and_sequence(prefix, middle, width, year, seq):
    pattern = f"{prefix}{{year}}{middle}{{seq{width}}}"
    numbering.validate_pattern(pattern)
    number = numbering.format_number(pattern, code="C", year=year, seq=seq)
    rendered_seq = f"{seq:0{width[2]}d}" if width else str(seq)
    assert number == f"{prefix}{year}{middle}{rendered_seq}"


def test_set_pattern_validates_and_replaces(db, org):
    with pytest.raises(DomainError):
        numbering.set_pattern(db.session, org.centre, REGISTRY, "{seq.__class__}{year}")
    numbering.set_pattern(db.session, org.centre, REGISTRY, "甲〔{year}〕{seq}号")
    numbering.set_pattern(db.session, org.centre, REGISTRY, "乙〔{year}〕{seq}号")
    formats = db.session.scalars(sa.select(NumberFormat).where(NumberFormat.unit_id == org.centre.id)).all()
    assert [(f.family, f.pattern) for f in formats] == [(REGISTRY, "乙〔{year}〕{seq}号")]


# --- issuing --------------------------------------------------------------------------------------


def issue(db, unit, year=2026, family=REGISTRY):
    return numbering.issue_number(db.session, unit, family, year)


def test_sequential_per_unit(db, org):
    assert [issue(db, org.centre) for _ in range(3)] == [f"LGC〔2026〕{n}号" for n in (1, 2, 3)]
    assert issue(db, org.street) == "BJ〔2026〕1号"
    assert issue(db, org.centre) == "LGC〔2026〕4号"


def test_sequential_per_family(db, org):
    assert issue(db, org.centre) == "LGC〔2026〕1号"
    assert issue(db, org.centre, family="arbitration") == "LGC仲案〔2026〕1号"
    assert issue(db, org.centre, family="arbitration") == "LGC仲案〔2026〕2号"
    assert issue(db, org.centre) == "LGC〔2026〕2号"


def test_families_without_a_pattern_print_distinct_numbers(db, org):
    numbers = {issue(db, org.arbitration, family=family) for family in numbering.FAMILIES}
    assert len(numbers) == len(numbering.FAMILIES)


def test_year_rollover_starts_at_one(db, org):
    assert [issue(db, org.centre, 2026) for _ in range(3)][-1].endswith("〕3号")
    assert issue(db, org.centre, 2027) == "LGC〔2027〕1号"
    assert issue(db, org.centre, 2027) == "LGC〔2027〕2号"
    assert issue(db, org.centre, 2026) == "LGC〔2026〕4号"  # the old year's counter is untouched
    rows = db.session.execute(
        sa.select(NumberSequence.year, NumberSequence.last_value)
        .where(NumberSequence.unit_id == org.centre.id)
        .order_by(NumberSequence.year)
    ).all()
    assert [tuple(r) for r in rows] == [(2026, 4), (2027, 2)]


def test_inherited_pattern_shares_the_owners_counter(db, org):
    """Two children without a pattern and their parent with one print from one counter."""
    numbering.set_pattern(db.session, org.centre, REGISTRY, "深龙调援〔{year}〕第{seq:05d}号")
    issued = []
    for unit in [org.mediation, org.arbitration, org.centre, org.mediation, org.legal_aid, org.arbitration] * 3:
        issued.append(issue(db, unit))
    assert len(set(issued)) == len(issued)
    assert issued == [f"深龙调援〔2026〕第{n:05d}号" for n in range(1, len(issued) + 1)]
    owners = db.session.scalars(sa.select(NumberSequence.unit_id).distinct()).all()
    assert owners == [org.centre.id]


def test_inherited_pattern_with_code_uses_the_owners_code(db, org):
    numbering.set_pattern(db.session, org.district, REGISTRY, "{code}{year}-{seq}")
    assert issue(db, org.street_mediation) == "LG2026-1"
    assert issue(db, org.mediation) == "LG2026-2"


def test_own_pattern_overrides_the_inherited_one(db, org):
    numbering.set_pattern(db.session, org.centre, REGISTRY, "中心〔{year}〕{seq}号")
    numbering.set_pattern(db.session, org.mediation, REGISTRY, "调〔{year}〕{seq}号")
    assert issue(db, org.mediation) == "调〔2026〕1号"
    assert issue(db, org.arbitration) == "中心〔2026〕1号"
    assert issue(db, org.mediation) == "调〔2026〕2号"


def test_pattern_owner(db, org):
    assert numbering.pattern_owner(org.mediation, REGISTRY) == (org.mediation, numbering.DEFAULT_PATTERN)
    numbering.set_pattern(db.session, org.district, REGISTRY, "区{year}{seq}")
    assert numbering.pattern_owner(org.mediation, REGISTRY) == (org.district, "区{year}{seq}")
    assert numbering.pattern_owner(org.mediation, "other") == (org.mediation, numbering.DEFAULT_PATTERN)


def test_rolled_back_transaction_gives_the_number_back(db, org):
    assert issue(db, org.centre) == "LGC〔2026〕1号"
    db.session.commit()
    assert issue(db, org.centre) == "LGC〔2026〕2号"
    db.session.rollback()
    assert issue(db, org.centre) == "LGC〔2026〕2号"
    db.session.commit()
    assert issue(db, org.centre) == "LGC〔2026〕3号"


def test_failed_registration_gives_the_number_back(db, org, make_case):
    first = make_case()
    clerk = org.user(Role.CLERK)
    with pytest.raises(DomainError):
        register_case(db.session, clerk, intake_input(org.centre, cause=" "))
    db.session.rollback()
    second = make_case()
    assert first.registry_no == "LGC〔2026〕1号"
    assert second.registry_no == "LGC〔2026〕2号"


def test_registration_numbers_by_registration_year(db, org, make_case):
    old = make_case(registered_on=date(2025, 12, 31), dispute_known_on=date(2025, 12, 1))
    new = make_case()
    assert old.registry_no == "LGC〔2025〕1号"
    assert new.registry_no == "LGC〔2026〕1号"


# --- concurrency ----------------------------------------------------------------------------------


def run_in_threads(count, work):
    """Start `count` threads that wait at one barrier, then run `work(i)`; returns results by index."""
    barrier = threading.Barrier(count, timeout=60)
    results: list = [None] * count
    errors: list = []

    def target(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append("".join(traceback.format_exception(error)))

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    assert not errors, "\n".join(errors)
    return results


def test_concurrent_issuing_is_gap_free_and_unique(db, org):
    numbering.set_pattern(db.session, org.centre, REGISTRY, "号{year}-{seq}")
    db.session.commit()
    engine = db.engine
    unit_ids = [org.centre.id, org.mediation.id, org.arbitration.id, org.legal_aid.id]
    per_thread = 5

    def work(i):
        with Session(engine) as session:
            issued = []
            for _ in range(per_thread):
                unit = session.get(Unit, unit_ids[i % len(unit_ids)])
                issued.append(numbering.issue_number(session, unit, REGISTRY, 2026))
                session.commit()
            return issued

    results = run_in_threads(THREADS, work)
    numbers = [n for issued in results for n in issued]
    total = THREADS * per_thread
    assert len(numbers) == total
    assert sorted(numbers, key=lambda n: int(n.split("-")[1])) == [f"号2026-{n}" for n in range(1, total + 1)]
    for issued in results:  # each thread saw its own numbers increase
        assert issued == sorted(issued, key=lambda n: int(n.split("-")[1]))


def test_concurrent_transactions_that_roll_back_leave_no_gap(db, org):
    db.session.commit()
    engine, centre_id = db.engine, org.centre.id

    def work(i):
        with Session(engine) as session:
            unit = session.get(Unit, centre_id)
            number = numbering.issue_number(session, unit, REGISTRY, 2026)
            if i % 2:
                session.rollback()
                return None
            session.commit()
            return number

    kept = [n for n in run_in_threads(THREADS, work) if n]
    assert sorted(kept) == [f"LGC〔2026〕{n}号" for n in range(1, THREADS // 2 + 1)]


def test_clerks_registering_at_the_same_moment_get_distinct_consecutive_numbers(db, org):
    numbering.set_pattern(db.session, org.centre, REGISTRY, "深龙调援〔{year}〕第{seq:05d}号")
    clerks = [org.user(Role.CLERK)]
    for i in range(1, THREADS):
        clerks.append(
            organisation.add_user(db.session, f"clerk{i}", f"书记员{i}", [Role.CLERK], org.centre, "correct-horse-42")
        )
    db.session.commit()
    engine = db.engine
    clerk_ids = [c.id for c in clerks]
    units = [org.centre.id, org.mediation.id, org.arbitration.id, org.legal_aid.id]

    def work(i):
        with Session(engine) as session:
            clerk = session.get(User, clerk_ids[i])
            case = register_case(session, clerk, intake_input(session.get(Unit, units[i % len(units)])))
            session.commit()
            return case.registry_no

    numbers = run_in_threads(THREADS, work)
    assert sorted(numbers) == [f"深龙调援〔2026〕第{n:05d}号" for n in range(1, THREADS + 1)]
    stored = db.session.scalars(sa.select(Case.registry_no)).all()
    assert sorted(stored) == sorted(numbers)
    assert (
        db.session.scalar(sa.select(NumberSequence.last_value).where(NumberSequence.unit_id == org.centre.id))
        == THREADS
    )


@pytest.mark.skipif(not ON_POSTGRES, reason="row-lock waits on number_sequences are a PostgreSQL behaviour")
def test_postgres_second_transaction_waits_for_the_first(db, org):
    """While one transaction holds a number uncommitted, another waits, then gets the next one."""
    db.session.commit()
    engine, centre_id = db.engine, org.centre.id
    first = Session(engine)
    try:
        assert numbering.issue_number(first, first.get(Unit, centre_id), REGISTRY, 2026).endswith("〕1号")
        got: list[str] = []
        second_started = threading.Event()

        def second():
            with Session(engine) as session:
                unit = session.get(Unit, centre_id)
                second_started.set()
                got.append(numbering.issue_number(session, unit, REGISTRY, 2026))
                session.commit()

        thread = threading.Thread(target=second)
        thread.start()
        second_started.wait(10)
        thread.join(0.5)
        assert thread.is_alive(), "the second transaction did not wait for the row lock"
        assert got == []
        first.rollback()  # the first gives its number back …
        thread.join(30)
        assert got == ["LGC〔2026〕1号"]  # … and the waiting transaction takes it
    finally:
        first.close()


def test_new_unit_starts_its_own_sequence(db, org):
    unit = organisation.add_unit(db.session, "BJX", "布吉新社区", UnitKind.COMMUNITY, org.street)
    assert issue(db, unit) == "BJX〔2026〕1号"
    assert issue(db, org.street) == "BJ〔2026〕1号"


def test_same_pattern_without_code_on_two_units_is_refused(db, org):
    from disputes import numbering as n
    from disputes.i18n import DomainError

    n.set_pattern(db.session, org.street_mediation, n.REGISTRY, "深龙调〔{year}〕第{seq}号")
    with pytest.raises(DomainError) as refused:
        n.set_pattern(db.session, org.centre, n.REGISTRY, "深龙调〔{year}〕第{seq}号")
    assert refused.value.params["code"] == org.street_mediation.code
    n.set_pattern(db.session, org.centre, n.REGISTRY, "{code}〔{year}〕第{seq}号")
    n.set_pattern(db.session, org.street_mediation, n.REGISTRY, "{code}〔{year}〕第{seq}号")
