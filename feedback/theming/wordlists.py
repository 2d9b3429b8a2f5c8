"""Word lists that belong to a language, read from ``language.toml``.

Negators and the words that end their reach live in the data file, one list
per language, so no Python module keeps its own copy.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

LANGUAGE_FILE = Path(__file__).resolve().parent / "language.toml"


@lru_cache(maxsize=None)
def _table(name: str) -> dict[str, frozenset[str]]:
    with LANGUAGE_FILE.open("rb") as handle:
        data = tomllib.load(handle).get(name, {})
    return {language: frozenset(str(word) for word in words)
            for language, words in data.items()}


def negators(language: str = "en") -> frozenset[str]:
    """Return the words that negate what follows them in ``language``."""
    return _table("negators").get(language, frozenset())


def negation_stops(language: str = "en") -> frozenset[str]:
    """Return the words that end a negator's reach in ``language``."""
    return _table("negation_stops").get(language, frozenset())


def harm_negation_stops(language: str = "en") -> frozenset[str]:
    """Return the words that end a negator's reach over words of harm: the
    negation stops and the words that start a new clause's subject ("nobody
    knows he hits me" is not "nobody hits me"). Sentiment keeps the shorter list."""
    return negation_stops(language) | _table("clause_subjects").get(language, frozenset())
