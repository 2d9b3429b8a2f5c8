"""The service as deployed: gunicorn in production configuration behind a TLS proxy.

The proxy ends TLS and says so (``X-Forwarded-Proto: https``, ``X-Forwarded-For``,
``PROXY_COUNT=1``). Child pages forbid the Referer (``Referrer-Policy: no-referrer``),
so the browser sends none, and Chromium sends ``Origin: null`` on their forms. Every
child POST must still arrive; a POST from another site must be refused and store
nothing.
"""

from __future__ import annotations

import html
import http.client
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from redis import Redis
from sqlalchemy import select

from apps import DUTY_PHONE, SECRET, recovery_codes_on, totp_code, totp_secret_on
from factories import PASSWORD
from feedback.extensions import db
from feedback.models import Alert, AlertReason, Comment, Response, Role
from servers import REDIS_URL, free_port, require

ROOT = Path(__file__).resolve().parent.parent
HOST = "feedback.council.example"
OWN_ORIGIN = f"https://{HOST}"
pytestmark = pytest.mark.slow

#: What a same-origin form sends: Chromium's ``null`` from a no-referrer page, or the
#: page's true origin (a staff page, or another browser).
ORIGINS = [pytest.param("null", id="origin-null"), pytest.param(OWN_ORIGIN, id="own-origin")]
#: What a form on another site sends, with the child's own cookie and token.
FOREIGN = [pytest.param({"Origin": "https://evil.example"}, id="origin-evil"),
           pytest.param({"Origin": "null", "Sec-Fetch-Site": "cross-site"},
                        id="fetch-site-cross-site")]
REFUSED = "Something went wrong with that request"

INPUT = re.compile(r"<input\b[^>]*>")
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Page:
    status: int
    text: str
    location: str

    def heading(self) -> str:
        found = H1.search(self.text)
        return " ".join(html.unescape(TAG.sub("", found.group(1))).split()) if found else ""

    def redirect_path(self) -> str:
        assert self.status == 302, (self.status, self.heading())
        return urlsplit(self.location).path

    def hidden_fields(self) -> dict[str, str]:
        fields = {}
        for tag in INPUT.findall(self.text):
            attributes = dict(ATTRIBUTE.findall(tag))
            if attributes.get("type") == "hidden":
                fields[attributes["name"]] = html.unescape(attributes.get("value", ""))
        return fields

    def csrf_meta(self) -> str:
        found = re.search(r'<meta name="csrf-token" content="([^"]+)"', self.text)
        assert found, "the page has no CSRF token for scripts"
        return found.group(1)


class Tablet:
    """A browser behind the council's TLS proxy, as the app server sees it.

    It never sends a Referer. It keeps its cookies itself (``__Host-session`` is
    ``Secure``: a cookie jar would not send it over the proxy's plain HTTP hop).
    """

    def __init__(self, port: int, origin: str | None, address: str = "10.20.30.40") -> None:
        self.port, self.origin, self.address = port, origin, address
        self.cookies: dict[str, str] = {}
        self.set_cookies: dict[str, str] = {}  # each cookie's last Set-Cookie line

    def request(self, method: str, path: str, form: dict[str, str] | None = None,
                headers: dict[str, str] | None = None) -> Page:
        sent = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": self.address}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if method == "POST":
            sent["Sec-Fetch-Site"] = "same-origin"
            if self.origin is not None:
                sent["Origin"] = self.origin
        body = None
        if form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            page = Page(response.status, response.read().decode(),
                        response.getheader("Location") or "")
            for line in response.headers.get_all("Set-Cookie") or []:
                self._keep(line)
        finally:
            connection.close()
        assert page.status < 500, f"{method} {path} answered {page.status}"
        return page

    def _keep(self, line: str) -> None:
        name, _, value = line.split(";")[0].strip().partition("=")
        self.set_cookies[name] = line
        if value and "max-age=0" not in line.lower() and "1970" not in line:
            self.cookies[name] = value
        else:
            self.cookies.pop(name, None)

    def get(self, path: str) -> Page:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str], **headers: str) -> Page:
        return self.request("POST", path, form, headers)

    def fill_in(self, path: str, headers: dict[str, str] | None = None, **fields: str) -> Page:
        """Open the form at ``path``, fill in ``fields`` and post it back there."""
        form = {**self.get(path).hidden_fields(), **fields}
        return self.request("POST", path, form, headers)


