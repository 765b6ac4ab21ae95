"""Reading rendered pages in tests: parse HTML, find flashes and field errors, translate messages."""

import tinyhtml5
from flask_babel import force_locale, gettext


def t(app, message, locale="zh_CN", **params) -> str:
    """`message` as the app shows it in `locale` (whatever the catalogues say)."""
    with app.test_request_context(), force_locale(locale):
        return gettext(message, **params)


def parse(response):
    return tinyhtml5.parse(response.get_data(as_text=True), namespace_html_elements=False)


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def classes(element) -> list[str]:
    return (element.get("class") or "").split()


def flashes(response) -> list[str]:
    return [text(e) for e in parse(response).iter("div") if "flash" in classes(e)]


def field_errors(response, name: str) -> list[str]:
    """The error messages shown in the same form field (div.field, or a table cell of a form's rows) as the input
    called `name`."""
    found = None
    for container in parse(response).iter():
        if container.tag not in ("div", "td"):
            continue
        if (container.tag == "td" or "field" in classes(container)) and any(
            e.get("name") == name for e in container.iter()
        ):
            found = container
    assert found is not None, f"no field {name} on the page"
    return [text(e) for e in found.iter("small") if "error" in classes(e)]


def step_hidden(page) -> dict:
    """What a step form carries besides its fields: the case version it was opened on and its one-time token."""
    return {
        e.get("name"): e.get("value") or ""
        for e in parse(page).iter("input")
        if e.get("name") in ("version", "submission")
    }
