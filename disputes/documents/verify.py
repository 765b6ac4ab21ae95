"""Verification codes and the QR that points at the public verification page.

A code is 10 random Crockford base32 characters (50 bits): short enough to type
from paper, too many to guess; it identifies one version of one document.
"""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes.i18n import N_, DomainError
from disputes.models import IssuedDocument

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
DEFAULT_BASE_URL = "http://127.0.0.1:5000"
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str | None) -> str:
    """What a person typed, as a code: case, spaces and hyphens ignored; O read as 0, I and L as 1."""
    cleaned = "".join((text or "").split()).replace("-", "").upper().translate(_READ_AS)
    return cleaned if len(cleaned) == CODE_LENGTH and all(c in ALPHABET for c in cleaned) else ""


def _config() -> dict:
    try:
        from flask import current_app

        return current_app.config
    except RuntimeError:  # no application context: a script
        return {}


def base_url() -> str:
    return (_config().get("PUBLIC_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")


def _loopback(url: str) -> bool:
    import ipaddress
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def base_url_problem(config=None) -> str | None:
    """Why documents may not be issued with the configured verification address, or None.

    Where issuing needs a public address (production), an unset PUBLIC_BASE_URL or one on this very
    computer would print a QR and an address no recipient can open."""
    config = _config() if config is None else config
    if not config.get("REQUIRE_PUBLIC_BASE_URL"):
        return None
    url = (config.get("PUBLIC_BASE_URL") or "").strip()
    if not url:
        return N_(
            "PUBLIC_BASE_URL is not set: documents would print a verification address that no one can open. "
            "Set it to this system's public address (e.g. https://tiaoyuan.example.gov.cn) before issuing."
        )
    if _loopback(url):
        return N_(
            "PUBLIC_BASE_URL (%(url)s) points to this computer: documents would print a verification address "
            "that no one can open. Set it to this system's public address before issuing."
        )
    return None


def check_base_url() -> None:
    """Refuse to issue when the verification address would be unusable (see `base_url_problem`)."""
    problem = base_url_problem()
    if problem:
        raise DomainError(problem, url=base_url())


def verify_url(code: str) -> str:
    return f"{base_url()}/verify/{code}"


def qr_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(border=0, scale=4)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def by_code(session: Session, code: str) -> IssuedDocument | None:
    code = normalise_code(code)
    if not code:
        return None
    return session.scalar(sa.select(IssuedDocument).where(IssuedDocument.code == code))


def matches(doc: IssuedDocument, data: bytes) -> bool:
    """Whether `data` is byte for byte the PDF that was issued (compared by SHA-256 and size)."""
    return len(data) == doc.size and secrets.compare_digest(sha256(data), doc.sha256)


def latest_version(session: Session, doc: IssuedDocument) -> int:
    return (
        session.scalar(
            sa.select(sa.func.max(IssuedDocument.version)).where(
                IssuedDocument.case_id.is_(None) if doc.case_id is None else IssuedDocument.case_id == doc.case_id,
                IssuedDocument.kind == doc.kind,
                IssuedDocument.subject_key == doc.subject_key,
                IssuedDocument.unit_id == doc.unit_id,
            )
        )
        or doc.version
    )
