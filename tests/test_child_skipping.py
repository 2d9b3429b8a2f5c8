"""Every question can be skipped: "I'd rather not say" on scales, kept apart from no answer;
safety questions read back in words about safety; help returns to the page the child left."""

import html
import re

import pytest
from sqlalchemy import select

from apps import ChildActions
from feedback.extensions import db
from feedback.models import Response, Role
from feedback.services import questionnaires, submissions
from feedback.services.case_records import answer_words


@pytest.fixture()
def worker_and_child(app, auth, create_case, create_user, create_access_code):
    """A worker signed in on ``client``; a child on a tablet of their own, with a code."""
    case = create_case()
    auth.sign_in(create_user(Role.WORKER, case.pod).email)
    child = ChildActions(app.test_client())

    def start(slug: str) -> ChildActions:
        child.enter_code(create_access_code(case, slug))
        return child
    return case, start


def test_every_built_in_question_can_be_skipped():
    required = [(d["slug"], q["key"]) for d in questionnaires.builtin_definitions()
                for q in d["questions"] if not q.get("optional")]
    assert required == []


def test_a_scale_offers_id_rather_not_say(child, create_case, create_access_code):
    child.enter_code(create_access_code(create_case()))
    page = child.client.get("/questions/1").get_data(as_text=True)
    assert 'value="not_say"' in page and "I&#39;d rather not say" in page


def test_a_journey_that_skips_everything_sends_and_the_case_page_says_so(
        client, worker_and_child):
    case, start = worker_and_child
    child = start("how-are-things")
    for number in range(1, 7):  # scales: "I'd rather not say"; the rest left empty
        child.answer(number, answer="not_say" if number in (1, 2) else "")
    assert "I&#39;d rather not say" in child.client.get("/check").get_data(as_text=True)
    assert child.send().headers["Location"] == "/thank-you"
    stored = db.session.scalar(select(Response))
    assert {(a.question_key, a.value) for a in stored.answers} == {
        ("overall", "not_say"), ("home", "not_say")}  # skipped, not "not answered"
    page = client.get(f"/staff/cases/{case.reference}").get_data(as_text=True)
    assert page.count("I&#39;d rather not say") == 2


def test_a_safety_question_reads_back_in_words_about_safety(app, create_session):
    event = create_session()  # board-session: question 2 asks how safe you feel
    child = ChildActions(app.test_client())
    child.enter_code(event.join_code)
    page = child.client.get("/questions/2").get_data(as_text=True)
    assert "Not safe at all" in page and "Very safe" in page and "Happy" not in page
    child.answer(2, answer="2")
    check = child.client.get("/check").get_data(as_text=True)
    assert "Not very safe" in check and ">Sad<" not in check


def test_the_case_page_and_record_say_a_safety_answer_in_safety_words():
    definition = {"questions": [{"key": "safe", "type": "faces", "scale": "safety"}]}
    scales = {"feelings": {"2": "Sad"}, "safety": {"2": "Not very safe"}}
    assert answer_words(definition, "safe", "2", scales, "I'd rather not say") == \
        "Not very safe"
    assert answer_words(definition, "safe", "not_say", scales, "I'd rather not say") == \
        "I'd rather not say"


def test_an_unknown_scale_is_refused():
    definition = {"slug": "club", "title": {"en": "Club"}, "questions": [
        {"key": "safe", "type": "faces", "scale": "sunny", "text": {"en": "How safe?"}}]}
    with pytest.raises(questionnaires.QuestionnaireError, match="scale 'sunny'"):
        questionnaires.validate(definition)


def test_not_say_is_refused_where_it_is_not_a_choice():
    question = {"key": "heard", "type": "choice", "optional": True,
                "options": [{"value": "yes"}, {"value": "no"}]}
    with pytest.raises(submissions.AnswerError):
        submissions.check_answer(question, "not_say")


def test_a_changed_built_in_becomes_a_new_version_and_leaves_the_old_one(app):
    first = {"slug": "club", "title": {"en": "Club"},
             "questions": [{"key": "how", "type": "faces", "text": {"en": "How was it?"}}]}
    old = questionnaires.save(db.session, first, is_builtin=True)
    changed = {**first, "questions": [{**first["questions"][0], "optional": True}]}
    new = questionnaires.save(db.session, changed, is_builtin=True)
    assert (old.number, new.number) == (1, 2)
    assert "optional" not in old.definition["questions"][0]


@pytest.mark.parametrize("page", ["/welcome", "/questions/3", "/questions/2?change=1"])
def test_help_goes_back_to_the_page_the_child_left(child, create_case, create_access_code,
                                                   page):
    child.enter_code(create_access_code(create_case()))
    child.answer(1, answer="4")
    left = child.client.get(page).get_data(as_text=True)
    button = re.search(r'class="govuk-button app-help-button" href="([^"]*)"', left)
    help_link = html.unescape(button.group(1))
    help_page = child.client.get(help_link).get_data(as_text=True)
    assert f'href="{html.escape(page)}">Go back to my answers' in help_page
    # Telling someone keeps the way back, and leaving for help stored nothing.
    told = child.client.post(help_link, data={"message": ""}).get_data(as_text=True)
    assert f'href="{html.escape(page)}">Go back to my answers' in told
    with child.client.session_transaction() as kept:
        assert page not in str(dict(kept))
