"""Issuing documents: numbers, stored bytes, versions, verification codes, permissions."""

import os
import subprocess
from io import BytesIO

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from disputes.documents import issue as issuing
from disputes.documents import verify
from disputes.i18n import DomainError
from disputes.models import IssuedDocument, Role, TimelineEntry
from disputes.workflow.states import ArbitrationState
from tests.documents_fixtures import accepted_case
from tests.drive import Driver

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgres")


@pytest.fixture
def accepted(db, org, make_case):
    return accepted_case(db, org, make_case)


def test_issue_assigns_the_number_and_stores_the_hash(db, org, accepted):
    doc = issuing.issue(db.session, accepted, "arb_acceptance", "", org.user(Role.CLERK))
    db.session.commit()
    assert doc.number == "LGA仲字〔2026〕1号"
    assert doc.version == 1 and doc.unit is org.arbitration
    assert doc.pdf.startswith(b"%PDF") and doc.size == len(doc.pdf)
    assert doc.sha256 == verify.sha256(doc.pdf) and doc.page_count == len(PdfReader(BytesIO(doc.pdf)).pages) == 2
    assert verify.normalise_code(doc.code) == doc.code
    entry = db.session.scalars(sa.select(TimelineEntry).where(TimelineEntry.kind == "document_issued")).one()
    assert entry.after["number"] == doc.number and entry.after["code"] == doc.code


def test_second_issue_is_refused_and_reissue_keeps_the_number(db, org, accepted):
    clerk = org.user(Role.CLERK)
    first = issuing.issue(db.session, accepted, "arb_acceptance", "", clerk)
    with pytest.raises(DomainError):
        issuing.issue(db.session, accepted, "arb_acceptance", "", clerk)
    second = issuing.reissue(db.session, accepted, "arb_acceptance", "", clerk, lang="en")
    db.session.commit()
    assert (second.version, second.number, second.lang) == (2, first.number, "en")
    assert second.code != first.code and second.sha256 != first.sha256
    assert [d.version for d in issuing.versions(db.session, accepted, "arb_acceptance")] == [1, 2]
    assert verify.latest_version(db.session, first) == 2


def test_reprint_returns_the_issued_bytes(db, org, accepted):
    doc = issuing.issue(db.session, accepted, "arb_acceptance", "", org.user(Role.CLERK))
    db.session.commit()
    original = bytes(doc.pdf)
    db.session.expire_all()
    again = db.session.get(IssuedDocument, doc.id)
    assert issuing.reprint(again) == original


def test_verification_accepts_the_bytes_and_rejects_a_changed_byte(db, org, accepted):
    doc = issuing.issue(db.session, accepted, "arb_acceptance", "", org.user(Role.CLERK))
    db.session.commit()
    found = issuing.by_code(db.session, doc.code.lower())
    assert found is doc
    assert issuing.matches(doc, doc.pdf)
    changed = bytearray(doc.pdf)
    changed[len(changed) // 2] ^= 1
    assert not issuing.matches(doc, bytes(changed))
    assert issuing.by_code(db.session, "not-a-code") is None


def test_a_failed_issue_gives_its_number_back(db, org, accepted):
    clerk = org.user(Role.CLERK)
    issuing.issue(db.session, accepted, "arb_acceptance", "", clerk)
    db.session.rollback()
    doc = issuing.issue(db.session, accepted, "arb_acceptance", "", clerk)
    assert doc.number == "LGA仲字〔2026〕1号"


@pytest.mark.parametrize("role", [Role.LAWYER, Role.COURT_LIAISON, Role.MEDIATOR, Role.ADMIN])
def test_only_issuing_roles_issue_arbitration_documents(db, org, accepted, role):
    with pytest.raises(DomainError):
        issuing.issue(db.session, accepted, "arb_acceptance", "", org.user(role))


def test_pdf_embeds_its_fonts_and_is_small(db, org, accepted, tmp_path):
    doc = issuing.issue(db.session, accepted, "arb_acceptance", "", org.user(Role.CLERK))
    path = tmp_path / "doc.pdf"
    path.write_bytes(doc.pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts  # the "emb" column
    assert doc.size < 150 * 1024


@pytest.mark.skipif(not ON_POSTGRES, reason="concurrent transactions on number_sequences need PostgreSQL")
def test_concurrent_issues_never_share_a_number(db, org, make_case):
    from sqlalchemy.orm import Session

    from disputes.models import Case, User
    from tests.documents.test_numbering import run_in_threads

    threads = 6
    case_ids = [accepted_case_id(db, org, make_case) for _ in range(threads)]
    clerk_id = org.user(Role.CLERK).id
    db.session.commit()
    engine = db.engine

    def work(i):
        with Session(engine) as session:
            doc = issuing.issue(
                session, session.get(Case, case_ids[i]), "arb_acceptance", "", session.get(User, clerk_id)
            )
            session.commit()
            return doc.number

    numbers = run_in_threads(threads, work)
    assert len(numbers) == threads and set(numbers) == {f"LGA仲字〔2026〕{n}号" for n in range(1, threads + 1)}
    stored = db.session.scalars(sa.select(IssuedDocument.number)).all()
    assert sorted(stored) == sorted(numbers)


def accepted_case_id(db, org, make_case) -> int:
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.ACCEPTED)
    db.session.commit()
    return case.id
