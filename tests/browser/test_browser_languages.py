"""The child's pages in every language the service ships, in Chromium.

The whole case journey in Welsh and in Arabic on a tablet and a phone; Arabic mirrored
(measured against the same pages in English) with left-to-right islands where they must
be; zero axe violations in every language; the language menu by mouse and by keyboard;
and read aloud only with a voice for the page's language.

What the pages should say is read from the translators' files (translations/*/messages.po
and the questionnaires' own texts), never typed in here; what a language is called in
itself is a fact about the language, so that is written down below.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from apps import DUTY_PHONE
from axe import describe, violations
from feedback.web.i18n import LANGUAGES
from journeys import HowAreThings, answers_of, comments_of, stored_responses
from pages import ChildPages, Words

pytestmark = pytest.mark.browser

TABLET = {"viewport": {"width": 768, "height": 1024}}
PHONE = {"viewport": {"width": 375, "height": 667}}
SIZES = [pytest.param(TABLET, id="768x1024"), pytest.param(PHONE, id="375x667")]

#: Each language as its own speakers write its name: what the menu must offer.
ENDONYMS = {"en": "English", "cy": "Cymraeg", "pl": "Polski", "ro": "Română", "ar": "العربية",
            "ur": "اردو", "es": "Español", "pt": "Português"}
RIGHT_TO_LEFT = {"ar", "ur"}
QUESTIONS = 6  # in "How are things?"

#: One child's answers in Arabic: one in Arabic, one in English (children mix languages).
ARABIC_ANSWERS = HowAreThings(overall="Happy", home="OK",
                              good="الذهاب إلى الحديقة مع عائلتي الحاضنة يوم السبت",
                              not_good="My brother moved away and I miss him",
                              listened="A bit")
WELSH_ANSWERS = HowAreThings(overall="Very happy", home="Sad",
                             good="Mynd i'r parc gyda fy nheulu maeth ar ddydd Sadwrn",
                             not_good="Mae fy mrawd wedi symud i ffwrdd", listened="Yes")


def test_the_service_ships_the_languages_the_menu_is_checked_against():
    """If a language is added, these tests must learn its name in itself."""
    assert set(LANGUAGES) == set(ENDONYMS)


# ---------------------------------------------------------------------------------------------
# 1. The whole case journey in Welsh and in Arabic, on a tablet and on a phone
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("context", SIZES, indirect=True)
@pytest.mark.parametrize("tag", ["cy", "ar"])
def test_a_child_chooses_welsh_or_arabic_and_does_the_whole_case_journey_in_it(
        child, faces_required_code, screenshot, tag):
    made = faces_required_code()  # its first question required, to see its error too
    answers = ARABIC_ANSWERS if tag == "ar" else WELSH_ANSWERS
    words = Words.of(tag)
    direction = "rtl" if tag in RIGHT_TO_LEFT else "ltr"
    shots: list[str] = []

    def arrived(name: str, heading: str) -> None:
        assert child.html_language() == (tag, direction), f"<html lang dir> on {child.path()}"
        assert child.heading() == heading, f"the heading on {child.path()}"
        if tag in RIGHT_TO_LEFT:
            shots.append(screenshot(f"{len(shots) + 1:02d}-{name}").name)

    child.open_start()
    assert child.html_language() == ("en", "ltr")
    child.choose_language(ENDONYMS[tag])
    assert child.path() == "/"
    arrived("start", words("Have your say"))

    child.enter_code(made.code)
    arrived("welcome", words.content("How are things?"))
    child.start_questions()

    arrived("faces", words.content("How are things for you at the moment?"))
    caption = child.page.locator(".govuk-caption-m").inner_text()
    assert caption == words("Question %(number)s of %(total)s", number=1, total=QUESTIONS)
    child.continue_()  # nothing chosen yet
    arrived("faces-not-answered", words.content("How are things for you at the moment?"))
    assert child.error_messages() == [words("Choose the face that fits best")]
    child.answer_face(answers.overall)
    child.continue_()

    arrived("faces-2", words.content("How do you feel about where you live?"))
    child.answer_face(answers.home)
    child.continue_()
    arrived("text", words.content("What has been good lately?"))
    child.answer_text(answers.good)
    child.continue_()
    arrived("text-2", words.content("What has not been so good?"))
    child.answer_text(answers.not_good)
    child.continue_()
    arrived("choice", words.content("Did your worker listen to you this time?"))
    child.choose(answers.listened)
    child.continue_()
    arrived("text-optional", words.content("Is there anything else you want to tell us?"))
    child.continue_()  # left out

    arrived("check", words("Check your answers"))
    assert child.answers_shown() == {
        words.content("How are things for you at the moment?"): words(answers.overall),
        words.content("How do you feel about where you live?"): words(answers.home),
        words.content("What has been good lately?"): answers.good,
        words.content("What has not been so good?"): answers.not_good,
        words.content("Did your worker listen to you this time?"): words.content(answers.listened),
        words.content("Is there anything else you want to tell us?"): words("Not answered"),
    }

    child.send()
    arrived("thank-you", words("Thank you"))
    main = child.page.inner_text("main")
    assert words("We have your answers") in main
    assert words("Start again") in main

    [response] = stored_responses()
    assert (response.case_id, response.language) == (made.case_id, tag)
    assert answers_of(response) == answers.stored_answers()
    assert comments_of(response) == answers.stored_comments()


# ---------------------------------------------------------------------------------------------
# Measuring the layout
# ---------------------------------------------------------------------------------------------

def box(locator) -> dict[str, float]:
    """Where an element is on screen: left, right, top, bottom, centre (CSS px)."""
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not on screen"
    return {"left": found["x"], "right": found["x"] + found["width"], "top": found["y"],
            "bottom": found["y"] + found["height"], "centre": found["x"] + found["width"] / 2}


def first_line(locator) -> dict[str, float]:
    """Where the first line of an element's words is drawn (its text only, not its icons)."""
    return locator.evaluate("""el => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      const texts = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.textContent.trim()) texts.push(node);
      }
      const range = document.createRange();
      range.setStart(texts[0], 0);
      range.setEnd(texts.at(-1), texts.at(-1).length);
      const r = [...range.getClientRects()].find(r => r.width > 0);
      return {left: r.left, right: r.right, centre: r.left + r.width / 2};
    }""")


