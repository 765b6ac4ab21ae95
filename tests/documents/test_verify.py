"""The public verification page: facts without personal data, byte-identical checks, versions."""

import io

import pytest

from disputes.documents import issue as issuing
from disputes.models import Role
from tests.documents_fixtures import accepted_case
from tests.pages import parse, text


@pytest.fixture
def doc(db, org, make_case):
    case = accepted_case(db, org, make_case)
    issued = issuing.issue(db.session, case, "arb_acceptance", "", org.user(Role.CLERK))
    db.session.commit()
    return issued


def _ids(response) -> set[str]:
    return {e.get("id") for e in parse(response).iter() if e.get("id")}


def test_code_page_confirms_the_facts_without_personal_data(client, doc):
    response = client.get(f"/verify/{doc.code}")
    assert response.status_code == 200
    page = text(parse(response).find(".//main"))
    for shown in (doc.number, doc.case.registry_no, doc.sha256, "2026"):
        assert shown in page
    for hidden in ("张三", "深圳市宏达电子科技有限公司", "11010519491231002X", "91350100M000100Y43"):
        assert hidden not in response.get_data(as_text=True)


def test_code_is_read_loosely(client, doc):
    typed = doc.code.lower()[:5] + "-" + doc.code.lower()[5:]
    response = client.post("/verify", data={"code": typed})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/verify/{doc.code}")


def test_uploaded_pdf_is_byte_identical(client, doc):
    response = client.post(
        f"/verify/{doc.code}", data={"pdf": (io.BytesIO(doc.pdf), "notice.pdf")}, content_type="multipart/form-data"
    )
    assert "verify-same" in _ids(response)


def test_one_changed_byte_is_detected(client, doc):
    changed = bytearray(doc.pdf)
    changed[100] ^= 0x01
    response = client.post(
        f"/verify/{doc.code}",
        data={"pdf": (io.BytesIO(bytes(changed)), "notice.pdf")},
        content_type="multipart/form-data",
    )
    assert "verify-different" in _ids(response) and "verify-same" not in _ids(response)


def test_form_with_code_and_file(client, doc):
    response = client.post(
        "/verify", data={"code": doc.code, "pdf": (io.BytesIO(doc.pdf), "n.pdf")}, content_type="multipart/form-data"
    )
    assert "verify-same" in _ids(response)


def test_unknown_code(client, doc):
    response = client.get("/verify/ZZZZZZZZZZ")
    assert response.status_code == 404 and "verify-missing" in _ids(response)


def test_older_version_says_a_newer_one_exists(db, org, client, doc):
    issuing.reissue(db.session, doc.case, "arb_acceptance", "", org.user(Role.CLERK))
    db.session.commit()
    older = client.get(f"/verify/{doc.code}")
    assert "verify-newer" in _ids(older)


def test_verification_is_rate_limited():
    """In a separate process: the test app runs with rate limits off, and the limiter is global."""
    import subprocess
    import sys

    script = (
        "from disputes import create_app\n"
        "app = create_app('testing', RATELIMIT_ENABLED=True, SQLALCHEMY_DATABASE_URI='sqlite://')\n"
        "client = app.test_client()\n"
        "print(' '.join(str(client.get('/verify/x').status_code) for _ in range(35)))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    statuses = result.stdout.split()
    assert statuses[0] == "404" and statuses[-1] == "429", result.stdout
