"""Turn a questionnaire definition into what a question page shows, in the child's language.

Shared by the child's pages and the administrator's preview of a version
(``feedback/web/admin/questionnaire_preview.py``), so a preview is drawn from
exactly what a child's page is drawn from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from feedback.models import AgeBand
from feedback.services.questionnaires import NOT_SAY
from feedback.web.i18n import pick
from feedback.web.labels import NOT_SAY_LABEL, SCALE_LABELS

#: The five faces' emoji, saddest first: decoration only; the words are the label
#: (``SCALE_LABELS``: feelings, or safety).
FACE_EMOJI = ("😢", "🙁", "😐", "🙂", "😄")


@dataclass(frozen=True)
class Text:
    """A questionnaire text and the language it is really in (English when untranslated)."""

    text: str
    lang: str


@dataclass(frozen=True)
class Option:
    value: str
    label: Text
    emoji: str = ""
    #: A card's picture (``templates/child/_cards.html``).
    picture: str = ""


@dataclass(frozen=True)
class House:
    key: str
    label: Text
    hint: Text | None


@dataclass(frozen=True)
class QuestionPage:
    number: int
    total: int
    key: str
    kind: str
    text: Text
    hint: Text | None
    optional: bool
    options: tuple[Option, ...] = ()
    houses: tuple[House, ...] = ()


def _text(texts: dict[str, str] | None, tag: str) -> Text | None:
    return Text(*pick(texts, tag)) if texts else None


def _options(question: dict[str, Any], tag: str) -> tuple[Option, ...]:
    kind = question["type"]
    if kind == "faces":
        # The last choice skips the scale: "I'd rather not say", kept as such.
        labels = SCALE_LABELS[question.get("scale", "feelings")]
        return tuple(Option(value, Text(str(label), tag), emoji)
                     for (value, label), emoji in zip(labels.items(), FACE_EMOJI)) + (
            Option(NOT_SAY, Text(str(NOT_SAY_LABEL), tag)),)
    if kind == "cards":
        return tuple(Option(c["value"], Text(*pick(c["label"], tag)), picture=c["picture"])
                     for c in question["cards"])
    if kind == "age_band":
        return tuple(Option(band.value, Text(band.value, tag)) for band in AgeBand) + (
            Option(NOT_SAY, Text(str(NOT_SAY_LABEL), tag)),)
    return tuple(Option(o["value"], Text(*pick(o["label"], tag)))
                 for o in question.get("options", []))


def page_for(definition: dict[str, Any], number: int, tag: str) -> QuestionPage:
    """Describe question ``number`` (from 1) for the page, in language ``tag``."""
    questions = definition["questions"]
    question = questions[number - 1]
    text = _text(question["text"], tag)
    assert text is not None
    houses = tuple(House(h["key"], Text(*pick(h["label"], tag)), _text(h.get("hint"), tag))
                   for h in question.get("houses", []))
    return QuestionPage(number=number, total=len(questions), key=question["key"],
                        kind=question["type"], text=text, hint=_text(question.get("hint"), tag),
                        optional=bool(question.get("optional", False)),
                        options=_options(question, tag), houses=houses)


def all_pages(definition: dict[str, Any], tag: str) -> list[QuestionPage]:
    return [page_for(definition, n, tag) for n in range(1, len(definition["questions"]) + 1)]


def answer_label(page: QuestionPage, value: Any) -> str:
    """Return how an answer reads on the check-your-answers page (cards: the pictures
    tapped, "Home, Family"; the words beside them are shown as written)."""
    if page.kind == "cards":
        tapped = set(str((value or {}).get("cards") or "").split())
        return ", ".join(o.label.text for o in page.options if o.value in tapped)
    for option in page.options:
        if option.value == value:
            return option.label.text
    return str(value or "")
