"""Browser tests: the app served on 127.0.0.1 by a werkzeug thread, with its own SQLite
database holding the courses and the demo data, driven by Debian's Chromium through
Playwright. One server and one browser serve the whole suite; each test gets a fresh
browser context (its own cookies) at the size it asks for.

`make test` leaves this folder out, and says so, when /usr/bin/chromium is missing."""

import logging
import threading
from pathlib import Path

import flask_migrate
import pytest
from werkzeug.serving import make_server

from lms import create_app
from lms.extensions import db
from tests.browser.pages import AXE_CHECKED, AXE_SOURCE, SIZES

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(autouse=True)
def clean_database():
    """The browser server keeps its own database for the whole run: no per-test cleaning
    (this replaces the suite-wide fixture of the same name)."""
    return


@pytest.fixture(scope="session")
def base_url(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.fail(f"Browser tests need {CHROMIUM}: install Debian's chromium "
                    "(apt-get install chromium); `make test` leaves them out without it.",
                    pytrace=False)
    database = tmp_path_factory.mktemp("browser") / "browser.db"
    app = create_app({"ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                      # A real browser posts real forms: CSRF protection stays on.
                      "WTF_CSRF_ENABLED": True})
    with app.app_context():
        flask_migrate.upgrade()
        db.session.remove()
    runner = app.test_cli_runner()
    for command in (["courses", "load"], ["demo", "load"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 0, result.output
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser(base_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser, base_url):
    """open_page("phone") -> a page in a fresh context (no cookies) of that size."""
    contexts = []

    def open_(size="desktop"):
        context = browser.new_context(viewport=SIZES[size], base_url=base_url)
        context.set_default_timeout(10_000)
        # Injected by the browser itself, so the site's Content-Security-Policy (no inline
        # scripts) needs no exception for the checker.
        context.add_init_script(path=str(AXE_SOURCE))
        contexts.append(context)
        page = context.new_page()
        page.size_name = size
        # A script or style the Content-Security-Policy blocks, a resource that fails or a
        # script error shows as a console error: each page's check fails on any.
        page.console_errors = []
        page.on("console", lambda message: _console_error(page, message))
        page.on("pageerror", lambda error: page.console_errors.append(str(error)))
        return page

    yield open_
    for context in contexts:
        context.close()


def _console_error(page, message):
    if message.type != "error":
        return
    # A form shown again with its errors answers 400 or 422 on purpose; Chromium logs the
    # page's own status as an error. Any other resource failing still counts.
    if (message.text.startswith("Failed to load resource: the server responded with a "
                                "status of 4")
            and message.location.get("url") == page.url):
        return
    page.console_errors.append(message.text)


def pytest_terminal_summary(terminalreporter):
    if AXE_CHECKED:
        distinct = len({url.split("?")[0] for url, _ in AXE_CHECKED})
        terminalreporter.write_line(
            f"Browser tests: axe-core checked {len(AXE_CHECKED)} page views "
            f"({distinct} distinct addresses) against WCAG 2.2 A/AA.")
