"""On a 375x667 phone the question comes first: question 1 and Continue above the fold,
one "Language" control that works without JavaScript, "Exit this page" on screen."""

from __future__ import annotations

import pytest

from pages import ChildPages

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 667}}
NO_JS = {"java_script_enabled": False}


def on_screen(child: ChildPages, name: str, role: str = "button") -> bool:
    """Whether the whole control is in view without scrolling."""
    found = child.page.get_by_role(role, name=name, exact=True).bounding_box()
    size = child.page.viewport_size
    return bool(found) and found["y"] >= 0 and found["y"] + found["height"] <= size["height"] \
        and found["x"] >= 0 and found["x"] + found["width"] <= size["width"]


@pytest.mark.parametrize("context", [pytest.param(PHONE, id="phone"),
                                     pytest.param({**PHONE, **NO_JS}, id="phone-no-js")],
                         indirect=True)
def test_question_one_and_continue_are_above_the_fold(child, case_code, page, screenshot):
    child.start_with_code(case_code().code)
    child.start_questions()
    screenshot("question-1")
    assert page.evaluate("window.scrollY") == 0
    assert on_screen(child, "Continue"), "Continue is below the fold at 375x667"
    assert on_screen(child, "Very happy", role="radio") or \
        page.locator(".app-faces__label").last.bounding_box()["y"] < 667
    assert on_screen(child, "Emergency Exit this page", role="button")
    # The exit button stays on screen when the page scrolls.
    page.evaluate("window.scrollTo(0, 400)")
    assert page.evaluate("window.scrollY") > 0
    box = page.locator(".govuk-exit-this-page__button").bounding_box()
    assert box is not None and 0 <= box["y"] < 60


@pytest.mark.parametrize("context", [pytest.param({**PHONE, **NO_JS}, id="phone-no-js")],
                         indirect=True)
def test_one_language_control_opens_the_list_without_javascript(child, case_code, page):
    child.start_with_code(case_code().code)
    menu = child.language_menu()
    assert menu.get_by_role("link", name="Cymraeg", exact=True).is_hidden()
    child.choose_language("Cymraeg")
    assert child.html_language() == ("cy", "ltr")
    assert child.path() == "/welcome"


def test_a_text_question_heading_is_as_big_as_the_others(child, case_code, page):
    child.start_with_code(case_code().code)
    child.start_questions()
    size = "el => getComputedStyle(el).fontSize"
    faces = page.locator("h1").evaluate(size)
    child.open("/questions/3")
    text = page.locator("h1 label").evaluate(size)
    assert text == faces