def reading_order(locator, *parts: str) -> list[str]:
    """These bits of an element's text in the order a left-to-right reader meets them on
    screen: line by line, then left to right."""
    drawn = locator.evaluate("""(el, parts) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      const found = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const part of parts) {
          const start = node.textContent.indexOf(part);
          if (start < 0 || found.some(f => f.part === part)) continue;
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + part.length);
          const r = range.getBoundingClientRect();
          found.push({part, top: Math.round(r.top), left: r.left});
        }
      }
      return found;
    }""", list(parts))
    assert sorted(d["part"] for d in drawn) == sorted(parts), f"{parts} not all in {locator}"
    return [d["part"] for d in sorted(drawn, key=lambda d: (d["top"], d["left"]))]


def css(locator, prop: str, pseudo: str | None = None) -> str:
    return locator.evaluate("(el, [prop, pseudo]) => getComputedStyle(el, pseudo)"
                            ".getPropertyValue(prop)", [prop, pseudo])


def points(locator, natural: tuple[float, float], pseudo: str | None = None) -> str:
    """Which way an arrow points once its CSS transform is applied ("left" or "right").

    ``natural`` is the way it points untransformed, as a screen vector (y down).
    """
    transform = css(locator, "transform", pseudo)
    a, _b, c, _d = (1.0, 0.0, 0.0, 1.0) if transform == "none" else \
        [float(n) for n in re.findall(r"-?[\d.e-]+", transform)[:4]]
    x = a * natural[0] + c * natural[1]
    assert abs(x) > 0.1, f"the arrow points neither left nor right ({transform})"
    return "right" if x > 0 else "left"


CHEVRON = (1.0, -1.0)  # GOV.UK's Back chevron: the corner of a top and a right border
START_ARROW = (1.0, 0.0)  # the Start button's arrow, drawn pointing right


