"""Phrase patterns: a small word-level pattern language compiled to regexes.

Administrators write patterns such as ``(mum|dad) ... (hits|hit) me`` or
``[really] miss my *``; they never need regex syntax. Patterns match the
space-separated token text produced by :mod:`feedback.theming.text`.

Syntax, element by element (separated by spaces):

- ``word`` one token; ``bij*`` a token starting with "bij"; ``*ضرب*`` a
  token containing "ضرب";
- ``(a|b c)`` one of several words or word sequences; ``[a|b]`` optional;
- ``*`` any one token; ``...`` up to four tokens (never across . ! ? ;).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

K = TypeVar("K")

_GAP = r"(?: [^\s.!?;]+){0,4}"
_ANY = r" [^\s.!?;]+"
# Anchoring on these would make the prefilter useless: nearly every comment has them.
_COMMON = frozenset("i me my a the to and is it of in you he she they we not do at on so for "
                    "with have get got go was be this that but when all can just up out "
                    "if or no her his him them us our your there what who are am by an "
                    "as from like will would did does".split())
_NOT_DECOMPOSED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ı": "i", "ß": "ss"})


class PatternError(ValueError):
    """Raised when a phrase pattern cannot be compiled."""


def fold_accents(text: str) -> str:
    """Return ``text`` without diacritics (Arabic short vowels included)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_NOT_DECOMPOSED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class PhrasePattern:
    """A compiled phrase pattern and the literals any match must contain."""

    source: str
    regex: re.Pattern[str]
    anchors: frozenset[str]
    fragments: tuple[str, ...]

    def found(self, text: str) -> bool:
        """Return whether the pattern matches anywhere in padded ``text``."""
        return self.regex.search(text) is not None

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        """Yield the character spans of non-overlapping matches in padded ``text``."""
        for match in self.regex.finditer(text):
            yield match.start(), match.end()


@lru_cache(maxsize=8192)
def compile_pattern(source: str, *, accents: bool = True) -> PhrasePattern:
    """Compile ``source``; raise PatternError saying what is wrong with it."""
    text = " ".join(source.lower().split())
    if not accents:
        text = fold_accents(text)
    if not text:
        raise PatternError("empty pattern")
    parser = _Parser(text, source)
    elements = parser.sequence()
    if parser.position != len(parser.text):
        raise PatternError(f"unbalanced brackets in pattern {source!r}")
    if elements[0].kind == "gap" or elements[-1].kind == "gap":
        raise PatternError(f"pattern {source!r} cannot start or end with '...'")
    required = [anchor for anchor in (element.anchor() for element in elements) if anchor]
    if not required:
        raise PatternError(f"pattern {source!r} needs at least one required word")
    exact, fragments = max(required, key=_rank)
    regex = re.compile("".join(element.regex() for element in elements) + "(?= )")
    return PhrasePattern(source, regex, exact, tuple(sorted(fragments)))


Anchor = tuple[frozenset[str], frozenset[str]]


@dataclass(frozen=True)
class _Element:
    kind: str  # "word", "gap", "any", "group" or "optional"
    word: str = ""
    choices: tuple[tuple[_Element, ...], ...] = ()

    def regex(self) -> str:
        """Return the regex for this element, including the space before it."""
        if self.kind == "word":
            core = re.escape(self.word.strip("*"))
            prefix = r"\S*" if self.word.startswith("*") else ""
            suffix = r"\S*" if self.word.endswith("*") else ""
            return " " + prefix + core + suffix
        if self.kind == "gap":
            return _GAP
        if self.kind == "any":
            return _ANY
        body = "|".join("".join(e.regex() for e in choice) for choice in self.choices)
        return f"(?:{body})" + ("?" if self.kind == "optional" else "")

    def anchor(self) -> Anchor | None:
        """Return words (exact, fragments) one of which any match must contain."""
        if self.kind == "word":
            if "*" in self.word:
                return frozenset(), frozenset({self.word.strip("*")})
            return frozenset({self.word}), frozenset()
        if self.kind != "group":
            return None
        exact: set[str] = set()
        fragments: set[str] = set()
        for choice in self.choices:
            anchors = [a for a in (element.anchor() for element in choice) if a]
            if not anchors:
                return None
            # Every anchored element of a sequence is required: take the rarest.
            best = max(anchors, key=_rank)
            exact |= best[0]
            fragments |= best[1]
        return frozenset(exact), frozenset(fragments)


