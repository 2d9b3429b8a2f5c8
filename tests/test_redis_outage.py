"""Redis stopped mid-run: children keep sending (database fallback); staff sign-in fails closed."""

import shutil
import socket
import subprocess
import time

import pytest
from sqlalchemy import func, select

from apps import AuthActions, ChildActions
from feedback.extensions import db
from feedback.models import Response, Role, WebSession
from servers import IN_CI


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def own_redis():
    """A Redis server of this test's own, so the test can stop it."""
    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server is not installed"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1",
                                "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield process, f"redis://127.0.0.1:{port}/0"
    process.kill()
    process.wait()


def test_a_child_finishes_sending_after_redis_stops(app_factory, own_redis, create_case,
                                                    create_access_code):
    process, url = own_redis
    app = app_factory(REDIS_URL=url)
    child = ChildActions(app.test_client())
    child.enter_code(create_access_code(create_case()))
    child.answer(1, answer="4")
    child.answer(2, answer="4")
    form = child.send_form()
    form["a.good"] = "we went bowling"
    process.kill()
    process.wait()
    response = child.client.post("/send", data=form)
    assert response.status_code in (200, 302)
    if response.status_code == 200:  # the session was in Redis: "send again" from the page
        assert "we went bowling" in response.get_data(as_text=True)
        again = dict(form)
        response = child.client.post("/send", data=again)
    assert response.headers["Location"] == "/thank-you"
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_staff_sign_in_fails_closed_with_a_clear_page(app_factory, own_redis, create_user):
    process, url = own_redis
    app = app_factory(REDIS_URL=url)
    user = create_user(Role.WORKER)
    process.kill()
    process.wait()
    client = app.test_client()
    page = client.get("/staff/sign-in")
    assert page.status_code == 503
    assert "Sign-in is not available just now" in page.get_data(as_text=True)
    assert AuthActions(client).sign_in(user.email).status_code == 503


def test_a_child_who_sends_during_the_outage_leaves_no_session_holding_their_words(
        app_factory, own_redis, create_case, create_access_code):
    process, url = own_redis
    app = app_factory(REDIS_URL=url)
    process.kill()
    process.wait()
    child = ChildActions(app.test_client())
    child.enter_code(create_access_code(create_case(), "how-are-things"))
    for number, answer in ((1, "4"), (2, "3"), (3, "the park"),
                           (4, "words only the case record keeps"), (5, "yes"), (6, "")):
        child.answer(number, answer=answer)

    def held() -> list[bytes]:
        db.session.expire_all()
        return list(db.session.scalars(select(WebSession.data)))

    assert any(b"words only the case record keeps" in data for data in held())
    assert child.send().headers["Location"] == "/thank-you"
    assert not any(b"words only the case record keeps" in data for data in held())
