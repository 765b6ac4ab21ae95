"""The key that signs sessions and forms when SECRET_KEY is not set (development): random, made on first run for
this installation, kept in `instance/secret_key` (mode 0600; `instance/` is git-ignored). A key written in the
repository would let anyone sign a session cookie as any user.
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)
FILE_NAME = "secret_key"
MIN_LENGTH = 32


def load_or_create(directory: str | Path) -> str:
    """The installation's key, made on first use. Several processes starting at once (gunicorn workers) all end
    up with the one that reached the disk first."""
    path = Path(directory) / FILE_NAME
    if not path.exists():
        _create(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("%s was readable by others (mode %o): now 0600", path, mode)
        os.chmod(path, 0o600)
    key = path.read_text(encoding="ascii").strip()
    if len(key) < MIN_LENGTH:
        raise RuntimeError(
            f"{path} holds no usable key (under {MIN_LENGTH} characters): delete it to make a new one, "
            "or set SECRET_KEY."
        )
    return key


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{FILE_NAME}.")  # created with mode 0600
    try:
        with os.fdopen(handle, "w", encoding="ascii") as out:
            out.write(secrets.token_hex(32) + "\n")
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temporary, path)  # atomic, and refuses to replace a key another process has just written
        except FileExistsError:
            pass
        else:
            log.info("made a new secret key in %s", path)
    finally:
        os.unlink(temporary)
