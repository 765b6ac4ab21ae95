"""`flask documents list` and `flask documents render`."""
import sqlalchemy as sa
from pypdf import PdfReader

from disputes.models import IssuedDocument
from tests.documents_fixtures import accepted_case


def test_list_shows_the_catalogue(runner):
    result = runner.invoke(args=["documents", "list"])
    assert result.exit_code == 0, result.output
    assert "arb_acceptance\tarbitration_doc\tarbitration\t" in result.output


def test_list_for_a_case(db, org, make_case, runner):
    case = accepted_case(db, org, make_case)
    result = runner.invoke(args=["documents", "list", "--case", case.registry_no])
    assert result.exit_code == 0 and "arb_acceptance\t-\tNotice of acceptance\n" in result.output


def test_render_writes_a_preview_pdf_and_issues_nothing(db, org, make_case, runner, tmp_path):
    case = accepted_case(db, org, make_case)
    out = tmp_path / "notice.pdf"
    for lang in ("zh", "en"):
        result = runner.invoke(args=["documents", "render", "--case", case.registry_no, "--doc", "arb_acceptance",
                                     "--lang", lang, "-o", str(out)])
        assert result.exit_code == 0, result.output
        pages = len(PdfReader(out).pages)
        assert out.read_bytes().startswith(b"%PDF") and f"{pages} page(s)" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IssuedDocument)) == 0


def test_render_refuses_unknown_cases_and_kinds(db, org, make_case, runner, tmp_path):
    case = make_case()
    out = str(tmp_path / "x.pdf")
    assert "no case" in runner.invoke(args=["documents", "render", "--case", "nope", "--doc", "arb_acceptance",
                                            "-o", out]).output
    assert "no document kind" in runner.invoke(args=["documents", "render", "--case", case.registry_no,
                                                     "--doc", "nope", "-o", out]).output
    refused = runner.invoke(args=["documents", "render", "--case", case.registry_no, "--doc", "arb_acceptance",
                                  "-o", out])
    assert refused.exit_code != 0 and "does not fit" in refused.output


def test_demo_load_issues_a_few_documents(db):
    from disputes.demo.loader import load

    load(db.session, case_count=60)
    db.session.commit()
    docs = db.session.scalars(sa.select(IssuedDocument)).all()
    assert 1 <= len(docs) <= 8
    assert all(doc.issued_by_id is not None and doc.pdf.startswith(b"%PDF") for doc in docs)
