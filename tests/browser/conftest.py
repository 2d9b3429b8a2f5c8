"""Browser fixtures: Debian's Chromium through Playwright, against the app over real HTTP.

Outside CI the browser tests skip with a message naming what is missing
(Chromium, Playwright, the built stylesheet or axe-core); in CI (``CI=true``)
they fail instead. No tool here ever downloads a browser.
"""

from __future__ import annotations

import re
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from axe import AXE_SCRIPT
from pages import ChildPages, StaffPages
from servers import IN_CI

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # the rule below names what is missing
    sync_playwright = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
STYLESHEET = ROOT / "feedback" / "static" / "build" / "app.css"

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
CONTEXT_DEFAULTS: dict[str, Any] = {"viewport": {"width": 768, "height": 1024},
                                    "java_script_enabled": True, "locale": "en-GB"}
#: Long enough for a slow CI machine, short enough that a wrong selector fails fast.
TIMEOUT_MS = 5_000


def unavailable(message: str) -> NoReturn:
    """Skip the test, or in CI fail it: CI must run every lane."""
    if IN_CI:
        pytest.fail(message + " (CI must run every lane)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, for the whole run."""
    if sync_playwright is None:
        unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    executable = shutil.which("chromium")
    if executable is None:
        unavailable("Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def built_assets() -> None:
    """The stylesheet (axe checks real colours) and axe-core itself."""
    if not STYLESHEET.exists():
        unavailable(f"{STYLESHEET.relative_to(ROOT)} is missing (npm run build)")
    if not AXE_SCRIPT.exists():
        unavailable(f"{AXE_SCRIPT.relative_to(ROOT)} is missing (npm ci)")


@dataclass(frozen=True)
class LiveServer:
    app: Flask
    url: str


class _QuietRequestHandler(WSGIRequestHandler):
    """Log errors only, not every request."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@pytest.fixture()
def live_server(request: pytest.FixtureRequest, app_factory: Callable[..., Flask],
                built_assets: None) -> Iterator[LiveServer]:
    """Serve an app on the test's database over HTTP on 127.0.0.1, CSRF on.

    Parametrize indirectly with a dict to change its settings.
    """
    app = app_factory(**{"WTF_CSRF_ENABLED": True, **getattr(request, "param", {})})
    server = make_server("127.0.0.1", 0, app, threaded=True,
                         request_handler=_QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


@pytest.fixture()
def new_context(browser: Browser, live_server: LiveServer
                ) -> Iterator[Callable[..., BrowserContext]]:
    """Open fresh browser contexts on the live server, e.g. new_context(java_script_enabled=False).

    Each starts with no cookies, at 768x1024, in British English; all close after the test
    (before the server stops).
    """
    made: list[BrowserContext] = []

    def new(**options: Any) -> BrowserContext:
        context = browser.new_context(base_url=live_server.url, **{**CONTEXT_DEFAULTS, **options})
        context.set_default_timeout(TIMEOUT_MS)
        made.append(context)
        return context

    yield new
    for context in made:
        context.close()


@pytest.fixture()
def context(request: pytest.FixtureRequest,
            new_context: Callable[..., BrowserContext]) -> BrowserContext:
    """A fresh browser context; parametrize indirectly with a dict of options to change it."""
    return new_context(**getattr(request, "param", {}))


@pytest.fixture()
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture()
def child(page: Page, live_server: LiveServer) -> ChildPages:
    return ChildPages(page, live_server.url)


@pytest.fixture()
def staff(page: Page, live_server: LiveServer) -> StaffPages:
    return StaffPages(page, live_server.url)


@pytest.fixture()
def screenshot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """Save a full-page screenshot into test-artifacts/, named after the test."""

    def take(name: str = "", page: Page | None = None) -> Path:
        page = page or request.getfixturevalue("page")
        stem = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
        path = ARTIFACTS / (f"{stem}-{name}.png" if name else f"{stem}.png")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=path, full_page=True)
        return path

    return take
