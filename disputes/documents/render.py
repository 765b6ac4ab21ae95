"""HTML from the document templates, PDF from WeasyPrint.

The Jinja environment is built here (not Flask's), one per language, with the
application's catalogues, so a document renders the same from a view, the CLI
or a background job. WeasyPrint may read only the package's own static files
and `data:` URLs: a template or a user's text can never make it fetch anything else.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from babel.support import Translations

from disputes.documents import formatting
from disputes.documents.context import NOT_RECORDED
from disputes.ops import telemetry

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "disputes" / "static"
TRANSLATIONS = ROOT / "disputes" / "translations"
DOCUMENT_ASSETS = TEMPLATES / "documents"
LANGUAGES = ("zh_CN", "en")


def normalise_language(lang: str | None) -> str:
    return "en" if (lang or "").startswith("en") else "zh_CN"


def translations_directory() -> str:
    """The app's catalogues (BABEL_TRANSLATION_DIRECTORIES) inside an app, else the package's own."""
    try:
        from flask import current_app

        return current_app.config.get("BABEL_TRANSLATION_DIRECTORIES", "").split(";")[0] or str(TRANSLATIONS)
    except RuntimeError:
        return str(TRANSLATIONS)


def environment(lang: str, directory: str | None = None) -> jinja2.Environment:
    return _environment(normalise_language(lang), directory or translations_directory())


@functools.cache
def _environment(lang: str, directory: str) -> jinja2.Environment:
    from babel import Locale

    if not Path(directory).is_absolute():
        directory = str(ROOT / "disputes" / directory)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Locale objects, not "zh_CN": the catalogue lives under zh_Hans_CN, as Flask-Babel looks it up.
    catalogue = Translations.load(directory, [Locale.parse(lang)], domain="messages")
    env.install_gettext_translations(catalogue, newstyle=True)
    env.filters["date"] = lambda value: formatting.format_date(value, lang)
    env.filters["datetime"] = lambda value: formatting.format_datetime(value, lang)
    env.filters["money"] = formatting.format_money
    env.filters["money_in_capitals"] = formatting.money_in_capitals
    env.filters["clause"] = formatting.clause
    env.filters["person"] = lambda value: catalogue.gettext(value) if value == NOT_RECORDED else value
    env.globals["lang"] = lang
    env.globals["chinese"] = formatting.is_chinese(lang)
    return env


def render_html(template_name: str, context: dict[str, Any], lang: str) -> str:
    return environment(lang).get_template(template_name).render(**context)


class LocalOnlyFetcher:
    """Serves `file:` URLs under the allowed folders and `data:` URLs; refuses everything else."""

    allowed_roots = (STATIC.resolve(), DOCUMENT_ASSETS.resolve())

    def __new__(cls):
        from urllib.parse import unquote, urlparse

        from weasyprint.urls import URLFetcher

        roots = cls.allowed_roots

        class Fetcher(URLFetcher):
            def fetch(self, url, headers=None):
                if url.startswith("data:"):
                    return super().fetch(url, headers)
                parsed = urlparse(url)
                if parsed.scheme == "file":
                    path = Path(unquote(parsed.path)).resolve()
                    if any(path.is_relative_to(root) for root in roots) and path.is_file():
                        return super().fetch(url, headers)
                raise ValueError(f"documents may not load {url}")

        return Fetcher(allowed_protocols=("file", "data"), allow_redirects=False)


@dataclass(frozen=True)
class Pdf:
    data: bytes
    page_count: int


# GB/T 9704 §7.5: the page number's margin box on a right (odd) page; a one-page document has only that page.
FIRST_PAGE_NUMBER_BOX = "@bottom-right"


@telemetry.timed(telemetry.PDF_RENDER)
def render_pdf(html: str) -> Pdf:
    """Lay out once; a one-page document loses its page-number footer (GB/T 9704 numbers only
    multi-page documents; margin boxes never change the flow, so dropping them is exact)."""
    from weasyprint import HTML

    from disputes.documents import fonts, seals

    fonts.install()
    seals.limit_image_pixels()  # whatever image a document holds, Pillow decodes no bomb
    document = HTML(string=html, base_url=DOCUMENT_ASSETS.as_uri() + "/", url_fetcher=LocalOnlyFetcher()).render()
    if len(document.pages) == 1:
        page_box = document.pages[0]._page_box
        page_box.children = [child for child in page_box.children if not _is_page_number(child)]
    return Pdf(document.write_pdf(finisher=fonts.finish), len(document.pages))


def _is_page_number(box) -> bool:
    return getattr(box, "at_keyword", None) == FIRST_PAGE_NUMBER_BOX


def html_to_pdf(html: str) -> bytes:
    return render_pdf(html).data
