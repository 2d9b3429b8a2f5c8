"""A version's question pages as a child sees them, for an administrator to look at.

The pages are drawn by the child's own macros (``templates/child/_question_macros.html``)
from the objects below, which have the shape of ``feedback/web/child/questions.py``'s
(blueprints import nothing of each other). ``tests/test_admin_questionnaires.py``
renders every built-in question both ways and compares the markup, so the two cannot
drift apart. Nothing here stores anything: there is no journey, no draft and no Send.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Form, RadioField, SelectMultipleField, TextAreaField

from feedback.models import AgeBand
from feedback.services.questionnaires import NOT_SAY
from feedback.web.i18n import CHILD_LANGUAGES, pick
from feedback.web.labels import NOT_SAY_LABEL, SCALE_LABELS

#: The words under Express's picture cards: the child's form's label, word for word.
# Translators: the box under the picture cards (Express, for children aged 5 to 8).
WORDS_LABEL = _l("Do you want to say more? (you do not have to)")


@dataclass(frozen=True)
class Text:
    text: str
    lang: str


@dataclass(frozen=True)
class Option:
    value: str
    label: Text
    picture: str = ""


@dataclass(frozen=True)
class House:
    key: str
    label: Text
    hint: Text | None


@dataclass(frozen=True)
class PreviewPage:
    number: int
    total: int
    key: str
    kind: str
    text: Text
    hint: Text | None
    optional: bool
    options: tuple[Option, ...] = ()
    houses: tuple[House, ...] = ()


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


def _text(texts: dict[str, str] | None, tag: str) -> Text | None:
    return Text(*pick(texts, tag)) if texts else None


def _options(question: dict[str, Any], tag: str) -> tuple[Option, ...]:
    kind = question["type"]
    if kind == "faces":
        labels = SCALE_LABELS[question.get("scale", "feelings")]
        return tuple(Option(value, Text(str(label), tag)) for value, label in labels.items()) \
            + (Option(NOT_SAY, Text(str(NOT_SAY_LABEL), tag)),)
    if kind == "cards":
        return tuple(Option(c["value"], Text(*pick(c["label"], tag)), c["picture"])
                     for c in question["cards"])
    if kind == "age_band":
        return tuple(Option(band.value, Text(band.value, tag)) for band in AgeBand) + (
            Option(NOT_SAY, Text(str(NOT_SAY_LABEL), tag)),)
    return tuple(Option(o["value"], Text(*pick(o["label"], tag)))
                 for o in question.get("options", []))


def page(definition: dict[str, Any], number: int, tag: str) -> PreviewPage:
    """Describe question ``number`` (from 1) in language ``tag``."""
    questions = definition["questions"]
    question = questions[number - 1]
    houses = tuple(House(h["key"], Text(*pick(h["label"], tag)), _text(h.get("hint"), tag))
                   for h in question.get("houses", []))
    return PreviewPage(number=number, total=len(questions), key=question["key"],
                       kind=question["type"], text=Text(*pick(question["text"], tag)),
                       hint=_text(question.get("hint"), tag),
                       optional=bool(question.get("optional", False)),
                       options=_options(question, tag), houses=houses)


def empty_form(shown: PreviewPage) -> Form:
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
