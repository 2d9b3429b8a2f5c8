"""Words a child can read: every English string on a child's page scores a Flesch reading
ease of 80 or more (issue 20).

The strings are the English msgids the child's pages can show (extracted from the code
now, with the Makefile's own command, so a new string is checked before any
translation pass) and the English texts of the built-in questionnaires.

* Placeholders (``%(day)s``, ``%%{count}``) are read as the one-syllable word "this".
* Strings of fewer than ``MIN_WORDS`` words (button labels, headings, card names such
  as "Continue" or "Family") are not scored: Flesch's formula measures sentences, and
  on one or two words it measures only syllables ("Family" would score -48). They are
  kept short and plain by review instead.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import textstat

from feedback.services.questionnaires import builtin_definitions
from test_i18n_catalogue import ROOT, extract_command, msgid, read_catalogue
from test_i18n_questionnaires import texts

#: The least reading ease a child's string may have.
MIN_EASE = 80
#: Fewer words than this are a label, not a sentence: not scored (see above).
MIN_WORDS = 5
#: Where a string comes from for a child to see it: the child's pages and forms, the
#: error pages, and the form macros they are built from (the character count).
CHILD_PAGES = ("templates/child/", "feedback/web/child/", "templates/errors/",
               "templates/macros/forms.html")
_PLACEHOLDER = re.compile(r"%%\{\w+\}|%\(\w+\)[sd]")

textstat.set_lang("en")


def child_strings(output: Path) -> set[str]:
    subprocess.run(extract_command(output), cwd=ROOT, check=True, capture_output=True)
    messages = {msgid(m) for m in read_catalogue(output)
                if m.id and any(path.startswith(CHILD_PAGES) for path, _ in m.locations)}
    questions = {by_language["en"] for definition in builtin_definitions()
                 for _, by_language in texts(definition)}
    return messages | questions


def ease(text: str) -> float:
    return float(textstat.flesch_reading_ease(_PLACEHOLDER.sub("this", text)))


def is_sentence(text: str) -> bool:
    return int(textstat.lexicon_count(_PLACEHOLDER.sub("this", text))) >= MIN_WORDS


@pytest.fixture(scope="module")
def strings(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    return child_strings(tmp_path_factory.mktemp("catalogue") / "messages.pot")


def test_the_child_strings_are_found(strings):
    assert "Check your answers" in strings  # a template's
    assert "Choose the face that fits best" in strings  # a form's
    assert "What is worrying you?" in strings  # a questionnaire's
    assert len([s for s in strings if is_sentence(s)]) > 50


def test_every_child_string_scores_80_or_more(strings):
    hard = sorted((round(ease(s), 1), s) for s in strings if is_sentence(s)
                  and ease(s) < MIN_EASE)
    assert not hard, "rewrite in plain words (short sentences, short words):\n" + \
        "\n".join(f"{score:6}  {text}" for score, text in hard)


def test_a_hard_sentence_would_fail():
    assert ease("Pressing the button sends your message to your social worker's team "
                "straight away.") < MIN_EASE
    assert ease("The button sends your message to your social worker's team at once.") \
        >= MIN_EASE
