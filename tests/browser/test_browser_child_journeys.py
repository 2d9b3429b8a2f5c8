"""Whole child journeys in Chromium: a case and a session, on a tablet and a phone, with and
without JavaScript, and the case journey by keyboard alone."""

import pytest

from feedback.extensions import db
from feedback.models import ParticipationSession
from journeys import (
    CASE_THANKS, SESSION_THANKS, STORED_VALUES, BoardSession, HowAreThings, answer_board_session,
    answer_how_are_things, answers_of, comments_of, stored_responses,
)

pytestmark = pytest.mark.browser

TABLET: dict[str, object] = {}
PHONE = {"viewport": {"width": 375, "height": 667}}
NO_JS = {"java_script_enabled": False}
DEVICES = [pytest.param(TABLET, id="tablet"), pytest.param(PHONE, id="phone"),
           pytest.param(NO_JS, id="tablet-no-js"),
           pytest.param({**PHONE, **NO_JS}, id="phone-no-js")]


@pytest.mark.parametrize("context", DEVICES, indirect=True)
def test_a_child_answers_how_are_things_changes_an_answer_and_sends_it(child, case_code,
                                                                       screenshot):
    made = case_code("how-are-things")
    answers = HowAreThings()
    child.start_with_code(made.code)
    assert child.heading() == "How are things?"
    answer_how_are_things(child, answers)
    assert child.heading() == "Check your answers"
    assert child.answers_shown()["What has been good lately?"] == answers.good
    assert child.answers_shown()["How are things for you at the moment?"] == "Happy"

    child.change_answer("What has been good lately?")
    assert child.field("What has been good lately?").input_value() == answers.good
    changed = "Football club on Tuesdays"
    child.answer_text(changed)
    child.continue_()
    assert child.path() == "/check"
    assert child.answers_shown()["What has been good lately?"] == changed
    screenshot("check")

    child.send()
    assert child.heading() == "Thank you"
    assert CASE_THANKS in child.page.inner_text("main")
    screenshot("thank-you")

    [response] = stored_responses()
    assert response.case_id == made.case_id and response.session_id is None
    assert answers_of(response) == answers.stored_answers()
    assert comments_of(response) == {**answers.stored_comments(), "good": changed}


@pytest.mark.parametrize("context", DEVICES, indirect=True)
def test_two_young_people_answer_a_session_on_the_same_tablet(child, session_code, screenshot):
    made = session_code()
    first, second = BoardSession(), BoardSession(
        age="I'd rather not say", feel_safe="Very safe", safe_places="Home",
        heard="Yes", change_one_thing="Cheaper football")
    child.start_with_code(made.code)
    assert child.heading() == "Safeguarding board session"
    answer_board_session(child, first)
    assert child.answers_shown()["How old are you?"] == "14-15"
    child.send()
    assert child.heading() == "Thank you"
    assert SESSION_THANKS in child.page.inner_text("main")

    child.start_again()
    assert child.path() == "/"
    child.enter_code(made.code)
    child.start_questions()
    assert child.page.locator("input:checked").count() == 0  # nothing of the first child's
    child.open("/check")
    assert first.safe_places not in child.page.inner_text("body")
    child.open("/welcome")
    answer_board_session(child, second)
    screenshot("check")
    child.send()
    assert SESSION_THANKS in child.page.inner_text("main")

    responses = stored_responses()
    assert [(r.session_id, r.case_id) for r in responses] == [(made.session_id, None)] * 2
    assert [r.age_band and r.age_band.value for r in responses] == ["14-15", None]
    assert [answers_of(r) for r in responses] == [
        {"feel_safe": STORED_VALUES[a.feel_safe], "heard": STORED_VALUES[a.heard]}
        for a in (first, second)]
    assert [comments_of(r) for r in responses] == [
        {"safe_places": first.safe_places, "change_one_thing": first.change_one_thing},
        {"safe_places": second.safe_places, "change_one_thing": second.change_one_thing}]
    assert db.session.get(ParticipationSession, made.session_id).participant_count == 2


def test_a_child_fills_in_the_three_houses(child, case_code, screenshot):
    made = case_code("three-houses")
    child.start_with_code(made.code)
    child.start_questions()
    child.answer_house("House of worries", "Moving school again")
    child.answer_house("House of dreams", "Being a vet")
    screenshot("houses")
    child.continue_()
    shown = child.answers_shown()["Your three houses"]
    assert "House of worries: Moving school again" in shown
    assert "House of good things: Not answered" in shown
    child.send()
    assert CASE_THANKS in child.page.inner_text("main")
    [response] = stored_responses()
    assert response.case_id == made.case_id
    assert comments_of(response) == {"houses.worries": "Moving school again",
                                     "houses.dreams": "Being a vet"}


def test_a_child_does_the_whole_case_journey_by_keyboard_alone(child, case_code, page):
    made = case_code("how-are-things")
    keyboard = page.keyboard

    def tab_to(target):
        child.tab_until(target)
        assert child.focus_is_visible(), f"no visible focus on {child.focused_name()!r}"

    child.open_start()

    keyboard.press("Tab")
    assert child.focused_name() == "Skip to main content" and child.focus_is_visible()
    keyboard.press("Tab")
    assert child.focused_name() == "Emergency Exit this page" and child.focus_is_visible()
    tab_to(child.field("Enter your code"))
    keyboard.type(made.code)
    child.press_key_and_wait("Enter")
    assert child.heading() == "How are things?"

    tab_to(page.get_by_role("button", name="Start", exact=True))
    child.press_key_and_wait("Enter")

    # Faces: Tab into the group, arrows move between faces and choose.
    tab_to(child.face("Very sad"))
    for _ in range(3):
        keyboard.press("ArrowRight")
    assert child.face("Happy").is_checked()
    continue_ = page.get_by_role("button", name="Continue", exact=True)
    tab_to(continue_)
    child.press_key_and_wait("Enter")

    tab_to(child.face("Very sad"))
    keyboard.press("Space")
    assert child.face("Very sad").is_checked()
    tab_to(continue_)
    child.press_key_and_wait("Space")

    for text in ("Seeing my nan", "Nobody tells me what is happening"):
        tab_to(page.get_by_role("textbox"))
        keyboard.type(text)
        tab_to(continue_)
        child.press_key_and_wait("Enter")

    tab_to(page.get_by_label("Yes", exact=True))
    keyboard.press("ArrowDown")
    assert page.get_by_label("A bit", exact=True).is_checked()
    tab_to(continue_)
    child.press_key_and_wait("Enter")

    tab_to(continue_)  # the last question is optional: leave it out
    child.press_key_and_wait("Enter")
    assert child.heading() == "Check your answers"

    tab_to(page.get_by_role("link", name="Change What has been good lately?"))
    child.press_key_and_wait("Enter")
    tab_to(page.get_by_role("textbox"))
    keyboard.press("ControlOrMeta+A")
    keyboard.type("Seeing my nan and my cousins")
    tab_to(continue_)
    child.press_key_and_wait("Enter")
    assert child.path() == "/check"

    send = page.get_by_role("button", name="Send", exact=True)
    tab_to(send)
    keyboard.press("Shift+Tab")
    assert child.focused_name().startswith("Change")  # Shift+Tab goes back one step
    keyboard.press("Tab")
    child.press_key_and_wait("Enter")
    assert child.heading() == "Thank you"

    [response] = stored_responses()
    assert response.case_id == made.case_id
    assert answers_of(response) == {"overall": "4", "home": "1", "listened": "a_bit"}
    assert comments_of(response) == {"good": "Seeing my nan and my cousins",
                                     "not_good": "Nobody tells me what is happening"}
