"""Rendering safety and layout: only local files and data: URLs, escaped user text, page numbers, size."""

import re
import subprocess

import pytest

from disputes.documents import compose, render
from disputes.documents import issue as issuing
from disputes.models import Party, Role
from disputes.workflow.states import ArbitrationState
from tests.documents_fixtures import accepted_case
from tests.drive import Driver

EVIL = '<img src="http://example.invalid/track.png"><img src="file:///etc/passwd">'


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize(
    "url",
    [
        "http://example.invalid/x.png",
        "https://example.invalid/",
        "file:///etc/passwd",
        f"file://{render.ROOT}/config.py",
        "ftp://example.invalid/x",
    ],
)
def test_fetcher_refuses_anything_outside_the_assets(url):
    with pytest.raises(ValueError):
        render.LocalOnlyFetcher().fetch(url)


def test_fetcher_serves_the_style_sheet_and_data_urls():
    fetcher = render.LocalOnlyFetcher()
    css = fetcher.fetch((render.DOCUMENT_ASSETS / "document.css").as_uri())
    assert b"GB/T 9704" in (css.read() if hasattr(css, "read") else css["string"])
    assert fetcher.fetch("data:text/plain,hello") is not None


def test_rendering_a_page_with_external_images_fetches_nothing(monkeypatch):
    from weasyprint.urls import URLFetcher

    seen = []
    original = URLFetcher.fetch

    def spy(self, url, headers=None):
        seen.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(URLFetcher, "fetch", spy)
    pdf = render.render_pdf(f"<p>x</p>{EVIL}<link rel=stylesheet href='http://example.invalid/a.css'>")
    assert pdf.data.startswith(b"%PDF")
    assert not [url for url in seen if url.startswith(("http", "file:///etc"))]


def test_user_text_is_escaped(db, org, make_case, tmp_path):
    case = accepted_case(db, org, make_case)
    worker = next(p for p in case.parties if p.name == "张三")
    worker.name = "张三" + EVIL
    db.session.commit()
    html = compose.preview_html(db.session, case, "arb_acceptance")
    assert '<img src="http' not in html and "&lt;img src=&#34;http://example.invalid" in html
    doc = issuing.issue(db.session, case, "arb_acceptance", "", org.user(Role.CLERK))
    assert "example.invalid" in _text(doc.pdf, tmp_path)  # printed as text, not loaded


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_both_languages_render_one_small_page_without_page_number(db, org, make_case, tmp_path, lang):
    case = make_case(org.centre)
    Driver(db.session, org, case).arbitration(ArbitrationState.REFUSED)
    db.session.commit()
    doc = issuing.issue(db.session, case, "arb_refusal", "", org.user(Role.CLERK), lang=lang)
    assert doc.page_count == 1 and doc.size < 150 * 1024
    content = _text(doc.pdf, tmp_path)
    assert org.arbitration.name in content and doc.code in content and not re.search(r"—\s*1\s*—", content)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "doc.pdf")], capture_output=True, text=True, check=True).stdout
    assert "Noto" in fonts and all(row.split()[-5] == "yes" for row in fonts.splitlines()[2:])


def test_multi_page_documents_are_numbered(db, org, make_case, tmp_path):
    case = accepted_case(db, org, make_case)
    for i in range(25):
        db.session.add(
            Party(
                case=case,
                side=case.respondents[0].side,
                kind=case.respondents[0].kind,
                name=f"深圳市第{i}号电子科技有限公司",
            )
        )
    db.session.commit()
    db.session.refresh(case)
    pdf = render.render_pdf(compose.preview_html(db.session, case, "arb_acceptance") + "<p>" + "文字" * 3000 + "</p>")
    assert pdf.page_count > 1
    content = _text(pdf.data, tmp_path)
    assert re.search(r"—\s*1\s*—", content) and re.search(r"—\s*2\s*—", content)


def test_documents_read_the_chinese_catalogue_where_flask_babel_does(tmp_path):
    """The zh_CN catalogue lives under zh_Hans_CN; a plain "zh_CN" lookup would silently print English."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in render.TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        target = tmp_path / po.relative_to(render.TRANSLATIONS).with_suffix(".mo")
        target.parent.mkdir(parents=True)
        with po.open("rb") as source, target.open("wb") as out:
            write_mo(out, read_po(source))
    assert render.environment("zh_CN", str(tmp_path)).from_string("{{ _('Sign out') }}").render() == "退出登录"
    assert render.environment("en", str(tmp_path)).from_string("{{ _('Sign out') }}").render() == "Sign out"


def test_start_up_warns_without_harfbuzz_subsetting(monkeypatch, caplog):
    from disputes.documents import fonts

    monkeypatch.setattr(fonts, "harfbuzz_subset_available", lambda: False)
    with caplog.at_level("WARNING", logger="disputes.documents.fonts"):
        fonts.warn_if_unavailable()
    assert "libharfbuzz-subset0" in caplog.text
    caplog.clear()
    monkeypatch.undo()
    fonts.warn_if_unavailable()
    assert fonts.harfbuzz_subset_available() and not caplog.text


def _foot_words(pdf: bytes, tmp_path) -> list[list[tuple[float, float, str]]]:
    """Per page, the words below the text block (pdftotext -bbox), as (xMin, xMax, text)."""
    path = tmp_path / "numbered.pdf"
    path.write_bytes(pdf)
    xhtml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", xhtml, re.DOTALL):
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', page)
        pages.append([(float(x0), float(x1), w) for x0, y0, x1, w in words if float(y0) > 842 - 35 * 72 / 25.4])
    return pages


def test_page_numbers_sit_right_on_odd_pages_and_left_on_even_ones_one_character_in(db, org, make_case, tmp_path):
    """GB/T 9704-2012 §7.5: 单页码居右空一字，双页码居左空一字 — measured from the text block (28 mm from the left edge,
    26 mm from the right), one character of the 14 pt number."""
    case = accepted_case(db, org, make_case)
    html = compose.preview_html(db.session, case, "arb_acceptance")
    pdf = render.render_pdf(html.replace("</body>", "<p>" + "文字" * 2200 + "</p></body>"))
    assert pdf.page_count >= 3
    left, right, one = 28 * 72 / 25.4, 595.28 - 26 * 72 / 25.4, 14
    for n, words in enumerate(_foot_words(pdf.data, tmp_path), start=1):
        number = [(x0, x1) for x0, x1, w in words if w.strip("—") in ("", str(n)) and w]
        assert number, f"page {n} has no number"
        start, end = min(x0 for x0, _ in number), max(x1 for _, x1 in number)
        if n % 2:
            assert abs(right - end - one) < 3 and start > 595.28 / 2, (n, start, end)
        else:
            assert abs(start - left - one) < 3 and end < 595.28 / 2, (n, start, end)
