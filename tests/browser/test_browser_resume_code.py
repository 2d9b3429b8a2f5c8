"""A child comes back to their code: in Chromium over HTTPS with production settings.

A manager makes a code on the case page; the child answers two questions on one
device and closes the tab; on another browser the same code carries on at question 3;
after Send the code opens nothing, on either browser.
"""

import pytest
from sqlalchemy import func, select

from factories import PASSWORD
from feedback.extensions import db
from feedback.models import AccessCode, Response, Role
from pages import ChildPages, StaffPages, assert_accessible

pytestmark = pytest.mark.browser


def test_a_child_closes_the_tab_and_carries_on_in_another_browser(
        new_context, live_server, create_case, create_user, builtin_questionnaires,
        screenshot):
    case = create_case()
    manager = create_user(Role.MANAGER, case.pod, name="Alex Manager")
    reference = case.reference

    staff = StaffPages(new_context().new_page(), live_server.url)
    staff.sign_in(manager.email, PASSWORD)
    staff.open_case(reference)
    code = staff.create_access_code("How are things?")
    slip = staff.page.inner_text("main")
    assert "127.0.0.1:" in slip and "The code works until" in slip
    assert_accessible(staff.page)
    screenshot("slip", staff.page)

    first = new_context()
    child = ChildPages(first.new_page(), live_server.url)
    child.start_with_code(code)
    child.start_questions()
    child.answer_face("Sad")
    child.continue_()
    child.answer_face("Happy")
    child.continue_()
    assert child.path() == "/questions/3"
    first.close()  # the tab (and the whole browser) goes, with its session cookie

    second = new_context()
    child = ChildPages(second.new_page(), live_server.url)
    child.start_with_code(code)
    assert child.path() == "/questions/3"
    assert_accessible(child.page)
    screenshot("resumed", child.page)
    for _ in range(3, 7):
        child.continue_()  # the rest are optional
    assert child.answers_shown()["How are things for you at the moment?"] == "Sad"
    assert child.answers_shown()["How do you feel about where you live?"] == "Happy"
    child.send()
    assert child.heading() == "Thank you"

    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    db.session.expire_all()
    assert db.session.scalar(select(AccessCode.draft)) is None
    for context in (second, new_context()):
        again = ChildPages(context.new_page(), live_server.url)
        again.start_with_code(code)
        assert again.path() == "/"
        assert "That code has been used already" in again.page.inner_text("main")
