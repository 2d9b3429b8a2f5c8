"""GOV.UK Frontend's components start on the child's pages, at 768x1024 and 375x667:
Exit this page on Shift x3, the character count, and Send's double-click guard."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from journeys import stored_responses
from pages import ChildPages

if TYPE_CHECKING:
    from playwright.sync_api import Route

pytestmark = pytest.mark.browser

TABLET: dict[str, object] = {}
PHONE = {"viewport": {"width": 375, "height": 667}}
SIZES = [pytest.param(TABLET, id="tablet"), pytest.param(PHONE, id="phone")]
#: Tell the test when GOV.UK's loading overlay covers the page (it is gone with the page).
WATCH_FOR_OVERLAY = """new MutationObserver((changes, observer) => {
  const overlay = document.querySelector('.govuk-exit-this-page-overlay')
  if (overlay) {
    observer.disconnect()
    window.overlayShown(overlay.getBoundingClientRect().height >= window.innerHeight)
  }
}).observe(document, {childList: true, subtree: true})"""
NEUTRAL_PAGE = "<!DOCTYPE html><title>Weather</title><h1>Weather</h1>"


@pytest.mark.parametrize("context", SIZES, indirect=True)
def test_pressing_shift_three_times_leaves_for_the_neutral_site(child, case_code, page,
                                                                live_server):
    exit_url = live_server.app.config["EXIT_URL"]
    sent_to: list[str] = []

    def leave(route: Route) -> None:
        # Playwright cannot route the redirect's target, so the test reads the server's
        # answer and stands in for the neutral site itself.
        answer = route.fetch(max_redirects=0)
        sent_to.append(answer.headers.get("location", "") if answer.status == 302 else "")
        route.fulfill(body=NEUTRAL_PAGE, content_type="text/html")

    page.route("**/exit", leave)
    shown: list[bool] = []
    page.expose_function("overlayShown", lambda covers: shown.append(covers))
    page.add_init_script(WATCH_FOR_OVERLAY)
    child.start_with_code(case_code().code)
    child.start_questions()
    page.locator("body").click(position={"x": 5, "y": 400})
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url("**/exit")
    assert page.locator("h1").inner_text() == "Weather"
    assert sent_to == [exit_url]
    assert shown == [True], "no loading overlay covered the page while it left"


def left(status: str) -> int:
    """The number in the character count's message ("2,000 letters left")."""
    return int(re.sub(r"\D", "", status))


@pytest.mark.parametrize("context", SIZES, indirect=True)
def test_the_character_count_counts_down_as_the_child_types(child, case_code, page):
    child.start_with_code(case_code().code)
    child.open("/questions/3")
    status = page.locator(".govuk-character-count__status")
    assert left(status.inner_text()) == 2000
    page.get_by_role("textbox").press_sequentially("My nan")
    assert left(status.inner_text()) == 1994


@pytest.mark.parametrize("context", SIZES, indirect=True)
def test_a_double_click_on_send_sends_once(child: ChildPages, case_code, page):
    child.start_with_code(case_code().code)
    child.start_questions()
    for face in ("Happy", "OK"):  # the two faces questions
        child.answer_face(face)
        child.continue_()
    child.open("/check")
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url)
            if request.method == "POST" and request.url.endswith("/send") else None)
    with page.expect_navigation(url="**/thank-you"):
        page.get_by_role("button", name="Send", exact=True).dblclick()
    assert child.heading() == "Thank you"
    assert len(sent) == 1
    assert len(stored_responses()) == 1
