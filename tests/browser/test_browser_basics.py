"""The first pages in a real browser: accessible, fit a phone, work by keyboard and without JS."""

import pytest

from factories import PASSWORD
from feedback.models import Role
from pages import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 667}}
NO_JS = {"java_script_enabled": False}
WRONG_CODE = "That code did not work."


@pytest.mark.parametrize("context", [{}, PHONE], ids=["tablet", "phone"], indirect=True)
def test_the_start_page_has_no_accessibility_problems(child, page):
    child.open_start()
    assert_accessible(page)


def test_the_start_page_fits_a_320px_screen(child, page):
    child.open_start()
    assert_no_horizontal_scroll(page, width=320)


def test_a_wrong_code_gets_an_error_summary_linked_to_the_field(child):
    child.open_start()
    child.enter_code("ABCD")
    [(message, link)] = child.error_summary()
    assert message.startswith(WRONG_CODE)
    assert link == "#" + child.field("Enter your code").get_attribute("id")


def test_the_start_page_with_a_wrong_code_has_no_accessibility_problems(child, page):
    child.open_start()
    child.enter_code("ABCD")
    assert_accessible(page)


def test_the_sign_in_page_has_no_accessibility_problems(staff, page):
    staff.open_sign_in()
    assert_accessible(page)


def test_a_failed_sign_in_is_explained_in_an_error_summary(staff):
    staff.sign_in("nobody@test.example", "not-the-password")
    assert staff.error_messages() == [
        "The email address or password is not right. Check them and try again."]


def test_a_failed_sign_in_has_no_accessibility_problems(staff, page):
    staff.sign_in("nobody@test.example", "not-the-password")
    assert_accessible(page)


def test_a_worker_signs_in_and_lands_on_the_inbox(staff, create_user):
    user = create_user(Role.WORKER)
    staff.sign_in(user.email, PASSWORD)
    assert staff.heading() == "Inbox"


def test_the_inbox_has_no_accessibility_problems(staff, page, create_user):
    user = create_user(Role.WORKER)
    staff.sign_in(user.email, PASSWORD)
    assert_accessible(page)


def test_the_page_not_found_has_no_accessibility_problems(child, page):
    child.open("/no-such-page")
    assert_accessible(page)


def test_a_worker_signs_in_with_the_keyboard_alone(staff, create_user):
    user = create_user(Role.WORKER)
    staff.sign_in_with_keyboard(user.email, PASSWORD)
    assert staff.heading() == "Inbox"


@pytest.mark.parametrize("context", [NO_JS], ids=["no-js"], indirect=True)
def test_the_start_page_works_without_javascript(child):
    child.open_start()
    child.enter_code("ABCD")
    assert child.error_messages()[0].startswith(WRONG_CODE)


@pytest.mark.parametrize("context", [NO_JS], ids=["no-js"], indirect=True)
def test_the_start_page_without_javascript_has_no_accessibility_problems(child, page):
    child.open_start()
    child.enter_code("ABCD")
    assert_accessible(page)
