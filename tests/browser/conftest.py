"""Browser tests: Playwright driving the system Chromium, axe-core on every page.

Without a Chromium the tests skip with one loud line, unless REQUIRE_BROWSER=1, where
they fail: CI must never pass because the browser tests quietly did not run.
"""

import copy
import datetime
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ConsoleMessage, Error, Page, expect

# Playwright's sync API runs an event loop in the test thread; the ORM calls that tests
# and live_server make beside it are still plain synchronous calls. Subprocesses that
# tests start drop this again (tests/footcare/conftest.py: deployment_environ).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER", "") == "1"
MISSING_BROWSER = (
    f"BROWSER TESTS NOT RUN: no Chromium at {CHROMIUM_PATH}. "
    "Install it with `apt-get install -y chromium` (or set CHROMIUM_PATH)."
)
BROWSER_DIR = Path(__file__).parent


def chromium_available() -> bool:
    return os.access(CHROMIUM_PATH, os.X_OK)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    ran_browser_tests = any(
        BROWSER_DIR in Path(report.fspath).resolve().parents
        for reports in terminalreporter.stats.values()
        for report in reports
        if hasattr(report, "fspath")
    )
    if ran_browser_tests and not chromium_available():
        terminalreporter.write_sep("!", MISSING_BROWSER, red=True, bold=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not chromium_available():
        if REQUIRE_BROWSER:
            pytest.fail(MISSING_BROWSER + " REQUIRE_BROWSER=1 makes this a failure.")
        # The loud line itself is printed once, in the terminal summary.
        pytest.skip("no Chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM_PATH,
        # Playwright turns the back/forward cache off; runners' browsers have it on, and
        # with it off a test could not tell whether our headers keep a private page out of
        # it (Back after logout). One Chromium for the whole session, so it is set here.
        "ignore_default_args": ["--disable-back-forward-cache"],
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def expected_console_errors() -> list[str]:
    """Console errors a test causes on purpose (a request sent while offline): a test
    appends the text each begins with; every other console error still fails it."""
    return []


@pytest.fixture
def csp_violations() -> list[str]:
    """Every Content-Security-Policy violation on the test's page, as the page reports it."""
    return []


# Reported by the page itself: a violation is an event whether or not the console says so.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.URL}:${event.lineNumber} ${event.sample || ""}`);
});
"""


@pytest.fixture
def page(
    page: Page, expected_console_errors: list[str], csp_violations: list[str]
) -> Iterator[Page]:
    """The page in a fresh context of the session's one Chromium, failing the test on any
    console error (script errors) and any CSP violation, logged or not.

    A test that needs other context options says so with
    `@pytest.mark.browser_context_args(...)` (pytest-playwright's marker), and keeps these
    checks.
    """
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        # A page answering 404 or 403 logs its own status; tests assert those statuses
        # themselves. Any other resource failing to load is still a problem.
        if message.text.startswith("Failed to load resource") and (
            message.location.get("url") == page.url
        ):
            return
        if any(message.text.startswith(text) for text in expected_console_errors):
            return
        problems.append(f"console error on {page.url}: {message.text}")

    def on_page_error(error: Error) -> None:
        problems.append(f"uncaught exception on {page.url}: {error}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.expose_function("__cspViolation", lambda violation: csp_violations.append(violation))
    page.add_init_script(CSP_LISTENER)
    page.set_default_timeout(10_000)
    yield page
    problems.extend(f"CSP violation: {violation}" for violation in csp_violations)
    assert not problems, "\n".join(problems)


_axe = Axe()


@pytest.fixture
def assert_accessible() -> Callable[[Page], None]:
    """Run axe-core on the page as it stands, in light and in dark mode; fail on any violation."""

    def check(page: Page) -> None:
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            # Colours that ease from one scheme to the other (the admin's links) are read
            # once they have arrived, not half-way.
            page.evaluate(
                "Promise.all(document.getAnimations()"
                ".filter((a) => a instanceof CSSTransition)"
                ".map((a) => a.finished.catch(() => null)))"
            )
            results = _axe.run(page)
            assert results.violations_count == 0, (
                f"axe found violations on {page.url} ({scheme} mode):\n" + results.generate_report()
            )
        page.emulate_media(color_scheme="light")

    return check


def demo_runner_on(day: datetime.date, monkeypatch: pytest.MonkeyPatch):
    """The seeded library and the demo runner with its history up to `day`, which the pages
    take for today; the demo runner, for `log_in` with DEMO_EMAIL and DEMO_PASSWORD."""
    from exercises.content.file import read_library
    from exercises.content.seed import library_seed
    from routines.training.demo import demo_runner_seed

    monkeypatch.setattr("footcare.clock.today", lambda: day)
    library_seed(data=copy.deepcopy(read_library()))
    user, _ = demo_runner_seed(today=day)
    return user


def log_in(page: Page, base_url: str, email: str, password: str) -> None:
    """Through the login form, as a runner does, and wait until the site says so."""
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def settled(page: Page) -> None:
    """Until htmx has finished every request, swap and settle in flight."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
