"""Every child page and state: zero axe (WCAG 2.2 AA) violations, targets a finger can hit
at 768x1024, and no sideways scrolling at 320 px."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from feedback.extensions import db
from feedback.models import Reply, utcnow
from axe import describe, violations
from journeys import HowAreThings, answer_how_are_things
from pages import ChildPages, assert_accessible, assert_no_horizontal_scroll, small_targets

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 375, "height": 667}
TOO_LONG = "I want to say a lot. " * 100  # 2,100 characters; the limit is 2,000


class Seeds:
    """What a worker or session leader set up before the child arrives."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request

    def case_code(self, slug: str = "how-are-things") -> str:
        return self._request.getfixturevalue("case_code")(slug).code

    def session_code(self) -> str:
        return self._request.getfixturevalue("session_code")().code

    def case_code_with_the_faces_required(self) -> str:
        return self._request.getfixturevalue("faces_required_code")().code

    def case_code_with_a_shared_reply(self) -> str:
        case = self._request.getfixturevalue("create_case")()
        create_response = self._request.getfixturevalue("create_response")
        earlier = create_response(case, "I want to see my nan more")
        db.session.add(Reply(case=case, comment=earlier.comments[0], is_shared_with_child=True,
                             shared_at=utcnow(), text="We have arranged a visit to your nan"))
        db.session.commit()
        return self._request.getfixturevalue("create_access_code")(case)


def start(child: ChildPages, seeds: Seeds) -> None:
    child.open_start()


def wrong_code(child: ChildPages, seeds: Seeds) -> None:
    child.open_start()
    child.enter_code("ABCD")


def welcome(child: ChildPages, seeds: Seeds) -> None:
    child.start_with_code(seeds.case_code())


def welcome_with_shared_replies(child: ChildPages, seeds: Seeds) -> None:
    child.start_with_code(seeds.case_code_with_a_shared_reply())
    assert child.heading() == "Last time you told us…"


def faces_question(child: ChildPages, seeds: Seeds) -> None:
    welcome(child, seeds)
    child.start_questions()


def faces_not_answered(child: ChildPages, seeds: Seeds) -> None:
    child.start_with_code(seeds.case_code_with_the_faces_required())
    child.start_questions()
    child.continue_()
    assert child.error_messages() == ["Choose the face that fits best"]


def text_question(child: ChildPages, seeds: Seeds) -> None:
    welcome(child, seeds)
    child.open("/questions/3")


def text_too_long(child: ChildPages, seeds: Seeds) -> None:
    text_question(child, seeds)
    child.answer_text(TOO_LONG)
    child.continue_()
    assert child.error_messages()[0].startswith("Your answer is too long")


def choice_question(child: ChildPages, seeds: Seeds) -> None:
    welcome(child, seeds)
    child.open("/questions/5")


def age_band_question(child: ChildPages, seeds: Seeds) -> None:
    child.start_with_code(seeds.session_code())
    child.start_questions()


def three_houses_question(child: ChildPages, seeds: Seeds) -> None:
    child.start_with_code(seeds.case_code("three-houses"))
    child.start_questions()


def check_answers(child: ChildPages, seeds: Seeds) -> None:
    welcome(child, seeds)
    answer_how_are_things(child, HowAreThings())


def _answer_briefly(child: ChildPages, seeds: Seeds) -> None:
    """Answer the two faces and one text question, leave the rest out, go to the check page."""
    faces_question(child, seeds)
    child.answer_face("Sad")
    child.continue_()
    child.answer_face("OK")
    child.continue_()
    child.answer_text("Seeing my friends at the weekend")
    child.continue_()
    child.open("/check")


def help_from_start(child: ChildPages, seeds: Seeds) -> None:
    child.open_start()
    child.press_help()


def help_during_questions(child: ChildPages, seeds: Seeds) -> None:
    faces_question(child, seeds)
    child.press_help()


def help_sent(child: ChildPages, seeds: Seeds) -> None:
    help_during_questions(child, seeds)
    child.press_button("Tell my worker now")
    assert child.heading() == "We have sent your message to your worker"