def back_chevron_centre(link) -> float:
    """Where the Back link's chevron (its ::before) is drawn: its horizontal centre."""
    return link.evaluate("""el => {
      const r = el.getBoundingClientRect(), own = getComputedStyle(el);
      const before = getComputedStyle(el, "::before");
      return r.left + parseFloat(own.borderLeftWidth) + parseFloat(before.left)
        + parseFloat(before.width) / 2;
    }""")


def question_layout(child: ChildPages) -> dict[str, Any]:
    """What a person sees on a faces question, measured."""
    page = child.page
    back = page.locator(".govuk-back-link")
    faces = [box(face) for face in page.locator(".app-faces__label").all()]
    first_row = [face for face in faces if abs(face["top"] - faces[0]["top"]) < 2]
    heading = page.get_by_role("heading", level=1)
    row = page.locator("main .govuk-grid-row").first
    column = row.locator("> [class*=govuk-grid-column-]")
    child.open_language_menu()
    items = [box(item) for item in page.locator(".app-languages__item").all()[:2]]
    return {
        "back": box(back), "back text": first_line(back),
        "chevron": back_chevron_centre(back), "chevron points": points(back, CHEVRON, "::before"),
        "faces": faces, "first row": first_row,
        "heading": box(heading), "heading text": first_line(heading),
        "column": box(column), "row": box(row),
        "first two languages": items,
    }


def radio_layout(child: ChildPages, label: str) -> dict[str, Any]:
    """Where a radio's circle and its words are on a one-answer question."""
    item = child.page.locator(".govuk-radios__item").filter(
        has=child.page.get_by_label(child.words.content(label), exact=True))
    circle = item.locator("label").evaluate("""el => {
      const item = el.parentElement.getBoundingClientRect();
      const ring = getComputedStyle(el, "::before");
      return item.left + parseFloat(ring.left) + parseFloat(ring.width) / 2;
    }""")
    return {"input": box(item.locator("input")), "words": first_line(item.locator("label")),
            "circle": circle, "direction": css(item.locator("label"), "direction")}


def error_layout(child: ChildPages) -> dict[str, Any]:
    page = child.page
    summary = page.locator(".govuk-error-summary")
    title = summary.locator(".govuk-error-summary__title")
    group = page.locator(".govuk-form-group--error")
    return {"direction": css(summary, "direction"), "title": box(title),
            "title text": first_line(title),
            "message direction": css(page.locator(".govuk-error-message"), "direction"),
            "bar": (css(group, "border-left-width"), css(group, "border-right-width"))}


def start_button_layout(child: ChildPages) -> dict[str, Any]:
    button = child.page.locator(".govuk-button--start")
    icon = button.locator(".govuk-button__start-icon")
    return {"icon": box(icon), "words": first_line(button), "points": points(icon, START_ARROW)}


