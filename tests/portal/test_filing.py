"""Online filing, the clerk's check and the collective link (issue 20)."""

import io

import sqlalchemy as sa
from PIL import Image

from disputes.models import Case, OnlineApplication, OutboundMessage, Party, Role
from disputes.models.enums import ApplicationStatus
from disputes.portal import uploads
from tests.conftest import EMPLOYER_CODE, WORKER_ID

PHONE = "13800138000"


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def file_application(client, unit_id: int, *, collective: bool = False, files=None) -> str:
    who = {
        "kind": "arbitration",
        "unit_id": str(unit_id),
        "name": "张三",
        "id_number": WORKER_ID,
        "phone": PHONE,
        "worker_count": "collective" if collective else "1",
    }
    assert client.post("/portal/apply", data=who).status_code == 302
    employer = {"name": "深圳市宏达电子科技有限公司", "credit_code": EMPLOYER_CODE, "known_on": "2026-10-01"}
    assert client.post("/portal/apply/employer", data=employer).status_code == 302
    claims = {
        "category_1": "wages",
        "amount_1": "12000",
        "description_1": "2026年8月至10月工资",
        "category_2": "economic_compensation",
        "amount_2": "8000",
        "category_3": "",
        "facts": "公司拖欠三个月工资后关闭。",
    }
    assert client.post("/portal/apply/claims", data=claims).status_code == 302
    data = {"go": "next", "files": files or []}
    response = client.post("/portal/apply/evidence", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    assert client.post("/portal/apply/confirm", data={"confirm": "y"}).status_code == 302
    done = client.get("/portal/apply/done")
    assert done.status_code == 200
    return done.get_data(as_text=True)


def test_wrong_id_and_credit_code_are_refused(client, db, org):
    who = {
        "kind": "mediation",
        "unit_id": str(org.centre.id),
        "name": "张三",
        "id_number": "110105194912310021",
        "phone": PHONE,
        "worker_count": "1",
    }
    response = client.post("/portal/apply", data=who)
    assert response.status_code == 200 and "GB 11643" in response.get_data(as_text=True)
    who["id_number"] = WORKER_ID
    assert client.post("/portal/apply", data=who).status_code == 302
    response = client.post("/portal/apply/employer", data={"name": "某公司", "credit_code": "91350100M000100Y44"})
    assert response.status_code == 200 and "GB 32100" in response.get_data(as_text=True)


def test_worker_files_with_two_claims_and_a_photo_and_the_clerk_accepts(client, db, org, login, outbox, app):
    file_application(client, org.centre.id, files=[(io.BytesIO(photo()), "工资条.png")])
    application = db.session.scalar(sa.select(OnlineApplication))
    assert application.status == ApplicationStatus.SUBMITTED
    assert [c["category"] for c in application.data["claims"]] == ["wages", "economic_compensation"]
    [upload] = application.uploads
    assert upload.content_type == "image/jpeg" and upload.filename == "工资条.png"  # re-encoded
    login(org.user(Role.CLERK))
    queue = client.get("/applications").get_data(as_text=True)
    assert application.reference in queue
    response = client.post(f"/applications/{application.id}", data={"action": "accept", "reason": ""})
    assert response.status_code == 302
    db.session.expire_all()
    application = db.session.get(OnlineApplication, application.id)
    case = db.session.get(Case, application.case_id)
    assert application.status == ApplicationStatus.ACCEPTED
    assert case.unit_id == org.centre.id and len(case.claims) == 2 and case.timers  # the counter's intake ran
    worker = case.applicants[0]
    assert (worker.sex.value, str(worker.birth_date)) == ("female", "1949-12-31")  # derived from the ID number
    told = [m["text"] for m in outbox.messages(PHONE)]
    assert any(case.registry_no in text for text in told)


def test_correction_and_refusal_need_a_reason_and_are_told(client, db, org, login, outbox):
    file_application(client, org.centre.id)
    application = db.session.scalar(sa.select(OnlineApplication))
    login(org.user(Role.CLERK))
    response = client.post(f"/applications/{application.id}", data={"action": "refuse", "reason": ""})
    assert response.status_code == 200
    response = client.post(f"/applications/{application.id}", data={"action": "correction", "reason": "缺少劳动合同"})
    assert response.status_code == 302
    assert any("缺少劳动合同" in m["text"] for m in outbox.messages(PHONE))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboundMessage)) == 1


def test_a_mediator_of_another_unit_cannot_check(client, db, org, login, outbox):
    file_application(client, org.centre.id)
    application = db.session.scalar(sa.select(OnlineApplication))
    login(org.user(Role.COURT_LIAISON))
    assert client.get(f"/applications/{application.id}").status_code == 403


