"""Harm told as past and over: "I used to self-harm but I haven't for three years".

TAXONOMY.md flags harm happening now or recently, not harm a child describes
as finished ("I was scared of the dog but it's fine now"). A rule cannot tell
the two apart: it finds "self-harm" either way. This module reads the comment
around it. The comment counts as told-as-over only when it places the harm in
the past, says it is over, and says nothing that it goes on (still, again, last
week, scared, nobody knows, my little brother). The decision it feeds is in
``pipeline.py`` step 2: for the rules the table lists, such a comment is no
explicit disclosure; the reader decides its tier as for any comment no rule
fired on, and a person checks the reading.

The patterns live in ``safeguarding.toml`` under ``[past_and_over]``; they run
on normalised English.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from feedback.theming.errors import expect
from feedback.theming.patterns import PhrasePattern, compile_pattern
from feedback.theming.text import Tokens

RULES_FILE = Path(__file__).resolve().parent / "safeguarding.toml"
_KEYS = ("rules", "past", "over", "not_over", "catches", "spares")


@dataclass(frozen=True)
class PastAndOver:
    """The rules whose harm can be told as over, and how a comment tells it."""

    rules: frozenset[str]
    past: tuple[PhrasePattern, ...]
    over: tuple[PhrasePattern, ...]
    not_over: tuple[PhrasePattern, ...]
    #: Evidence, as for a rule: comments told as over, and look-alikes that are not.
    catches: tuple[str, ...] = ()
    spares: tuple[str, ...] = ()

    def told_as_over(self, tokens: Tokens) -> bool:
        """Return whether the comment puts its harm in the past and says it is over."""
        text = tokens.text
        return (_found(self.past, text) and _found(self.over, text)
                and not _found(self.not_over, text))


def _found(patterns: tuple[PhrasePattern, ...], text: str) -> bool:
    return any(True for pattern in patterns for _ in pattern.spans(text))


@lru_cache(maxsize=1)
def past_and_over() -> PastAndOver:
    """Return the built-in table from ``safeguarding.toml``."""
    with RULES_FILE.open("rb") as handle:
        data = tomllib.load(handle).get("past_and_over", {})
    expect(isinstance(data, dict), RULES_FILE, "past_and_over", "must be a table")
    for key in data:
        expect(key in _KEYS, RULES_FILE, f"past_and_over.{key}",
               f"unknown key; expected one of {', '.join(_KEYS)}")
    lists = {}
    for key in _KEYS:
        value = data.get(key, [])
        expect(isinstance(value, list) and all(isinstance(item, str) for item in value),
               RULES_FILE, f"past_and_over.{key}", "must be a list of strings")
        lists[key] = tuple(value)
    return PastAndOver(
        rules=frozenset(lists["rules"]),
        past=tuple(compile_pattern(p) for p in lists["past"]),
        over=tuple(compile_pattern(p) for p in lists["over"]),
        not_over=tuple(compile_pattern(p) for p in lists["not_over"]),
        catches=lists["catches"],
        spares=lists["spares"],
    )
