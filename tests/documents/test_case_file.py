"""The complete case file (cover + index + documents, page-numbered) and the hearing day's batch."""

import io
import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from disputes.documents import case_file, hearing_day
from disputes.models import HearingRoom, Role
from disputes.workflow import hearings
from disputes.workflow.states import ArbitrationState, ClosureType
from tests.drive import Driver, at_local
from tests.issued import fake_issue

PAGES = (2, 3, 1, 4)


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def closed_case(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.CLOSED)
    docs = [
        fake_issue(db.session, case, f"kind{i}", pages=n, number=f"深龙劳人仲案字〔2026〕第{i + 1}号")
        for i, n in enumerate(PAGES)
    ]
    db.session.commit()
    return case, docs


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_page_count_is_the_parts_plus_cover_and_index(db, closed_case, lang):
    case, docs = closed_case
    pdf, parts = case_file.build(db.session, case, lang)
    texts = pages_text(pdf)
    assert parts["documents"] == sum(PAGES) == sum(d.page_count for d in docs)
    assert len(texts) == parts["cover"] + parts["index"] + sum(PAGES)
    assert parts["cover"] == 1 and parts["index"] == 1


def test_the_index_lists_every_document_with_its_pages(db, closed_case):
    case, docs = closed_case
    pdf, parts = case_file.build(db.session, case, "en")
    texts = pages_text(pdf)
    index = texts[parts["cover"]]
    first = 1
    for doc, count in zip(docs, PAGES, strict=True):
        last = first + count - 1
        span = str(first) if first == last else f"{first}–{last}"
        row = next(line for line in index.splitlines() if doc.number in line)
        assert row.rstrip().endswith(span), row
        # The document's own pages follow in order and carry the stamped numbers of the index.
        body = texts[parts["cover"] + parts["index"] + first - 1 : parts["cover"] + parts["index"] + last]
        assert all(f"{doc.kind}-" in page for page in body)
        assert [re.findall(r"^\d+$", page, re.MULTILINE)[-1] for page in body] == [
            str(n) for n in range(first, last + 1)
        ]
        first = last + 1


def test_only_the_current_version_of_a_document_is_filed(db, org, closed_case):
    case, docs = closed_case
    newer = fake_issue(db.session, case, docs[0].kind, pages=1, number="重新出具", version=2)
    filed = case_file.documents(db.session, case)
    assert newer in filed and docs[0] not in filed and len(filed) == len(docs)


def test_the_cover_says_what_the_archive_needs(db, org, closed_case):
    case, _docs = closed_case
    facts = case_file.cover_facts(db.session, case, date(2026, 12, 31))
    assert facts["retention_years"] == 10  # an award case
    assert facts["pages"] == sum(PAGES) and facts["documents"] == len(PAGES)
    assert facts["arbitrators"] == [org.user(Role.ARBITRATOR).display_name]
    assert facts["closed_on"] == case.arbitration.closed_on and facts["number"] == case.arbitration.number
    cover = pages_text(case_file.build(db.session, case, "en")[0])[0]
    assert "10 years" in cover and case.arbitration.number in cover


def test_a_case_without_an_award_is_kept_five_years(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.CLOSED, closure=ClosureType.WITHDRAWN)
    assert case_file.retention_years(case) == 5


def test_the_cli_writes_the_case_file(db, closed_case, runner, tmp_path):
    case, _docs = closed_case
    target = tmp_path / "file.pdf"
    result = runner.invoke(args=["archive", "case-file", "--case", case.registry_no, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert len(PdfReader(str(target)).pages) == 2 + sum(PAGES)
    assert runner.invoke(args=["archive", "case-file", "--case", "nope", "-o", str(target)]).exit_code != 0


@pytest.fixture
def hearing_day_cases(db, org, make_case):
    """Two hearings on 8 December 2026 in two rooms, each with its notice issued; one on the next day."""
    rooms = [HearingRoom(unit_id=org.arbitration.id, name=name) for name in ("第一仲裁庭", "第二仲裁庭")]
    db.session.add_all(rooms)
    db.session.flush()
    found = []
    for index, (day, hour, room) in enumerate([(8, 9, rooms[1]), (8, 14, rooms[0]), (9, 9, rooms[0])]):
        case = make_case(cause=f"案由{index}")
        Driver(db.session, org, case).arbitration(ArbitrationState.TRIBUNAL_FORMED)
        starts = at_local(date(2026, 12, day), hour)
        hearing = hearings.schedule_hearing(
            db.session,
            case,
            org.user(Role.CLERK),
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            room_id=room.id,
        )
        notice = fake_issue(
            db.session, case, "arb_hearing_notice", str(hearing.id), pages=1 + index, number=f"开庭通知{index}"
        )
        found.append((case, hearing, notice))
    db.session.commit()
    return found


def test_the_hearing_day_batch_holds_the_schedule_and_each_notice(db, org, hearing_day_cases):
    pdf, made = hearing_day.build(db.session, date(2026, 12, 8), org.centre, "en")
    texts = pages_text(pdf)
    schedule = "\n".join(texts[: made["schedule"]])
    assert made == {"schedule": 1, "hearings": 2, "notices": 2, "notice_pages": 3}
    assert len(texts) == 1 + 3
    for case, hearing, notice in hearing_day_cases[:2]:
        assert case.arbitration.number in schedule and notice.number in schedule
        assert any(f"arb_hearing_notice-{hearing.id}" in page for page in texts[1:])
    other_case, other_hearing, _ = hearing_day_cases[2]
    assert other_case.arbitration.number not in schedule
    assert not any(f"arb_hearing_notice-{other_hearing.id}" in page for page in texts)
    # The rooms in order: the first room's hearing is listed first although it starts later.
    assert schedule.index("14:00") < schedule.index("09:00")


def test_the_hearing_day_cli_and_page(db, org, hearing_day_cases, runner, tmp_path, login):
    target = tmp_path / "day.pdf"
    result = runner.invoke(args=["archive", "hearing-day", "--date", "2026-12-08", "--unit", "LGA", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "2 hearing(s), 2 notice(s)" in result.output
    response = login(org.user(Role.CLERK)).get("/arbitration/hearing-day/2026-12-08?lang=en")
    assert response.mimetype == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.data)).pages) == 4


def test_a_collective_cover_names_five_workers_and_counts_the_rest(db, org, make_case):
    from disputes.models import Party, PartyKind, PartySide

    case = make_case()
    for n in range(11):
        case.parties.append(
            Party(side=PartySide.APPLICANT, kind=PartyKind.WORKER, name=f"工人{n:02d}", position=10 + n)
        )
    fake_issue(db.session, case, "kind0", pages=1)
    db.session.commit()
    facts = case_file.cover_facts(db.session, case, date(2026, 12, 31))
    assert len(facts["applicants"]) == 5 and facts["more_applicants"] == 12 - 5
    pdf, parts = case_file.build(db.session, case, "en")
    assert parts["cover"] == 1
    assert "and 7 more" in " ".join(pages_text(pdf)[0].split())
