"""A small HTTP client for the live-server tests: one cookie jar, forms read from the page as a browser submits
them (hidden CSRF token included), multipart uploads. http.client only; loopback only."""

from __future__ import annotations

import http.client
import uuid
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import tinyhtml5

HOST = "127.0.0.1"
USER_AGENT = "disputes-two-instances/1.0"  # sessions are bound to it (Flask-Login strong protection)


class Page:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def tree(self):
        return tinyhtml5.parse(self.text, namespace_html_elements=False)

    def forms(self):
        return list(self.tree().iter("form"))


def form_values(form) -> list[tuple[str, str]]:
    """What a browser submits for `form` as rendered (checked boxes, selected options, hidden fields)."""
    values = []
    for element in form.iter():
        name = element.get("name")
        if not name or element.get("disabled") is not None:
            continue
        if element.tag == "input":
            kind = (element.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if element.get("checked") is not None:
                    values.append((name, element.get("value", "on")))
            elif kind not in ("submit", "button", "reset", "image", "file"):
                values.append((name, element.get("value") or ""))
        elif element.tag == "select":
            options = list(element.iter("option"))
            chosen = [o for o in options if o.get("selected") is not None] or options[:1]
            values += [(name, o.get("value", "")) for o in chosen]
        elif element.tag == "textarea":
            values.append((name, element.text or ""))
    return values


class Client:
    def __init__(self, port: int):
        self.port = port
        self.cookies = SimpleCookie()
        self.statuses: list[int] = []

    def _send(self, method: str, path: str, body: bytes | None = None, content_type: str | None = None) -> Page:
        headers = {"User-Agent": USER_AGENT}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            page = Page(response.status, response.headers, response.read())
        finally:
            conn.close()
        for header in page.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        self.statuses.append(page.status)
        return page

    def get(self, path: str) -> Page:
        return self._send("GET", path)

    def post(self, path: str, values) -> Page:
        body = urlencode(list(values.items()) if isinstance(values, dict) else values).encode()
        return self._send("POST", path, body, "application/x-www-form-urlencoded")

    def post_file(self, path: str, values, field: str, filename: str, content: bytes) -> Page:
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in values:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            "Content-Type: text/csv\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self._send("POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}")

    def sign_in(self, username: str, password: str) -> None:
        page = self.get("/login")
        (form,) = [f for f in page.forms() if any(e.get("name") == "password" for e in f.iter("input"))]
        values = dict(form_values(form))
        values.update(username=username, password=password)
        done = self.post("/login", values)
        assert done.status == 302, (username, done.status)
