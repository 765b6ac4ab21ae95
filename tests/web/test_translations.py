"""The message catalogues: complete, in step with the code, compilable, and used by the app.

Flask-Babel looks catalogues up by the *normalised* locale: `zh_CN` (the users' setting and
BABEL_DEFAULT_LOCALE) becomes `zh_Hans_CN`, so the Chinese catalogue lives in
disputes/translations/zh_Hans_CN/ — a `zh_CN/` directory would silently never be read.
"""

import re
import subprocess
import sys
import tempfile
from io import BytesIO
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "disputes" / "translations"
CATALOGUES = ("zh_Hans_CN", "en")  # directory names under disputes/translations
CHINESE = "zh_Hans_CN"
PERCENT_PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdif]")
BRACE_PLACEHOLDER = re.compile(r"\{\w*(?::[^{}]*)?\}")
CJK = re.compile(r"[\u3400-\u9fff]")


def po_path(catalogue: str) -> Path:
    return TRANSLATIONS / catalogue / "LC_MESSAGES" / "messages.po"


def load(catalogue: str):
    with po_path(catalogue).open("rb") as f:
        return read_po(f, locale=catalogue)


def strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]


def ids(message) -> list[str]:
    return list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]


def placeholders(text: str) -> tuple:
    """Named %-placeholders, {brace} fields, stray % signs and markup characters, to compare msgid with msgstr.

    Jinja's new-style gettext applies `%` to every template message and does not escape the translation,
    so a translation must neither add a bare % nor add HTML.
    """
    stray = PERCENT_PLACEHOLDER.sub("", text).replace("%%", "").count("%")
    markup = sum(text.count(c) for c in "<>&")
    return sorted(PERCENT_PLACEHOLDER.findall(text)), sorted(BRACE_PLACEHOLDER.findall(text)), stray, markup


@pytest.fixture(scope="module")
def extracted():
    """The messages the code and templates mark now, extracted as `make translations-update` does."""
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "babel.messages.frontend",
                "-q",
                "extract",
                "-F",
                str(TRANSLATIONS / "babel.cfg"),
                "-k",
                "_l",
                "-k",
                "N_",
                "-k",
                "lazy_gettext",
                "-o",
                str(pot),
                ".",
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        with pot.open("rb") as f:
            return read_po(f)


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_catalogue_is_complete(catalogue):
    catalog = load(catalogue)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if not all(s.strip() for s in strings(message)):
            problems.append(f"untranslated: {message.id!r}")
            continue
        wanted = placeholders(ids(message)[0])
        for text in strings(message):
            if placeholders(text) != wanted:
                problems.append(f"placeholders differ: {message.id!r} -> {text!r}")
    problems += [f"{message.id!r}: {', '.join(map(str, errors))}" for message, errors in catalog.check()]
    assert not problems, "\n".join(problems)
    assert len([m for m in catalog if m.id]) > 100


# A message of placeholders and punctuation only (e.g. "%(route)s: %(unit)s") has no words to translate: its
# Chinese is the full-width punctuation (issue 16), checked below.
PUNCTUATION_ONLY = re.compile(r"^(%\([a-z_]+\)[sd]|[\s:;,()])+$")
FULL_WIDTH = re.compile(r"[：；，（）]")


def test_chinese_catalogue_is_in_chinese():
    catalogue = [m for m in load(CHINESE) if m.id]
    left_in_english = [
        m.id for m in catalogue if not PUNCTUATION_ONLY.match(ids(m)[0]) and not all(CJK.search(s) for s in strings(m))
    ]
    assert not left_in_english, left_in_english
    half_width = [m.id for m in catalogue if PUNCTUATION_ONLY.match(ids(m)[0]) and not FULL_WIDTH.search(m.string)]
    assert not half_width, half_width


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_catalogue_is_up_to_date_with_the_code(extracted, catalogue):
    catalog = load(catalogue)
    missing = [m.id for m in extracted if m.id and m.id not in catalog]
    assert len([m for m in extracted if m.id]) > 100, "extraction found (almost) nothing: check babel.cfg"
    assert not missing, f"run `make translations-update` and translate: {missing}"


def test_extraction_reads_only_the_project(extracted):
    files = {path for m in extracted for path, _line in m.locations}
    assert files, "no locations extracted"
    outside = sorted(f for f in files if not f.startswith(("disputes/", "templates/")))
    assert not outside, outside


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_catalogue_compiles(catalogue):
    buffer = BytesIO()
    write_mo(buffer, load(catalogue))
    buffer.seek(0)
    translations = Translations(fp=buffer)
    expected = {CHINESE: "案件", "en": "Cases"}[catalogue]
    assert translations.gettext("Cases") == expected


def test_every_language_has_a_catalogue_where_flask_babel_looks():
    from config import Config

    for language in Config.LANGUAGES:
        expected = po_path(str(Locale.parse(language)))
        assert expected.exists(), f"{language} is looked up as {expected.relative_to(ROOT)}"


@pytest.fixture(scope="module")
def compiled_app(tmp_path_factory):
    """An app reading catalogues compiled here, so the test does not depend on `make translations-compile`."""
    from disputes import create_app

    directory = tmp_path_factory.mktemp("translations")
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):  # the real layout, so a misnamed directory shows
        target = directory / po.relative_to(TRANSLATIONS).with_suffix(".mo")
        target.parent.mkdir(parents=True)
        with po.open("rb") as source, target.open("wb") as f:
            write_mo(f, read_po(source))
    return create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://", BABEL_TRANSLATION_DIRECTORIES=str(directory))


def test_pages_render_in_chinese_by_default(compiled_app):
    client = compiled_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    assert "劳动争议调援裁诉中心" in page
    assert "登录" in page and "用户名" in page and "密码" in page
    assert "Sign in" not in page
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert "页面不存在" in missing.get_data(as_text=True)


def test_pages_render_in_english_when_chosen(compiled_app):
    client = compiled_app.test_client()
    with client.session_transaction() as session:
        session["locale"] = "en"
    page = client.get("/login").get_data(as_text=True)
    assert "Labour Dispute Centre" in page and "Sign in" in page
    assert "登录" not in page


def test_every_document_title_has_a_chinese_translation():
    """A kind's title is printed on the document: one left out of extraction prints in English on a Chinese PDF."""
    from disputes.documents import catalogue

    chinese = load(CHINESE)
    untranslated = [
        k.title
        for k in catalogue.load_kinds().values()
        if k.title not in chinese or not CJK.search(strings(chinese[k.title])[0])
    ]
    assert not untranslated
