"""Browser helpers whose methods read as what a person does, and layout checks.

``ChildPages(page, base_url).enter_code("ABCD")`` types the code and presses
Start, as a child would; the checks below measure what a person would notice
on a small screen or with a finger.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from axe import assert_accessible

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

__all__ = ["ChildPages", "SmallTarget", "StaffPages", "assert_accessible",
           "assert_no_horizontal_scroll", "small_targets"]


class Pages:
    """What any visitor does: open a page, press a button, read the error summary."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url

    def open(self, path: str) -> None:
        self.page.goto(urljoin(self.base_url, path))

    def press_button(self, name: str) -> None:
        """Click a button and wait for the page it submits to."""
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=name, exact=True).click()

    def tab_to(self, label: str, most: int = 20) -> None:
        """Press Tab until the field labelled ``label`` has focus."""
        field = self.field(label)
        for _ in range(most):
            self.page.keyboard.press("Tab")
            if field.evaluate("element => element === document.activeElement"):
                return
        raise AssertionError(f"{most} presses of Tab never reached the field {label!r}")

    def field(self, label: str) -> Locator:
        return self.page.get_by_label(label, exact=True)

    def heading(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text()

    def error_summary(self) -> list[tuple[str, str]]:
        """The error summary's messages with the fragment each links to; empty when none."""
        links = self.page.locator(".govuk-error-summary__list a")
        return [(link.inner_text(), link.get_attribute("href") or "") for link in links.all()]

    def error_messages(self) -> list[str]:
        return [text for text, _ in self.error_summary()]


class ChildPages(Pages):
    """A young person's pages."""

    def open_start(self) -> None:
        self.open("/")

    def enter_code(self, code: str) -> None:
        """Type a code on the start page and press Start."""
        self.field("Enter your code").fill(code)
        self.press_button("Start")


class StaffPages(Pages):
    """A member of staff's pages."""

    def open_sign_in(self) -> None:
        self.open("/staff/sign-in")

    def sign_in(self, email: str, password: str) -> None:
        """Open the sign-in page, fill it in and press Sign in."""
        self.open_sign_in()
        self.field("Email address").fill(email)
        self.field("Password").fill(password)
        self.press_button("Sign in")

    def sign_in_with_keyboard(self, email: str, password: str) -> None:
        """Sign in with the keyboard alone: Tab to each field, type, press Enter."""
        self.open_sign_in()
        keyboard = self.page.keyboard
        self.tab_to("Email address")
        keyboard.type(email)
        self.tab_to("Password")
        keyboard.type(password)
        with self.page.expect_navigation():
            keyboard.press("Enter")

    def sign_out(self) -> None:
        self.press_button("Sign out")


def assert_no_horizontal_scroll(page: Page, width: int = 320) -> None:
    """Fail if the page scrolls sideways at ``width`` CSS px (WCAG 1.4.10 reflow)."""
    before = page.viewport_size or {"width": 768, "height": 1024}
    page.set_viewport_size({"width": width, "height": before["height"]})
    try:
        overflow = page.evaluate(_OVERFLOW)
    finally:
        page.set_viewport_size(before)
    assert overflow["scrollWidth"] <= overflow["innerWidth"], (
        f"{page.url} scrolls sideways at {width}px: the page is {overflow['scrollWidth']}px "
        f"wide. Widest elements:\n" + "\n".join(f"    {e}" for e in overflow["widest"]))


@dataclass(frozen=True)
class SmallTarget:
    tag: str
    text: str
    selector: str
    width: float
    height: float

    def __str__(self) -> str:
        return (f"<{self.tag}> {self.text!r} at {self.selector}: "
                f"{self.width:.0f}x{self.height:.0f}px")


def small_targets(page: Page, min_size: int = 44) -> list[SmallTarget]:
    """Return the visible controls smaller than ``min_size`` CSS px in either direction.

    A radio or checkbox is measured with its label, as GOV.UK sizes the pair:
    the label is part of the target.
    """
    return [SmallTarget(**found) for found in page.evaluate(_SMALL_TARGETS, min_size)]


_CSS_PATH = """
function cssPath(element) {
  const parts = [];
  for (let el = element; el && el.nodeType === 1 && el !== document.documentElement;
       el = el.parentElement) {
    if (el.id) { parts.unshift("#" + CSS.escape(el.id)); break; }
    let part = el.localName + (el.classList.length ? "." + CSS.escape(el.classList[0]) : "");
    const twins = el.parentElement
      ? [...el.parentElement.children].filter(c => c.localName === el.localName) : [];
    if (twins.length > 1) part += `:nth-of-type(${twins.indexOf(el) + 1})`;
    parts.unshift(part);
  }
  return parts.join(" > ");
}
"""

_OVERFLOW = """() => {
  %s
  const limit = window.innerWidth;
  const widest = [...document.body.querySelectorAll("*")]
    .map(el => [el, el.getBoundingClientRect().right])
    .filter(([, right]) => right > limit)
    .sort((a, b) => b[1] - a[1]).slice(0, 5)
    .map(([el, right]) => `${cssPath(el)} reaches ${Math.round(right)}px`);
  return {scrollWidth: document.scrollingElement.scrollWidth, innerWidth: limit, widest};
}""" % _CSS_PATH

_SMALL_TARGETS = """(minSize) => {
  %s
  const isChoice = el => el.matches("input[type=radio], input[type=checkbox]");
  const controls = new Set();
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, "
    + "[role=button], label";
  for (const el of document.querySelectorAll(selector)) {
    if (el.localName !== "label") controls.add(el);
    else if (el.control && isChoice(el.control)) controls.add(el.control);  // measured as a pair
  }
  const found = [];
  for (const el of controls) {
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    const parts = [el, ...(isChoice(el) ? [...el.labels] : [])].map(e => e.getBoundingClientRect());
    const left = Math.min(...parts.map(r => r.left)), right = Math.max(...parts.map(r => r.right));
    const top = Math.min(...parts.map(r => r.top)), bottom = Math.max(...parts.map(r => r.bottom));
    const width = right - left, height = bottom - top;
    if (width <= 1 || height <= 1) continue;  // visually hidden (GOV.UK's 1px clip)
    if (width >= minSize && height >= minSize) continue;
    const labelText = el.labels && el.labels.length ? el.labels[0].innerText : "";
    const text = (el.innerText || el.getAttribute("aria-label") || labelText || el.value || "")
      .trim().replace(/\\s+/g, " ").slice(0, 60);
    found.push({tag: el.localName, text, selector: cssPath(el), width, height});
  }
  return found;
}""" % _CSS_PATH
