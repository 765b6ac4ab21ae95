from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, ValidationError

from disputes.web.fields import AppForm

MAX_UPLOAD_BYTES = 64 * 1024 * 1024
SNIFF_BYTES = 64 * 1024


def content_matches_name(form, field) -> None:
    """The name is only a label: a folder in it is refused, and the content must be what the extension says (an
    XLSX is a zip; a CSV is text, without NUL bytes), so a renamed file is refused before it is stored."""
    storage = field.data
    name = getattr(storage, "filename", "") or ""
    if "/" in name or "\\" in name or any(ord(ch) < 32 for ch in name):
        raise ValidationError(_l("The file name must not contain a folder or control characters."))
    head = storage.stream.read(SNIFF_BYTES)
    storage.stream.seek(0)
    is_zip = head.startswith(b"PK\x03\x04")
    xlsx = name.lower().endswith(".xlsx")
    if xlsx != is_zip or (not xlsx and b"\0" in head):
        raise ValidationError(_l("The file's content is not what its name says: only CSV text or XLSX workbooks."))


class UploadForm(AppForm):
    file = FileField(
        _l("Ledger file (CSV or XLSX)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["csv", "xlsx"], _l("Only CSV or XLSX files.")),
            content_matches_name,
        ],
    )
    update = BooleanField(_l("Replace cases already registered (update)"))
    dry_run = BooleanField(_l("Check only (dry run): write nothing"))
