"""The browser test harness: a real demo server, Debian's Chromium driven by Playwright, and
a signed-in page for any demo user.

- ``demo_server`` (session): builds a demo database in a temporary ``JOINEDUP_DATA_DIR`` with
  the real command line (``joinedup demo --families 50``), starts ``joinedup serve --demo``
  on a free loopback port, waits for ``/health`` and yields a :class:`DemoServer`; stopped
  at the end of the session.
- ``browser`` (session): headless Chromium from ``/usr/bin/chromium`` (Playwright cannot
  download its own browser here).
- ``page_as("social.worker")``: a page signed in through the real sign-in form (once per
  user; later pages reuse the session cookie). Every page records Content Security Policy
  violations and script errors (``page.problems``) for ``accessibility.check_page``.

Without Chromium the tests are skipped with the reason, except in CI (``CI=true``) or with
``JOINEDUP_REQUIRE_BROWSER=1``, where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import free_port

CHROMIUM = Path(os.environ.get("JOINEDUP_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
DEMO_FAMILIES = int(os.environ.get("JOINEDUP_BROWSER_FAMILIES", "50"))
BIN = Path(sys.executable).parent
STARTUP_SECONDS = 90


def browser_required() -> bool:
    return (os.environ.get("CI", "").lower() == "true"
            or os.environ.get("JOINEDUP_REQUIRE_BROWSER", "") == "1")


def _unavailable(reason: str) -> None:
    if browser_required():
        pytest.fail(f"{reason} (required: CI=true or JOINEDUP_REQUIRE_BROWSER=1)",
                    pytrace=False)
    pytest.skip(f"{reason}; install it with `apt-get install -y --no-install-recommends "
                "chromium` to run the browser tests")


@pytest.fixture(scope="session")
def chromium() -> Path:
    """The Chromium executable, or a skip (a failure where the browser tests are required)."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"Chromium is not installed at {CHROMIUM}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the playwright Python package is not installed")
    return CHROMIUM


@dataclass
class DemoServer:
    url: str
    data_dir: Path
    log: Path
    baby_s: int
    """Baby S's person number, as ``joinedup serve --demo`` prints it."""
    review: int | None
    briefing: int | None
    """The demo practice review and its published briefing, as ``joinedup demo`` prints them."""

    def __call__(self, path: str) -> str:
        return self.url + path



def _environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("JOINEDUP_DATABASE_URL", "JOINEDUP_INVOLVEMENT_DAYS")}
    env.update(JOINEDUP_DATA_DIR=str(data_dir), COLUMNS="200", NO_COLOR="1",
               PYTHONUNBUFFERED="1")
    return env


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def _build_demo(data_dir: Path, env: dict[str, str]) -> str:
    """Build the demo database with the real command line; its output (which names the
    review and briefing). ``JOINEDUP_BROWSER_DEMO_DIR`` names a demo folder built before
    (by this harness, or ``joinedup demo > DIR/demo.log``) to copy instead: quicker when
    working on the browser tests, never in CI."""
    ready = os.environ.get("JOINEDUP_BROWSER_DEMO_DIR", "").strip()
    if ready and not browser_required():
        shutil.copytree(ready, data_dir, dirs_exist_ok=True)
        subprocess.run([str(BIN / "joinedup"), "init"], env=env, check=True,
                       capture_output=True, timeout=300)
        log = data_dir / "demo.log"
        return log.read_text() if log.is_file() else ""
    built = subprocess.run([str(BIN / "joinedup"), "demo", "--families", str(DEMO_FAMILIES)],
                           env=env, capture_output=True, text=True, timeout=600)
    if built.returncode != 0:
        pytest.fail(f"`joinedup demo` failed ({built.returncode}):\n"
                    f"{built.stdout[-3000:]}\n{built.stderr[-3000:]}", pytrace=False)
    (data_dir / "demo.log").write_text(built.stdout)
    return built.stdout


def _number(pattern: str, text: str) -> int | None:
    found = re.search(pattern, text)
    return int(found.group(1)) if found else None


@pytest.fixture(scope="session")
def demo_server(chromium: Path, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[DemoServer]:
    data_dir = tmp_path_factory.mktemp("browser-demo")
    env = _environment(data_dir)
    demo_output = _build_demo(data_dir, env)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = data_dir / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(BIN / "joinedup"), "serve", "--demo", "--port", str(port), "--workers", "1",
             "--threads", "4"], env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _healthy(url):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"`joinedup serve --demo` did not start:\n{log.read_text()[-3000:]}",
                            pytrace=False)
            time.sleep(0.3)
        found = re.search(r"Baby S is person (\d+)", log.read_text())
        if not found:
            pytest.fail(f"`joinedup serve --demo` did not say which person Baby S is:\n"
                        f"{log.read_text()[-3000:]}", pytrace=False)
        yield DemoServer(url, data_dir, log, int(found.group(1)),
                         _number(r"Practice review (\d+)", demo_output),
                         _number(r"7-minute briefing (\d+)", demo_output))
    finally:
        _stop(server)


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server this harness started (its own process group: gunicorn and workers)."""
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium),
                                              args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


def watch(page: Any) -> Any:
    """Record on ``page.problems`` every Content Security Policy violation and script error
    the page reports (the console is where Chromium reports CSP violations)."""
    page.problems = []

    def on_console(message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            page.problems.append(f"CSP violation on {page.url}: {message.text}")

    def on_error(error: Any) -> None:
        page.problems.append(f"script error on {page.url}: {error}")

    page.on("console", on_console)
    page.on("pageerror", on_error)
    return page


def sign_in(page: Any, username: str, password: str) -> Any:
    """Sign in through the real form, as a person would."""
    page.goto("/sign-in/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


@pytest.fixture
def new_page(browser: Any, demo_server: DemoServer) -> Iterator[Callable[..., Any]]:
    """``new_page()``: a page in a fresh, signed-out browser context on the demo server."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        context = browser.new_context(base_url=demo_server.url, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return watch(context.new_page())

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def _sessions() -> dict[str, Any]:
    return {}


@pytest.fixture
def page_as(new_page: Callable[..., Any], _sessions: dict[str, Any]
            ) -> Callable[[str], Any]:
    """``page_as("health.visitor")``: a page signed in as that demo user through the sign-in
    form (the first time; then the same session is reused)."""
    from joinedup.demo.users import DEMO_PASSWORD

    def make(username: str) -> Any:
        if username in _sessions:
            return new_page(storage_state=_sessions[username])
        page = sign_in(new_page(), username, DEMO_PASSWORD)
        if "/sign-in/" in page.url:
            pytest.fail(f"{username} could not sign in: {page.locator('main').inner_text()}")
        _sessions[username] = page.context.storage_state()
        return page

    return make
