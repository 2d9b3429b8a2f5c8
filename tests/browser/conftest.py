"""Browser fixtures: Debian's Chromium through Playwright, against the app over real HTTPS.

The live server runs the app in production configuration (``FEEDBACK_ENV=production``:
``__Host-`` session cookies that are ``Secure``, sessions and rate limits in Redis, CSRF
on) over TLS with a certificate made for the run, so a setting that would break a real
deployment fails these tests.

Outside CI the browser tests skip with a message naming what is missing
(Chromium, Playwright, Redis, the built stylesheet or axe-core); in CI (``CI=true``)
they fail instead. No tool here ever downloads a browser.
"""

from __future__ import annotations

import copy
import re
import shutil
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest
from flask import Flask
from redis import Redis
from werkzeug.serving import WSGIRequestHandler, make_server

from apps import DUTY_PHONE
from axe import AXE_SCRIPT
from feedback.extensions import db
from feedback.services import codes, questionnaires
from feedback.web.analyser import build_analyser, classifier_path, current_analyser
from pages import ChildPages, StaffPages
from servers import IN_CI, REDIS_URL, reachable

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # the rule below names what is missing
    sync_playwright = None  # type: ignore[assignment]
try:
    from tls import self_signed_context
except ImportError:  # cryptography is missing: the rule below names it
    self_signed_context = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
STYLESHEET = ROOT / "feedback" / "static" / "build" / "app.css"

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
CONTEXT_DEFAULTS: dict[str, Any] = {"viewport": {"width": 768, "height": 1024},
                                    "java_script_enabled": True, "locale": "en-GB",
                                    "ignore_https_errors": True}  # the run's own certificate
#: The settings the service is deployed with (docs/deploy.md), less the database.
PRODUCTION: dict[str, object] = {"FEEDBACK_ENV": "production", "REDIS_URL": REDIS_URL,
                                 "DUTY_PHONE": DUTY_PHONE, "WTF_CSRF_ENABLED": True,
                                 "TRUSTED_HOSTS": "127.0.0.1"}
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
def tls_context(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    """The live server's TLS settings, with a self-signed certificate for 127.0.0.1."""
    if self_signed_context is None:
        unavailable("cryptography is not installed (pip install -e '.[test]')")
    return self_signed_context(tmp_path_factory.mktemp("tls"))


@pytest.fixture()
def redis_store() -> Iterator[None]:
    """The worker's own Redis database, empty before and after: sessions and rate limits."""
    if not reachable(REDIS_URL):
        unavailable(f"Redis is not reachable at {REDIS_URL}")
    Redis.from_url(REDIS_URL).flushdb()
    yield
    Redis.from_url(REDIS_URL).flushdb()


@pytest.fixture(scope="session")
def built_assets() -> None:
    """The stylesheet (axe checks real colours) and axe-core itself."""
    if not STYLESHEET.exists():
        unavailable(f"{STYLESHEET.relative_to(ROOT)} is missing (npm run build)")
    if not AXE_SCRIPT.exists():
        unavailable(f"{AXE_SCRIPT.relative_to(ROOT)} is missing (npm ci)")


_analysers: dict[tuple[str, str, float], Any] = {}


def share_analyser(app: Flask) -> None:
    """Give the app the theming analyser already built for an app with the same lexicon.

    It is the real analyser, built once per run instead of once per app: building it
    takes most of a second, and every browser test makes at least one app. When it cannot
    be built, the app is left to find that out (and fail safe) itself.
    """
    saved = classifier_path(app)
    key = (str(app.config.get("THEMING_LEXICON") or ""), str(saved),
           saved.stat().st_mtime if saved.exists() else 0.0)
    if key not in _analysers:
        try:
            with app.app_context():
                _analysers[key] = build_analyser()
        except Exception:  # noqa: BLE001 -- the app's own current_analyser() reports it
            return
    app.extensions["theming"] = _analysers[key]


@pytest.fixture()
def analyser(app: Flask) -> Any:
    """The test app's theming analyser (the real one, shared across the run)."""
    share_analyser(app)
    return current_analyser()


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
                built_assets: None, tls_context: ssl.SSLContext,
                redis_store: None) -> Iterator[LiveServer]:
    """Serve an app on the test's database over HTTPS on 127.0.0.1, as in production.

    Parametrize indirectly with a dict to change its settings.
    """
    app = app_factory(**{**PRODUCTION, **getattr(request, "param", {})})
    share_analyser(app)
    server = make_server("127.0.0.1", 0, app, threaded=True,
                         request_handler=_QuietRequestHandler, ssl_context=tls_context)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"https://127.0.0.1:{server.server_port}")
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


@dataclass(frozen=True)
class CaseCode:
    """An access code a worker made for a case (ids kept, so nothing reloads the case)."""

    code: str
    case_id: int
    reference: str


@dataclass(frozen=True)
class SessionCode:
    """A participation session's join code."""

    code: str
    session_id: int


@pytest.fixture()
def case_code(create_case: Callable[..., Any], create_access_code: Callable[..., str]
              ) -> Callable[..., CaseCode]:
    """Make a case (or use the one given) and a fresh access code for a questionnaire."""

    def make(slug: str = "how-are-things", case: Any = None) -> CaseCode:
        case = case or create_case()
        code = create_access_code(case, slug)
        return CaseCode(code, case.id, case.reference)

    return make


@pytest.fixture()
def faces_required_code(create_case: Callable[..., Any],
                        builtin_questionnaires: dict[str, Any]) -> Callable[[], CaseCode]:
    """A code for "How are things?" with its first question (faces) required, as a council's
    own questionnaire may make it: every built-in question can be skipped, so only such a
    questionnaire shows the faces' error."""

    def make() -> CaseCode:
        definition = copy.deepcopy(builtin_questionnaires["how-are-things"].definition)
        definition["slug"] = "how-are-things-faces-required"
        definition["questions"][0].pop("optional", None)
        version = questionnaires.save(db.session, definition)
        questionnaire = (version.questionnaire if version is not None else
                         questionnaires.by_slug(db.session, definition["slug"]))
        case = create_case()
        _, code = codes.create_access_code(db.session, case, questionnaire, None, 4)
        db.session.commit()
        return CaseCode(code, case.id, case.reference)

    return make


@pytest.fixture()
def session_code(create_session: Callable[..., Any]) -> Callable[..., SessionCode]:
    """Open a "board-session" participation session today and return its join code."""

    def make() -> SessionCode:
        event = create_session("board-session")
        return SessionCode(event.join_code, event.id)

    return make
