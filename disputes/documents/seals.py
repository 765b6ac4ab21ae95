"""Units' e-seal images: validated PNGs, printed as `data:` URLs (WeasyPrint fetches nothing else)."""

from __future__ import annotations

import base64
import io
import struct

from sqlalchemy.orm import Session

from disputes import clock, storage
from disputes.i18n import N_, DomainError
from disputes.models import Unit, UnitSeal, User

MAX_BYTES = 512 * 1024
MAX_SIDE = 2000
MIN_SIDE = 100


# Pillow refuses to decode more pixels than this (DecompressionBombError above twice as many); set before any image
# is opened here or rendered by WeasyPrint (Pillow is imported on first use only). A seal has at most MAX_SIDE².
MAX_IMAGE_PIXELS = 2 * MAX_SIDE * MAX_SIDE
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def limit_image_pixels() -> None:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS


def png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height as the PNG's header (IHDR, the first chunk) declares them, read before any decoding."""
    if len(data) < 24 or not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _check_size(width: int, height: int) -> None:
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise DomainError(
            N_("The seal must be between %(low)d and %(high)d pixels on each side."),
            field="image",
            low=MIN_SIDE,
            high=MAX_SIDE,
        )


def validate_png(data: bytes, max_bytes: int = MAX_BYTES) -> tuple[int, int]:
    """A seal is a real PNG of sensible size; returns its width and height. The size declared in the header is
    checked first, so a small file declaring 20000 × 20000 pixels is never handed to the decoder."""
    from PIL import Image, UnidentifiedImageError

    limit_image_pixels()
    if not data:
        raise DomainError(N_("Choose a PNG file."), field="image")
    if len(data) > max_bytes:
        raise DomainError(N_("The image is larger than %(kb)d KB."), field="image", kb=max_bytes // 1024)
    declared = png_size(data)
    if declared is None:
        raise DomainError(N_("The seal must be a PNG image."), field="image")
    _check_size(*declared)
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                raise DomainError(N_("The seal must be a PNG image."), field="image")
            image.verify()
            width, height = image.size
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as error:
        raise DomainError(N_("The seal must be a PNG image."), field="image") from error
    _check_size(width, height)
    return width, height


def set_seal(session: Session, unit: Unit, data: bytes, actor: User, max_bytes: int = MAX_BYTES) -> UnitSeal:
    validate_png(data, max_bytes)
    digest, held = storage.keep(session, data)  # the row keeps the bytes only with the `db` store
    seal = session.get(UnitSeal, unit.id)
    if seal is None:
        seal = UnitSeal(unit_id=unit.id, png=held, sha256=digest)
        session.add(seal)
    seal.png, seal.sha256 = held, digest
    seal.uploaded_by_id, seal.uploaded_at = actor.id, clock.now_utc()
    session.flush()
    return seal


def remove_seal(session: Session, unit: Unit) -> None:
    seal = session.get(UnitSeal, unit.id)
    if seal is not None:
        session.delete(seal)
        session.flush()


def seal_png(session: Session, seal: UnitSeal) -> bytes:
    """The seal's image, from its row or the document store."""
    return storage.load(session, seal.sha256, seal.png, f"seal of unit {seal.unit_id}")


def seal_uri(session: Session, unit: Unit) -> str | None:
    """The unit's own seal (a seal names one organ, so a parent's never stands in), or None."""
    seal = session.get(UnitSeal, unit.id)
    if seal is None:
        return None
    return "data:image/png;base64," + base64.b64encode(seal_png(session, seal)).decode("ascii")
