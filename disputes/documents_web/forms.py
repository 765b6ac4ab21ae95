from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from disputes.web.fields import AppForm, VersionedForm


class IssueForm(VersionedForm):
    """Issue or reissue one document instance (the kind is in the URL). The official text is Chinese whatever
    the interface language; an English copy takes a number only when chosen here (absent: Chinese)."""

    key = HiddenField()
    lang = SelectField(
        _l("Language"),
        choices=[SelectChoice("zh_CN", _l("Chinese (official)")), SelectChoice("en", _l("English translation"))],
        default="zh_CN",
    )


class VerifyForm(AppForm):
    code = StringField(_l("Verification code"), validators=[DataRequired(), Length(max=20)])
    pdf = FileField(
        _l("PDF file (optional)"),
        description=_l("Upload the file you received to check that it is the issued document."),
    )


class UploadForm(AppForm):
    """Only a file: the code is in the URL."""

    pdf = FileField(_l("PDF file"), validators=[FileRequired()])


class SealForm(AppForm):
    image = FileField(
        _l("Seal image (PNG)"),
        validators=[FileRequired()],
        description=_l("A PNG with a transparent background, 100 to 2000 pixels on each side."),
    )


class PatternForm(AppForm):
    unit_id = SelectField(_l("Unit"), coerce=int, validators=[DataRequired()])
    family = SelectField(_l("Document family"), validators=[DataRequired()])
    pattern = StringField(
        _l("Number pattern"),
        validators=[Optional(), Length(max=80)],
        description=_l(
            "With {year} and {seq} (or {seq:05d}), optionally {code}; empty to use the parent's or the default."
        ),
    )
