"""The help path cannot be abused and never loses words: a visible limit, no silent cut,
and a page left open after Send raises nothing."""

import base64
import contextlib
import html
import re
import zlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from feedback.extensions import db
from feedback.models import AccessCode, Alert, Comment, Response, utcnow

LIMIT = 2000


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def token_on(page: str) -> str:
    return html.unescape(re.search(r'name="journey" type="hidden" value="([^"]+)"', page)
                         .group(1))


def textarea_text(page: str) -> str:
    return html.unescape(re.search(r'<textarea[^>]*name="message"[^>]*>\r?\n?(.*?)</textarea>',
                                   page, flags=re.S).group(1))


def expire_the_code() -> None:
    code = db.session.scalar(select(AccessCode))
    code.created_at = utcnow() - timedelta(hours=5)
    code.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()


@pytest.fixture()
def journey(child, create_case, create_access_code):
    case = create_case()
    child.enter_code(create_access_code(case))
    return case


def test_the_help_box_says_its_limit_and_counts_down(child, journey):
    page = child.client.get("/help").get_data(as_text=True)
    assert "You can write up to 2,000 letters" in page  # with JavaScript off too
    assert 'data-module="govuk-character-count"' in page
    assert 'data-maxlength="2000"' in page
    assert "You have %{count} letters left" in page  # the live count's words
    assert 'maxlength=' not in page.replace("data-maxlength", "")  # no silent cut on paste


def test_a_help_message_over_the_limit_is_refused_and_kept(child, journey):
    words = "please help " * 166 + "me now!!!"  # 2,001 characters
    assert len(words) == LIMIT + 1
    response = child.client.post("/help", data={"message": words})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "govuk-error-summary" in page and 'href="#message"' in page
    assert 'id="message-error"' in page
    assert "Your message is too long. Make it 2,000 characters or fewer." in page
    assert textarea_text(page) == words  # nothing typed is lost
    # The press still reaches a person at once; no words are stored cut short.
    assert "We have told them you need help." in page
    alert = db.session.scalars(select(Alert)).one()
    assert alert.comment is None and count(Comment) == 0
    shorter = child.client.post("/help", data={"message": "please help me now"})
    assert shorter.status_code == 200
    db.session.expire_all()
    alert = db.session.scalars(select(Alert)).one()  # the words join the same alert
    assert alert.comment.text == "please help me now" and alert.presses == 2


def test_a_line_break_counts_once_as_on_the_screen(child, journey):
    # A browser sends each line break as CR LF; the count on screen shows one character.
    child.client.post("/help", data={"message": "a" * (LIMIT - 4) + "\r\nbcd"})
    assert db.session.scalar(select(Alert)).comment.text == "a" * (LIMIT - 4) + "\nbcd"


def test_two_thousand_characters_are_accepted(child, journey):
    child.client.post("/help", data={"message": "z" * LIMIT})
    assert db.session.scalar(select(Alert)).comment.text == "z" * LIMIT


def test_an_old_page_after_send_raises_nothing(child, journey):
    old_page = child.client.get("/help").get_data(as_text=True)
    child.answer(1, answer="4")
    child.answer(2, answer="4")
    assert child.send().headers["Location"] == "/thank-you"
    stored = count(Response)
    response = child.client.post("/help", data={
        "journey": token_on(old_page), "message": "sent from a stale page"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert count(Alert) == 0
    assert count(Response) == stored and count(Comment) == 0  # no words stored
    assert "0800 1111" in page  # the numbers to call are still there
    assert "Tell my worker now" not in page and 'name="message"' not in page
    assert "Your message was not sent, because this page is out of date." in page
    assert "sent from a stale page" in page  # their words, given back
    # The stale token did not bring the finished journey back to life.
    assert child.client.get("/check").headers["Location"] == "/"


def test_a_token_past_its_code_s_hours_raises_nothing(child, journey, app):
    old_page = child.client.get("/help").get_data(as_text=True)
    child.client.get("/exit")  # the session ends; only the page's token is left
    expire_the_code()
    child.client.post("/help", data={"journey": token_on(old_page), "message": "late"})
    assert count(Alert) == 0


def test_a_token_past_its_case_s_closure_raises_nothing(child, journey):
    old_page = child.client.get("/help").get_data(as_text=True)
    child.client.get("/exit")
    journey.is_open, journey.closed_at = False, utcnow()
    db.session.commit()
    child.client.post("/help", data={"journey": token_on(old_page), "message": "late"})
    assert count(Alert) == 0


def test_a_pages_token_shows_nothing_of_the_journey(child, journey):
    token = token_on(child.client.get("/help").get_data(as_text=True))
    payload = token.lstrip(".").split(".")[0]
    shown = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    with contextlib.suppress(zlib.error):  # a signed-only token may be compressed
        shown = zlib.decompress(shown)
    assert b'"kind"' not in shown and b'"key"' not in shown and b"case" not in shown


def test_a_lost_session_s_token_still_reaches_the_worker(child, journey):
    """The token's purpose: a child whose session expired can still ask for help."""
    old_page = child.client.get("/help").get_data(as_text=True)
    child.client.get("/exit")
    child.client.post("/help", data={"journey": token_on(old_page), "message": "help"})
    assert db.session.scalar(select(Alert)).comment.text == "help"


def test_a_child_still_answering_after_the_code_s_hours_can_ask_for_help(child, journey):
    expire_the_code()
    child.client.post("/help", data={"message": "still here"})
    assert db.session.scalar(select(Alert)).comment.text == "still here"


def test_a_free_text_question_counts_its_characters_too(child, journey):
    page = child.client.get("/questions/3").get_data(as_text=True)
    assert 'data-module="govuk-character-count"' in page
    assert "You can write up to 2,000 letters" in page
    assert 'aria-describedby="answer-info"' in page
