"""Questionnaires as versioned data: validate a definition, install or import it."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.models import Questionnaire, QuestionnaireVersion
from feedback.theming import THEME_CODES

QUESTION_TYPES = frozenset({"faces", "choice", "text", "three_houses", "age_band", "cards"})
#: The words a ``faces`` question's five answers carry (``scale``; feelings by default).
SCALES = ("feelings", "safety")
#: The answer of a scale, choice or cards question the child chose not to give.
NOT_SAY = "not_say"
#: Pictures a card can show (drawn in ``templates/child/_cards.html``).
CARD_PICTURES = frozenset({"home", "family", "friends", "school", "feelings", "worker",
                           "other"})
BUILTIN_PACKAGE = "feedback.questionnaires"
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_SLUG = re.compile(r"^[a-z][a-z0-9-]{1,59}$")
MAX_TEXT_LENGTH = 5000


class QuestionnaireError(ValueError):
    """A questionnaire definition is not valid; the message says where and why."""


def _require_text(value: Any, where: str) -> None:
    if not isinstance(value, dict) or not isinstance(value.get("en"), str) or not value["en"]:
        raise QuestionnaireError(f"{where} needs an English text under \"en\"")
    for tag, text in value.items():
        if not isinstance(text, str) or not text.strip():
            raise QuestionnaireError(f"{where}: the {tag!r} text is empty")


def _validate_question(question: Any, index: int) -> str:
    where = f"question {index + 1}"
    if not isinstance(question, dict):
        raise QuestionnaireError(f"{where} must be an object")
    key = question.get("key")
    if not isinstance(key, str) or not _KEY.match(key):
        raise QuestionnaireError(f"{where} needs a key of lower-case letters, digits and _")
    where = f"question {key!r}"
    if question.get("type") not in QUESTION_TYPES:
        raise QuestionnaireError(f"{where} has type {question.get('type')!r}; use one of "
                                 f"{', '.join(sorted(QUESTION_TYPES))}")
    _require_text(question.get("text"), where)
    if "hint" in question:
        _require_text(question["hint"], f"{where} hint")
    if question["type"] == "choice":
        options = question.get("options")
        if not isinstance(options, list) or len(options) < 2:
            raise QuestionnaireError(f"{where} needs at least two options")
        for option in options:
            if not isinstance(option, dict) or not _KEY.match(str(option.get("value", ""))):
                raise QuestionnaireError(f"{where}: every option needs a value")
            _require_text(option.get("label"), f"{where} option {option['value']!r}")
    if question["type"] == "faces" and question.get("scale", "feelings") not in SCALES:
        raise QuestionnaireError(f"{where} has scale {question['scale']!r}; use one of "
                                 f"{', '.join(SCALES)}")
    if question["type"] == "cards":
        _validate_cards(question.get("cards"), where)
    if question["type"] == "three_houses":
        houses = question.get("houses")
        if not isinstance(houses, list) or len(houses) != 3:
            raise QuestionnaireError(f"{where} needs exactly three houses")
        for house in houses:
            if not isinstance(house, dict) or not _KEY.match(str(house.get("key", ""))):
                raise QuestionnaireError(f"{where}: every house needs a key")
            _require_text(house.get("label"), f"{where} house {house['key']!r}")
    return key


def _validate_cards(cards: Any, where: str) -> None:
    """Two or more cards, each a value, a label, a theme code (or null) and a picture."""
    if not isinstance(cards, list) or len(cards) < 2:
        raise QuestionnaireError(f"{where} needs at least two cards")
    for card in cards:
        if not isinstance(card, dict) or not _KEY.match(str(card.get("value", ""))) \
                or card["value"] == NOT_SAY:
            raise QuestionnaireError(f"{where}: every card needs a value")
        _require_text(card.get("label"), f"{where} card {card['value']!r}")
        if card.get("theme") is not None and card["theme"] not in THEME_CODES:
            raise QuestionnaireError(f"{where} card {card['value']!r} has theme "
                                     f"{card['theme']!r}; use a code from the taxonomy")
        if card.get("picture") not in CARD_PICTURES:
            raise QuestionnaireError(f"{where} card {card['value']!r} needs a picture: one of "
                                     f"{', '.join(sorted(CARD_PICTURES))}")
    values = [card["value"] for card in cards]
    if len(set(values)) != len(values):
        raise QuestionnaireError(f"{where}: card values must be unique")
    if len(" ".join(values)) > 60:  # the taps are stored as one answer of 60 characters
        raise QuestionnaireError(f"{where}: the card values are too long together")


def validate(definition: Any) -> dict[str, Any]:
    """Check a questionnaire definition and return it."""
    if not isinstance(definition, dict):
        raise QuestionnaireError("the file must hold one JSON object")
    slug = definition.get("slug")
    if not isinstance(slug, str) or not _SLUG.match(slug):
        raise QuestionnaireError("\"slug\" must be lower-case letters, digits and -")
    _require_text(definition.get("title"), "the title")
    if "intro" in definition:
        _require_text(definition["intro"], "the introduction")
    questions = definition.get("questions")
    if not isinstance(questions, list) or not questions:
        raise QuestionnaireError("\"questions\" must be a non-empty list")
    keys = [_validate_question(question, i) for i, question in enumerate(questions)]
    duplicates = {key for key in keys if keys.count(key) > 1}
    if duplicates:
        raise QuestionnaireError(f"question keys must be unique: {', '.join(sorted(duplicates))}")
    return definition


def load_file(path: Path) -> dict[str, Any]:
    """Read and validate a questionnaire file (JSON)."""
    try:
        definition = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise QuestionnaireError(f"{path.name} is not valid JSON: {error}") from None
    return validate(definition)


def save(session: Session, definition: dict[str, Any],
         is_builtin: bool = False) -> QuestionnaireVersion | None:
    """Store a definition as a new version; return None when it is unchanged."""
    definition = validate(definition)
    questionnaire = session.scalar(select(Questionnaire)
                                   .where(Questionnaire.slug == definition["slug"]))
    if questionnaire is None:
        questionnaire = Questionnaire(slug=definition["slug"], is_builtin=is_builtin)
        session.add(questionnaire)
        session.flush()
    elif questionnaire.versions and questionnaire.current.definition == definition:
        return None
    number = len(questionnaire.versions) + 1
    version = QuestionnaireVersion(questionnaire=questionnaire, number=number,
                                   definition=definition)
    session.add(version)
    session.flush()
    return version


def builtin_definitions() -> list[dict[str, Any]]:
    """Return the questionnaires that ship with the service."""
    files = sorted(resources.files(BUILTIN_PACKAGE).iterdir(), key=lambda f: f.name)
    return [validate(json.loads(f.read_text(encoding="utf-8")))
            for f in files if f.name.endswith(".json")]


def install_builtin(session: Session) -> list[QuestionnaireVersion]:
    """Install or update the built-in questionnaires; return the versions added."""
    added = [save(session, definition, is_builtin=True) for definition in builtin_definitions()]
    return [version for version in added if version is not None]


def current_versions(session: Session) -> list[QuestionnaireVersion]:
    """Return the current version of every questionnaire still in use."""
    questionnaires = session.scalars(select(Questionnaire)
                                     .where(Questionnaire.is_archived.is_(False))
                                     .order_by(Questionnaire.slug)).all()
    return [q.current for q in questionnaires if q.versions]


def by_slug(session: Session, slug: str) -> Questionnaire:
    """Return the questionnaire with this slug, or raise ``QuestionnaireError``."""
    questionnaire = session.scalar(select(Questionnaire).where(Questionnaire.slug == slug))
    if questionnaire is None:
        raise QuestionnaireError(f"no questionnaire {slug!r}")
    return questionnaire


def question_text(definition: dict[str, Any] | None, key: str, tag: str = "en") -> str:
    """Return the words of a question (or a house, ``houses.worries``) for staff pages."""
    if definition is None:
        return key
    base, _, house = key.partition(".")
    for question in definition["questions"]:
        if question["key"] != base:
            continue
        texts = question["text"]
        if house:
            texts = next((h["label"] for h in question.get("houses", [])
                          if h["key"] == house), texts)
        return str(texts.get(tag) or texts["en"])
    return key