def thank_you(child: ChildPages, seeds: Seeds) -> None:
    _answer_briefly(child, seeds)
    child.send()


def timeout_warning(child: ChildPages, seeds: Seeds) -> None:
    text_question(child, seeds)
    child.show_timeout_warning()


def send_again(child: ChildPages, seeds: Seeds) -> None:
    _answer_briefly(child, seeds)
    child.lose_session()
    child.send()
    assert child.heading() == "We did not get that. Please send it again"


def timed_out(child: ChildPages, seeds: Seeds) -> None:
    faces_question(child, seeds)
    child.open("/timed-out")


STATES: dict[str, Callable[[ChildPages, Seeds], None]] = {
    f.__name__.replace("_", "-"): f for f in (
        start, wrong_code, welcome, welcome_with_shared_replies, faces_question,
        faces_not_answered, text_question, text_too_long, choice_question, age_band_question,
        three_houses_question, check_answers, help_from_start, help_during_questions, help_sent,
        thank_you, timeout_warning, send_again, timed_out)}

#: States with a known defect in the app, per check: {state: reason}. Each is a strict
#: xfail, so the test fails again (XPASS) as soon as the app is fixed.
KNOWN_AXE: dict[str, str] = {}
KNOWN_LAYOUT: dict[str, str] = {}


def states(known: dict[str, str]) -> list:
    return [pytest.param(name, id=name, marks=[pytest.mark.xfail(
        strict=True, raises=AssertionError, reason=known[name])] if name in known else [])
        for name in STATES]


@pytest.fixture()
def reach(child: ChildPages, request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Bring the browser to a named page and state, as a child would get there."""
    return lambda state: STATES[state](child, Seeds(request))


@pytest.mark.parametrize("state", states(KNOWN_AXE))
def test_the_child_page_has_no_accessibility_problems(reach, state, page):
    reach(state)
    assert_accessible(page)


@pytest.mark.parametrize("state", states(KNOWN_LAYOUT))
def test_the_child_page_fits_a_finger_and_a_320px_screen(reach, state, page, screenshot):
    """Every control at least 44x44 CSS px at 768x1024; no sideways scrolling at 320 px."""
    reach(state)
    screenshot("tablet")
    found = small_targets(page, 44)
    page.set_viewport_size(PHONE)
    screenshot("phone")
    page.set_viewport_size(TABLET)
    assert not found, f"{len(found)} control(s) on {page.url} smaller than 44x44 CSS px:\n" + \
        "\n".join(f"    {target}" for target in found)
    assert_no_horizontal_scroll(page, width=320)


@pytest.mark.parametrize("context", [{"java_script_enabled": False}], ids=["no-js"],
                         indirect=True)
def test_without_javascript_every_page_of_a_journey_has_no_accessibility_problems(
        child, page, request):
    """Without JavaScript the pages look different (no character count, plain radios)."""
    problems: dict[str, str] = {}

    def check(where: str) -> None:
        found = violations(page)
        if found:
            problems[where] = describe(found)

    seeds = Seeds(request)
    child.start_with_code(seeds.case_code("three-houses"))
    child.start_questions()
    check("three houses question")
    child.start_with_code(seeds.case_code_with_the_faces_required())
    check("welcome")
    child.start_questions()
    child.continue_()
    check("faces question, not answered")
    child.answer_face("Sad")
    child.continue_()
    check("faces question")
    child.answer_face("OK")
    child.continue_()
    child.answer_text(TOO_LONG)
    child.continue_()
    check("text question, too long")
    child.answer_text("Fine")
    child.continue_()
    check("text question")
    child.continue_()
    check("choice question")
    child.choose("Yes")
    child.continue_()
    child.continue_()
    check("check answers")
    child.send()
    check("thank you")
    assert not problems, "axe found violations without JavaScript:\n" + "\n".join(
        f"  {where}:\n    " + text.replace("\n", "\n    ") for where, text in problems.items())
