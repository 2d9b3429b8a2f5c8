"""Opening a QR code's link fills in the code and leaves no code in the address bar."""

from __future__ import annotations

import pytest

from pages import ChildPages

pytestmark = pytest.mark.browser


def test_a_code_link_fills_the_box_and_leaves_history_clean(child: ChildPages, case_code):
    code = case_code().code
    child.open(f"/#code={code}")
    assert child.code_field().input_value() == code
    assert child.page.evaluate("window.location.href").endswith("/")
    assert code not in child.page.evaluate("window.location.href")
    child.press_button(child.words("Start"))
    child.page.wait_for_url("**/welcome")
