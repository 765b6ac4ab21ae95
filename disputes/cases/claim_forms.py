"""The claims page's form: a claim's dispute cause for the statistical forms and the amount actually recovered."""

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, SelectField
from wtforms.validators import Optional

from disputes.web.fields import AppForm, Money


class ClaimFactsForm(AppForm):
    dispute_cause = SelectField(_l("Dispute cause"), validate_choice=True)
    recovered_amount = DecimalField(_l("Amount recovered (yuan)"), places=2, validators=[Optional(), Money()])
