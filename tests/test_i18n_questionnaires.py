"""The built-in questionnaires speak every language on the child's language menu."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from feedback.web.i18n import LANGUAGES, pick
from feedback.services.questionnaires import builtin_definitions

DEFINITIONS = {d["slug"]: d for d in builtin_definitions()}


def texts(definition: dict[str, Any]) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield (where, texts by language) for every text a child can read."""
    yield "title", definition["title"]
    if "intro" in definition:
        yield "intro", definition["intro"]
    for question in definition["questions"]:
        where = question["key"]
        yield where, question["text"]
        if "hint" in question:
            yield f"{where} hint", question["hint"]
        for option in question.get("options", []):
            yield f"{where} option {option['value']}", option["label"]
        for card in question.get("cards", []):
            yield f"{where} card {card['value']}", card["label"]
        for house in question.get("houses", []):
            yield f"{where} house {house['key']}", house["label"]
            if "hint" in house:
                yield f"{where} house {house['key']} hint", house["hint"]


@pytest.mark.parametrize("slug", sorted(DEFINITIONS))
def test_every_text_is_in_every_language(slug):
    missing = [(where, tag) for where, by_language in texts(DEFINITIONS[slug])
               for tag in LANGUAGES if not by_language.get(tag, "").strip()]
    assert not missing, f"{slug} lacks: {missing}"


@pytest.mark.parametrize("slug", sorted(DEFINITIONS))
def test_texts_use_only_the_languages_the_service_knows(slug):
    unknown = {tag for _, by_language in texts(DEFINITIONS[slug]) for tag in by_language
               if tag not in LANGUAGES}
    assert not unknown, f"{slug} has texts in {unknown}, which no child can choose"


@pytest.mark.parametrize("tag", sorted(t for t in LANGUAGES if t != "en"))
def test_a_child_reading_in_a_language_never_falls_back_to_english(tag):
    fallbacks = [(slug, where) for slug, definition in DEFINITIONS.items()
                 for where, by_language in texts(definition)
                 if pick(by_language, tag)[1] != tag]
    assert not fallbacks
