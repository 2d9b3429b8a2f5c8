"""Two app servers on different ports, one PostgreSQL, one Redis: one service."""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from redis import Redis
from sqlalchemy import select

from apps import SECRET
from feedback.extensions import db
from feedback.models import Comment
from servers import REDIS_URL, require

ROOT = Path(__file__).resolve().parent.parent
FIELD = re.compile(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"')
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """Just enough of a browser: its cookies, any server."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def open(self, port: int, path: str, form: dict[str, str] | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        headers = {"Cookie": cookie} if cookie else {}
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request("POST" if form is not None else "GET", path,
                     body=urlencode(form) if form is not None else None, headers=headers)
        response = conn.getresponse()
        page = response.read().decode()
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, value = header.split(";")[0].partition("=")
            self.cookies[name] = value
        conn.close()
        return response.status, page, response.getheader("Location") or ""

    def fields(self, port: int, path: str) -> dict[str, str]:
        return dict(FIELD.findall(self.open(port, path)[1]))


@pytest.fixture()
def two_servers(postgres_url, create_session):
    require("Redis", REDIS_URL)
    Redis.from_url(REDIS_URL).flushdb()
    env = {**os.environ, "FEEDBACK_ENV": "testing", "SECRET_KEY": SECRET,
           "DATABASE_URL": postgres_url, "REDIS_URL": REDIS_URL}
    ports = [free_port(), free_port()]
    servers = [subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "1",
                                 "--bind", f"127.0.0.1:{port}", "--log-level", "error",
                                 "wsgi:app"], cwd=ROOT, env=env) for port in ports]
    for port in ports:  # gunicorn listens at once; its worker answers when the app is built
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
            finally:
                connection.close()
    yield ports
    for server in servers:
        server.terminate()
        server.wait(timeout=30)
    Redis.from_url(REDIS_URL).flushdb()


@pytest.fixture()
def database_url(postgres_url):
    """These tests need PostgreSQL whatever the lane."""
    return postgres_url


def test_a_child_starts_on_one_server_and_sends_from_the_other(two_servers, create_session):
    a, b = two_servers
    event = create_session()
    child = Browser()
    csrf = child.fields(a, "/")["csrf_token"]
    assert child.open(a, "/", {"code": event.join_code, "csrf_token": csrf})[2].endswith(
        "/welcome")
    fields = child.fields(b, "/questions/2")
    child.open(b, "/questions/2", {**fields, "answer": "4"})
    fields = child.fields(a, "/questions/6")
    child.open(a, "/questions/6", {**fields, "answer": "a skate park near the flats"})
    status, _, location = child.open(b, "/send", child.fields(b, "/check"))
    assert location.endswith("/thank-you"), (status, location)
    texts = db.session.scalars(select(Comment.text)).all()
    assert texts == ["a skate park near the flats"]


def test_rate_limits_are_shared_by_both_servers(two_servers):
    a, b = two_servers
    device = Browser()
    csrf = device.fields(a, "/")["csrf_token"]
    for n in range(10):
        port = (a, b)[n % 2]
        assert device.open(port, "/", {"code": f"ABCD-EFG{n % 8 + 2}", "csrf_token": csrf})[0] \
            == 200
    assert device.open(a, "/", {"code": "ABCD-EFGH", "csrf_token": csrf})[0] == 429
    assert device.open(b, "/", {"code": "ABCD-EFGH", "csrf_token": csrf})[0] == 429