# ---------------------------------------------------------------------------------------------
# 1 (cont.). Arabic mirrors English, measured on the same pages at the same size
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("context", SIZES, indirect=True)
def test_the_arabic_pages_are_the_english_pages_mirrored(
        child, faces_required_code, page, screenshot):
    width = page.viewport_size["width"]
    middle = width / 2
    child.start_with_code(faces_required_code().code)

    # English first.
    en_start = start_button_layout(child)
    child.start_questions()
    en = question_layout(child)
    screenshot("en-faces")
    child.continue_()
    en_error = error_layout(child)
    child.open("/questions/5")
    en_radio = radio_layout(child, "A bit")

    # The same pages in Arabic, chosen from the menu on the page itself.
    child.choose_language(ENDONYMS["ar"])
    assert child.path() == "/questions/5"
    assert child.html_language() == ("ar", "rtl")
    ar_radio = radio_layout(child, "A bit")
    screenshot("ar-choice")
    child.open("/questions/1")
    ar = question_layout(child)
    screenshot("ar-faces")
    child.continue_()
    ar_error = error_layout(child)
    screenshot("ar-faces-not-answered")
    child.open("/welcome")
    ar_start = start_button_layout(child)
    screenshot("ar-welcome")

    # Back: top left in English, top right in Arabic; its chevron before the word in
    # reading order, pointing back the way the child reads.
    assert en["back"]["centre"] < middle < ar["back"]["centre"], (en["back"], ar["back"])
    assert en["chevron"] < en["back text"]["left"] and en["chevron points"] == "left"
    assert ar["chevron"] > ar["back text"]["right"], \
        f"the Arabic Back chevron (centre {ar['chevron']:.0f}px) is not right of the word " \
        f"({ar['back text']})"
    assert ar["chevron points"] == "right"

    # Start: its arrow after the word, pointing on.
    assert en_start["points"] == "right" and en_start["icon"]["left"] > en_start["words"]["right"]
    assert ar_start["points"] == "left" and ar_start["icon"]["right"] < ar_start["words"]["left"]

    # The faces run from very sad to very happy in reading order: left to right in
    # English, right to left in Arabic; all five (and "I'd rather not say" below them) on
    # screen and big enough to tap.
    for faces in (en["faces"], ar["faces"]):
        assert len(faces) == 6
        assert all(0 <= f["left"] and f["right"] <= width for f in faces), faces
        assert all(f["right"] - f["left"] >= 44 and f["bottom"] - f["top"] >= 44 for f in faces)
    en_lefts = [f["left"] for f in en["first row"]]
    ar_lefts = [f["left"] for f in ar["first row"]]
    assert len(en_lefts) > 1 and en_lefts == sorted(en_lefts), "English faces not left to right"
    assert len(ar_lefts) > 1 and ar_lefts == sorted(ar_lefts, reverse=True), \
        "Arabic faces not right to left"
    assert ar["faces"][0]["centre"] > middle > en["faces"][0]["centre"]

    # Text starts at the right in Arabic: the question, the column it sits in, the menu.
    assert abs(en["heading text"]["left"] - en["heading"]["left"]) < 2
    assert abs(ar["heading"]["right"] - ar["heading text"]["right"]) < 2
    assert abs(en["column"]["left"] - en["row"]["left"]) < 2
    assert abs(ar["row"]["right"] - ar["column"]["right"]) < 2
    (en_first, en_second), (ar_first, ar_second) = en["first two languages"], \
        ar["first two languages"]
    assert en_first["left"] < en_second["left"] and ar_first["left"] > ar_second["left"]

    # The error summary and the error message read right to left and align right; the red
    # bar beside the question moves to the right.
    assert (en_error["direction"], ar_error["direction"]) == ("ltr", "rtl")
    assert ar_error["message direction"] == "rtl"
    assert abs(en_error["title text"]["left"] - en_error["title"]["left"]) < 2
    assert abs(ar_error["title"]["right"] - ar_error["title text"]["right"]) < 2
    assert en_error["bar"][0] != "0px" and en_error["bar"][1] == "0px"
    assert ar_error["bar"][0] == "0px" and ar_error["bar"][1] != "0px", ar_error["bar"]

    # A one-answer question: the circle to the right of its words in Arabic, over the
    # input a finger taps.
    assert (en_radio["direction"], ar_radio["direction"]) == ("ltr", "rtl")
    assert en_radio["input"]["right"] <= en_radio["words"]["left"] + 1
    assert ar_radio["input"]["left"] >= ar_radio["words"]["right"] - 1
    for radio in (en_radio, ar_radio):
        assert radio["input"]["left"] <= radio["circle"] <= radio["input"]["right"], radio


# ---------------------------------------------------------------------------------------------
# 2. No accessibility problems in any language
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("tag", list(ENDONYMS))
def test_the_child_pages_have_no_accessibility_problems_in_every_language(
        child, case_code, tag):
    """One short journey per language, axe on each kind of page along the way."""
    problems: dict[str, str] = {}
    direction = "rtl" if tag in RIGHT_TO_LEFT else "ltr"

    def check(where: str) -> None:
        assert child.html_language() == (tag, direction), f"<html lang dir> on {where}"
        if found := violations(child.page):
            problems[where] = describe(found)

    child.open_start()
    if tag != "en":
        child.choose_language(ENDONYMS[tag])
    check("start page")
    child.enter_code(case_code().code)
    child.start_questions()
    check("faces question")
    child.answer_face("Sad")
    child.continue_()
    child.answer_face("OK")
    child.continue_()
    child.answer_text("Seeing my friends")
    check("text question")
    child.continue_()
    child.open("/check")
    check("check answers")
    child.press_help()
    check("help page")
    child.click_link(child.words("Go back to my answers"))
    child.send()
    assert child.heading() == child.words("Thank you")
    check("thank-you page")
    assert not problems, f"axe found violations in {ENDONYMS[tag]} ({tag}):\n" + "\n".join(
        f"  {where}:\n    " + text.replace("\n", "\n    ") for where, text in problems.items())


