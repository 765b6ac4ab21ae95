"""Verification codes and the QR that points at the public verification page.

A code is 10 random Crockford base32 characters (50 bits): short enough to type
from paper, too many to guess; it identifies one version of one document.
"""
from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session

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


def base_url() -> str:
    try:
        from flask import current_app

        return current_app.config.get("PUBLIC_BASE_URL", DEFAULT_BASE_URL).rstrip("/")
    except RuntimeError:  # no application context: a script
        return DEFAULT_BASE_URL


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
    return session.scalar(
        sa.select(sa.func.max(IssuedDocument.version)).where(
            IssuedDocument.case_id.is_(None) if doc.case_id is None else IssuedDocument.case_id == doc.case_id,
            IssuedDocument.kind == doc.kind,
            IssuedDocument.subject_key == doc.subject_key,
            IssuedDocument.unit_id == doc.unit_id,
        )
    ) or doc.version
