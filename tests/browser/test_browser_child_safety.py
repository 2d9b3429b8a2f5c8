"""What keeps a child's words safe in a real browser: Back after Send, a double tap, a lost
session, the time-out warning, and read-aloud only with a voice for the language."""

import json

import pytest

from journeys import HowAreThings, answer_how_are_things, comments_of, stored_responses

pytestmark = pytest.mark.browser

NO_JS = {"java_script_enabled": False}
SECRET = "Nobody knows that my uncle shouts at me every night"


def form_text(page) -> str:
    """Everything on the page a person could read, including what is typed in its fields."""
    return page.evaluate("""() => document.body.innerText + "\\n" +
        [...document.querySelectorAll("input, textarea")].map(el => el.value).join("\\n")""")


@pytest.mark.parametrize("context", [{}, NO_JS], ids=["js", "no-js"], indirect=True)
def test_after_send_back_never_shows_the_childs_words(child, page, case_code):
    child.start_with_code(case_code().code)
    answer_how_are_things(child, HowAreThings(not_good=SECRET))
    assert SECRET in form_text(page)
    child.send()
    assert child.heading() == "Thank you"

    steps = 0
    while steps < 10 and page.go_back() is not None:
        steps += 1
        assert SECRET not in form_text(page), f"Back ({steps}) shows the child's words"
        assert child.path() == "/", f"Back ({steps}) shows {page.url}, not the start page"
    assert steps >= 3


def test_a_double_tap_on_send_stores_one_response(child, page, case_code):
    child.start_with_code(case_code().code)
    answer_how_are_things(child, HowAreThings())
    with page.expect_navigation(url="**/thank-you"):
        page.get_by_role("button", name="Send", exact=True).dblclick()
    assert child.heading() == "Thank you"
    assert len(stored_responses()) == 1


def test_a_lost_session_gives_the_words_back_and_send_again_stores_them_once(child, page,
                                                                             case_code):
    child.start_with_code(case_code().code)
    answer_how_are_things(child, HowAreThings(not_good=SECRET))
    child.lose_session()
    child.send()
    assert child.heading() == "We did not get that. Please send it again"
    assert SECRET in page.locator("main blockquote").all_inner_texts()

    child.send_again()
    assert child.heading() == "Thank you"
    [response] = stored_responses()
    assert comments_of(response)["not_good"] == SECRET


def test_more_time_closes_the_warning_and_keeps_the_answer(child, page, case_code):
    child.start_with_code(case_code().code)
    child.open("/questions/3")
    child.answer_text("Half of what I want to say")
    warning = child.show_timeout_warning()
    assert warning.get_by_role("heading").inner_text() == "Do you need more time?"
    with page.expect_response("**/still-here") as extended:
        warning.get_by_role("button", name="Yes, I need more time").click()
    assert extended.value.status == 204
    assert not warning.is_visible()
    assert page.get_by_role("textbox").input_value() == "Half of what I want to say"
    child.continue_()
    assert child.path() == "/questions/4"  # the session is still there


def test_after_8_idle_minutes_a_warning_asks_and_after_10_the_page_closes(child, page,
                                                                          case_code):
    page.clock.install()
    child.start_with_code(case_code().code)
    child.open("/questions/3")
    child.answer_text(SECRET)
    warning = page.locator("dialog#timeout-warning")
    page.clock.fast_forward("07:50")
    assert not warning.is_visible()
    page.clock.fast_forward("00:20")
    assert warning.is_visible()
    assert page.get_by_role("button", name="Yes, I need more time").is_visible()
    with page.expect_navigation(url="**/timed-out"):
        page.clock.fast_forward("02:00")
    assert child.heading() == "Your time ran out"
    assert SECRET not in form_text(page)
    page.go_back()
    assert SECRET not in form_text(page)


#: App defect: GOV.UK's ``.govuk-button {display: inline-block}`` beats the browser's own
#: ``[hidden] {display: none}``, so the read-aloud button shows whatever read-aloud.js decides.


def read_aloud_button(page):
    return page.get_by_role("button", name="Read this aloud")


def no_voice_note(page):
    return page.get_by_text("This device has no voice for this language, so it cannot read "
                            "this page aloud.")


@pytest.mark.parametrize("number", [1, 3], ids=["faces", "text"])
def test_read_aloud_is_offered_only_with_a_voice_otherwise_the_page_says_so(child, page,
                                                                            case_code, number):
    child.start_with_code(case_code().code)
    child.open(f"/questions/{number}")
    # Voices may arrive a moment after the page loads (the voiceschanged event).
    page.wait_for_function("""() => [...document.querySelectorAll(
        "[data-read-aloud], [data-no-voice-for]")].some(el => !el.hidden)""")
    shown = [read_aloud_button(page).is_visible(), no_voice_note(page).is_visible()]
    assert shown.count(True) == 1, f"read-aloud button, no-voice note visible: {shown}"


def device_voices(voices: list[dict[str, str]]) -> str:
    """A script that makes the browser report these voices, as a device with them would."""
    return "speechSynthesis.getVoices = () => %s;" % json.dumps(voices)


def test_a_device_with_a_voice_for_the_language_offers_read_aloud(child, page, case_code):
    page.add_init_script(device_voices([{"name": "English (UK)", "lang": "en-GB"}]))
    child.start_with_code(case_code().code)
    child.start_questions()
    assert read_aloud_button(page).is_visible()
    assert not no_voice_note(page).is_visible()


def test_a_device_with_no_voice_for_the_language_says_so_instead(child, page, case_code):
    page.add_init_script(device_voices([{"name": "Français", "lang": "fr-FR"}]))
    child.start_with_code(case_code().code)
    child.start_questions()
    assert no_voice_note(page).is_visible()
    assert not read_aloud_button(page).is_visible(), "Read this aloud shown with no voice"


@pytest.mark.parametrize("context", [NO_JS], ids=["no-js"], indirect=True)
def test_without_javascript_no_read_aloud_button_is_shown(child, page, case_code):
    child.start_with_code(case_code().code)
    child.start_questions()
    assert not read_aloud_button(page).is_visible(), "a Read this aloud button that cannot work"
