"""Errors: a friendly page with a reference, never a stack trace."""

import logging

import pytest


@pytest.fixture()
def broken_app(app):
    @app.get("/staff/boom")
    def boom():
        # Built at run time, as a child's words would be, so no source line holds them.
        raise RuntimeError("".join(reversed("deracs ma i")))

    return app


def test_a_missing_page_is_friendly_and_carries_a_reference(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Page not found" in response.data
    assert response.headers["X-Request-ID"].encode() in response.data


def test_a_crash_shows_an_apology_with_no_trace(broken_app, create_user, caplog):
    client = broken_app.test_client()
    user = create_user()
    client.post("/staff/sign-in", data={"email": user.email, "password": "correct-horse-battery"})
    with caplog.at_level(logging.ERROR):
        response = client.get("/staff/boom")
    assert response.status_code == 500
    assert b"Sorry, something went wrong" in response.data
    assert b"Traceback" not in response.data and b"RuntimeError" not in response.data
    assert "i am scared" not in caplog.text  # the exception message stays out of the log
    assert "RuntimeError" in caplog.text


def test_too_large_a_request_gets_a_friendly_413(client):
    response = client.post("/", data={"code": "x" * 300_000})
    assert response.status_code == 413
    assert b"too much to send" in response.data


def test_a_missing_csrf_token_gets_a_friendly_page(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    response = app.test_client().post("/staff/sign-in", data={"email": "a@b.c",
                                                              "password": "x"})
    assert response.status_code == 400
    assert b"Go back and try again" in response.data


def test_a_method_not_allowed_is_friendly(client):
    response = client.delete("/healthz")
    assert response.status_code == 405
    assert b"Go back and try again" in response.data
