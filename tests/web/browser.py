"""What the browser journeys share (tests/web/test_browser*.py): Debian's chromium driven by
Playwright against the app served by a real HTTP server on a loopback port, and `Checked`,
which screenshots each page under test-artifacts/screenshots/ and runs axe-core on it (WCAG
2.1 A and AA, no violation allowed).

Without /usr/bin/chromium the journeys are skipped, except in CI (``CI=true``), where a missing
browser is a failure. A journey module imports the fixtures it uses from here.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from velferd.testing import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
              "resultTypes": ["violations"]}


@pytest.fixture
def chromium_path() -> str:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium to run the browser tests")
    return str(CHROMIUM)


@pytest.fixture
def served(app):
    """The app behind a real HTTP server on a free loopback port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def page(chromium_path, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=chromium_path, headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 900})
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


class Checked:
    """Each page seen: saved as a screenshot and checked by axe-core."""

    def __init__(self, page):
        from axe_playwright_python.sync_playwright import Axe

        self.page, self.axe, self.names = page, Axe(), []

    def __call__(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        results = self.axe.run(self.page, options=WCAG_21_AA)
        assert results.violations_count == 0, f"{name}: {results.generate_report()}"
        self.names.append(name)


def sign_in(page, served: str, email: str, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person does."""
    page.goto(f"{served}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("main button[type=submit]")
