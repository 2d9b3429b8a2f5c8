"""Issue 20 in Chromium: a journey that skips every question, and Express by taps alone with
every prompt read aloud, in English and Arabic."""

import pytest
from playwright.sync_api import Page

from axe import assert_accessible
from factories import PASSWORD
from feedback.models import Role
from journeys import stored_responses
from pages import ChildPages, StaffPages, Words

pytestmark = pytest.mark.browser

#: Speech synthesis as a browser with an English and an Arabic voice has it, recording
#: what it is asked to say (no sound; the page cannot tell the difference).
SPEECH_STUB = """
window.spoken = [];
const voices = [{lang: 'en-GB', name: 'English'}, {lang: 'ar-SA', name: 'Arabic'}];
Object.defineProperty(window, 'speechSynthesis', {configurable: true, value: {
  getVoices: () => voices, cancel: () => {}, addEventListener: () => {},
  speak: (utterance) => window.spoken.push(utterance.text),
}});
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
"""
PROMPTS = ("What is good?", "What is worrying you?")
ENDONYMS = {"en": "English", "ar": "العربية"}


def spoken(page: Page) -> list[str]:
    said: list[str] = page.evaluate("window.spoken")
    return said


def tap_card(child: ChildPages, label: str) -> None:
    child.page.locator(".app-cards__card", has_text=child.words.content(label)) \
        .locator("label").click()


@pytest.mark.parametrize("tag", ["en", "ar"])
def test_express_is_answered_by_taps_alone_and_every_prompt_is_read_aloud(
        child, context, case_code, tag, screenshot):
    context.add_init_script(SPEECH_STUB)
    made = case_code("express")
    child.words = Words.of("en", "express")
    child.open_start()
    if tag != "en":
        child.choose_language(ENDONYMS[tag])
    child.enter_code(made.code)
    child.start_questions()
    taps = [("Friends", "School"), ("Home", "Family")]
    for number, (prompt, cards) in enumerate(zip(PROMPTS, taps), 1):
        assert child.heading() == child.words.content(prompt)
        child.page.get_by_role("button", name=child.words("Read this aloud")).click()
        assert spoken(child.page)[-1].startswith(child.words.content(prompt))
        for card in cards:
            tap_card(child, card)
            assert spoken(child.page)[-1] == child.words.content(card)
        if number == 1:
            assert_accessible(child.page)
            screenshot(f"express-{tag}")
        child.continue_()
    assert child.path() == "/check"
    child.send()
    [response] = stored_responses()
    assert {(a.question_key, a.value) for a in response.answers} == {
        ("good", "friends school"), ("worrying", "home family")}
    assert not response.alerts  # a tap on home or family alone is no disclosure


def test_a_journey_that_skips_every_question_sends_and_the_case_page_says_so(
        child, case_code, create_case, create_user, new_context, live_server, screenshot):
    case = create_case()
    worker = create_user(Role.WORKER, case.pod)
    made = case_code("how-are-things", case)
    child.start_with_code(made.code)
    child.start_questions()
    not_say = child.page.get_by_role("radio", name="I'd rather not say", exact=True)
    assert_accessible(child.page)
    screenshot("not-say")
    for _ in range(6):  # scales: "I'd rather not say"; the rest left empty
        if not_say.count():
            not_say.check()
        child.continue_()
    assert child.path() == "/check"
    child.send()
    assert child.heading() == "Thank you"

    desk = new_context().new_page()
    staff = StaffPages(desk, live_server.url)
    staff.sign_in(worker.email, PASSWORD)
    staff.open_case(made.reference)
    answers = desk.locator(".govuk-summary-list__value").all_inner_texts()
    assert [a.strip() for a in answers].count("I'd rather not say") == 2