# ---------------------------------------------------------------------------------------------
# 3. The language menu
# ---------------------------------------------------------------------------------------------

def assert_menu_offers_every_language(child: ChildPages, current: str) -> None:
    """Every language named in itself, with lang and hreflang; the current one marked."""
    menu = child.language_menu()
    where = child.page.url
    here = urlsplit(where).path + (f"?{urlsplit(where).query}" if urlsplit(where).query else "")
    assert menu.is_visible(), f"no language menu on {where}"
    options = menu.locator("li > *").all()
    shown = {}
    for option in options:
        tag = option.get_attribute("lang")
        shown[tag] = (option.text_content() or "").strip()  # in the menu, open or not
        if tag == current:
            assert option.get_attribute("aria-current") in ("true", "page"), where
            assert option.get_attribute("href") is None, f"the current language links on {where}"
        else:
            assert option.get_attribute("aria-current") is None, where
            assert option.get_attribute("hreflang") == tag, where
            href = urlsplit(option.get_attribute("href") or "")
            assert href.path == f"/language/{tag}", href
            # ...and brings the child back to the page they are on.
            assert parse_qs(href.query)["next"] == [here], href
    assert shown == ENDONYMS, f"the language menu on {where}"
    # A screen reader hears each name in its own language: it is marked up in it.
    assert menu.get_by_role("link", name=ENDONYMS["cy"], exact=True,
                            include_hidden=True).count() == (  # the list may be closed
        0 if current == "cy" else 1)


@pytest.mark.parametrize("tag", ["en", "ar"])
def test_every_child_page_offers_every_language_named_in_itself(child, case_code, tag):
    child.open_start()
    if tag != "en":
        child.choose_language(ENDONYMS[tag])
    assert_menu_offers_every_language(child, tag)
    child.enter_code(case_code().code)
    assert_menu_offers_every_language(child, tag)  # welcome
    child.start_questions()
    assert_menu_offers_every_language(child, tag)  # faces
    child.open("/questions/3")
    assert_menu_offers_every_language(child, tag)  # text
    child.open("/questions/5")
    assert_menu_offers_every_language(child, tag)  # choice
    child.open("/check")
    assert_menu_offers_every_language(child, tag)
    child.press_help()
    assert_menu_offers_every_language(child, tag)
    child.click_link(child.words("Go back to my answers"))
    child.send()
    assert_menu_offers_every_language(child, tag)  # thank you
    child.open("/timed-out")
    assert_menu_offers_every_language(child, tag)


def test_a_child_changes_language_with_the_keyboard_alone(child, case_code, page):
    keyboard = page.keyboard
    welsh = Words.of("cy")
    child.open_start()
    toggle = page.locator(".app-languages__toggle")  # "Language", in any language
    child.tab_until(toggle)
    assert child.focus_is_visible(), "no visible focus on Language"
    keyboard.press("Enter")
    cymraeg = child.language_menu().get_by_role("link", name="Cymraeg", exact=True)
    child.tab_until(cymraeg)
    assert child.focus_is_visible(), "no visible focus on Cymraeg"
    child.press_key_and_wait("Enter")
    child.words = welsh

    assert child.path() == "/"
    assert child.html_language() == ("cy", "ltr")
    assert child.heading() == welsh("Have your say")
    assert_menu_offers_every_language(child, "cy")
    # Focus starts again at the top of the new page: the first Tab is the skip link.
    assert page.evaluate("document.activeElement === document.body")
    keyboard.press("Tab")
    assert child.focused_name() == welsh("Skip to main content")

    # Mid-journey, the child stays on the question they were on.
    child.tab_until(child.code_field())
    keyboard.type(case_code().code)
    child.press_key_and_wait("Enter")
    child.tab_until(page.get_by_role("button", name=welsh("Start"), exact=True))
    child.press_key_and_wait("Enter")
    assert child.path() == "/questions/1"
    child.tab_until(child.face("Very sad"))
    for _ in range(3):
        keyboard.press("ArrowRight")
    assert child.face("Happy").is_checked()
    child.tab_until(page.get_by_role("button", name=welsh("Continue"), exact=True))
    child.press_key_and_wait("Enter")
    assert child.path() == "/questions/2"
    child.tab_until(toggle)
    keyboard.press("Enter")
    child.tab_until(child.language_menu().get_by_role("link", name="English", exact=True))
    child.press_key_and_wait("Enter")
    child.words = Words.of("en")
    assert child.path() == "/questions/2"
    assert child.html_language() == ("en", "ltr")
    assert child.heading() == "How do you feel about where you live?"
    child.open("/questions/1")
    assert child.face("Happy").is_checked(), "the answer given in Welsh was lost"