@pytest.fixture()
def production_server(database_url: str, tmp_path: Path) -> Iterator[int]:
    """Run ``gunicorn -c gunicorn.conf.py wsgi:app`` as deployed, on the test's database."""
    require("Redis", REDIS_URL)
    Redis.from_url(REDIS_URL).flushdb()
    port = free_port()
    env = {**os.environ, "FEEDBACK_ENV": "production", "SECRET_KEY": SECRET,
           "DATABASE_URL": database_url, "REDIS_URL": REDIS_URL, "PROXY_COUNT": "1",
           "DUTY_PHONE": DUTY_PHONE, "BASE_URL": OWN_ORIGIN}
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as errors:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--workers", "1",
             "--threads", "2", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=errors, stderr=errors)  # access log, application log
    try:
        _wait_until_healthy(server, port, log)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
        Redis.from_url(REDIS_URL).flushdb()


def _wait_until_healthy(server: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn stopped in production configuration:\n{log.read_text()}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
        finally:
            connection.close()
    pytest.fail(f"gunicorn did not answer /healthz within 60 s:\n{log.read_text()}")


def stored(model: type) -> list:
    """Every row of ``model`` now (a fresh read: the server wrote from another process)."""
    db.session.rollback()
    return list(db.session.scalars(select(model)))


def count(model: type) -> int:
    return len(stored(model))


def answer_how_are_things(tablet: Tablet) -> None:
    """From the welcome page, answer every question as asked and reach Check your answers."""
    answers = ["4", "3", "Going to the park with my foster carer",
               "My brother moved away and I miss him", "a_bit", "Nothing else"]
    for number, answer in enumerate(answers, start=1):
        assert tablet.get(f"/questions/{number}").status == 200
        after = tablet.fill_in(f"/questions/{number}", answer=answer)
        assert after.redirect_path() == (f"/questions/{number + 1}" if number < len(answers)
                                         else "/check")


@pytest.mark.parametrize("origin", ORIGINS)
def test_a_child_sends_a_case_questionnaire_over_https(production_server, origin, create_case,
                                                       create_access_code):
    case = create_case()
    code = create_access_code(case, "how-are-things")
    tablet = Tablet(production_server, origin)

    start = tablet.get("/")
    assert start.heading() == "Have your say"
    cookie = tablet.set_cookies["__Host-session"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert tablet.fill_in("/", code=code).redirect_path() == "/welcome"
    assert tablet.get("/welcome").heading() == "How are things?"
    answer_how_are_things(tablet)
    check = tablet.get("/check")
    assert check.heading() == "Check your answers"
    assert "Going to the park with my foster carer" in check.text

    assert tablet.post("/send", check.hidden_fields()).redirect_path() == "/thank-you"
    thanks = tablet.get("/thank-you")
    assert thanks.heading() == "Thank you"
    assert DUTY_PHONE in thanks.text

    [response] = stored(Response)
    assert response.case_id == case.id
    assert {comment.text for comment in response.comments} == {
        "Going to the park with my foster carer", "My brother moved away and I miss him",
        "Nothing else"}


@pytest.mark.parametrize("origin", ORIGINS)
def test_a_child_at_a_session_asks_for_help_over_https(production_server, origin,
                                                       create_session):
    event = create_session()
    tablet = Tablet(production_server, origin)
    assert tablet.fill_in("/", code=event.join_code).redirect_path() == "/welcome"

    help_page = tablet.get("/help")
    assert help_page.heading() == "Get help now"
    assert DUTY_PHONE in help_page.text
    told = tablet.fill_in("/help", message="I am scared to go home tonight")
    assert told.status == 200
    assert told.heading().startswith("We have sent your message")

    [alert] = stored(Alert)
    assert alert.reason == AlertReason.BUTTON and alert.session_id == event.id
    assert alert.comment is not None and alert.comment.text == "I am scared to go home tonight"

    # The time-out warning's "I'm still here": a script's POST with the page's token.
    still_here = tablet.post("/still-here", {}, **{"X-CSRFToken": told.csrf_meta()})
    assert still_here.status == 204


@pytest.mark.parametrize("foreign", FOREIGN)
def test_a_post_from_another_site_is_refused_and_stores_nothing(production_server, foreign,
                                                                create_case,
                                                                create_access_code):
    case = create_case()
    code = create_access_code(case, "how-are-things")
    tablet = Tablet(production_server, "null")

    refused = tablet.fill_in("/", headers=foreign, code=code)
    assert (refused.status, refused.heading()) == (400, REFUSED)
    assert tablet.fill_in("/", code=code).redirect_path() == "/welcome"  # code not used up
    answer_how_are_things(tablet)
    send = tablet.get("/check").hidden_fields()

    # The child's own cookie and token, from another site: refused all the same.
    refused = tablet.post("/send", send, **foreign)
    assert (refused.status, refused.heading()) == (400, REFUSED)
    refused = tablet.fill_in("/help", headers=foreign, message="come and get me")
    assert (refused.status, refused.heading()) == (400, REFUSED)
    assert "come and get me" not in refused.text
    assert (count(Response), count(Alert), count(Comment)) == (0, 0, 0)

    # Nothing was taken from the child: their own Send still arrives.
    assert tablet.post("/send", send).redirect_path() == "/thank-you"
    assert count(Response) == 1


def test_staff_sign_in_and_open_a_case_over_https(production_server, create_user, create_case):
    worker = create_user(Role.WORKER)
    case = create_case(worker.pod)
    reference, email = case.reference, worker.email
    staff = Tablet(production_server, OWN_ORIGIN, address="10.9.8.7")

    refused = staff.fill_in("/staff/sign-in", headers={"Origin": "https://evil.example"},
                            email=email, password=PASSWORD)
    assert (refused.status, refused.heading()) == (400, REFUSED)

    password_given = staff.fill_in("/staff/sign-in", email=email, password=PASSWORD)
    # Production asks every password account for a second factor: set up the app.
    assert password_given.redirect_path() == "/staff/sign-in/app"
    secret = totp_secret_on(staff.get("/staff/sign-in/app").text)
    codes = staff.fill_in("/staff/sign-in/app", code=totp_code(secret))
    assert codes.status == 200 and len(recovery_codes_on(codes.text)) == 10
    case_page = staff.get(f"/staff/cases/{reference}")
    assert case_page.status == 200
    assert reference in case_page.text


#: (headers on the code form's POST, whether the child gets in) for the rule's edges.
EDGES = [
    pytest.param({}, True, id="no-origin-no-fetch-metadata"),  # an older browser: the token
    pytest.param({"Origin": "HTTPS://Feedback.Council.Example:443"}, True,
                 id="own-origin-default-port"),
    pytest.param({"Sec-Fetch-Site": "same-site"}, False, id="fetch-site-same-site"),
    pytest.param({"Origin": f"http://{HOST}"}, False, id="origin-plain-http"),
    pytest.param({"Origin": f"https://{HOST}:8443"}, False, id="origin-other-port"),
]


@pytest.mark.parametrize(("headers", "gets_in"), EDGES)
def test_where_a_code_was_sent_from_decides_whether_it_opens(app_factory, create_session,
                                                             headers, gets_in):
    event = create_session()
    app = app_factory(WTF_CSRF_ENABLED=True, PROXY_COUNT=1)
    client = app.test_client()
    proxy = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "10.1.1.1"}
    start = Page(200, client.get("/", headers=proxy).get_data(as_text=True), "")
    answer = client.post("/", headers={**proxy, **headers},
                         data={**start.hidden_fields(), "code": event.join_code})
    page = Page(answer.status_code, answer.get_data(as_text=True), answer.location or "")
    if gets_in:
        assert page.redirect_path() == "/welcome"
    else:
        assert (page.status, page.heading()) == (400, REFUSED)
