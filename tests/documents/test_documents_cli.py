"""`flask documents list` and `flask documents render`."""

import sqlalchemy as sa
from pypdf import PdfReader

from disputes.demo.loader import load
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
        result = runner.invoke(
            args=[
                "documents",
                "render",
                "--case",
                case.registry_no,
                "--doc",
                "arb_acceptance",
                "--lang",
                lang,
                "-o",
                str(out),
            ]
        )
        assert result.exit_code == 0, result.output
        pages = len(PdfReader(out).pages)
        assert out.read_bytes().startswith(b"%PDF") and f"{pages} page(s)" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IssuedDocument)) == 0


def test_render_refuses_unknown_cases_and_kinds(db, org, make_case, runner, tmp_path):
    case = make_case()
    out = str(tmp_path / "x.pdf")
    assert (
        "no case"
        in runner.invoke(args=["documents", "render", "--case", "nope", "--doc", "arb_acceptance", "-o", out]).output
    )
    assert (
        "no document kind"
        in runner.invoke(args=["documents", "render", "--case", case.registry_no, "--doc", "nope", "-o", out]).output
    )
    refused = runner.invoke(
        args=["documents", "render", "--case", case.registry_no, "--doc", "arb_acceptance", "-o", out]
    )
    assert refused.exit_code != 0 and "does not fit" in refused.output


def test_demo_load_issues_the_documents_of_each_cases_acts(db):
    """Every act a case's state records has its document, issued by the system on the act's day under the act's
    own number; a few notices and forms of other kinds are issued by staff."""
    from disputes import clock
    from disputes.demo.documents import ACT_KINDS, MAX_DOCUMENTS, worth_issuing
    from disputes.documents import catalogue
    from disputes.models import Case

    load(db.session, case_count=60)
    db.session.commit()
    docs = db.session.scalars(sa.select(IssuedDocument)).all()
    assert all(doc.pdf.startswith(b"%PDF") and doc.number != "" for doc in docs)
    issued = {(doc.case_id, doc.kind, doc.subject_key): doc for doc in docs}
    acts = 0
    for case in db.session.scalars(sa.select(Case)):
        for kind, subject in catalogue.available(db.session, case):
            if kind.id not in ACT_KINDS or not worth_issuing(case, kind.id):
                continue
            if kind.id == "arb_award" and subject.obj.number is None:
                continue  # its closure awaits approval: not numbered, not issued yet
            doc = issued[(case.id, kind.id, subject.key)]
            acts += 1
            if kind.number is not None:
                assert doc.number == catalogue.act_number(db.session, case, kind, subject)
            dated = catalogue.act_date(db.session, case, kind, subject)
            assert clock.to_local(doc.issued_at).date() == dated, (kind.id, doc.issued_at, dated)
    assert acts >= 20 and {doc.kind for doc in docs} >= {"arb_acceptance", "arb_award", "med_agreement"}
    others = [doc for doc in docs if doc.kind not in ACT_KINDS and doc.kind != "arb_extension_notice"]
    assert 1 <= len(others) <= MAX_DOCUMENTS and all(doc.issued_by_id is not None for doc in others)
