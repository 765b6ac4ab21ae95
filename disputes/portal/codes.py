"""One-time codes (no Flask): six digits, ten minutes, five tries, kept only as a keyed hash; at most one a minute
and five an hour to one address."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock
from disputes.i18n import N_, DomainError
from disputes.models import PortalCode

LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 5
GAP = timedelta(seconds=60)
PER_HOUR = 5


def _hash(key: str, contact: str, purpose: str, code: str) -> str:
    return hmac.new(key.encode(), f"{contact}|{purpose}|{code}".encode(), hashlib.sha256).hexdigest()


def issue(session: Session, key: str, contact: str, purpose: str) -> tuple[PortalCode, str]:
    """A new code for the address; refused when the address had one too recently or too often."""
    now = clock.now_utc()
    recent = list(
        session.scalars(
            sa.select(PortalCode.created_at).where(
                PortalCode.contact == contact, PortalCode.created_at > now - timedelta(hours=1)
            )
        )
    )
    if any(at > now - GAP for at in recent):
        raise DomainError(N_("A code was sent less than a minute ago. Please wait before asking again."))
    if len(recent) >= PER_HOUR:
        raise DomainError(N_("Too many codes were asked for this address. Please try again in an hour."))
    code = f"{secrets.randbelow(10**6):06d}"
    row = PortalCode(
        contact=contact,
        purpose=purpose,
        code_hash=_hash(key, contact, purpose, code),
        created_at=now,
        expires_at=now + LIFETIME,
    )
    session.add(row)
    session.flush()
    return row, code


def verify(session: Session, key: str, contact: str, purpose: str, code: str) -> bool:
    """True once for the newest live code of the address and purpose; every try counts, a used, expired or
    over-tried code never passes."""
    now = clock.now_utc()
    row = session.scalar(
        sa.select(PortalCode)
        .where(PortalCode.contact == contact, PortalCode.purpose == purpose, PortalCode.used_at.is_(None))
        .order_by(PortalCode.created_at.desc(), PortalCode.id.desc())
        .limit(1)
    )
    if row is None or row.expires_at <= now or row.attempts >= MAX_ATTEMPTS:
        return False
    row.attempts += 1
    ok = hmac.compare_digest(row.code_hash, _hash(key, contact, purpose, (code or "").strip()))
    if ok:
        row.used_at = now
    session.flush()
    return ok
