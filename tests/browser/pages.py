"""Browser helpers whose methods read as what a person does, and layout checks.

``ChildPages(page, base_url).enter_code("ABCD")`` types the code and presses
Start, as a child would; the checks below measure what a person would notice
on a small screen or with a finger.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field as dataclass_field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import pyotp
from babel.messages.pofile import read_po

from axe import assert_accessible

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

__all__ = ["ChildPages", "SmallTarget", "StaffPages", "Words", "assert_accessible",
           "assert_no_horizontal_scroll", "small_targets"]

ROOT = Path(__file__).resolve().parents[2]
#: The session cookie's name in production (and in the live server, which runs as such).
SESSION_COOKIE = "__Host-session"
#: Each account's authenticator key and last step used, as the person's phone keeps them.
APP_KEYS: dict[str, str] = {}
USED_STEPS: dict[str, int] = {}


@dataclass(frozen=True)
class Words:
    """What the pages say in one language, read from the translators' own files.

    ``words("Continue")`` is the catalogue's translation (translations/<tag>/.../messages.po);
    ``words.content("A bit")`` is the questionnaire's own text
    (feedback/questionnaires/<questionnaire>.json), falling back to the catalogue (the faces
    and age bands are in the catalogue). English comes back as it is. A text with no
    translation fails the test that asks for it.
    """

    tag: str
    questionnaire: str = "how-are-things"
    catalogue: dict[str, str] = dataclass_field(default_factory=dict, repr=False)
    texts: dict[str, str] = dataclass_field(default_factory=dict, repr=False)

    @staticmethod
    @cache
    def of(tag: str, questionnaire: str = "how-are-things") -> Words:
        if tag == "en":
            return Words("en", questionnaire)
        with (ROOT / "translations" / tag / "LC_MESSAGES" / "messages.po").open("rb") as po:
            catalogue = {m.id: m.string for m in read_po(po)
                         if isinstance(m.id, str) and m.id and isinstance(m.string, str)
                         and m.string and not m.fuzzy}
        texts: dict[str, str] = {}

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                if isinstance(node.get("en"), str) and node.get(tag):
                    texts.setdefault(node["en"], node[tag])
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        path = ROOT / "feedback" / "questionnaires" / f"{questionnaire}.json"
        walk(json.loads(path.read_text(encoding="utf-8")))
        return Words(tag, questionnaire, catalogue, texts)

    def __call__(self, english: str, **values: object) -> str:
        """The page's words for this catalogue message, with any %(name)s filled in."""
        text = english if self.tag == "en" else self.catalogue.get(english)
        if text is None:
            raise AssertionError(f"translations/{self.tag} has no translation of {english!r}")
        return text % values if values else text

    def content(self, english: str) -> str:
        """The questionnaire's text (title, question, option) in this language."""
        if self.tag == "en":
            return english
        return self.texts.get(english) or self(english)


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

    def click_link(self, name: str) -> None:
        """Follow a link (or a link that looks like a button) and wait for the page."""
        target = self.page.get_by_role("link", name=name, exact=True).or_(
            self.page.get_by_role("button", name=name, exact=True))
        with self.page.expect_navigation():
            target.first.click()

    def path(self) -> str:
        """The path of the page now shown, e.g. ``/check``."""
        return urlsplit(self.page.url).path

    def focused_name(self) -> str:
        """The visible text (or label) of the element that has the keyboard focus."""
        return str(self.page.evaluate(_FOCUSED_NAME))

    def focus_is_visible(self) -> bool:
        """Whether the focused element is on screen and drawn differently because it has focus."""
        return bool(self.page.evaluate(_FOCUS_IS_VISIBLE))

    def tab_until(self, target: Locator, most: int = 40) -> None:
        """Press Tab until ``target`` has the keyboard focus."""
        for _ in range(most):
            self.page.keyboard.press("Tab")
            if target.evaluate("element => element === document.activeElement"):
                return
        raise AssertionError(f"{most} presses of Tab never reached {target}")

    def press_key_and_wait(self, key: str) -> None:
        """Press a key that submits a form or follows a link, and wait for the next page."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)


class ChildPages(Pages):
    """A young person's pages, read in ``words``' language (English unless told).

    The methods take the English names of what the child taps and find them in the
    page's language: ``child.continue_()`` presses "Ymlaen" on a Welsh page.
    """

    def __init__(self, page: Page, base_url: str, words: Words | None = None) -> None:
        super().__init__(page, base_url)
        self.words = words or Words.of("en")

    def open_start(self) -> None:
        self.open("/")

    def enter_code(self, code: str) -> None:
        """Type a code on the start page and press Start."""
        self.code_field().fill(code)
        self.press_button(self.words("Start"))

    def code_field(self) -> Locator:
        return self.field(self.words("Enter your code"))

    def language_menu(self) -> Locator:
        """The language menu at the top of every child page."""
        return self.page.get_by_role("navigation", name=self.words("Choose a language"),
                                     exact=True)

    def open_language_menu(self) -> None:
        """Press "Language" to show the list of languages, unless it is open already."""
        menu = self.language_menu().locator("details")
        if menu.get_attribute("open") is None:
            menu.locator("summary").click()

    def choose_language(self, name: str) -> None:
        """Open the menu and click a language's own name (e.g. "Cymraeg"); read the pages in it."""
        self.open_language_menu()
        link = self.language_menu().get_by_role("link", name=name, exact=True)
        tag = link.get_attribute("hreflang") or ""
        with self.page.expect_navigation():
            link.click()
        self.words = Words.of(tag, self.words.questionnaire)

    def html_language(self) -> tuple[str | None, str | None]:
        """The page's ``<html lang dir>``."""
        html = self.page.locator("html")
        return html.get_attribute("lang"), html.get_attribute("dir")

    def start_with_code(self, code: str) -> None:
        """Open the start page, enter the code and land on the welcome page."""
        self.open_start()
        self.enter_code(code)

    def start_questions(self) -> None:
        """Press Start on the welcome page."""
        self.click_link(self.words("Start"))

    def answer_face(self, label: str) -> None:
        """Tap the face with this word under it."""
        self.face(label).click()

    def face(self, label: str) -> Locator:
        """The face with this word under it (its radio button covers the whole tile)."""
        return self.page.get_by_role("radio", name=self.words(label), exact=True)

    def choose(self, label: str) -> None:
        """Choose the answer with this label on a one-answer question."""
        self.page.get_by_label(self.words.content(label), exact=True).check()

    def answer_text(self, text: str) -> None:
        """Write an answer in the only text box on the page, replacing what was there."""
        self.page.get_by_role("textbox").fill(text)

    def answer_house(self, house: str, text: str) -> None:
        """Write in one of the three houses."""
        self.field(house).fill(text)

    def continue_(self) -> None:
        self.press_button(self.words("Continue"))

    def answers_shown(self) -> dict[str, str]:
        """The check-your-answers list: question -> answer as the page shows it."""
        rows = self.page.locator(".govuk-summary-list__row")
        return {row.locator(".govuk-summary-list__key").inner_text().strip():
                " ".join(row.locator(".govuk-summary-list__value").inner_text().split())
                for row in rows.all()}

    def change_answer(self, question: str) -> None:
        """Press Change next to a question on the check-your-answers page."""
        name = f"{self.words('Change')} {self.words.content(question)}"
        with self.page.expect_navigation():
            self.page.get_by_role("link", name=name, exact=True).click()

    def send(self) -> None:
        self.press_button(self.words("Send"))

    def send_again(self) -> None:
        self.press_button(self.words("Send again"))

    def press_help(self) -> None:
        """Press "I don't feel safe / I need help now" in the header."""
        self.click_link(self.words("I don't feel safe / I need help now"))

    def start_again(self) -> None:
        self.click_link(self.words("Start again"))

    def show_timeout_warning(self) -> Locator:
        """Open the 8-minute warning now instead of waiting for it."""
        self.page.evaluate("document.getElementById('timeout-warning').showModal()")
        return self.page.locator("dialog#timeout-warning")

    def lose_session(self) -> None:
        """Forget the session cookie, as when the session ran out while a page was open."""
        self.page.context.clear_cookies(name=SESSION_COOKIE)


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
        self.give_second_factor(email)

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
        self.give_second_factor(email)

    def give_second_factor(self, email: str) -> None:
        """Production asks for a code from the app: set the app up the first time."""
        if self.path() == "/staff/sign-in/app":
            key = self.page.get_by_test_id("totp-secret").inner_text().strip()
            APP_KEYS[email] = key
            self.field("Code from the app").fill(self._next_code(email))
            self.press_button("Continue")
            self.click_link("I have kept my codes, continue")
        elif self.path() == "/staff/sign-in/code":
            self.field("Code").fill(self._next_code(email))
            self.press_button("Continue")

    @staticmethod
    def _next_code(email: str) -> str:
        """The app's code for a 30-second step not used yet (a step is accepted once)."""
        step = max(int(time.time()) // 30, USED_STEPS.get(email, -1) + 1)
        USED_STEPS[email] = step
        return pyotp.TOTP(APP_KEYS[email]).at(step * 30)

    def sign_out(self) -> None:
        self.press_button("Sign out")

    def open_inbox(self) -> None:
        self.open("/staff/")

    def open_case(self, reference: str) -> None:
        self.open(f"/staff/cases/{reference}")

    def open_plan(self, reference: str) -> None:
        self.open(f"/staff/cases/{reference}/plan")

    def open_plan_action(self, action_id: int) -> None:
        self.open(f"/staff/plan-actions/{action_id}")

    def open_export(self, reference: str) -> None:
        self.open(f"/staff/cases/{reference}/export")

    def open_alert(self, alert_id: int) -> None:
        self.open(f"/staff/alerts/{alert_id}")

    def create_access_code(self, questionnaire: str = "How are things?") -> str:
        """On the case page, choose a questionnaire, press "Create an access code"; return it."""
        self.field("Questionnaire").select_option(label=questionnaire)
        self.press_button("Create an access code")
        return self.page.locator(".app-access-code").inner_text().strip()

    def acknowledge_alert(self, action: str, note: str = "") -> None:
        """On an alert page, say what was done and press Acknowledge."""
        self.page.get_by_label(action, exact=True).check()
        if note:
            self.field("Notes").fill(note)
        self.press_button("Acknowledge")


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

_FOCUSED_NAME = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "";
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  return (el.innerText || label || el.getAttribute("aria-label") || el.value || "")
    .trim().replace(/\\s+/g, " ");
}"""

# Visible focus: the focused element is on screen and at least one of its (or, for a
# visually hidden radio, its label's) outline, shadow, background or colour differs
# from how it looks after blur. Focus is put back afterwards.
_FOCUS_IS_VISIBLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return false;
  const parts = [el, ...(el.labels ? [...el.labels] : [])];
  const look = () => parts.map(p => {
    const s = getComputedStyle(p);
    return [s.outlineStyle + s.outlineWidth + s.outlineColor, s.boxShadow, s.backgroundColor,
            s.color, s.textDecorationLine].join("|");
  }).join("/");
  const box = parts.map(p => p.getBoundingClientRect()).find(r => r.width > 1 && r.height > 1);
  if (!box || box.bottom < 0 || box.top > innerHeight) return false;
  const focused = look();
  el.blur();
  const blurred = look();
  el.focus({focusVisible: true});
  return focused !== blurred;
}"""

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
