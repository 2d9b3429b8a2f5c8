"""The child's questionnaire: one question per page, check answers, send once, nothing left
behind."""

import re

import pytest
from sqlalchemy import func, select

from apps import ChildActions
from feedback.extensions import db
from feedback.models import (
    AgeBand, Comment, ParticipationSession, Reply, Response, WebSession, utcnow,
)


@pytest.fixture()
def case_journey(child, create_case, create_access_code):
    case = create_case()
    child.enter_code(create_access_code(case, "how-are-things"))
    return case


def answer_how_are_things(child, worry="my brother moved away and i miss him"):
    child.answer(1, answer="4")
    child.answer(2, answer="3")
    child.answer(3, answer="going to the park with my foster carer")
    child.answer(4, answer=worry)
    child.answer(5, answer="yes")
    child.answer(6, answer="")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_case_journey_stores_the_childs_words_against_the_case(child, case_journey):
    answer_how_are_things(child)
    check = child.client.get("/check").get_data(as_text=True)
    assert "my brother moved away and i miss him" in check
    assert "Happy" in check  # the face's word, not its number
    response = child.send()
    assert response.headers["Location"] == "/thank-you"
    stored = db.session.scalar(select(Response))
    assert stored.case_id == case_journey.id
    assert {c.text for c in stored.comments} == {"going to the park with my foster carer",
                                                 "my brother moved away and i miss him"}
    assert {(a.question_key, a.value) for a in stored.answers} == {
        ("overall", "4"), ("home", "3"), ("listened", "yes")}


def test_each_question_has_its_own_page_with_a_back_link(child, case_journey):
    page = child.client.get("/questions/2").get_data(as_text=True)
    assert "Question 2 of 6" in page
    assert 'href="/questions/1"' in page and "Back" in page


def test_every_face_has_a_visible_word(child, case_journey):
    page = child.client.get("/questions/1").get_data(as_text=True)
    for word in ("Very sad", "Sad", "OK", "Happy", "Very happy"):
        assert f'<span class="app-faces__text">{word}</span>' in page


def test_a_face_question_can_be_left_out(child, case_journey):
    response = child.answer(1)
    assert response.headers["Location"] == "/questions/2"


def test_a_too_long_answer_is_refused_and_kept(child, case_journey):
    long_text = "i want to say " + "a lot " * 400
    page = child.answer(3, answer=long_text).get_data(as_text=True)
    assert "Your answer is too long" in page
    assert long_text.strip() in page  # nothing typed is lost


def test_answers_can_be_changed_from_the_check_page(child, case_journey):
    answer_how_are_things(child)
    response = child.client.post("/questions/3?change=1", data={"answer": "football club"})
    assert response.headers["Location"] == "/check"
    assert "football club" in child.client.get("/check").get_data(as_text=True)


def test_sending_twice_stores_one_response_and_shows_the_same_thanks(child, case_journey):
    answer_how_are_things(child)
    form = child.send_form()
    first = child.send(form)
    second = child.send(form)  # a double tap, or a resend after a timeout
    assert first.headers["Location"] == second.headers["Location"] == "/thank-you"
    assert "Thank you" in child.client.get("/thank-you").get_data(as_text=True)
    assert count(Response) == 1


def test_after_send_nothing_of_the_answers_can_be_reached(child, case_journey):
    answer_how_are_things(child)
    child.send()
    thanks = child.client.get("/thank-you")
    assert thanks.headers["Cache-Control"] == "no-store"
    assert thanks.headers["Clear-Site-Data"] == '"cache", "storage"'
    for path in ("/check", "/questions/4", "/welcome"):
        back = child.client.get(path)
        assert back.status_code == 302 and back.headers["Location"] == "/"


def test_finishing_moves_the_tablet_to_a_new_session(child, case_journey):
    answer_how_are_things(child)
    before = child.client.get_cookie("session").value
    child.send()
    assert child.client.get_cookie("session").value != before


