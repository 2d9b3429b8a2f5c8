"""A version's question pages as a child sees them, for an administrator to look at.

The pages are drawn by the child's own macros (``templates/child/_question_macros.html``)
from the child's own page descriptions (``feedback/web/question_pages.py``).
``tests/test_admin_questionnaires.py`` renders every built-in question both ways and
compares the markup. Nothing here stores anything: there is no journey, no draft and
no Send.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Form, RadioField, SelectMultipleField, TextAreaField

from feedback.web.i18n import CHILD_LANGUAGES
from feedback.web.question_pages import QuestionPage

#: The words under Express's picture cards: the child's form's label, word for word.
# Translators: the box under the picture cards (Express, for children aged 5 to 8).
WORDS_LABEL = _l("Do you want to say more? (you do not have to)")


def languages(definition: dict[str, Any]) -> list[str]:
    """Return the child languages the definition has words in, English first."""
    found = {"en"}

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("en"), str):
                found.update(tag for tag, words in value.items() if isinstance(words, str))
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(definition)
    return [tag for tag in CHILD_LANGUAGES if tag in found]


def empty_form(shown: QuestionPage) -> Form:
    """An unanswered form with the fields the child's macros draw (never submitted)."""
    fields: dict[str, Any]
    if shown.kind == "three_houses":
        fields = {h.key: TextAreaField(h.label.text) for h in shown.houses}
    elif shown.kind == "cards":
        fields = {"cards": SelectMultipleField(choices=[], validate_choice=False),
                  "words": TextAreaField(WORDS_LABEL)}
    elif shown.kind == "text":
        fields = {"answer": TextAreaField()}
    else:
        fields = {"answer": RadioField(choices=[], validate_choice=False)}
    return type("PreviewForm", (Form,), fields)()
