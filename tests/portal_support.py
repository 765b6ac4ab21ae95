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