def test_an_expired_session_gives_the_words_back_with_send_again(app_factory, create_case,
                                                                 create_access_code):
    app = app_factory(WTF_CSRF_ENABLED=True)
    tablet = app.test_client()
    token_page = tablet.get("/").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', token_page).group(1)
    code = create_access_code(create_case())
    tablet.post("/", data={"code": code, "csrf_token": csrf})
    child = ChildActions(tablet)
    send_form = child.send_form()
    send_form.update({"a.overall": "2", "a.home": "2",
                      "a.not_good": "nobody listens to me at home"})
    tablet.delete_cookie("session")  # the session ran out while the page was open
    page = tablet.post("/send", data=send_form).get_data(as_text=True)
    assert "nobody listens to me at home" in page
    assert "Send again" in page
    again = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    assert tablet.post("/send", data=again).headers["Location"] == "/thank-you"
    stored = db.session.scalar(select(Comment))
    assert stored.text == "nobody listens to me at home"


def test_shared_replies_greet_the_child_next_time(child, create_case, create_access_code,
                                                  create_response):
    case = create_case()
    earlier = create_response(case, "i want to see my nan more")
    db.session.add(Reply(case=case, comment=earlier.comments[0], is_shared_with_child=True,
                         shared_at=utcnow(), text="We have arranged a visit to your nan"))
    db.session.commit()
    child.enter_code(create_access_code(case))
    page = child.client.get("/welcome").get_data(as_text=True)
    assert "Last time you told us" in page
    assert "i want to see my nan more" in page
    assert "We have arranged a visit to your nan" in page
    assert db.session.scalar(select(Reply)).seen_by_child_at is not None


def test_a_session_response_is_anonymous_and_counted_apart(app, create_session):
    event = create_session()
    for age in ("11-13", "16-18"):
        tablet = app.test_client()
        tablet.post("/", data={"code": event.join_code})
        tablet.post("/questions/1", data={"answer": age})
        tablet.post("/questions/2", data={"answer": "5"})
        tablet.post("/questions/6", data={"answer": "more youth clubs"})
        ChildActions(tablet).send()
    responses = db.session.scalars(select(Response)).all()
    assert len(responses) == 2
    assert all(r.case_id is None and r.submitted_at is None and r.access_code_id is None
               for r in responses)
    assert {r.age_band for r in responses} == {AgeBand.FROM_11, AgeBand.FROM_16}
    assert db.session.get(ParticipationSession, event.id).participant_count == 2


def test_the_three_houses_are_one_page_with_three_boxes(child, create_case, create_access_code):
    child.enter_code(create_access_code(create_case(), "three-houses"))
    page = child.client.get("/questions/1").get_data(as_text=True)
    for house in ("House of worries", "House of good things", "House of dreams"):
        assert house in page
    child.answer(1, worries="", good_things="my dog", dreams="be a vet")
    child.send()
    assert set(db.session.scalars(select(Comment.question_key))) == {
        "houses.good_things", "houses.dreams"}


def test_no_answer_values_appear_in_any_url(child, case_journey):
    answer_how_are_things(child, worry="secretword")
    response = child.send()
    assert "secretword" not in response.headers["Location"]


def test_control_characters_are_dropped_and_the_words_kept(child, case_journey):
    """A NUL or escape from a broken keyboard cannot stop a child's words being stored."""
    answer_how_are_things(child, worry="my dad\x00 shouts\x1b at me\tevery night")
    assert "my dad shouts at me" in child.client.get("/check").get_data(as_text=True)
    assert child.send().headers["Location"] == "/thank-you"
    texts = {c.text for c in db.session.scalar(select(Response)).comments}
    assert "my dad shouts at me\tevery night" in texts


def test_after_sending_no_stored_session_holds_the_childs_words(child, case_journey):
    answer_how_are_things(child, worry="the words only the case record keeps")
    held = [row.data for row in db.session.scalars(select(WebSession))]
    assert any(b"the words only the case record keeps" in data for data in held)
    assert child.send().status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(WebSession)) >= 1  # the new one
    assert not any(b"the words only the case record keeps" in row.data
                   for row in db.session.scalars(select(WebSession)))
