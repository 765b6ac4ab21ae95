"""Browser tests: the app served on a free port (werkzeug in a thread, the test database with the demo centre),
driven by Playwright in Debian's Chromium. Playwright's own browser download is not reachable from the deployment's
network, so the tests use `/usr/bin/chromium` (`make test` installs it); where it is absent they are skipped with the
reason printed (`-rs`), except under `REQUIRE_BROWSER=1` (`.ci/run`), where a missing browser fails them: CI must
never pass on browser tests that did not run."""

import os
import shutil
import threading

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from disputes.demo.loader import DEMO_PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}


def _browser_missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install -r requirements.txt)"
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium; `make test` does it)"
    return None


@pytest.fixture(scope="session")
def browser():
    missing = _browser_missing()
    if missing and os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required (REQUIRE_BROWSER=1) but cannot run: {missing}")
    if missing:
        pytest.skip(f"browser tests skipped: {missing}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


class QuietHandler(WSGIRequestHandler):
    def log_request(self, code="-", size="-"):  # a line per request would bury a failure's own output
        pass


@pytest.fixture(scope="session")
def live_server(app, browser):
    """The app on 127.0.0.1 and a free port, for the whole session; each test puts its own data in first."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


class Screen:
    """One signed-in browser tab at a size, in a language, that records what goes wrong on its pages (console
    errors such as a content-security-policy refusal, failed requests, server errors)."""

    def __init__(self, browser, base: str, viewport: dict, locale: str):
        self.base, self.locale = base, locale
        self.context = browser.new_context(
            viewport=viewport,
            device_scale_factor=1,
            is_mobile=viewport["width"] < 500,
            has_touch=viewport["width"] < 500,
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.problems.append(f"script: {e}"))
        self.page.on("response", self._response)

    def _console(self, message) -> None:
        # A refused form comes back as 400, which Chromium logs as a failed load; responses are checked below.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console: {message.text}")

    def _response(self, response) -> None:
        missing_part = response.status >= 400 and response.request.resource_type in ("stylesheet", "script", "image")
        if (response.status >= 500 or missing_part) and not response.url.endswith("/favicon.ico"):
            self.problems.append(f"{response.status} {response.url}")

    def sign_in(self, username: str) -> "Screen":
        self.go("/login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", DEMO_PASSWORD)
        self.page.locator("main form button").first.click()
        self.page.wait_for_load_state()
        assert "/login" not in self.page.url, f"{username} could not sign in"
        if self.locale == "en":  # as a person would: from the menu (folded on a phone)
            if self.page.locator("label.nav-button").is_visible():
                self.page.click("label.nav-button")
            self.page.click("button[name=locale][value=en]")
            self.page.wait_for_load_state()
            assert self.page.locator("html").get_attribute("lang") == "en"
        return self

    def go(self, path: str):
        response = self.page.goto(self.base + path)
        assert response is not None and response.status < 400, f"{path}: {response and response.status}"
        return response

    def overflow(self) -> dict | None:
        """None when the page does not scroll sideways; else its width and the elements that stick out. Measured
        once the page has loaded: right after a click that submits a form, the next document may not be there yet."""
        self.page.wait_for_load_state()
        return self.page.evaluate("""() => {
            const width = document.documentElement.scrollWidth, inner = window.innerWidth;
            if (width <= inner) return null;
            const out = [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > inner + 1)
                .slice(0, 5)
                .map(e => `${e.tagName.toLowerCase()}.${e.className} → ${Math.round(e.getBoundingClientRect().right)}`);
            return {scrollWidth: width, innerWidth: inner, wide: out};
        }""")

    def assert_fits(self, path: str | None = None):
        """`document.documentElement.scrollWidth <= window.innerWidth` on the page (opened first when given)."""
        if path:
            self.go(path)
        assert self.overflow() is None, f"{self.page.url} scrolls sideways: {self.overflow()}"

    def close(self):
        self.context.close()


@pytest.fixture
def screen(browser, live_server, demo_database):
    """`screen(username, viewport=PHONE, locale="zh")`: a signed-in tab on the demo centre."""
    opened: list[Screen] = []

    def open_screen(username: str, viewport: dict = PHONE, locale: str = "zh") -> Screen:
        tab = Screen(browser, live_server, viewport, locale).sign_in(username)
        opened.append(tab)
        return tab

    yield open_screen
    for tab in opened:
        tab.close()
