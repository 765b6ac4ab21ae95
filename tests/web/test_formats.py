"""The page's fast paths for labels, amounts and template translations give what Flask-Babel and Babel give."""

from decimal import Decimal

from babel.numbers import format_decimal
from flask import render_template_string
from flask_babel import force_locale, get_translations
from hypothesis import given
from hypothesis import strategies as st

from disputes.labels import _translate, label
from disputes.models import ClaimCategory, Role
from disputes.sla.states import TimerStatus
from disputes.web.formats import money
from disputes.workflow.states import CaseStage, CaseStatus

LANGUAGES = ("zh_CN", "en")
AMOUNTS = st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), allow_nan=False, places=2)


@given(amount=AMOUNTS)
def test_amounts_are_written_as_babel_writes_them(app, amount):
    with app.test_request_context("/"):
        for language in LANGUAGES:
            with force_locale(language):
                assert money(amount) == "¥" + format_decimal(amount, format="#,##0.00", locale=language)


def test_an_amount_in_a_language_with_other_separators_still_goes_through_babel(app):
    with app.test_request_context("/"), force_locale("de"):
        assert money(Decimal("12345.5")) == "¥12.345,50"


def test_labels_are_remembered_per_language_and_per_type(app):
    with app.test_request_context("/"):
        expected = (("zh_CN", "调解", "已结案"), ("en", "Mediation", "Closed"), ("zh_CN", "调解", "已结案"))
        for language, stage, status in expected:
            with force_locale(language):
                assert label(CaseStage.MEDIATION) == stage
                assert label(CaseStatus.CLOSED) == status
                assert label(CaseStatus.CLOSED) == _translate(CaseStatus.CLOSED)
        with force_locale("en"):
            # the same stored value under two enums keeps each enum's own label
            shared = {m.value for m in CaseStatus} & {m.value for m in TimerStatus}
            for value in shared:
                assert label(CaseStatus(value)) == _translate(CaseStatus(value))
                assert label(TimerStatus(value)) == _translate(TimerStatus(value))
            assert label(Role.CLERK) == "Clerk" and label(ClaimCategory.WAGES) == _translate(ClaimCategory.WAGES)
            assert label("no such label") == "no such label"
            assert label(["unhashable"]) == "['unhashable']"


TEMPLATE = (
    '{{ _("Cases") }}|{{ _("Page %(n)d of %(m)d", n=2, m=3) }}|{{ ngettext("%(num)s case", "%(num)s cases", 3) }}'
    '|{{ _("%(n)s & more", n="<b>") }}'
)


def test_templates_translate_as_flask_babel_does(app):
    with app.test_request_context("/"):
        for language in LANGUAGES:
            with force_locale(language):
                translations = get_translations()
                page = render_template_string(TEMPLATE)
                cases, paged, counted, escaped = page.split("|")
                assert cases == translations.ugettext("Cases")
                assert paged == translations.ugettext("Page %(n)d of %(m)d") % {"n": 2, "m": 3}
                assert counted == translations.ungettext("%(num)s case", "%(num)s cases", 3) % {"num": 3}
                assert "&lt;b&gt;" in escaped and "<b>" not in escaped
        with force_locale("zh_CN"):
            assert render_template_string('{{ _("Cases") }}') == "案件"
