"""An administrator uploads a questionnaire version with a mistake, sees its line, fixes it
in the box, publishes it and previews it in Welsh. Every page has zero axe violations."""

from __future__ import annotations

import json

import pytest

from factories import CLUB, PASSWORD
from feedback.models import Role
from pages import assert_accessible

pytestmark = pytest.mark.browser


def test_an_administrator_fixes_an_upload_publishes_it_and_previews_it_in_welsh(
        staff, live_server, create_user):
    admin = create_user(Role.ADMIN, email="admin@council.example", name="Ada Admin")
    staff.sign_in(admin.email, PASSWORD)
    staff.open("/admin/")
    staff.click_link("Questionnaires: versions, upload, preview, publish and retire")
    assert_accessible(staff.page)
    staff.click_link("Upload a version")
    text = json.dumps(CLUB, indent=2, ensure_ascii=False)
    broken = text.replace('"faces"', '"slider"')
    box = staff.page.get_by_role("textbox", name="Or paste the questionnaire")
    box.fill(broken)
    staff.press_button("Upload")
    line = next(n for n, words in enumerate(broken.splitlines(), 1) if '"slider"' in words)
    [message] = staff.error_messages()
    assert message.startswith(f"Line {line}, column ")
    assert "question 'feel' has type 'slider'" in message
    assert box.input_value() == broken  # nothing pasted is lost
    assert_accessible(staff.page)

    box.fill(broken.replace('"slider"', '"faces"'))
    staff.page.get_by_label("Publish it straight away: new codes use it from now on").check()
    staff.press_button("Upload")
    assert "Youth club, version 1" in staff.heading()
    assert "Published" in staff.page.locator(".govuk-summary-list").inner_text()
    assert_accessible(staff.page)

    staff.click_link("Preview in Cymraeg")
    banner = staff.page.get_by_test_id("preview-banner")
    assert "this is not a child's session" in banner.inner_text()
    assert staff.page.locator("html").get_attribute("lang") == "cy"
    assert staff.heading() == "Sut wyt ti'n teimlo yn y clwb?"
    assert staff.page.locator("form").count() == 0  # nothing on a preview can send
    assert_accessible(staff.page)
    staff.click_link("Ymlaen")
    assert "Unrhyw beth arall?" in staff.heading()
    assert_accessible(staff.page)
