"""Evidence files from the public (no Flask): photos and PDFs only, recognised by their bytes (not by the name or
the browser's word), bounded in size, images re-encoded by Pillow (which drops metadata and anything hidden after
the picture), PDFs refused when they hold scripts, launch actions or embedded files. Kept outside the web root: in
the document store when one is configured (fs or s3: every app instance reads it, issue 19), else, with the
embedded default (`db`, one machine), under the instance folder by a random name."""

from __future__ import annotations

import hashlib
import io
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import Session

from disputes import storage
from disputes.i18n import N_, DomainError

PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|OpenAction|AA|RichMedia|XFA)\b")
MAX_PIXELS = 40_000_000
MAX_FILES = 8


@dataclass
class Stored:
    stored_name: str
    filename: str
    content_type: str
    size: int
    sha256: str

    def as_dict(self) -> dict:
        return vars(self).copy()


def kind_of(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def _reencode(data: bytes) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise DomainError(N_("The picture is too large."))
            image.load()
            clean = image.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise DomainError(N_("The picture cannot be read.")) from error
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85)
    return out.getvalue()


def accept(session: Session, folder: Path, filename: str, data: bytes, max_bytes: int) -> Stored:
    """Check and keep one file; DomainError saying why it is refused."""
    if not data:
        raise DomainError(N_("The file %(name)s is empty."), name=filename)
    if len(data) > max_bytes:
        raise DomainError(N_("The file %(name)s is larger than %(mb)s MB."), name=filename, mb=max_bytes // 2**20)
    kind = kind_of(data)
    if kind is None:
        raise DomainError(N_("The file %(name)s is neither a photo (JPEG, PNG) nor a PDF."), name=filename)
    if kind == "application/pdf":
        if PDF_ACTIVE.search(data):
            raise DomainError(N_("The PDF %(name)s holds scripts or embedded files and is refused."), name=filename)
        kept, suffix = data, ".pdf"
    else:
        kept, suffix, kind = _reencode(data), ".jpg", "image/jpeg"
    name = secrets.token_hex(16) + suffix
    sha256 = hashlib.sha256(kept).hexdigest()
    if storage.in_rows():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(kept)
    else:
        storage.current(session).put(sha256, kept)
    shown = Path(filename or "file").name[:200]
    return Stored(name, shown, kind, len(kept), sha256)


def read(session: Session, folder: Path, stored_name: str, sha256: str, what: str) -> bytes:
    """An upload's bytes, checked against its hash: from the instance folder where it was kept there, else from the
    configured store (StoreError naming `what` when it cannot be had)."""
    path = folder / stored_name
    held = path.read_bytes() if path.is_file() else None
    return storage.load(session, sha256, held, what)
