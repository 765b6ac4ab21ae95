from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField

from disputes.fields import AppForm

MAX_UPLOAD_BYTES = 64 * 1024 * 1024


class UploadForm(AppForm):
    file = FileField(_l("Ledger file (CSV or XLSX)"), validators=[
        FileRequired(_l("Choose a file.")), FileAllowed(["csv", "xlsx"], _l("Only CSV or XLSX files."))])
    update = BooleanField(_l("Replace cases already registered (update)"))
    dry_run = BooleanField(_l("Check only (dry run): write nothing"))
