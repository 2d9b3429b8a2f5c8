"""Logs an operator can use: gunicorn in production configuration writes one JSON line per
application event on standard error, with the request's id, and never a child's words,
a code or a token (``feedback/web/logs.py``)."""

from __future__ import annotations

import http.client
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from feedback.extensions import db
from test_https_deploy import (  # noqa: F401 -- the server fixture
    HOST, OWN_ORIGIN, Tablet, answer_how_are_things, production_server)

pytestmark = pytest.mark.slow
REQUEST_ID = re.compile(r"^[0-9a-f]{16}$")
WORDS = "the purple giraffe at my uncles house scares me"


def log_lines(tmp_path: Path) -> list[str]:
    return (tmp_path / "gunicorn.log").read_text(encoding="utf-8").splitlines()


def application_lines(tmp_path: Path) -> list[dict]:
    """The application's lines: JSON objects (gunicorn's own and access lines are not)."""
    return [json.loads(line) for line in log_lines(tmp_path) if line.startswith("{")]


def rename_table(old: str, new: str) -> None:
    db.session.rollback()
    db.session.execute(text(f"ALTER TABLE {old} RENAME TO {new}"))
    db.session.commit()


def test_a_server_error_is_one_json_line_with_the_request_id(
        production_server, tmp_path, create_case, create_access_code):  # noqa: F811
    code = create_access_code(create_case(), "how-are-things")
    tablet = Tablet(production_server, OWN_ORIGIN)
    form = {**tablet.get("/").hidden_fields(), "code": code}
    rename_table("access_codes", "access_codes_away")  # the database loses a table
    try:
        connection = http.client.HTTPConnection("127.0.0.1", production_server, timeout=30)
        connection.request("POST", "/", body="&".join(f"{k}={v}" for k, v in form.items()),
                           headers={"Content-Type": "application/x-www-form-urlencoded",
                                    "X-Forwarded-Proto": "https", "Host": HOST,
                                    "Origin": OWN_ORIGIN, "Sec-Fetch-Site": "same-origin",
                                    "Cookie": "; ".join(f"{k}={v}"
                                                        for k, v in tablet.cookies.items())})
        response = connection.getresponse()
        page = response.read().decode()
        request_id = response.getheader("X-Request-ID")
        connection.close()
    finally:
        rename_table("access_codes_away", "access_codes")
    assert response.status == 500
    assert "Sorry, something went wrong on our side" in page and request_id in page

    errors = [line for line in application_lines(tmp_path) if line["level"] == "ERROR"]
    assert len(errors) == 1
    [error] = errors
    assert error["request_id"] == request_id and REQUEST_ID.match(request_id)
    assert error["route"] == "/" and error["method"] == "POST"
    assert "OperationalError" in error["message"] or "ProgrammingError" in error["message"]
    assert code not in json.dumps(error)
    access = [line for line in log_lines(tmp_path) if line.startswith('"POST / ')]
    assert access and access[-1].split()[-1] == request_id and '" 500 ' in access[-1]


def test_no_log_line_holds_a_childs_words_or_a_code(
        production_server, tmp_path, create_case, create_access_code):  # noqa: F811
    code = create_access_code(create_case(), "how-are-things")
    tablet = Tablet(production_server, OWN_ORIGIN)
    assert tablet.fill_in("/", code=code).redirect_path() == "/welcome"
    answer_how_are_things(tablet)
    assert tablet.fill_in("/questions/6", answer=WORDS).redirect_path() == "/check"
    assert tablet.fill_in("/help", message=WORDS).status == 200
    check = tablet.get("/check")
    assert tablet.post("/send", check.hidden_fields()).redirect_path() == "/thank-you"

    lines = log_lines(tmp_path)
    access = [line for line in lines if line.startswith('"')]
    assert len(access) >= 15 and all(REQUEST_ID.match(line.split()[-1]) for line in access)
    secrets = [code, code.replace("-", ""), *tablet.cookies.values(), *WORDS.split()[1:3],
               "purple giraffe", "foster carer", "miss him"]
    for line in lines:
        for secret in secrets:
            assert secret.lower() not in line.lower(), f"the log holds {secret!r}: {line}"
