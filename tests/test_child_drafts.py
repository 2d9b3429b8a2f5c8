"""Answers given so far survive the server losing the session, and Send says what is missing."""

import copy
import html
import re
import shutil
import socket
import subprocess
import time

import pytest
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import Answer, Comment, Response
from feedback.services import codes, questionnaires
from servers import IN_CI

_INPUT = re.compile(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"')


def fields_on(page: str) -> dict[str, str]:
    """Return the hidden and other input fields a browser would send from the page."""
    return {name: html.unescape(value) for name, value in _INPUT.findall(page)}


def submit(client, path: str, **answers: str):
    """Fill in the page at ``path`` as a browser would: its own fields, plus the answers."""
    return client.post(path, data={**fields_on(client.get(path).get_data(as_text=True)),
                                   **answers})


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


@pytest.mark.parametrize("csrf", [False, True], ids=["plain", "with-csrf"])
def test_answers_survive_redis_going_away_mid_questionnaire(
        app_factory, own_redis, create_case, create_access_code, csrf):
    process, url = own_redis
    client = app_factory(REDIS_URL=url, WTF_CSRF_ENABLED=csrf).test_client()
    submit(client, "/", code=create_access_code(create_case()))
    submit(client, "/questions/1", answer="4")
    submit(client, "/questions/2", answer="1")
    page = client.get("/questions/3").get_data(as_text=True)
    process.kill()
    process.wait()
    response = client.post("/questions/3", data={**fields_on(page), "answer": "the park"})
    if response.status_code == 200:  # with CSRF on, the lost session asks to send again
        again = response.get_data(as_text=True)
        assert "the park" in again
        response = client.post("/questions/3", data=fields_on(again))
    assert response.headers["Location"] == "/questions/4"
    check = client.get("/check").get_data(as_text=True)
    assert "Happy" in check and "Very sad" in check and "the park" in check
    sent = client.post("/send", data=fields_on(check))
    assert sent.headers["Location"] == "/thank-you"
    answers = dict(db.session.execute(select(Answer.question_key, Answer.value)).all())
    assert answers == {"overall": "4", "home": "1"}
    assert db.session.scalar(select(Comment.text)) == "the park"


def test_a_question_page_carries_earlier_answers_but_not_its_own(child, create_case,
                                                                 create_access_code):
    child.enter_code(create_access_code(create_case()))
    child.answer(1, answer="4")
    child.answer(2, answer="3")
    child.answer(3, answer='a "quoted" <b>park</b>')
    fields = fields_on(child.client.get("/questions/3?change=1").get_data(as_text=True))
    assert fields["a.overall"] == "4" and fields["a.home"] == "3"
    assert "a.good" not in fields  # the page's own box holds it


def test_a_houses_page_and_later_pages_carry_each_house(child, create_case, create_access_code):
    child.enter_code(create_access_code(create_case(), "three-houses"))
    child.answer(1, worries="", good_things="my dog", dreams="be a vet")
    page = child.client.get("/check").get_data(as_text=True)
    fields = fields_on(page)
    assert fields["a.houses.good_things"] == "my dog" and fields["a.houses.dreams"] == "be a vet"


def code_for_a_required_face(case, builtin_questionnaires) -> str:
    """A code for "How are things" with its question 2 (a face) required, as a council's
    own questionnaire may make it (the built-in ones leave every question optional)."""
    definition = copy.deepcopy(builtin_questionnaires["how-are-things"].definition)
    definition["slug"] = "how-are-things-strict"
    definition["questions"][1].pop("optional", None)
    version = questionnaires.save(db.session, definition)
    _, code = codes.create_access_code(db.session, case, version.questionnaire, None, 4)
    db.session.commit()
    return code


def test_send_with_a_required_answer_missing_says_what_to_do(child, create_case,
                                                             builtin_questionnaires):
    child.enter_code(code_for_a_required_face(create_case(), builtin_questionnaires))
    child.answer(1, answer="4")  # question 2 (a face) is required and left out
    response = child.send()
    assert response.headers["Location"].startswith("/questions/2?")
    page = child.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<title>Error: " in page
    assert "govuk-error-summary" in page and 'href="#answer"' in page
    assert 'id="answer-error"' in page and "Choose the face that fits best" in page
    assert db.session.scalar(select(Response.id)) is None
    # Answering it goes back to Check your answers, then Send stores everything.
    again = child.client.post("/questions/2?change=1", data={"answer": "5"})
    assert again.headers["Location"] == "/check"
    assert child.send().headers["Location"] == "/thank-you"


def test_the_missing_answer_message_is_in_the_child_s_language(child, create_case,
                                                               builtin_questionnaires):
    child.client.get("/language/es")
    child.enter_code(code_for_a_required_face(create_case(), builtin_questionnaires))
    child.answer(1, answer="4")
    page = child.client.get(child.send().headers["Location"]).get_data(as_text=True)
    assert "Elige la cara que mejor te describe" in page and "Hay un problema" in page


def test_a_question_page_opened_normally_shows_no_error(child, create_case, create_access_code):
    child.enter_code(create_access_code(create_case()))
    page = child.client.get("/questions/2?change=1").get_data(as_text=True)
    assert "govuk-error-summary" not in page and "<title>Error: " not in page