def test_collective_application_ten_workers_elect_two(client, db, org, login, outbox):
    page = file_application(client, org.centre.id, collective=True)
    application = db.session.scalar(sa.select(OnlineApplication))
    token = application.collective_token
    assert f"/portal/collective/{token}" in page
    assert [m.name for m in application.members] == ["张三"]  # the worker who files is the first member
    ids = [WORKER_ID] + [_valid_id(i) for i in range(1, 10)]
    filer = {"name": "张三", "id_number": WORKER_ID, "phone": PHONE}
    refused = client.post(f"/portal/collective/{token}/join", data=filer)
    assert refused.status_code == 200  # the filer has joined already
    for n, number in enumerate(ids[1:], start=1):
        data = {"name": f"工人{n}", "id_number": number, "phone": f"1380013{n:04d}"}
        assert client.post(f"/portal/collective/{token}/join", data=data).status_code == 302
    members = db.session.scalar(sa.select(OnlineApplication)).members
    first, second = members[0].id, members[1].id
    for n, number in enumerate(ids):
        vote = {"id_number": number, "candidate": str(first if n < 6 else second)}
        assert client.post(f"/portal/collective/{token}/vote", data=vote).status_code == 302
    login(org.user(Role.CLERK))
    assert client.post(f"/applications/{application.id}", data={"action": "accept"}).status_code == 302
    db.session.expire_all()
    case = db.session.get(Case, db.session.scalar(sa.select(OnlineApplication)).case_id)
    workers = [p for p in case.applicants]
    assert len(workers) == 10 and case.collective
    # the first to join is the applicant (same ID number): one party, under the name they filed with
    assert sorted(p.name for p in workers if p.is_representative) == ["工人1", "张三"]


def test_collective_below_ten_is_not_accepted(client, db, org, login, outbox):
    file_application(client, org.centre.id, collective=True)
    application = db.session.scalar(sa.select(OnlineApplication))
    login(org.user(Role.CLERK))
    response = client.post(f"/applications/{application.id}", data={"action": "accept"})
    assert response.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0


def _valid_id(n: int) -> str:
    from disputes.identity import resident_id_check_char

    first17 = f"44030719900101{n:03d}"
    return first17 + resident_id_check_char(first17)


def test_uploads_refuse_other_types_and_active_pdfs(app, db, tmp_path):
    import pytest

    from disputes.i18n import DomainError

    with pytest.raises(DomainError):
        uploads.accept(db.session, tmp_path, "a.html", b"<html><script>alert(1)</script>", 10_000)
    with pytest.raises(DomainError):
        uploads.accept(
            db.session, tmp_path, "a.pdf", b"%PDF-1.7\n1 0 obj << /OpenAction << /JS (app.alert(1)) >> >>", 10_000
        )
    with pytest.raises(DomainError):
        uploads.accept(db.session, tmp_path, "big.png", photo() + b"\0" * 20_000, 10_000)
    kept = uploads.accept(db.session, tmp_path, "../../etc/passwd.pdf", b"%PDF-1.7\n%%EOF", 10_000)
    assert kept.filename == "passwd.pdf" and (tmp_path / kept.stored_name).is_file()
    assert Party  # the model module imports


def test_a_worker_who_joined_votes_without_typing_the_id_again(app, client, db, org, outbox):
    file_application(client, org.centre.id, collective=True)
    application = db.session.scalar(sa.select(OnlineApplication))
    token, filer = application.collective_token, application.members[0]
    colleague = app.test_client()  # another phone
    page = colleague.get(f"/portal/collective/{token}").get_data(as_text=True)
    assert 'id="join"' in page and "joined-as" not in page
    data = {"name": "李四", "id_number": _valid_id(1), "phone": "13800130001"}
    assert colleague.post(f"/portal/collective/{token}/join", data=data).status_code == 302
    page = colleague.get(f"/portal/collective/{token}").get_data(as_text=True)
    assert 'id="joined-as"' in page and 'id="join"' not in page and 'name="id_number"' not in page
    assert colleague.post(f"/portal/collective/{token}/vote", data={"candidate": str(filer.id)}).status_code == 302
    assert client.post(f"/portal/collective/{token}/vote", data={"candidate": str(filer.id)}).status_code == 302
    stranger = app.test_client()  # neither joined nor filed: the ID number is asked, and must be a member's
    assert stranger.post(f"/portal/collective/{token}/vote", data={"candidate": str(filer.id)}).status_code == 200
    db.session.expire_all()
    members = db.session.get(OnlineApplication, application.id).members
    assert [m.vote_for_id for m in members] == [filer.id, filer.id]
