"""The portal's test helpers: the outbox the file backend writes, and a party's sign-in by code."""

import json
from pathlib import Path


class Outbox:
    def __init__(self, path: Path):
        self.path = path

    def messages(self, to: str | None = None) -> list[dict]:
        if not self.path.exists():
            return []
        lines = [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line]
        return [m for m in lines if to is None or m["to"] == to]

    def last_code(self, to: str) -> str:
        import re

        texts = [m["text"] for m in self.messages(to)]
        assert texts, f"nothing sent to {to}"
        return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


def party_sign_in(client, outbox, contact: str) -> None:
    response = client.post("/portal/sign-in", data={"contact": contact})
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    response = client.post("/portal/sign-in/code", data={"code": outbox.last_code(contact)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/portal/cases"), response.status


def portal_world(db, org) -> dict:
    """An online application filed with the centre, with one evidence file, and a failed message (issue 20)."""
    import hashlib
    import os

    from flask import current_app

    from disputes.models import ApplicationUpload, OnlineApplication, OutboundMessage

    application = OnlineApplication(
        reference="WS20261120AAAAAA",
        kind="arbitration",
        unit_id=org.centre.id,
        data={
            "who": {"name": "张三", "id_number": "11010519491231002X", "phone": "13800138000"},
            "employer": {"name": "宏达公司"},
            "claims": [{"category": "wages", "amount": "100"}],
        },
        contact_phone="13800138000",
        collective_token="access-token",
    )
    folder = os.path.join(current_app.instance_path, "portal_uploads")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "access-test.pdf"), "wb") as out:
        out.write(b"%PDF-1.7\n%%EOF")
    application.uploads = [
        ApplicationUpload(
            filename="a.pdf",
            stored_name="access-test.pdf",
            content_type="application/pdf",
            size=14,
            sha256=hashlib.sha256(b"%PDF-1.7\n%%EOF").hexdigest(),
        )
    ]
    message = OutboundMessage(
        event_key="access", recipient="13800138000", channel="sms", body="x", status="failed", attempts=3
    )
    db.session.add_all([application, message])
    db.session.commit()
    return {
        "application": application.id,
        "upload": application.uploads[0].id,
        "token": "access-token",
        "message": message.id,
    }
