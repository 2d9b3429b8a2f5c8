"""The service's own faces and pictures: one row of five faces on any screen, the same on
every device whatever its fonts, and read-aloud that says the words, not the pictures."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PIL import Image, ImageChops

from conftest import CHROMIUM_ARGS, CONTEXT_DEFAULTS
from pages import ChildPages

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

WIDTHS = [320, 375, 768]
FACES = ["Very sad", "Sad", "OK", "Happy", "Very happy"]
#: Fontconfig as the system has it, less every emoji font: a device "without emoji".
NO_EMOJI_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><glob>*Emoji*</glob><glob>*emoji*</glob></rejectfont></selectfont>
</fontconfig>
"""
#: A device with one English voice; what it is asked to say is kept in window.said.
ONE_VOICE = """
window.said = [];
const voice = {lang: 'en-GB', name: 'Test voice'};
Object.defineProperty(window, 'speechSynthesis', {value: {
  getVoices: () => window.noVoices ? [] : [voice], speak: (u) => window.said.push(u.text),
  cancel: () => {}, addEventListener: () => {},
}});
window.SpeechSynthesisUtterance = class { constructor (text) { this.text = text } };
"""


@pytest.fixture()
def browser_without_emoji(browser: Browser, tmp_path: Path) -> Iterator[Browser]:
    """A second Chromium that finds every system font but the emoji ones."""
    config = tmp_path / "fonts.conf"
    config.write_text(NO_EMOJI_FONTS)
    other = browser.browser_type.launch(executable_path=shutil.which("chromium"),
                                        args=CHROMIUM_ARGS,
                                        env={**os.environ, "FONTCONFIG_FILE": str(config)})
    yield other
    other.close()


def has_emoji_font() -> bool:
    """Whether this machine has an emoji font for the first browser to use."""
    listed = subprocess.run(["fc-list"], capture_output=True, text=True, check=False).stdout \
        if shutil.which("fc-list") else ""
    return "emoji" in listed.lower()


#: The five faces' tiles (a words-only choice such as "I'd rather not say" has a row
#: of its own below them).
FACE_TILES = ".app-faces__label:has(svg)"


def face_boxes(page: Page) -> list[dict[str, float]]:
    return [face.bounding_box() for face in page.locator(FACE_TILES).all()]


def pixels(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def same_pixels(a: bytes, b: bytes) -> bool:
    first, second = pixels(a), pixels(b)
    return first.size == second.size and ImageChops.difference(first, second).getbbox() is None


@pytest.mark.parametrize("width", WIDTHS)
def test_the_five_faces_sit_in_one_row(child, case_code, page, width):
    page.set_viewport_size({"width": width, "height": 800})
    child.start_with_code(case_code().code)
    child.start_questions()
    boxes = face_boxes(page)
    assert len(boxes) == 5
    assert max(b["y"] for b in boxes) - min(b["y"] for b in boxes) < 1, boxes
    assert all(b["width"] >= 44 and b["height"] >= 44 for b in boxes), boxes
    assert all(b["x"] >= 0 and b["x"] + b["width"] <= width for b in boxes), boxes
    assert [page.locator(FACE_TILES).nth(i).inner_text().strip() for i in range(5)] == FACES


def test_the_faces_look_the_same_with_and_without_an_emoji_font(
        child, case_code, page, browser_without_emoji, live_server):
    plain = browser_without_emoji.new_context(base_url=live_server.url, **CONTEXT_DEFAULTS)
    try:
        other = ChildPages(plain.new_page(), live_server.url)
        shots = []
        for device in (child, other):
            device.start_with_code(case_code().code)
            device.start_questions()
            shots.append(device.page.locator(".app-faces").screenshot(animations="disabled"))
            # An emoji drawn by each device: it differs when only one has an emoji font.
            shots.append(device.page.evaluate("""() => {
              const probe = document.createElement('span'); probe.id = 'probe';
              probe.textContent = '\\u{1F622}\\u{1F604}'; probe.style.fontSize = '48px';
              document.querySelector('main').prepend(probe); return true }""")
                         and device.page.locator("#probe").screenshot())
    finally:
        plain.close()
    faces, emoji, plain_faces, plain_emoji = shots
    if has_emoji_font():
        assert not same_pixels(emoji, plain_emoji), "the second browser still draws emoji"
    assert same_pixels(faces, plain_faces), "the faces depend on the device's fonts"


@pytest.mark.parametrize("context", [{}], ids=["tablet"], indirect=True)
def test_read_aloud_says_the_question_and_the_words_not_the_pictures(child, case_code,
                                                                     page):
    page.add_init_script(ONE_VOICE)
    child.start_with_code(case_code().code)
    child.start_questions()
    page.get_by_role("button", name="Read this aloud").click()
    words = [label.inner_text().strip() for label in page.locator("fieldset label").all()]
    assert words[:5] == FACES
    assert page.evaluate("window.said") == [
        "How are things for you at the moment?. " + ". ".join(words)]


def test_the_no_voice_note_shows_once_a_journey(child, case_code, page):
    page.add_init_script("window.noVoices = true;" + ONE_VOICE)
    note = page.locator(".app-read-aloud__no-voice")
    child.start_with_code(case_code().code)
    child.start_questions()
    assert note.is_visible()
    page.reload()
    assert note.is_visible(), "the note went while the child was still on its page"
    child.answer_face("Happy")
    child.continue_()
    assert child.path() == "/questions/2" and not note.is_visible()
    child.open("/questions/3")
    assert not note.is_visible()

    child.start_with_code(case_code().code)  # the next child on this tablet
    child.start_questions()
    assert note.is_visible()