# ---------------------------------------------------------------------------------------------
# 4. Left-to-right islands on Arabic pages
# ---------------------------------------------------------------------------------------------

def test_on_arabic_pages_codes_and_english_words_keep_left_to_right(child, case_code, page):
    arabic = "الذهاب إلى الحديقة"
    english = "My brother moved away and I miss him"
    child.open_start()
    child.choose_language(ENDONYMS["ar"])
    code = child.code_field()
    assert css(code, "direction") == "ltr", "the code box on the Arabic start page"
    assert css(child.page.locator("h1"), "direction") == "rtl"
    child.enter_code(case_code().code)

    child.open("/questions/3")
    box_ = page.get_by_role("textbox")
    assert box_.get_attribute("dir") == "auto"
    child.answer_text(english)
    assert box_.evaluate("el => el.matches(':dir(ltr)')"), "English typed in an RTL box"
    child.answer_text(arabic)
    assert box_.evaluate("el => el.matches(':dir(rtl)')")
    child.continue_()
    child.answer_text(english)
    child.continue_()
    child.open("/check")

    shown = {child.page.locator(".app-answer").nth(i).inner_text(): i for i in range(2)}
    assert set(shown) == {arabic, english}
    english_answer = child.page.locator(".app-answer").nth(shown[english])
    arabic_answer = child.page.locator(".app-answer").nth(shown[arabic])
    assert english_answer.get_attribute("dir") == "auto"
    assert english_answer.evaluate("el => el.matches(':dir(ltr)')")
    assert css(english_answer, "direction") == "ltr"
    assert arabic_answer.evaluate("el => el.matches(':dir(rtl)')")
    assert reading_order(english_answer, "My", "brother", "him") == ["My", "brother", "him"], \
        "the English answer is drawn right to left"


def test_on_the_arabic_help_page_phone_numbers_read_left_to_right(child, page):
    child.open_start()
    child.choose_language(ENDONYMS["ar"])
    child.press_help()
    assert child.heading() == child.words("Get help now")
    contacts = page.locator("main .app-contacts")
    childline = contacts.get_by_role("link", name="0800 1111", exact=True)
    emergency = contacts.get_by_role("link", name="999", exact=True)
    for number in (childline, emergency):
        assert css(number, "direction") == "ltr"
    assert childline.get_attribute("href") == "tel:08001111"
    assert reading_order(childline, "0800", "1111") == ["0800", "1111"], \
        "0800 1111 is shown as 1111 0800"


def test_on_arabic_pages_the_footer_phone_numbers_read_left_to_right(child, page):
    """The footer on every child page: "call 999" and Childline's 0800 1111."""
    child.open_start()
    child.choose_language(ENDONYMS["ar"])
    footer = page.locator("footer p")
    assert "0800 1111" in footer.inner_text()
    assert reading_order(footer, "0800", "1111") == ["0800", "1111"], \
        f"the footer shows Childline's number as 1111 0800: {footer.inner_text()!r}"


HELP_CONTACTS = ("If you are in danger now, call %(number)s.",
                 "Childline is free and always there: call %(number)s or %(chat)s.")
