"""A real OpenID provider on loopback (npm's oidc-provider, tests/oidc/provider.mjs),
and a browser that signs in there and comes back to the app.

Outside CI the tests that use it skip when Node.js or the npm package is missing;
in CI they fail instead.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import pytest
import requests
from flask.testing import FlaskClient

from servers import IN_CI, free_port

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "oidc" / "provider.mjs"
#: Where the test client's app lives (Flask's test client answers as ``localhost``).
APP_ORIGIN = "http://localhost"
REDIRECT_URI = f"{APP_ORIGIN}/staff/sign-in/council/callback"

#: The people the council's provider knows, by subject.
ACCOUNTS = {
    "sub-worker": {"email": "worker@council.example", "email_verified": True,
                   "name": "Wren Worker", "groups": ["grp-north-workers"]},
    "sub-admin": {"email": "admin@council.example", "email_verified": True,
                  "name": "Ada Admin", "groups": ["grp-feedback-admins"]},
    "sub-leaver": {"email": "leaver@council.example", "email_verified": True,
                   "name": "Lee Leaver", "groups": []},
    "sub-stranger": {"email": "stranger@council.example", "email_verified": True,
                     "name": "Sam Stranger", "groups": ["grp-north-workers"]},
    "sub-unverified": {"email": "worker@council.example", "email_verified": False,
                       "name": "Mallory", "groups": ["grp-north-workers"]},
}


def _unavailable(message: str) -> None:
    if IN_CI:
        pytest.fail(message + " (CI must run every lane)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def oidc_issuer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start the provider for the run; stop it afterwards. Yields its issuer URL."""
    node = shutil.which("node")
    if node is None:
        _unavailable("Node.js is not installed: the OpenID provider cannot run")
    if not (ROOT / "node_modules" / "oidc-provider").is_dir():
        _unavailable("the npm package oidc-provider is not installed (make setup)")
    accounts = tmp_path_factory.mktemp("oidc") / "accounts.json"
    accounts.write_text(json.dumps(ACCOUNTS))
    port = free_port()
    process = subprocess.Popen([str(node), str(SCRIPT), str(port), str(accounts), REDIRECT_URI],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               text=True)
    issuer = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{issuer}/.well-known/openid-configuration", process)
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the OpenID provider stopped (exit {process.returncode})")
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            time.sleep(0.1)
    pytest.fail("the OpenID provider did not start within 20 seconds")


def with_query(url: str, **changes: str) -> str:
    """The URL with these query parameters set (as someone editing the address bar)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


class CouncilBrowser:
    """A browser: the app through Flask's test client, the provider over real HTTP."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.web = requests.Session()

    def go_to_provider(self) -> str:
        """Press "Sign in with your council account"; return where the app sends us."""
        response = self.client.get("/staff/sign-in/council")
        assert response.status_code == 302, response.status_code
        return response.headers["Location"]

    def sign_in_at_provider(self, authorize_url: str, subject: str) -> str:
        """Sign in at the provider as ``subject``; return the app's callback path and query."""
        url = with_query(authorize_url, login_hint=subject)
        for _ in range(10):
            response = self.web.get(url, allow_redirects=False, timeout=10)
            assert response.status_code in (302, 303), (response.status_code, response.text)
            url = urljoin(url, response.headers["Location"])
            if url.startswith(APP_ORIGIN + "/"):
                return url.removeprefix(APP_ORIGIN)
        raise AssertionError("the provider never sent the browser back")

    def sign_in(self, subject: str):
        """The whole round trip; return the app's answer to the callback."""
        return self.client.get(self.sign_in_at_provider(self.go_to_provider(), subject))
