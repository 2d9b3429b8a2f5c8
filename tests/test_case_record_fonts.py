"""Every child language prints in the case record: no letter without a glyph.

A PDF names, for each font it embeds, which glyph stands for which letters (its
ToUnicode map). A letter no installed font has is drawn with a glyph the embedded
font does not hold (the empty box a reader sees); glyph 0 is the font's own box.
Each language's sample is the "Three houses" introduction, in that language.
"""

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from feedback.models import Role
from servers import IN_CI

ROOT = Path(__file__).resolve().parent.parent
CHILD_LANGUAGES = ("en", "cy", "pl", "ro", "ar", "ur", "es", "pt")
_PAIR = re.compile(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")


def sample(tag: str) -> str:
    definition = json.loads((ROOT / "feedback" / "questionnaires" / "three-houses.json")
                            .read_text(encoding="utf-8"))
    return definition["intro"][tag]


@pytest.fixture(scope="module")
def noto_fonts() -> None:
    """The fonts docs/deploy.md names: skip (in CI, fail) when they are not installed."""
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True,
                            check=False).stdout if shutil.which("fc-list") else ""
    if "Noto Nastaliq Urdu" not in listed or "Noto Sans" not in listed:
        message = "the Noto fonts are not installed (apt-get install fonts-noto-core)"
        if IN_CI:
            pytest.fail(message + " (CI must run every lane)")
        pytest.skip(message)


def installed_letters(family: str) -> set[str]:
    """Every letter the installed fonts of a family have (their character maps)."""
    files = subprocess.run(["fc-list", f"{family}:style=Regular", "file"],
                           capture_output=True, text=True, check=True).stdout.split()
    return {chr(code) for path in files for code in
            TTFont(path.rstrip(":"), fontNumber=0).getBestCmap()}


def glyphs(pdf: bytes) -> tuple[set[str], set[str], set[str]]:
    """Return the letters the PDF draws with a real glyph, those it draws as boxes, and
    those the fonts it embeds have."""
    drawn: set[str] = set()
    boxes: set[str] = set()
    families: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            # "ABCDEF+Noto-Nastaliq-Urdu": a subset of the family "Noto Nastaliq Urdu".
            families.add(str(font["/BaseFont"]).partition("+")[2].replace("-", " "))
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            embedded = descriptor.get_object()["/FontFile2"].get_object().get_data()
            count = TTFont(io.BytesIO(embedded))["maxp"].numGlyphs
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            assert "beginbfrange" not in cmap  # WeasyPrint writes one glyph a line
            for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
                for glyph, letters in _PAIR.findall(block):
                    found = boxes if int(glyph, 16) in (0,) or int(glyph, 16) >= count \
                        else drawn
                    found.update(bytes.fromhex(letters).decode("utf-16-be"))
    return drawn, boxes, set().union(*map(installed_letters, families))


@pytest.mark.parametrize("tag", CHILD_LANGUAGES)
def test_a_childs_words_print_in_every_child_language(tag, noto_fonts, auth, client,
                                                      create_case, create_user,
                                                      create_response):
    case = create_case(language=tag)
    create_response(case, sample(tag))
    auth.sign_in(create_user(Role.WORKER, case.pod).email)
    pdf = client.post(f"/staff/cases/{case.reference}/export",
                      data={"from_date": "2020-01-01", "to_date": "2030-12-31",
                            "format": "pdf"}).data
    drawn, boxes, fonts_have = glyphs(pdf)
    letters = {c for c in sample(tag) if not c.isspace()}
    assert not letters & boxes, f"printed as boxes: {sorted(letters & boxes)}"
    # Nastaliq joins letters into one glyph that the map may give to the first alone:
    # such a letter must then be in the fonts the PDF embeds.
    assert letters <= drawn | fonts_have, f"no font for: {sorted(letters - drawn - fonts_have)}"
    assert len(letters & drawn) >= len(letters) * 3 // 4