def _rank(anchor: Anchor) -> tuple[bool, bool, int]:
    """Prefer anchors that rule most comments out before the regex runs."""
    exact, fragments = anchor
    words = exact | fragments
    return (not words & _COMMON, not fragments, min(len(word) for word in words))


class _Parser:
    """Recursive-descent parser for the phrase pattern syntax."""

    def __init__(self, text: str, source: str) -> None:
        # Spaces around "|" and just inside brackets are layout, not words.
        text = re.sub(r"\s*\|\s*", "|", text)
        self.text = re.sub(r"\s+([)\]])", r"\1", re.sub(r"([(\[])\s+", r"\1", text))
        self.source = source
        self.position = 0

    def sequence(self) -> list[_Element]:
        elements: list[_Element] = []
        while self.position < len(self.text) and self.text[self.position] not in ")]|":
            if self.text[self.position] == " ":
                self.position += 1
                continue
            elements.append(self._element())
        if not elements:
            raise PatternError(f"empty alternative in pattern {self.source!r}")
        return elements

    def _element(self) -> _Element:
        char = self.text[self.position]
        if char in "([":
            closing = ")" if char == "(" else "]"
            self.position += 1
            choices = [tuple(self.sequence())]
            while self._peek() == "|":
                self.position += 1
                choices.append(tuple(self.sequence()))
            if self._peek() != closing:
                raise PatternError(f"unbalanced brackets in pattern {self.source!r}")
            self.position += 1
            if self._peek() in ("?", "+", "*", "{"):
                raise PatternError(f"regex syntax after a bracket in pattern {self.source!r};"
                                   " write optional words as [word]")
            return _Element("group" if char == "(" else "optional", choices=tuple(choices))
        match = re.compile(r"[^\s()\[\]|]+").match(self.text, self.position)
        if not match:
            raise PatternError(f"unbalanced brackets in pattern {self.source!r}")
        self.position = match.end()
        word = match.group()
        if word == "...":
            return _Element("gap")
        if word == "*":
            return _Element("any")
        if "*" in word.strip("*") or word.strip("*") == "":
            raise PatternError(f"bad word {word!r} in pattern {self.source!r}")
        return _Element("word", word=word)

    def _peek(self) -> str:
        return self.text[self.position] if self.position < len(self.text) else ""


class PatternIndex(Generic[K]):
    """Find which of many patterns can possibly match, without running them all."""

    def __init__(self, entries: Iterable[tuple[K, PhrasePattern]]) -> None:
        self._entries: list[tuple[K, PhrasePattern]] = list(entries)
        self._by_anchor: dict[str, list[int]] = {}
        self._fragments: list[tuple[str, int]] = []
        self._ascii_fragments: list[tuple[str, int]] = []
        for index, (_, pattern) in enumerate(self._entries):
            for anchor in pattern.anchors:
                self._by_anchor.setdefault(anchor, []).append(index)
            self._fragments.extend((fragment, index) for fragment in pattern.fragments)
        # Plain-ASCII comments (most of them) cannot contain Arabic or Polish fragments.
        self._ascii_fragments = [(f, i) for f, i in self._fragments if f.isascii()]

    def candidates(self, tokens: AbstractSet[str], text: str) -> list[tuple[K, PhrasePattern]]:
        """Return the entries whose anchor words or fragments occur in the comment."""
        found: set[int] = set()
        by_anchor = self._by_anchor
        for token in tokens & by_anchor.keys():
            found.update(by_anchor[token])
        fragments = self._ascii_fragments if text.isascii() else self._fragments
        found.update([index for fragment, index in fragments if fragment in text])
        return [self._entries[index] for index in sorted(found)]
