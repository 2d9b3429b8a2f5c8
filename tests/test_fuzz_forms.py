"""Hostile and random input to every form: never a 500, never anything unescaped.

Runs ``FUZZ_EXAMPLES`` examples per form: 2,000 in CI's SQLite lane, 300 in its
PostgreSQL lane (the same code paths, slower to reset), 150 by default locally.
"""

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps import IS_POSTGRES, AuthActions, ChildActions
from feedback.models import Role
from servers import IN_CI

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or
               (150 if not IN_CI else 300 if IS_POSTGRES else 800))
HOSTILE = ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "' OR 1=1 --",
           "%s%s%s%n", "{0.__class__}", "${7*7}", "{{7*7}}", "\u202egnp.exe", "\u0000\u0007\x1b",
           "\ud7ff\ufeff", "=HYPERLINK(\"http://x\")", "../../etc/passwd", "A" * 3000,
           "مرحبا <b>", "\r\n\r\nSet-Cookie: x=y"]
hostile_text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300),
                         st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
                         st.lists(st.sampled_from(HOSTILE), max_size=3).map("".join))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def assert_safe(response, *inputs: str) -> None:
    assert response.status_code < 500, response.status_code
    page = response.get_data(as_text=True)
    for value in inputs:
        if any(mark in value for mark in "<>\"") and len(value) > 3:
            assert value not in page, "input echoed without escaping"
    assert "Traceback" not in page


@pytest.fixture()
def journey(client, create_case, create_access_code):
    child = ChildActions(client)
    child.enter_code(create_access_code(create_case(), "three-houses"))
    return child


@FUZZ
@given(code=hostile_text)
def test_the_code_form(app, code):
    response = app.test_client().post("/", data={"code": code})
    assert_safe(response, code)


@FUZZ
@given(worries=hostile_text, good=hostile_text, dreams=hostile_text)
def test_the_three_houses_question(journey, worries, good, dreams):
    response = journey.client.post("/questions/1", data={"worries": worries,
                                                         "good_things": good, "dreams": dreams})
    assert_safe(response, worries, good, dreams)
    assert_safe(journey.client.get("/check"), worries, good, dreams)


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(["key", "journey", "a.houses.worries",
                                               "a.houses.dreams", "a.x", "answer"]),
                              hostile_text, max_size=4))
def test_the_send_form(journey, fields):
    assert_safe(journey.client.post("/send", data=fields), *fields.values())


@FUZZ
@given(message=hostile_text)
def test_the_help_form(journey, message):
    assert_safe(journey.client.post("/help", data={"message": message}), message)


@FUZZ
@given(email=hostile_text, password=hostile_text)
def test_the_sign_in_form(app, email, password):
    response = AuthActions(app.test_client()).sign_in(email, password)
    assert_safe(response, email)


@pytest.fixture()
def worker_client(app, create_case, create_user, create_response):
    case = create_case()
    response = create_response(case, "some words")
    client = app.test_client()
    AuthActions(client).sign_in(create_user(Role.WORKER, case.pod).email)
    return client, case, response.comments[0]


@FUZZ
@given(title=hostile_text, section=hostile_text, owner=hostile_text, due=hostile_text)
def test_the_plan_action_form(worker_client, title, section, owner, due):
    client, case, _ = worker_client
    data = {"title": title, "section": section, "owner": owner, "due_on": due}
    assert_safe(client.post(f"/staff/cases/{case.reference}/plan", data=data), *data.values())
    assert_safe(client.get(f"/staff/cases/{case.reference}/plan"), title, owner)


@FUZZ
@given(text=hostile_text, shared=hostile_text, theme=hostile_text, decision=hostile_text)
def test_the_reply_and_theme_forms(worker_client, text, shared, theme, decision):
    client, case, comment = worker_client
    assert_safe(client.post(f"/staff/comments/{comment.id}/replies",
                            data={"text": text, "shared": shared}), text, shared)
    assert_safe(client.post(f"/staff/comments/{comment.id}/themes",
                            data={"theme": theme, "decision": decision}), theme, decision)
    assert_safe(client.get(f"/staff/cases/{case.reference}"), text)


@FUZZ
@given(text=hostile_text, start=hostile_text, end=hostile_text, fmt=hostile_text)
def test_the_chair_export_and_audit_forms(worker_client, text, start, end, fmt):
    client, case, _ = worker_client
    assert_safe(client.post(f"/staff/cases/{case.reference}/chair-responses",
                            data={"chair-text": text}), text)
    assert_safe(client.post(f"/staff/cases/{case.reference}/export",
                            data={"from_date": start, "to_date": end, "format": fmt}),
                start, end, fmt)
    assert_safe(client.get("/staff/audit", query_string={"action": text}), text)