#: The council's duty team: "tonight" from 5pm to 6am, "now" the rest of the day.
DUTY_CONTACTS = ("If you need help now, call our duty team on %(number)s.",
                 "If you need help tonight, call our duty team on %(number)s.")


def test_the_help_contacts_are_in_the_childs_language(child, page):
    """Who to call in danger is the one thing every child must be able to read."""
    wrong = []
    child.open("/help")
    for tag in (tag for tag in ENDONYMS if tag != "en"):
        child.choose_language(ENDONYMS[tag])
        words = child.words
        shown = [line.inner_text() for line in page.locator("main .app-contacts li").all()]
        messages = (*HELP_CONTACTS, *DUTY_CONTACTS)
        expected = [words.catalogue.get(message) for message in messages]
        if None in expected:
            wrong.append(f"{tag}: shows {shown!r}; translations/{tag} has no translation of "
                         f"{[m for m, e in zip(messages, expected) if e is None]}")
            continue
        expected = [words(HELP_CONTACTS[0], number="999"),
                    words(HELP_CONTACTS[1], number="0800\xa01111",  # never split
                          chat=words("chat online with Childline"))]
        duty = [words(message, number=DUTY_PHONE) for message in DUTY_CONTACTS]
        if shown[:2] != expected or shown[2:] not in ([duty[0]], [duty[1]]):
            wrong.append(f"{tag}: shows {shown!r}, not {expected!r} and one of {duty!r}")
    assert not wrong, "the help contacts are not in the child's language:\n" + "\n".join(wrong)


# ---------------------------------------------------------------------------------------------
# 5. Read aloud only with a voice for the page's language
# ---------------------------------------------------------------------------------------------

def device(voices: list[tuple[str, str]]) -> str:
    """A script making the browser report these voices, and remember what it is asked to say."""
    listed = [{"name": name, "lang": lang, "default": False, "localService": True,
               "voiceURI": name} for name, lang in voices]
    return """
      speechSynthesis.getVoices = () => %s;
      window.__spoken = [];
      // The page sets an utterance's voice to one of these: a real utterance takes only a
      // real voice, so stand in for it too.
      window.SpeechSynthesisUtterance = class { constructor (text) { this.text = text; } };
      speechSynthesis.speak = u => window.__spoken.push(
        {text: u.text, lang: u.lang, voice: u.voice && u.voice.lang});
    """ % json.dumps(listed)


ENGLISH = ("Daniel", "en-GB")
WELSH = ("Geraint", "cy-GB")
ARABIC = ("Maged", "ar-SA")
READ_ALOUD = [
    pytest.param("ar", [ENGLISH], None, id="arabic-with-only-an-english-voice"),
    pytest.param("cy", [ENGLISH, WELSH], "cy-GB", id="welsh-with-a-welsh-voice"),
    pytest.param("ar", [ENGLISH, ARABIC], "ar-SA", id="arabic-with-an-arabic-voice"),
    pytest.param("ur", [ENGLISH, ARABIC], None, id="urdu-with-only-arabic-and-english"),
]


@pytest.mark.parametrize(("tag", "voices", "speaks_with"), READ_ALOUD)
def test_read_aloud_needs_a_voice_for_the_pages_language(child, case_code, page, tag, voices,
                                                         speaks_with):
    page.add_init_script(device(voices))
    child.open_start()
    child.choose_language(ENDONYMS[tag])
    child.enter_code(case_code().code)
    child.start_questions()
    words = child.words
    button = page.get_by_role("button", name=words("Read this aloud"))
    note = page.get_by_text(words("This device has no voice for this language, so it cannot "
                                  "read this page aloud."), exact=True)
    if speaks_with is None:
        assert note.is_visible(), "no note saying the device has no voice for the language"
        assert not button.is_visible(), "Read this aloud offered with no voice for the language"
        return
    assert button.is_visible() and not note.is_visible()
    button.click()
    [spoken] = page.evaluate("window.__spoken")
    assert spoken["voice"] == speaks_with and spoken["lang"] == tag
    assert spoken["text"].startswith(words.content("How are things for you at the moment?"))
    assert words("Very sad") in spoken["text"]
