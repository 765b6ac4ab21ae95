from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp

from disputes.labels import LANGUAGE_CHOICES, choices
from disputes.models import Role, UnitKind
from disputes.web.fields import AppForm, CheckboxList


class UserForm(AppForm):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Length(max=64),
            Regexp(r"^[a-zA-Z0-9._-]+$", message=_l("Letters, digits, . _ - only.")),
        ],
    )
    display_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=80)])
    unit_id = SelectField(_l("Unit"), coerce=int, validators=[DataRequired()])
    roles = CheckboxList(_l("Roles"), choices=choices(Role), validators=[DataRequired(_l("Choose at least one role."))])
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    email = StringField(_l("E-mail"), validators=[Optional(), Email(), Length(max=120)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    password = PasswordField(
        _l("Initial password"),
        description=_l("Leave empty to generate one."),
        validators=[Optional(), Length(min=10, max=200)],
    )


class UserEditForm(UserForm):
    username = None
    password = None
    active = BooleanField(_l("Active"))


class PasswordResetForm(AppForm):
    password = PasswordField(
        _l("New password"), description=_l("Leave empty to generate one."), validators=[Optional(), Length(min=10)]
    )


class UnitForm(AppForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Length(max=32),
            Regexp(r"^[A-Za-z0-9_-]+$", message=_l("Letters, digits, _ - only.")),
        ],
    )
    name = StringField(_l("Unit name"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=160)])
    kind = SelectField(_l("Kind"), choices=choices(UnitKind))
    parent_id = SelectField(_l("Parent unit"), coerce=int)
    region_code = StringField(
        _l("Region code"),
        description=_l("Six digits (GB/T 2260): a district, city (…00) or province (…0000)."),
        validators=[Optional(), Regexp(r"^[0-9]{6}$", message=_l("Six digits, for example 440307."))],
    )
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    registry_pattern = StringField(
        _l("Registry number format"),
        description=_l(
            "For example 深龙调援〔{year}〕{seq}号 (GB/T 9704: no 第, no zero padding); "
            "empty: inherit from the parent unit."
        ),
        validators=[Optional(), Length(max=120)],
    )
    active = BooleanField(_l("Active"), default=True)


class UnitEditForm(UnitForm):
    code = None
    # Arbitration commissions only (the view removes it elsewhere): Rules Art 45.
    heads = CheckboxList(
        _l("Heads of the commission"),
        coerce=int,
        description=_l(
            "The commission's director and the heads of its arbitration institute they delegated: only "
            "they approve or reject extensions (Rules Art 45). Supervisors of the commission or of a "
            "unit above it."
        ),
    )
    # Arbitration commissions only (the view removes it elsewhere): issue 18.
    hearings_per_arbitrator_day = IntegerField(
        _l("Hearings an arbitrator sits in a day, at most"),
        description=_l("Scheduling beyond it is refused. Empty: no limit."),
        validators=[Optional(), NumberRange(min=1, max=20)],
    )
